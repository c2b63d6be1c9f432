"""Writing batches: one transaction per batch, on writer threads of their own.

The loader takes in the next mapped batch (ingest.mapping_process) while a writer
thread writes the previous one. With `writers` threads (1 by default), at most that
many batches are being written while the next waits, so memory stays bounded by the
batch size. Several writers count and sum as one does: every update reads what it
changes in its own SET, so Neo4j locks it first and no increment is lost, and a
batch's statements run in sorted order. But a property that records of different
batches set differently keeps the value of the batch committed last, not of the
record read last (docs/ingest.md, "Parallel writers").

Each batch's transaction creates the batch's new Evidence and updates its facts, so
a batch is in the database whole or not at all. Evidence is created without looking
first while the run meets no record loaded before (a first load); the unique
constraint on Evidence.id rejects a duplicate, and the batch is then written again
checking its ids, as are the batches after it until one has no known record (a
re-load, or the already loaded part of a file after a crash). On a database without
that constraint (the schema not applied) a duplicate would be created, not refused:
every batch is then checked.

Given a hub policy, each batch's transaction also applies it to the identifiers the
batch links people to (ingest.hubs), so the flags are committed with the links.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from neo4j import Driver, ManagedTransaction, RoutingControl
from neo4j.exceptions import ConstraintError

from graph_schema.loader import GraphModel
from ingest.batch import Foldable, Row
from ingest.collector import released
from ingest.cypher import (
    EVIDENCE_CREATE,
    EVIDENCE_FOUND,
    EVIDENCE_UNIQUE,
    node_statement,
    rel_statement,
)
from ingest.hubs import HubChanges, HubPolicy, flag_linked, hub_rules

# A checked batch can still meet a duplicate when another load of the same records
# runs at the same time; it is checked again, a few times.
ATTEMPTS = 3


class BatchWriter:
    """Writes one load's batches, one transaction each, on `writers` threads of its own."""

    # Create Evidence without a check until a duplicate shows up (False: always check).
    optimistic = True

    def __init__(
        self,
        driver: Driver,
        model: GraphModel,
        database: str,
        params: dict[str, Any],
        hub_policy: HubPolicy | None = None,
        writers: int = 1,
    ) -> None:
        self.driver = driver
        self.model = model
        self.database = database
        self.params = params  # $dataset, $run
        self.hub_policy = hub_policy
        rules = hub_rules(model)
        self._hub_rules = rules if hub_policy is not None else []
        self._hub_labels = {rule.label for rule in rules}
        self.hub_changes = HubChanges()  # of the batches written so far
        # Only the unique constraint makes an unchecked CREATE safe.
        self.unchecked_ok = self.optimistic and _evidence_is_unique(driver, database)
        self.checking = not self.unchecked_ok
        self.writers = writers
        self._pool = ThreadPoolExecutor(max_workers=writers, thread_name_prefix="linkgraph-ingest")
        self._pending: deque[Future[None]] = deque()
        self._lock = threading.Lock()

    def submit(self, batch: Foldable) -> None:
        """Write `batch` once a writer is free (raising the error of a written one, if any)."""
        while len(self._pending) >= self.writers:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(self.write, batch))

    def wait(self) -> None:
        """Block until every batch submitted is in the database; re-raise the first error."""
        while self._pending:
            self._pending.popleft().result()

    def close(self, *, failed: bool = False) -> None:
        """Finish the last batch (its error is raised unless the load `failed` already)."""
        try:
            self.wait()
        except Exception:
            if not failed:
                raise
        finally:
            self._pool.shutdown(wait=True)

    def write(self, batch: Foldable) -> None:
        """Write one batch in one transaction, checking its Evidence ids when needed."""
        for attempt in range(ATTEMPTS):
            try:
                with self.driver.session(database=self.database) as session:
                    known, hubs = session.execute_write(self._work, batch, self.checking)
            except ConstraintError:
                if self.checking and attempt == ATTEMPTS - 1:
                    raise
                self.checking = True  # some of its records are in the database: look first
                continue
            if known == 0 and self.unchecked_ok:
                self.checking = False
            with self._lock:
                self.hub_changes += hubs
            return

    def _work(self, tx: ManagedTransaction, batch: Foldable, check: bool) -> tuple[int, HubChanges]:
        """The batch's statements; how many of its Evidence ids were known, and hub changes."""
        known: set[str] = set()
        if check:
            with released(batch.evidence) as ids:
                found = tx.run(EVIDENCE_FOUND, ids=ids).single(strict=True)
            known = set(found["found"])
        rows = batch.rows(known)
        if rows.evidence:
            self._send(tx, EVIDENCE_CREATE, rows.evidence)
        # Nodes before relationships: the relationship statements MATCH their ends.
        for label in sorted(rows.nodes):
            statement = node_statement(label, hub_flag=label in self._hub_labels)
            self._send(tx, statement, rows.nodes[label])
        for rel_type, source, target in sorted(rows.rels):
            statement = rel_statement(self.model, rel_type, source, target)
            self._send(tx, statement, rows.rels[(rel_type, source, target)])
        hubs = HubChanges()
        if self.hub_policy is not None:
            hubs = flag_linked(tx, self._hub_rules, self.hub_policy, rows.rels)
        return len(known), hubs

    def _send(self, tx: ManagedTransaction, statement: str, rows: list[Row]) -> None:
        with released(rows) as sent:
            tx.run(statement, rows=sent, **self.params).consume()


def _evidence_is_unique(driver: Driver, database: str) -> bool:
    records, _, _ = driver.execute_query(
        EVIDENCE_UNIQUE, database_=database, routing_=RoutingControl.READ
    )
    return bool(records[0]["unique"])
