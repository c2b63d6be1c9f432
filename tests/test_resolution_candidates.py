"""The stored review queue across runs, on the real Neo4j: a pair a new run no longer
scores that high leaves it."""

from __future__ import annotations

import pytest
from neo4j import Driver

from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from resolution.graph import write_candidates
from resolution.scoring import ScoredPair
from tests.conftest import wipe

pytestmark = pytest.mark.neo4j


def pair(a: str, b: str, probability: float) -> ScoredPair:
    return ScoredPair(a, b, probability, 5.0, ())


def test_a_pair_no_longer_scored_leaves_the_queue(driver: Driver, settings: Settings) -> None:
    database = settings.neo4j_database
    wipe(driver, database)
    model = load_model()
    apply_schema(driver, model, database)
    first = [pair("d:a", "d:b", 0.99), pair("d:a", "d:c", 0.7), pair("d:c", "d:e", 0.6)]
    write_candidates(driver, model, database, "run-1", first, 0.95, 2)
    # The second run scores one pair again (now for review) and drops the other two:
    # deleting those runs in its own transactions, which an explicit one cannot hold.
    write_candidates(driver, model, database, "run-2", [pair("d:a", "d:b", 0.8)], 0.95, 2)
    records, _, _ = driver.execute_query(
        "MATCH (c:MatchCandidate) RETURN c.a AS a, c.b AS b, c.status AS status, "
        "c.resolution_run AS run",
        database_=database,
    )
    assert [dict(r) for r in records] == [
        {"a": "d:a", "b": "d:b", "status": "review", "run": "run-2"}
    ]
