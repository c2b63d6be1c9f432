"""Run one algorithm under a time budget: it answers in time or the run fails clearly.

Compiled libraries cannot be interrupted from Python, and networkx's Louvain can
cycle forever on floating-point weights (networkx PR #5940), so each algorithm runs
in a forked child process (the graph is shared copy-on-write, only the answer comes
back) that is killed when the budget is spent. `Budgeted` starts the child and
returns at once, so that several algorithms (the halves of a sampled betweenness,
community detection) can use both cores at the same time.
"""

from __future__ import annotations

import multiprocessing
import time
import warnings
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class BudgetExceededError(RuntimeError):
    """An algorithm did not finish within its time budget."""


def _child(conn: Connection, fn: Callable[[], Any]) -> None:
    try:
        conn.send((True, fn()))
    except BaseException as error:
        conn.send((False, f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


class Budgeted(Generic[T]):
    """`fn()` computing in a child process from now on; `result()` waits for it.

    The budget counts from the start, not from the call to `result()`.
    """

    def __init__(self, fn: Callable[[], T], seconds: float, what: str) -> None:
        self.seconds, self.what = seconds, what
        self.deadline = time.monotonic() + seconds
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        with warnings.catch_warnings():
            # The parent's driver threads are not used by the child, which only computes.
            warnings.simplefilter("ignore", DeprecationWarning)
            self._process = context.Process(target=_child, args=(sender, fn), daemon=True)
            self._process.start()
        sender.close()

    def result(self) -> T:
        """The answer; BudgetExceededError once the budget is spent, RuntimeError on failure."""
        try:
            if not self._receiver.poll(max(0.0, self.deadline - time.monotonic())):
                raise BudgetExceededError(
                    f"{self.what} did not finish within its time budget of {self.seconds:g} s "
                    "(raise LINKGRAPH_ANALYTICS_TIME_BUDGET_S, or choose a faster algorithm)"
                )
            try:
                ok, value = self._receiver.recv()
            except EOFError:
                raise RuntimeError(f"{self.what} failed: its process died") from None
            if not ok:
                raise RuntimeError(f"{self.what} failed: {value}")
            return value  # type: ignore[no-any-return]
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop the child (if still running) and release the pipe."""
        self._receiver.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def within_budget(fn: Callable[[], T], seconds: float, what: str) -> T:
    """`fn()`, computed in a child process; BudgetExceededError after `seconds`."""
    return Budgeted(fn, seconds, what).result()
