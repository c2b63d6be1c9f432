"""The `linkgraph` front door: help, clean errors, schema commands on the real Neo4j."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from core.settings import get_settings
from graph_schema.loader import DEFAULT_MODEL_DIR
from linkgraph.cli import main


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for args in ([], ["neo4j"], ["neo4j", "start"], ["schema"], ["schema", "apply"], ["demo"]):
        result = runner.invoke(main, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)
        assert "Usage:" in result.output


def test_schema_check_and_a_bad_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["schema", "check"])
    assert result.exit_code == 0
    assert "5 labels (+15 internal), 9 relationship types" in result.output

    bad = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, bad)
    (bad / "relationships" / "owns.yaml").write_text(
        (bad / "relationships" / "owns.yaml").read_text().replace("to: [Wallet]", "to: [Boat]")
    )
    monkeypatch.setenv("LINKGRAPH_MODEL_DIR", str(bad))
    get_settings.cache_clear()
    try:
        result = runner.invoke(main, ["schema", "check"])
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "owns.yaml: key to.0: unknown label 'Boat'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.neo4j
def test_schema_apply_twice_and_status(empty_graph: Driver) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["schema", "status"])
    assert result.exit_code == 1
    assert "never applied" in result.output
    first = runner.invoke(main, ["schema", "apply"])
    assert first.exit_code == 0, first.output
    assert "created lg_phone_id" in first.output
    second = runner.invoke(main, ["schema", "apply"])
    assert second.exit_code == 0
    assert "0 created, 0 dropped" in second.output
    status = runner.invoke(main, ["schema", "status"])
    assert status.exit_code == 0
    assert "up to date" in status.output
