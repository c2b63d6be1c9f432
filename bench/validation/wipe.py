"""Emptying the validation's own database between scenarios and sets."""

from __future__ import annotations

from neo4j import Driver


def wipe(driver: Driver, database: str) -> None:
    """Remove every node and relationship (constraints and indexes stay)."""
    # CALL ... IN TRANSACTIONS needs an auto-commit transaction: session.run.
    with driver.session(database=database) as session:
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
