"""Provenance lookups: which source records assert a node or a relationship."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import Driver, RoutingControl

from graph_schema.provenance import evidence_page


@dataclass(frozen=True)
class Assertion:
    """One source record asserting the fact."""

    dataset: str
    file: str | None
    record_no: int | None
    record: str
    run: str | None
    seen: Any


def explain(
    driver: Driver, fact: str, database: str = "neo4j", limit: int = 100
) -> tuple[int, list[Assertion]]:
    """(how many records assert `fact`, the first `limit` of them by time and record).

    `fact` is `Label:id` for a node (`Phone:+639171234567`), `TYPE:source->target`
    for an aggregated relationship, `TYPE:id` for an event.
    """
    # Index seeks (a prefix of Evidence.id), so a hub asserted by a million records is
    # counted in the index and never gathered into one list.
    records, _, _ = driver.execute_query(
        f"WITH $fact AS fact {evidence_page('fact', '$limit')} RETURN total, rows",
        fact=fact,
        limit=limit,
        database_=database,
        routing_=RoutingControl.READ,
    )
    rows = [
        Assertion(
            dataset=row["dataset"],
            file=row.get("file"),
            record_no=row.get("record_no"),
            record=row["record"],
            run=row.get("run"),
            seen=row.get("seen"),
        )
        for row in records[0]["rows"]
    ]
    return records[0]["total"], rows
