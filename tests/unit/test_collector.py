"""Pausing the cyclic garbage collector during a load, and rows released after a statement."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from ingest.collector import collector_paused, released


@pytest.fixture(autouse=True)
def collector_running() -> Iterator[None]:
    """Each test starts with the collector running, and leaves it so."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_pauses_nest_and_the_collector_resumes_after_the_last() -> None:
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer load still runs
    assert gc.isenabled()


def test_the_collector_resumes_after_a_failed_load() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("the load failed")
    assert gc.isenabled()


def test_a_collector_stopped_before_stays_stopped() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_released_rows_are_emptied_and_the_batch_keeps_its_own() -> None:
    rows = [{"id": 1}, {"id": 2}]
    with released(rows) as sent:
        assert sent == rows
        assert sent is not rows
    assert sent == []
    assert rows == [{"id": 1}, {"id": 2}]  # a retried transaction sends them again
