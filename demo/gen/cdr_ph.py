"""``cdr_ph.csv``: a Philippine operator's call detail records for targeted numbers.

US-style month-first local times (Asia/Manila), calls and SMS, numbers in national and
international formats; the ring's calls among themselves, to its Vietnamese side and to
the broker, with their families and a background of unrelated callers.
"""

from __future__ import annotations

from datetime import datetime

from .calls import background_pairs, call_rows
from .cast import Cast
from .output import CsvRow, Output
from .spelling import render


def write(cast: Cast, output: Output) -> None:
    """Globe call detail records for targeted Philippine numbers (Asia/Manila time)."""
    rng = cast.rng
    truth = output.entry(
        "cdr_ph.csv",
        "mappings/cdr_ph.yaml",
        "cdr_ph",
        "Call detail records from a Philippine operator; US-style local times "
        "(Asia/Manila), national and international number formats.",
    )
    h = cast.humans
    ring = {
        k: h[k].phones[0] for k in ("N1-01", "N1-02", "N1-03", "N1-04", "N1-05", "N1-11", "N1-12")
    }
    boss2 = h["N1-01"].phones[1]
    line = cast.recruitment_line
    pairs = [
        (ring["N1-01"], ring["N1-02"], 30),
        (boss2, ring["N1-02"], 6),
        (ring["N1-01"], ring["N1-03"], 12),
        (ring["N1-01"], ring["N1-04"], 10),
        (ring["N1-01"], ring["N1-05"], 25),
        (ring["N1-01"], ring["N1-11"], 15),
        (ring["N1-01"], ring["N1-12"], 8),
        (ring["N1-02"], ring["N1-03"], 14),
        (ring["N1-02"], ring["N1-04"], 12),
        (ring["N1-02"], ring["N1-12"], 10),
        (ring["N1-03"], ring["N1-04"], 6),
        (ring["N1-05"], ring["N1-02"], 8),
        (line, ring["N1-04"], 7),
        (line, ring["N1-03"], 5),
        (boss2, h["N1-06"].phones[0], 18),
        (ring["N1-02"], h["N1-07"].phones[0], 6),
        (ring["N1-05"], h["N1-09"].phones[0], 4),
        (boss2, cast.nominee_sim, 5),
        # The broker's Canadian number and the boss.
        (boss2, h["BR-01"].phones[0], 8),
        (ring["N1-01"], h["BR-01"].phones[1], 3),
    ]
    for member, phone in ring.items():
        for leaf in cast.leaves_of(member):
            pairs.append((phone, leaf.phones[0], rng.randint(3, 9)))
    people = [x for x in cast.unrelated() if x.nationality == "PH"]
    pairs += background_pairs(rng, people, 420)
    calls = call_rows(rng, pairs, count_sms=True)
    rows: list[CsvRow] = []
    for when, a, b, seconds, kind in calls:
        rows.append(
            (
                when,
                [
                    render(rng, a, "PH"),
                    render(rng, b, "PH"),
                    when.strftime("%m/%d/%Y %H:%M:%S"),
                    str(seconds),
                    kind,
                ],
                None,
            )
        )
    # Bad records: a date that does not exist, a number with digits missing.
    rows.append(
        (
            datetime(2025, 6, 1),
            [
                render(rng, ring["N1-02"], "PH"),
                render(rng, ring["N1-04"], "PH"),
                "02/30/2025 10:11:12",
                "64",
                "VOICE",
            ],
            "impossible date 02/30/2025",
        )
    )
    rows.append(
        (
            datetime(2025, 8, 14, 9, 30, 41),
            [
                render(rng, ring["N1-03"], "PH"),
                "0917 55 12",
                "08/14/2025 09:30:41",
                "12",
                "VOICE",
            ],
            "invalid phone number (too short)",
        )
    )
    rows.sort(key=lambda row: row[0])
    out = [
        (i, [f"GLB{20250000 + i * 3:09d}", *row], bad)
        for i, (_, row, bad) in enumerate(rows, start=1)
    ]
    header = [
        "call_ref",
        "calling_number",
        "called_number",
        "call_start",
        "duration_sec",
        "call_type",
    ]
    output.write_csv(truth, header, out)
