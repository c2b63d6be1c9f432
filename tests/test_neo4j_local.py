"""The project's own Neo4j: plugins, status, a taken port, a clean restart."""

from __future__ import annotations

import socket
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from core.settings import Settings, get_settings
from linkgraph.cli import main
from linkgraph.neo4j_local import LocalNeo4j, Neo4jLocalError

pytestmark = pytest.mark.neo4j


def test_apoc_and_gds_answer_over_bolt(driver: Driver) -> None:
    rows, _, _ = driver.execute_query("RETURN apoc.version() AS apoc, gds.version() AS gds")
    assert rows[0]["apoc"].startswith("5.26.")
    assert rows[0]["gds"].startswith("2.13.")


def test_gds_runs_an_algorithm(empty_graph: Driver) -> None:
    empty_graph.execute_query(
        "CREATE (a:P {n: 1})-[:K]->(b:P {n: 2})-[:K]->(c:P {n: 3}), (d:P {n: 4})-[:K]->(e:P {n: 5})"
    )
    rows, _, _ = empty_graph.execute_query(
        "MATCH (s:P) OPTIONAL MATCH (s)-[:K]->(t:P) "
        "WITH gds.graph.project('wcc_test', s, t) AS g RETURN g.nodeCount AS nodes"
    )
    assert rows[0]["nodes"] == 5
    rows, _, _ = empty_graph.execute_query(
        "CALL gds.wcc.stream('wcc_test') YIELD componentId RETURN count(DISTINCT componentId) AS c"
    )
    empty_graph.execute_query("CALL gds.graph.drop('wcc_test')")
    assert rows[0]["c"] == 2


def test_status_reports_version_and_address(
    neo4j_server: LocalNeo4j | None, settings: Settings
) -> None:
    if neo4j_server is None:
        pytest.skip("tests run against an external Neo4j")
    state = neo4j_server.status()
    assert state.running
    assert state.version is not None
    assert state.version.startswith("5.26.")
    assert state.address == f"bolt://127.0.0.1:{settings.neo4j_port}"
    result = CliRunner().invoke(main, ["neo4j", "status"])
    assert result.exit_code == 0, result.output
    assert f"running: Neo4j {state.version} community at {state.address}" in result.output


def test_password_file_is_private(neo4j_server: LocalNeo4j | None, settings: Settings) -> None:
    if neo4j_server is None or not settings.neo4j_auth:
        pytest.skip("no local password file in this configuration")
    mode = stat.S_IMODE(settings.password_file.stat().st_mode)
    assert mode == 0o600


def test_taken_port_fails_at_once_with_a_message(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        server = LocalNeo4j(
            settings.model_copy(update={"neo4j_home": tmp_path / "n4j", "neo4j_port": port})
        )
        began = time.monotonic()
        with pytest.raises(Neo4jLocalError, match=f"port {port} is already in use"):
            server.start()
        assert time.monotonic() - began < 5
        assert server.pid() is None

        monkeypatch.setenv("LINKGRAPH_NEO4J_PORT", str(port))
        monkeypatch.setenv("LINKGRAPH_NEO4J_HOME", str(tmp_path / "cli"))
        get_settings.cache_clear()
        try:
            result = CliRunner().invoke(main, ["neo4j", "start"])
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()
    assert result.exit_code == 1
    assert f"port {port} is already in use" in result.output


def test_stop_is_clean_and_writes_survive_a_restart(
    neo4j_server: LocalNeo4j | None, empty_graph: Driver
) -> None:
    if neo4j_server is None:
        pytest.skip("tests run against an external Neo4j")
    empty_graph.execute_query("UNWIND range(1, 5000) AS i CREATE (:Survivor {i: i})")
    assert neo4j_server.stop() is True
    assert neo4j_server.status().running is False
    assert "Stopped." in (neo4j_server.log_dir / "neo4j.log").read_text()
    neo4j_server.start()
    rows, _, _ = empty_graph.execute_query("MATCH (n:Survivor) RETURN count(n) AS c, sum(n.i) AS s")
    assert (rows[0]["c"], rows[0]["s"]) == (5000, 5000 * 5001 // 2)


def test_transaction_log_retention_is_bounded(
    neo4j_server: LocalNeo4j | None, driver: Driver, settings: Settings
) -> None:
    if neo4j_server is None:
        pytest.skip("the tests use an external Neo4j")
    rows, _, _ = driver.execute_query(
        "SHOW SETTINGS YIELD name, value "
        "WHERE name = 'db.tx_log.rotation.retention_policy' RETURN value"
    )
    assert [row["value"] for row in rows] == [settings.neo4j_tx_log_retention]
