"""Adding a label is a YAML-only change: a `Vehicle` and a `DRIVES` relationship."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from neo4j import Driver
from neo4j.exceptions import ConstraintError

from core.settings import Settings
from graph_schema.apply import apply_schema, existing_items
from graph_schema.docs import render_markdown
from graph_schema.loader import DEFAULT_MODEL_DIR, load_model
from graph_schema.models import ModelClasses

VEHICLE = """\
label: Vehicle
description: A vehicle used to move people (a van, a boat).
key:
  kind: text
  properties: [plate]
properties:
  plate:
    type: string
    required: true
    indexed: fulltext
    description: Registration plate, with its country, e.g. TH:1AB2345.
  make:
    type: string
    indexed: range
    description: Make and model.
"""

DRIVES = """\
type: DRIVES
description: A person drives a vehicle.
from: [Person]
to: [Vehicle]
repeats: aggregate
"""


@pytest.fixture
def vehicle_model_dir(tmp_path: Path) -> Path:
    """The shipped model plus two YAML files, and nothing else."""
    target = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, target)
    (target / "nodes" / "vehicle.yaml").write_text(VEHICLE)
    (target / "relationships" / "drives.yaml").write_text(DRIVES)
    return target


def test_vehicle_is_derived_everywhere(vehicle_model_dir: Path) -> None:
    model = load_model(vehicle_model_dir)
    assert model.node("Vehicle").key.properties == ["plate"]
    assert model.relationship("DRIVES").target == ["Vehicle"]
    classes = ModelClasses(model)
    van = classes.nodes["Vehicle"](id="TH:1AB2345", plate="TH:1AB2345", make="Toyota Hiace")
    assert van.model_dump(exclude_none=True)["make"] == "Toyota Hiace"
    assert "DRIVES" in classes.relationships
    docs = render_markdown(model)
    assert "### Vehicle" in docs
    assert "### DRIVES" in docs
    assert model.checksum != load_model().checksum


@pytest.mark.neo4j
def test_vehicle_schema_applies(
    empty_graph: Driver, settings: Settings, vehicle_model_dir: Path
) -> None:
    model = load_model(vehicle_model_dir)
    result = apply_schema(empty_graph, model, settings.neo4j_database)
    assert {"lg_vehicle_id", "lg_vehicle_make"} <= set(result.created)
    search = existing_items(empty_graph, settings.neo4j_database)["lg_search"]
    assert "Vehicle" in search.labels
    assert "plate" in search.properties
    empty_graph.execute_query("CREATE (:Vehicle {id: 'TH:1AB2345', plate: 'TH:1AB2345'})")
    with pytest.raises(ConstraintError):
        empty_graph.execute_query("CREATE (:Vehicle {id: 'TH:1AB2345', plate: 'TH:1AB2345'})")
    rows, _, _ = empty_graph.execute_query(
        "CALL db.index.fulltext.queryNodes('lg_search', $q) YIELD node RETURN node.id AS id",
        q="1AB2345",
    )
    assert [row["id"] for row in rows] == ["TH:1AB2345"]
