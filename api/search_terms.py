"""What a search box's text may mean: exact identifiers (normalised as at ingest) and words.

"0917 123 4567", "+63 917-123-4567" and "00639171234567" all name the same phone:
the text is tried as a phone of each configured region, as a wallet address and
as an account, exactly as ingest normalises them, so a match is by node key.
Whatever else it says goes to the full-text index as escaped prefix terms.
"""

from __future__ import annotations

import re
from contextlib import suppress

from graph_schema.loader import GraphModel
from graph_schema.spec import KeyKind
from ingest.normalise import NormaliseError, normalise_account, normalise_phone, normalise_wallet

# Lucene's query syntax characters: escaped so a search is always words, never syntax.
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')


def lucene_query(text: str) -> str:
    """Every word of `text` as an escaped prefix term, all required ('' when no words)."""
    words = [w for w in text.split() if w.strip()]
    return " AND ".join(_LUCENE_SPECIAL.sub(r"\\\1", word.lower()) + "*" for word in words)


def identifier_keys(text: str, model: GraphModel, regions: list[str]) -> list[tuple[str, str]]:
    """(label, key) of every identifier `text` can be read as, as ingest would key it."""
    keys: list[tuple[str, str]] = []
    raw = text.strip()
    if not raw:
        return keys
    for label, spec in sorted(model.entities.items()):
        kind = spec.key.kind
        candidates: list[str] = [raw]
        if kind is KeyKind.PHONE:
            for region in [None, *regions]:
                try:
                    candidates.append(normalise_phone(raw, region).e164)
                except NormaliseError:
                    continue
        elif kind is KeyKind.WALLET:
            with suppress(NormaliseError):
                candidates.append(normalise_wallet(raw).id)
        elif kind is KeyKind.ACCOUNT:
            with suppress(NormaliseError):
                candidates.append(normalise_account(raw).id)
        keys.extend((label, key) for key in dict.fromkeys(candidates))
    return keys
