"""Neo4j values as the API hands them out: plain Python, or JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j.spatial import Point

from graph_schema.bookkeeping import native


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
