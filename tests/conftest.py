"""Shared fixtures: the test run's own real Neo4j, and an empty graph for each test.

Tests use their own Neo4j home and port (default 7688), so they never touch the
demo's database and can run while it is up. Set LINKGRAPH_NEO4J_URI (and the
password) to run them against another server instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

ROOT = Path(__file__).resolve().parent.parent

# Before anything reads settings: point the in-process settings (and CLI runs) at
# the test server, not the demo's.
if not os.environ.get("LINKGRAPH_NEO4J_URI"):
    os.environ.setdefault("LINKGRAPH_NEO4J_HOME", str(ROOT / ".linkgraph" / "test-neo4j"))
    os.environ.setdefault("LINKGRAPH_NEO4J_PORT", "7688")
    os.environ.setdefault("LINKGRAPH_NEO4J_HEAP", "1g")
    os.environ.setdefault("LINKGRAPH_NEO4J_PAGECACHE", "256m")
os.environ.setdefault("LINKGRAPH_ENVIRONMENT", "test")

from core.db import close_driver, get_driver  # noqa: E402
from core.settings import Settings, get_settings  # noqa: E402
from linkgraph.neo4j_local import LocalNeo4j  # noqa: E402


@pytest.fixture(scope="session")
def settings() -> Settings:
    """The test run's settings."""
    return get_settings()


@pytest.fixture(scope="session")
def neo4j_server(settings: Settings) -> Iterator[LocalNeo4j | None]:
    """The test run's Neo4j: started here (and stopped at the end) unless one is given."""
    if not settings.uses_local_neo4j:
        yield None
        return
    server = LocalNeo4j(settings)
    started_here = server.pid() is None
    server.start()
    yield server
    close_driver()
    if started_here:
        server.stop()


@pytest.fixture(scope="session")
def driver(neo4j_server: LocalNeo4j | None) -> Driver:
    """The process's one driver, connected to the test run's Neo4j."""
    return get_driver()


def wipe(driver: Driver, database: str) -> None:
    """Remove every node, relationship, constraint and index (but the lookup indexes)."""
    # CALL ... IN TRANSACTIONS needs an auto-commit transaction: session.run.
    with driver.session(database=database) as session:
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
    constraints, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name", database_=database)
    for row in constraints:
        driver.execute_query(f"DROP CONSTRAINT `{row['name']}`", database_=database)
    indexes, _, _ = driver.execute_query(
        "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name", database_=database
    )
    for row in indexes:
        driver.execute_query(f"DROP INDEX `{row['name']}`", database_=database)


@pytest.fixture
def empty_graph(driver: Driver, settings: Settings) -> Driver:
    """A driver on an empty database: no data, no constraints, no indexes."""
    wipe(driver, settings.neo4j_database)
    return driver
