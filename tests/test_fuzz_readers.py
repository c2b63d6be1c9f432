"""Fuzzing the readers and real loads: arbitrary cells and JSON values never fail a run.

Whatever a record holds (control characters, huge numbers, deep nesting, a list or
object where text belongs, lone surrogates), the load completes and counts add up:
read = loaded + rejected, and no reject is an error no check foresaw. Derandomized
and bounded, so the suite stays reproducible and takes seconds.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver

from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from ingest.loader import Loader
from ingest.mapping import Source
from ingest.readers import ReaderLimits, SourceFile
from ingest.runs import IngestSummary
from tests.conftest import wipe

pytestmark = pytest.mark.neo4j

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Small limits, so that generated values cross them without generating megabytes.
LIMITS = ReaderLimits(max_cell=64, max_depth=8)

CSV_MAPPING = """\
dataset: fuzzc
source: {format: csv, path: data.csv}
record_id: id
time: {column: at}
defaults: {region: VN}
entities:
  person:
    label: Person
    key: {ref: id}
    properties:
      name: {column: name, normalise: name}
      name_key: {column: name, normalise: name_key}
  phone: {label: Phone, key: {number: phone}, optional: true}
relationships:
  - {type: USES, from: person, to: phone, properties: {role: role}}
"""

JSONL_MAPPING = """\
dataset: fuzzj
source: {format: jsonl, path: data.jsonl}
record_id: id
time: {column: at}
entities:
  person:
    label: Person
    key: {ref: id}
    properties: {name: name, aliases: aliases, birth_date: born, community: n, pagerank: score}
  account:
    label: Account
    key: {handle: handle, platform: platform}
    properties: {display_name: shown}
    optional: true
  wallet:
    label: Wallet
    key: {address: wallet, chain: chain}
    optional: true
  place:
    label: Location
    key: {lat: lat, lon: lon, name: place, country: country}
    optional: true
relationships:
  - {type: HOLDS, from: person, to: account}
  - {type: OWNS, from: person, to: wallet}
"""

# Text of every kind: controls, format characters, combining marks, astral planes;
# no lone surrogates (those only come from JSON escapes, generated separately).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=80)
NASTY = st.sampled_from([
    "", " ", "\x00", "\r", "\n", "\r\n", '"', ",", "\u202e", "\u200d", "\ufeff", "[[[[",
    "+84 912 345 678", "0x52908400098527886E0F7030069857D2E4169EE7", "@ana_reyes", "VN",
    "2024-03-05T10:00:00+07:00", "31/02/2024", "1e999", "NaN", "telegram", "x" * 70,
])  # fmt: skip
CELL = st.one_of(TEXT, NASTY, st.lists(NASTY, max_size=4).map("".join))

SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    CELL,
)
JSON_VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
FIELDS = ["id", "name", "aliases", "born", "n", "score", "handle", "platform", "shown"]
FIELDS += ["wallet", "chain", "lat", "lon", "place", "country", "at"]
RECORD = st.dictionaries(st.sampled_from(FIELDS), JSON_VALUE, max_size=len(FIELDS))


@st.composite
def json_line(draw: st.DrawFn) -> str:
    """A JSON Lines line: usually an object, sometimes deep, huge, escaped or broken."""
    kind = draw(st.sampled_from(["record", "record", "record", "deep", "raw", "escape", "big"]))
    record = draw(RECORD)
    if kind == "deep":
        depth = draw(st.integers(min_value=1, max_value=3000))
        return '{"id": "deep", "x": ' + "[" * depth + "]" * depth + "}"
    if kind == "raw":
        return draw(TEXT).replace("\n", " ").replace("\r", " ")
    if kind == "escape":
        # A lone surrogate, as only a JSON escape can carry one.
        code = draw(st.integers(min_value=0xD800, max_value=0xDFFF))
        record[draw(st.sampled_from(FIELDS))] = "SURROGATE"
        return json.dumps(record).replace('"SURROGATE"', f'"\\u{code:04x}"')
    if kind == "big":
        digits = draw(st.integers(min_value=19, max_value=6000))
        return '{"id": "big", "n": ' + "9" * digits + "}"
    return json.dumps(record, allow_nan=True)


def csv_text(rows: list[list[str]]) -> str:
    """Rows as a CSV file with the fuzz header."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "phone", "role", "at"])
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="module")
def loader(driver: Driver, settings: Settings) -> Iterator[Loader]:
    """One loader on a wiped database for the whole module (examples share it)."""
    wipe(driver, settings.neo4j_database)
    model = load_model()
    apply_schema(driver, model, settings.neo4j_database)
    yield Loader(driver, model, settings.neo4j_database, batch_size=3, limits=LIMITS)
    wipe(driver, settings.neo4j_database)


def _load(loader: Loader, mapping: str, name: str, data: str) -> IngestSummary:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / name).write_text(data, encoding="utf-8", newline="")
        (root / "mapping.yaml").write_text(mapping, encoding="utf-8")
        summary = loader.load(root / "mapping.yaml", rejects_dir=root / "rejects")
        reasons = []
        if summary.rejects_file is not None:
            text = Path(summary.rejects_file).read_text(encoding="utf-8")
            reasons = [json.loads(line)["reason"] for line in text.splitlines()]
    assert summary.status == "completed"
    assert summary.records_read == summary.records_loaded + summary.records_rejected
    assert len(reasons) == summary.records_rejected
    unforeseen = [reason for reason in reasons if reason.startswith("unexpected")]
    assert not unforeseen
    return summary


@FUZZ
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=7), max_size=8))
def test_fuzz_csv_loads(loader: Loader, rows: list[list[str]]) -> None:
    _load(loader, CSV_MAPPING, "data.csv", csv_text(rows))


@FUZZ
@given(lines=st.lists(json_line(), max_size=8))
def test_fuzz_json_lines_loads(loader: Loader, lines: list[str]) -> None:
    summary = _load(loader, JSONL_MAPPING, "data.jsonl", "".join(line + "\n" for line in lines))
    assert summary.records_read <= len(lines)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=400))
def test_fuzz_readers_never_raise(text: str) -> None:
    # Any text at all, read as CSV and as JSON Lines: records or rejects, never an error.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data"
        path.write_text("id,name\n" + text, encoding="utf-8", newline="")
        for fmt in ("csv", "jsonl", "ftm"):
            source = Source(format=fmt)  # type: ignore[arg-type]
            with SourceFile(path, source, limits=LIMITS) as opened:
                for number, record in opened.records():
                    assert number >= 1
                    assert isinstance(record, dict)
                    _check_flat(record)


def _check_flat(record: dict[str, Any]) -> None:
    for key in record:
        assert isinstance(key, str)
