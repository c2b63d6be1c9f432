"""`linkgraph mapping check` and `ingest --dry-run` on a machine with no Neo4j."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.test_mapping_expressions import docs_examples


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed again: nothing listens there


def _linkgraph(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command line in a process whose Neo4j does not exist and has no password."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINKGRAPH_")}
    env |= {
        "LINKGRAPH_NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}",
        "LINKGRAPH_NEO4J_HOME": str(tmp_path / "no-neo4j"),
        "LINKGRAPH_DATA_DIR": str(tmp_path / "data"),
    }
    return subprocess.run(
        [sys.executable, "-m", "linkgraph", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_mapping_check_needs_no_database(tmp_path: Path) -> None:
    files = docs_examples(tmp_path / "docs")
    result = _linkgraph(tmp_path, "mapping", "check", str(files["calls.yaml"]), "--show", "1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "first 1 mapped record(s):" in out
    assert "record 1 (carrier_cdr:0912345678/2024-03-05T10:00:00+07:00):" in out
    assert "Phone:+84912345678" in out
    assert 'CALLED:+84912345678->+639171234567 {"duration_s": 60}' in out
    assert "record 2 (" not in out  # --show 1
    assert "dry run: completed" in out
    assert "read 3 = loaded 2 + rejected 1" in out
    assert "record 3 (dir): caller.key.number: 'XX' is none of the cases ('MO', 'MT')" in out
    rejects = list((tmp_path / "data" / "rejects").glob("*.jsonl"))
    assert [json.loads(line)["record_no"] for line in rejects[0].read_text().splitlines()] == [3]


def test_dry_run_needs_no_database_and_takes_another_file(tmp_path: Path) -> None:
    files = docs_examples(tmp_path / "docs")
    other = tmp_path / "more.csv"
    header, *lines = files["transfers.csv"].read_text().splitlines()
    other.write_text("\n".join([header, *lines, *lines]) + "\n")
    result = _linkgraph(
        tmp_path, "ingest", str(files["transfers.yaml"]), "--dry-run", "--file", str(other)
    )
    assert result.returncode == 0, result.stderr
    assert "read 6 = loaded 6 + rejected 0" in result.stdout
    assert "4 of the loaded records repeat an earlier record exactly" in result.stdout
    assert str(other) in result.stdout


def test_a_mapping_error_is_one_line_without_a_database(tmp_path: Path) -> None:
    files = docs_examples(tmp_path / "docs")
    mapping = files["calls.yaml"]
    mapping.write_text(mapping.read_text().replace("cases: {MO: msisdn,", "casez: {MO: msisdn,"))
    result = _linkgraph(tmp_path, "mapping", "check", str(mapping))
    assert result.returncode == 1
    assert f"{mapping}: key entities.caller.key.number" in result.stderr
    assert "number.casez: Extra inputs are not permitted (line 10)" in result.stderr
    assert "Traceback" not in result.stderr
