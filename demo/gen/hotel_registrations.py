"""``hotel_registrations.csv``: guest registers of hotels in Ontario and Québec.

'|'-separated and Windows-1252 encoded; the guest's identity document (a Canadian's
driver's licence, a foreigner's passport) and phone. The money cell stays together and
the broker meets its money manager.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .cast import Cast
from .entities import Human
from .output import CsvRow, Output
from .spelling import doc_id, render
from .world import HOTELS, LOCATION_CAP


def write(cast: Cast, output: Output) -> None:
    """Guest registers of hotels in Ontario and Québec (Windows-1252, '|'-separated)."""
    rng = cast.rng
    truth = output.entry(
        "hotel_registrations.csv",
        "mappings/hotel_registrations.yaml",
        "hotel_registers",
        "Guest registrations from hotels in Ontario and Québec: '|'-separated, "
        "Windows-1252 encoded, guest identity document and phone.",
    )
    h = cast.humans
    rows: list[CsvRow] = []
    seen: dict[str, set[str]] = {name: set() for name in HOTELS}

    def stay(
        human: Human,
        hotel: str,
        when: datetime,
        bad: str | None = None,
        text: str | None = None,
        number: str | None = None,
    ) -> None:
        city, province = HOTELS[hotel]
        if human.nationality == "CA" and human.key != "BR-01":
            kind, doc = human.nid_type, human.nid or ""
            name = human.name
        else:
            kind, doc = "passport", human.passport or ""
            name = human.plain
        if number is not None:
            doc = number
        phone = render(rng, human.phones[0], "CA") if human.phones else ""
        rows.append(
            (
                when,
                [
                    hotel,
                    city,
                    province,
                    "CA",
                    name,
                    kind,
                    human.nationality,
                    doc,
                    phone,
                    text or when.strftime("%Y-%m-%d %H:%M"),
                    str(rng.randint(1, 4)),
                ],
                bad,
            )
        )
        if bad is None:
            seen[hotel].add(human.key)
            cast.note_id(human, doc_id(kind, human.nationality, doc))

    # Co-stays of the money cell, and the broker meeting its money manager.
    for when in (datetime(2025, 7, 11, 21, 40), datetime(2025, 9, 26, 22, 15)):
        for i, key in enumerate(("N3-04", "N3-05", "N3-06")):
            stay(h[key], "Auberge Saint-Denis", when + timedelta(minutes=4 * i))
    for when in (datetime(2025, 8, 2, 15, 5), datetime(2025, 10, 4, 16, 20)):
        stay(h["BR-01"], "Queen West Boutique Hotel", when)
        stay(h["N3-02"], "Queen West Boutique Hotel", when + timedelta(minutes=25))
    stay(h["N3-06"], "Pearson Airport Lodge", datetime(2025, 8, 28, 23, 50))
    stay(h["N3-03"], "Pearson Airport Lodge", datetime(2025, 8, 29, 0, 20))
    stay(h["N3-07"], "Markham Business Inn", datetime(2025, 6, 20, 18, 0))
    guests = [x for x in cast.unrelated() if x.nationality == "CA" or rng.random() < 0.08]
    for human in rng.sample(guests, min(55, len(guests))):
        for _ in range(rng.randint(1, 2)):
            hotel = rng.pick(
                [name for name in HOTELS if len(seen[name] | {human.key}) <= LOCATION_CAP]
            )
            stay(human, hotel, rng.moment(hours=(12, 23)))
    # Bad records: a guest without a document number, and 31 June.
    anon = rng.pick([x for x in guests if x.nationality == "CA"])
    stay(
        anon,
        "Niagara Falls View Motel",
        datetime(2025, 8, 23, 19, 0),
        bad="missing required value: no document number",
        number="",
    )
    stay(
        h["N3-05"],
        "Hôtel Champlain Centre-Ville",
        datetime(2025, 6, 30, 20, 0),
        bad="impossible date 2025-06-31",
        text="2025-06-31 20:30",
    )
    rows.sort(key=lambda row: row[0])
    out = [(i, [f"F{i:05d}", *row], bad) for i, (_, row, bad) in enumerate(rows, start=1)]
    header = [
        "folio",
        "property",
        "city",
        "province",
        "country",
        "guest_name",
        "doc_type",
        "doc_country",
        "doc_number",
        "phone",
        "check_in",
        "nights",
    ]
    output.write_csv(truth, header, out, delimiter="|", encoding="cp1252")
