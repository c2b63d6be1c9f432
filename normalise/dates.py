"""Dates and timestamps (the ``datetime`` and ``date`` kinds)."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from normalise.errors import NormaliseError

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Epoch seconds at or beyond this are 3000+ AD: almost surely milliseconds passed as seconds.
_MAX_EPOCH_SECONDS = 32_503_680_000
# Day-first numeric dates, only read when the source declares dayfirst=True.
_DAYFIRST_RE = re.compile(
    r"(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)

# "03/04/2024", "3.4.24": day-first or month-first cannot be told from the value.
_NUMERIC_DMY_OR_MDY = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")


def normalise_datetime(
    raw: str | int | float | datetime,
    *,
    tz: str = "UTC",
    fmt: str | None = None,
    dayfirst: bool = False,
) -> datetime:
    """Return ``raw`` as an aware datetime in UTC.

    Accepted forms:

    * ``datetime`` objects (naive ones are in ``tz``);
    * ``int``/``float`` epoch seconds, and digit strings of 10 digits (epoch seconds) or 13
      digits (epoch milliseconds);
    * ISO 8601 strings (``"2024-03-04T10:00:00+07:00"``, ``"2024-03-04 10:00"``, ``"…Z"``);
    * any string matching the strptime ``fmt``, if given (``fmt`` is then the only form tried);
    * day-first numeric dates ``DD/MM/YYYY[ HH:MM[:SS]]`` (``/ . -``), only if ``dayfirst``.

    Naive values are interpreted in ``tz``, an IANA zone such as ``"Asia/Ho_Chi_Minh"``.
    Local times that do not exist or occur twice (DST changes, e.g. in Canada) are rejected.
    Numeric dates like ``"03/04/2024"`` are rejected unless ``fmt`` or ``dayfirst`` says how
    to read them, and date-only strings are rejected (use the ``date`` kind).

    Raises:
        NormaliseError: with kind ``"datetime"`` and the reason.
    """
    kind = "datetime"
    zone = _zone(kind, raw, tz)
    if isinstance(raw, datetime):
        return _to_utc(kind, raw, raw, zone)
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise NormaliseError(kind, raw, f"unsupported type {type(raw).__name__}")
    if isinstance(raw, int | float):
        return _from_epoch_seconds(kind, raw, raw)

    text = raw.strip()
    if not text:
        raise NormaliseError(kind, raw, "empty")
    if fmt is not None:
        return _to_utc(kind, raw, _strptime(kind, raw, text, fmt), zone)
    if text.isascii() and text.isdigit():
        if len(text) == 10:
            return _from_epoch_seconds(kind, raw, int(text))
        if len(text) == 13:
            return _from_epoch_ms(int(text))
        raise NormaliseError(
            kind, raw, "digits only but not 10 (epoch s) or 13 (epoch ms) long; give a format"
        )
    if dayfirst and (match := _DAYFIRST_RE.fullmatch(text)):
        return _to_utc(kind, raw, _dayfirst(kind, raw, match), zone)
    try:
        date.fromisoformat(text)
    except ValueError:
        pass
    else:
        raise NormaliseError(kind, raw, "a date without a time; use the date kind")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise NormaliseError(kind, raw, _unparsed_reason(text, exc, dayfirst)) from None
    return _to_utc(kind, raw, parsed, zone)


def normalise_date(raw: str | date, fmt: str | None = None, *, dayfirst: bool = False) -> date:
    """Return ``raw`` as a calendar date (no time zone).

    Accepts ``date`` objects, ISO 8601 dates (``"2024-03-04"``, ``"20240304"``), strings
    matching the strptime ``fmt`` if given, and ``DD/MM/YYYY`` (``/ . -``) if ``dayfirst``.
    ``datetime`` values and date-time strings are rejected: which calendar day they fall on
    depends on a time zone, so use the ``datetime`` kind.

    Raises:
        NormaliseError: with kind ``"date"`` and the reason.
    """
    kind = "date"
    if isinstance(raw, datetime):
        raise NormaliseError(kind, raw, "a datetime, not a date; use the datetime kind")
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise NormaliseError(kind, raw, f"unsupported type {type(raw).__name__}")
    text = raw.strip()
    if not text:
        raise NormaliseError(kind, raw, "empty")
    if fmt is not None:
        return _strptime(kind, raw, text, fmt).date()
    if dayfirst and (match := _DAYFIRST_RE.fullmatch(text)):
        if match["H"] is not None:
            raise NormaliseError(kind, raw, "has a time of day; use the datetime kind")
        return _dayfirst(kind, raw, match).date()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        try:
            datetime.fromisoformat(text)
        except ValueError:
            raise NormaliseError(kind, raw, _unparsed_reason(text, exc, dayfirst)) from None
        raise NormaliseError(kind, raw, "has a time of day; use the datetime kind") from None


def _zone(kind: str, raw: object, tz: str) -> tzinfo:
    if not isinstance(tz, str):
        raise NormaliseError(kind, raw, f"time zone must be an IANA name, got {tz!r}")
    if tz.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise NormaliseError(kind, raw, f"unknown time zone {tz!r}") from None


def _to_utc(kind: str, raw: object, value: datetime, zone: tzinfo) -> datetime:
    """Attach ``zone`` to a naive value (refusing DST gaps and overlaps) and convert to UTC."""
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(UTC)
    naive = value.replace(tzinfo=None)
    local = naive.replace(tzinfo=zone)
    offset = local.utcoffset()
    # Both readings of a local time (PEP 495's fold) agree outside DST gaps and overlaps.
    if offset is not None and offset == local.replace(fold=1).utcoffset():
        return (naive - offset).replace(tzinfo=UTC)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise NormaliseError(kind, raw, f"local time does not exist in {zone} (DST gap)")
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        raise NormaliseError(kind, raw, f"local time is ambiguous in {zone} (DST overlap)")
    return local.astimezone(UTC)


def _from_epoch_seconds(kind: str, raw: object, seconds: float) -> datetime:
    if not math.isfinite(seconds):
        raise NormaliseError(kind, raw, "not a finite number")
    if abs(seconds) >= _MAX_EPOCH_SECONDS:
        raise NormaliseError(kind, raw, "epoch seconds beyond year 3000 (milliseconds?)")
    # timedelta keeps whole seconds exact and works for pre-1970 values on every platform.
    return _EPOCH + timedelta(seconds=seconds)


def _from_epoch_ms(millis: int) -> datetime:
    # Integer milliseconds, so no float rounding; 13 digits cannot overflow (max is 2286 AD).
    return _EPOCH + timedelta(milliseconds=millis)


# strptime directives a fixed-width layout can read without strptime: each as digits.
# Each as (datetime field, digits, strptime's value when the layout leaves it out).
_FIXED = {"%Y": ("year", 4, 1900), "%m": ("month", 2, 1), "%d": ("day", 2, 1),
          "%H": ("hour", 2, 0), "%M": ("minute", 2, 0), "%S": ("second", 2, 0)}  # fmt: skip


@lru_cache(maxsize=64)
def _fixed_layout(fmt: str) -> re.Pattern[str] | None:
    """A regex for `fmt` written with zero-padded numbers, when every directive of
    `fmt` is a number of _FIXED given once and the rest is literal."""
    parts = re.split(r"(%.)", fmt)
    directives = parts[1::2]
    if not directives or len(set(directives)) != len(directives):
        return None
    if any(d not in _FIXED for d in directives) or "%" in "".join(parts[::2]):
        return None
    pattern = "".join(
        f"(?P<{_FIXED[part][0]}>[0-9]{{{_FIXED[part][1]}}})" if i % 2 else re.escape(part)
        for i, part in enumerate(parts)
    )
    return re.compile(pattern)


def _strptime(kind: str, raw: object, text: str, fmt: str) -> datetime:
    # strptime costs ~4 us a value, half of a datetime's normalising; a zero-padded value
    # of a plain numeric layout is read directly, to the same datetime. Anything else,
    # errors included, is strptime's.
    layout = _fixed_layout(fmt)
    if layout is not None and (match := layout.fullmatch(text)):
        read = match.groupdict()
        year, month, day, hour, minute, second = (
            int(read.get(name, default)) for name, _, default in _FIXED.values()
        )
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            pass  # strptime says why
    try:
        return datetime.strptime(text, fmt)
    except ValueError as exc:
        message = str(exc)
        if "does not match format" in message or "unconverted data" in message:
            raise NormaliseError(kind, raw, f"does not match format {fmt!r}") from None
        raise NormaliseError(kind, raw, f"impossible date: {message}") from None


def _dayfirst(kind: str, raw: object, match: re.Match[str]) -> datetime:
    fields = [match["y"], match["m"], match["d"], match["H"] or 0, match["M"] or 0, match["S"]]
    year, month, day, hour, minute, second = (int(f or 0) for f in fields)
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise NormaliseError(kind, raw, f"impossible date: {exc}") from None


def _unparsed_reason(text: str, exc: ValueError, dayfirst: bool) -> str:
    message = str(exc)
    if _NUMERIC_DMY_OR_MDY.match(text):
        if dayfirst:
            return "day-first dates must look like DD/MM/YYYY[ HH:MM[:SS]]; give a format (fmt)"
        return "ambiguous numeric date; give a date format (fmt) or dayfirst=True"
    if "out of range" in message or "must be in" in message:
        return f"impossible date: {message}"
    return "not an ISO 8601 date/time; give a date format (fmt)"
