"""What a search box's text may mean: exact identifiers (normalised as at ingest) and words.

"0917 123 4567", "+63 917-123-4567" and "00639171234567" all name the same phone:
the text is tried as a phone of each configured region, as a wallet address and
as an account, exactly as ingest normalises them, so a match is by node key.
Whatever else it says goes to the full-text index as escaped prefix terms, from a
bounded list: `search_words` refuses a text longer than `max_search_chars`, with
more than `max_search_terms` words or a word longer than `max_search_term_chars`,
so no text can make Lucene build a query past its clause limit or the heap.
"""

from __future__ import annotations

import re
from contextlib import suppress

from api.errors import UserError
from api.settings import ApiSettings
from graph_schema.loader import GraphModel
from graph_schema.spec import KeyKind
from normalise import NormaliseError, normalise_account, normalise_phone, normalise_wallet

# Lucene's query syntax characters: escaped so a search is always words, never syntax.
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')


def search_words(text: str, limits: ApiSettings) -> list[str]:
    """The words of a search text, or UserError naming the limit it breaks."""
    if len(text) > limits.max_search_chars:
        raise UserError(
            f"text: {len(text)} characters; a search may have {limits.max_search_chars}"
        )
    words = text.split()
    if len(words) > limits.max_search_terms:
        raise UserError(f"text: {len(words)} words; a search may have {limits.max_search_terms}")
    for word in words:
        if len(word) > limits.max_search_term_chars:
            raise UserError(
                f"text: the word {word[:20]!r}… has {len(word)} characters; "
                f"a word may have {limits.max_search_term_chars}"
            )
    return words


def lucene_query(words: list[str]) -> str:
    """Every word as an escaped prefix term, all required ('' when no words)."""
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
