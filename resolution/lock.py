"""One rebuild of the identities at a time, across processes and machines.

A rebuild reads the judgements in force and writes the identities. Two that overlap
(an analyst judging in the API while another judges on the command line, or while a
scheduled run ends) could write the older view last, losing a judgement from the
identities. Every rebuild therefore holds one lease in the graph
(graph_schema.locks), and a judgement is recorded under the same lease as its rebuild:
the next rebuild, whoever starts it, reads every judgement recorded before it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from neo4j import Driver

from graph_schema.loader import GraphModel
from graph_schema.locks import Heartbeat, JobLockStore, new_owner
from resolution.judgements import JudgementError

# The lease's name among the JobLock nodes (a scheduler job name has no colon).
LEASE_NAME = "resolution:identities"
# A lease lapses this long after its holder last renewed it (a crashed process).
LEASE_S = 60.0
# How long a rebuild waits for another to finish, unless told otherwise.
WAIT_S = 120.0


@contextmanager
def rebuilding(
    driver: Driver, model: GraphModel, database: str, wait_s: float = WAIT_S
) -> Iterator[None]:
    """Hold the identities' lease for the block; JudgementError after `wait_s`."""
    locks = JobLockStore(driver, model, database)
    owner = new_owner()
    deadline = time.monotonic() + wait_s
    while not locks.acquire(LEASE_NAME, owner, LEASE_S):
        if time.monotonic() > deadline:
            raise JudgementError(
                "another judgement or resolution run is rebuilding the identities; try again"
            )
        time.sleep(0.1)
    try:
        with Heartbeat(locks, LEASE_NAME, owner, LEASE_S):
            yield
    finally:
        locks.release(LEASE_NAME, owner)
