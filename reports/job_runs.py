"""Job history: one `JobRun` node per run of a scheduled job (start, end, outcome, error).

Here, below both the scheduler that writes it and the API that reads it.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from neo4j import Driver

from core.values import native
from graph_schema.bookkeeping import JOB_RUN_LABEL, latest_records, save_record
from graph_schema.loader import GraphModel


@dataclass
class JobRunInfo:
    """One run of one job."""

    run_id: str
    job: str
    kind: str
    status: str  # running, completed, failed, skipped
    started_at: datetime
    ended_at: datetime | None = None
    error: str | None = None
    output: str | None = None
    owner: str | None = None


def new_run_id(job: str, now: datetime) -> str:
    """Readable and unique: job, UTC start time, random suffix."""
    return f"{job}-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def save_job_run(driver: Driver, model: GraphModel, database: str, run: JobRunInfo) -> None:
    """Create or update the run's JobRun node."""
    props = {k: v for k, v in asdict(run).items() if v is not None}
    save_record(driver, model, JOB_RUN_LABEL, run.run_id, props, database)


def job_runs(
    driver: Driver,
    database: str,
    job: str | None = None,
    limit: int = 50,
    *,
    model: GraphModel,
) -> list[JobRunInfo]:
    """The latest runs (of `job`, or of every job), newest first (the API and the
    scheduler's `history` command read them; the scheduler writes them)."""
    where = {"job": job} if job else None
    return [
        _info(row) for row in latest_records(driver, model, JOB_RUN_LABEL, database, limit, where)
    ]


def _info(row: dict[str, Any]) -> JobRunInfo:
    return JobRunInfo(
        run_id=row["run_id"],
        job=row["job"],
        kind=row.get("kind") or "",
        status=row.get("status") or "",
        started_at=native(row["started_at"]),
        ended_at=native(row.get("ended_at")),
        error=row.get("error"),
        output=row.get("output"),
        owner=row.get("owner"),
    )
