"""Hostile input against the real Neo4j: one bad record is a reject with a reason.

Every load here must complete with read = loaded + rejected, its good records in
the graph; only a fault of the whole file fails a run, with a one-line error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j import Driver

from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from ingest.loader import Loader
from ingest.readers import ReaderError, ReaderLimits
from ingest.runs import IngestSummary
from linkgraph.cli import main

pytestmark = pytest.mark.neo4j

PEOPLE_CSV_MAPPING = """\
dataset: people
source: {format: csv, path: people.csv, encoding: ENCODING}
record_id: id
entities:
  person:
    label: Person
    key: {ref: id}
    properties:
      name: {column: name, normalise: name}
      name_key: {column: name, normalise: name_key}
"""

ACCOUNTS_JSONL_MAPPING = """\
dataset: fuzzj
source: {format: jsonl, path: accounts.jsonl}
record_id: id
entities:
  person:
    label: Person
    key: {ref: id}
    properties:
      name: {column: name, normalise: name}
      name_key: {column: name, normalise: name_key}
      aliases: aliases
      birth_date: born
      community: n
  account:
    label: Account
    key: {handle: handle, platform: platform}
    properties: {display_name: shown}
relationships:
  - {type: HOLDS, from: person, to: account}
"""


@pytest.fixture
def loader(empty_graph: Driver, settings: Settings) -> Loader:
    """A loader on an empty database with the schema applied."""
    model = load_model()
    apply_schema(empty_graph, model, settings.neo4j_database)
    return Loader(empty_graph, model, settings.neo4j_database, batch_size=2)


def _people_csv(folder: Path, rows: list[str], encoding: str = "utf-8", bom: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = "id,name\n" + "".join(row + "\n" for row in rows)
    data = text.encode("utf-8")
    (folder / "people.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    mapping = folder / "people.yaml"
    mapping.write_text(PEOPLE_CSV_MAPPING.replace("ENCODING", encoding), encoding="utf-8")
    return mapping


def _accounts_jsonl(folder: Path, lines: list[str], bom: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    (folder / "accounts.jsonl").write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    mapping = folder / "accounts.yaml"
    mapping.write_text(ACCOUNTS_JSONL_MAPPING, encoding="utf-8")
    return mapping


def _account(**fields: Any) -> str:
    record = {"id": "a1", "name": "Ana", "handle": "ana_reyes", "platform": "telegram"}
    record.update(fields)
    return json.dumps(record)


def _rejects(summary: IngestSummary) -> list[dict[str, Any]]:
    if summary.rejects_file is None:
        return []
    lines = Path(summary.rejects_file).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _complete(summary: IngestSummary, read: int, loaded: int) -> list[dict[str, Any]]:
    """Assert the run completed with these counts; its rejects, one per rejected record."""
    assert summary.status == "completed"
    assert (summary.records_read, summary.records_loaded) == (read, loaded)
    assert summary.records_read == summary.records_loaded + summary.records_rejected
    rejects = _rejects(summary)
    assert len(rejects) == summary.records_rejected
    return rejects


def _people(driver: Driver) -> dict[str, str]:
    rows, _, _ = driver.execute_query("MATCH (p:Person) RETURN p.ref AS ref, p.name AS name")
    return {row["ref"]: row["name"] for row in rows}


# 1. Cell size ------------------------------------------------------------------------------


def test_a_10_mb_cell_is_a_reject_and_the_good_rows_load(loader: Loader, tmp_path: Path) -> None:
    huge = "x" * 10_000_000
    mapping = _people_csv(tmp_path, ["P1,Ana Reyes", f"P2,{huge}", "P3,Maria Santos"])
    [reject] = _complete(loader.load(mapping, rejects_dir=tmp_path / "r"), read=3, loaded=2)
    assert reject["record_no"] == 2
    assert "'name' is 10,000,000 characters long; the limit is 1,000,000" in reject["reason"]
    assert "LINKGRAPH_INGEST_MAX_CELL" in reject["reason"]
    # The rejects file keeps the record, with the cell cut to a preview.
    assert reject["record"]["id"] == "P2"
    assert reject["record"]["name"].endswith("[10,000,000 characters]")
    assert len(reject["record"]["name"]) < 300
    assert _people(loader.driver) == {"people:P1": "Ana Reyes", "people:P3": "Maria Santos"}


def test_the_cell_limit_is_a_setting(
    empty_graph: Driver, settings: Settings, tmp_path: Path
) -> None:
    model = load_model()
    apply_schema(empty_graph, model, settings.neo4j_database)
    small = settings.model_copy(update={"ingest_max_cell": 10})
    loader = Loader.from_settings(empty_graph, model, small)
    assert loader.limits == ReaderLimits(max_cell=10, max_depth=settings.ingest_max_depth)
    mapping = _people_csv(tmp_path, ["P1,Ana Reyes", "P2,Maria Santos Villanueva"])
    [reject] = _complete(loader.load(mapping, rejects_dir=tmp_path / "r"), read=2, loaded=1)
    assert "'name' is 23 characters long; the limit is 10" in reject["reason"]


def test_a_cell_beyond_the_csv_readers_own_limit_costs_one_row(
    loader: Loader, tmp_path: Path
) -> None:
    # With a cell limit of 100, csv itself stops at 131,072 characters: the reader
    # rejects the row csv refused and reads on from the next line.
    loader.limits = ReaderLimits(max_cell=100)
    mapping = _people_csv(tmp_path, ["P1,Ana", "P2," + "y" * 200_000, "P3,Bo", "P4," + "z" * 150])
    rejects = _complete(loader.load(mapping, rejects_dir=tmp_path / "r"), read=4, loaded=2)
    assert [r["record_no"] for r in rejects] == [2, 4]
    assert "a cell of more than 131,072 characters" in rejects[0]["reason"]
    assert "'name' is 150 characters long; the limit is 100" in rejects[1]["reason"]
    assert set(_people(loader.driver)) == {"people:P1", "people:P3"}


# 2. Wrong JSON types -----------------------------------------------------------------------


def test_wrong_json_types_are_rejects_with_reasons(loader: Loader, tmp_path: Path) -> None:
    lines = [
        _account(id="ok1"),
        _account(id="w1", platform=12345),
        _account(id="w2", platform=True),
        _account(id="w3", platform={"name": "telegram"}),
        _account(id="w4", handle=True),
        _account(id="w5", handle=1.5),
        _account(id="w6", name=[{"first": "Ana"}]),
        _account(id="w7", name=False),
        _account(id="w8", aliases=["Ana", {"x": 1}]),
        _account(id="w9", aliases=[["Ana"]]),
        _account(id="w10", born=19900101.5),
        _account(id="w11", shown=["a", "b"]),
        _account(id="w12", name=12345),
        _account(id="ok2", handle="maria_s", aliases=["Mia", "M."]),
    ]
    mapping = _accounts_jsonl(tmp_path, lines)
    rejects = _complete(loader.load(mapping, rejects_dir=tmp_path / "r"), read=14, loaded=2)
    reasons = {r["record"]["id"]: r["reason"] for r in rejects}
    assert "the platform must be a string, not a JSON number" in reasons["w1"]
    assert "platform must be a string, not a JSON boolean" in reasons["w2"]
    # An object is flattened to dotted columns: `platform.name` is not `platform`.
    assert "no platform given" in reasons["w3"]
    assert "expected a string, got a JSON boolean" in reasons["w4"]
    assert "expected a string, got a JSON number" in reasons["w5"]
    assert "several values for a single-valued property" in reasons["w6"]
    assert "expected a string, got a JSON boolean" in reasons["w7"]
    assert "expected a string, got a JSON object" in reasons["w8"]
    assert "expected a string, got a JSON list" in reasons["w9"]
    assert "expected a string, got a JSON number" in reasons["w10"]
    assert "several values for a single-valued property" in reasons["w11"]
    assert "expected a string, got a JSON number" in reasons["w12"]  # a name is no number
    assert not any(reason.startswith("unexpected") for reason in reasons.values())
    assert set(_people(loader.driver)) == {"fuzzj:ok1", "fuzzj:ok2"}


FTM_MAPPING = """\
dataset: ftm
source: {format: ftm, path: entities.ftm.json}
record_id: id
entities:
  person:
    label: Person
    key: {ref: id}
    properties: {name: {column: name, normalise: name}}
"""


def test_objects_where_text_belongs_in_ftm_are_rejects(loader: Loader, tmp_path: Path) -> None:
    entities = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Ana"]}},
        {"id": "p2", "schema": "Person", "properties": {"name": [{"first": "Ana"}]}},
        {"id": {"x": 1}, "schema": "Person", "properties": {"name": ["Bo"]}},
        {"id": "p4", "schema": "Person", "properties": ["name", "Bo"]},
        {"id": "p5", "schema": "Person", "properties": {"name": [12345]}},
    ]
    (tmp_path / "entities.ftm.json").write_text("".join(json.dumps(e) + "\n" for e in entities))
    mapping = tmp_path / "ftm.yaml"
    mapping.write_text(FTM_MAPPING)
    rejects = _complete(loader.load(mapping, rejects_dir=tmp_path / "r"), read=5, loaded=1)
    assert [r["reason"] for r in rejects] == [
        "person.name: cannot normalise string \"{'first': 'Ana'}\": "
        "expected a single value, got a JSON object",
        "person: cannot normalise person \"{'x': 1}\": expected a string, got a JSON object",
        "FtM `properties` must be a JSON object",
        "person.name: cannot normalise string '12345': expected a string, got a JSON number",
    ]


# 3. Nesting depth --------------------------------------------------------------------------


def test_a_line_nested_100000_deep_is_a_reject(loader: Loader, tmp_path: Path) -> None:
    deep = '{"id": "deep", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    bracket_text = _account(id="text", name="Ana " + "[" * 70)
    mapping = _accounts_jsonl(tmp_path, [_account(id="a1"), deep, bracket_text, _account(id="a2")])
    [reject] = _complete(loader.load(mapping, rejects_dir=tmp_path / "r"), read=4, loaded=3)
    assert reject["record_no"] == 2
    assert reject["reason"] == "nested deeper than 64 levels"
    assert len(reject["record"]["__raw__"]) < 300  # a preview, not 200 KB
    # Brackets inside a string are text, not nesting.
    assert _people(loader.driver)["fuzzj:text"].startswith("Ana [[[")


# 4. Invisible format characters ------------------------------------------------------------


def test_bidi_controls_are_removed_from_names_but_zwj_and_zwnj_kept(
    loader: Loader, tmp_path: Path
) -> None:
    spoof = "Ali\u202eecila\u202c"  # displays as "Alialice"
    isolates = "\u2066Maria\u2069 \u200eSantos\u200f\u061c"
    bengali = "\u09b0\u09cd\u200d\u09af\u09be \u0995\u09cd\u200c\u09b7"  # ZWJ and ZWNJ
    mapping = _people_csv(tmp_path, [f"P1,{spoof}", f"P2,{isolates}", f"P3,{bengali}"])
    _complete(loader.load(mapping, rejects_dir=tmp_path / "r"), read=3, loaded=3)
    people = _people(loader.driver)
    assert people["people:P1"] == "Aliecila"
    assert people["people:P2"] == "Maria Santos"
    assert people["people:P3"] == bengali
    rows, _, _ = loader.driver.execute_query("MATCH (p:Person) RETURN p.name_key AS key")
    assert "aliecila" in {row["key"] for row in rows}


def test_bidi_controls_are_removed_from_account_handles(loader: Loader, tmp_path: Path) -> None:
    lines = [_account(id="a1", handle="\u202aana_reyes\u202c"), _account(id="a2")]
    mapping = _accounts_jsonl(tmp_path, lines)
    _complete(loader.load(mapping, rejects_dir=tmp_path / "r"), read=2, loaded=2)
    rows, _, _ = loader.driver.execute_query("MATCH (a:Account) RETURN a.id AS id")
    assert [row["id"] for row in rows] == ["telegram:ana_reyes"]


# 5. Byte-order marks -----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "utf-8-sig"])
def test_a_csv_with_a_bom_loads_as_utf8(loader: Loader, tmp_path: Path, encoding: str) -> None:
    mapping = _people_csv(tmp_path, ["P1,Ana", "P2,Bo"], encoding=encoding, bom=True)
    summary = loader.load(mapping, rejects_dir=tmp_path / "r")
    _complete(summary, read=2, loaded=2)
    assert summary.records_read == 2
    assert _people(loader.driver) == {"people:P1": "Ana", "people:P2": "Bo"}


def test_a_json_lines_file_with_a_bom_loads(loader: Loader, tmp_path: Path) -> None:
    mapping = _accounts_jsonl(tmp_path, [_account(id="a1"), _account(id="a2")], bom=True)
    _complete(loader.load(mapping, rejects_dir=tmp_path / "r"), read=2, loaded=2)


# 6. Where an encoding error is -------------------------------------------------------------


def test_a_bad_byte_in_line_11_is_reported_at_line_11(loader: Loader, tmp_path: Path) -> None:
    mapping = _accounts_jsonl(tmp_path, [_account(id=f"a{n}") for n in range(20)])
    data = tmp_path / "accounts.jsonl"
    lines = data.read_bytes().splitlines(keepends=True)
    offset = sum(len(line) for line in lines[:10]) + 9
    lines[10] = lines[10][:9] + b"\xff" + lines[10][10:]
    data.write_bytes(b"".join(lines))
    with pytest.raises(ReaderError, match=rf"not utf-8 near byte {offset} \(line 11\)"):
        loader.load(mapping, rejects_dir=tmp_path / "r")


def test_a_file_level_fault_is_a_one_line_error(loader: Loader, tmp_path: Path) -> None:
    mapping = _accounts_jsonl(tmp_path, [_account(id=f"a{n}") for n in range(12)])
    data = tmp_path / "accounts.jsonl"
    data.write_bytes(data.read_bytes().replace(b"a11", b"a\xc311"))
    result = CliRunner().invoke(main, ["ingest", str(mapping), "--rejects-dir", str(tmp_path)])
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: ")
    assert "near byte" in last
    assert "(line 12): invalid continuation byte" in last
    assert "Traceback" not in result.output


# 7. Keys that are not scalars --------------------------------------------------------------


def test_non_scalar_keys_are_rejected(loader: Loader, tmp_path: Path) -> None:
    lines = [
        _account(id=["a"]),
        _account(id={"a": 1}),
        _account(id=1.5),
        _account(id=True),
        _account(id=7),
        _account(id="ok"),
    ]
    mapping = _accounts_jsonl(tmp_path, lines)
    rejects = _complete(loader.load(mapping, rejects_dir=tmp_path / "r"), read=6, loaded=4)
    assert [r["reason"] for r in rejects] == [
        "person: several values for the key input 'ref'",
        "person: no value for the Person key",  # an object is flattened: `id.a`, no `id`
    ]
    # Scalars are ids by their spelling: 1.5, True and 7 are three ids.
    assert set(_people(loader.driver)) == {"fuzzj:1.5", "fuzzj:True", "fuzzj:7", "fuzzj:ok"}


def test_a_list_record_id_that_is_no_key_is_rejected(loader: Loader, tmp_path: Path) -> None:
    mapping = _accounts_jsonl(tmp_path, [_account(id="a1", rid=["a"]), _account(id="a2", rid="r")])
    mapping.write_text(ACCOUNTS_JSONL_MAPPING.replace("record_id: id", "record_id: rid"))
    [reject] = _complete(loader.load(mapping, rejects_dir=tmp_path / "r"), read=2, loaded=1)
    assert reject["reason"] == "the record id: expected a string, got a JSON list"


# Values Neo4j itself would refuse, failing the whole batch ---------------------------------


def test_values_neo4j_would_refuse_are_rejects(loader: Loader, tmp_path: Path) -> None:
    lines = [
        _account(id="ok"),
        _account(id="long-name", name="N" * 5000),  # name_key is range-indexed
        _account(id="int64", n=2**63),
        _account(id="x" * 5000),  # the record id is part of every Evidence id
        '{"id": "surrogate", "name": "Ana \\ud800", "handle": "ana", "platform": "telegram"}',
        '{"id": "big", "name": "Ana", "handle": "ana", "platform": "telegram", "n": '
        + "9" * 5000
        + "}",
    ]
    mapping = _accounts_jsonl(tmp_path, lines)
    rejects = _complete(loader.load(mapping, rejects_dir=tmp_path / "r"), read=6, loaded=1)
    reasons = [r["reason"] for r in rejects]
    assert "above the 4,000 an indexed value may have" in reasons[0]
    assert "outside the 64-bit integer range" in reasons[1]
    assert "above the 4,000 an indexed value may have" in reasons[2]
    assert "unpaired UTF-16 surrogate" in reasons[3]
    assert "not readable JSON" in reasons[4]
    assert not any(reason.startswith("unexpected") for reason in reasons)
