"""What a report reads from the graph: networks, brokers, hubs, ingest runs, names.

Labels and relationship types come from the model (analytics' roles), never
from input; every value travels as a parameter.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from neo4j import Driver, RoutingControl

from analytics.roles import Roles
from analytics.runs import NETWORK_LABEL
from analytics.writeback import PersonResult as P
from graph_schema.bookkeeping import ANALYSIS_RUN_LABEL, INGEST_RUN_LABEL
from graph_schema.loader import GraphModel
from graph_schema.provenance import HUB_PROPERTY
from reports.window import iso


def _read(driver: Driver, database: str, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(
        query, params, database_=database, routing_=RoutingControl.READ
    )
    return [dict(r) for r in records]


def networks_of(
    driver: Driver, model: GraphModel, database: str, run_id: str
) -> list[dict[str, Any]]:
    """The Network nodes of one analysis run, best rank first (components parsed)."""
    label = model.node(NETWORK_LABEL).label
    rows = _read(
        driver,
        database,
        f"MATCH (n:`{label}` {{run_id: $run}}) RETURN n {{.*}} AS n ORDER BY n.rank",
        run=run_id,
    )
    out = []
    for row in rows:
        net = dict(row["n"])
        net["components"] = json.loads(net.get("components") or "{}")
        net["members"] = list(net.get("members") or [])
        net["key_people"] = list(net.get("key_people") or [])
        out.append(net)
    return out


def run_history(
    driver: Driver, model: GraphModel, database: str, limit: int
) -> list[dict[str, Any]]:
    """The latest completed analysis runs, oldest first, with their networks' sizes."""
    runs = model.node(ANALYSIS_RUN_LABEL).label
    networks = model.node(NETWORK_LABEL).label
    return _read(
        driver,
        database,
        f"MATCH (r:`{runs}`) WHERE r.status = 'completed' "
        "WITH r ORDER BY r.started_at DESC LIMIT $limit "
        f"OPTIONAL MATCH (n:`{networks}` {{run_id: r.run_id}}) "
        "RETURN r.run_id AS run_id, r.started_at AS started_at, count(n) AS networks, "
        "coalesce(sum(n.size), 0) AS people, coalesce(max(n.size), 0) AS largest "
        "ORDER BY started_at",
        limit=limit,
    )


def brokers_of(
    driver: Driver, roles: Roles, database: str, run_id: str, limit: int
) -> list[dict[str, Any]]:
    """People of run `run_id` with the highest broker scores (written back on them)."""
    return _read(
        driver,
        database,
        f"MATCH (p:{roles.label_union(roles.persons)}) "
        f"WHERE p.{P.ANALYSIS_RUN} = $run AND p.{P.BROKER_SCORE} > 0 "
        f"RETURN p.id AS id, p.name AS name, p.{P.BROKER_SCORE} AS broker_score, "
        f"p.{P.BETWEENNESS} AS betweenness, p.{P.PAGERANK} AS pagerank, "
        f"p.{P.NETWORK_ID} AS network_id, p.{P.NETWORK_RANK} AS network_rank, "
        f"coalesce(p.{P.BROKER_NETWORKS}, []) AS bridges "
        f"ORDER BY p.{P.BROKER_SCORE} DESC, p.id LIMIT $limit",
        run=run_id,
        limit=limit,
    )


def connectors_of(
    driver: Driver, roles: Roles, database: str, run_id: str, limit: int
) -> list[dict[str, Any]]:
    """People of run `run_id` that several networks contact as a service (connectors)."""
    return _read(
        driver,
        database,
        f"MATCH (p:{roles.label_union(roles.persons)}) "
        f"WHERE p.{P.ANALYSIS_RUN} = $run AND p.{P.CONNECTOR_SCORE} > 0 "
        f"RETURN p.id AS id, p.name AS name, p.{P.CONNECTOR_SCORE} AS connector_score, "
        f"p.{P.CONNECTOR_NETWORKS} AS networks "
        f"ORDER BY p.{P.CONNECTOR_SCORE} DESC, p.id LIMIT $limit",
        run=run_id,
        limit=limit,
    )


def hubs(
    driver: Driver, roles: Roles, database: str, limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """(how many identifiers are hubs, the first `limit` of them)."""
    idents = roles.label_union(roles.identifiers)
    if not idents:
        return 0, []
    where = f"WHERE x.`{HUB_PROPERTY}` = true"
    total = _read(driver, database, f"MATCH (x:{idents}) {where} RETURN count(x) AS n")[0]["n"]
    rows = _read(
        driver,
        database,
        f"MATCH (x:{idents}) {where} "
        "RETURN [l IN labels(x) WHERE l IN $labels][0] AS label, x.id AS id, "
        "x.hub_reason AS reason ORDER BY x.id LIMIT $limit",
        labels=list(roles.identifiers),
        limit=limit,
    )
    return int(total), rows


def ingest_runs_since(
    driver: Driver, model: GraphModel, database: str, since: datetime | None
) -> list[dict[str, Any]]:
    """Ingest runs started at or after `since` (all of them when None), oldest first."""
    label = model.node(INGEST_RUN_LABEL).label
    return [
        r["run"]
        for r in _read(
            driver,
            database,
            f"MATCH (r:`{label}`) WHERE $since IS NULL OR r.started_at >= datetime($since) "
            "RETURN r {.*} AS run ORDER BY r.started_at",
            since=iso(since),
        )
    ]


def names_of(driver: Driver, roles: Roles, database: str, ids: set[str]) -> dict[str, str]:
    """Names of the people with these ids (those that have one)."""
    if not ids:
        return {}
    rows = _read(
        driver,
        database,
        f"MATCH (p:{roles.label_union(roles.persons)}) WHERE p.id IN $ids "
        "RETURN p.id AS id, p.name AS name",
        ids=sorted(ids),
    )
    return {str(r["id"]): str(r["name"]) for r in rows if r["name"]}


def network_graph(
    driver: Driver, roles: Roles, database: str, members: list[str], max_identifiers: int
) -> dict[str, Any]:
    """What a network drawing shows: members, the identifiers they hold, the links.

    Identifiers held by two or more members come first (they are what ties the
    network together), then the rest, up to `max_identifiers`; hubs are left out
    as in the analysis. Links are stated associations between members and calls,
    messages or transfers between the drawn identifiers.
    """
    persons = roles.label_union(roles.persons)
    idents = roles.label_union(roles.identifiers)
    attach = "|".join(f"`{t}`" for t in sorted({t for t, _ in roles.attachments}))
    held: list[dict[str, Any]] = []
    if attach and idents:
        held = _read(
            driver,
            database,
            f"MATCH (p:{persons})-[:{attach}]->(x:{idents}) "
            f"WHERE p.id IN $ids AND coalesce(x.`{HUB_PROPERTY}`, false) = false "
            "WITH x, collect(DISTINCT p.id) AS holders "
            "RETURN x.id AS id, [l IN labels(x) WHERE l IN $labels][0] AS label, holders "
            "ORDER BY size(holders) DESC, x.id LIMIT $limit",
            ids=members,
            labels=list(roles.identifiers),
            limit=max_identifiers,
        )
    drawn = [h["id"] for h in held]
    links: list[dict[str, Any]] = []
    if roles.links and drawn:
        types = "|".join(f"`{t}`" for t in roles.links)
        links += _read(
            driver,
            database,
            f"MATCH (a:{idents})-[r:{types}]->(b:{idents}) "
            "WHERE a.id IN $ids AND b.id IN $ids "
            "RETURN a.id AS source, b.id AS target, type(r) AS type, count(r) AS n",
            ids=drawn,
        )
    if roles.associations:
        types = "|".join(f"`{t}`" for t in roles.associations)
        links += _read(
            driver,
            database,
            f"MATCH (a:{persons})-[r:{types}]->(b:{persons}) "
            "WHERE a.id IN $ids AND b.id IN $ids "
            "RETURN a.id AS source, b.id AS target, type(r) AS type, count(r) AS n",
            ids=members,
        )
    return {"members": members, "identifiers": held, "links": links}
