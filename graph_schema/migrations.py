"""Data migrations: stored data rewritten when a model version changes its shape.

`schema apply` runs every migration newer than the model version the database
records, oldest first, before it records the new version. Each one touches only
data still in the old shape, so running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import Driver


@dataclass(frozen=True)
class Migration:
    """What the data of model `version` no longer looks like, and the rewrite."""

    version: int
    description: str
    # One auto-commit statement (it may batch itself with CALL ... IN TRANSACTIONS).
    cypher: str


MIGRATIONS = (
    Migration(
        2,
        "Evidence ids become `fact U+001F record`; fact, dataset and file leave Evidence",
        "MATCH (e:Evidence) WHERE e.fact IS NOT NULL "
        "CALL (e) { SET e.id = e.fact + '\\u001f' + e.record REMOVE e.fact, e.dataset, e.file } "
        "IN TRANSACTIONS OF 10000 ROWS",
    ),
)


def run_migrations(
    driver: Driver, database: str, recorded: int | None, target: int
) -> list[Migration]:
    """Run the migrations after version `recorded` (all when None) up to `target`."""
    done = []
    for migration in MIGRATIONS:
        if (recorded is None or migration.version > recorded) and migration.version <= target:
            # CALL ... IN TRANSACTIONS needs an auto-commit transaction: session.run.
            with driver.session(database=database) as session:
                session.run(migration.cypher).consume()
            done.append(migration)
    return done
