"""Free text: Unicode NFKC plus whitespace clean-up (the ``text`` kind)."""

from __future__ import annotations

import unicodedata

from ingest.normalise.errors import NormaliseError

# Invisible characters that sneak in from copy-paste (web pages, spreadsheets) and would make
# otherwise identical strings differ. ZWJ/ZWNJ are deliberately NOT here: Bengali and other
# Indic scripts use them to select glyph forms, so they carry meaning.
_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad\u180e")


def clean_text(raw: str) -> str:
    """Return ``raw`` in NFKC with invisible characters dropped and whitespace collapsed.

    Control characters count as whitespace. The result may be empty; callers decide whether
    that is an error.
    """
    text = unicodedata.normalize("NFKC", raw)
    chars: list[str] = []
    for ch in text:
        if ch in _INVISIBLE:
            continue
        # Tabs, newlines and other C0/C1 controls become spaces so words do not run together.
        chars.append(" " if unicodedata.category(ch) == "Cc" else ch)
    return " ".join("".join(chars).split())


def normalise_text(raw: str) -> str:
    """Normalise free text: NFKC, invisible characters removed, whitespace collapsed.

    Raises:
        NormaliseError: if ``raw`` is not a string or nothing is left after cleaning.
    """
    if not isinstance(raw, str):
        raise NormaliseError("text", raw, f"expected a string, got {type(raw).__name__}")
    cleaned = clean_text(raw)
    if not cleaned:
        raise NormaliseError("text", raw, "empty after removing whitespace")
    return cleaned
