"""Analytics benchmark (not a timed test): projection, detection engines, centrality,
write-back and peak memory on generated graphs with planted small cells.

    .venv/bin/python -m bench.analytics --edges 100000 [--edges 1000000] [--slow]

Runs its own Neo4j (home .linkgraph/bench-analytics-neo4j, port 7698). Each person
uses one phone; each planted person-person link is a call between their phones, so
the person graph read back has the planted structure. `--slow` adds the networkx
and python-louvain engines (tens of seconds on 1M edges) and networkx betweenness.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import igraph as ig

from analytics.centrality import brokers, centrality
from analytics.communities import Detection, detect, modularity
from analytics.planted import planted_cells, recovered_groups
from analytics.projection import project_persons
from analytics.roles import roles_of
from analytics.settings import AnalyticsSettings
from analytics.writeback import write_people
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from linkgraph.db import open_driver
from linkgraph.neo4j_local import LocalNeo4j
from linkgraph.settings import Settings

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


def bench(edges: int, slow: bool, settings: Settings) -> None:
    """One size: generate, load, then measure every step."""
    n = max(1000, edges // 9)
    graph, truth = planted_cells(n, seed=11, background_degree=18.0)
    print(
        f"\n== generated: {graph.vcount()} people, {graph.ecount()} links, "
        f"{max(truth) + 1} planted cells"
    )
    driver = open_driver(settings)
    db = settings.neo4j_database
    model = load_model()
    apply_schema(driver, model, db)
    _, load_s = _timed("load", lambda: _load(driver, graph, db))
    print(f"load into Neo4j (setup, not analysis): {load_s:.1f} s")
    roles = roles_of(model)
    s = AnalyticsSettings(time_budget_s=600)
    pg, proj_s = _timed("projection", lambda: project_persons(driver, roles, s, db))
    g = pg.to_igraph()
    print(f"projection read: {proj_s:.2f} s ({g.vcount()} people, {g.ecount()} links)")
    order = [int(pid.split(":")[1]) for pid in pg.person_ids]
    planted = [truth[v] for v in order]
    engines = ["leiden", "louvain"] + (["python-louvain", "networkx-louvain"] if slow else [])
    results = {}
    for algorithm in engines:
        for size in (0, 80):
            d = Detection(algorithm=algorithm, max_community_size=size, time_budget_s=600)  # type: ignore[arg-type]
            m, sec = _timed(algorithm, lambda d=d: detect(g, d))
            found, total = recovered_groups(m, planted)
            results[(algorithm, size)] = sec
            print(
                f"detect {algorithm:17s} split>{size or 'never':5}: {sec:6.2f} s  "
                f"modularity {modularity(g, m):.4f}  cells recovered {found}/{total}  "
                f"communities {len(set(m))}"
            )
    cent, cent_s = _timed("centrality", lambda: centrality(g, 1, 5000, 256, 600))
    print(f"PageRank + betweenness (256 sampled sources, igraph): {cent_s:.2f} s")
    default = detect(g, Detection(time_budget_s=600))
    _bro, bro_s = _timed("brokers", lambda: brokers(g, default, 3))
    print(f"brokers between networks: {bro_s:.2f} s")
    rows = [
        {
            "id": pid,
            "community": default[v],
            "network_id": None,
            "network_rank": None,
            "pagerank": cent.pagerank[v],
            "betweenness": cent.betweenness[v],
            "broker_score": 0.0,
            "run": "bench",
        }
        for v, pid in enumerate(pg.person_ids)
    ]
    _, wb_s = _timed("write", lambda: write_people(driver, roles, rows, 5000, db))
    print(f"write-back of {len(rows)} people: {wb_s:.2f} s")
    total = proj_s + results[("leiden", 80)] + cent_s + bro_s + wb_s
    print(f"full analysis (default engine): {total:.1f} s")
    if slow:
        import networkx as nx

        nxg = nx.Graph(list(g.get_edgelist()))
        _, pr_s = _timed(
            "nx pagerank", lambda: nx.algorithms.link_analysis.pagerank_alg._pagerank_python(nxg)
        )
        print(f"networkx PageRank (pure Python; its default needs scipy): {pr_s:.2f} s")
        for algorithm in ("python-louvain", "networkx-louvain"):
            ratio = results[(algorithm, 0)] / results[("leiden", 0)]
            print(f"leiden is {ratio:.0f}x faster than {algorithm} (no split)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process): {peak:.0f} MiB")
    driver.close()


def main() -> None:
    """Parse arguments, start the benchmark's Neo4j, run each size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edges", type=int, action="append")
    parser.add_argument("--slow", action="store_true")
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
            bench(edges, args.slow, settings)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
