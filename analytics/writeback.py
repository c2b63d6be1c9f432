"""Write-back: community, network, rank and centrality onto people; one node per network.

Batched `UNWIND` writes; people not in this run's networks have their network
fields cleared, so what a Person says is always the latest run's view. Earlier
runs stay readable through their own `Network` nodes (members listed).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from neo4j import Driver

from analytics.roles import Roles

T = TypeVar("T")

# Write transactions in flight at once (the machines this runs on have 2 cores).
WRITE_THREADS = 2


def _batches(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write_people(
    driver: Driver,
    roles: Roles,
    rows: list[dict[str, Any]],
    batch_size: int,
    database: str,
    threads: int = WRITE_THREADS,
) -> None:
    """Set each person's analysis fields: rows of {id, community, network_id, ...}.

    The batches (each person in one) are written by `threads` transactions at a time:
    Neo4j runs each on one core (bench/analytics.py compares 1 and 2).
    """
    persons = roles.label_union(roles.persons)
    query = (
        f"UNWIND $rows AS row MATCH (p:{persons} {{id: row.id}}) "
        "SET p.community = row.community, p.network_id = row.network_id, "
        "p.network_rank = row.network_rank, p.pagerank = row.pagerank, "
        "p.betweenness = row.betweenness, p.broker_score = row.broker_score, "
        "p.broker_networks = row.broker_networks, p.connector_score = row.connector_score, "
        "p.connector_networks = row.connector_networks, "
        "p.analysis_run = row.run"
    )

    def write(batch: Sequence[dict[str, Any]]) -> None:
        driver.execute_query(query, rows=list(batch), database_=database)

    with ThreadPoolExecutor(threads, thread_name_prefix="write-back") as pool:
        # list(): the first failed batch raises here, after the others have ended.
        list(pool.map(write, _batches(rows, batch_size)))


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
