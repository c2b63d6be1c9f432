"""Data migrations: stored data rewritten when a model version changes its shape.

`schema apply` runs every migration newer than the model version the database
records, oldest first, before it records the new version. Each one touches only
data still in the old shape, so running it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from neo4j import Driver

from graph_schema.loader import GraphModel
from graph_schema.rekey import rekey_document_ids

# A migration's work: given the driver, the database and the model.
Run = Callable[[Driver, str, GraphModel], None]


@dataclass(frozen=True)
class Migration:
    """What the data of model `version` no longer looks like, and the rewrite."""

    version: int
    description: str
    run: Run


def _statement(cypher: str) -> Run:
    """A migration that is one auto-commit statement (it may batch itself with
    CALL ... IN TRANSACTIONS, which needs an auto-commit transaction: session.run)."""

    def run(driver: Driver, database: str, model: GraphModel) -> None:
        with driver.session(database=database) as session:
            session.run(cypher).consume()

    return run


MIGRATIONS = (
    Migration(
        2,
        "Evidence ids become `fact U+001F record`; fact, dataset and file leave Evidence",
        _statement(
            "MATCH (e:Evidence) WHERE e.fact IS NOT NULL "
            "CALL (e) { SET e.id = e.fact + '\\u001f' + e.record "
            "REMOVE e.fact, e.dataset, e.file } IN TRANSACTIONS OF 10000 ROWS"
        ),
    ),
    Migration(
        3,
        "document numbers lose their separators in Person ids; nodes that meet are merged",
        rekey_document_ids,
    ),
)


def run_migrations(
    driver: Driver, database: str, model: GraphModel, recorded: int | None
) -> list[Migration]:
    """Run the migrations after version `recorded` (all when None) up to the model's."""
    done = []
    for migration in MIGRATIONS:
        if (recorded is None or migration.version > recorded) and migration.version <= (
            model.version
        ):
            migration.run(driver, database, model)
            done.append(migration)
    return done
