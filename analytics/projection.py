"""Projections out of Neo4j: the weighted person graph, and the raw multi-type graph.

Neo4j is asked only for what it alone holds, in a handful of large reads (one per
relationship type, never one per node): who holds which identifier, and the links
between identifiers. Everything else happens here: identifier keys become integers
once, and the person graph is built and weighted with numpy (the server's Cypher
runtime spent about 10 s grouping 850k links by string keys; numpy groups them in a
fraction of a second).

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
phone or an exchange's wallet glues no networks together: they are not read as
held identifiers, and links to them find no holders.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import igraph as ig
import numpy as np
import numpy.typing as npt
from neo4j import Driver, RoutingControl

from analytics.roles import COUNTRY_PROPERTY, MONEY_PROPERTY, Roles
from analytics.settings import AnalyticsSettings
from ingest.hubs import HUB_PROPERTY

Pair = tuple[int, int]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass
class Identifier:
    """One (non-hub) identifier and the people attached to it."""

    label: str
    country: str | None
    persons: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class IdentifierLink:
    """Transfers between two identifiers, aggregated per type, with their dollar value."""

    source: str
    target: str
    rel_type: str
    records: int
    usd: float


@dataclass
class PersonGraph:
    """The weighted person graph and what the scores need to explain it."""

    person_ids: list[str]
    # One row (a, b), a < b, per linked pair of people, sorted; `weights` alike.
    edges: IntArray
    weights: FloatArray
    identifiers: dict[str, Identifier]
    # Links that moved money (for the scores' money in and out), keys as in `identifiers`.
    money_links: list[IdentifierLink]
    # Countries of the places each person (or their identifiers) was seen at.
    places_seen: dict[int, set[str]]
    hubs_left_out: int
    read_seconds: float

    def to_igraph(self) -> ig.Graph:
        """An undirected igraph graph, vertex `name` = person id, edge `weight`."""
        graph = ig.Graph(n=len(self.person_ids), edges=self.edges.tolist())
        graph.vs["name"] = self.person_ids
        graph.es["weight"] = self.weights.tolist()
        return graph

    def weight(self, a: int, b: int) -> float:
        """The weight of the link between people a and b (0 when they are not linked)."""
        lo, hi = min(a, b), max(a, b)
        at = int(np.searchsorted(self.edges[:, 0], lo))
        end = int(np.searchsorted(self.edges[:, 0], lo, side="right"))
        row = at + int(np.searchsorted(self.edges[at:end, 1], hi))
        return float(self.weights[row]) if row < end and self.edges[row, 1] == hi else 0.0


class _Pairs:
    """Weight contributions to pairs of people, summed per pair at the end."""

    def __init__(self) -> None:
        self.a: list[IntArray] = []
        self.b: list[IntArray] = []
        self.w: list[FloatArray] = []

    def add(self, a: IntArray, b: IntArray, w: FloatArray) -> None:
        self.a.append(np.asarray(a, dtype=np.int64))
        self.b.append(np.asarray(b, dtype=np.int64))
        self.w.append(np.asarray(w, dtype=np.float64))

    def total(self, n: int) -> tuple[IntArray, FloatArray]:
        """Sorted (a, b) rows with a < b, and the summed weight of each."""
        if not self.a:
            return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
        a, b, w = np.concatenate(self.a), np.concatenate(self.b), np.concatenate(self.w)
        keep = (a != b) & (w > 0)
        lo, hi, w = np.minimum(a, b)[keep], np.maximum(a, b)[keep], w[keep]
        keys, inverse = np.unique(lo * n + hi, return_inverse=True)
        edges = np.column_stack((keys // n, keys % n)).astype(np.int64)
        return edges, np.bincount(inverse, weights=w).astype(np.float64)


def _label_of(labels: tuple[str, ...], var: str = "x") -> str:
    # The node's label among the ones the model gives this role (an allow-list).
    return f"[l IN labels({var}) WHERE l IN {list(labels)!r}][0]"


def _read(
    driver: Driver, database: str, query: str, columns: tuple[str, ...]
) -> list[list[object]]:
    """The rows of `query` (which returns `columns`), fetched as one list of lists.

    The driver builds a Python record per row; 850k records took 15 s where the
    same values as one list took 3 s (bench/analytics graph, 2 cores).
    """
    wrapped = f"CALL () {{ {query} }} RETURN collect([{', '.join(columns)}]) AS rows"
    records, _, _ = driver.execute_query(wrapped, database_=database, routing_=RoutingControl.READ)
    return records[0]["rows"]  # type: ignore[no-any-return]


class _Keys:
    """Identifier numbers (in the order first seen) by label and id, and their holders."""

    def __init__(self) -> None:
        self.number: dict[str, dict[str, int]] = defaultdict(dict)
        self.key: list[str] = []
        self.holders: list[list[int]] = []

    def add(self, label: str, xid: str, person: int) -> None:
        numbers = self.number[label]
        at = numbers.setdefault(xid, len(self.key))
        if at == len(self.key):
            self.key.append(f"{label}:{xid}")
            self.holders.append([])
        self.holders[at].append(person)

    def lookup(self, labels: list[str], ids: list[str]) -> IntArray:
        """Numbers of the identifiers, -1 for those nobody holds (or hubs)."""
        if len(set(labels)) == 1:
            get = self.number[labels[0]].get
            return np.asarray([get(x, -1) for x in ids], dtype=np.int64)
        number = self.number
        return np.asarray(
            [
                number[lb].get(x, -1) if lb in number else -1
                for lb, x in zip(labels, ids, strict=True)
            ],
            dtype=np.int64,
        )


def project_persons(
    driver: Driver, roles: Roles, settings: AnalyticsSettings, database: str
) -> PersonGraph:
    """Read the person graph out of Neo4j (a few large reads) and weight it."""
    began = time.monotonic()
    persons = roles.label_union(roles.persons)
    idents = roles.label_union(roles.identifiers)
    person_ids = sorted(
        str(row[0])
        for row in _read(driver, database, f"MATCH (p:{persons}) RETURN p.id AS id", ("id",))
    )  # vertex numbers must not depend on the store's order
    index = {pid: i for i, pid in enumerate(person_ids)}
    hubs = _read(
        driver,
        database,
        f"MATCH (x:{idents}) WHERE x.`{HUB_PROPERTY}` RETURN count(x) AS n",
        ("n",),
    )
    identifiers, keys = _read_holders(driver, roles, database, index)
    pairs = _Pairs()
    _shared(keys, settings, pairs)
    money = _links(driver, roles, settings, database, keys, pairs)
    places_seen = _colocate(driver, roles, settings, database, index, identifiers, pairs)
    for rel_type in roles.associations:
        rows = _read(
            driver,
            database,
            f"MATCH (a:{persons})-[r:`{rel_type}`]-(b:{persons}) WHERE a.id < b.id "
            "RETURN a.id AS a, b.id AS b, count(r) AS n",
            ("a", "b", "n"),
        )
        if rows:
            pairs.add(
                np.fromiter((index[str(r[0])] for r in rows), np.int64, len(rows)),
                np.fromiter((index[str(r[1])] for r in rows), np.int64, len(rows)),
                settings.weight_association * np.asarray([float(r[2]) for r in rows]),  # type: ignore[arg-type]
            )
    edges, weights = pairs.total(len(person_ids))
    return PersonGraph(
        person_ids=person_ids,
        edges=edges,
        weights=weights,
        identifiers=identifiers,
        money_links=money,
        places_seen=places_seen,
        hubs_left_out=int(hubs[0][0]),  # type: ignore[call-overload]
        read_seconds=time.monotonic() - began,
    )


def _read_holders(
    driver: Driver, roles: Roles, database: str, index: dict[str, int]
) -> tuple[dict[str, Identifier], _Keys]:
    """Every non-hub identifier a person is attached to, with its holders."""
    persons = roles.label_union(roles.persons)
    identifiers: dict[str, Identifier] = {}
    keys = _Keys()
    # One read per (type, label): the label is then known without asking for it per row.
    for rel_type, label in roles.attachments:
        rows = _read(
            driver,
            database,
            f"MATCH (p:{persons})-[:`{rel_type}`]->(x:`{label}`) "
            f"WHERE coalesce(x.`{HUB_PROPERTY}`, false) = false "
            f"RETURN x.id AS x, x.`{COUNTRY_PROPERTY}` AS country, p.id AS p",
            ("x", "country", "p"),
        )
        for xid, country, pid in rows:
            key = f"{label}:{xid}"
            ident = identifiers.get(key)
            if ident is None:
                ident = identifiers[key] = Identifier(label, str(country) if country else None)
            person = index[str(pid)]
            if person not in ident.persons:
                ident.persons.add(person)
                keys.add(label, str(xid), person)
    return identifiers, keys


def _shared(keys: _Keys, settings: AnalyticsSettings, pairs: _Pairs) -> None:
    """Pairs of people holding one identifier: `weight_shared / (k - 1)` each."""
    a: list[int] = []
    b: list[int] = []
    w: list[float] = []
    for holders in keys.holders:
        if len(holders) < 2:
            continue
        share = settings.weight_shared / (len(holders) - 1)
        for x, y in combinations(sorted(holders), 2):
            a.append(x)
            b.append(y)
            w.append(share)
    pairs.add(np.asarray(a), np.asarray(b), np.asarray(w))


def _links(
    driver: Driver,
    roles: Roles,
    settings: AnalyticsSettings,
    database: str,
    keys: _Keys,
    pairs: _Pairs,
) -> list[IdentifierLink]:
    """Links between identifiers, weighted onto their holders' pairs; the money links."""
    count = np.asarray([len(h) for h in keys.holders], dtype=np.int64)
    start = np.concatenate(([0], np.cumsum(count)))
    holders = np.asarray([p for h in keys.holders for p in h], dtype=np.int64)
    money: list[IdentifierLink] = []
    for rel_type, sources, targets in roles.link_ends:
        with_usd = rel_type in roles.money_links
        # Only what varies is read: a type between two single labels (the usual case)
        # needs no label per row, and only money links carry dollars.
        columns = {"x": "x.id", "y": "y.id", "records": "coalesce(r.record_count, 1)"}
        if len(sources) > 1:
            columns["lx"] = _label_of(sources, "x")
        if len(targets) > 1:
            columns["ly"] = _label_of(targets, "y")
        if with_usd:
            columns["usd"] = f"coalesce(r.`{MONEY_PROPERTY}`, 0.0)"
        # Money links keep their unheld ends (money from outside), never a hub.
        not_hub = (
            f"WHERE coalesce(x.`{HUB_PROPERTY}`, false) = false "
            f"AND coalesce(y.`{HUB_PROPERTY}`, false) = false "
            if with_usd
            else ""
        )
        rows = _read(
            driver,
            database,
            f"MATCH (x)-[r:`{rel_type}`]->(y) {not_hub}RETURN "
            + ", ".join(f"{expr} AS {name}" for name, expr in columns.items()),
            tuple(columns),
        )
        if not rows:
            continue
        got = dict(zip(columns, zip(*rows, strict=True), strict=True))
        lx = list(got.get("lx", [sources[0]]))
        ly = list(got.get("ly", [targets[0]]))
        x = keys.lookup(lx, list(got["x"]))
        y = keys.lookup(ly, list(got["y"]))
        if with_usd:
            money += _money_links(rel_type, got, lx, ly, x, y)
        # Repeated links (one relationship per event) count once per pair, records summed.
        known = (x >= 0) & (y >= 0)
        span = len(count)
        pair, inverse = np.unique((x * span + y)[known], return_inverse=True)
        records = np.asarray(got["records"], dtype=np.float64)[known]
        total = np.bincount(inverse, weights=records)
        x, y = pair // span, pair % span
        w = settings.weight_link * np.log2(1 + total) / (count[x] * count[y])
        _expand(x, y, w, start, count, holders, pairs)
    return money


def _money_links(
    rel_type: str,
    got: dict[str, tuple[object, ...]],
    lx: list[str],
    ly: list[str],
    x: IntArray,
    y: IntArray,
) -> list[IdentifierLink]:
    """Transfers with a dollar value touching at least one held identifier, per pair."""
    found: dict[tuple[str, str], list[float]] = {}
    usd = got["usd"]
    for i in np.flatnonzero((x >= 0) | (y >= 0)):
        if not usd[i]:
            continue
        key = (
            f"{lx[i] if len(lx) > 1 else lx[0]}:{got['x'][i]}",
            f"{ly[i] if len(ly) > 1 else ly[0]}:{got['y'][i]}",
        )
        total = found.setdefault(key, [0.0, 0.0])
        total[0] += float(got["records"][i])  # type: ignore[arg-type]
        total[1] += float(usd[i])  # type: ignore[arg-type]
    return [
        IdentifierLink(src, dst, rel_type, int(records), dollars)
        for (src, dst), (records, dollars) in found.items()
    ]


def _expand(
    x: IntArray,
    y: IntArray,
    w: FloatArray,
    start: IntArray,
    count: IntArray,
    holders: IntArray,
    pairs: _Pairs,
) -> None:
    """Every holder of x with every holder of y, for each link x-y of weight w."""
    # First each link once per holder of x...
    rep = np.repeat(np.arange(len(x)), count[x])
    nth = np.arange(len(rep)) - np.repeat(np.cumsum(count[x]) - count[x], count[x])
    a = holders[start[x][rep] + nth]
    # ...then each (link, holder of x) once per holder of y.
    ky = count[y][rep]
    rep2 = np.repeat(np.arange(len(rep)), ky)
    nth2 = np.arange(len(rep2)) - np.repeat(np.cumsum(ky) - ky, ky)
    b = holders[start[y][rep][rep2] + nth2]
    pairs.add(a[rep2], b, w[rep][rep2])


def _colocate(
    driver: Driver,
    roles: Roles,
    settings: AnalyticsSettings,
    database: str,
    index: dict[str, int],
    identifiers: dict[str, Identifier],
    pairs: _Pairs,
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
        for label, xid, lid, country, t in rows:
            if label in roles.persons:
                holders = {index[str(xid)]} if str(xid) in index else set()
            else:
                ident = identifiers.get(f"{label}:{xid}")
                holders = ident.persons if ident else set()
            for person in holders:
                visits[str(lid)].append((float(t), person))  # type: ignore[arg-type]
                if country:
                    seen[person].add(str(country))
    a: list[int] = []
    b: list[int] = []
    w: list[float] = []
    for place_visits in visits.values():
        place_visits.sort()
        people = len({p for _, p in place_visits})
        if people < 2:
            continue
        together: dict[Pair, int] = defaultdict(int)
        first = 0
        for end, (t, person) in enumerate(place_visits):
            while place_visits[first][0] < t - window:
                first += 1
            for _, other in place_visits[first:end]:
                if other != person:
                    together[(min(person, other), max(person, other))] += 1
        for (p, q), times in together.items():
            a.append(p)
            b.append(q)
            w.append(settings.weight_colocation * math.log2(1 + times) / (people - 1))
    pairs.add(np.asarray(a), np.asarray(b), np.asarray(w))
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
    position = {str(row[2]): i for i, row in enumerate(nodes)}
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
    kept = [e for e in edges if str(e[0]) in position and str(e[1]) in position]
    graph = ig.Graph(
        n=len(nodes),
        edges=[(position[str(e[0])], position[str(e[1])]) for e in kept],
        directed=True,
    )
    graph.vs["label"] = [row[0] for row in nodes]
    graph.vs["name"] = [row[1] for row in nodes]
    graph.es["type"] = [e[2] for e in kept]
    return graph
