"""Gathering one report's content from the graph (no files are written here)."""

from __future__ import annotations

import json
import secrets
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from neo4j import Driver

from analytics.roles import Roles, roles_of
from analytics.scores import COMPONENTS
from core.values import native
from graph_schema.loader import GraphModel
from reports import matching as matching_module
from reports import reads
from reports.content import (
    Broker,
    Changes,
    Connector,
    DataQuality,
    Hub,
    IngestRunInfo,
    MaybeSame,
    Methods,
    NetworkInfo,
    Person,
    ReportData,
    RunInfo,
    RunPoint,
    ScoreComponent,
    Summary,
    WatchHit,
    Watchlist,
)
from reports.matching import Matching, Members, match_networks
from reports.settings import ReportSettings
from reports.summary import summary_sentences
from reports.window import Window, resolve_window
from resolution.run import pending_between
from watchlist.entries import WatchEntry, list_entries
from watchlist.hits import holders, network_hits, record_hits

SCORES_DOC = (
    "Each network's score is the weighted mean of named components, each a figure mapped "
    "to 0..1: " + ", ".join(COMPONENTS) + ". The weights are LINKGRAPH_ANALYTICS_SCORE_* "
    "(shown with each network)."
)


def new_report_id(now: datetime) -> str:
    """Readable and unique: UTC creation time, random suffix (also the folder name)."""
    return f"report-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def _run_info(run: dict[str, Any]) -> RunInfo:
    return RunInfo(
        run_id=run["run_id"],
        started_at=native(run.get("started_at")),
        ended_at=native(run.get("ended_at")),
        engine=run.get("engine"),
        algorithm=run.get("algorithm"),
        objective=run.get("objective"),
        resolution=run.get("resolution"),
        seed=run.get("seed"),
        modularity=run.get("modularity"),
        persons=run.get("persons") or 0,
        edges=run.get("edges") or 0,
        communities=run.get("communities") or 0,
        networks=run.get("networks") or 0,
        parameters=json.loads(run.get("parameters") or "{}"),
        versions=json.loads(run.get("versions") or "{}"),
    )


def build_report(
    driver: Driver,
    model: GraphModel,
    database: str,
    settings: ReportSettings | None = None,
    since: str | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> tuple[ReportData, dict[str, dict[str, Any]]]:
    """The report's content, and the graph data of each top network (for its drawing)."""
    s = settings or ReportSettings()
    roles = roles_of(model)
    window = resolve_window(driver, model, database, since)
    current_id = window.current["run_id"]
    say(f"report on analysis run {current_id}")
    current = reads.networks_of(driver, model, database, current_id)
    baseline = (
        reads.networks_of(driver, model, database, window.baseline["run_id"])
        if window.baseline
        else []
    )
    matching = match_networks(
        [Members(n["id"], frozenset(n["members"])) for n in baseline],
        [Members(n["id"], frozenset(n["members"])) for n in current],
        s.match_threshold,
        s.match_min_shared,
    )
    brokers = reads.brokers_of(driver, roles, database, current_id, s.top_brokers)
    connectors = reads.connectors_of(driver, roles, database, current_id, s.top_brokers)
    hub_total, hub_rows = reads.hubs(driver, roles, database, s.top_hubs)
    ingest = reads.ingest_runs_since(driver, model, database, window.since)
    entries = list_entries(driver, model, database)
    runs = [r["run_id"] for r in ingest]
    hits = _watch_hits(driver, database, roles, runs, entries, current, baseline, matching)
    history = reads.run_history(driver, model, database, s.history_runs)

    top = [n["id"] for n in current[: s.top_networks]]
    wanted = {p for n in current if n["id"] in top for p in n["key_people"]}
    for change in matching.changes.values():
        wanted |= set(change.joined) | set(change.left)
    wanted |= {p.id for h in hits for p in h.people}
    names = reads.names_of(driver, roles, database, wanted)
    key_people = sorted({p for n in current if n["id"] in top for p in n["key_people"]})
    pending = pending_between(driver, model, database, key_people)

    def person(pid: str) -> Person:
        named = names.get(pid)
        if named is None:
            return Person(id=pid)
        return Person(id=pid, name=named.name, aliases=named.aliases, records=named.records)

    networks = []
    for n in current:
        change = matching.changes[n["id"]]
        networks.append(
            NetworkInfo(
                id=n["id"],
                community=n["community"],
                rank=n["rank"],
                score=round(float(n.get("score") or 0.0), 4),
                size=n.get("size") or len(n["members"]),
                status=change.status,
                previous=change.previous,
                previous_size=change.previous_size,
                overlap=change.overlap,
                joined=[person(p) for p in change.joined],
                left=[person(p) for p in change.left],
                components={k: ScoreComponent(**v) for k, v in n["components"].items()},
                key_people=[person(p) for p in n["key_people"]],
                maybe_same=[
                    MaybeSame(a=x.a, b=x.b, probability=round(x.probability, 3))
                    for x in pending
                    if x.a in n["key_people"] and x.b in n["key_people"]
                ],
                members=sorted(n["members"]),
            )
        )
    for hit in hits:
        hit.people = [person(p.id) for p in hit.people]
    changes = Changes(dissolved=matching.dissolved)
    for net in networks:
        getattr(changes, net.status).append(net.id)
    quality = _quality(ingest)
    now = datetime.now(UTC)
    data = ReportData(
        report_id=new_report_id(now),
        created_at=now,
        since=window.since,
        analysis_run=_run_info(window.current),
        baseline_run=_run_info(window.baseline) if window.baseline else None,
        summary=Summary(),
        changes=changes,
        networks=networks,
        baseline_network_sizes=sorted(int(n.get("size") or len(n["members"])) for n in baseline),
        top_networks=top,
        brokers=[
            Broker(
                person=Person(id=b["id"], name=b.get("name")),
                broker_score=round(float(b["broker_score"]), 4),
                betweenness=b.get("betweenness"),
                pagerank=b.get("pagerank"),
                network_id=b.get("network_id"),
                network_rank=b.get("network_rank"),
                bridges=list(b.get("bridges") or []),
            )
            for b in brokers
        ],
        connectors=[
            Connector(
                person=Person(id=c["id"], name=c.get("name")),
                networks=list(c.get("networks") or []),
            )
            for c in connectors
        ],
        hubs=[Hub(label=h["label"], id=h["id"], reason=h.get("reason")) for h in hub_rows],
        hub_total=hub_total,
        watchlist=Watchlist(entries=len(entries), hits=hits),
        data_quality=quality,
        history=[
            RunPoint(
                run_id=h["run_id"],
                started_at=native(h["started_at"]),
                networks=h["networks"],
                people_in_networks=h["people"],
                largest=h["largest"],
            )
            for h in history
        ],
        methods=Methods(
            matching=" ".join((matching_module.__doc__ or "").replace("**", "").split()),
            match_threshold=s.match_threshold,
            match_min_shared=s.match_min_shared,
            scores=SCORES_DOC,
            reproduce=_reproduce(window),
        ),
    )
    data.summary = summary_sentences(data)
    drawings = {
        n["id"]: reads.network_graph(
            driver, roles, database, n["members"], s.drawing_max_identifiers
        )
        for n in current
        if n["id"] in top
    }
    return data, drawings


def _watch_hits(
    driver: Driver,
    database: str,
    roles: Roles,
    runs: list[str],
    entries: list[WatchEntry],
    current: list[dict[str, Any]],
    baseline: list[dict[str, Any]],
    matching: Matching,
) -> list[WatchHit]:
    """Record hits among the records first loaded by ingest `runs`, and network hits."""
    if not entries:
        return []
    out = []
    for hit in record_hits(driver, database, entries, runs):
        out.append(
            WatchHit(
                kind="record",
                entry=hit.entry.id,
                label=hit.entry.label,
                node_id=hit.entry.node_id,
                reason=hit.entry.reason,
                records=hit.records,
                datasets=hit.datasets,
                ingest_runs=hit.ingest_runs,
                first_seen=hit.first_seen,
                last_seen=hit.last_seen,
            )
        )
    people = holders(driver, roles, database, entries)
    previous_of = {cid: change.previous for cid, change in matching.changes.items()}
    before = {n["id"]: set(n["members"]) for n in baseline}
    rank = {n["id"]: n["rank"] for n in current}
    for nhit in network_hits(entries, people, current, previous_of, before):
        out.append(
            WatchHit(
                kind="network",
                entry=nhit.entry.id,
                label=nhit.entry.label,
                node_id=nhit.entry.node_id,
                reason=nhit.entry.reason,
                network_id=nhit.network_id,
                network_rank=rank[nhit.network_id],
                network_status=matching.changes[nhit.network_id].status,
                people=[Person(id=p) for p in nhit.people],
            )
        )
    return out


def _quality(runs: list[dict[str, Any]]) -> DataQuality:
    infos = [
        IngestRunInfo(
            run_id=r["run_id"],
            dataset=r["dataset"],
            file=r.get("file"),
            status=r.get("status"),
            started_at=native(r.get("started_at")),
            records_read=r.get("records_read") or 0,
            records_loaded=r.get("records_loaded") or 0,
            records_rejected=r.get("records_rejected") or 0,
            records_filtered=r.get("records_filtered") or 0,
            rejects_file=r.get("rejects_file"),
            reject_reasons=reject_reasons(r.get("rejects_file")),
            error=r.get("error"),
        )
        for r in runs
    ]
    return DataQuality(
        ingest_runs=infos,
        records_read=sum(i.records_read for i in infos),
        records_loaded=sum(i.records_loaded for i in infos),
        records_rejected=sum(i.records_rejected for i in infos),
        failed_runs=sum(1 for i in infos if i.status == "failed"),
    )


def reject_reasons(path: str | None, top: int = 5, limit: int = 100_000) -> dict[str, int]:
    """The `top` commonest reasons among the first `limit` lines of a rejects file."""
    if not path or not Path(path).is_file():
        return {}
    counts: Counter[str] = Counter()
    with Path(path).open(encoding="utf-8") as lines:
        for line in islice(lines, limit):
            try:
                row = json.loads(line)
            except ValueError:
                continue
            field, reason = row.get("field"), str(row.get("reason"))
            # Ingest's reasons mostly name their field already ("phone: cannot ...").
            named = not field or reason.startswith(f"{field}:")
            counts[reason if named else f"{field}: {reason}"] += 1
    return dict(counts.most_common(top))


def _reproduce(window: Window) -> list[str]:
    run = window.current
    steps = [
        f"linkgraph analyze --engine {run.get('engine')} --algorithm {run.get('algorithm')} "
        f"--objective {run.get('objective')} --resolution {run.get('resolution')} "
        f"--max-community-size {run.get('max_community_size')} --seed {run.get('seed')}",
    ]
    since = window.baseline["run_id"] if window.baseline else None
    steps.append("linkgraph report run" + (f" --since {since}" if since else ""))
    return steps
