"""Entity resolution benchmark: quality per variant type, and a million records on 2 cores.

Quality: generated investigations (bench/resolution_data.py) whose truth is known, each
true pair tagged with what separates its two records (a nickname, a transliteration, a
typo, swapped name order, a name hundreds share). For each seed the model is estimated
on that seed's records alone and the identities are built at the merge threshold;
pairwise precision and recall are printed overall and per variant type. The baseline,
measured in the same run, is exact matching on the case-folded name and birth date: the
rule a short script would use.

Scale: `--scale N` resolves N streamed records and prints the time of each step, the
peak memory (RSS) and the pairs compared against all pairs.

    .venv/bin/python -m bench.resolution                 # seeds 101-103, 4,000 humans each
    .venv/bin/python -m bench.resolution --scale 1000000 # the million-record run
"""

from __future__ import annotations

import argparse
import logging
import resource
import time
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from bench.resolution_data import VARIANTS, GeneratedSet, generate, iter_records
from resolution.clusters import cluster
from resolution.records import PersonRecord
from resolution.scoring import score
from resolution.settings import ResolutionSettings

Pair = tuple[str, str]


def _pairs(groups: Iterable[list[str]]) -> set[Pair]:
    return {(min(a, b), max(a, b)) for g in groups for a, b in combinations(g, 2)}


def baseline(records: list[PersonRecord]) -> set[Pair]:
    """Exact case-folded name and birth date: the short script's rule."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in records:
        if r.names and r.birth_date:
            groups[(" ".join(r.names[0].casefold().split()), r.birth_date)].append(r.id)
    return _pairs(groups.values())


def measure(found: set[Pair], data: GeneratedSet) -> dict[str, float]:
    """Pairwise precision, recall, and recall per variant type."""
    true = set(data.variant_of_pair)
    hit = found & true
    out = {
        "precision": len(hit) / len(found) if found else 1.0,
        "recall": len(hit) / len(true) if true else 1.0,
    }
    per: dict[str, list[int]] = {v: [0, 0] for v in VARIANTS}
    for pair, variant in data.variant_of_pair.items():
        per[variant][1] += 1
        per[variant][0] += pair in found
    for variant, (got, total) in per.items():
        out[variant] = got / total if total else float("nan")
    # Precision among the records of each variant type: false pairs touching them.
    touched: dict[str, set[str]] = defaultdict(set)
    for (a, b), variant in data.variant_of_pair.items():
        touched[variant] |= {a, b}
    for variant in VARIANTS:
        mine = {p for p in found if p[0] in touched[variant] or p[1] in touched[variant]}
        good = len(mine & true)
        out[f"P:{variant}"] = good / len(mine) if mine else 1.0
    return out


def quality(seeds: list[int], humans: int, settings: ResolutionSettings) -> None:
    """Print precision and recall per seed, per variant type, against the baseline."""
    columns = ["precision", "recall", *VARIANTS]
    print(f"{'seed':>5} {'method':<9} " + " ".join(f"{c[:11]:>11}" for c in columns))
    for seed in seeds:
        data = generate(humans, seed=seed)
        began = time.monotonic()
        scored = score(data.records, settings)
        automatic = [
            (p.a, p.b, p.probability)
            for p in scored.pairs
            if p.probability >= settings.merge_probability
        ]
        found = _pairs(x.members for x in cluster(automatic, []).identities)
        seconds = time.monotonic() - began
        for name, got in (
            ("model", measure(found, data)),
            ("baseline", measure(baseline(data.records), data)),
        ):
            print(f"{seed:>5} {name:<9} " + " ".join(f"{got[c]:>11.3f}" for c in columns))
        model = measure(found, data)
        print(
            "      precision among records of each type: "
            + ", ".join(f"{v} {model['P:' + v]:.3f}" for v in VARIANTS)
        )
        print(
            f"      {len(data.records)} records, {scored.pairs_compared} pairs compared of "
            f"{scored.all_pairs} ({scored.pairs_compared / scored.all_pairs:.1e}), "
            f"{seconds:.1f} s"
        )


def scale(n: int, settings: ResolutionSettings) -> None:
    """Resolve `n` streamed records; print time per step, peak memory and pairs compared."""
    began = time.monotonic()
    records = list(iter_records(n, seed=7))
    generated = time.monotonic() - began
    began = time.monotonic()
    scored = score(records, settings)
    automatic = [
        (p.a, p.b, p.probability)
        for p in scored.pairs
        if p.probability >= settings.merge_probability
    ]
    identities = cluster(automatic, []).identities
    total = time.monotonic() - began
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"records: {len(records)} (generated in {generated:.1f} s, not counted)")
    print(
        f"resolution: {total:.1f} s in all; steps (s): "
        + ", ".join(f"{k} {v:.1f}" for k, v in scored.seconds.items())
    )
    print(
        f"pairs compared: {scored.pairs_compared} of {scored.all_pairs} "
        f"({scored.pairs_compared / scored.all_pairs:.2e} of all pairs)"
    )
    print(
        f"candidates >= review: {len(scored.pairs)}; automatic: {len(automatic)}; "
        f"identities: {len(identities)}"
    )
    print(f"peak memory (RSS): {peak_gib:.2f} GiB")


def main() -> None:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[101, 102, 103])
    parser.add_argument("--humans", type=int, default=4000)
    parser.add_argument("--scale", type=int, help="Resolve this many streamed records.")
    args = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    settings = ResolutionSettings()
    if args.scale:
        scale(args.scale, settings)
    else:
        quality(args.seeds, args.humans, settings)


if __name__ == "__main__":
    main()
