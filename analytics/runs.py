"""Analysis runs: each run is its own `AnalysisRun` node; the latest completed is current."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from typing import Any

from neo4j import Driver, RoutingControl

from graph_schema.bookkeeping import ANALYSIS_RUN_LABEL, latest_records, save_record
from graph_schema.loader import GraphModel

# linkgraph's own bookkeeping labels, declared in graph_schema/model/nodes/.
NETWORK_LABEL = "Network"


def bookkeeping_labels(model: GraphModel) -> tuple[str, str]:
    """The run and network labels, checked against the model (KeyError if missing)."""
    return model.node(ANALYSIS_RUN_LABEL).label, model.node(NETWORK_LABEL).label


def new_run_id(now: datetime) -> str:
    """Readable and unique: UTC start time, random suffix."""
    return f"analysis-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def library_versions() -> dict[str, str]:
    """Versions of the libraries that can change a result."""
    out = {}
    for name in ("linkgraph", "igraph", "networkx", "python-louvain", "neo4j"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


@dataclass
class RunRecord:
    """What is stored for one run."""

    run_id: str
    started_at: datetime
    engine: str
    algorithm: str
    objective: str
    resolution: float
    max_community_size: int
    seed: int
    parameters: dict[str, Any]
    versions: dict[str, str] = field(default_factory=library_versions)
    timings: dict[str, float] = field(default_factory=dict)
    status: str = "running"
    error: str | None = None
    ended_at: datetime | None = None
    modularity: float | None = None
    persons: int = 0
    edges: int = 0
    communities: int = 0
    networks: int = 0

    def properties(self) -> dict[str, Any]:
        """The node's properties (JSON for the nested ones)."""
        props = {
            k: v for k, v in self.__dict__.items() if k not in {"parameters", "versions", "timings"}
        }
        props["parameters"] = json.dumps(self.parameters, sort_keys=True)
        props["versions"] = json.dumps(self.versions, sort_keys=True)
        props["timings"] = json.dumps({k: round(v, 3) for k, v in self.timings.items()})
        return props


def save_run(driver: Driver, model: GraphModel, run: RunRecord, database: str) -> None:
    """Create or update the run's node."""
    save_record(driver, model, ANALYSIS_RUN_LABEL, run.run_id, run.properties(), database)


def list_runs(
    driver: Driver, model: GraphModel, database: str, limit: int = 20
) -> list[dict[str, Any]]:
    """Runs, newest first."""
    return latest_records(driver, model, ANALYSIS_RUN_LABEL, database, limit)


def latest_run(driver: Driver, model: GraphModel, database: str) -> dict[str, Any] | None:
    """The latest completed run (the current one), or None."""
    runs = latest_records(
        driver, model, ANALYSIS_RUN_LABEL, database, 1, where={"status": "completed"}
    )
    return runs[0] if runs else None


def previous_networks(
    driver: Driver, model: GraphModel, run_id: str, database: str
) -> list[set[str]]:
    """Member sets of the networks of run `run_id` (for growth)."""
    _, label = bookkeeping_labels(model)
    records, _, _ = driver.execute_query(
        f"MATCH (n:`{label}` {{run_id: $run}}) RETURN n.members AS members",
        run=run_id,
        database_=database,
        routing_=RoutingControl.READ,
    )
    return [set(r["members"] or []) for r in records]
