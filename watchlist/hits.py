"""Watchlist hits: new records, and new network memberships, touching a watched node.

* a **record hit**: source records loaded by the period's ingest runs assert the
  watched node. Every record that mentions an identifier asserts its node (the
  mapping creates both ends of a call, a transfer...), so the node's own
  provenance (its Evidence, whose indexed ids begin with `Label:id`) finds them all; a record
  loaded again is not new (its Evidence keeps the run that first loaded it);
* a **network hit**: in the current analysis run the watched person, or a person
  holding the watched identifier, is in a network that did not hold any of them
  in the baseline run (a new network, or one they joined).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from neo4j import Driver, RoutingControl

from analytics.roles import Roles
from core.values import native
from graph_schema.provenance import EVIDENCE_DATASET, IDENTITY_PROPERTY, evidence_of
from watchlist.entries import WatchEntry


@dataclass
class RecordHit:
    """New source records asserting a watched node."""

    entry: WatchEntry
    records: int
    datasets: list[str]
    ingest_runs: list[str]
    first_seen: datetime | None
    last_seen: datetime | None


@dataclass
class NetworkHit:
    """A watched node in a network that did not hold it in the baseline run."""

    entry: WatchEntry
    network_id: str
    people: list[str] = field(default_factory=list)


def record_hits(
    driver: Driver,
    database: str,
    entries: list[WatchEntry],
    ingest_runs: list[str],
) -> list[RecordHit]:
    """Record hits of `entries` among the records first loaded by `ingest_runs`."""
    if not entries or not ingest_runs:
        return []
    by_fact = {e.id: e for e in entries}
    records, _, _ = driver.execute_query(
        f"UNWIND $facts AS fact {evidence_of('fact')} AND e.run IN $runs "
        "RETURN fact, count(e) AS records, "
        f"collect(DISTINCT {EVIDENCE_DATASET}) AS datasets, "
        "collect(DISTINCT e.run) AS runs, min(e.seen) AS first, max(e.seen) AS last "
        "ORDER BY fact",
        facts=sorted(by_fact),
        runs=ingest_runs,
        database_=database,
        routing_=RoutingControl.READ,
    )
    return [
        RecordHit(
            entry=by_fact[r["fact"]],
            records=r["records"],
            datasets=sorted(r["datasets"]),
            ingest_runs=sorted(r["runs"]),
            first_seen=native(r["first"]),
            last_seen=native(r["last"]),
        )
        for r in records
    ]


def holders(
    driver: Driver, roles: Roles, database: str, entries: list[WatchEntry]
) -> dict[str, set[str]]:
    """For each entry (by id), the people it stands for: itself, or who holds it."""
    out: dict[str, set[str]] = {e.id: set() for e in entries}
    by_label: dict[str, list[WatchEntry]] = defaultdict(list)
    for e in entries:
        if e.label in roles.persons:
            out[e.id].add(e.node_id)
        else:
            by_label[e.label].append(e)
    persons = roles.label_union(roles.persons)
    for label, group in sorted(by_label.items()):
        types = sorted({t for t, target in roles.attachments if target == label})
        if label not in roles.identifiers or not types:
            continue
        pattern = "|".join(f"`{t}`" for t in types)
        records, _, _ = driver.execute_query(
            f"MATCH (x:`{label}`) WHERE x.id IN $ids "
            f"MATCH (p:{persons})-[:{pattern}]->(x) "
            "RETURN x.id AS id, collect(DISTINCT p.id) AS people",
            ids=[e.node_id for e in group],
            database_=database,
            routing_=RoutingControl.READ,
        )
        for r in records:
            out[f"{label}:{r['id']}"].update(r["people"])
    return _with_identities(driver, roles, database, out)


def _with_identities(
    driver: Driver, roles: Roles, database: str, people: dict[str, set[str]]
) -> dict[str, set[str]]:
    """Each entry's people with every record of their identities (docs/resolution.md).

    A network names a person by one of its records: a watched record of the same human
    under another source's id must still be found in it.
    """
    ids = sorted(set().union(*people.values())) if people else []
    if not ids:
        return people
    persons = roles.label_union(roles.persons)
    records, _, _ = driver.execute_query(
        f"MATCH (p:{persons}) WHERE p.id IN $ids AND p.`{IDENTITY_PROPERTY}` IS NOT NULL "
        f"MATCH (q:{persons}) WHERE q.`{IDENTITY_PROPERTY}` = p.`{IDENTITY_PROPERTY}` "
        "RETURN p.id AS id, collect(q.id) AS records",
        ids=ids,
        database_=database,
        routing_=RoutingControl.READ,
    )
    same = {r["id"]: set(r["records"]) for r in records}
    return {
        entry: set().union(found, *(same.get(pid, set()) for pid in found))
        for entry, found in people.items()
    }


def network_hits(
    entries: list[WatchEntry],
    people: dict[str, set[str]],
    current: list[dict[str, Any]],
    previous_of: dict[str, list[str]],
    baseline: dict[str, set[str]],
) -> list[NetworkHit]:
    """Network hits: `current` networks ({id, members}) holding an entry's people
    that none of their matched baseline networks (`previous_of`, member sets in
    `baseline`) held."""
    hits = []
    for entry in entries:
        watched = people.get(entry.id, set())
        if not watched:
            continue
        for net in current:
            inside = watched & set(net["members"])
            if not inside:
                continue
            before = set().union(*(baseline.get(p, set()) for p in previous_of.get(net["id"], [])))
            if not (watched & before):
                hits.append(NetworkHit(entry, net["id"], sorted(inside)))
    return hits
