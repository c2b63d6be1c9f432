"""Unit tests for normalise.names."""

from __future__ import annotations

import pytest

from normalise import Name, NormaliseError, normalise_name


def test_result_fields() -> None:
    raw = "  Nguyễn   Văn  An "
    assert normalise_name(raw) == Name(display="Nguyễn Văn An", key="nguyễn văn an", raw=raw)


@pytest.mark.parametrize(
    ("raw", "display", "key"),
    [
        ("John Smith", "John Smith", "john smith"),
        ("MARÍA DELA CRUZ", "MARÍA DELA CRUZ", "maría dela cruz"),
        ("John\tSmith\n", "John Smith", "john smith"),
        ("John\u00a0Smith", "John Smith", "john smith"),  # no-break space
        ("Ｊｏｈｎ Ｓｍｉｔｈ", "John Smith", "john smith"),  # full-width (NFKC)
        ("John\u200bSmith", "JohnSmith", "johnsmith"),  # zero-width space dropped
        ("\ufeffJohn Smith", "John Smith", "john smith"),  # BOM
        ("Straße", "Straße", "strasse"),  # casefold, not lower
        ("O'Brien", "O'Brien", "o'brien"),  # punctuation kept
        ("মোহাম্মদ রহিম", "মোহাম্মদ রহিম", "মোহাম্মদ রহিম"),  # Bengali
        ("สมชาย ใจดี", "สมชาย ใจดี", "สมชาย ใจดี"),  # Thai
        ("Nguye\u0302\u0303n", "Nguyễn", "nguyễn"),  # decomposed -> composed
    ],
)
def test_cleaning(raw: str, display: str, key: str) -> None:
    name = normalise_name(raw)
    assert (name.display, name.key, name.raw) == (display, key, raw)


def test_keeps_joiners_used_by_indic_scripts() -> None:
    raw = "র\u200dয"  # ZWJ selects a Bengali conjunct form
    assert "\u200d" in normalise_name(raw).display


def test_case_variants_share_a_key() -> None:
    assert normalise_name("LE VAN AN").key == normalise_name("Le Van An").key


def test_accents_are_not_stripped() -> None:
    assert normalise_name("Lê Văn An").key != normalise_name("Le Van An").key


@pytest.mark.parametrize("raw", ["", "   ", "\t\n", "\u200b", "\ufeff \u00a0"])
def test_empty_rejected(raw: str) -> None:
    with pytest.raises(NormaliseError, match="empty") as info:
        normalise_name(raw)
    assert info.value.kind == "name"


def test_non_string_rejected() -> None:
    with pytest.raises(NormaliseError, match="expected a string"):
        normalise_name(None)  # type: ignore[arg-type]
