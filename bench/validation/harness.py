"""The analytics validation harness: generated investigations through the whole pipeline.

    .venv/bin/python -m bench.validation.harness [--seeds report|tune|check|A-B]
        [--grid default|noise|full] [--setting NAME ...] [--real] [--out FILE.json]

For every setting of the grid and every seed, a scenario (`bench.validation.scenario`:
rings hidden among a background population, bridging brokers, service numbers, hubs,
overlapping members, messy formats) is generated, loaded through its mappings by the
real loader into the harness's own Neo4j (home `.linkgraph/validation-neo4j`, port
7713) and analysed by `run_analysis` as `linkgraph analyze` runs it. Per setting it
prints the median and minimum ring ARI (over ring members, overlapping members and
brokers left out), each planted broker's rank among the run's brokers, the share of
seeds with every broker in the top 3, and any service-number owner listed among the
top 10 brokers (a connector taken for a broker) or missing from the connectors.

Seeds: `tune` (1-10) and `check` (1001-1020) are the seeds the analysis was developed
on; `report` (2001-2020) are the seeds whose figures the docs quote, run only once the
analysis was settled, never looked at while tuning.
`--real` adds the real labelled sets of `bench.validation.real_sets` and the karate
club, on the same server.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import igraph as ig
from neo4j import Driver

from analytics.pipeline import AnalysisSummary, run_analysis
from analytics.settings import AnalyticsSettings
from bench.validation.scenario import ScenarioParams, Truth, generate
from bench.validation.wipe import wipe
from core.db import open_driver
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import GraphModel, load_model
from ingest.loader import Loader
from linkgraph.neo4j_local import LocalNeo4j

ROOT = Path(__file__).resolve().parents[2]
SEEDS = {"tune": range(1, 11), "check": range(1001, 1021), "report": range(2001, 2021)}
# The acceptance setting, and the noise sweep around it.
BASE = ScenarioParams(brokers=2, service_numbers=2, noise_share=0.88)
GRIDS: dict[str, dict[str, ScenarioParams]] = {
    "default": {"brokers2-services2-noise88": BASE},
    "noise": {
        f"brokers2-services2-noise{round(share * 100)}": replace(BASE, noise_share=share)
        for share in (0.5, 0.7, 0.85, 0.88, 0.95)
    },
    "full": {
        f"brokers{b}-services{s}-noise{round(share * 100)}": replace(
            BASE, brokers=b, service_numbers=s, noise_share=share
        )
        for b in (0, 1, 3)
        for s in (0, 3)
        for share in (0.5, 0.95)
    },
}
TOP_BROKERS = 3
TOP_LISTED = 10


@dataclass
class SeedResult:
    """What one seed of one setting gave."""

    seed: int
    ari: float
    broker_ranks: list[int | None]
    connectors_among_top_brokers: list[str]
    connectors_missed: list[str]
    people: int
    links: int
    noise_share: float
    seconds: float
    counts_add_up: bool


@dataclass
class SettingResult:
    """Every seed of one setting, and the figures the harness prints."""

    name: str
    params: dict[str, Any]
    seeds: list[SeedResult] = field(default_factory=list)

    def line(self) -> str:
        """One table row."""
        aris = [s.ari for s in self.seeds]
        ranks = [s.broker_ranks for s in self.seeds]
        with_brokers = [r for r in ranks if r]
        top = [all(x is not None and x <= TOP_BROKERS for x in r) for r in with_brokers]
        every_rank = sorted(x if x is not None else 999 for r in with_brokers for x in r)
        wrong = sum(len(s.connectors_among_top_brokers) for s in self.seeds)
        missed = sum(len(s.connectors_missed) for s in self.seeds)
        top_share = f"{sum(top) / len(top):.0%}" if top else "n/a"
        worst = every_rank[-1] if every_rank else "n/a"
        median_rank = statistics.median(every_rank) if every_rank else "n/a"
        return (
            f"{self.name:34} {len(self.seeds):>5} {statistics.median(aris):>10.3f} "
            f"{min(aris):>7.3f} {top_share:>12} {median_rank!s:>12} {worst!s:>11} "
            f"{wrong:>16} {missed:>17}"
        )


HEADER = (
    f"{'setting':34} {'seeds':>5} {'median ARI':>10} {'min ARI':>7} {'brokers top3':>12} "
    f"{'median rank':>12} {'worst rank':>11} {'conn. in top10':>16} {'conn. not listed':>17}"
)


def ring_ari(summary: AnalysisSummary, truth: Truth) -> float:
    """Adjusted Rand index of the communities against the rings, over ring members
    (overlapping members and brokers left out: they belong to no one ring)."""
    overlapping = {o["person"] for o in truth.overlapping}
    labels, found = [], []
    index = {pid: i for i, pid in enumerate(summary.person_ids)}
    for k, ring in enumerate(truth.rings):
        for pid in ring["members"]:
            if pid in overlapping or pid not in index:
                continue
            labels.append(k)
            found.append(summary.membership[index[pid]])
    return float(ig.compare_communities(labels, found, method="adjusted_rand"))


def score_seed(
    summary: AnalysisSummary, truth: Truth
) -> tuple[list[int | None], list[str], list[str]]:
    """Broker ranks (None: not listed), service owners among the top brokers, and
    service owners not listed as connectors."""
    listed = [summary.person_ids[b.person] for b in summary.brokers]
    ranks = [
        listed.index(b["person"]) + 1 if b["person"] in listed else None for b in truth.brokers
    ]
    owners = {s["owner"] for s in truth.service_numbers}
    wrong = [pid for pid in listed[:TOP_LISTED] if pid in owners]
    connectors = {summary.person_ids[c.person] for c in summary.connectors}
    return ranks, wrong, sorted(owners - connectors)


def run_seed(
    driver: Driver,
    model: GraphModel,
    settings: Settings,
    analytics: AnalyticsSettings,
    params: ScenarioParams,
    seed: int,
) -> SeedResult:
    """Generate, load and analyse one scenario; score what the analysis found."""
    began = time.monotonic()
    database = settings.neo4j_database
    with tempfile.TemporaryDirectory(prefix="linkgraph-validation-") as tmp:
        out = Path(tmp)
        truth = generate(params, seed, out)
        wipe(driver, database)
        loader = Loader.from_settings(driver, model, settings)
        adds_up = True
        for mapping in sorted((out / "mappings").glob("*.yaml")):
            got = loader.load(mapping, rejects_dir=out / "rejects")
            adds_up &= got.records_read == got.records_loaded + got.records_rejected
        summary = run_analysis(driver, model, database, analytics, write=False)
    ranks, wrong, missed = score_seed(summary, truth)
    return SeedResult(
        seed=seed,
        ari=ring_ari(summary, truth),
        broker_ranks=ranks,
        connectors_among_top_brokers=wrong,
        connectors_missed=missed,
        people=summary.run.persons,
        links=summary.run.edges,
        noise_share=float(truth.noise_share_realised),
        seconds=time.monotonic() - began,
        counts_add_up=adds_up,
    )


@contextmanager
def harness_server(home: Path, port: int) -> Iterator[Settings]:
    """The harness's own Neo4j, started for the run and stopped after."""
    settings = Settings(neo4j_home=home, neo4j_port=port, neo4j_heap="1g", neo4j_pagecache="512m")
    server = LocalNeo4j(settings)
    started_here = server.pid() is None
    server.start()
    try:
        yield settings
    finally:
        if started_here:
            server.stop()


def _seeds(spec: str) -> list[int]:
    if spec in SEEDS:
        return list(SEEDS[spec])
    first, _, last = spec.partition("-")
    return list(range(int(first), int(last or first) + 1))


def main(argv: list[str] | None = None) -> int:
    """Run the grid across seeds and print one row per setting."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="report", help="tune, check, report, or a range A-B")
    parser.add_argument("--grid", default="default", choices=sorted(GRIDS))
    parser.add_argument("--setting", action="append", help="only these settings of the grid")
    parser.add_argument("--real", action="store_true", help="also the real labelled sets")
    parser.add_argument("--out", type=Path, help="write every seed's figures here as JSON")
    parser.add_argument("--home", type=Path, default=ROOT / ".linkgraph" / "validation-neo4j")
    parser.add_argument("--port", type=int, default=7713)
    args = parser.parse_args(argv)
    seeds = _seeds(args.seeds)
    grid = {k: v for k, v in GRIDS[args.grid].items() if not args.setting or k in args.setting}
    analytics = AnalyticsSettings()
    model = load_model()
    results: list[SettingResult] = []
    began = time.monotonic()
    with harness_server(args.home, args.port) as settings:
        driver = open_driver(settings)
        try:
            apply_schema(driver, model, settings.neo4j_database)
            for name, params in grid.items():
                result = SettingResult(name, asdict(params))
                for seed in seeds:
                    one = run_seed(driver, model, settings, analytics, params, seed)
                    result.seeds.append(one)
                    _say(
                        f"  {name} seed {seed}: ARI {one.ari:.3f}, brokers {one.broker_ranks}, "
                        f"connectors in top 10 {one.connectors_among_top_brokers}, "
                        f"noise {one.noise_share:.2f}, {one.people} people, {one.seconds:.1f} s"
                    )
                results.append(result)
            real = _real(driver, model, settings, analytics) if args.real else []
        finally:
            driver.close()
    print(f"seeds {args.seeds} ({len(seeds)}), {time.monotonic() - began:.0f} s")
    print(HEADER)
    for result in results:
        print(result.line())
    for row in real:
        print(row)
    if args.out:
        args.out.write_text(json.dumps([asdict(r) for r in results], indent=1))
    return 0


def _real(
    driver: Driver, model: GraphModel, settings: Settings, analytics: AnalyticsSettings
) -> list[str]:
    from bench.validation import real_sets

    scores = real_sets.evaluate(driver, model, settings.neo4j_database, analytics)
    return ["", *real_sets.table(scores).splitlines()]


def _say(text: str) -> None:
    print(text, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
