"""Neo4j values as plain Python or JSON: what every floor hands out or stores."""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j.spatial import Point


def native(value: Any) -> Any:
    """A Neo4j temporal value as a Python one (anything else unchanged)."""
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def plain(value: Any) -> Any:
    """A Neo4j value as a plain Python one (datetimes native, points as a dict)."""
    if isinstance(value, Point):
        return {"latitude": value.y, "longitude": value.x}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return native(value)


def json_safe(value: Any) -> Any:
    """A Neo4j value as JSON (dates and times as ISO 8601 text)."""
    value = plain(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return [json_safe(item) for item in value]
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    return value
