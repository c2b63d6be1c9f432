"""Projections out of Neo4j: the weighted person graph, and the raw multi-type graph.

Everything is read in a handful of large streaming queries (one per role of
relationship type, never one per node); the weighting happens here, in Python.

Person-graph weights say how telling a link is:

* a shared identifier (phone, account, wallet) held by k people adds
  `weight_shared / (k - 1)` to each of their pairs: shared by 2 it counts 1,
  shared by 11 a tenth of that (the resource-allocation idea);
* a link between two identifiers (calls, messages, transfers, an account
  registered to a phone) adds `weight_link * log2(1 + records) / (kx * ky)` to each
  pair of their holders: repeated calls count, but with diminishing returns;
* two people seen at one place within `colocation_window_h` add
  `weight_colocation * log2(1 + times) / (k - 1)`, k the people seen there at all;
* an association a source states adds `weight_association` per kind.

Hub identifiers (`hub = true`, ingest/hubs.py) are left out entirely, so a shelter's
phone or an exchange's wallet glues no networks together.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

import igraph as ig
from neo4j import Driver, RoutingControl

from analytics.roles import COUNTRY_PROPERTY, MONEY_PROPERTY, Roles
from analytics.settings import AnalyticsSettings
from ingest.hubs import HUB_PROPERTY

Pair = tuple[int, int]


@dataclass
class Identifier:
    """One (non-hub) identifier and the people attached to it."""

    label: str
    country: str | None
    persons: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class IdentifierLink:
    """Calls, messages or transfers between two identifiers, aggregated per type."""

    source: str
    target: str
    rel_type: str
    records: int
    usd: float


@dataclass
class PersonGraph:
    """The weighted person graph and what the scores need to explain it."""

    person_ids: list[str]
    weights: dict[Pair, float]
    identifiers: dict[str, Identifier]
    links: list[IdentifierLink]
    # Countries of the places each person (or their identifiers) was seen at.
    places_seen: dict[int, set[str]]
    hubs_left_out: int
    read_seconds: float

    def to_igraph(self) -> ig.Graph:
        """An undirected igraph graph, vertex `name` = person id, edge `weight`."""
        pairs = sorted(self.weights)
        graph = ig.Graph(n=len(self.person_ids), edges=pairs)
        graph.vs["name"] = self.person_ids
        graph.es["weight"] = [self.weights[p] for p in pairs]
        return graph


def _label_of(labels: tuple[str, ...]) -> str:
    # The node's label among the ones the model gives this role (an allow-list).
    return f"[l IN labels(x) WHERE l IN {list(labels)!r}][0]"


def _add(weights: dict[Pair, float], a: int, b: int, w: float) -> None:
    if a != b and w > 0:
        key = (a, b) if a < b else (b, a)
        weights[key] = weights.get(key, 0.0) + w


def _read(
    driver: Driver, database: str, query: str, columns: tuple[str, ...], **params: object
) -> list[dict[str, object]]:
    """The rows of `query` (which returns `columns`), fetched as one list of lists.

    The driver builds a Python record per row; 850k records took 15 s where the
    same values as one list took 3 s (bench/analytics graph, 2 cores).
    """
    wrapped = f"CALL () {{ {query} }} RETURN collect([{', '.join(columns)}]) AS rows"
    records, _, _ = driver.execute_query(
        wrapped, params, database_=database, routing_=RoutingControl.READ
    )
    return [dict(zip(columns, row, strict=True)) for row in records[0]["rows"]]


def project_persons(
    driver: Driver, roles: Roles, settings: AnalyticsSettings, database: str
) -> PersonGraph:
    """Read the person graph out of Neo4j (a few streaming queries) and weight it."""
    began = time.monotonic()
    persons = roles.label_union(roles.persons)
    idents = roles.label_union(roles.identifiers)
    not_hub = f"coalesce(x.`{HUB_PROPERTY}`, false) = false"
    person_ids = [
        str(r["id"])
        for r in _read(driver, database, f"MATCH (p:{persons}) RETURN p.id AS id", ("id",))
    ]
    person_ids.sort()  # vertex numbers must not depend on the store's order
    index = {pid: i for i, pid in enumerate(person_ids)}
    identifiers: dict[str, Identifier] = {}
    hubs = _read(
        driver,
        database,
        f"MATCH (x:{idents}) WHERE x.`{HUB_PROPERTY}` RETURN count(x) AS n",
        ("n",),
    )
    if roles.attachments:
        types = "|".join(f"`{t}`" for t, _ in roles.attachments)
        rows = _read(
            driver,
            database,
            f"MATCH (p:{persons})-[:{types}]->(x:{idents}) WHERE {not_hub} "
            f"RETURN DISTINCT p.id AS p, {_label_of(roles.identifiers)} AS label, x.id AS x, "
            f"x.`{COUNTRY_PROPERTY}` AS country",
            ("p", "label", "x", "country"),
        )
        for row in rows:
            key = f"{row['label']}:{row['x']}"
            ident = identifiers.setdefault(
                key, Identifier(str(row["label"]), str(row["country"]) if row["country"] else None)
            )
            ident.persons.add(index[str(row["p"])])
    weights: dict[Pair, float] = {}
    for ident in identifiers.values():
        holders = sorted(ident.persons)
        share = settings.weight_shared / (len(holders) - 1) if len(holders) > 1 else 0.0
        for n, a in enumerate(holders):
            for b in holders[n + 1 :]:
                _add(weights, a, b, share)

    links = _read_links(driver, roles, database, not_hub)
    for link in links:
        src, dst = identifiers.get(link.source), identifiers.get(link.target)
        if src is None or dst is None:
            continue
        w = (
            settings.weight_link
            * math.log2(1 + link.records)
            / (len(src.persons) * len(dst.persons))
        )
        for a in src.persons:
            for b in dst.persons:
                _add(weights, a, b, w)

    places_seen = _colocate(driver, roles, settings, database, index, identifiers, weights)

    for rel_type in roles.associations:
        rows = _read(
            driver,
            database,
            f"MATCH (a:{persons})-[r:`{rel_type}`]-(b:{persons}) WHERE a.id < b.id "
            "RETURN a.id AS a, b.id AS b, count(r) AS n",
            ("a", "b", "n"),
        )
        for row in rows:
            w = settings.weight_association * float(row["n"])  # type: ignore[arg-type]
            _add(weights, index[str(row["a"])], index[str(row["b"])], w)

    return PersonGraph(
        person_ids=person_ids,
        weights=weights,
        identifiers=identifiers,
        links=links,
        places_seen=places_seen,
        hubs_left_out=int(hubs[0]["n"]),  # type: ignore[call-overload]
        read_seconds=time.monotonic() - began,
    )


def _read_links(driver: Driver, roles: Roles, database: str, not_hub: str) -> list[IdentifierLink]:
    if not roles.links:
        return []
    idents = roles.label_union(roles.identifiers)
    types = "|".join(f"`{t}`" for t in roles.links)
    y_not_hub = not_hub.replace("x.", "y.")
    money = f"sum(coalesce(r.`{MONEY_PROPERTY}`, 0.0))"
    rows = _read(
        driver,
        database,
        f"MATCH (x:{idents})-[r:{types}]->(y:{idents}) WHERE {not_hub} AND {y_not_hub} "
        f"WITH {_label_of(roles.identifiers)} AS lx, x.id AS x, "
        f"[l IN labels(y) WHERE l IN {list(roles.identifiers)!r}][0] AS ly, y.id AS y, "
        "type(r) AS t, r "
        f"RETURN lx, x, ly, y, t, sum(coalesce(r.record_count, 1)) AS records, {money} AS usd",
        ("lx", "x", "ly", "y", "t", "records", "usd"),
    )
    return [
        IdentifierLink(
            source=f"{row['lx']}:{row['x']}",
            target=f"{row['ly']}:{row['y']}",
            rel_type=str(row["t"]),
            records=int(row["records"]),  # type: ignore[call-overload]
            usd=float(row["usd"]),  # type: ignore[arg-type]
        )
        for row in rows
    ]


def _colocate(
    driver: Driver,
    roles: Roles,
    settings: AnalyticsSettings,
    database: str,
    index: dict[str, int],
    identifiers: dict[str, Identifier],
    weights: dict[Pair, float],
) -> dict[int, set[str]]:
    """Add co-sighting weights; return the countries each person was seen in."""
    seen: dict[int, set[str]] = defaultdict(set)
    if not roles.sightings or not roles.places:
        return seen
    places = roles.label_union(roles.places)
    who = roles.persons + roles.identifiers
    window = settings.colocation_window_h * 3600.0
    visits: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for rel_type, at in roles.sightings:
        rows = _read(
            driver,
            database,
            f"MATCH (x)-[r:`{rel_type}`]->(l:{places}) "
            f"WHERE coalesce(l.`{HUB_PROPERTY}`, false) = false "
            f"AND coalesce(x.`{HUB_PROPERTY}`, false) = false AND r.`{at}` IS NOT NULL "
            f"RETURN {_label_of(who)} AS label, x.id AS x, l.id AS l, "
            f"l.`{COUNTRY_PROPERTY}` AS country, r.`{at}`.epochSeconds AS t",
            ("label", "x", "l", "country", "t"),
        )
        for row in rows:
            label, xid = str(row["label"]), str(row["x"])
            if label in roles.persons:
                holders = {index[xid]} if xid in index else set()
            else:
                ident = identifiers.get(f"{label}:{xid}")
                holders = ident.persons if ident else set()
            for person in holders:
                visits[str(row["l"])].append((float(row["t"]), person))  # type: ignore[arg-type]
                if row["country"]:
                    seen[person].add(str(row["country"]))
    for place_visits in visits.values():
        place_visits.sort()
        people = len({p for _, p in place_visits})
        if people < 2:
            continue
        together: dict[Pair, int] = defaultdict(int)
        start = 0
        for end, (t, person) in enumerate(place_visits):
            while place_visits[start][0] < t - window:
                start += 1
            for _, other in place_visits[start:end]:
                if other != person:
                    together[(min(person, other), max(person, other))] += 1
        for (a, b), times in together.items():
            _add(weights, a, b, settings.weight_colocation * math.log2(1 + times) / (people - 1))
    return seen


def project_raw(driver: Driver, roles: Roles, database: str) -> ig.Graph:
    """The raw multi-type graph of every entity: vertex `label`, `name`; edge `type`."""
    labels = roles.persons + roles.identifiers
    nodes = _read(
        driver,
        database,
        f"MATCH (x:{roles.label_union(labels)}) "
        f"RETURN {_label_of(labels)} AS label, x.id AS id, elementId(x) AS eid",
        ("label", "id", "eid"),
    )
    position = {str(row["eid"]): i for i, row in enumerate(nodes)}
    types = sorted(
        {t for t, _ in roles.attachments}
        | set(roles.links)
        | set(roles.associations)
        | {t for t, _ in roles.sightings}
    )
    edges = _read(
        driver,
        database,
        f"MATCH (a)-[r:{'|'.join(f'`{t}`' for t in types)}]->(b) "
        "RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS t",
        ("a", "b", "t"),
    )
    kept = [e for e in edges if str(e["a"]) in position and str(e["b"]) in position]
    graph = ig.Graph(
        n=len(nodes),
        edges=[(position[str(e["a"])], position[str(e["b"])]) for e in kept],
        directed=True,
    )
    graph.vs["label"] = [row["label"] for row in nodes]
    graph.vs["name"] = [row["id"] for row in nodes]
    graph.es["type"] = [e["t"] for e in kept]
    return graph
