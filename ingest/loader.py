"""The loader: stream a file through its mapping into Neo4j in batched transactions.

Records are read one at a time and written in batches of `batch_size` records,
one explicit write transaction per batch (ingest.writer, on a thread of its own,
while the next batch is mapped): a batch is in the database whole or not at all.
With provenance keyed by (fact, record), loading a file again, or again after a
crash, gives exactly the graph of one clean load.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from neo4j import Driver

from graph_schema.loader import GraphModel
from ingest.batch import Batch
from ingest.cypher import evidence_id
from ingest.hubs import HubPolicy, flag_hubs
from ingest.mapping import Mapping, check_columns, load_mapping
from ingest.readers import SourceFile
from ingest.records import RecordMapper, RecordRejectedError
from ingest.runs import IngestSummary, new_run_id, save_run
from ingest.writer import BatchWriter

__all__ = ["Batch", "Loader", "Progress", "evidence_id", "file_checksum"]

# Called after each batch with (bytes read so far, file size).
Progress = Callable[[int, int], None]


def file_checksum(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Loader:
    """Loads mapped files into one database."""

    def __init__(
        self,
        driver: Driver,
        model: GraphModel,
        database: str = "neo4j",
        batch_size: int = 2000,
        hub_policy: HubPolicy | None = None,
    ) -> None:
        self.driver = driver
        self.model = model
        self.database = database
        self.batch_size = batch_size
        self.hub_policy = hub_policy or HubPolicy()

    def load(
        self,
        mapping_path: Path,
        data_path: Path | None = None,
        *,
        dry_run: bool = False,
        rejects_dir: Path = Path(".linkgraph/rejects"),
        progress: Progress | None = None,
    ) -> IngestSummary:
        """Load one file; the summary says what was read, loaded and rejected."""
        mapping = load_mapping(mapping_path, self.model)
        path = data_path or _data_path(mapping, mapping_path)
        started = datetime.now(UTC)
        summary = IngestSummary(
            run_id=new_run_id(mapping.dataset, started),
            dataset=mapping.dataset,
            mapping=str(mapping_path),
            file=str(path),
            checksum="",
            started_at=started,
            batch_size=self.batch_size,
            dry_run=dry_run,
        )
        with SourceFile(path, mapping.source) as source:
            if source.columns is not None:
                check_columns(mapping, source.columns, path)
            summary.checksum = file_checksum(path)
            if not dry_run:
                save_run(self.driver, self.model, summary, self.database)
            try:
                self._stream(mapping, source, summary, rejects_dir, progress, dry_run)
            except BaseException as error:
                summary.status, summary.error = "failed", f"{type(error).__name__}: {error}"
                summary.ended_at = datetime.now(UTC)
                if not dry_run:
                    save_run(self.driver, self.model, summary, self.database)
                raise
        if not dry_run:
            summary.hubs_flagged = flag_hubs(
                self.driver, self.model, self.hub_policy, self.database
            )
        summary.status, summary.ended_at = "completed", datetime.now(UTC)
        if not dry_run:
            save_run(self.driver, self.model, summary, self.database)
        return summary

    def _stream(
        self,
        mapping: Mapping,
        source: SourceFile,
        summary: IngestSummary,
        rejects_dir: Path,
        progress: Progress | None,
        dry_run: bool,
    ) -> None:
        mapper = RecordMapper(mapping, self.model)
        writer = None
        if not dry_run:
            params = {"dataset": mapping.dataset, "run": summary.run_id}
            writer = BatchWriter(self.driver, self.model, self.database, params)
        rejects: IO[str] | None = None
        batch = Batch()
        failed = True
        try:
            for record_no, record in source.records():
                if not mapper.wanted(record):
                    summary.records_filtered += 1
                    continue
                summary.records_read += 1
                try:
                    facts = mapper.map(record)
                except RecordRejectedError as reject:
                    if rejects is None:
                        rejects_dir.mkdir(parents=True, exist_ok=True)
                        reject_path = rejects_dir / f"{summary.run_id}.jsonl"
                        summary.rejects_file = str(reject_path)
                        rejects = reject_path.open("w", encoding="utf-8")
                    rejects.write(_reject_line(record_no, record, reject) + "\n")
                    summary.records_rejected += 1
                    continue
                batch.add(facts, record_no)
                summary.records_loaded += 1
                if batch.records >= self.batch_size:
                    if writer is not None:
                        writer.submit(batch)
                    batch = Batch()
                    if progress:
                        progress(source.bytes_read, source.size)
            if writer is not None and batch.records:
                writer.submit(batch)
            failed = False
        finally:
            if writer is not None:
                # The last batch is in the database before the run is called complete.
                writer.close(failed=failed)
            if rejects is not None:
                rejects.close()
        if progress:
            progress(source.bytes_read, source.size)


def _data_path(mapping: Mapping, mapping_path: Path) -> Path:
    if mapping.source.path is None:
        raise ValueError(f"{mapping_path}: no source.path in the mapping; give --file")
    return (mapping_path.parent / mapping.source.path).resolve()


def _reject_line(record_no: int, record: dict[str, Any], reject: RecordRejectedError) -> str:
    raw = {k: v for k, v in record.items() if k != "__error__"}
    return json.dumps(
        {"record_no": record_no, "field": reject.field, "reason": reject.reason, "record": raw},
        ensure_ascii=False,
        default=str,
    )
