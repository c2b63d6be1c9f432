"""Unit tests for NormaliseError and the public package surface."""

from __future__ import annotations

import pickle
from datetime import date, datetime

import pytest

import normalise
from normalise import NORMALISERS, NormaliseError


def test_error_attributes_and_message() -> None:
    err = NormaliseError("phone", "0917", "too short for region PH")
    assert (err.kind, err.value, err.reason) == ("phone", "0917", "too short for region PH")
    assert str(err) == "cannot normalise phone '0917': too short for region PH"
    assert isinstance(err, ValueError)


def test_error_with_non_string_value() -> None:
    err = NormaliseError("datetime", 1.5, "bad")
    assert err.value == "1.5"


def test_error_pickles() -> None:
    err = NormaliseError("wallet", "1abc", "bad Base58Check checksum")
    clone = pickle.loads(pickle.dumps(err))  # noqa: S301 - round-trip of our own object
    assert (clone.kind, clone.value, clone.reason) == (err.kind, err.value, err.reason)
    assert str(clone) == str(err)


def test_registry_kinds() -> None:
    assert set(NORMALISERS) == {
        "phone", "wallet", "account", "location", "name", "datetime", "date", "text",
    }  # fmt: skip


def test_registry_is_read_only() -> None:
    with pytest.raises(TypeError):
        NORMALISERS["phone"] = print  # type: ignore[index]


def test_registry_calls() -> None:
    assert NORMALISERS["phone"]("0917 123 4567", "PH") == normalise.normalise_phone(
        "0917 123 4567", "PH"
    )
    wallet = NORMALISERS["wallet"]("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    assert isinstance(wallet, normalise.Wallet)
    assert wallet.chain == "btc"
    account = NORMALISERS["account"]("https://t.me/somehandle")
    assert isinstance(account, normalise.Account)
    assert account.id == "telegram:somehandle"
    location = NORMALISERS["location"](lat=1.3, lon=103.8)
    assert isinstance(location, normalise.Location)
    assert location.kind == "geo"
    name = NORMALISERS["name"](" A  B ")
    assert isinstance(name, normalise.Name)
    assert name.display == "A B"
    assert isinstance(NORMALISERS["datetime"]("2024-03-04T10:00Z"), datetime)
    assert NORMALISERS["date"]("2024-03-04") == date(2024, 3, 4)
    assert NORMALISERS["text"](" x ") == "x"


def test_all_exports_exist() -> None:
    for name in normalise.__all__:
        assert hasattr(normalise, name), name


@pytest.mark.parametrize(
    ("kind", "call"),
    [
        ("phone", lambda: normalise.normalise_phone("x", "PH")),
        ("wallet", lambda: normalise.normalise_wallet("x")),
        ("account", lambda: normalise.normalise_account("x")),
        ("location", lambda: normalise.normalise_location()),
        ("name", lambda: normalise.normalise_name(" ")),
        ("datetime", lambda: normalise.normalise_datetime("x")),
        ("date", lambda: normalise.normalise_date("x")),
        ("text", lambda: normalise.normalise_text(" ")),
    ],
)
def test_every_kind_raises_normalise_error_with_its_kind(kind: str, call: object) -> None:
    assert callable(call)
    with pytest.raises(NormaliseError) as info:
        call()
    assert info.value.kind == kind
