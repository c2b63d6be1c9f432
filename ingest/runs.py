"""Ingest runs: each load of a file is recorded in the database with its outcome."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph_schema.bookkeeping import INGEST_RUN_LABEL, latest_records, save_record
from graph_schema.loader import GraphModel


@dataclass
class IngestSummary:
    """What one run read, loaded and rejected; `read == loaded + rejected` always."""

    run_id: str
    dataset: str
    mapping: str
    file: str
    checksum: str
    started_at: datetime
    batch_size: int
    dry_run: bool = False
    status: str = "running"
    error: str | None = None
    ended_at: datetime | None = None
    records_read: int = 0
    records_loaded: int = 0
    records_rejected: int = 0
    records_filtered: int = 0
    records_duplicate: int = 0  # loaded, exact repeats of an earlier record (add nothing)
    records_collapsed: int = 0  # loaded, but a key met an earlier record's with other values
    rejects_file: str | None = None
    hubs_flagged: int = 0  # identifiers this load made hubs
    hubs_cleared: int = 0  # hubs that are no longer, under a changed policy

    @classmethod
    def begin(
        cls, dataset: str, mapping: Path, file: Path, batch_size: int, dry_run: bool = False
    ) -> IngestSummary:
        """A run of `mapping` over `file` starting now, with its new run id."""
        started = datetime.now(UTC)
        return cls(
            run_id=new_run_id(dataset, started),
            dataset=dataset,
            mapping=str(mapping),
            file=str(file),
            checksum="",
            started_at=started,
            batch_size=batch_size,
            dry_run=dry_run,
        )

    def describe(self) -> str:
        """The run summary for people."""
        seconds = ((self.ended_at or datetime.now(UTC)) - self.started_at).total_seconds()
        lines = [
            f"{'dry run' if self.dry_run else 'run ' + self.run_id}: {self.status} "
            f"in {seconds:.1f} s ({self.dataset}, {self.file})",
            f"read {self.records_read} = loaded {self.records_loaded} "
            f"+ rejected {self.records_rejected}",
        ]
        if self.records_duplicate:
            lines.append(
                f"{self.records_duplicate} of the loaded records repeat an earlier record "
                "exactly (counted once in the graph)"
            )
        if self.records_collapsed:
            lines.append(
                f"warning: {self.records_collapsed} loaded records share a key with an earlier "
                "record that has other values (one fact stands for both; examples in the "
                f"rejects file {self.rejects_file})"
            )
        if self.records_filtered:
            lines.append(f"{self.records_filtered} records left to other mappings by `where`")
        if self.records_rejected:
            lines.append(f"rejects (with reasons): {self.rejects_file}")
        if self.hubs_flagged or self.hubs_cleared:
            lines.append(
                f"hub identifiers (hub policy): {self.hubs_flagged} flagged, "
                f"{self.hubs_cleared} no longer hubs"
            )
        if self.error:
            lines.append(f"error: {self.error}")
        return "\n".join(lines)


def new_run_id(dataset: str, now: datetime) -> str:
    """Readable and unique: dataset, UTC start time, random suffix."""
    return f"{dataset}-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def save_run(driver: Driver, model: GraphModel, summary: IngestSummary, database: str) -> None:
    """Create or update the run's IngestRun node."""
    props: dict[str, Any] = asdict(summary)
    props.pop("dry_run")
    props = {k: v for k, v in props.items() if v is not None}
    save_record(driver, model, INGEST_RUN_LABEL, summary.run_id, props, database)


def list_runs(
    driver: Driver, model: GraphModel, database: str, limit: int = 20
) -> list[dict[str, Any]]:
    """The latest runs, newest first."""
    return latest_records(driver, model, INGEST_RUN_LABEL, database, limit)
