"""Write-back: community, network, rank and centrality onto people; one node per network.

Batched `UNWIND` writes; people not in this run's networks have their network
fields cleared, so what a Person says is always the latest run's view. Earlier
runs stay readable through their own `Network` nodes (members listed).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from neo4j import Driver

from analytics.roles import Roles

T = TypeVar("T")

# Write transactions in flight at once (the machines this runs on have 2 cores).
WRITE_THREADS = 2


class PersonResult(enum.StrEnum):
    """The properties write-back sets on each person: the latest run's view of them.

    Each member is the stored property's name; the API and the reports read the
    people's results through these names. The model describes each property
    (graph_schema/model/nodes/person.yaml).
    """

    COMMUNITY = "community"  # community of the person in the run
    NETWORK_ID = "network_id"  # `run id:community` when the community is a network
    NETWORK_RANK = "network_rank"  # rank of that network in the run
    PAGERANK = "pagerank"  # PageRank on the person graph
    BETWEENNESS = "betweenness"  # betweenness on the person graph (sampled when large)
    BROKER_SCORE = "broker_score"  # strength of the ties held between groups
    BROKER_NETWORKS = "broker_networks"  # networks of the groups the person bridges
    CONNECTOR_SCORE = "connector_score"  # networks contacting the person as a service
    CONNECTOR_NETWORKS = "connector_networks"  # those networks' ids
    ANALYSIS_RUN = "analysis_run"  # the run that wrote these values

    @property
    def row_key(self) -> str:
        """The key of this value in a row handed to `write_people`."""
        # The pipeline's rows name the run `run`; every other value has its own name.
        return "run" if self is PersonResult.ANALYSIS_RUN else self.value


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
    """Set each person's `PersonResult` properties: rows of {id, community, network_id, ...}.

    The batches (each person in one) are written by `threads` transactions at a time:
    Neo4j runs each on one core (bench/analytics.py compares 1 and 2).
    """
    persons = roles.label_union(roles.persons)
    sets = ", ".join(f"p.{prop} = row.{prop.row_key}" for prop in PersonResult)
    query = f"UNWIND $rows AS row MATCH (p:{persons} {{id: row.id}}) SET {sets}"

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
