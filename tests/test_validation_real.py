"""Zachary's karate club through the product's own path: Neo4j, projection, detection."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from analytics.settings import AnalyticsSettings
from bench.validation.real_sets import evaluate, load_karate
from core.settings import Settings
from graph_schema.loader import load_model

pytestmark = pytest.mark.neo4j


def test_karate_club_reaches_the_optimum_modularity_through_neo4j(
    empty_graph: Driver, settings: Settings
) -> None:
    # The optimum partition of the unweighted club has Q 0.4198 (Brandes et al. 2008).
    karate = load_karate(Path("."))
    [score] = evaluate(
        empty_graph, load_model(), settings.neo4j_database, AnalyticsSettings(), [karate]
    )
    assert score.people == 34
    assert score.edges == 78
    assert score.modularity >= 0.419
    # The two factions of the fission are split across the four communities, not mixed.
    assert score.nmi >= 0.45
