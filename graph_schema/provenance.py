"""Provenance names every layer shares: fact names, Evidence ids and queries, the hub flag.

A fact is named `Label:key` (a node), `TYPE:source->target[identity]` (a
relationship keyed by its ends) or `TYPE:id` (an event with its own id). An
Evidence node ties one fact to one source record; its id is the fact's name and
the record's key joined by a separator no name holds. The loader writes them, the
API, reports and watchlist read them: all through the names defined here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph_schema.bookkeeping import INGEST_RUN_LABEL

# The flag every layer reads: expansion, paths and analytics leave flagged hubs out.
HUB_PROPERTY = "hub"
# The Person property naming the resolved identity a record belongs to (written by
# resolution; analytics, the API, reports and the watchlist count one human per identity).
IDENTITY_PROPERTY = "identity"


def node_fact(label: str, key: str) -> str:
    """The fact name of a node: `Label:key` (also the API's entity id)."""
    return f"{label}:{key}"


def split_node_fact(name: str) -> tuple[str, str]:
    """(label, key) of a `Label:key` name; ValueError when it is not one."""
    label, sep, key = name.partition(":")
    if not sep or not key:
        raise ValueError(f"{name!r} is not an entity id (`Label:key`)")
    return label, key


def rel_fact(rel_type: str, source: str, target: str, identity: Iterable[Any]) -> str:
    """The fact name of a relationship keyed by its ends' keys and identity values."""
    suffix = "".join(f"[{value}]" for value in identity)
    return f"{rel_type}:{source}->{target}{suffix}"


def event_fact(rel_type: str, event_id: Any) -> str:
    """The fact name of a relationship with its own id (a call, a transfer)."""
    return f"{rel_type}:{event_id}"


EVIDENCE = "Evidence"
EVIDENCE_SEPARATOR = "\x1f"
# The separator as a Cypher string escape.
EVIDENCE_SEPARATOR_LITERAL = f"\\u{ord(EVIDENCE_SEPARATOR):04x}"


def evidence_id(fact: str, record: str) -> str:
    """The id of the Evidence that `record` asserts `fact`."""
    return f"{fact}{EVIDENCE_SEPARATOR}{record}"


# The dataset of Evidence `e`: its record key's prefix (dataset names hold no colon).
EVIDENCE_DATASET = "split(e.record, ':')[0]"


def evidence_of(fact: str) -> str:
    """Cypher matching `e`, each Evidence of the fact the Cypher expression `fact` names.

    It ends in its WHERE condition: a caller may add `AND ...`.
    """
    return f"MATCH (e:{EVIDENCE}) WHERE e.id STARTS WITH {fact} + '{EVIDENCE_SEPARATOR_LITERAL}'"


def evidence_page(fact: str, first: str) -> str:
    """Cypher returning `total` and `rows`: how many records assert the fact `fact`,
    and the first `first` of them by time, dataset and record number, each with the
    dataset and the name of the file it came from (its ingest run's)."""
    return (
        f"CALL ({fact}) {{ {evidence_of(fact)} RETURN count(e) AS total }} "
        f"CALL ({fact}) {{ {evidence_of(fact)} "
        f"WITH e, {EVIDENCE_DATASET} AS dataset "
        f"ORDER BY e.seen, dataset, e.record_no, e.record LIMIT {first} "
        f"OPTIONAL MATCH (run:{INGEST_RUN_LABEL} {{id: e.run}}) "
        "RETURN collect(e {.record, .record_no, .run, .seen, dataset: dataset, "
        "file: last(split(run.file, '/'))}) AS rows }"
    )
