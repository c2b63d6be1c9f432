"""A batch folds its records' contributions to each fact into one row; the mapper's key
cache (no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph_schema.loader import load_model
from graph_schema.provenance import evidence_id
from ingest.batch import Batch
from ingest.mapping import load_mapping
from ingest.records import Facts, NodeFact, RecordMapper, RecordRejectedError, RelFact


def _call(record: str, day: int, duration: int, name: str | None = None) -> Facts:
    a = NodeFact("Phone", "+84912345678", {"e164": "+84912345678"}, {"country": "VN"})
    props = {"name": name} if name else {}
    b = NodeFact("Phone", "+84912345679", {"e164": "+84912345679"}, props)
    called = RelFact("CALLED", "Phone", "Phone", a.id, b.id, {}, {}, {"duration_s": duration}, None)
    seen = datetime(2024, 3, day, 10, tzinfo=UTC)
    return Facts(record_key=f"cdr:{record}", seen=seen, nodes=[a, b], rels=[called])


def test_contributions_fold_into_one_row_per_fact() -> None:
    batch = Batch()
    batch.add(_call("C1", 5, 60, "first"), 1)
    batch.add(_call("C2", 2, 30, "second"), 2)
    batch.add(_call("C1", 5, 60, "ignored"), 3)  # the same record again: counted once
    rows = batch.rows()
    assert batch.records == 3
    # One Evidence row per distinct record, with its three facts.
    assert [(row["record"], row["record_no"], len(row["facts"])) for row in rows.evidence] == [
        ("cdr:C1", 1, 3),
        ("cdr:C2", 2, 3),
    ]
    assert rows.evidence[0]["seen"] == "2024-03-05T10:00:00.000000+00:00"
    phones = {row["id"]: row for row in rows.nodes["Phone"]}
    callee = phones["+84912345679"]
    assert callee["count"] == 2
    assert callee["props"] == {"name": "second"}  # the later record's value wins
    assert callee["first"].startswith("2024-03-02T10:00")
    assert callee["last"].startswith("2024-03-05T10:00")
    [called] = rows.rels[("CALLED", "Phone", "Phone")]
    assert (called["count"], called["sums"]) == (2, {"duration_s": 90})


def test_first_and_last_time_to_the_microsecond() -> None:
    batch = Batch()
    for number, (second, micro) in enumerate([(0, 500_000), (0, 0), (59, 999_999)], start=1):
        facts = _call(f"C{number}", 5, 10)
        minute = 59 if second == 59 else 0
        facts.seen = datetime(2024, 3, 5, 9 if second == 59 else 10, minute, second, micro, UTC)
        batch.add(facts, number)
    [called] = batch.rows().rels[("CALLED", "Phone", "Phone")]
    assert (called["first"], called["last"]) == (
        "2024-03-05T09:59:59.999999+00:00",
        "2024-03-05T10:00:00.500000+00:00",
    )


def test_evidence_already_in_the_database_is_left_out() -> None:
    batch = Batch()
    batch.add(_call("C1", 5, 60), 1)
    batch.add(_call("C2", 2, 30), 2)
    phones = ["Phone:+84912345678", "Phone:+84912345679"]
    known = {evidence_id(fact, "cdr:C1") for fact in phones}
    known.add(evidence_id("CALLED:+84912345678->+84912345679", "cdr:C1"))
    # C1's callee is not in the database yet: only its Evidence is written.
    known.remove(evidence_id("Phone:+84912345679", "cdr:C1"))
    rows = batch.rows(known)
    assert [(row["record"], row["facts"]) for row in rows.evidence] == [
        ("cdr:C1", ["Phone:+84912345679"]),
        ("cdr:C2", [*phones, "CALLED:+84912345678->+84912345679"]),
    ]
    known.add(evidence_id("Phone:+84912345679", "cdr:C1"))
    rows = batch.rows(known)
    assert [row["record"] for row in rows.evidence] == ["cdr:C2"]
    [called] = rows.rels[("CALLED", "Phone", "Phone")]
    assert (called["count"], called["sums"], called["first"]) == (
        1,
        {"duration_s": 30},
        "2024-03-02T10:00:00.000000+00:00",
    )
    everything = set(batch.evidence)
    assert batch.rows(everything).evidence == []
    assert batch.rows(everything).nodes == {}
    assert batch.rows(everything).rels == {}


def test_records_without_a_time_keep_the_span_open() -> None:
    batch = Batch()
    facts = _call("C1", 5, 60)
    facts.seen = None
    batch.add(facts, 1)
    row = batch.rows().nodes["Phone"][0]
    assert (row["first"], row["last"], row["count"]) == (None, None, 1)


def _mapper(tmp_path: Path, mapping: str) -> RecordMapper:
    """A record mapper for the mapping text `mapping`."""
    path = tmp_path / "mapping.yaml"
    path.write_text(mapping, encoding="utf-8")
    model = load_model()
    return RecordMapper(load_mapping(path, model), model)


def test_the_key_cache_tells_equal_values_of_different_types_apart(tmp_path: Path) -> None:
    # JSON gives 1, 1.0 and true for an id: equal in Python, three different refs.
    mapper = _mapper(
        tmp_path,
        "dataset: people\n"
        "source: {format: jsonl, path: people.jsonl}\n"
        "entities:\n"
        "  person: {label: Person, key: {ref: id}}\n",
    )
    ids = [mapper.map({"id": value}).nodes[0].id for value in (1, 1.0, True, 1)]
    assert ids == ["people:1", "people:1.0", "people:True", "people:1"]


def test_a_record_id_with_a_control_character_is_rejected(tmp_path: Path) -> None:
    # Evidence ids join a fact and a record with U+001F: no record key may hold one.
    mapper = _mapper(
        tmp_path,
        "dataset: cdr\n"
        "record_id: call_id\n"
        "source: {format: jsonl, path: calls.jsonl}\n"
        "entities:\n"
        "  person: {label: Person, key: {ref: who}}\n",
    )
    assert mapper.map({"call_id": "C 1\u00a0é", "who": "a"}).record_key == "cdr:C 1\u00a0é"
    for bad in ("C\x1f1", "C1\n", "C\x851"):
        with pytest.raises(RecordRejectedError, match="control character") as caught:
            mapper.map({"call_id": bad, "who": "a"})
        assert caught.value.field == "call_id"
