"""How a Person is keyed: by an identity document (`scheme:CC:NUMBER`) or by a
reference in a scope (`scope:ref`, the scope a dataset name by default).

The rule for a document number lives here, below the normalisers, because two places
apply it: ingest, to each record's document (normalise/keys.py), and the model
migration that re-keys Person nodes written before the rule dropped separators
(graph_schema/rekey.py). One rule, so a re-keyed node has the id a new load gives.
"""

from __future__ import annotations

import re
import unicodedata

# A document id as ingest writes it: a scheme that is a lower-case word, an ISO
# 3166-1 alpha-2 country, then the number. A reference id can look alike only when
# its scope is named like a scheme and its reference starts with two capitals and a
# colon, which is why the migration also sets aside every id whose first part is a
# dataset name.
DOCUMENT_ID = re.compile(r"([^\W\dA-Z][^\WA-Z]*):([A-Z]{2}):(.+)", re.DOTALL)


def document_number(raw: str) -> str:
    """A document number as one key: its letters and digits, upper-cased.

    Spaces, dashes, dots, slashes, brackets and the machine-readable zone's `<` are
    dropped, so `1119-5106-0496-9855`, `1119 5106 0496 9855` and `1119510604969855`
    are one number. Letters of any script keep their combining marks (category M):
    dropping those would change a letter. The result may be empty.
    """
    return "".join(c for c in raw.upper() if unicodedata.category(c)[0] in "LMN")


def document_id(scheme: str, country: str, number: str) -> str:
    """The Person id of the document `number` (already a `document_number`)."""
    return f"{scheme}:{country}:{number}"
