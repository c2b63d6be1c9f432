"""Leases kept in the graph, one `JobLock` node per name: two schedulers never run the
same job at once, and two processes (API workers, the command line, a scheduled
resolution) never rebuild the identities from judgements at once.

The lock is taken in one write transaction that first write-locks the node
(`SET l._lock = true`, Neo4j's documented way to serialise a read-then-write)
and then checks the holder: free when nobody holds it, when we do, or when the
holder's lease expired. Times are the server's (`datetime()`), so schedulers on
machines with different clocks agree. A running job renews its lease; a crashed
scheduler's lease lapses after `ttl` seconds and the next scheduler takes over.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
from types import TracebackType

from neo4j import Driver, ManagedTransaction

from graph_schema.loader import GraphModel

LOCK_LABEL = "JobLock"


def new_owner() -> str:
    """This process's owner name: host, pid and a random part (unique per scheduler)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class JobLockStore:
    """Take, renew and release job locks."""

    def __init__(self, driver: Driver, model: GraphModel, database: str) -> None:
        self.driver = driver
        self.database = database
        self.label = model.node(LOCK_LABEL).label

    def acquire(self, job: str, owner: str, ttl_s: float) -> bool:
        """Take `job`'s lock for `ttl_s` seconds; False when someone else holds it."""

        def work(tx: ManagedTransaction) -> bool:
            # MERGE alone is safe for creation (the id is unique); the SET below
            # takes the node's write lock before its holder is read.
            record = tx.run(
                f"MERGE (l:`{self.label}` {{id: $job}}) "
                "SET l._lock = true "
                "WITH l, (l.owner IS NULL OR l.owner = $owner OR l.expires_at < datetime()) "
                "AS free "
                # SET items apply in order: the owner is replaced last.
                "SET l.job = $job, "
                "    l.acquired_at = CASE WHEN free AND coalesce(l.owner, '') <> $owner "
                "                    THEN datetime() ELSE l.acquired_at END, "
                "    l.expires_at = CASE WHEN free "
                "                   THEN datetime() + duration({milliseconds: $ttl}) "
                "                   ELSE l.expires_at END, "
                "    l.owner = CASE WHEN free THEN $owner ELSE l.owner END "
                "REMOVE l._lock "
                "RETURN free",
                job=job,
                owner=owner,
                ttl=int(ttl_s * 1000),
            ).single(strict=True)
            return bool(record["free"])

        with self.driver.session(database=self.database) as session:
            return session.execute_write(work)

    def renew(self, job: str, owner: str, ttl_s: float) -> bool:
        """Extend our lease; False when the lock is no longer ours."""
        records, _, _ = self.driver.execute_query(
            f"MATCH (l:`{self.label}` {{id: $job}}) WHERE l.owner = $owner "
            "SET l.expires_at = datetime() + duration({milliseconds: $ttl}) RETURN count(l) AS n",
            job=job,
            owner=owner,
            ttl=int(ttl_s * 1000),
            database_=self.database,
        )
        return bool(records[0]["n"])

    def release(self, job: str, owner: str) -> None:
        """Give the lock back (only if it is ours)."""
        self.driver.execute_query(
            f"MATCH (l:`{self.label}` {{id: $job}}) WHERE l.owner = $owner DELETE l",
            job=job,
            owner=owner,
            database_=self.database,
        )

    def holder(self, job: str) -> str | None:
        """Who holds `job`'s unexpired lock, if anyone."""
        records, _, _ = self.driver.execute_query(
            f"MATCH (l:`{self.label}` {{id: $job}}) WHERE l.expires_at >= datetime() "
            "RETURN l.owner AS owner",
            job=job,
            database_=self.database,
        )
        return str(records[0]["owner"]) if records else None


class Heartbeat:
    """Renews a held lock every third of its lifetime while a job runs."""

    def __init__(self, locks: JobLockStore, job: str, owner: str, ttl_s: float) -> None:
        self.locks, self.job, self.owner, self.ttl_s = locks, job, owner, ttl_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lock-{job}", daemon=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl_s / 3):
            try:
                self.locks.renew(self.job, self.owner, self.ttl_s)
            except Exception:  # noqa: S112 - a missed renewal is retried next beat
                continue

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
