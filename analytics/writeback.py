"""Write-back: community, network, rank and centrality onto people; one node per network.

Batched `UNWIND` writes; people not in this run's networks have their network
fields cleared, so what a Person says is always the latest run's view. Earlier
runs stay readable through their own `Network` nodes (members listed).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from neo4j import Driver

from analytics.roles import Roles

T = TypeVar("T")


def _batches(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write_people(
    driver: Driver, roles: Roles, rows: list[dict[str, Any]], batch_size: int, database: str
) -> None:
    """Set each person's analysis fields: rows of {id, community, network_id, ...}."""
    persons = roles.label_union(roles.persons)
    for batch in _batches(rows, batch_size):
        driver.execute_query(
            f"UNWIND $rows AS row MATCH (p:{persons} {{id: row.id}}) "
            "SET p.community = row.community, p.network_id = row.network_id, "
            "p.network_rank = row.network_rank, p.pagerank = row.pagerank, "
            "p.betweenness = row.betweenness, p.broker_score = row.broker_score, "
            "p.analysis_run = row.run",
            rows=list(batch),
            database_=database,
        )


def write_networks(
    driver: Driver, label: str, rows: list[dict[str, Any]], batch_size: int, database: str
) -> None:
    """Create the run's Network nodes: rows of {id, run_id, community, rank, score, ...}."""
    for row in rows:
        if isinstance(row.get("components"), dict):
            row["components"] = json.dumps(row["components"], sort_keys=True)
    for batch in _batches(rows, batch_size):
        driver.execute_query(
            f"UNWIND $rows AS row MERGE (n:`{label}` {{id: row.id}}) SET n += row",
            rows=list(batch),
            database_=database,
        )
