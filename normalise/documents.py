"""Identity document numbers: one key however a source writes the number.

The number keeps its letters and digits only (graph_schema.person_keys), so a
national ID written `1-2345-67890-12-3` and `1234567890123` is one Person. A value
that stands for "no document" is refused rather than keyed: keyed, every record
carrying `N/A` or `000000` would become one person.
"""

from __future__ import annotations

from itertools import pairwise

from graph_schema.person_keys import document_number
from normalise.errors import NormaliseError
from normalise.text import normalise_text


def normalise_document(raw: str) -> str:
    """The key form of a document number; NormaliseError for no number at all.

    Refused: nothing but separators, a run of one character (`000000`, `XXXXXX`), a
    number with no digit (`N/A`, `UNKNOWN`: no passport or national ID scheme issues
    numbers without digits), and five or more digits counting up or down (`123456789`).
    """
    number = document_number(normalise_text(raw))
    if not number:
        raise NormaliseError("person", raw, "a document number needs letters or digits")
    if len(set(number)) == 1 and len(number) > 1:
        raise NormaliseError(
            "person", raw, "a document number made of one repeated character is a placeholder"
        )
    if not any(c.isdigit() for c in number):
        raise NormaliseError("person", raw, "a document number has digits: this is a placeholder")
    if _counts_up_or_down(number):
        raise NormaliseError(
            "person", raw, "a run of consecutive digits (123456...) is a placeholder"
        )
    return number


def _counts_up_or_down(number: str) -> bool:
    """`12345`, `0123456789`, `98765`: what a form gets when a number is required and
    unknown. Five digits at least: a real number may hold a shorter run."""
    if len(number) < 5 or not number.isascii() or not number.isdigit():
        return False
    steps = {int(b) - int(a) for a, b in pairwise(number)}
    return steps in ({1}, {-1})
