"""Free text: Unicode NFKC plus whitespace clean-up (the ``text`` kind).

Also the two rules every normaliser shares: which raw values count as text
(:func:`as_text`), and which invisible characters are dropped (:func:`drop_format`).
"""

from __future__ import annotations

import re
import unicodedata

from normalise.errors import NormaliseError

# Format characters (Unicode category Cf) that are kept: ZWNJ and ZWJ select glyph forms
# in Bengali and other Indic scripts (and join emoji), so dropping them changes the text.
KEPT_FORMAT = frozenset("\u200c\u200d")

# Format characters (category Cf, Unicode 14) but KEPT_FORMAT: zero-width spaces, soft
# hyphens, BOMs, and the bidirectional controls (U+202A-U+202E, U+2066-U+2069,
# U+200E/U+200F, U+061C) that make a stored name display as a different one. Written
# out, not derived at import (that costs 0.1 s a process); a unit test checks it
# against unicodedata.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b"
    "\u200e-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)

# A lone UTF-16 surrogate (only JSON's "\ud800" escapes make one): not text, and not
# encodable as UTF-8, so neither Neo4j nor the rejects file could store it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_type(value: object) -> str:
    """The JSON name of a value's type ("string", "number", "object"...), for reasons."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def as_text(raw: object, kind: str, *, integers: bool = True) -> str:
    """``raw`` as the text a ``kind`` normaliser reads, or NormaliseError.

    A string is taken as is and, with ``integers``, an integer as its digits (ids and
    phone numbers are often exported as JSON numbers, and an integer's digits are exact;
    a name, a country or a platform is never a number, so callers reading one pass
    False). A fractional number may already have lost digits, and a boolean, list or
    object is not text: those are refused.
    """
    if isinstance(raw, str):
        if _SURROGATE.search(raw):
            raise NormaliseError(kind, raw, "contains an unpaired UTF-16 surrogate")
        return raw
    if integers and isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    raise NormaliseError(kind, raw, f"expected a string, got a JSON {json_type(raw)}")


def as_scalar_text(raw: object, kind: str) -> str:
    """``raw`` as an opaque id's text: a string, or any other JSON scalar by its Python
    spelling (1, 1.0 and true stay three ids). A list or object has no one spelling
    and is refused, as by :func:`as_text`."""
    if isinstance(raw, int | float):
        return str(raw)
    return as_text(raw, kind)


def drop_format(text: str) -> str:
    """``text`` without its format characters (category Cf), except ZWNJ and ZWJ."""
    # Most values have none: a search is cheaper than a substitution that changes nothing.
    return _FORMAT.sub("", text) if _FORMAT.search(text) else text


def clean_text(raw: str) -> str:
    """Return ``raw`` in NFKC with invisible characters dropped and whitespace collapsed.

    Invisible characters are the format characters (Unicode category Cf) but ZWNJ and
    ZWJ; control characters count as whitespace. The result may be empty; callers decide
    whether that is an error.
    """
    text = drop_format(unicodedata.normalize("NFKC", raw))
    if not text.isascii() or not text.isprintable():
        # Tabs, newlines and other C0/C1 controls become spaces so words do not run together.
        text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return " ".join(text.split())


def normalise_text(raw: str) -> str:
    """Normalise free text: NFKC, invisible characters removed, whitespace collapsed.

    Raises:
        NormaliseError: if ``raw`` is not a string or nothing is left after cleaning.
    """
    if not isinstance(raw, str):
        raise NormaliseError("text", raw, f"expected a string, got {type(raw).__name__}")
    cleaned = clean_text(as_text(raw, "text"))
    if not cleaned:
        raise NormaliseError("text", raw, "empty after removing whitespace")
    return cleaned
