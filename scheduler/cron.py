"""Cron times (croniter), always in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from croniter import croniter


def next_after(expression: str, moment: datetime) -> datetime:
    """The first time after `moment` that `expression` fires (UTC)."""
    found = croniter(expression, moment.astimezone(UTC)).get_next(datetime)
    assert isinstance(found, datetime)
    return found.astimezone(UTC)


def due(expression: str, since: datetime, now: datetime) -> bool:
    """Whether `expression` fired in (since, now]."""
    return next_after(expression, since) <= now
