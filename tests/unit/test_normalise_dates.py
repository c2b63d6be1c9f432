"""Unit tests for normalise.dates."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from normalise import NormaliseError, normalise_date, normalise_datetime


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


# --- normalise_datetime: ISO 8601 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "tz", "expected"),
    [
        ("2024-03-04T10:00:00+07:00", "UTC", utc(2024, 3, 4, 3)),
        ("2024-03-04T10:00:00+0700", "UTC", utc(2024, 3, 4, 3)),
        ("2024-03-04T03:00Z", "UTC", utc(2024, 3, 4, 3)),
        ("2024-03-04T03:00:00.250Z", "UTC", utc(2024, 3, 4, 3, 0, 0, 250000)),
        ("2024-03-04 10:00", "UTC", utc(2024, 3, 4, 10)),
        ("2024-03-04 10:00", "Asia/Ho_Chi_Minh", utc(2024, 3, 4, 3)),
        ("2024-03-04T10:00", "Asia/Manila", utc(2024, 3, 4, 2)),
        ("2024-03-04T10:00", "Asia/Dhaka", utc(2024, 3, 4, 4)),
        ("2024-03-04T10:00", "America/Vancouver", utc(2024, 3, 4, 18)),
        ("2024-07-04T10:00", "America/Toronto", utc(2024, 7, 4, 14)),  # EDT
        ("2024-03-04T10:00+07:00", "America/Toronto", utc(2024, 3, 4, 3)),  # offset wins
        ("20240304T101010", "UTC", utc(2024, 3, 4, 10, 10, 10)),
        ("  2024-03-04T10:00Z \n", "UTC", utc(2024, 3, 4, 10)),
        ("2024-02-29T12:00", "UTC", utc(2024, 2, 29, 12)),
    ],
)
def test_iso(raw: str, tz: str, expected: datetime) -> None:
    result = normalise_datetime(raw, tz=tz)
    assert result == expected
    assert result.tzinfo is UTC


# --- epoch ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1709546400, utc(2024, 3, 4, 10)),
        (1709546400.5, utc(2024, 3, 4, 10, 0, 0, 500000)),
        ("1709546400", utc(2024, 3, 4, 10)),
        ("1709546400123", utc(2024, 3, 4, 10, 0, 0, 123000)),
        (0, utc(1970, 1, 1)),
        (-86400, utc(1969, 12, 31)),
    ],
)
def test_epoch(raw: int | float | str, expected: datetime) -> None:
    assert normalise_datetime(raw) == expected


def test_epoch_ignores_tz() -> None:
    # Epoch values are absolute instants.
    assert normalise_datetime(1709546400, tz="Asia/Bangkok") == utc(2024, 3, 4, 10)


# --- explicit format and dayfirst -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fmt", "tz", "expected"),
    [
        ("03/04/2024", "%m/%d/%Y", "UTC", utc(2024, 3, 4)),
        ("03/04/2024", "%d/%m/%Y", "UTC", utc(2024, 4, 3)),
        ("04.03.2024 17:30", "%d.%m.%Y %H:%M", "Asia/Bangkok", utc(2024, 3, 4, 10, 30)),
        ("04.03.2024 10:00:00 +0700", "%d.%m.%Y %H:%M:%S %z", "UTC", utc(2024, 3, 4, 3)),
        ("March 4, 2024 10:00 AM", "%B %d, %Y %I:%M %p", "UTC", utc(2024, 3, 4, 10)),
    ],
)
def test_explicit_format(raw: str, fmt: str, tz: str, expected: datetime) -> None:
    assert normalise_datetime(raw, fmt=fmt, tz=tz) == expected


@pytest.mark.parametrize(
    "fmt", ["%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%Y%m%d%H%M%S", "%m/%d/%Y", "%H:%M %d.%m.%Y"]
)
@pytest.mark.parametrize(
    "when",
    [
        datetime(2024, 2, 29, 23, 59, 58),  # leap day
        datetime(1999, 12, 31, 0, 0, 0),
        datetime(2024, 1, 2, 3, 4, 5),  # single-digit fields, zero-padded
    ],
)
def test_a_numeric_layout_reads_as_strptime_does(fmt: str, when: datetime) -> None:
    text = when.strftime(fmt)
    expected = datetime.strptime(text, fmt).replace(tzinfo=UTC)
    assert normalise_datetime(text, fmt=fmt) == expected
    # Unpadded and impossible values, and extra text, are strptime's to read or refuse.
    for variant in (text.replace("0", "", 1), text + "0", text.replace("2", "9")):
        try:
            wanted: datetime | None = datetime.strptime(variant, fmt).replace(tzinfo=UTC)
        except ValueError:
            wanted = None
        if wanted is None:
            with pytest.raises(NormaliseError):
                normalise_datetime(variant, fmt=fmt)
        else:
            assert normalise_datetime(variant, fmt=fmt) == wanted


def test_explicit_format_is_the_only_form_tried() -> None:
    with pytest.raises(NormaliseError, match="does not match format"):
        normalise_datetime("2024-03-04T10:00Z", fmt="%d/%m/%Y")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03/04/2024", utc(2024, 4, 3)),
        ("3/4/2024", utc(2024, 4, 3)),
        ("03.04.2024", utc(2024, 4, 3)),
        ("03-04-2024 10:30", utc(2024, 4, 3, 10, 30)),
        ("03/04/2024 10:30:15", utc(2024, 4, 3, 10, 30, 15)),
        ("31/12/2023", utc(2023, 12, 31)),
    ],
)
def test_dayfirst(raw: str, expected: datetime) -> None:
    assert normalise_datetime(raw, dayfirst=True) == expected


def test_dayfirst_still_reads_iso() -> None:
    assert normalise_datetime("2024-03-04T10:00Z", dayfirst=True) == utc(2024, 3, 4, 10)


# --- datetime objects -------------------------------------------------------------------------


def test_naive_datetime_object_is_in_tz() -> None:
    assert normalise_datetime(datetime(2024, 3, 4, 10), tz="Asia/Manila") == utc(2024, 3, 4, 2)


def test_aware_datetime_object_is_converted() -> None:
    value = datetime(2024, 3, 4, 10, tzinfo=timezone(timedelta(hours=6)))
    assert normalise_datetime(value, tz="America/Toronto") == utc(2024, 3, 4, 4)
    zoned = datetime(2024, 3, 4, 10, tzinfo=ZoneInfo("Asia/Singapore"))
    assert normalise_datetime(zoned) == utc(2024, 3, 4, 2)


# --- rejections -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kwargs", "reason"),
    [
        ("03/04/2024", {}, "ambiguous numeric date; give a date format"),
        ("3/4/24", {}, "ambiguous"),
        ("03.04.2024 10:00", {}, "ambiguous"),
        ("4 March 2024", {}, "not an ISO 8601"),
        ("yesterday", {}, "not an ISO 8601"),
        ("2024-03-04", {}, "a date without a time; use the date kind"),
        ("2024-02-30T10:00", {}, "impossible date: day is out of range for month"),
        ("2023-02-29 10:00", {}, "impossible date"),
        ("2024-13-01T00:00", {}, "impossible date: month must be in 1..12"),
        ("2024-01-01T25:00", {}, "impossible date: hour must be in 0..23"),
        ("2024-03-04T23:59:60", {}, "impossible date"),  # leap seconds are not representable
        ("31/02/2024", {"dayfirst": True}, "impossible date: day is out of range for month"),
        ("13/13/2024", {"dayfirst": True}, "impossible date"),
        ("03/04/24", {"dayfirst": True}, "must look like DD/MM/YYYY"),  # two-digit year
        ("02/30/2024", {"fmt": "%m/%d/%Y"}, "impossible date"),
        ("2024-03-04", {"fmt": "%m/%d/%Y"}, "does not match format '%m/%d/%Y'"),
        ("12345", {}, "digits only but not 10"),
        ("20240304", {}, "digits only but not 10"),
        (1709546400123, {}, "milliseconds"),
        (math.nan, {}, "not a finite number"),
        (math.inf, {}, "not a finite number"),
        (True, {}, "unsupported type bool"),
        ("", {}, "empty"),
        ("   ", {}, "empty"),
        ("2024-03-04 10:00", {"tz": "Mars/Olympus_Mons"}, "unknown time zone 'Mars/Olympus_Mons'"),
        ("2024-03-04 10:00", {"tz": "../../etc/passwd"}, "unknown time zone"),
        ("2024-03-04 10:00", {"tz": "ICT"}, "unknown time zone"),
        ("2024-03-04 10:00", {"tz": None}, "time zone must be an IANA name"),
        # Canada's DST: 02:30 on 10 March 2024 never happened; 01:30 on 3 November happened twice.
        ("2024-03-10 02:30", {"tz": "America/Toronto"}, "does not exist"),
        ("2024-11-03 01:30", {"tz": "America/Toronto"}, "ambiguous in America/Toronto"),
    ],
)
def test_datetime_rejects(raw: object, kwargs: dict[str, object], reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason) as info:
        normalise_datetime(raw, **kwargs)  # type: ignore[arg-type]
    assert info.value.kind == "datetime"


def test_dst_instants_with_offsets_are_fine() -> None:
    # With an explicit offset the overlap is not ambiguous.
    assert normalise_datetime("2024-11-03T01:30-04:00") == utc(2024, 11, 3, 5, 30)
    assert normalise_datetime("2024-11-03T01:30-05:00") == utc(2024, 11, 3, 6, 30)


def test_ambiguous_naive_datetime_object_is_rejected() -> None:
    with pytest.raises(NormaliseError, match="ambiguous"):
        normalise_datetime(datetime(2024, 11, 3, 1, 30), tz="America/Vancouver")


# --- normalise_date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        ("2024-03-04", {}, date(2024, 3, 4)),
        ("20240304", {}, date(2024, 3, 4)),
        (" 2024-02-29 ", {}, date(2024, 2, 29)),
        ("03/04/2024", {"fmt": "%m/%d/%Y"}, date(2024, 3, 4)),
        ("4 March 2024", {"fmt": "%d %B %Y"}, date(2024, 3, 4)),
        ("03/04/2024", {"dayfirst": True}, date(2024, 4, 3)),
        ("3.4.2024", {"dayfirst": True}, date(2024, 4, 3)),
        (date(2024, 3, 4), {}, date(2024, 3, 4)),
    ],
)
def test_date(raw: str | date, kwargs: dict[str, object], expected: date) -> None:
    assert normalise_date(raw, **kwargs) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "kwargs", "reason"),
    [
        ("03/04/2024", {}, "ambiguous numeric date"),
        ("2024-02-30", {}, "impossible date: day is out of range for month"),
        ("2023-02-29", {}, "impossible date"),
        ("2024-00-10", {}, "impossible date"),
        ("2024-03-04T10:00", {}, "has a time of day; use the datetime kind"),
        ("03/04/2024 10:00", {"dayfirst": True}, "has a time of day"),
        ("31/04/2024", {"dayfirst": True}, "impossible date"),
        ("2024-03-04", {"fmt": "%d/%m/%Y"}, "does not match format"),
        ("4 March 2024", {}, "not an ISO 8601"),
        ("", {}, "empty"),
        (datetime(2024, 3, 4, 10), {}, "a datetime, not a date"),
        (20240304, {}, "unsupported type int"),
    ],
)
def test_date_rejects(raw: object, kwargs: dict[str, object], reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason) as info:
        normalise_date(raw, **kwargs)  # type: ignore[arg-type]
    assert info.value.kind == "date"
