"""Running a saved query: read-only, bounded in time and rows, as a table and a graph."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, ManagedTransaction, unit_of_work
from neo4j.exceptions import ClientError
from neo4j.graph import Node, Path, Relationship

from queries.params import ParameterError, coerce_parameters
from queries.spec import SavedQuery


class QueryRefusedError(RuntimeError):
    """The database refused the query (a write attempt, a timeout, a bad statement)."""


@dataclass
class GraphView:
    """Nodes and edges found in the result, ready for a front end to draw."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, value: Any) -> None:
        """Collect every node, relationship and path inside `value`."""
        if isinstance(value, Node):
            self.nodes.setdefault(
                value.element_id,
                {"id": value.element_id, "labels": sorted(value.labels), **dict(value)},
            )
        elif isinstance(value, Relationship):
            if value.start_node is not None:
                self.add(value.start_node)
            if value.end_node is not None:
                self.add(value.end_node)
            self.edges.setdefault(
                value.element_id,
                {
                    "id": value.element_id,
                    "type": value.type,
                    "source": value.start_node.element_id if value.start_node else None,
                    "target": value.end_node.element_id if value.end_node else None,
                    **dict(value),
                },
            )
        elif isinstance(value, Path):
            for node in value.nodes:
                self.add(node)
            for rel in value.relationships:
                self.add(rel)
        elif isinstance(value, list):
            for item in value:
                self.add(item)
        elif isinstance(value, dict):
            for item in value.values():
                self.add(item)


@dataclass
class QueryResult:
    """What a saved query returned, and whether the row limit cut it."""

    query_id: str
    parameters: dict[str, Any]
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool
    row_limit: int
    seconds: float
    graph: GraphView

    @property
    def has_graph(self) -> bool:
        """True when the rows held nodes, relationships or paths."""
        return bool(self.graph.nodes)


def _plain(value: Any) -> Any:
    # Table cells: a node is shown by its properties (with its id and labels).
    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **dict(value)}
    if isinstance(value, Relationship):
        return {"_type": value.type, **dict(value)}
    if isinstance(value, Path):
        return [_plain(node) for node in value.nodes]
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def run_saved_query(
    driver: Driver,
    query: SavedQuery,
    given: dict[str, Any],
    database: str = "neo4j",
    row_limit: int | None = None,
    max_seconds: float | None = None,
) -> QueryResult:
    """Run `query` with `given` parameters in a READ transaction.

    The database enforces read-only access (a write is refused, not just
    discouraged) and the query's timeout (or `max_seconds`, when shorter); at most
    `row_limit` rows (1 or more, capped by the query's own limit) come back, and
    `truncated` says when more were available.
    """
    parameters = coerce_parameters(query, given)
    if row_limit is not None and row_limit < 1:
        raise ParameterError(f"{query.id}: row limit must be at least 1, not {row_limit}")
    limit = min(row_limit or query.row_limit, query.row_limit)
    timeout = min(query.timeout_s, max_seconds or query.timeout_s)

    @unit_of_work(timeout=timeout)
    def work(tx: ManagedTransaction) -> tuple[list[str], list[Any], bool]:
        result = tx.run(query.cypher, parameters)
        records = result.fetch(limit + 1)
        columns = list(result.keys())
        # Stop the server producing rows nobody will read.
        result.consume()
        return columns, records[:limit], len(records) > limit

    began = time.perf_counter()
    try:
        with driver.session(database=database, default_access_mode="READ") as session:
            columns, records, truncated = session.execute_read(work)
    except ClientError as error:
        raise QueryRefusedError(_explain_refusal(query, error)) from error
    graph = GraphView()
    rows = []
    for record in records:
        graph.add(list(record.values()))
        rows.append({key: _plain(record[key]) for key in columns})
    return QueryResult(
        query_id=query.id,
        parameters=parameters,
        columns=columns,
        rows=rows,
        truncated=truncated,
        row_limit=limit,
        seconds=time.perf_counter() - began,
        graph=graph,
    )


def _explain_refusal(query: SavedQuery, error: ClientError) -> str:
    code = error.code or ""
    if (
        "AccessMode" in code
        or "ForbiddenDueToTransactionType" in code
        or "write" in (error.message or "").lower()
    ):
        return f"{query.id}: refused: saved queries are read-only ({error.message})"
    if "TransactionTimedOut" in code or "Timeout" in code:
        return f"{query.id}: stopped after its {query.timeout_s:g} s timeout"
    return f"{query.id}: the database refused the query: {error.message}"
