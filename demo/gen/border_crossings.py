"""``border_crossings.csv``: Thai immigration entries and exits.

Passport, MRZ-style name, alpha-3 nationality, the checkpoint (land posts with their
coordinates, airports by name) and a day-first local time. The boss and the broker land
together, the escort takes recruits to Mae Sot, the transport cell crosses in the south.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .cast import Cast
from .entities import Human
from .output import CsvRow, Output
from .spelling import doc_id
from .world import ALPHA3, CHECKPOINTS, LOCATION_CAP


def write(cast: Cast, output: Output) -> None:
    """Thai immigration entries and exits at airports and land checkpoints."""
    rng = cast.rng
    truth = output.entry(
        "border_crossings.csv",
        "mappings/border_crossings.yaml",
        "th_immigration",
        "Thai immigration records: passport, MRZ-style name, checkpoint (land posts "
        "with coordinates, airports by name), direction, day-first local time.",
    )
    h = cast.humans
    rows: list[CsvRow] = []
    seen: dict[str, set[str]] = {name: set() for name in CHECKPOINTS}

    def cross(
        human: Human,
        checkpoint: str,
        direction: str,
        when: datetime,
        bad: str | None = None,
        text: str | None = None,
    ) -> None:
        province, lat, lon = CHECKPOINTS[checkpoint]
        assert human.passport is not None
        rows.append(
            (
                when,
                [
                    checkpoint,
                    province,
                    "TH",
                    "" if lat is None else f"{lat}",
                    "" if lon is None else f"{lon}",
                    direction,
                    text or when.strftime("%d/%m/%Y %H:%M"),
                    human.passport,
                    ALPHA3[human.nationality],
                    human.latin,
                    human.gender,
                    human.birth.strftime("%d/%m/%Y"),
                ],
                bad,
            )
        )
        if bad is None:
            seen[checkpoint].add(human.key)
            cast.note_id(human, doc_id("passport", human.nationality, human.passport))

    def trip(human: Human, arrive: str, leave: str, when: datetime, days: int) -> None:
        cross(human, arrive, "ENTRY", when)
        later = when + timedelta(days=days, hours=rng.randint(-5, 5))
        cross(human, leave, "EXIT", later)

    # The boss and the broker land in Bangkok together; the escort brings recruits in
    # and takes them to Mae Sot, on the border with Myanmar.
    meet = datetime(2025, 7, 19, 14, 35)
    trip(h["N1-01"], "Suvarnabhumi Airport", "Suvarnabhumi Airport", meet, 5)
    trip(
        h["BR-01"],
        "Suvarnabhumi Airport",
        "Suvarnabhumi Airport",
        meet + timedelta(minutes=3),
        5,
    )
    trip(h["N1-03"], "Don Mueang Airport", "Don Mueang Airport", datetime(2025, 8, 9, 9, 50), 4)
    recruits = 0
    for airport, when in (
        ("Suvarnabhumi Airport", datetime(2025, 6, 7, 21, 5)),
        ("Don Mueang Airport", datetime(2025, 7, 5, 8, 40)),
        ("Suvarnabhumi Airport", datetime(2025, 8, 16, 22, 10)),
        ("Don Mueang Airport", datetime(2025, 9, 20, 7, 55)),
    ):
        trip(h["N1-05"], airport, "Mae Sot Friendship Bridge", when, 2)
        for _ in range(2):
            recruits += 1
            country = "PH" if recruits % 3 else "VN"
            recruit = cast.add_human(
                f"BG-R{recruits:02d}",
                "background",
                "recruit",
                country,
                rng.pick("MF"),
                "",
                phones=0,
            )
            cross(recruit, airport, "ENTRY", when + timedelta(minutes=rng.randint(1, 9)))
            cross(
                recruit,
                "Mae Sot Friendship Bridge",
                "EXIT",
                when + timedelta(days=2, minutes=rng.randint(20, 60)),
            )
    # The transport cell crosses at Sadao, Padang Besar and by boat from Satun.
    for key, posts, times in (
        ("N2-05", ("Sadao Immigration Checkpoint", "Satun Tammalang Pier"), 4),
        ("N2-06", ("Padang Besar Immigration Checkpoint", "Sadao Immigration Checkpoint"), 3),
        ("N2-08", ("Sadao Immigration Checkpoint",), 3),
    ):
        for _ in range(times):
            when = rng.moment(date(2025, 6, 1), date(2025, 10, 30))
            trip(h[key], rng.pick(posts), rng.pick(posts), when, rng.randint(1, 6))
    for _ in range(2):
        when = rng.moment(date(2025, 6, 1), date(2025, 10, 30))
        cross(h["N2-01"], "Sadao Immigration Checkpoint", "EXIT", when)
        cross(
            h["N2-05"],
            "Sadao Immigration Checkpoint",
            "EXIT",
            when + timedelta(minutes=rng.randint(2, 40)),
        )
        cross(
            h["N2-01"],
            "Sadao Immigration Checkpoint",
            "ENTRY",
            when + timedelta(hours=rng.randint(5, 30)),
        )
    # Background travellers, never more than LOCATION_CAP people per checkpoint.
    travellers = [x for x in cast.unrelated() if x.key not in cast.agency_staff]
    for human in rng.sample(travellers, 55):
        for _ in range(rng.randint(1, 2)):
            open_posts = [c for c in CHECKPOINTS if len(seen[c] | {human.key}) <= LOCATION_CAP]
            arrive = rng.pick(open_posts)
            leave = arrive if rng.random() < 0.7 else rng.pick(open_posts)
            trip(human, arrive, leave, rng.moment(), rng.randint(2, 20))
    # A bad record: 31 April.
    cross(
        h["N2-06"],
        "Padang Besar Immigration Checkpoint",
        "ENTRY",
        datetime(2025, 4, 30, 10, 5),
        bad="impossible date 31/04/2025",
        text="31/04/2025 10:05",
    )
    rows.sort(key=lambda row: row[0])
    out = [
        (i, [f"TM-{2025000000 + i * 11}", *row], bad)
        for i, (_, row, bad) in enumerate(rows, start=1)
    ]
    header = [
        "entry_id",
        "checkpoint",
        "province",
        "country",
        "lat",
        "lon",
        "direction",
        "crossed_at",
        "passport_no",
        "nationality",
        "traveller_name",
        "sex",
        "date_of_birth",
    ]
    output.write_csv(truth, header, out)
