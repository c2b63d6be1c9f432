"""Projections out of Neo4j: the weighted person graph, and the raw multi-type graph.

Neo4j is asked only for what it alone holds, in a handful of large reads (one per
relationship type, never one per node): who holds which identifier, and the links
between identifiers. Everything else happens here: identifier keys become integers
once, and the person graph is built and weighted with numpy (the server's Cypher
runtime spent about 10 s grouping 850k links by string keys; numpy groups them in a
fraction of a second).

A person-graph weight is the chance that two people are really tied, from 0 to 1.
Each piece of evidence gives a chance of its own, and the pieces combine as
independent ones do (noisy-OR: `1 - (1 - c1)(1 - c2)...`), so two pieces of weak
evidence count more than one, and no pile of them counts more than certainty:

* a shared identifier (phone, account, wallet) held by k people: `weight_shared /
  (k - 1)` for each of their pairs: shared by 2 it is 1, shared by 11 a tenth;
* contact between their identifiers (calls, messages, money; `analytics.ties`): the
  probability that the pair's contact is a relationship rather than chance, from a
  latent-class model fitted to every linked pair of the graph (how many records,
  both ways or not, over how many days, how many kinds of contact, money or not),
  times `weight_link / (kx * ky)` for identifiers held by kx and ky people;
* a link that binds two identifiers of different kinds (an account registered to a
  phone): `weight_shared / (kx * ky)`, as a shared identifier;
* two people seen at one place within `colocation_window_h`:
  `weight_colocation * (1 - 2^-times) / (k - 1)`, k the people seen there at all;
* an association a source states: `weight_association` times its stated `weight`
  (0..1; none given is 1) for each.

Hub identifiers (`hub = true`, ingest/hubs.py) are left out entirely, so a shelter's
phone or an exchange's wallet glues no networks together: they are not read as
held identifiers, and links to them find no holders.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import igraph as ig
import numpy as np
import numpy.typing as npt
from neo4j import Driver, RoutingControl

from analytics.gc_pause import paused_gc
from analytics.roles import COUNTRY_PROPERTY, MONEY_PROPERTY, WEIGHT_PROPERTY, Roles
from analytics.settings import AnalyticsSettings
from analytics.ties import TieModel, fit, levels
from graph_schema.provenance import HUB_PROPERTY, IDENTITY_PROPERTY

Pair = tuple[int, int]
# How a pair of people is tied when contact is all that ties them (`PersonGraph.contact`):
# 0 something else ties them too (a shared identifier, a place, a stated association),
# 1 contact from the first person of the pair to the second only, 2 the reverse,
# 3 contact both ways.
OTHER, FORWARD, BACKWARD, BOTH_WAYS = 0, 1, 2, 3
# The largest chance one piece of evidence is taken at (log(1 - c) must stay finite).
CERTAIN = 1.0 - 1e-12
# Reads in flight at once: the server and this process each keep a core busy.
READ_THREADS = 3
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

    # One vertex per person: per resolved identity (docs/resolution.md), or per Person
    # record that belongs to none. A vertex is named by one of its records (`_vertices`).
    person_ids: list[str]
    # One row (a, b), a < b, per linked pair of people, sorted; `weights` alike.
    edges: IntArray
    weights: FloatArray
    # Per pair: how contact alone ties it (OTHER, FORWARD, BACKWARD, BOTH_WAYS).
    contact: IntArray
    identifiers: dict[str, Identifier]
    # Links that moved money (for the scores' money in and out), keys as in `identifiers`.
    money_links: list[IdentifierLink]
    # Countries of the places each person (or their identifiers) was seen at.
    places_seen: dict[int, set[str]]
    hubs_left_out: int
    read_seconds: float
    # How contact was weighed (analytics.ties), recorded with the run.
    tie_model: TieModel | None = None
    # The Person records of each vertex, when an identity joins several (else absent).
    members: dict[int, list[str]] = field(default_factory=dict)

    def records_of(self, vertex: int) -> list[str]:
        """The Person ids a vertex stands for: its identity's records, or its own id."""
        return self.members.get(vertex) or [self.person_ids[vertex]]

    def to_igraph(self) -> ig.Graph:
        """An undirected igraph graph, vertex `name` = person id, edge `weight`."""
        with paused_gc():
            graph = ig.Graph(n=len(self.person_ids), edges=self.edges.tolist())
            graph.vs["name"] = self.person_ids
            graph.es["weight"] = self.weights.tolist()
            graph.es["contact"] = self.contact.tolist()
        return graph

    def weight(self, a: int, b: int) -> float:
        """The weight of the link between people a and b (0 when they are not linked)."""
        lo, hi = min(a, b), max(a, b)
        at = int(np.searchsorted(self.edges[:, 0], lo))
        end = int(np.searchsorted(self.edges[:, 0], lo, side="right"))
        row = at + int(np.searchsorted(self.edges[at:end, 1], hi))
        return float(self.weights[row]) if row < end and self.edges[row, 1] == hi else 0.0


class _Pairs:
    """Evidence for pairs of people (each a chance from 0 to 1), combined per pair at the end.

    Each piece also says how it was seen (OTHER ... BOTH_WAYS), and each pair keeps
    how contact alone ties it, so that a number many people call (a taxi, a shop) is
    told apart from a broker.
    """

    def __init__(self) -> None:
        self.a: list[IntArray] = []
        self.b: list[IntArray] = []
        self.w: list[FloatArray] = []
        self.way: list[IntArray] = []

    def add(self, a: IntArray, b: IntArray, w: FloatArray, way: IntArray | None = None) -> None:
        """Evidence for pairs (a, b); `way` as in FORWARD... (default: OTHER)."""
        self.a.append(np.asarray(a, dtype=np.int64))
        self.b.append(np.asarray(b, dtype=np.int64))
        self.w.append(np.asarray(w, dtype=np.float64))
        self.way.append(np.zeros(len(self.a[-1]), np.int64) if way is None else way)

    def total(self, n: int) -> tuple[IntArray, FloatArray, IntArray]:
        """Sorted (a, b) rows with a < b, each pair's combined weight (noisy-OR), and
        how contact alone ties it (OTHER ... BOTH_WAYS, seen from a)."""
        if not self.a:
            return np.zeros((0, 2), dtype=np.int64), np.zeros(0), np.zeros(0, np.int64)
        a, b, w = np.concatenate(self.a), np.concatenate(self.b), np.concatenate(self.w)
        way = np.concatenate(self.way)
        keep = (a != b) & (w > 0)
        # Seen from min(a, b), a one-way mark of a pair given the other way round turns.
        flip = (a > b) & ((way == FORWARD) | (way == BACKWARD))
        way = np.where(flip, 3 - way, way)
        lo, hi, w, way = np.minimum(a, b)[keep], np.maximum(a, b)[keep], w[keep], way[keep]
        keys, inverse = np.unique(lo * n + hi, return_inverse=True)
        edges = np.column_stack((keys // n, keys % n)).astype(np.int64)
        # 1 - prod(1 - c): summed as logs; a certain piece (c = 1) makes the pair certain.
        doubt = np.bincount(inverse, weights=np.log1p(-np.minimum(w, CERTAIN)))
        marks = np.bincount(inverse * 4 + way, minlength=4 * len(keys)).reshape(-1, 4)
        forward, backward = marks[:, FORWARD] > 0, marks[:, BACKWARD] > 0
        both = (marks[:, BOTH_WAYS] > 0) | (forward & backward)
        contact = np.where(
            marks[:, OTHER] > 0,
            OTHER,
            np.where(both, BOTH_WAYS, np.where(forward, FORWARD, BACKWARD)),
        )
        return edges, -np.expm1(doubt).astype(np.float64), contact.astype(np.int64)


def _label_of(labels: tuple[str, ...], var: str = "x") -> str:
    # The node's label among the ones the model gives this role (an allow-list).
    return f"[l IN labels({var}) WHERE l IN {list(labels)!r}][0]"


def _columns(
    driver: Driver,
    database: str,
    query: str,
    columns: tuple[str, ...],
    params: dict[str, Any] | None = None,
) -> dict[str, list[Any]]:
    """The values of each of `query`'s `columns`, fetched as one list per column.

    The driver builds a Python record per row; 850k records took 15 s where the same
    values as one list of rows took 3 s, and as one list per column less again (no
    list per row to build, and none to take apart here). Columns must not be null
    (`collect` would drop the value and misalign the lists): coalesce them.
    """
    collected = ", ".join(f"collect({name}) AS {name}" for name in columns)
    records, _, _ = driver.execute_query(
        f"CALL () {{ {query} }} RETURN {collected}",
        params,
        database_=database,
        routing_=RoutingControl.READ,
    )
    got = {name: records[0][name] for name in columns}
    if len({len(values) for values in got.values()}) > 1:
        raise RuntimeError(f"a projection read returned a null in one of {columns}: {query}")
    return got


class _Reads:
    """The projection's reads, all sent at once on a few threads; answers taken as needed.

    Neo4j answers each statement on one core: sent one after another, the server and
    this process took turns, and one of the two cores sat idle. Relationship types
    the store holds none of are not asked about (one count-store statement says
    which), since even an empty answer costs its statement's planning.
    """

    def __init__(self, driver: Driver, database: str, roles: Roles) -> None:
        self.driver, self.database = driver, database
        types = sorted(
            {t for t, _ in roles.attachments}
            | {t for t, _, _ in roles.link_ends}
            | {t for t, _ in roles.sightings}
            | set(roles.associations)
        )
        self.present: set[str] = set()
        if types:
            counts = ", ".join(f"COUNT {{ ()-[:`{t}`]->() }} AS `{t}`" for t in types)
            records, _, _ = driver.execute_query(
                f"RETURN {counts}", database_=database, routing_=RoutingControl.READ
            )
            self.present = {t for t in types if records[0][t]}
        self._pool = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="projection")

    def has(self, rel_type: str) -> bool:
        """Whether the store holds any relationship of this type."""
        return rel_type in self.present

    def ask(
        self, query: str, columns: tuple[str, ...], params: dict[str, Any] | None = None
    ) -> Future[dict[str, list[Any]]]:
        """Send one read now; its columns when `.result()` is called."""
        return self._pool.submit(_columns, self.driver, self.database, query, columns, params)

    def __enter__(self) -> _Reads:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


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
    with paused_gc():
        return _project_persons(driver, roles, settings, database)


def _project_persons(
    driver: Driver, roles: Roles, settings: AnalyticsSettings, database: str
) -> PersonGraph:
    began = time.monotonic()
    persons = roles.label_union(roles.persons)
    idents = roles.label_union(roles.identifiers)
    with _Reads(driver, database, roles) as reads:
        # Every read is sent before any answer is used (see _Reads).
        people = reads.ask(
            f"MATCH (p:{persons}) RETURN p.id AS id, coalesce(p.`{IDENTITY_PROPERTY}`, '') "
            "AS identity, "
            "p.name IS NULL AS unnamed",
            ("id", "identity", "unnamed"),
        )
        hubs = reads.ask(
            f"MATCH (x:{idents}) WHERE x.`{HUB_PROPERTY}` RETURN count(x) AS n", ("n",)
        )
        held = [
            (label, reads.ask(*_holders_query(persons, rel_type, label)))
            for rel_type, label in roles.attachments
            if reads.has(rel_type)
        ]
        linked = [
            (rel_type, sources, targets, reads.ask(*_link_query(roles, rel_type, sources, targets)))
            for rel_type, sources, targets in roles.link_ends
            if reads.has(rel_type)
        ]
        sighted = [
            reads.ask(*_sighting_query(roles, rel_type, at))
            for rel_type, at in roles.sightings
            if roles.places and reads.has(rel_type)
        ]
        associated = [
            reads.ask(*_association_query(roles, rel_type, settings))
            for rel_type in roles.associations
            if reads.has(rel_type)
        ]

        person_ids, index, members = _vertices(people.result())
        identifiers, keys = _holders(((label, got.result()) for label, got in held), index)
        pairs = _Pairs()
        _shared(keys, settings, pairs)
        contacts = _Contacts(roles)
        money = _links(
            roles,
            settings,
            keys,
            pairs,
            contacts,
            ((t, s, d, got.result()) for t, s, d, got in linked),
        )
        places_seen = _colocate(
            roles, settings, index, identifiers, pairs, (got.result() for got in sighted)
        )
        for got in (future.result() for future in associated):
            pairs.add(
                np.asarray([index[a] for a in got["a"]], dtype=np.int64),
                np.asarray([index[b] for b in got["b"]], dtype=np.int64),
                1 - np.asarray(got["miss"], float),
            )
        hubs_left_out = int(hubs.result()["n"][0])
    tie_model = contacts.weigh(settings, pairs)
    edges, weights, contact = pairs.total(len(person_ids))
    return PersonGraph(
        person_ids=person_ids,
        edges=edges,
        weights=weights,
        contact=contact,
        identifiers=identifiers,
        money_links=money,
        places_seen=places_seen,
        hubs_left_out=hubs_left_out,
        read_seconds=time.monotonic() - began,
        tie_model=tie_model,
        members=members,
    )


def _vertices(
    got: dict[str, list[Any]],
) -> tuple[list[str], dict[str, int], dict[int, list[str]]]:
    """One vertex per identity or lone record: names, record -> vertex, records per vertex.

    A vertex is named by its record with a name, the smallest id first, so that what
    reads a person by the vertex name (key people, reports) finds a named record.
    """
    groups: dict[str, list[tuple[bool, str]]] = {}
    for pid, identity, unnamed in zip(got["id"], got["identity"], got["unnamed"], strict=True):
        groups.setdefault(identity or pid, []).append((bool(unnamed), pid))
    # vertex numbers must not depend on the store's order
    named = sorted((min(group)[1], sorted(pid for _, pid in group)) for group in groups.values())
    person_ids = [name for name, _ in named]
    index = {pid: v for v, (_, records) in enumerate(named) for pid in records}
    members = {v: records for v, (_, records) in enumerate(named) if len(records) > 1}
    return person_ids, index, members


def _holders_query(persons: str, rel_type: str, label: str) -> tuple[str, tuple[str, ...]]:
    # One read per (type, label): the label is then known without asking for it per row.
    return (
        f"MATCH (p:{persons})-[:`{rel_type}`]->(x:`{label}`) "
        f"WHERE coalesce(x.`{HUB_PROPERTY}`, false) = false "
        f"RETURN x.id AS x, coalesce(x.`{COUNTRY_PROPERTY}`, '') AS country, p.id AS p",
        ("x", "country", "p"),
    )


def _holders(
    answers: Iterable[tuple[str, dict[str, list[Any]]]], index: dict[str, int]
) -> tuple[dict[str, Identifier], _Keys]:
    """Every non-hub identifier a person is attached to, with its holders."""
    identifiers: dict[str, Identifier] = {}
    keys = _Keys()
    for label, got in answers:
        for xid, country, pid in zip(got["x"], got["country"], got["p"], strict=True):
            key = f"{label}:{xid}"
            ident = identifiers.get(key)
            if ident is None:
                ident = identifiers[key] = Identifier(label, country or None)
            person = index[pid]
            if person not in ident.persons:
                ident.persons.add(person)
                keys.add(label, xid, person)
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


def _link_query(
    roles: Roles, rel_type: str, sources: tuple[str, ...], targets: tuple[str, ...]
) -> tuple[str, tuple[str, ...]]:
    with_usd = rel_type in roles.money_links
    # Only what varies is read: a type between two single labels (the usual case)
    # needs no label per row, and only money links carry dollars.
    columns = {
        "x": "x.id",
        "y": "y.id",
        "records": "coalesce(r.record_count, 1)",
        "t0": "coalesce(r.first_seen.epochSeconds, -1)",
        "t1": "coalesce(r.last_seen.epochSeconds, -1)",
    }
    if len(sources) > 1:
        columns["lx"] = f"coalesce({_label_of(sources, 'x')}, '')"
    if len(targets) > 1:
        columns["ly"] = f"coalesce({_label_of(targets, 'y')}, '')"
    if with_usd:
        columns["usd"] = f"coalesce(r.`{MONEY_PROPERTY}`, 0.0)"
    # Money links keep their unheld ends (money from outside), never a hub.
    not_hub = (
        f"WHERE coalesce(x.`{HUB_PROPERTY}`, false) = false "
        f"AND coalesce(y.`{HUB_PROPERTY}`, false) = false "
        if with_usd
        else ""
    )
    returned = ", ".join(f"{expr} AS {name}" for name, expr in columns.items())
    return f"MATCH (x)-[r:`{rel_type}`]->(y) {not_hub}RETURN {returned}", tuple(columns)


def _links(
    roles: Roles,
    settings: AnalyticsSettings,
    keys: _Keys,
    pairs: _Pairs,
    contacts: _Contacts,
    answers: Iterable[tuple[str, tuple[str, ...], tuple[str, ...], dict[str, list[Any]]]],
) -> list[IdentifierLink]:
    """Links between identifiers onto their holders' pairs; the money links.

    Contact (calls, messages, money: a type between identifiers of one kind) is kept
    per pair of people for the tie model; a link between two kinds (an account
    registered to a phone) binds them as a shared identifier does.
    """
    count = np.asarray([len(h) for h in keys.holders], dtype=np.int64)
    start = np.concatenate(([0], np.cumsum(count)))
    holders = np.asarray([p for h in keys.holders for p in h], dtype=np.int64)
    money: list[IdentifierLink] = []
    for rel_type, sources, targets, got in answers:
        if not got["x"]:
            continue
        lx = got.get("lx", [sources[0]])
        ly = got.get("ly", [targets[0]])
        x = keys.lookup(lx, got["x"])
        y = keys.lookup(ly, got["y"])
        if "usd" in got:
            money += _money_links(rel_type, got, lx, ly, x, y)
        # Repeated links (one relationship per event) count once per directed pair of
        # identifiers: records summed, the first and last record kept.
        known = (x >= 0) & (y >= 0)
        span = len(count)
        pair, inverse = np.unique((x * span + y)[known], return_inverse=True)
        records = np.asarray(got["records"], np.float64)[known]
        total = np.bincount(inverse, weights=records).astype(np.float64)
        x, y = pair // span, pair % span
        share = 1.0 / (count[x] * count[y])
        rows = np.arange(len(x))
        if not contacts.is_contact(sources, targets):
            pairs.add(*_expand(x, y, settings.weight_shared * share, start, count, holders))
            continue
        t0 = _first_per(inverse, np.asarray(got["t0"], np.float64)[known], len(x), np.minimum)
        t1 = _first_per(inverse, np.asarray(got["t1"], np.float64)[known], len(x), np.maximum)
        a, b, at = _expand(x, y, rows.astype(np.float64), start, count, holders)
        at_i = at.astype(np.int64)
        contacts.add(rel_type, a, b, total[at_i], t0[at_i], t1[at_i], share[at_i].astype(float))
    return money


def _first_per(inverse: IntArray, values: FloatArray, n: int, pick: np.ufunc) -> FloatArray:
    """The min (or max) of `values` per group, ignoring the -1 of a missing time."""
    valid = values >= 0
    return _per_group(inverse[valid], values[valid], n, pick, np.nan)


def _per_group(
    group: IntArray, values: FloatArray, n: int, pick: np.ufunc, empty: float
) -> FloatArray:
    """`pick` (np.minimum, np.maximum) of `values` within each of n groups; `empty`
    for a group without values. Sorted and reduced: ufunc.at is ten times slower."""
    out = np.full(n, empty, dtype=np.float64)
    if len(group):
        order = np.argsort(group, kind="stable")
        ordered = group[order]
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        out[ordered[starts]] = pick.reduceat(values[order], starts)
    return out


class _Contacts:
    """Contact between pairs of people, gathered over every link type, then weighed."""

    def __init__(self, roles: Roles) -> None:
        self.money_types = set(roles.money_links)
        self.types: dict[str, int] = {}
        self.parts: list[tuple[IntArray, ...]] = []
        self.fparts: list[tuple[FloatArray, ...]] = []

    @staticmethod
    def is_contact(sources: tuple[str, ...], targets: tuple[str, ...]) -> bool:
        """Contact runs between identifiers of one kind (phone to phone...)."""
        return bool(set(sources) & set(targets))

    def add(
        self,
        rel_type: str,
        a: IntArray,
        b: IntArray,
        records: FloatArray,
        t0: FloatArray,
        t1: FloatArray,
        share: FloatArray,
    ) -> None:
        """Rows of contact from person a (a holder of the source) to person b."""
        kind = self.types.setdefault(rel_type, len(self.types))
        money = np.full(len(a), rel_type in self.money_types, dtype=np.int64)
        self.parts.append((a, b, np.full(len(a), kind, dtype=np.int64), money))
        self.fparts.append((records, t0, t1, share))

    def weigh(self, settings: AnalyticsSettings, pairs: _Pairs) -> TieModel | None:
        """Fit the tie model on every linked pair of people and add each pair's weight."""
        if not self.parts:
            return None
        a, b, kind, money = (np.concatenate(col) for col in zip(*self.parts, strict=True))
        records, t0, t1, share = (np.concatenate(col) for col in zip(*self.fparts, strict=True))
        keep = a != b
        a, b, kind, money = a[keep], b[keep], kind[keep], money[keep]
        records, t0, t1, share = records[keep], t0[keep], t1[keep], share[keep]
        if not len(a):
            return None
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        n = int(hi.max()) + 1
        keys, inverse = np.unique(lo * n + hi, return_inverse=True)
        groups = len(keys)
        forward = a < b
        from_lo = np.bincount(inverse, weights=forward, minlength=groups) > 0
        both_ways = from_lo & (np.bincount(inverse, weights=~forward, minlength=groups) > 0)
        first = _first_per(inverse, np.nan_to_num(t0, nan=-1.0), groups, np.minimum)
        last = _first_per(inverse, np.nan_to_num(t1, nan=-1.0), groups, np.maximum)
        span_s = np.nan_to_num(last - first, nan=0.0)
        kinds = len(self.types)
        channels = np.bincount(np.unique(inverse * kinds + kind) // kinds, minlength=groups)
        features = levels(
            np.bincount(inverse, weights=records, minlength=groups).astype(np.float64),
            both_ways,
            span_s,
            channels.astype(np.int64),
            np.bincount(inverse, weights=money, minlength=groups) > 0,
        )
        model = fit(features)
        # The most specific identifiers the two were in contact through.
        best_share = _per_group(inverse, share, groups, np.maximum, 0.0)
        weight = settings.weight_link * model.posterior(features) * best_share
        way = np.where(both_ways, BOTH_WAYS, np.where(from_lo, FORWARD, BACKWARD))
        pairs.add(keys // n, keys % n, weight, way)
        return model


def _money_links(
    rel_type: str,
    got: dict[str, list[Any]],
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
        total[0] += float(got["records"][i])
        total[1] += float(usd[i])
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
) -> tuple[IntArray, IntArray, FloatArray]:
    """Every holder of x with every holder of y, for each link x-y of value w."""
    # First each link once per holder of x...
    rep = np.repeat(np.arange(len(x)), count[x])
    nth = np.arange(len(rep)) - np.repeat(np.cumsum(count[x]) - count[x], count[x])
    a = holders[start[x][rep] + nth]
    # ...then each (link, holder of x) once per holder of y.
    ky = count[y][rep]
    rep2 = np.repeat(np.arange(len(rep)), ky)
    nth2 = np.arange(len(rep2)) - np.repeat(np.cumsum(ky) - ky, ky)
    b = holders[start[y][rep][rep2] + nth2]
    return a[rep2], b, w[rep][rep2]


def _sighting_query(roles: Roles, rel_type: str, at: str) -> tuple[str, tuple[str, ...]]:
    places = roles.label_union(roles.places)
    who = roles.persons + roles.identifiers
    return (
        f"MATCH (x)-[r:`{rel_type}`]->(l:{places}) "
        f"WHERE coalesce(l.`{HUB_PROPERTY}`, false) = false "
        f"AND coalesce(x.`{HUB_PROPERTY}`, false) = false AND r.`{at}` IS NOT NULL "
        f"RETURN coalesce({_label_of(who)}, '') AS label, x.id AS x, l.id AS l, "
        f"coalesce(l.`{COUNTRY_PROPERTY}`, '') AS country, r.`{at}`.epochSeconds AS t",
        ("label", "x", "l", "country", "t"),
    )


def _colocate(
    roles: Roles,
    settings: AnalyticsSettings,
    index: dict[str, int],
    identifiers: dict[str, Identifier],
    pairs: _Pairs,
    answers: Iterable[dict[str, list[Any]]],
) -> dict[int, set[str]]:
    """Add co-sighting weights; return the countries each person was seen in."""
    seen: dict[int, set[str]] = defaultdict(set)
    window = settings.colocation_window_h * 3600.0
    visits: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for got in answers:
        rows = zip(got["label"], got["x"], got["l"], got["country"], got["t"], strict=True)
        for label, xid, lid, country, t in rows:
            if label in roles.persons:
                holders = {index[xid]} if xid in index else set()
            else:
                ident = identifiers.get(f"{label}:{xid}")
                holders = ident.persons if ident else set()
            for person in holders:
                visits[lid].append((float(t), person))
                if country:
                    seen[person].add(country)
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
            w.append(settings.weight_colocation * (1 - 0.5**times) / (people - 1))
    pairs.add(np.asarray(a), np.asarray(b), np.asarray(w))
    return seen


def _association_query(
    roles: Roles, rel_type: str, settings: AnalyticsSettings
) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """Each pair of people a source says are associated, with the chance that they are
    not tied: the product of `1 - weight_association * weight` over their associations
    (noisy-OR; a relationship without a stated weight weighs 1)."""
    persons = roles.label_union(roles.persons)
    weight = f"coalesce(r.`{WEIGHT_PROPERTY}`, 1.0)"
    if rel_type not in roles.weighted_associations:
        weight = "1.0"
    return (
        f"MATCH (a:{persons})-[r:`{rel_type}`]-(b:{persons}) WHERE a.id < b.id "
        f"RETURN a.id AS a, b.id AS b, "
        f"reduce(miss = 1.0, w IN collect({weight}) | miss * (1 - $base * w)) AS miss",
        ("a", "b", "miss"),
        {"base": min(settings.weight_association, 1.0)},
    )


def project_raw(driver: Driver, roles: Roles, database: str) -> ig.Graph:
    """The raw multi-type graph of every entity: vertex `label`, `name`; edge `type`."""
    labels = roles.persons + roles.identifiers
    nodes = _columns(
        driver,
        database,
        f"MATCH (x:{roles.label_union(labels)}) "
        f"RETURN {_label_of(labels)} AS label, x.id AS id, elementId(x) AS eid",
        ("label", "id", "eid"),
    )
    position = {eid: i for i, eid in enumerate(nodes["eid"])}
    types = sorted(
        {t for t, _ in roles.attachments}
        | set(roles.links)
        | set(roles.associations)
        | {t for t, _ in roles.sightings}
    )
    edges = _columns(
        driver,
        database,
        f"MATCH (a)-[r:{'|'.join(f'`{t}`' for t in types)}]->(b) "
        "RETURN elementId(a) AS a, elementId(b) AS b, type(r) AS t",
        ("a", "b", "t"),
    )
    kept = [
        (position[a], position[b], t)
        for a, b, t in zip(edges["a"], edges["b"], edges["t"], strict=True)
        if a in position and b in position
    ]
    graph = ig.Graph(n=len(nodes["eid"]), edges=[(a, b) for a, b, _ in kept], directed=True)
    graph.vs["label"] = nodes["label"]
    graph.vs["name"] = nodes["id"]
    graph.es["type"] = [t for _, _, t in kept]
    return graph
