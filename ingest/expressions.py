"""Evaluating a mapping's values on one record: columns, literals and the expressions.

Every expression is one fixed operation on the record's fields (docs/ingest.md,
"Values"): nothing in a mapping is ever run as code. A value that cannot be
made (a lookup key missing from its table, a case no branch takes) raises
ExpressionError with the reason; its record is rejected.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ingest.mapping import Value, template_parts
from normalise import NormaliseError
from normalise.text import as_scalar_text


class ExpressionError(ValueError):
    """A value the record's fields cannot make, with the reason."""


def is_empty(raw: Any) -> bool:
    """None, blank strings and empty lists count as "no value"."""
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def evaluate(value: Value, record: dict[str, Any], record_no: int) -> Any:
    """The value for `record` (number `record_no` in its file); None when empty."""
    raw = _evaluate(value, record, record_no)
    return None if is_empty(raw) else raw


def stable_hash(data: Any) -> str:
    """A short hex digest of JSON-like data, the same on every machine and run."""
    blob = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    # surrogatepass: a JSON "\ud800" escape is a lone surrogate, which plain UTF-8 refuses.
    return hashlib.blake2b(blob.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def _evaluate(value: Value, record: dict[str, Any], record_no: int) -> Any:
    if value.column is not None:
        return record.get(value.column)
    if value.literal is not None:
        return value.literal
    if value.record_no is not None:
        return record_no
    if value.hash is not None:
        return _hash(value.hash, record)
    if value.template is not None:
        return _template(value.template, record)
    if value.first is not None:
        for inner in value.first:
            found = evaluate(inner, record, record_no)
            if found is not None:
                return found
        return None
    if value.lookup is not None:
        return _lookup(value, record, record_no)
    return _when(value, record, record_no)


def _hash(columns: list[str] | str, record: dict[str, Any]) -> str | None:
    if isinstance(columns, str):  # "*": the whole record, as read
        return stable_hash({k: v for k, v in record.items() if k != "__error__"})
    values = [record.get(column) for column in columns]
    if all(is_empty(raw) for raw in values):
        return None  # every record without these would share one hash: no value instead
    return stable_hash([None if is_empty(raw) else raw for raw in values])


def _template(template: str, record: dict[str, Any]) -> str | None:
    pieces = []
    for text, is_column in template_parts(template):
        if not is_column:
            pieces.append(text)
            continue
        raw = record.get(text)
        if is_empty(raw):
            return None  # a key with a hole in it would join records it should not
        pieces.append(_text(raw, f"template column {text!r}"))
    return "".join(pieces)


def _lookup(value: Value, record: dict[str, Any], record_no: int) -> str | None:
    assert value.lookup is not None
    raw = evaluate(value.lookup, record, record_no)
    if raw is None:
        return None
    key = _text(raw, "lookup").strip()
    found = value.lookup_table.get(key)
    if found is not None:
        return found
    if value.default is not None:
        return value.default
    raise ExpressionError(f"{key!r} is not in the lookup table (and no `default` is given)")


def _when(value: Value, record: dict[str, Any], record_no: int) -> Any:
    assert value.when is not None
    assert value.cases is not None
    raw = evaluate(value.when, record, record_no)
    if raw is not None:
        chosen = value.cases.get(_text(raw, "when").strip())
        if chosen is not None:
            return evaluate(chosen, record, record_no)
    if value.otherwise is not None:
        return evaluate(value.otherwise, record, record_no)
    if raw is None:
        return None
    cases = ", ".join(map(repr, value.cases))
    raise ExpressionError(f"{_text(raw, 'when').strip()!r} is none of the cases ({cases})")


def _text(raw: Any, where: str) -> str:
    try:
        return as_scalar_text(raw, where)
    except NormaliseError as error:
        raise ExpressionError(f"{where}: {error.reason}") from None
