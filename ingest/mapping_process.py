"""Mapping a file into batches in a child process, while the loader writes.

Reading, mapping and normalising records is Python work, and so is sending a batch
to Neo4j; in one process both wait on one interpreter lock, so Neo4j sat idle
while Python mapped and Python waited while Neo4j wrote. A forked child reads the
file, maps every record, writes the rejects and folds each full batch into the
rows the loader's statements take; the loader's process only sends them. At most
QUEUE_DEPTH batches wait between the two, so memory stays bounded however large
the file.

The child also sends each batch whole (pickled, not unpacked) for the rare write
that meets records already in the database (a re-load, or a load after a crash):
only then is the batch folded again without them.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import queue
import signal
import traceback
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import cached_property
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from graph_schema.loader import GraphModel
from ingest.batch import Batch, BatchRows
from ingest.collector import collector_paused
from ingest.mapping import Mapping
from ingest.readers import SourceFile
from ingest.records import Facts, RecordMapper, RecordRejectedError
from ingest.repeats import Collapse, RepeatWatch
from ingest.runs import IngestSummary

# Batches mapped and waiting for the writer: enough to keep it busy, few enough
# to keep memory flat.
QUEUE_DEPTH = 2
# How often each side checks that the other is still there while it waits.
POLL_S = 0.5


@dataclass(frozen=True)
class FileJob:
    """One file to map: its mapping, the model, the open source file, the batch size,
    the run's summary (its counts are kept there) and the folder for its rejects."""

    mapping: Mapping
    model: GraphModel
    source: SourceFile
    batch_size: int
    summary: IngestSummary
    rejects_dir: Path


@dataclass(frozen=True)
class Counts:
    """The run's record counts so far, and where its rejects go."""

    read: int
    loaded: int
    rejected: int
    filtered: int
    duplicate: int
    collapsed: int
    rejects_file: str | None

    @classmethod
    def of(cls, summary: IngestSummary) -> Counts:
        """The counts in `summary`."""
        return cls(
            summary.records_read,
            summary.records_loaded,
            summary.records_rejected,
            summary.records_filtered,
            summary.records_duplicate,
            summary.records_collapsed,
            summary.rejects_file,
        )

    def apply(self, summary: IngestSummary) -> None:
        """Copy the counts into `summary`."""
        summary.records_read = self.read
        summary.records_loaded = self.loaded
        summary.records_rejected = self.rejected
        summary.records_filtered = self.filtered
        summary.records_duplicate = self.duplicate
        summary.records_collapsed = self.collapsed
        summary.rejects_file = self.rejects_file


@dataclass(frozen=True)
class MappedBatch:
    """A full batch as the child sends it: folded for a first write, and whole."""

    folded: BatchRows  # its rows when none of its records is in the database
    whole: bytes  # the pickled Batch, for a write that must look up its records first
    counts: Counts
    bytes_read: int

    @cached_property
    def _batch(self) -> Batch:
        batch: Batch = pickle.loads(self.whole)  # noqa: S301 (our own child's bytes)
        return batch

    @property
    def evidence(self) -> Collection[str]:
        """The batch's Evidence ids (only a write that looks them up asks)."""
        return self._batch.evidence

    def rows(self, existing: Collection[str] = ()) -> BatchRows:
        """The rows to write, leaving out every contribution whose Evidence is `existing`."""
        if not existing:
            return self.folded
        return self._batch.rows(existing)


@dataclass(frozen=True)
class _Finished:
    counts: Counts
    bytes_read: int


@dataclass(frozen=True)
class _Failed:
    error: BaseException


class MappingProcess:
    """The batches of one file, mapped in a child process; use as a context manager.

    Iterating yields each MappedBatch in file order and keeps `summary`'s counts up
    to date; an error in the child is raised here. Leaving the context stops the
    child, whether or not the file was read to its end.
    """

    def __init__(self, job: FileJob) -> None:
        self.summary = job.summary
        self.bytes_read = job.source.bytes_read
        # fork: the child starts with the mapping, the model and the open file as
        # they are here, without importing or parsing anything again.
        context = multiprocessing.get_context("fork")
        self._queue: Queue[Any] = context.Queue(maxsize=QUEUE_DEPTH)
        self._child: BaseProcess = context.Process(
            target=_map_file,
            args=(job, self._queue),
            kwargs={"parent": os.getpid()},
            name="linkgraph-mapping",
            daemon=True,
        )

    def __enter__(self) -> MappingProcess:
        self._child.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            # The file was read to its end: the child is only closing its queue.
            self._child.join(timeout=10 * POLL_S)
        if self._child.is_alive():
            self._child.terminate()
        self._child.join()
        self._queue.close()

    def __iter__(self) -> Iterator[MappedBatch]:
        while True:
            message = self._next()
            if isinstance(message, _Failed):
                raise message.error
            if isinstance(message, _Finished):
                message.counts.apply(self.summary)
                self.bytes_read = message.bytes_read
                return
            message.counts.apply(self.summary)
            self.bytes_read = message.bytes_read
            yield message

    def _next(self) -> MappedBatch | _Finished | _Failed:
        while True:
            try:
                message: MappedBatch | _Finished | _Failed = self._queue.get(timeout=POLL_S)
                return message
            except queue.Empty:
                if self._child.is_alive():
                    continue
            # The child is gone: its last words may still be in the pipe.
            try:
                last: MappedBatch | _Finished | _Failed = self._queue.get(timeout=POLL_S)
                return last
            except queue.Empty:
                raise RuntimeError(
                    f"the mapping process ended without finishing the file "
                    f"(exit code {self._child.exitcode})"
                ) from None


def _map_file(job: FileJob, out: Queue[Any], *, parent: int) -> None:
    """The child's work: every batch of the file, then the final counts (or the error)."""
    # Ctrl-C reaches the whole process group: the loader stops this process itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with collector_paused() as collector:
            for batch in map_records(job):
                mapped = MappedBatch(
                    folded=batch.rows(),
                    whole=pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL),
                    counts=Counts.of(job.summary),
                    bytes_read=job.source.bytes_read,
                )
                _put(out, mapped, parent)
                collector.batch_done()
        _put(out, _Finished(Counts.of(job.summary), job.source.bytes_read), parent)
    except BaseException as error:
        _put(out, _Failed(_sendable(error)), parent)
    # Wait for the queue's feeder thread to hand everything to the pipe.
    out.close()
    out.join_thread()


# Called with each mapped record's number, the record and its facts.
Observer = Callable[[int, dict[str, Any], Facts], None]


def map_records(job: FileJob, observe: Observer | None = None) -> Iterator[Batch]:
    """Batches of `job.batch_size` mapped records (the last may be smaller).

    Counts every record in the job's summary and writes each reject, with its
    reason, to `<rejects_dir>/<run id>.jsonl` (created at the first line), with the
    first COLLAPSE_EXAMPLES records that collapse into an earlier one's facts.
    """
    summary = job.summary
    mapper = RecordMapper(job.mapping, job.model)
    watch = RepeatWatch(content_keyed=job.mapping.record_id is None)
    batch = Batch()
    with RejectsFile(job.rejects_dir, summary) as rejects:
        for record_no, record in job.source.records():
            if not mapper.wanted(record):
                summary.records_filtered += 1
                continue
            summary.records_read += 1
            try:
                facts = mapper.map(record, record_no)
            except RecordRejectedError as reject:
                rejects.write(
                    {"record_no": record_no, "field": reject.field, "reason": reject.reason},
                    record,
                )
                summary.records_rejected += 1
                continue
            if observe is not None:
                observe(record_no, record, facts)
            repeat = watch.check(facts, record, record_no)
            if repeat is True:
                summary.records_duplicate += 1
            elif isinstance(repeat, Collapse):
                summary.records_collapsed += 1
                if summary.records_collapsed <= COLLAPSE_EXAMPLES:
                    line = {"record_no": record_no, "field": None, "warning": repeat.message}
                    rejects.write({**line, "earlier_record_no": repeat.earlier_record_no}, record)
            batch.add(facts, record_no)
            summary.records_loaded += 1
            if batch.records >= job.batch_size:
                rejects.flush()  # the rejects counted so far are on disk
                yield batch
                batch = Batch()
        if batch.records:
            yield batch


# Records collapsing into an earlier record's facts that the rejects file shows (all
# are counted): enough to see the pattern of a key that is too coarse.
COLLAPSE_EXAMPLES = 20


class RejectsFile:
    """`<rejects_dir>/<run id>.jsonl`, opened at its first line; use as a context manager."""

    def __init__(self, folder: Path, summary: IngestSummary) -> None:
        self.folder = folder
        self.summary = summary
        self._file: TextIO | None = None

    def __enter__(self) -> RejectsFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()

    def write(self, head: dict[str, Any], record: dict[str, Any]) -> None:
        """One line: `head` (record number, field, reason or warning) and the raw record."""
        if self._file is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{self.summary.run_id}.jsonl"
            self.summary.rejects_file = str(path)
            # A lone surrogate (a JSON "\ud800" escape) is kept as an escape.
            self._file = path.open("w", encoding="utf-8", errors="backslashreplace")
        raw = {k: v for k, v in record.items() if k != "__error__"}
        line = json.dumps({**head, "record": raw}, ensure_ascii=False, default=str)
        self._file.write(line.translate(_LINE_BREAKS) + "\n")

    def flush(self) -> None:
        """Put every line written so far on disk."""
        if self._file is not None:
            self._file.flush()


def _put(out: Queue[Any], message: object, parent: int) -> None:
    while True:
        if os.getppid() != parent:  # the loader died: nobody will read this
            os._exit(1)
        try:
            out.put(message, timeout=POLL_S)
            return
        except queue.Full:
            continue


def _sendable(error: BaseException) -> BaseException:
    """`error` with the child's traceback as a note, or a RuntimeError if it cannot travel."""
    error.add_note("in the mapping process:\n" + "".join(traceback.format_exception(error)))
    try:
        pickle.dumps(error)
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


# Characters str.splitlines() and some editors take for line breaks, that JSON leaves
# unescaped: escaped, so that one reject is one line to every reader of the file.
_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}
