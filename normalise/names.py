"""Person and organisation names (the ``name`` kind)."""

from __future__ import annotations

from dataclasses import dataclass

from normalise.errors import NormaliseError
from normalise.text import as_text, clean_text


@dataclass(frozen=True, slots=True)
class Name:
    """A cleaned name.

    Attributes:
        display: NFKC, trimmed, internal whitespace collapsed; original casing kept.
        key: ``display`` case-folded, for exact matching between sources.
        raw: the input exactly as given.
    """

    display: str
    key: str
    raw: str


def normalise_name(raw: str) -> Name:
    """Clean a name for display and derive a case-insensitive matching key.

    Invisible characters (format characters such as bidirectional controls, but ZWNJ and
    ZWJ) are dropped, so a stored name displays as the letters it holds.
    No transliteration, accent stripping or name-order rules are applied: those would merge
    different people ("Lê" vs "Le") and are left to the analyst.

    Raises:
        NormaliseError: if ``raw`` is not a string or nothing is left after cleaning.
    """
    if not isinstance(raw, str):
        raise NormaliseError("name", raw, f"expected a string, got {type(raw).__name__}")
    display = clean_text(as_text(raw, "name"))
    if not display:
        raise NormaliseError("name", raw, "empty after removing whitespace")
    return Name(display=display, key=display.casefold(), raw=raw)
