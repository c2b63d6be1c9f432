"""Crash safety: kill the loader mid-run, load again, get exactly a clean load's graph."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from neo4j import Driver

from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from ingest.loader import Loader
from tests.conftest import wipe
from tests.ingest_fixtures import graph_dump

pytestmark = pytest.mark.neo4j

RECORDS = 3000


def _write_cdr(folder: Path) -> Path:
    rng = random.Random(7)
    phones = [f"091{rng.randrange(10**7):07d}" for _ in range(400)]
    lines = ["id,a,b,t,d"]
    for i in range(RECORDS):
        a, b = rng.sample(phones, 2)
        lines.append(
            f"R{i},{a},{b},2024-04-{1 + i % 28:02d}T{i % 24:02d}:00:00Z,{rng.randrange(600)}"
        )
    (folder / "cdr.csv").write_text("\n".join(lines) + "\n")
    mapping = folder / "cdr.yaml"
    mapping.write_text(
        "dataset: crash_cdr\nsource: {format: csv, path: cdr.csv}\nrecord_id: id\n"
        "time: {column: t}\ndefaults: {region: VN}\n"
        "entities:\n  a: {label: Phone, key: {number: a}}\n  b: {label: Phone, key: {number: b}}\n"
        "relationships:\n  - {type: CALLED, from: a, to: b, properties: {duration_s: d}}\n"
    )
    return mapping


def _evidence(driver: Driver) -> int:
    rows, _, _ = driver.execute_query("MATCH (e:Evidence) RETURN count(e) AS n")
    return int(rows[0]["n"])


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while we looked
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# With several writers, batches commit out of file order: a kill leaves holes.
@pytest.mark.parametrize("writers", [1, 3])
def test_a_killed_load_repaired_by_loading_again(
    empty_graph: Driver, settings: Settings, tmp_path: Path, writers: int
) -> None:
    model = load_model()
    db = settings.neo4j_database
    apply_schema(empty_graph, model, db)
    mapping = _write_cdr(tmp_path)
    command = [
        sys.executable,
        "-m",
        "linkgraph",
        "ingest",
        str(mapping),
        "--batch-size",
        "25",
        "--writers",
        str(writers),
        "--rejects-dir",
        str(tmp_path / "rejects"),
    ]
    process = subprocess.Popen(
        command, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while _evidence(empty_graph) < 500 and time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        time.sleep(0.05)
    mapping_children = _children(process.pid)
    assert mapping_children, "the loader maps in a child process"
    process.send_signal(signal.SIGKILL)
    process.wait()
    # The orphaned mapping process notices and ends.
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in mapping_children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in mapping_children)
    at_kill = _evidence(empty_graph)
    assert 0 < at_kill < 3 * RECORDS, "the kill must land mid-load"
    runs, _, _ = empty_graph.execute_query("MATCH (r:IngestRun) RETURN r.status AS s")
    assert [r["s"] for r in runs] == ["running"]  # the killed run never finished

    Loader(empty_graph, model, db, batch_size=200).load(mapping, rejects_dir=tmp_path)
    repaired = graph_dump(empty_graph)

    wipe(empty_graph, db)
    apply_schema(empty_graph, model, db)
    Loader(empty_graph, model, db, batch_size=200).load(mapping, rejects_dir=tmp_path)
    clean = graph_dump(empty_graph)
    assert repaired == clean
    assert _evidence(empty_graph) == 3 * RECORDS  # two phones and one call per record
