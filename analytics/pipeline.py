"""One analysis run: projection, communities, centrality, brokers, scores, write-back.

`run_analysis` is what `linkgraph analyze` and `linkgraph demo` call. Every step is
timed and recorded on the run's `AnalysisRun` node; a failure marks the run failed
(with its error) and is raised again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import igraph as ig
from neo4j import Driver

from analytics.brokers import Broker, Brokerage, Connector, brokers
from analytics.centrality import Centrality, CentralityJob
from analytics.communities import (
    Detection,
    canonical,
    detect,
    modularity,
    split_bridged,
    split_large,
)
from analytics.gc_pause import paused_gc
from analytics.gds import GdsGraph, gds_version
from analytics.projection import PersonGraph, project_persons
from analytics.roles import Roles, roles_of
from analytics.runs import (
    RunRecord,
    bookkeeping_labels,
    latest_run,
    new_run_id,
    previous_networks,
    save_run,
)
from analytics.scores import NetworkScore, score_networks
from analytics.settings import AnalyticsSettings
from analytics.writeback import write_networks, write_people
from graph_schema.loader import GraphModel

TOP_BROKERS = 10


@dataclass
class AnalysisSummary:
    """What a run found, for people and for tests."""

    run: RunRecord
    person_ids: list[str]
    membership: list[int]
    networks: list[NetworkScore]
    brokers: list[Broker]
    centrality: Centrality
    connectors: list[Connector] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    def community_of(self, person_id: str) -> int:
        """The community of one person."""
        return self.membership[self.person_ids.index(person_id)]

    def describe(self, top: int = 5) -> str:
        """The run summary: counts, then the top networks by score with their key people."""
        r = self.run
        q = f"{r.modularity:.4f}" if r.modularity is not None else "n/a"
        lines = [
            f"analysis {r.run_id}: {r.status} in {sum(r.timings.values()):.1f} s "
            f"(engine {r.engine}, {r.algorithm}, {r.objective} resolution {r.resolution:g}, "
            f"seed {r.seed})",
            f"person graph: {r.persons} people, {r.edges} links; {r.communities} communities, "
            f"{r.networks} networks of {self.run.parameters['min_network_size']}+ people; "
            f"modularity {q}",
        ]
        for net in self.networks[:top]:
            why = ", ".join(
                f"{k} {c['figure']:g}" for k, c in net.components.items() if c["value"] > 0
            )
            people = ", ".join(self._who(p) for p in net.key_people[:4])
            lines.append(f"#{net.rank} network {net.community}: score {net.score:.2f} ({why})")
            lines.append(f"    key people: {people}")
        if self.brokers:
            top_b = ", ".join(f"{self._who(b.person)} ({b.score:.2f})" for b in self.brokers[:3])
            lines.append(f"top brokers: {top_b}")
        if self.connectors:
            top_c = ", ".join(
                f"{self._who(c.person)} ({len(c.networks)} networks)" for c in self.connectors[:3]
            )
            lines.append(f"connectors (not brokers): {top_c}")
        return "\n".join(lines)

    def _who(self, person: int) -> str:
        pid = self.person_ids[person]
        name = self.names.get(pid)
        return f"{name} [{pid}]" if name else pid


def _gds_engine(
    driver: Driver,
    model: GraphModel,
    person_graph: PersonGraph,
    graph: ig.Graph,
    detection: Detection,
    s: AnalyticsSettings,
    database: str,
) -> tuple[list[int], Centrality]:
    roles = roles_of(model)
    ids = person_graph.person_ids
    with GdsGraph(driver, roles, person_graph, database) as gds:
        found = gds.communities(detection.algorithm, detection.resolution, detection.seed)
        pagerank = gds.pagerank()
        sampled = len(ids) > s.betweenness_exact_max
        between = gds.betweenness(s.betweenness_samples if sampled else None, s.seed)
    # People without links are not in the GDS graph: each is its own community.
    offset = max(found.values(), default=-1) + 1
    membership = [found.get(pid, offset + i) for i, pid in enumerate(ids)]
    if detection.max_community_size and detection.algorithm != "wcc":
        refine = Detection(
            "leiden",
            "modularity",
            detection.resolution,
            detection.seed,
            detection.max_community_size,
            detection.time_budget_s,
        )
        membership = split_large(graph, membership, refine)
    if detection.min_group_size and detection.algorithm != "wcc":
        membership = split_bridged(graph, membership, detection.min_group_size)
    cent = Centrality(
        degree=list(graph.degree()),
        strength=list(graph.strength(weights="weight")),
        pagerank=[pagerank.get(pid, 0.0) for pid in ids],
        betweenness=[between.get(pid, 0.0) for pid in ids],
        betweenness_sampled=sampled,
    )
    return canonical(membership), cent


def run_analysis(
    driver: Driver,
    model: GraphModel,
    database: str,
    settings: AnalyticsSettings | None = None,
    say: Callable[[str], None] = lambda _: None,
    write: bool = True,
) -> AnalysisSummary:
    """Run the whole analysis on the graph in `database`; record it and write it back."""
    with paused_gc():
        return _run_analysis(driver, model, database, settings or AnalyticsSettings(), say, write)


def _run_analysis(
    driver: Driver,
    model: GraphModel,
    database: str,
    s: AnalyticsSettings,
    say: Callable[[str], None],
    write: bool,
) -> AnalysisSummary:
    roles = roles_of(model)
    _, network_label = bookkeeping_labels(model)
    now = datetime.now(UTC)
    detection = Detection(
        s.algorithm,
        s.objective,
        s.resolution,
        s.seed,
        s.max_community_size,
        s.time_budget_s,
        s.min_network_size,
    )
    run = RunRecord(
        run_id=new_run_id(now),
        started_at=now,
        engine=s.engine,
        algorithm=s.algorithm,
        objective=s.objective,
        resolution=s.resolution,
        max_community_size=s.max_community_size,
        seed=s.seed,
        parameters=s.model_dump(mode="json"),
    )
    if s.engine == "gds":
        run.versions["gds"] = gds_version(driver, database)
    previous = latest_run(driver, model, database)
    if write:
        save_run(driver, model, run, database)
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        run.timings[step] = time.monotonic() - clock
        say(f"  {step}: {run.timings[step]:.2f} s")
        clock = time.monotonic()

    job: CentralityJob | None = None
    try:
        say("projection: reading the person graph ...")
        person_graph = project_persons(driver, roles, s, database)
        if person_graph.tie_model is not None:
            run.parameters["tie_model"] = person_graph.tie_model.describe()
        graph = person_graph.to_igraph()
        run.persons, run.edges = graph.vcount(), graph.ecount()
        lap("projection")
        say(f"communities and centrality ({s.engine}, {s.algorithm}) on {run.persons} people ...")
        if s.engine == "gds":
            membership, cent = _gds_engine(
                driver, model, person_graph, graph, detection, s, database
            )
        else:
            # Betweenness (the longest step) runs in child processes while the
            # communities, brokers and scores are found; it is awaited before write-back.
            job = CentralityJob(
                graph, s.seed, s.betweenness_exact_max, s.betweenness_samples, s.time_budget_s
            )
            membership = detect(graph, detection)
        run.modularity = modularity(graph, membership)
        lap("communities" if job else "communities+centrality")
        brokerage = brokers(graph, membership, s.min_network_size)
        found_brokers, found_connectors = brokerage.brokers, brokerage.connectors
        lap("brokers")
        pagerank = job.pagerank() if job else cent.pagerank
        old = previous_networks(driver, model, previous["run_id"], database) if previous else None
        top = [b.person for b in found_brokers[:TOP_BROKERS]]
        networks = score_networks(person_graph, membership, pagerank, top, old, roles, s)
        run.communities = len(set(membership))
        run.networks = len(networks)
        lap("scores")
        with ThreadPoolExecutor(1, thread_name_prefix="write-networks") as side:
            # The Network nodes need nothing from betweenness: they are written while
            # it ends, and the people (who carry it) after. (Should the run fail now,
            # its Network nodes stay, under its run id; readers take completed runs.)
            networks_written = (
                side.submit(
                    write_networks,
                    driver,
                    network_label,
                    _network_rows(run, person_graph.person_ids, networks, found_connectors),
                    s.write_batch_size,
                    database,
                )
                if write
                else None
            )
            if job:
                cent = job.result()
                lap("centrality")  # the part of betweenness not overlapped by the steps above
            if networks_written:
                say(f"write-back: {run.persons} people, {run.networks} networks ...")
                people = _people_rows(run, person_graph, membership, cent, brokerage, networks)
                write_people(driver, roles, people, s.write_batch_size, database)
                networks_written.result()
                lap("write-back")
        run.status = "completed"
    except BaseException as error:
        run.status, run.error = "failed", f"{type(error).__name__}: {error}"
        raise
    finally:
        if job:
            job.cancel()
        run.ended_at = datetime.now(UTC)
        if write:
            save_run(driver, model, run, database)
    names = _names(driver, roles, person_graph, networks, found_brokers, database)
    return AnalysisSummary(
        run,
        person_graph.person_ids,
        membership,
        networks,
        found_brokers,
        cent,
        found_connectors,
        names,
    )


def _people_rows(
    run: RunRecord,
    person_graph: PersonGraph,
    membership: list[int],
    cent: Centrality,
    brokerage: Brokerage,
    networks: list[NetworkScore],
) -> list[dict[str, Any]]:
    """What write-back sets on each person."""
    by_community = {n.community: n for n in networks}
    broker_of = {b.person: b for b in brokerage.brokers}
    connector_of = {c.person: c for c in brokerage.connectors}

    def network_ids(communities: tuple[int, ...]) -> list[str]:
        return [f"{run.run_id}:{c}" for c in communities if c in by_community]

    people: list[dict[str, Any]] = []
    for v in range(len(person_graph.person_ids)):
        net = by_community.get(membership[v])
        row = {
            "community": membership[v],
            "network_id": f"{run.run_id}:{net.community}" if net else None,
            "network_rank": net.rank if net else None,
            "pagerank": cent.pagerank[v],
            "betweenness": cent.betweenness[v],
            "broker_score": float(brokerage.score[v]),
            # Lists and the connector score only where there is one: a null
            # clears an earlier run's value and costs the store nothing.
            "broker_networks": network_ids(broker_of[v].networks) if v in broker_of else None,
            "connector_score": (
                float(len(connector_of[v].networks)) if v in connector_of else None
            ),
            "connector_networks": (
                network_ids(connector_of[v].networks) if v in connector_of else None
            ),
            "run": run.run_id,
        }
        # Every record of an identity carries its person's values.
        people.extend({**row, "id": pid} for pid in person_graph.records_of(v))
    return people


def _network_rows(
    run: RunRecord, ids: list[str], networks: list[NetworkScore], found: list[Connector]
) -> list[dict[str, Any]]:
    """One row per Network node of the run."""
    contacted: dict[int, list[str]] = {}
    for c in found:
        for community in c.networks:
            contacted.setdefault(community, []).append(ids[c.person])
    return [
        {
            "id": f"{run.run_id}:{n.community}",
            "run_id": run.run_id,
            "community": n.community,
            "rank": n.rank,
            "score": n.score,
            "components": n.components,
            "size": len(n.members),
            "members": [ids[p] for p in n.members],
            "key_people": [ids[p] for p in n.key_people],
            "connectors": contacted.get(n.community, []),
        }
        for n in networks
    ]


def _names(
    driver: Driver,
    roles: Roles,
    person_graph: PersonGraph,
    networks: list[NetworkScore],
    found_brokers: list[Broker],
    database: str,
) -> dict[str, str]:
    wanted = {person_graph.person_ids[p] for n in networks[:10] for p in n.key_people}
    wanted |= {person_graph.person_ids[b.person] for b in found_brokers[:10]}
    records, _, _ = driver.execute_query(
        f"MATCH (p:{roles.label_union(roles.persons)}) WHERE p.id IN $ids "
        "RETURN p.id AS id, p.name AS name",
        ids=sorted(wanted),
        database_=database,
    )
    return {str(r["id"]): str(r["name"]) for r in records if r["name"]}
