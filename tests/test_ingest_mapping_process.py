"""The loader's mapping child process: its errors, its death and its end reach the loader."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

import ingest.mapping_process
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from ingest.batch import Batch
from ingest.loader import Loader
from ingest.readers import ReaderError
from ingest.writer import BatchWriter

pytestmark = pytest.mark.neo4j

RECORDS = 600  # about 18 KB: a bad byte at the end is past the first reads


def _mapping(folder: Path, tail: bytes = b"") -> Path:
    lines = ["id,a,b"] + [f"R{i},091{i:07d},091{i + 1:07d}" for i in range(RECORDS)]
    (folder / "cdr.csv").write_bytes(("\n".join(lines) + "\n").encode() + tail)
    mapping = folder / "cdr.yaml"
    mapping.write_text(
        "dataset: child_cdr\nsource: {format: csv, path: cdr.csv}\nrecord_id: id\n"
        "defaults: {region: VN}\n"
        "entities:\n  a: {label: Phone, key: {number: a}}\n  b: {label: Phone, key: {number: b}}\n"
        "relationships:\n  - {type: CALLED, from: a, to: b}\n"
    )
    return mapping


@pytest.fixture
def loader(empty_graph: Driver, settings: Settings) -> Loader:
    model = load_model()
    apply_schema(empty_graph, model, settings.neo4j_database)
    return Loader(empty_graph, model, settings.neo4j_database, batch_size=50)


def _run(driver: Driver) -> dict[str, Any]:
    rows, _, _ = driver.execute_query("MATCH (r:IngestRun) RETURN r {.*} AS r")
    [row] = rows
    return dict(row["r"])


def test_a_reader_error_in_the_child_fails_the_run_with_its_message(
    loader: Loader, tmp_path: Path
) -> None:
    # Two full batches, then a line that is not UTF-8.
    mapping = _mapping(tmp_path, tail=b"R999,091\xff,0910000001\n")
    with pytest.raises(ReaderError, match="not utf-8 near byte") as raised:
        loader.load(mapping, rejects_dir=tmp_path)
    assert any("in the mapping process" in note for note in raised.value.__notes__)
    run = _run(loader.driver)
    assert run["status"] == "failed"
    assert "ReaderError" in run["error"]
    # The batches mapped before the bad line were written, and counted.
    loaded = run["records_loaded"]
    assert loaded >= 100
    assert loaded % 50 == 0  # whole batches
    rows, _, _ = loader.driver.execute_query("MATCH (e:Evidence) RETURN count(e) AS n")
    assert rows[0]["n"] == 3 * loaded
    assert not multiprocessing.active_children()


def test_a_bad_byte_in_the_first_read_is_a_reader_error(loader: Loader, tmp_path: Path) -> None:
    mapping = _mapping(tmp_path)
    data = tmp_path / "cdr.csv"
    data.write_bytes(data.read_bytes()[:200] + b"\xff")
    with pytest.raises(ReaderError, match="not utf-8 in its first 201 bytes"):
        loader.load(mapping, rejects_dir=tmp_path)


def test_a_child_that_dies_is_a_clear_error(
    loader: Loader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ingest.mapping_process.map_records

    def one_batch_then_die(*args: Any) -> Iterator[Batch]:
        batches = real(*args)
        yield next(batches)
        os._exit(3)  # as if killed: no word to the loader

    monkeypatch.setattr(ingest.mapping_process, "map_records", one_batch_then_die)
    with pytest.raises(RuntimeError, match=r"ended without finishing the file \(exit code 3\)"):
        loader.load(_mapping(tmp_path), rejects_dir=tmp_path)
    assert _run(loader.driver)["status"] == "failed"
    assert not multiprocessing.active_children()


def test_a_failed_write_stops_the_child(
    loader: Loader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: BatchWriter, batch: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(BatchWriter, "write", refuse)
    with pytest.raises(OSError, match="disk full"):
        loader.load(_mapping(tmp_path), rejects_dir=tmp_path)
    assert _run(loader.driver)["status"] == "failed"
    assert not multiprocessing.active_children()
