"""`linkgraph ingest`, `explain` and `ingest-runs` through the front door."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from linkgraph.cli import main
from tests.ingest_fixtures import write_fixtures

pytestmark = pytest.mark.neo4j


def test_ingest_explain_and_runs(empty_graph: Driver, settings: Settings, tmp_path: Path) -> None:
    apply_schema(empty_graph, load_model(), settings.neo4j_database)
    mappings = write_fixtures(tmp_path)
    runner = CliRunner()
    rejects = str(tmp_path / "rejects")

    dry = runner.invoke(main, ["ingest", str(mappings["calls"]), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output
    assert "read 4 = loaded 4 + rejected 0" in dry.output
    nothing, _, _ = empty_graph.execute_query("MATCH (p:Phone) RETURN count(p) AS n")
    assert nothing[0]["n"] == 0

    loaded = runner.invoke(
        main,
        ["ingest", str(mappings["subscribers"]), "--rejects-dir", rejects, "--batch-size", "2"],
    )
    assert loaded.exit_code == 0, loaded.output
    assert "read 6 = loaded 4 + rejected 2" in loaded.output
    assert "rejects (with reasons):" in loaded.output

    explained = runner.invoke(main, ["explain", "Phone:+639171234567"])
    assert explained.exit_code == 0, explained.output
    assert "asserted by 1 source record(s)" in explained.output
    assert "vn_telco  subscribers.csv#3" in explained.output

    missing = runner.invoke(main, ["explain", "Phone:+10000000000"])
    assert missing.exit_code == 1
    assert "no source record asserts 'Phone:+10000000000'" in missing.output

    runs = runner.invoke(main, ["ingest-runs"])
    assert runs.exit_code == 0
    assert "completed  read 6 = loaded 4 + rejected 2" in runs.output


def test_a_bad_mapping_is_a_one_line_error(tmp_path: Path) -> None:
    mapping = tmp_path / "bad.yaml"
    mapping.write_text("dataset: x\nsource: {format: xml}\nentities: {}\n")
    result = CliRunner().invoke(main, ["ingest", str(mapping)])
    assert result.exit_code == 1
    assert f"{mapping}: key source.format" in result.output
    assert "Traceback" not in result.output
