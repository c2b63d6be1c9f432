"""Converting one raw value to the type its property declares, or refusing it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j.spatial import WGS84Point

from graph_schema.spec import PropertyType
from ingest.expressions import is_empty
from ingest.mapping import Defaults, Value
from normalise import (
    NormaliseError,
    normalise_date,
    normalise_datetime,
    normalise_name,
    normalise_text,
)
from normalise.location import normalise_country
from normalise.text import as_text, json_type

# Neo4j stores integers as 64-bit: a larger one would fail its whole batch's write.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

# Normalisations of values that are words, never numbers: an integer is refused.
WORDS = {"name", "name_key", "country"}

TRUE = {"true", "yes", "y", "1", "t"}
FALSE = {"false", "no", "n", "0", "f"}


def convert(raw: Any, kind: PropertyType, value: Value, defaults: Defaults) -> Any:
    """`raw` as a `kind` value; NormaliseError (naming the reason) when it is not one.

    A JSON object is never a value, nor a list but for a list property, and a list
    property's items must each be text (see `as_text`).
    """
    if isinstance(raw, dict):
        raise NormaliseError(kind.value, raw, "expected a single value, got a JSON object")
    if kind is PropertyType.STRING_LIST:
        kind_name = kind.value
        words = value.normalise not in WORDS
        separator = value.separator or ";"
        items = (
            raw
            if isinstance(raw, list)
            else as_text(raw, kind_name, integers=words).split(separator)
        )
        cleaned = [
            _string(as_text(item, kind_name, integers=words), value)
            for item in items
            if not is_empty(item)
        ]
        return sorted(set(cleaned))
    if isinstance(raw, list):
        raise NormaliseError(kind.value, raw, "several values for a single-valued property")
    if kind is PropertyType.STRING:
        return _string(as_text(raw, kind.value, integers=value.normalise not in WORDS), value)
    if kind is PropertyType.INTEGER:
        return _integer(raw)
    if kind is PropertyType.FLOAT:
        return _float(raw)
    if kind is PropertyType.BOOLEAN:
        return _boolean(raw)
    if kind is PropertyType.DATE:
        return normalise_date(
            raw if isinstance(raw, dt.date) else as_text(raw, kind.value),
            value.format or defaults.date_format,
            dayfirst=defaults.dayfirst,
        )
    if kind is PropertyType.DATETIME:
        return to_datetime(raw, value, defaults)
    return _point(raw)


def to_datetime(raw: Any, value: Value, defaults: Defaults) -> dt.datetime:
    """A UTC datetime from an ISO string, a formatted string or epoch seconds."""
    if isinstance(raw, list | dict):
        # The record's time column is read here directly, not through `convert`.
        raise NormaliseError(
            "datetime", raw, f"expected a single value, got a JSON {json_type(raw)}"
        )
    return normalise_datetime(
        raw if isinstance(raw, int | float | dt.datetime) else str(raw),
        tz=defaults.timezone,
        fmt=value.format or defaults.date_format,
        dayfirst=defaults.dayfirst,
    )


def _string(raw: str, value: Value) -> str:
    if value.normalise == "name":
        return normalise_name(raw).display
    if value.normalise == "name_key":
        return normalise_name(raw).key
    text = normalise_text(raw)
    if value.normalise == "country":
        return normalise_country(text)
    if value.normalise == "upper":
        return text.upper()
    if value.normalise == "lower":
        return text.lower()
    return text


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise NormaliseError("integer", str(raw), "a boolean is not an integer")
    if isinstance(raw, int):
        return _int64(raw)
    text = str(raw).strip()
    try:
        number = float(text)
    except ValueError:
        raise NormaliseError("integer", text, "not a number") from None
    if not number.is_integer():
        raise NormaliseError("integer", text, "not a whole number")
    return _int64(int(number))


def _int64(number: int) -> int:
    if not INT64_MIN <= number <= INT64_MAX:
        raise NormaliseError("integer", str(number), "outside the 64-bit integer range")
    return number


def _float(raw: Any) -> float:
    if isinstance(raw, bool):
        raise NormaliseError("float", str(raw), "a boolean is not a number")
    text = str(raw).strip()
    if "," in text:
        # "1,234" could be 1234 or 1.234 depending on the locale: never guess.
        raise NormaliseError("float", text, "ambiguous decimal or thousands separator ','")
    try:
        number = float(text)
    except ValueError:
        raise NormaliseError("float", text, "not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise NormaliseError("float", text, "not a finite number")
    return number


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().casefold()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise NormaliseError("boolean", str(raw), "expected true/false, yes/no or 1/0")


def _point(raw: Any) -> WGS84Point:
    parts = as_text(raw, "point").split(",")
    if len(parts) != 2:
        raise NormaliseError("point", str(raw), "expected 'latitude,longitude'")
    lat, lon = (_float(part) for part in parts)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise NormaliseError("point", str(raw), "coordinates out of range")
    return WGS84Point((lon, lat))
