"""Normalisers and readers on hostile values: wrong JSON types, format characters, limits."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from graph_schema.spec import PropertyType
from ingest.mapping import Defaults, Source, Value
from ingest.readers import ReaderLimits, SourceFile, locate_decode_error
from ingest.values import convert
from normalise import (
    NormaliseError,
    normalise_account,
    normalise_location,
    normalise_name,
    normalise_phone,
    normalise_text,
    normalise_wallet,
)
from normalise.text import KEPT_FORMAT, as_text, clean_text, drop_format

FORMAT_CHARACTERS = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]


def test_every_format_character_but_zwj_and_zwnj_is_dropped() -> None:
    kept = "".join(drop_format(ch) for ch in FORMAT_CHARACTERS)
    assert set(kept) == KEPT_FORMAT == {"\u200c", "\u200d"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ali\u202eecila\u202c", "Aliecila"),
        ("\u2066Maria\u2069 \u200eSantos\u200f", "Maria Santos"),
        ("\u061cAhmad", "Ahmad"),
        ("\u09b0\u09cd\u200d\u09af", "\u09b0\u09cd\u200d\u09af"),  # Bengali ya-phala: ZWJ kept
        ("\u0995\u09cd\u200c\u09b7", "\u0995\u09cd\u200c\u09b7"),  # ZWNJ kept
    ],
)
def test_clean_text_drops_bidi_controls(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected
    assert normalise_name(raw).display == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (True, "got a JSON boolean"),
        (1.5, "got a JSON number"),
        (["a"], "got a JSON list"),
        ({"a": 1}, "got a JSON object"),
        (None, "got a JSON null"),
        ("a\ud800", "unpaired UTF-16 surrogate"),
    ],
)
def test_as_text_refuses_what_is_not_text(raw: object, reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason):
        as_text(raw, "text")


def test_as_text_reads_integers_only_where_asked() -> None:
    assert as_text(84912345678, "phone") == "84912345678"
    with pytest.raises(NormaliseError, match="got a JSON number"):
        as_text(12345, "name", integers=False)


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        (lambda: normalise_account("ana_reyes", 12345), "platform must be a string"),
        (lambda: normalise_account("ana_reyes", ["telegram"]), "platform must be a string"),
        (lambda: normalise_wallet("0x" + "a" * 40, 1), "chain must be a string"),
        (lambda: normalise_phone("0912345678", 84), "region must be a string"),
        (lambda: normalise_location(name="Hanoi", country=704), "country must be a string"),
        (lambda: normalise_location(name=["Hanoi"], country="VN"), "name must be a string"),
        (lambda: normalise_location(lat={"a": 1}, lon=2), "latitude must be a number"),
        (lambda: normalise_text("\ud800"), "unpaired UTF-16 surrogate"),
        (lambda: normalise_name("Ana \udfff"), "unpaired UTF-16 surrogate"),
    ],
)
def test_normalisers_refuse_wrong_types(call: Any, reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason):
        call()


def test_format_characters_are_dropped_from_handles_and_numbers() -> None:
    assert normalise_account("\u202eana_reyes\u202c", "telegram").id == "telegram:ana_reyes"
    assert normalise_phone("\u200e+63 917 123 4567\u200f", None).e164 == "+639171234567"


def test_an_account_id_never_holds_a_control_character() -> None:
    with pytest.raises(NormaliseError, match="control character"):
        normalise_account("ab\x1fcd#1234", "discord")


@pytest.mark.parametrize(
    ("raw", "kind", "reason"),
    [
        ({"a": 1}, PropertyType.STRING, "expected a single value, got a JSON object"),
        ([1, 2], PropertyType.INTEGER, "several values"),
        (2**63, PropertyType.INTEGER, "outside the 64-bit integer range"),
        ("1e30", PropertyType.INTEGER, "outside the 64-bit integer range"),
        (["a", ["b"]], PropertyType.STRING_LIST, "expected a string, got a JSON list"),
        (True, PropertyType.STRING, "expected a string, got a JSON boolean"),
        ({"y": 1}, PropertyType.DATE, "expected a single value"),
        (1.5, PropertyType.DATE, "got a JSON number"),
        (["1,2"], PropertyType.POINT, "several values"),
        (False, PropertyType.POINT, "got a JSON boolean"),
    ],
)
def test_convert_refuses_wrong_types(raw: object, kind: PropertyType, reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason):
        convert(raw, kind, Value(column="x"), Defaults())


def test_a_name_is_never_a_number() -> None:
    with pytest.raises(NormaliseError, match="got a JSON number"):
        convert(12345, PropertyType.STRING, Value(column="x", normalise="name"), Defaults())
    assert convert(12345, PropertyType.STRING, Value(column="x"), Defaults()) == "12345"


def _records(path: Path, fmt: str, limits: ReaderLimits | None = None) -> list[dict[str, Any]]:
    source = Source(format=fmt)  # type: ignore[arg-type]
    with SourceFile(path, source, limits=limits or ReaderLimits()) as opened:
        return [record for _, record in opened.records()]


def test_a_bom_is_read_and_dropped_with_utf8(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(b"\xef\xbb\xbfid,name\nP1,Ana\n")
    assert _records(path, "csv") == [{"id": "P1", "name": "Ana"}]
    path.write_bytes(b'\xef\xbb\xbf{"id": "P1"}\n')
    assert _records(path, "jsonl") == [{"id": "P1"}]


def test_depth_is_counted_outside_strings_only(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    limits = ReaderLimits(max_depth=3)
    lines = ['{"a": [[1]]}', '{"a": [[[1]]]}', '{"a": "[[[[[[[[", "b": "\\"[[[["}']
    path.write_text("\n".join(lines) + "\n")
    records = _records(path, "jsonl", limits)
    assert records[0] == {"a": [[1]]}
    assert records[1]["__error__"] == "nested deeper than 3 levels"
    assert records[2] == {"a": "[[[[[[[[", "b": '"[[[['}


def test_huge_json_numbers_and_strings_are_unread_records(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    path.write_text('{"n": ' + "9" * 5000 + '}\n{"s": "' + "x" * 20 + '"}\n')
    records = _records(path, "jsonl", ReaderLimits(max_cell=10))
    assert records[0]["__error__"].startswith("not readable JSON")
    assert records[1]["__error__"].startswith("'s' is 20 characters long; the limit is 10")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"ok\nok\n\xff", (3, 6)),
        (b"a\r\nb\rc\n\xc3(", (4, 8)),
        (b"fine\n", None),
        (b"ends inside \xe2\x82", (1, 14)),
    ],
)
def test_locate_decode_error(tmp_path: Path, data: bytes, expected: tuple[int, int]) -> None:
    path = tmp_path / "data"
    path.write_bytes(data)
    found = locate_decode_error(path, "utf-8")
    assert (found[:2] if found else None) == expected
