"""Unit tests for normalise.text."""

from __future__ import annotations

import pytest

from normalise import NormaliseError, normalise_text
from normalise.text import clean_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hello", "hello"),
        ("  Hello   World  ", "Hello World"),  # case kept
        ("line one\r\nline two", "line one line two"),
        ("tab\there", "tab here"),
        ("bell\x07char", "bell char"),  # control characters act as spaces
        ("ﬁne", "fine"),  # ligature (NFKC)
        ("１２３", "123"),
        ("a\u200bb", "ab"),
        ("soft\u00adhyphen", "softhyphen"),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


@pytest.mark.parametrize("raw", ["", " ", "\n\t", "\u200b\u2060"])
def test_empty_rejected(raw: str) -> None:
    with pytest.raises(NormaliseError, match="empty") as info:
        normalise_text(raw)
    assert info.value.kind == "text"


def test_non_string_rejected() -> None:
    with pytest.raises(NormaliseError, match="expected a string, got int"):
        normalise_text(5)  # type: ignore[arg-type]


def test_clean_text_may_return_empty() -> None:
    assert clean_text("  \u200b ") == ""
