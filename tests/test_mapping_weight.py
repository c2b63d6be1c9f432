"""A stated tie strength: mapped to `ASSOCIATED_WITH.weight` (bounded by the model),
and taken by the analytics as the association's chance of a real tie."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from neo4j import Driver

from analytics.projection import project_persons
from analytics.roles import roles_of
from analytics.settings import AnalyticsSettings
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from ingest.loader import Loader
from tests.test_mapping_expressions import docs_examples

pytestmark = pytest.mark.neo4j


def test_stated_weights_enter_the_tie_weights(
    empty_graph: Driver, settings: Settings, tmp_path: Path
) -> None:
    model = load_model()
    apply_schema(empty_graph, model, settings.neo4j_database)
    files = docs_examples(tmp_path / "docs")
    loader = Loader(empty_graph, model, settings.neo4j_database)
    summary = loader.load(files["co_offending.yaml"], rejects_dir=tmp_path / "rejects")
    assert (summary.records_loaded, summary.records_rejected) == (3, 1)
    assert summary.rejects_file is not None
    [reject] = [json.loads(line) for line in Path(summary.rejects_file).read_text().splitlines()]
    assert reject["record_no"] == 4
    assert reject["reason"] == (
        "ASSOCIATED_WITH.weight: cannot normalise float '1.7': above the maximum 1"
    )
    rows, _, _ = empty_graph.execute_query(
        "MATCH (a)-[r:ASSOCIATED_WITH]->(b) RETURN a.id AS a, b.id AS b, r.relation AS rel, "
        "r.weight AS w ORDER BY a, b"
    )
    assert [(r["a"], r["b"], r["rel"], r["w"]) for r in rows] == [
        ("police_cooffending:N1", "police_cooffending:N2", "co_offender", 0.9),
        ("police_cooffending:N1", "police_cooffending:N3", "family", None),
        ("police_cooffending:N2", "police_cooffending:N3", "co_offender", 0.25),
    ]

    def weights(analytics: AnalyticsSettings) -> dict[tuple[str, str], float]:
        graph = project_persons(empty_graph, roles_of(model), analytics, settings.neo4j_database)
        names = [p.removeprefix("police_cooffending:") for p in graph.person_ids]
        return {
            (names[a], names[b]): round(float(w), 6)
            for (a, b), w in zip(graph.edges, graph.weights, strict=True)
        }

    # No weight given counts 1 (a family tie, as before weights existed).
    assert weights(AnalyticsSettings()) == {
        ("N1", "N2"): 0.9,
        ("N1", "N3"): 1.0,
        ("N2", "N3"): 0.25,
    }
    # The association setting scales every stated association, weighted or not.
    assert weights(AnalyticsSettings(weight_association=0.5)) == {
        ("N1", "N2"): 0.45,
        ("N1", "N3"): 0.5,
        ("N2", "N3"): 0.125,
    }
    # A second kind of association between the same pair combines by noisy-OR.
    empty_graph.execute_query(
        "MATCH (a:Person {id: 'police_cooffending:N2'}), (b:Person {id: 'police_cooffending:N3'}) "
        "CREATE (a)-[:ASSOCIATED_WITH {relation: 'meeting', weight: 0.5}]->(b)"
    )
    assert weights(AnalyticsSettings())[("N2", "N3")] == round(1 - 0.75 * 0.5, 6)
