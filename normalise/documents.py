"""Identity document numbers: one key however a source writes the number.

The number keeps its letters and digits only (graph_schema.person_keys), so a
national ID written `1-2345-67890-12-3` and `1234567890123` is one Person. A value
that stands for "no document" is refused rather than keyed: keyed, every record
carrying `N/A` or `000000` would become one person.
"""

from __future__ import annotations

from graph_schema.person_keys import document_number
from normalise.errors import NormaliseError
from normalise.text import normalise_text

# Words sources write for "unknown" (after separators are dropped: N/A -> NA).
_PLACEHOLDER_WORDS = frozenset(
    {"NA", "NONE", "NIL", "NULL", "UNKNOWN", "UNK", "NOTAVAILABLE", "TBA", "TBD", "PENDING"}
)


def normalise_document(raw: str) -> str:
    """The key form of a document number; NormaliseError for no number at all.

    Refused: nothing but separators, a run of one character (`000000`, `XXXXXX`), and
    a number with no digit (`N/A`, `UNKNOWN`): no passport or national ID scheme
    issues numbers without digits.
    """
    number = document_number(normalise_text(raw))
    if not number:
        raise NormaliseError("person", raw, "a document number needs letters or digits")
    if len(set(number)) == 1 and len(number) > 1:
        raise NormaliseError(
            "person", raw, "a document number made of one repeated character is a placeholder"
        )
    if number in _PLACEHOLDER_WORDS or not any(c.isdigit() for c in number):
        raise NormaliseError("person", raw, "a document number has digits: this is a placeholder")
    return number
