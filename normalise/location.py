"""Locations: coordinates or a named place in a country (the ``location`` kind)."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from normalise.countries import ALPHA2, COUNTRY_ALIASES
from normalise.errors import NormaliseError
from normalise.text import as_text, clean_text

_KIND = "location"

# 4 decimal places is ~11 m of latitude: finer than the accuracy of phone GPS fixes and
# geotagged photos in practice, so two sightings of the same spot share a key, while
# neighbouring buildings usually stay apart.
_KEY_DECIMALS = 4


@dataclass(frozen=True, slots=True)
class Location:
    """A normalised location.

    Attributes:
        id: ``"geo:<lat>,<lon>"`` (4 dp) or ``"place:<CC>:<slug>"``.
        kind: ``"geo"`` when coordinates were given, else ``"place"``.
        lat, lon: coordinates as given (full precision), or None for a place.
        name: cleaned place name (NFKC, whitespace collapsed), or None.
        country: ISO 3166-1 alpha-2 code, or None.
        raw: the inputs as given, for audit.
    """

    id: str
    kind: str
    lat: float | None
    lon: float | None
    name: str | None
    country: str | None
    raw: str


def normalise_location(
    *,
    lat: float | str | None = None,
    lon: float | str | None = None,
    name: str | None = None,
    country: str | None = None,
) -> Location:
    """Normalise coordinates or a named place.

    With ``lat`` and ``lon`` the result is a ``geo`` location keyed on coordinates rounded to
    4 dp; ``name`` and ``country`` are kept as attributes if given. Otherwise ``name`` and
    ``country`` are both required and the key is ``place:<CC>:<slug>``, where the slug is the
    name in NFKC, case-folded, punctuation removed and spaces turned into ``-``. Accents are
    kept ("Hà Nội" and "Ha Noi" get different keys): stripping them merges distinct Vietnamese
    names, so reconciling spellings is left to the analyst.

    ``country`` may be an alpha-2 code (any), or the alpha-3 code or English name of a partner
    country (BD, CA and South-East Asia).

    Raises:
        NormaliseError: for out-of-range, NaN or (0, 0) "null island" coordinates, only one of
            lat/lon, a missing name or country, or an unknown country.
    """
    raw = ", ".join(
        f"{label}={value!r}"
        for label, value in (("lat", lat), ("lon", lon), ("name", name), ("country", country))
        if value is not None
    )
    # Blank cells mean "not given", as with None.
    lat = None if isinstance(lat, str) and not lat.strip() else lat
    lon = None if isinstance(lon, str) and not lon.strip() else lon
    code = None if country is None or not str(country).strip() else _country(raw, country)
    cleaned_name = None
    if name is not None:
        if not isinstance(name, str):
            raise NormaliseError(_KIND, raw, "name must be a string")
        cleaned_name = clean_text(as_text(name, _KIND, integers=False)) or None

    if lat is None and lon is None:
        if cleaned_name is None:
            raise NormaliseError(_KIND, raw, "no coordinates and no place name")
        if code is None:
            raise NormaliseError(_KIND, raw, "a place name needs a country")
        slug = _slug(cleaned_name)
        if not slug:
            raise NormaliseError(_KIND, raw, "place name has no letters or digits")
        return Location(
            id=f"place:{code}:{slug}",
            kind="place",
            lat=None,
            lon=None,
            name=cleaned_name,
            country=code,
            raw=raw,
        )

    if lat is None or lon is None:
        raise NormaliseError(_KIND, raw, "latitude and longitude must be given together")
    lat_f = _coordinate(raw, "latitude", lat, 90.0)
    lon_f = _coordinate(raw, "longitude", lon, 180.0)
    if lat_f == 0.0 and lon_f == 0.0:
        raise NormaliseError(_KIND, raw, "0,0 ('null island') is a missing-value placeholder")
    return Location(
        id=f"geo:{_fixed(lat_f)},{_fixed(lon_f)}",
        kind="geo",
        lat=lat_f,
        lon=lon_f,
        name=cleaned_name,
        country=code,
        raw=raw,
    )


def normalise_country(raw: str) -> str:
    """Return the ISO 3166-1 alpha-2 code for an alpha-2 code, or a partner alpha-3 / name.

    Raises:
        NormaliseError: for an unknown country.
    """
    return _country(raw, raw)


def _country(raw: str, country: str) -> str:
    if not isinstance(country, str):
        raise NormaliseError(_KIND, raw, "country must be a string")
    text = clean_text(as_text(country, _KIND, integers=False))
    if len(text) == 2 and text.upper() in ALPHA2:
        return text.upper()
    code = COUNTRY_ALIASES.get(_words(text))
    if code is None:
        raise NormaliseError(_KIND, raw, f"unknown country {country!r} (use ISO 3166 alpha-2)")
    return code


def _coordinate(raw: str, label: str, value: float | str, limit: float) -> float:
    if isinstance(value, bool):
        raise NormaliseError(_KIND, raw, f"{label} must be a number")
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            # "10,5" (decimal comma) and "10°30'N" are not read: each needs a locale/format rule.
            raise NormaliseError(_KIND, raw, f"{label} {value!r} is not a decimal number") from None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        raise NormaliseError(_KIND, raw, f"{label} must be a number")
    if not math.isfinite(number):
        raise NormaliseError(_KIND, raw, f"{label} is not a finite number")
    if not -limit <= number <= limit:
        raise NormaliseError(_KIND, raw, f"{label} {number} is outside -{limit:g}..{limit:g}")
    return number + 0.0  # turn -0.0 into 0.0


def _fixed(value: float) -> str:
    text = f"{value:.{_KEY_DECIMALS}f}"
    # -0.00001 rounds to "-0.0000", which must share a key with "0.0000".
    return text[1:] if text.startswith("-") and float(text) == 0.0 else text


def _words(text: str) -> str:
    """Case-fold, drop punctuation/symbols (apostrophes join, others split) and collapse."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        category = unicodedata.category(ch)
        if ch in "'\u2019\u02bc":
            continue
        out.append(" " if category[0] in "PSZC" else ch)
    return " ".join("".join(out).split())


def _slug(name: str) -> str:
    return _words(name).replace(" ", "-")
