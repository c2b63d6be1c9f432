"""Run one algorithm under a time budget: it answers in time or the run fails clearly.

Compiled libraries cannot be interrupted from Python, and networkx's Louvain can
cycle forever on floating-point weights (networkx PR #5940), so each algorithm runs
in a forked child process (the graph is shared copy-on-write, only the answer comes
back) that is killed when the budget is spent.
"""

from __future__ import annotations

import multiprocessing
import warnings
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

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


def within_budget(fn: Callable[[], T], seconds: float, what: str) -> T:
    """`fn()`, computed in a child process; BudgetExceededError after `seconds`."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    with warnings.catch_warnings():
        # The parent's driver threads are not used by the child, which only computes.
        warnings.simplefilter("ignore", DeprecationWarning)
        process = context.Process(target=_child, args=(sender, fn), daemon=True)
        process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise BudgetExceededError(
                f"{what} did not finish within its time budget of {seconds:g} s "
                "(raise LINKGRAPH_ANALYTICS_TIME_BUDGET_S, or choose a faster algorithm)"
            )
        try:
            ok, value = receiver.recv()
        except EOFError:
            raise RuntimeError(f"{what} failed: its process died") from None
        if not ok:
            raise RuntimeError(f"{what} failed: {value}")
        return value  # type: ignore[no-any-return]
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
