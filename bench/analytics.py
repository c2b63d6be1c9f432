"""Analytics benchmark (not a timed test): projection, detection engines, centrality,
write-back and peak memory on generated graphs with planted small cells.

    .venv/bin/python -m bench.analytics --edges 100000 [--edges 1000000] [--slow] [--sampling]

Runs its own Neo4j (home .linkgraph/bench-analytics-neo4j, port 7698). Each person
uses one phone; each planted person-person link is a call between their phones, so
the person graph read back has the planted structure. First the full analysis as
`linkgraph analyze` runs it (every stage timed, the total against the 20 s target at
1M edges), then each step alone against its baselines. `--slow` adds igraph's
multilevel Louvain (minutes on 1M edges: see docs/analytics.md), the networkx and
python-louvain engines and networkx PageRank; a detection that passes `--budget`
seconds is reported as not finished and the benchmark goes on. `--sampling` measures how well
betweenness from 16-128 sampled sources ranks people against 1024 sources.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import time
from pathlib import Path

import igraph as ig
import numpy as np

from analytics.brokers import brokers
from analytics.budget import BudgetExceededError
from analytics.centrality import CentralityJob, betweenness_sources
from analytics.communities import Detection, detect, modularity
from analytics.pipeline import run_analysis
from analytics.projection import project_persons
from analytics.roles import roles_of
from analytics.settings import AnalyticsSettings
from analytics.writeback import write_people
from bench.planted import planted_cells, recovered_groups
from core.db import open_driver
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from linkgraph.neo4j_local import LocalNeo4j

ROOT = Path(__file__).resolve().parent.parent


def _load(driver, graph: ig.Graph, database: str) -> None:  # type: ignore[no-untyped-def]
    with driver.session(database=database) as session:
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
    people = [{"p": f"bench:{v}", "f": f"+1555{v:07d}"} for v in range(graph.vcount())]
    for i in range(0, len(people), 20000):
        driver.execute_query(
            "UNWIND $rows AS r CREATE (p:Person {id: r.p, ref: r.p})"
            "-[:USES]->(:Phone {id: r.f, e164: r.f, country: 'CA', hub: false})",
            rows=people[i : i + 20000],
            database_=database,
        )
    calls = [{"a": f"+1555{e.source:07d}", "b": f"+1555{e.target:07d}"} for e in graph.es]
    for i in range(0, len(calls), 20000):
        driver.execute_query(
            "UNWIND $rows AS r MATCH (a:Phone {id: r.a}), (b:Phone {id: r.b}) "
            "CREATE (a)-[:CALLED {record_count: 1}]->(b)",
            rows=calls[i : i + 20000],
            database_=database,
        )


def _timed(label: str, fn):  # type: ignore[no-untyped-def]
    began = time.monotonic()
    value = fn()
    seconds = time.monotonic() - began
    return value, seconds


TARGET_EDGES, TARGET_S = 1_000_000, 20.0


def _cells(membership: list[int], person_ids: list[str], truth: list[int]) -> str:
    planted = [truth[int(pid.split(":")[1])] for pid in person_ids]
    found, total = recovered_groups(membership, planted)
    return f"cells recovered {found}/{total}"


def bench(edges: int, slow: bool, settings: Settings, budget_s: float = 600.0) -> None:
    """One size: generate, load, then measure every step."""
    n = max(1000, edges // 9)
    graph, truth = planted_cells(n, seed=11, background_degree=18.0)
    print(
        f"\n== generated: {graph.vcount()} people, {graph.ecount()} links, "
        f"{max(truth) + 1} planted cells"
    )
    load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    print(f"machine load (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    driver = open_driver(settings)
    db = settings.neo4j_database
    model = load_model()
    apply_schema(driver, model, db)
    _, load_s = _timed("load", lambda: _load(driver, graph, db))
    print(f"load into Neo4j (setup, not analysis): {load_s:.1f} s")
    roles = roles_of(model)
    s = AnalyticsSettings(time_budget_s=600)

    # The full analysis, as `linkgraph analyze` runs it, stage by stage.
    print("full analysis (linkgraph analyze, default engine):")
    summary, total = _timed(
        "analysis", lambda: run_analysis(driver, model, db, s, say=lambda line: print(f"  {line}"))
    )
    run = summary.run
    # The wall clock of the whole call: the stages above plus the run's own bookkeeping.
    print(
        f"full analysis: {total:.1f} s (stages {sum(run.timings.values()):.1f} s) "
        f"for {run.persons} people, {run.edges} links "
        f"(read -> detect -> brokers -> scores -> centrality -> write-back); "
        f"modularity {run.modularity:.4f}, "
        f"{_cells(summary.membership, summary.person_ids, truth)}, {run.networks} networks"
    )
    if edges >= TARGET_EDGES:
        verdict = "met" if total <= TARGET_S else "MISSED"
        print(f"target: full analysis of {edges} edges <= {TARGET_S:g} s: {verdict}")

    # Each step alone, against its baselines, on the same projected graph.
    pg, proj_s = _timed("projection", lambda: project_persons(driver, roles, s, db))
    g = pg.to_igraph()
    print(f"projection read alone: {proj_s:.2f} s ({g.vcount()} people, {g.ecount()} links)")
    engines = ["leiden"] + (["louvain", "python-louvain", "networkx-louvain"] if slow else [])
    results: dict[tuple[str, str], float | None] = {}
    variants = {"alone": (0, 0), "split>80": (80, 0), "split>80+bridged": (80, 3)}
    for algorithm in engines:
        for name, (size, groups) in variants.items():
            d = Detection(
                algorithm=algorithm,  # type: ignore[arg-type]
                max_community_size=size,
                min_group_size=groups,
                time_budget_s=budget_s,
            )
            try:
                m, sec = _timed(algorithm, lambda d=d: detect(g, d))
            except BudgetExceededError:
                results[(algorithm, name)] = None
                print(f"detect {algorithm:17s} {name:17}: did not finish in {budget_s:g} s")
                continue
            results[(algorithm, name)] = sec
            print(
                f"detect {algorithm:17s} {name:17}: {sec:6.2f} s  "
                f"modularity {modularity(g, m):.4f}  {_cells(m, pg.person_ids, truth)}  "
                f"communities {len(set(m))}"
            )
    leiden_alone = results[("leiden", "alone")]
    if leiden_alone:
        print(
            f"full analysis / igraph Leiden alone on the same graph: {total:.1f} s / "
            f"{leiden_alone:.2f} s = {total / leiden_alone:.1f}x"
        )
    k = s.betweenness_samples
    one, one_s = _timed("centrality", lambda: CentralityJob(g, 1, 5000, k, 600, 1).result())
    two, two_s = _timed("centrality", lambda: CentralityJob(g, 1, 5000, k, 600, 2).result())
    same = max(abs(a - b) for a, b in zip(one.betweenness, two.betweenness, strict=True))
    print(
        f"PageRank + betweenness ({k} sampled sources, igraph): 1 process {one_s:.2f} s, "
        f"2 processes {two_s:.2f} s ({one_s / two_s:.1f}x; largest difference {same:.1e})"
    )
    _, old_s = _timed("centrality", lambda: CentralityJob(g, 1, 5000, 256, 600, 1).result())
    print(f"baseline: PageRank + betweenness from 256 sources in 1 process: {old_s:.2f} s")
    default = summary.membership
    _bro, bro_s = _timed("brokers", lambda: brokers(g, default, 3))
    print(f"brokers and connectors alone: {bro_s:.2f} s")
    rows = [
        {
            "id": pid,
            "community": default[v],
            "network_id": None,
            "network_rank": None,
            "pagerank": two.pagerank[v],
            "betweenness": two.betweenness[v],
            "broker_score": 0.0,
            "broker_networks": None,
            "connector_score": None,
            "connector_networks": None,
            "run": "bench",
        }
        for v, pid in enumerate(pg.person_ids)
    ]
    # The full analysis above already wrote every person once (plans compiled, pages warm).
    for batch, threads in ((5000, 1), (s.write_batch_size, 1), (s.write_batch_size, 2)):
        _, wb_s = _timed(
            "write", lambda b=batch, t=threads: write_people(driver, roles, rows, b, db, t)
        )
        print(
            f"write-back of {len(rows)} people, {batch} per transaction, "
            f"{threads} at a time: {wb_s:.2f} s"
        )
    if slow:
        import networkx as nx

        nxg = nx.Graph(list(g.get_edgelist()))
        _, pr_s = _timed(
            "nx pagerank", lambda: nx.algorithms.link_analysis.pagerank_alg._pagerank_python(nxg)
        )
        print(f"networkx PageRank (pure Python; its default needs scipy): {pr_s:.2f} s")
        for algorithm in ("louvain", "python-louvain", "networkx-louvain"):
            other = results[(algorithm, "alone")]
            if other is None or not leiden_alone:
                print(f"{algorithm} (no split) did not finish in {budget_s:g} s")
                continue
            print(f"leiden is {other / leiden_alone:.0f}x faster than {algorithm} (no split)")
    print("machine load (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process): {peak:.0f} MiB")
    driver.close()


def _ranks(values: list[float]) -> np.ndarray:
    """Ranks with ties averaged (Spearman's definition)."""
    a = np.asarray(values, dtype=float)
    order = np.argsort(a, kind="mergesort")
    ordered = a[order]
    starts = np.concatenate(([0], np.flatnonzero(np.diff(ordered)) + 1))
    ends = np.concatenate((starts[1:], [len(a)]))
    ranks = np.empty(len(a))
    ranks[order] = np.repeat((starts + ends - 1) / 2.0, ends - starts)
    return ranks


def sampling(people: int = 30_000, reference: int = 1024) -> None:
    """How well betweenness from k sampled sources ranks people, against `reference` sources.

    A planted-cells graph with mixed link weights (lengths 1/weight, as the analysis
    uses them); Spearman's rank correlation, three sample seeds per k.
    """
    graph, _ = planted_cells(people, seed=5, background_degree=18.0)
    rng = random.Random(3)  # noqa: S311 - a reproducible benchmark graph
    weights = [rng.choice((0.25, 0.5, 0.5, 1.0, 1.0, 1.5, 2.0, 3.0)) for _ in graph.es]
    lengths = [1.0 / w for w in weights]
    n = graph.vcount()
    print(f"\n== betweenness sampling: {n} people, {graph.ecount()} links, mixed weights")
    exact, ref_s = _timed(
        "reference",
        lambda: graph.betweenness(
            directed=False, weights=lengths, sources=betweenness_sources(n, 999, 0, reference)
        ),
    )
    print(f"reference: {reference} sources, {ref_s:.1f} s")
    truth = _ranks(exact)
    for k in (16, 32, 64, 128):
        agreement, took = [], 0.0
        for seed in (1, 2, 3):
            sources = betweenness_sources(n, seed, 0, k)
            found, sec = _timed(
                "sample",
                lambda s=sources: graph.betweenness(directed=False, weights=lengths, sources=s),
            )
            took += sec / 3
            agreement.append(float(np.corrcoef(truth, _ranks(found))[0, 1]))
        print(
            f"{k:4d} sources: Spearman {np.mean(agreement):.3f} "
            f"(seeds {', '.join(f'{a:.3f}' for a in agreement)}), {took:.2f} s each"
        )


def main() -> None:
    """Parse arguments, start the benchmark's Neo4j, run each size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edges", type=int, action="append")
    parser.add_argument("--slow", action="store_true")
    parser.add_argument(
        "--budget", type=float, default=600.0, help="seconds one detection may take (then skipped)"
    )
    parser.add_argument(
        "--sampling",
        action="store_true",
        help="also rank agreement of sampled betweenness against 1024 sources (~2 min)",
    )
    args = parser.parse_args()
    settings = Settings(
        neo4j_home=ROOT / ".linkgraph" / "bench-analytics-neo4j",
        neo4j_port=7698,
        neo4j_heap="2g",
        neo4j_pagecache="1g",
    )
    server = LocalNeo4j(settings)
    print(server.start().describe())
    try:
        for edges in args.edges or [100_000]:
            bench(edges, args.slow, settings, args.budget)
        if args.sampling:
            sampling()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
