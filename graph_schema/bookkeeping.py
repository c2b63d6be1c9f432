"""linkgraph's own bookkeeping nodes (ingest and analysis runs): one way to save and list them.

The labels are internal labels of the model; checking them against it keeps
Cypher labels coming from the model only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from neo4j import Driver, RoutingControl

from graph_schema.loader import GraphModel

# The labels of the runs every area records: one place, so a reader of one area's
# runs (a report reading ingest runs, the API reading job runs) imports no writer.
INGEST_RUN_LABEL = "IngestRun"
ANALYSIS_RUN_LABEL = "AnalysisRun"
JOB_RUN_LABEL = "JobRun"


def _label(model: GraphModel, label: str) -> str:
    node = model.node(label)
    if not node.internal:
        raise ValueError(f"{label} is not a bookkeeping (internal) label")
    return node.label


def save_record(
    driver: Driver,
    model: GraphModel,
    label: str,
    record_id: str,
    props: dict[str, Any],
    database: str,
) -> None:
    """Create the `label` node `record_id`, or update its properties."""
    driver.execute_query(
        f"MERGE (r:`{_label(model, label)}` {{id: $id}}) SET r += $props",
        id=record_id,
        props=props,
        database_=database,
    )


def latest_records(
    driver: Driver,
    model: GraphModel,
    label: str,
    database: str,
    limit: int = 20,
    where: Mapping[str, str] | None = None,
    skip: int = 0,
) -> list[dict[str, Any]]:
    """The newest `label` nodes by `started_at` (only those whose properties equal
    `where`'s values, e.g. `{"status": "completed"}`), after skipping the `skip` newest:
    stable pages, ties broken by id."""
    records, _, _ = driver.execute_query(
        f"MATCH (r:`{_label(model, label)}`) WHERE all(k IN keys($where) WHERE r[k] = $where[k]) "
        "RETURN r {.*} AS run ORDER BY r.started_at DESC, r.id SKIP $skip LIMIT $limit",
        where=dict(where or {}),
        skip=skip,
        limit=limit,
        database_=database,
        routing_=RoutingControl.READ,
    )
    return [dict(record["run"]) for record in records]
