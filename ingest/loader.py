"""The loader: stream a file through its mapping into Neo4j in batched transactions.

Records are read, mapped and folded into batches of `batch_size` records in a
child process (ingest.mapping_process), and each batch is written in one explicit
write transaction (ingest.writer, on a thread of its own, while the next batch is
mapped): a batch is in the database whole or not at all.
With provenance keyed by (fact, record), loading a file again, or again after a
crash, gives exactly the graph of one clean load.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from neo4j import Driver

from core.settings import Settings
from graph_schema.loader import GraphModel
from graph_schema.provenance import evidence_id
from ingest.batch import Batch
from ingest.collector import collector_paused
from ingest.hubs import HubPolicy, flag_hubs, graph_policy, has_identifiers, record_policy
from ingest.mapping import Mapping, check_columns, load_mapping
from ingest.mapping_process import FileJob, MappingProcess
from ingest.readers import ReaderLimits, SourceFile
from ingest.runs import IngestSummary, save_run
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
        writers: int = 1,
        limits: ReaderLimits | None = None,
    ) -> None:
        self.driver = driver
        self.model = model
        self.database = database
        self.batch_size = batch_size
        self.hub_policy = hub_policy or HubPolicy()
        self.writers = writers
        self.limits = limits or ReaderLimits()

    @classmethod
    def from_settings(
        cls, driver: Driver, model: GraphModel, settings: Settings, batch_size: int | None = None
    ) -> Loader:
        """A loader configured by `settings` (batch size, writers, hub policy, limits)."""
        return cls(
            driver,
            model,
            settings.neo4j_database,
            batch_size or settings.ingest_batch_size,
            HubPolicy(settings.hub_min_people),
            settings.ingest_writers,
            ReaderLimits(settings.ingest_max_cell, settings.ingest_max_depth),
        )

    def load(
        self,
        mapping_path: Path,
        data_path: Path | None = None,
        *,
        rejects_dir: Path = Path(".linkgraph/rejects"),
        progress: Progress | None = None,
    ) -> IngestSummary:
        """Load one file; the summary says what was read, loaded and rejected.

        A check that writes nothing is `ingest.check.check_file`: it needs no database.
        """
        mapping = load_mapping(mapping_path, self.model)
        path = data_path or source_path(mapping, mapping_path)
        summary = IngestSummary.begin(mapping.dataset, mapping_path, path, self.batch_size)
        with SourceFile(path, mapping.source, limits=self.limits) as source:
            if source.columns is not None:
                check_columns(mapping, source.columns, path)
            summary.checksum = file_checksum(path)
            save_run(self.driver, self.model, summary, self.database)
            follows_policy = self._follows_policy()
            try:
                self._stream(mapping, source, summary, rejects_dir, progress, follows_policy)
            except BaseException as error:
                summary.status, summary.error = "failed", f"{type(error).__name__}: {error}"
                summary.ended_at = datetime.now(UTC)
                save_run(self.driver, self.model, summary, self.database)
                raise
        if not follows_policy:
            # The graph's flags follow another policy: check every identifier under this one.
            changes = flag_hubs(self.driver, self.model, self.hub_policy, self.database)
            summary.hubs_flagged += changes.flagged
            summary.hubs_cleared += changes.cleared
        summary.status, summary.ended_at = "completed", datetime.now(UTC)
        save_run(self.driver, self.model, summary, self.database)
        return summary

    def _stream(
        self,
        mapping: Mapping,
        source: SourceFile,
        summary: IngestSummary,
        rejects_dir: Path,
        progress: Progress | None,
        follows_policy: bool,
    ) -> None:
        params = {"dataset": mapping.dataset, "run": summary.run_id}
        # When the graph follows this load's hub policy, each batch flags the
        # identifiers it links people to; otherwise load() checks them all after.
        policy = self.hub_policy if follows_policy else None
        writer = BatchWriter(self.driver, self.model, self.database, params, policy, self.writers)
        failed = True
        try:
            job = FileJob(mapping, self.model, source, self.batch_size, summary, rejects_dir)
            with collector_paused() as collector, MappingProcess(job) as mapped:
                for batch in mapped:
                    writer.submit(batch)
                    if progress:
                        progress(batch.bytes_read, source.size)
                    collector.batch_done()
            failed = False
        finally:
            # The last batch is in the database before the run is called complete.
            writer.close(failed=failed)
            summary.hubs_flagged += writer.hub_changes.flagged
            summary.hubs_cleared += writer.hub_changes.cleared
        if progress:
            progress(mapped.bytes_read, source.size)

    def _follows_policy(self) -> bool:
        """Whether the graph's hub flags follow this loader's policy (recording it for a
        graph with no identifier yet, which follows any)."""
        current = graph_policy(self.driver, self.model, self.database)
        if current is None and not has_identifiers(self.driver, self.model, self.database):
            record_policy(self.driver, self.model, self.hub_policy, self.database)
            return True
        return current == self.hub_policy


def source_path(mapping: Mapping, mapping_path: Path) -> Path:
    """The data file a mapping names (`source.path`, relative to the mapping)."""
    if mapping.source.path is None:
        raise ValueError(f"{mapping_path}: no source.path in the mapping; give --file")
    return (mapping_path.parent / mapping.source.path).resolve()
