"""Every read the API sends to Neo4j, in one place, each counted as one round trip.

Labels and relationship types in the Cypher come from the validated graph model
(an allow-list); every value a client sends travels as a parameter. The depth of
an expansion, the hop limit and the number of paths of a path search are small
integers checked before they are written into the statement (Cypher 5 takes no
parameter there).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from neo4j import Driver, Query, Record, RoutingControl
from neo4j.exceptions import Neo4jError
from neo4j.graph import Node, Path, Relationship

from api.errors import UserError
from graph_schema.bookkeeping import latest_records
from graph_schema.loader import GraphModel
from graph_schema.provenance import HUB_PROPERTY, IDENTITY_PROPERTY, evidence_page
from graph_schema.spec import KeyKind

# The full-text index the schema creates over names, handles, numbers, addresses.
SEARCH_INDEX = "lg_search"
MAX_DEPTH = 3
MAX_HOPS = 6
MAX_PATHS = 20


def _q(name: str) -> str:
    return f"`{name}`"


@dataclass
class Neighbourhood:
    """Nodes (nearest first) and relationships around one node."""

    nodes: list[Node]
    rels: list[Relationship]
    truncated: bool


@dataclass
class RoundTrips:
    """Round trips to Neo4j made for one request (thread-safe: reads run in a pool)."""

    count: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self) -> None:
        """Count one more round trip."""
        with self._lock:
            self.count += 1


def budget_error(error: Neo4jError, timeout_s: float | None) -> UserError | None:
    """The client's error when the database ended a read for its time or memory budget
    (the request asked too much: not a server fault); None for any other error."""
    code = error.code or ""
    if "TransactionTimedOut" in code:
        return UserError(
            f"the request took longer than its {timeout_s or 0:g} s budget; narrow it "
            "(fewer hops, a smaller limit or page, a time window)"
        )
    if "MemoryPoolOutOfMemory" in code or "MemoryLimitExceeded" in code:
        return UserError(
            "the request needed more database memory than one transaction may use; narrow it"
        )
    return None


class GraphReads:
    """The API's Cypher, bound to one driver and database, counting round trips."""

    def __init__(
        self,
        driver: Driver,
        model: GraphModel,
        database: str,
        trips: RoundTrips | None = None,
        timeout_s: float | None = None,
    ) -> None:
        """Reads on `driver`; `timeout_s` ends each transaction in the database itself."""
        self.driver = driver
        self.model = model
        self.database = database
        self.trips = trips or RoundTrips()
        self.timeout_s = timeout_s
        self.entities = sorted(model.entities)
        self._any_entity = "|".join(_q(label) for label in self.entities)
        self._people = "|".join(
            _q(label) for label in self.entities if model.entities[label].key.kind is KeyKind.PERSON
        )

    def run(self, cypher: str, **params: Any) -> list[Record]:
        """One read transaction on a reader, counted (`records` counts its own)."""
        self.trips.add()
        try:
            records, _, _ = self.driver.execute_query(
                Query(cypher, timeout=self.timeout_s),
                params,
                database_=self.database,
                routing_=RoutingControl.READ,
            )
        except Neo4jError as error:
            budget = budget_error(error, self.timeout_s)
            if budget is None:
                raise
            raise budget from error
        return records

    def rel_pattern(self, types: list[str] | None) -> str:
        """`:A|B|C` for the given relationship types (all the model's when None)."""
        chosen = types or sorted(self.model.relationships)
        for name in chosen:
            self.model.relationship(name)  # KeyError for a type the model lacks
        return ":" + "|".join(_q(name) for name in chosen)

    def _start(self, label: str, node: str, into: str) -> str:
        """Cypher binding `into` to [`node`] and, when `label` is a person label and the
        node is in an identity, the identity's other records after it (by key)."""
        if self.model.entities[label].key.kind is not KeyKind.PERSON:
            return f"WITH [{node}] AS {into} "
        identity = f"`{IDENTITY_PROPERTY}`"
        return (
            f"OPTIONAL MATCH (m:{self._people}) WHERE {node}.{identity} IS NOT NULL "
            f"AND m.{identity} = {node}.{identity} AND m <> {node} "
            f"WITH {node}, m ORDER BY m.id "
            f"WITH {node}, collect(m) AS others "
            f"WITH [{node}] + others AS {into} "
        )

    # -- nodes and provenance ----------------------------------------------------

    def nodes(self, ids: list[tuple[str, str]]) -> dict[tuple[str, str], Node]:
        """Nodes by (label, key), in one round trip whatever the labels."""
        by_label: dict[str, list[str]] = defaultdict(list)
        for label, key in ids:
            if label in self.model.entities:
                by_label[label].append(key)
        if not by_label:
            return {}
        branches = []
        params: dict[str, Any] = {}
        for number, (label, keys) in enumerate(sorted(by_label.items())):
            branches.append(f"MATCH (n:{_q(label)}) WHERE n.id IN $k{number} RETURN n")
            params[f"k{number}"] = keys
        records = self.run("CALL () { " + " UNION ALL ".join(branches) + " } RETURN n", **params)
        found: dict[tuple[str, str], Node] = {}
        for record in records:
            node: Node = record["n"]
            for label in node.labels:
                if label in self.model.entities:
                    found[(label, str(node["id"]))] = node
        return found

    def evidence(self, facts: list[str], first: int) -> dict[str, tuple[int, list[dict[str, Any]]]]:
        """For each fact: how many records assert it, and the first `first` of them."""
        records = self.run(
            f"UNWIND $facts AS fact {evidence_page('fact', '$first')} RETURN fact, total, rows",
            facts=facts,
            first=first,
        )
        return {r["fact"]: (r["total"], list(r["rows"])) for r in records}

    # -- search ------------------------------------------------------------------

    def search(
        self, lucene: str, exact: list[tuple[str, str]], labels: list[str], skip: int, limit: int
    ) -> list[Node]:
        """Exact identifier matches first, then full-text hits by score; `limit` nodes.

        A person in an identity is found once: of the records of one identity the
        full text finds, the best-ranked stands for it (and none when an exact match
        is one of its records).
        """
        chosen = labels or self.entities
        exact_nodes = [node for key, node in self.nodes(exact).items() if key[0] in chosen]
        records = (
            self.run(
                self._search_cypher(),
                text=lucene,
                labels=chosen,
                exact=[str(node["id"]) for node in exact_nodes],
                exact_identities=[
                    str(node[IDENTITY_PROPERTY])
                    for node in exact_nodes
                    if node.get(IDENTITY_PROPERTY) and self._is_person(node)
                ],
                skip=max(0, skip - len(exact_nodes)),
                limit=limit,
            )
            if lucene
            else []
        )
        hits = exact_nodes[skip:] + [record["node"] for record in records]
        return hits[:limit]

    def _is_person(self, node: Node) -> bool:
        entities = self.model.entities
        return any(lb in entities and entities[lb].key.kind is KeyKind.PERSON for lb in node.labels)

    def _search_cypher(self) -> str:
        """The full-text search; parameters $text, $labels, $exact, $exact_identities,
        $skip, $limit."""
        hits = (
            f"CALL db.index.fulltext.queryNodes('{SEARCH_INDEX}', $text) YIELD node, score "
            "WHERE any(label IN labels(node) WHERE label IN $labels) "
            "AND NOT node.id IN $exact "
        )
        page = "RETURN node ORDER BY score DESC, node.id SKIP $skip LIMIT $limit"
        if not self._people:
            return hits + page
        identity = f"node.`{IDENTITY_PROPERTY}`"
        # Hits outside identities stream to the page as they did; only the records of
        # identities are grouped (one per identity), so the grouping holds no more
        # than the resolved records the text finds, whatever else it finds.
        return (
            f"CALL () {{ {hits}AND NOT (node:{self._people} AND {identity} IS NOT NULL) "
            "RETURN node, score "
            f"UNION ALL {hits}AND node:{self._people} AND {identity} IS NOT NULL "
            f"AND NOT {identity} IN $exact_identities "
            "WITH node, score ORDER BY score DESC, node.id "
            f"WITH {identity} AS identity, collect(node)[0] AS node, max(score) AS score "
            f"RETURN node, score }} {page}"
        )

    # -- drawing -----------------------------------------------------------------

    def neighbourhood(
        self,
        label: str,
        key: str,
        depth: int,
        types: list[str] | None,
        since: datetime | None,
        until: datetime | None,
        limit: int,
    ) -> Neighbourhood | None:
        """The statement `neighbourhood_cypher` writes, run; None when the node is absent."""
        records = self.run(
            self.neighbourhood_cypher(label, depth, types),
            key=key,
            since=since,
            until=until,
            limit=limit,
        )
        if not records:
            return None
        record = records[0]
        return Neighbourhood(list(record["nodes"]), list(record["rels"]), record["truncated"])

    def neighbourhood_cypher(self, label: str, depth: int, types: list[str] | None) -> str:
        """One statement: breadth-first up to `depth` hops, hubs reached but not crossed.

        Parameters: $key, $since, $until, $limit. Nodes come nearest first, so a cut
        keeps the closest; the relationships are those among the nodes kept. A person
        in an identity is expanded from all its records at once: they come first (the
        one asked for, then the others by key), none another's neighbour.
        """
        if not 1 <= depth <= MAX_DEPTH:
            raise ValueError(f"depth must be 1 to {MAX_DEPTH}")
        self.model.node(label)
        rels = self.rel_pattern(types)
        # Undated facts (a subscriber registration) are kept; dated ones must
        # overlap the window.
        window = (
            "($since IS NULL OR r.last_seen IS NULL OR r.last_seen >= $since) AND "
            "($until IS NULL OR r.first_seen IS NULL OR r.first_seen <= $until)"
        )
        level = (
            "CALL (frontier, seen) {{ UNWIND frontier AS a "
            f"MATCH (a)-[r{rels}]-(b:{self._any_entity}) WHERE {window} AND NOT b IN seen "
            "RETURN collect(DISTINCT b) AS found{n} }} "
            f"WITH seen + found{{n}} AS seen, "
            f"[x IN found{{n}} WHERE NOT coalesce(x.{HUB_PROPERTY}, false)] AS frontier "
        )
        steps = "".join(level.format(n=n) for n in range(1, depth + 1))
        return (
            f"MATCH (s:{_q(label)} {{id: $key}}) "
            f"{self._start(label, 's', 'start')}"
            "WITH start AS seen, start AS frontier "
            f"{steps}"
            "WITH seen[..$limit] AS kept, size(seen) > $limit AS truncated "
            "CALL (kept) { UNWIND kept AS a "
            f"MATCH (a)-[r{rels}]->(b) WHERE b IN kept AND {window} "
            "RETURN collect(r) AS rels } "
            "RETURN kept AS nodes, rels, truncated"
        )

    def paths(
        self,
        source: tuple[str, str],
        target: tuple[str, str],
        max_hops: int,
        time_respecting: bool,
        types: list[str] | None,
        limit: int,
    ) -> list[Path]:
        """Up to `limit` shortest paths, never through a hub (the ends may be hubs).

        Time-respecting: every dated hop can happen no earlier than the one before
        (its last time is at or after the earliest time the walk can be there);
        undated hops (a registration, an ownership) do not constrain the walk.
        """
        if not 1 <= max_hops <= MAX_HOPS:
            raise ValueError(f"maxHops must be 1 to {MAX_HOPS}")
        self.model.node(source[0])
        self.model.node(target[0])
        rels = self.rel_pattern(types)
        clock = (
            " AND reduce(t = datetime('0001-01-01T00:00:00Z'), q IN r | CASE "
            "WHEN t IS NULL THEN NULL WHEN q.first_seen IS NULL THEN t "
            "WHEN q.last_seen < t THEN NULL WHEN q.first_seen > t THEN q.first_seen "
            "ELSE t END) IS NOT NULL"
            if time_respecting
            else ""
        )
        if not 1 <= limit <= MAX_PATHS:
            raise ValueError(f"first must be 1 to {MAX_PATHS}")
        # Each end is its record and, for a person in an identity, the identity's other
        # records: the shortest paths of every pair of them, shortest first, never
        # through a record of either end. Two records of one identity are asked once.
        records = self.run(
            f"CALL () {{ MATCH (s:{_q(source[0])} {{id: $source}}) "
            f"{self._start(source[0], 's', 'sources')}RETURN sources }} "
            f"CALL () {{ MATCH (s:{_q(target[0])} {{id: $target}}) "
            f"{self._start(target[0], 's', 'targets')}RETURN targets }} "
            "UNWIND sources AS a UNWIND targets AS b "
            "WITH a, b, sources, targets, sources + targets AS ends "
            "WHERE (a <> b OR size(ends) = 2) "
            "AND NOT (a IN targets AND b IN sources AND elementId(a) > elementId(b)) "
            f"MATCH p = SHORTEST {int(limit)} "
            f"((a)(()-[r{rels}]-(x:{self._any_entity})){{1,{max_hops}}}(b) "
            f"WHERE all(n IN x[..-1] WHERE NOT coalesce(n.{HUB_PROPERTY}, false) "
            f"AND NOT n IN ends){clock}) "
            f"RETURN p ORDER BY length(p) LIMIT {int(limit)}",
            source=source[1],
            target=target[1],
        )
        return [record["p"] for record in records]

    # -- analysis results --------------------------------------------------------

    def networks(
        self, label: str, run_id: str, min_size: int, order_by: str, skip: int, limit: int
    ) -> list[dict[str, Any]]:
        """Networks of one run, ordered by rank (score) or size; `limit` of them."""
        order = {"rank": "n.rank ASC", "size": "n.size DESC, n.rank ASC"}[order_by]
        records = self.run(
            f"MATCH (n:{_q(label)} {{run_id: $run}}) WHERE n.size >= $min "
            f"RETURN n {{.*}} AS network ORDER BY {order} SKIP $skip LIMIT $limit",
            run=run_id,
            min=min_size,
            skip=skip,
            limit=limit,
        )
        return [dict(record["network"]) for record in records]

    def networks_by_id(self, label: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Network nodes by id."""
        records = self.run(
            f"MATCH (n:{_q(label)}) WHERE n.id IN $ids RETURN n {{.*}} AS network", ids=ids
        )
        return {str(r["network"]["id"]): dict(r["network"]) for r in records}

    def shared_identifiers(
        self, members: dict[str, list[str]]
    ) -> dict[str, list[tuple[Node, int]]]:
        """For each network: identifiers two or more of its members link to, most shared first."""
        records = self.run(
            "UNWIND $networks AS net "
            "CALL (net) { "
            f"  MATCH (p:{self._people})-[]->(x:{self._any_entity}) "
            f"  WHERE p.id IN net.members AND NOT x:{self._people} "
            "  WITH x, count(DISTINCT p) AS people WHERE people >= 2 "
            "  RETURN collect([x, people])[..50] AS shared } "
            "RETURN net.id AS id, shared",
            networks=[{"id": key, "members": value} for key, value in members.items()],
        )
        return {r["id"]: [(pair[0], pair[1]) for pair in r["shared"]] for r in records}

    def rankings(self, property_name: str, limit: int) -> list[Node]:
        """People with the highest value of an analysis property (latest run)."""
        records = self.run(
            f"MATCH (p:{self._people}) WHERE p.{_q(property_name)} IS NOT NULL "
            f"RETURN p ORDER BY p.{_q(property_name)} DESC, p.id LIMIT $limit",
            limit=limit,
        )
        return [record["p"] for record in records]

    def records(
        self, label: str, skip: int, limit: int, status: str | None = None
    ) -> list[dict[str, Any]]:
        """Bookkeeping records (ingest or analysis runs), newest first: one round trip."""
        self.trips.add()
        where = {"status": status} if status else None
        return latest_records(self.driver, self.model, label, self.database, limit, where, skip)
