"""Records that repeat an earlier record of the same file, or collapse into its facts.

Two kinds of repeat are told apart while a file is mapped:

- an **exact duplicate**: a record with the key of an earlier one and the same
  content (a line exported twice). It adds nothing: its Evidence is the earlier
  record's, so it is counted once in the graph.
- a **collapse**: a record whose key meets an earlier record's while its values
  differ, so that one fact stands for two: a record id given twice to different
  content, or an event relationship (a transfer, a sighting) whose identity (a
  `tx_id` built from too few columns) two different events share. It loads (the
  later values win, as always), and is reported: counted in the run, with examples
  in the rejects file, so that a key that loses facts is never silent.

Keys are remembered as 64-bit digests with the first record's number and content
digest packed in one integer, at most MAX_KEYS of each kind (records, events) per
file: memory stays bounded (about 60 MB per kind at the limit, measured), and a
file with more distinct keys than that is checked against its first MAX_KEYS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.records import Facts

MAX_KEYS = 500_000


@dataclass(frozen=True)
class Collapse:
    """A record whose key met an earlier record's with other values, and how."""

    record_no: int
    earlier_record_no: int
    message: str


@dataclass
class RepeatWatch:
    """Remembers the keys of one file's records and event facts as it is mapped."""

    # Without a record_id a record's key is its content's hash: a repeat is an exact one.
    content_keyed: bool = False
    limit: int = MAX_KEYS
    # key digest -> record number << 64 | content digest
    _records: dict[int, int] = field(default_factory=dict)
    _events: dict[int, int] = field(default_factory=dict)

    def check(self, facts: Facts, record: dict[str, Any], record_no: int) -> Collapse | bool:
        """A Collapse, True for an exact duplicate of an earlier record, else False."""
        content = "" if self.content_keyed else record
        earlier = self._seen(self._records, facts.record_key, content, record_no)
        if earlier is not None:
            if earlier[1]:
                return True
            return Collapse(
                record_no,
                earlier[0],
                f"record id {facts.record_key!r} was given to record {earlier[0]} with other "
                "content: only facts new to this record are added",
            )
        for rel in facts.rels:
            if rel.id is None:
                continue  # aggregates fold many records into one fact by design
            values = [rel.props, rel.sums, rel.ident]
            met = self._seen(self._events, rel.fact, values, record_no)
            if met is not None and not met[1]:
                return Collapse(
                    record_no,
                    met[0],
                    f"{rel.fact} is also asserted by record {met[0]} with other values: "
                    f"its key ({', '.join(rel.ident) or 'its ends'}) does not tell the two "
                    "apart, and this record's values replace the earlier ones",
                )
        return False

    def _seen(
        self, table: dict[int, int], key: str, content: Any, record_no: int
    ) -> tuple[int, bool] | None:
        """(the earlier record's number, whether its content is the same), or None if new."""
        digest = _digest(key)
        value = _digest(content) & _LOW
        earlier = table.get(digest)
        if earlier is None:
            if len(table) < self.limit:
                table[digest] = record_no << 64 | value
            return None
        return earlier >> 64, earlier & _LOW == value


_LOW = (1 << 64) - 1


def _digest(data: Any) -> int:
    """A 64-bit digest of JSON-like data, stable within this process (the watch's life).

    Python's own hash of a frozen copy: a third of the cost of hashing its JSON text.
    Two different values share one with a chance of about 1 in 10^19 per pair.
    """
    return hash(_frozen(data))


def _frozen(data: Any) -> Any:
    if isinstance(data, str):
        return data
    if isinstance(data, dict):
        return tuple(sorted((key, _frozen(value)) for key, value in data.items()))
    if isinstance(data, list | tuple):
        return (list, *map(_frozen, data))
    # 1, 1.0 and True hash alike but are three spellings of a value.
    return (type(data), data)
