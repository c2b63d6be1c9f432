"""Converting mapped values to their property types, and person keys."""

from __future__ import annotations

import datetime as dt

import pytest

from graph_schema.spec import KeyKind, PropertyType
from ingest.mapping import Defaults, Value
from ingest.values import convert
from normalise import NormaliseError
from normalise.keys import KEY_NORMALISERS

COLUMN = Value(column="c")
DEFAULTS = Defaults(timezone="Asia/Manila", date_format="%d/%m/%Y %H:%M")


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (PropertyType.INTEGER, "42", 42),
        (PropertyType.INTEGER, "42.0", 42),
        (PropertyType.INTEGER, 7, 7),
        (PropertyType.FLOAT, "0.25", 0.25),
        (PropertyType.BOOLEAN, "Yes", True),
        (PropertyType.BOOLEAN, "0", False),
        (PropertyType.STRING, "  Ａｎａ\u3000 Reyes ", "Ana Reyes"),
        (PropertyType.STRING_LIST, "b; a;;a", ["a", "b"]),
        (PropertyType.DATETIME, "01/03/2024 08:00",
         dt.datetime(2024, 3, 1, 0, 0, tzinfo=dt.UTC)),
    ],
)  # fmt: skip
def test_values_convert(kind: PropertyType, raw: object, expected: object) -> None:
    assert convert(raw, kind, COLUMN, DEFAULTS) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "reason"),
    [
        (PropertyType.INTEGER, "4.5", "not a whole number"),
        (PropertyType.INTEGER, "four", "not a number"),
        (PropertyType.FLOAT, "1,5", "ambiguous decimal or thousands separator"),
        (PropertyType.FLOAT, "nan", "not a finite number"),
        (PropertyType.BOOLEAN, "maybe", "expected true/false"),
        (PropertyType.STRING, ["a", "b"], "several values"),
        (PropertyType.POINT, "95,10", "out of range"),
        (PropertyType.DATETIME, "31/02/2024 08:00", "out of range"),
    ],
)
def test_bad_values_are_refused_with_a_reason(kind: PropertyType, raw: object, reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason):
        convert(raw, kind, COLUMN, DEFAULTS)


def test_a_value_format_overrides_the_mapping_default() -> None:
    iso = Value(column="c", format="%Y-%m-%d")
    assert convert("2024-02-29", PropertyType.DATE, iso, DEFAULTS) == dt.date(2024, 2, 29)
    with pytest.raises(NormaliseError, match="does not match format"):
        convert("2024-02-29", PropertyType.DATE, COLUMN, DEFAULTS)


def test_name_normalisations() -> None:
    name = Value(column="c", normalise="name")
    key = Value(column="c", normalise="name_key")
    assert convert("  JOSÉ  dela Cruz ", PropertyType.STRING, name, DEFAULTS) == "JOSÉ dela Cruz"
    assert convert("  JOSÉ  dela Cruz ", PropertyType.STRING, key, DEFAULTS) == "josé dela cruz"


def test_person_keys() -> None:
    person = KEY_NORMALISERS[KeyKind.PERSON]
    assert person({"ref": " 17 "}, None, "ds") == ("ds:17", {"ref": "ds:17"})
    by_document = person(
        {"document": "p 123 456", "document_type": "Passport", "country": "Philippines"}, None, "ds"
    )
    assert by_document[0] == "passport:PH:P123456"
    with pytest.raises(NormaliseError, match="document_type must be a word"):
        person({"document": "1", "document_type": "id card", "country": "PH"}, None, "ds")
