"""`schema apply` against the real Neo4j: idempotent, enforcing, version-recording."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from neo4j import Driver
from neo4j.exceptions import ConstraintError

from core.settings import Settings
from graph_schema.apply import apply_schema, existing_items, recorded_version
from graph_schema.ddl import schema_items
from graph_schema.loader import DEFAULT_MODEL_DIR, load_model
from ingest.provenance import explain

pytestmark = pytest.mark.neo4j


def test_apply_creates_every_item_then_changes_nothing(
    empty_graph: Driver, settings: Settings
) -> None:
    model = load_model()
    db = settings.neo4j_database
    first = apply_schema(empty_graph, model, db)
    wanted = {item.name: item.signature for item in schema_items(model)}
    assert sorted(first.created) == sorted(wanted)
    assert first.version_recorded
    assert existing_items(empty_graph, db) == wanted

    second = apply_schema(empty_graph, model, db)
    assert not second.changed
    assert second.created == []
    assert second.dropped == []
    assert sorted(second.unchanged) == sorted(wanted)
    assert existing_items(empty_graph, db) == wanted


def test_indexes_are_online_after_apply(empty_graph: Driver, settings: Settings) -> None:
    apply_schema(empty_graph, load_model(), settings.neo4j_database)
    rows, _, _ = empty_graph.execute_query(
        "SHOW INDEXES YIELD name, state WHERE name STARTS WITH 'lg_' RETURN name, state"
    )
    assert rows
    assert {row["state"] for row in rows} == {"ONLINE"}


def test_duplicate_key_is_refused(empty_graph: Driver, settings: Settings) -> None:
    apply_schema(empty_graph, load_model(), settings.neo4j_database)
    empty_graph.execute_query("CREATE (:Phone {id: $id, e164: $id})", id="+639171234567")
    with pytest.raises(ConstraintError):
        empty_graph.execute_query("CREATE (:Phone {id: $id, e164: $id})", id="+639171234567")
    empty_graph.execute_query(
        "CREATE (a:Wallet {id: 'btc:a'}), (b:Wallet {id: 'btc:b'}) "
        "CREATE (a)-[:TRANSFERRED {id: 't1'}]->(b)"
    )
    with pytest.raises(ConstraintError):
        empty_graph.execute_query(
            "MATCH (a:Wallet {id: 'btc:a'}), (b:Wallet {id: 'btc:b'}) "
            "CREATE (b)-[:TRANSFERRED {id: 't1'}]->(a)"
        )


def test_version_is_recorded_and_model_changes_are_applied(
    empty_graph: Driver, settings: Settings, tmp_path: Path
) -> None:
    db = settings.neo4j_database
    model = load_model()
    apply_schema(empty_graph, model, db)
    recorded = recorded_version(empty_graph, model, db)
    assert recorded is not None
    assert recorded["version"] == model.version
    assert recorded["checksum"] == model.checksum
    # Someone else's index is left alone.
    empty_graph.execute_query("CREATE INDEX analyst_idx FOR (n:Phone) ON (n.note)")

    changed_dir = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, changed_dir)
    person = changed_dir / "nodes" / "person.yaml"
    person.write_text(
        person.read_text().replace(
            "  nationality:\n    type: string\n    indexed: range",
            "  nationality:\n    type: string\n    indexed: text",
        )
    )
    header = changed_dir / "model.yaml"
    version = load_model().version
    header.write_text(header.read_text().replace(f"version: {version}", f"version: {version + 1}"))
    changed = load_model(changed_dir)

    result = apply_schema(empty_graph, changed, db)
    assert result.dropped == ["lg_person_nationality"]
    assert result.created == ["lg_person_nationality"]
    assert result.version_recorded
    items = existing_items(empty_graph, db)
    assert items["lg_person_nationality"].kind == "TEXT"
    after = recorded_version(empty_graph, changed, db)
    assert after is not None
    assert after["version"] == version + 1
    names, _, _ = empty_graph.execute_query("SHOW INDEXES YIELD name RETURN collect(name) AS n")
    assert "analyst_idx" in names[0]["n"]


def test_evidence_of_model_version_1_is_migrated(empty_graph: Driver, settings: Settings) -> None:
    db = settings.neo4j_database
    model = load_model()
    apply_schema(empty_graph, model, db)
    # A database written by model version 1: hashed Evidence ids, the fact beside them.
    empty_graph.execute_query(
        "MATCH (v:GraphSchema) SET v.version = 1 "
        "CREATE (:Evidence {id: 'a1b2', fact: 'Phone:+84912345678', record: 'cdr:C1', "
        "dataset: 'cdr', file: 'calls.csv', record_no: 1, run: 'r1'})",
        database_=db,
    )
    result = apply_schema(empty_graph, model, db)
    assert result.migrated
    assert result.changed
    assert "migrated: Evidence ids" in result.summary()
    rows, _, _ = empty_graph.execute_query("MATCH (e:Evidence) RETURN e {.*} AS e", database_=db)
    assert [row["e"] for row in rows] == [
        {"id": "Phone:+84912345678\x1fcdr:C1", "record": "cdr:C1", "record_no": 1, "run": "r1"}
    ]
    total, _ = explain(empty_graph, "Phone:+84912345678", db)
    assert total == 1
    assert apply_schema(empty_graph, model, db).migrated == []  # recorded as version 2 now
