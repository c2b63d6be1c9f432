"""``cdr_th.tsv``: a Thai operator's call detail records, with the caller's cell site.

Tab-separated, ISO local times (Asia/Bangkok). The transport cell's phones are always
seen at the cell sites of Hat Yai and the southern border; other callers mostly elsewhere.
"""

from __future__ import annotations

from datetime import datetime

from .calls import background_pairs, call_rows
from .cast import Cast
from .output import CsvRow, Output
from .spelling import render
from .world import CELL_SITES, NET2_CELLS


def write(cast: Cast, output: Output) -> None:
    """AIS call detail records with the caller's cell site (Asia/Bangkok time)."""
    rng = cast.rng
    truth = output.entry(
        "cdr_th.tsv",
        "mappings/cdr_th.yaml",
        "cdr_th",
        "Call detail records from a Thai operator, tab-separated, ISO local times "
        "(Asia/Bangkok), with the calling party's cell site and its coordinates.",
    )
    h = cast.humans
    cell = {k: h[k].phones[0] for k in ("N2-01", "N2-02", "N2-03", "N2-04", "N2-07", "N2-09")}
    my_main = {k: h[k].phones[0] for k in ("N2-05", "N2-06", "N2-08")}
    my_th = {k: h[k].phones[1] for k in ("N2-05", "N2-06", "N2-08")}
    pairs = [
        (cell["N2-01"], cell["N2-02"], 30),
        (cell["N2-01"], cell["N2-03"], 25),
        (cell["N2-01"], cell["N2-04"], 20),
        (cell["N2-01"], my_main["N2-05"], 10),
        (cell["N2-01"], my_th["N2-05"], 8),
        (cell["N2-01"], my_main["N2-06"], 10),
        (cell["N2-01"], cell["N2-07"], 12),
        (cell["N2-01"], cell["N2-09"], 10),
        (cell["N2-02"], cell["N2-03"], 15),
        (cell["N2-02"], cell["N2-04"], 12),
        (cell["N2-03"], cell["N2-04"], 8),
        (cell["N2-07"], cell["N2-02"], 10),
        (cell["N2-07"], cell["N2-03"], 8),
        (my_th["N2-05"], my_th["N2-08"], 9),
        (my_th["N2-08"], my_main["N2-06"], 7),
        (cell["N2-04"], my_th["N2-08"], 6),
        (cell["N2-02"], my_th["N2-05"], 5),
        (cell["N2-01"], my_th["N2-06"], 6),
        (my_th["N2-06"], my_th["N2-08"], 4),
    ]
    for member in ("N2-01", "N2-02", "N2-03", "N2-04", "N2-07", "N2-09"):
        for leaf in cast.leaves_of(member):
            pairs.append((cell[member], leaf.phones[0], rng.randint(2, 8)))
    people = [x for x in cast.unrelated() if x.nationality in ("TH", "MY", "SG")]
    pairs += background_pairs(rng, people, 420)
    calls = call_rows(rng, pairs, count_sms=False)
    network = {p.e164 for k in cell for p in h[k].phones} | {
        p.e164 for k in my_th for p in h[k].phones
    }
    rows: list[CsvRow] = []
    for when, a, b, seconds, _ in calls:
        row = [
            render(rng, a, "TH"),
            render(rng, b, "TH"),
            when.strftime("%Y-%m-%d %H:%M:%S"),
            str(seconds),
            "",
            "",
            "",
        ]
        if a.region == "TH":
            site = (
                rng.pick(NET2_CELLS)
                if a.e164 in network
                else rng.pick([c for c in CELL_SITES if c not in NET2_CELLS or rng.random() < 0.2])
            )
            lat, lon = CELL_SITES[site]
            row[4:] = [site, f"{lat:.4f}", f"{lon:.4f}"]
        rows.append((when, row, None))
    # Bad records: a decimal comma in a latitude, a service short code as the callee.
    sadao = CELL_SITES["SD-0021"]
    rows.append(
        (
            datetime(2025, 7, 3, 22, 41, 5),
            [
                render(rng, cell["N2-03"], "TH"),
                render(rng, cell["N2-01"], "TH"),
                "2025-07-03 22:41:05",
                "37",
                "SD-0021",
                f"{sadao[0]:.4f}".replace(".", ","),
                f"{sadao[1]:.4f}",
            ],
            "decimal comma in the cell latitude",
        )
    )
    tourist = rng.pick([x for x in people if x.nationality == "TH"])
    rows.append(
        (
            datetime(2025, 8, 20, 13, 2, 44),
            [
                render(rng, tourist.phones[0], "TH"),
                "1191",
                "2025-08-20 13:02:44",
                "95",
                "BK-1203",
                "13.7563",
                "100.5018",
            ],
            "service short code 1191 is not a phone number",
        )
    )
    rows.sort(key=lambda row: row[0])
    out = [(i, [f"TH{i:07d}", *row], bad) for i, (_, row, bad) in enumerate(rows, start=1)]
    header = [
        "rec_id",
        "a_party",
        "b_party",
        "start_time",
        "duration",
        "a_cell_id",
        "a_cell_lat",
        "a_cell_lon",
    ]
    output.write_csv(truth, header, out, delimiter="\t")
