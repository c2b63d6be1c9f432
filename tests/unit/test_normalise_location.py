"""Unit tests for normalise.location and the country table."""

from __future__ import annotations

import math

import pytest

from normalise import Location, NormaliseError, normalise_location
from normalise.countries import ALPHA2, COUNTRY_ALIASES
from normalise.location import normalise_country

# --- coordinates ------------------------------------------------------------------------------


def test_geo_result() -> None:
    loc = normalise_location(lat=10.776889, lon=106.700806)
    assert loc == Location(
        id="geo:10.7769,106.7008",
        kind="geo",
        lat=10.776889,
        lon=106.700806,
        name=None,
        country=None,
        raw="lat=10.776889, lon=106.700806",
    )


@pytest.mark.parametrize(
    ("lat", "lon", "key"),
    [
        ("10.77689", "106.70081", "geo:10.7769,106.7008"),
        (" 14.5995 ", "120.9842", "geo:14.5995,120.9842"),
        (1.29027, 103.851959, "geo:1.2903,103.8520"),
        (49.2827, -123.1207, "geo:49.2827,-123.1207"),
        (-33.8688, 151.2093, "geo:-33.8688,151.2093"),
        (90, 180, "geo:90.0000,180.0000"),
        (-90, -180, "geo:-90.0000,-180.0000"),
        (0, 106.7, "geo:0.0000,106.7000"),  # on the equator is fine; only 0,0 is suspect
        (-0.00001, 100.0, "geo:0.0000,100.0000"),  # no "-0.0000"
        ("1e1", "2e1", "geo:10.0000,20.0000"),
    ],
)
def test_geo_keys(lat: float | str, lon: float | str, key: str) -> None:
    assert normalise_location(lat=lat, lon=lon).id == key


def test_nearby_points_share_a_key() -> None:
    # Two fixes ~1 m apart round to the same ~11 m cell.
    a = normalise_location(lat=13.756331, lon=100.501765)
    b = normalise_location(lat=13.756339, lon=100.501771)
    assert a.id == b.id
    assert (a.lat, a.lon) != (b.lat, b.lon)  # full precision is kept on the result


def test_geo_keeps_name_and_country() -> None:
    loc = normalise_location(lat="21.4272", lon="92.0058", name=" Cox's  Bazar ", country="BGD")
    assert (loc.kind, loc.name, loc.country) == ("geo", "Cox's Bazar", "BD")
    assert loc.id == "geo:21.4272,92.0058"


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"lat": 0, "lon": 0}, "null island"),
        ({"lat": "0.0", "lon": "-0.0"}, "null island"),
        ({"lat": 90.0001, "lon": 0}, "latitude 90.0001 is outside -90..90"),
        ({"lat": -91, "lon": 0}, "latitude"),
        ({"lat": 10, "lon": 180.5}, "longitude 180.5 is outside -180..180"),
        ({"lat": 10, "lon": -181}, "longitude"),
        ({"lat": math.nan, "lon": 10}, "latitude is not a finite number"),
        ({"lat": 10, "lon": "nan"}, "longitude is not a finite number"),
        ({"lat": math.inf, "lon": 10}, "not a finite number"),
        ({"lat": "10,5", "lon": "106,7"}, "not a decimal number"),
        ({"lat": "10°46'N", "lon": "106.7"}, "not a decimal number"),
        ({"lat": True, "lon": 10}, "must be a number"),
        ({"lat": 10}, "given together"),
        ({"lon": 10, "name": "x", "country": "VN"}, "given together"),
        ({"lat": 10, "lon": 10, "country": "Narnia"}, "unknown country"),
        ({}, "no coordinates and no place name"),
        ({"lat": "", "lon": " "}, "no coordinates and no place name"),
    ],
)
def test_geo_rejects(kwargs: dict[str, object], reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason) as info:
        normalise_location(**kwargs)  # type: ignore[arg-type]
    assert info.value.kind == "location"


# --- named places -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "country", "key"),
    [
        ("Ho Chi Minh City", "VN", "place:VN:ho-chi-minh-city"),
        ("  HO CHI MINH   city ", "vn", "place:VN:ho-chi-minh-city"),
        ("Ho Chi Minh City, District 1", "Vietnam", "place:VN:ho-chi-minh-city-district-1"),
        ("Hồ Chí Minh", "Viet Nam", "place:VN:hồ-chí-minh"),
        ("Cox's Bazar", "BD", "place:BD:coxs-bazar"),
        ("Cox\u2019s Bazar", "Bangladesh", "place:BD:coxs-bazar"),
        ("St. John's", "CAN", "place:CA:st-johns"),
        ("Surrey (B.C.)", "Canada", "place:CA:surrey-b-c"),
        ("Mae Sot", "Thailand", "place:TH:mae-sot"),
        ("แม่สอด", "THA", "place:TH:แม่สอด"),
        ("Cebu City", "the Philippines", "place:PH:cebu-city"),
        ("Johor Bahru", "Malaysia", "place:MY:johor-bahru"),
        ("Yangon", "Burma", "place:MM:yangon"),
        ("Vientiane", "Lao PDR", "place:LA:vientiane"),
        ("Dili", "Timor-Leste", "place:TL:dili"),
        ("Paris", "FR", "place:FR:paris"),
        ("ＴＯＫＹＯ", "JP", "place:JP:tokyo"),  # full-width letters (NFKC)
    ],
)
def test_place_keys(name: str, country: str, key: str) -> None:
    loc = normalise_location(name=name, country=country)
    assert loc.id == key
    assert loc.kind == "place"
    assert (loc.lat, loc.lon) == (None, None)


def test_place_result() -> None:
    assert normalise_location(name=" Mae  Sot", country="th") == Location(
        id="place:TH:mae-sot",
        kind="place",
        lat=None,
        lon=None,
        name="Mae Sot",
        country="TH",
        raw="name=' Mae  Sot', country='th'",
    )


def test_accents_are_kept_in_place_keys() -> None:
    accented = normalise_location(name="Hà Nội", country="VN")
    plain = normalise_location(name="Ha Noi", country="VN")
    assert accented.id != plain.id


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"name": "Paris"}, "needs a country"),
        ({"name": "Paris", "country": " "}, "needs a country"),
        ({"name": "Paris", "country": "France"}, "unknown country 'France'"),
        ({"name": "Paris", "country": "FRA"}, "unknown country"),  # alpha-3 only for partners
        ({"name": "x", "country": "XK"}, "unknown country"),
        ({"name": "x", "country": "UK"}, "unknown country"),  # the ISO code is GB
        ({"name": "x", "country": "Viet"}, "unknown country"),
        ({"name": "   ", "country": "VN"}, "no coordinates and no place name"),
        ({"name": "...", "country": "VN"}, "no letters or digits"),
        ({"name": 12, "country": "VN"}, "name must be a string"),
        ({"name": "x", "country": 12}, "country must be a string"),
    ],
)
def test_place_rejects(kwargs: dict[str, object], reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason):
        normalise_location(**kwargs)  # type: ignore[arg-type]


# --- countries --------------------------------------------------------------------------------


def test_alpha2_table_is_complete() -> None:
    assert len(ALPHA2) == 249
    assert all(len(code) == 2 and code.isupper() for code in ALPHA2)
    assert {"BD", "PH", "SG", "TH", "VN", "CA", "MY", "KH", "LA", "MM", "ID"} <= ALPHA2


def test_aliases_map_to_real_codes() -> None:
    assert set(COUNTRY_ALIASES.values()) <= ALPHA2
    for alias in COUNTRY_ALIASES:
        assert alias == alias.casefold().strip()


@pytest.mark.parametrize(
    ("raw", "code"),
    [("vn", "VN"), ("VNM", "VN"), ("Viet Nam", "VN"), ("Lao PDR", "LA"), (" gb ", "GB")],
)
def test_normalise_country(raw: str, code: str) -> None:
    assert normalise_country(raw) == code
