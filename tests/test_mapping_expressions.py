"""Value expressions in mappings, loaded into the real Neo4j: the examples of
docs/ingest.md, keys for sources without ids, and the warning when a key collapses
records that differ."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from neo4j import Driver

from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from ingest.loader import Loader
from ingest.mapping import MappingError, load_mapping
from tests.ingest_fixtures import graph_dump

DOCS = Path(__file__).resolve().parent.parent / "docs" / "ingest.md"
_EXAMPLE = re.compile(r"<!-- example: (\S+) -->\n```[a-z]*\n(.*?)```", re.DOTALL)


def docs_examples(folder: Path) -> dict[str, Path]:
    """The files of docs/ingest.md's examples (`<!-- example: NAME -->`), written to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, text in _EXAMPLE.findall(DOCS.read_text(encoding="utf-8")):
        (folder / name).write_text(text, encoding="utf-8")
        written[name] = folder / name
    return written


@pytest.fixture
def loader(empty_graph: Driver, settings: Settings) -> Loader:
    """A loader on an empty database with the schema applied."""
    model = load_model()
    apply_schema(empty_graph, model, settings.neo4j_database)
    return Loader(empty_graph, model, settings.neo4j_database, batch_size=2)


def _transfers(driver: Driver) -> list[tuple[str, float]]:
    rows, _, _ = driver.execute_query(
        "MATCH ()-[t:TRANSFERRED]->() RETURN t.tx_id AS tx, t.amount AS amount ORDER BY amount"
    )
    return [(row["tx"], row["amount"]) for row in rows]


def _rejects(path: str | None) -> list[dict[str, object]]:
    assert path is not None
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


@pytest.mark.neo4j
def test_transfers_without_ids_keep_two_transfers_in_one_second(
    loader: Loader, tmp_path: Path
) -> None:
    files = docs_examples(tmp_path / "docs")
    summary = loader.load(files["transfers.yaml"], rejects_dir=tmp_path / "rejects")
    assert (summary.records_read, summary.records_loaded, summary.records_rejected) == (3, 3, 0)
    assert (summary.records_duplicate, summary.records_collapsed) == (1, 0)
    assert "1 of the loaded records repeat an earlier record exactly" in summary.describe()
    transfers = _transfers(loader.driver)
    assert [amount for _, amount in transfers] == [1.5, 2.0]
    assert all(re.fullmatch(r"[0-9a-f]{20}", tx) for tx, _ in transfers)
    # The duplicate line is the same record: its transfer counts one record.
    counts, _, _ = loader.driver.execute_query(
        "MATCH ()-[t:TRANSFERRED]->() RETURN t.amount AS amount, t.record_count AS n "
        "ORDER BY amount"
    )
    assert [row["n"] for row in counts] == [1, 1]
    before = graph_dump(loader.driver)
    again = loader.load(files["transfers.yaml"], rejects_dir=tmp_path / "rejects")
    assert again.records_loaded == 3
    assert graph_dump(loader.driver) == before


@pytest.mark.neo4j
def test_a_key_that_collapses_different_records_is_reported(loader: Loader, tmp_path: Path) -> None:
    files = docs_examples(tmp_path / "docs")
    mapping = files["transfers.yaml"]
    text = mapping.read_text()
    assert "tx_id: {hash: [from, to, at, amount, asset]}" in text
    mapping.write_text(text.replace("tx_id: {hash: [from, to, at, amount, asset]}", "tx_id: at"))
    summary = loader.load(mapping, rejects_dir=tmp_path / "rejects")
    assert summary.records_read == summary.records_loaded + summary.records_rejected == 3
    assert (summary.records_duplicate, summary.records_collapsed) == (1, 1)
    assert "warning: 1 loaded records share a key" in summary.describe()
    [warning] = _rejects(summary.rejects_file)
    assert warning["record_no"] == 2
    assert warning["earlier_record_no"] == 1
    assert "reason" not in warning
    assert "is also asserted by record 1 with other values" in str(warning["warning"])
    assert "its key (tx_id)" in str(warning["warning"])
    # One transfer stands for two: the later values win, as the warning says.
    assert [amount for _, amount in _transfers(loader.driver)] == [2.0]
    runs, _, _ = loader.driver.execute_query(
        "MATCH (r:IngestRun {id: $id}) RETURN r.records_collapsed AS c, r.records_duplicate AS d",
        id=summary.run_id,
    )
    assert (runs[0]["c"], runs[0]["d"]) == (1, 1)


@pytest.mark.neo4j
def test_a_record_id_given_twice_to_different_content_is_reported(
    loader: Loader, tmp_path: Path
) -> None:
    (tmp_path / "subs.csv").write_text("sub,msisdn\nS1,0912345678\nS1,0912345678\nS1,0987654321\n")
    mapping = tmp_path / "subs.yaml"
    mapping.write_text(
        "dataset: subs\nsource: {format: csv, path: subs.csv}\nrecord_id: sub\n"
        "defaults: {region: VN}\nentities:\n  person: {label: Person, key: {ref: sub}}\n"
        "  phone: {label: Phone, key: {number: msisdn}}\n"
        "relationships:\n  - {type: USES, from: person, to: phone}\n"
    )
    summary = loader.load(mapping, rejects_dir=tmp_path / "rejects")
    assert (summary.records_loaded, summary.records_duplicate, summary.records_collapsed) == (
        3,
        1,
        1,
    )
    [warning] = _rejects(summary.rejects_file)
    assert warning["record_no"] == 3
    assert "record id 'subs:S1' was given to record 1 with other content" in str(warning["warning"])


@pytest.mark.neo4j
def test_calls_with_a_direction_a_fallback_and_lookups(loader: Loader, tmp_path: Path) -> None:
    files = docs_examples(tmp_path / "docs")
    summary = loader.load(files["calls.yaml"], rejects_dir=tmp_path / "rejects")
    assert (summary.records_read, summary.records_loaded, summary.records_rejected) == (3, 2, 1)
    [reject] = _rejects(summary.rejects_file)
    assert reject["record_no"] == 3
    assert reject["field"] == "dir"
    assert reject["reason"] == "caller.key.number: 'XX' is none of the cases ('MO', 'MT')"
    rows, _, _ = loader.driver.execute_query(
        "MATCH (a:Phone)-[c:CALLED]->(b:Phone) RETURN a.id AS a, b.id AS b, c.duration_s AS s "
        "ORDER BY s"
    )
    assert [(r["a"], r["b"], r["s"]) for r in rows] == [
        ("+639171234567", "+84912345678", 30),
        ("+84912345678", "+639171234567", 60),
    ]
    evidence, _, _ = loader.driver.execute_query(
        "MATCH (e:Evidence) RETURN DISTINCT e.record AS record ORDER BY record"
    )
    assert [row["record"] for row in evidence] == [
        "carrier_cdr:0912345678/2024-03-05T10:00:00+07:00",
        "carrier_cdr:0912345678/2024-03-05T11:00:00+07:00",
    ]


@pytest.mark.neo4j
def test_record_numbers_whole_record_hashes_and_inline_lookups(
    loader: Loader, tmp_path: Path
) -> None:
    (tmp_path / "accounts.jsonl").write_text(
        '{"app": "TG", "user": "@An_Nguyen", "nick": "An"}\n'
        "\n"
        '{"app": "zz", "user": "someone", "nick": "Bo"}\n'
        '{"app": "QQ", "user": "other", "nick": "Cy"}\n'
    )
    mapping = tmp_path / "accounts.yaml"
    mapping.write_text(
        """dataset: seized
source: {format: jsonl, path: accounts.jsonl}
record_id: {record_no: true}
entities:
  owner:
    label: Person
    key: {ref: {hash: "*"}}
    properties: {name: {template: "{nick} ({app})"}}
  account:
    label: Account
    key:
      handle: user
      platform: {lookup: app, table: {TG: telegram, zz: zalo}}
relationships:
  - {type: HOLDS, from: owner, to: account}
"""
    )
    summary = loader.load(mapping, rejects_dir=tmp_path / "rejects")
    assert (summary.records_loaded, summary.records_rejected) == (2, 1)
    [reject] = _rejects(summary.rejects_file)
    assert (reject["record_no"], reject["field"]) == (4, "app")
    assert "'QQ' is not in the lookup table" in str(reject["reason"])
    rows, _, _ = loader.driver.execute_query(
        "MATCH (p:Person)-[:HOLDS]->(a:Account) RETURN p.ref AS ref, p.name AS name, a.id AS a "
        "ORDER BY a"
    )
    assert [(r["name"], r["a"]) for r in rows] == [
        ("An (TG)", "telegram:an_nguyen"),
        ("Bo (zz)", "zalo:someone"),
    ]
    assert all(re.fullmatch(r"seized:[0-9a-f]{20}", r["ref"]) for r in rows)
    evidence, _, _ = loader.driver.execute_query(
        "MATCH (e:Evidence) RETURN DISTINCT e.record AS record ORDER BY record"
    )
    # A JSON line's number is its line: the blank line 2 is skipped, not renumbered.
    assert [row["record"] for row in evidence] == ["seized:1", "seized:3"]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    return path


BASE = """dataset: d
source: {format: csv, path: x.csv}
entities:
  phone:
    label: Phone
    key:
      number: NUMBER
"""


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("{when: dir}", "key entities.phone.key.number: Value error, a `when` needs `cases`"),
        ("{template: 'a{b'}", "template 'a{b': a lone '{' (write it twice)"),
        ("{template: 'abc'}", "names no column (for a constant, use literal)"),
        ("{template: 'a{}'}", "an empty placeholder"),
        (
            "{lookup: c, table: {a: b}, table_file: t.csv}",
            "exactly one of `table` and `table_file`",
        ),
        ("{column: c, default: x}", "`default` belongs to a `lookup`"),
        ("{column: c, cases: {a: b}}", "`cases` and `else` belong to a `when`"),
        ("{first: [{column: c, normalise: upper}]}", "go on the outermost value"),
        ("{hash: []}", "List should have at least 1 item"),
        ("{record_no: false}", "record_no"),
        ("{lookup: c, table_file: nowhere.csv}", "cannot read the lookup table 'nowhere.csv'"),
        ("{lookup: c, table_file: ../up.csv}", "must be beside the mapping"),
        ("{lookup: c, table_file: t.csv}", "t.csv line 3: 'a' is 'y' here but 'x' above"),
    ],
)
def test_a_bad_expression_names_its_key_and_line(
    tmp_path: Path, number: str, expected: str
) -> None:
    (tmp_path / "t.csv").write_text("key,value\na,x\na,y\n")
    path = _write(tmp_path, BASE.replace("NUMBER", number))
    with pytest.raises(MappingError) as error:
        load_mapping(path, load_model())
    message = str(error.value)
    assert expected in message
    assert f"{path}: key entities.phone.key.number" in message
    assert message.endswith("(line 7)")


def test_a_lookup_table_file_is_read_when_the_mapping_loads(tmp_path: Path) -> None:
    # A spreadsheet's byte-order mark is dropped; blank rows are skipped.
    (tmp_path / "t.csv").write_text("\ufeffkey,value\na , x\n\nb,y\n")
    path = _write(tmp_path, BASE.replace("NUMBER", "{lookup: c, table_file: t.csv}"))
    value = load_mapping(path, load_model()).entities["phone"].key["number"]
    assert value.lookup_table == {"a": "x", "b": "y"}
    assert value.columns() == {"c"}


@pytest.mark.neo4j
def test_a_shared_scope_joins_people_across_datasets(loader: Loader, tmp_path: Path) -> None:
    files = docs_examples(tmp_path / "docs")
    for name in ("suspects.yaml", "extraction.yaml"):
        summary = loader.load(files[name], rejects_dir=tmp_path / "rejects")
        assert summary.records_rejected == 0
    rows, _, _ = loader.driver.execute_query(
        "MATCH (p:Person) OPTIONAL MATCH (p)-[:USES]->(f:Phone) "
        "RETURN p.id AS id, p.name AS name, p.datasets AS datasets, f.id AS phone ORDER BY id"
    )
    both = ["case42_extraction", "case42_interviews"]
    assert [(r["id"], r["name"], sorted(r["datasets"]), r["phone"]) for r in rows] == [
        ("case42:S-01", "Tran Van Tuan", both, "+84912345678"),
        ("case42:S-02", "Maria Santos", ["case42_interviews"], None),
    ]
    # Provenance still tells the two sources apart.
    evidence, _, _ = loader.driver.execute_query(
        "MATCH (e:Evidence) WHERE e.id STARTS WITH 'Person:case42:S-01' + '\\u001f' "
        "RETURN e.record AS record ORDER BY record"
    )
    assert [r["record"] for r in evidence] == ["case42_extraction:S-01", "case42_interviews:S-01"]


def test_a_scope_is_written_as_a_dataset_name(tmp_path: Path) -> None:
    from ingest.records import RecordMapper, RecordRejectedError

    path = _write(
        tmp_path,
        "dataset: d\nsource: {format: csv}\nentities:\n"
        "  p: {label: Person, key: {ref: r, scope: s}}\n",
    )
    model = load_model()
    mapper = RecordMapper(load_mapping(path, model), model)
    assert mapper.map({"r": "7", "s": ""}).nodes[0].id == "d:7"  # no scope: the dataset's
    assert mapper.map({"r": "7", "s": "case42"}).nodes[0].id == "case42:7"
    with pytest.raises(RecordRejectedError) as error:
        mapper.map({"r": "7", "s": "Case 42"})
    assert "a scope is written as a dataset name" in error.value.reason


def test_the_repeat_watch_is_bounded_and_tells_duplicates_from_collapses() -> None:
    from ingest.records import Facts
    from ingest.repeats import Collapse, RepeatWatch

    watch = RepeatWatch(limit=2)
    records = [{"id": "a", "v": 1}, {"id": "b", "v": 1}, {"id": "c", "v": 1}]
    for number, record in enumerate(records, start=1):
        assert watch.check(Facts(f"d:{record['id']}", None), record, number) is False
    # "a" was remembered: the same content is a duplicate, other content a collapse.
    assert watch.check(Facts("d:a", None), {"id": "a", "v": 1}, 4) is True
    collapse = watch.check(Facts("d:a", None), {"id": "a", "v": 1.0}, 5)
    assert isinstance(collapse, Collapse)
    assert (collapse.record_no, collapse.earlier_record_no) == (5, 1)
    # "c" came after the limit: it is not checked (memory stays bounded).
    assert watch.check(Facts("d:c", None), {"id": "c", "v": 2}, 6) is False
