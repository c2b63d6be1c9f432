"""Pausing Python's cyclic garbage collector while a load turns records into batches.

A load makes millions of small dicts, lists and strings, and reference counting
frees every one of them: a batch's rows hold no cycles. The cyclic collector
would still walk them, and every long-lived object besides, each time enough
objects have been made. On the ingest benchmark it found nothing to collect, yet
took a third of the mapping process's time and 60% of unpickling a batch
(bench/README.md). So a load pauses it, and runs one full collection every
COLLECT_EVERY batches instead, which bounds what any cycle could hold.

Some cycles hold a lot: the Neo4j driver keeps a statement's parameters in its
result and summary, which refer to each other. A batch's rows are therefore sent
`released`: as a copy that is emptied once the statement is done, so that the
rows are freed with their batch and only the driver's small objects wait for
the next collection.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

# Batches between full collections while the collector is paused.
COLLECT_EVERY = 25

_lock = threading.Lock()
_pauses = 0
_resume = False  # whether the collector ran before the first pause


def _forked() -> None:
    # A forked child (the mapping process) must not inherit a lock another thread held.
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_forked)


class PausedCollector:
    """Handed out by `collector_paused`: call `batch_done` once per batch."""

    def __init__(self) -> None:
        self._batches = 0

    def batch_done(self) -> None:
        """Count a batch; every COLLECT_EVERY of them, collect cycles once."""
        self._batches += 1
        if self._batches % COLLECT_EVERY == 0:
            gc.collect()


@contextmanager
def collector_paused() -> Iterator[PausedCollector]:
    """Pause the cyclic collector for the block; it runs again when the last pause ends.

    The collector is process-wide: loads running at the same time in one process
    share one pause, and the collector resumes only if it was running before.
    """
    global _pauses, _resume
    with _lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield PausedCollector()
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()


@contextmanager
def released(rows: Iterable[T]) -> Iterator[list[T]]:
    """A copy of `rows` to send as a statement's parameter, emptied after the block."""
    sent = list(rows)
    try:
        yield sent
    finally:
        sent.clear()
