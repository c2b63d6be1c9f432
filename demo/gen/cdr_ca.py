"""``cdr_ca.csv``: a Canadian operator's call detail records for the money cell.

ISO local times in America/Toronto, daylight saving included (hence one ambiguous time
planted in the autumn overlap); NANP numbers, ``011`` before international ones.
"""

from __future__ import annotations

from datetime import datetime

from .calls import background_pairs, call_rows
from .cast import Cast
from .output import CsvRow, Output
from .spelling import render


def write(cast: Cast, output: Output) -> None:
    """Rogers call detail records (America/Toronto time, daylight saving)."""
    rng = cast.rng
    truth = output.entry(
        "cdr_ca.csv",
        "mappings/cdr_ca.yaml",
        "cdr_ca",
        "Call detail records from a Canadian operator; ISO local times in "
        "America/Toronto (with daylight saving), NANP and 011 international formats.",
    )
    h = cast.humans
    m = {
        k: h[k].phones[0]
        for k in (
            "N3-01",
            "N3-02",
            "N3-03",
            "N3-04",
            "N3-05",
            "N3-06",
            "N3-07",
            "N3-08",
            "BR-01",
        )
    }
    pairs = [
        (m["N3-01"], m["N3-02"], 20),
        (m["N3-01"], m["N3-07"], 15),
        (m["N3-01"], m["N3-06"], 12),
        (m["N3-02"], m["N3-03"], 10),
        (m["N3-02"], m["N3-04"], 8),
        (m["N3-02"], m["N3-05"], 8),
        (m["N3-02"], m["N3-08"], 12),
        (m["N3-08"], m["N3-03"], 10),
        (m["N3-08"], m["N3-04"], 6),
        (m["N3-08"], m["N3-05"], 6),
        (m["N3-06"], m["N3-04"], 5),
        (m["N3-07"], m["N3-06"], 4),
        (m["BR-01"], m["N3-01"], 10),
        (m["BR-01"], m["N3-02"], 8),
    ]
    for member, phone in m.items():
        for leaf in cast.leaves_of(member):
            pairs.append((phone, leaf.phones[0], rng.randint(3, 9)))
    people = [x for x in cast.unrelated() if x.nationality == "CA"]
    pairs += background_pairs(rng, people, 330)
    calls = call_rows(rng, pairs, count_sms=False)
    rows: list[CsvRow] = []
    for when, a, b, seconds, _ in calls:
        rows.append(
            (
                when,
                [
                    render(rng, a, "CA"),
                    render(rng, b, "CA"),
                    when.strftime("%Y-%m-%dT%H:%M:%S"),
                    str(seconds),
                ],
                None,
            )
        )
    # Bad records: a time that happens twice (clocks go back on 2 November), a cut row.
    rows.append(
        (
            datetime(2025, 11, 2, 1, 30, 12),
            [
                render(rng, m["N3-08"], "CA"),
                render(rng, m["N3-03"], "CA"),
                "2025-11-02T01:30:12",
                "48",
            ],
            "ambiguous local time (DST overlap)",
        )
    )
    rows.append(
        (
            datetime(2025, 9, 18, 16, 5),
            [render(rng, m["N3-06"], "CA")],
            "row cut short (expected 5 fields)",
        )
    )
    rows.sort(key=lambda row: row[0])
    out = [(i, [f"RG-{880000 + i}", *row], bad) for i, (_, row, bad) in enumerate(rows, 1)]
    header = ["cdr_id", "originating", "terminating", "start_local", "duration_s"]
    output.write_csv(truth, header, out)
