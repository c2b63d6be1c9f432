"""The GDS engine: the same analysis inside Neo4j (gds.leiden, gds.louvain, gds.wcc,
gds.pageRank, gds.betweenness) on the same weighted person graph.

The person graph is the Python projection's (same weights, so the two engines'
results are comparable), loaded into a GDS in-memory graph with one Cypher
aggregation; the algorithms then run on the server. Splitting communities larger
than `max_community_size` is done afterwards in Python (igraph Leiden), as for
the python engine.
"""

from __future__ import annotations

import secrets
from typing import Any

from neo4j import Driver, RoutingControl

from analytics.projection import PersonGraph
from analytics.roles import Roles

PROCEDURES = {"leiden": "gds.leiden", "louvain": "gds.louvain", "wcc": "gds.wcc"}


class GdsUnavailableError(RuntimeError):
    """The server has no Graph Data Science plugin (or not this algorithm)."""


def gds_version(driver: Driver, database: str) -> str:
    """The server's GDS version; GdsUnavailableError when it has none."""
    try:
        records, _, _ = driver.execute_query(
            "RETURN gds.version() AS v", database_=database, routing_=RoutingControl.READ
        )
    except Exception as error:
        raise GdsUnavailableError(f"the Neo4j server has no GDS plugin: {error}") from None
    return str(records[0]["v"])


class GdsGraph:
    """A named GDS in-memory copy of the person graph; dropped on exit."""

    def __init__(self, driver: Driver, roles: Roles, person_graph: PersonGraph, database: str):
        self.driver, self.database = driver, database
        self.name = f"linkgraph-{secrets.token_hex(4)}"
        ids = person_graph.person_ids
        rows = [
            {"a": ids[a], "b": ids[b], "w": w}
            for (a, b), w in zip(
                person_graph.edges.tolist(), person_graph.weights.tolist(), strict=True
            )
        ]
        persons = roles.label_union(roles.persons)
        self._run(
            f"UNWIND $rows AS row MATCH (a:{persons} {{id: row.a}}), (b:{persons} {{id: row.b}}) "
            "WITH gds.graph.project($name, a, b, {relationshipProperties: {weight: row.w}}, "
            "{undirectedRelationshipTypes: ['*']}) AS g RETURN g.nodeCount AS n",
            rows=rows,
        )

    def _run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        records, _, _ = self.driver.execute_query(
            query, {"name": self.name, **params}, database_=self.database
        )
        return [r.data() for r in records]

    def communities(self, algorithm: str, resolution: float, seed: int) -> dict[str, int]:
        """Person id -> community id."""
        if algorithm not in PROCEDURES:
            raise GdsUnavailableError(
                f"the gds engine offers {sorted(PROCEDURES)}, not {algorithm}"
            )
        config: dict[str, Any] = {"relationshipWeightProperty": "weight", "concurrency": 1}
        if algorithm == "leiden":
            config |= {"gamma": resolution, "randomSeed": seed}
        elif algorithm == "louvain":
            # GDS Louvain takes no seed; one thread makes it deterministic.
            config |= {"tolerance": 1e-7}
        rows = self._run(
            f"CALL {PROCEDURES[algorithm]}.stream($name, $config) YIELD nodeId, componentId "
            "RETURN gds.util.asNode(nodeId).id AS id, componentId AS c"
            if algorithm == "wcc"
            else f"CALL {PROCEDURES[algorithm]}.stream($name, $config) YIELD nodeId, communityId "
            "RETURN gds.util.asNode(nodeId).id AS id, communityId AS c",
            config=config,
        )
        return {str(r["id"]): int(r["c"]) for r in rows}

    def pagerank(self) -> dict[str, float]:
        """Person id -> weighted PageRank."""
        rows = self._run(
            "CALL gds.pageRank.stream($name, {relationshipWeightProperty: 'weight'}) "
            "YIELD nodeId, score RETURN gds.util.asNode(nodeId).id AS id, score"
        )
        return {str(r["id"]): float(r["score"]) for r in rows}

    def betweenness(self, samples: int | None, seed: int) -> dict[str, float]:
        """Person id -> betweenness (sampled from `samples` sources when given)."""
        config: dict[str, Any] = {}
        if samples:
            config = {"samplingSize": samples, "samplingSeed": seed}
        rows = self._run(
            "CALL gds.betweenness.stream($name, $config) YIELD nodeId, score "
            "RETURN gds.util.asNode(nodeId).id AS id, score",
            config=config,
        )
        return {str(r["id"]): float(r["score"]) for r in rows}

    def drop(self) -> None:
        """Free the server's memory."""
        self._run("CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName")

    def __enter__(self) -> GdsGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.drop()
