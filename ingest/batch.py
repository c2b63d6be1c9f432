"""One batch of mapped records, turned into the rows the loader's statements write.

A batch keeps, for every fact its records assert, each record's contribution (its
Evidence id, time, properties and summed values). Only when the batch is written is
it known which Evidence already exists (a record loaded before, or before a crash);
`rows` then folds the new contributions of each fact into one row: one MERGE and
one update per fact and batch, however many records of the batch assert it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from graph_schema.provenance import evidence_id
from ingest.records import Facts

Row = dict[str, Any]
RelKey = tuple[str, str, str]  # (type, source label, target label)


@dataclass
class _Fact:
    """One fact of the batch: what it is, and each record's contribution, in file order."""

    row: Row  # the fact's identity: id and key for a node, ends and identity for a relationship
    eids: list[str] = field(default_factory=list)
    seen: list[str | None] = field(default_factory=list)  # UTC ISO strings (see _iso)
    props: list[dict[str, Any]] = field(default_factory=list)
    sums: list[dict[str, Any]] = field(default_factory=list)

    def __reduce__(self) -> tuple[type[_Fact], tuple[Any, ...]]:
        # As a tuple: the mapping child pickles every batch it sends (ingest.mapping_process),
        # and a dataclass's default pickling costs half as much again.
        return (_Fact, (self.row, self.eids, self.seen, self.props, self.sums))


@dataclass
class BatchRows:
    """What one batch writes: Evidence rows, then node rows by label, relationship rows.

    An Evidence row is one record and the facts it asserts that need Evidence
    ({record, record_no, seen, facts}): the record's key and time travel once, not
    once per fact, and the statement joins each fact to the key.
    """

    evidence: list[Row]
    nodes: dict[str, list[Row]]
    rels: dict[RelKey, list[Row]]


class Foldable(Protocol):
    """What the writer takes: a batch's Evidence ids, and its rows without known ones."""

    @property
    def evidence(self) -> Collection[str]:
        """The batch's Evidence ids."""
        ...

    def rows(self, existing: Collection[str] = ()) -> BatchRows:
        """The rows to write, leaving out every contribution whose Evidence is `existing`."""
        ...


@dataclass
class Batch:
    """Records waiting to be written, their facts grouped by label and relationship type."""

    records: int = 0
    evidence: set[str] = field(default_factory=set)  # the Evidence ids of the batch
    sources: list[Row] = field(default_factory=list)  # Evidence rows, one per record
    nodes: dict[str, dict[str, _Fact]] = field(default_factory=dict)
    rels: dict[RelKey, dict[str, _Fact]] = field(default_factory=dict)

    def add(self, facts: Facts, record_no: int) -> None:
        """Queue every fact of one record (one already queued for the same record adds nothing)."""
        self.records += 1
        record = facts.record_key
        seen = _iso(facts.seen)
        asserted: list[str] = []
        for node in facts.nodes:
            name = node.fact
            eid = self._evidence(name, record, asserted)
            if eid is None:
                continue
            by_id = self.nodes.setdefault(node.label, {})
            fact = by_id.get(node.id)
            if fact is None:
                fact = by_id[node.id] = _Fact({"id": node.id, "key": node.key})
            fact.eids.append(eid)
            fact.seen.append(seen)
            fact.props.append(node.props)
        for rel in facts.rels:
            name = rel.fact
            eid = self._evidence(name, record, asserted)
            if eid is None:
                continue
            by_fact = self.rels.setdefault((rel.type, rel.source_label, rel.target_label), {})
            fact = by_fact.get(name)
            if fact is None:
                identity = {"source": rel.source, "target": rel.target, "ident": rel.ident}
                fact = by_fact[name] = _Fact({**identity, "id": rel.id})
            fact.eids.append(eid)
            fact.seen.append(seen)
            fact.props.append(rel.props)
            fact.sums.append(rel.sums)
        if asserted:
            row = {"record": record, "record_no": record_no, "seen": seen, "facts": asserted}
            self.sources.append(row)

    def _evidence(self, fact: str, record: str, asserted: list[str]) -> str | None:
        """The Evidence id, added to `asserted`; None when the batch holds it already
        (a repeated record)."""
        eid = evidence_id(fact, record)
        if eid in self.evidence:
            return None
        self.evidence.add(eid)
        asserted.append(fact)
        return eid

    def rows(self, existing: Collection[str] = ()) -> BatchRows:
        """The rows to write, leaving out every contribution whose Evidence is `existing`."""
        evidence = self.sources
        if existing:
            evidence = []
            for source in self.sources:
                record = source["record"]
                new = [f for f in source["facts"] if evidence_id(f, record) not in existing]
                if new:
                    evidence.append({**source, "facts": new})
        nodes = {label: _fold(by_id, existing, sums=False) for label, by_id in self.nodes.items()}
        rels = {key: _fold(by_fact, existing, sums=True) for key, by_fact in self.rels.items()}
        return BatchRows(
            evidence=evidence,
            nodes={label: rows for label, rows in nodes.items() if rows},
            rels={key: rows for key, rows in rels.items() if rows},
        )


def _iso(seen: datetime | None) -> str | None:
    """A record's UTC time as Cypher's datetime() reads it, once per record.

    Strings, not datetimes: the driver converts a Python datetime in pure Python,
    ~35 us a value (bench/ingest). Always with microseconds, so that two of them
    compare as their times do and a fact's first and last time are a min and a max.
    """
    return seen.isoformat(timespec="microseconds") if seen is not None else None


def _fold(facts: dict[str, _Fact], existing: Collection[str], *, sums: bool) -> list[Row]:
    """One row per fact with new contributions: their count, times, properties and sums.

    Properties are applied in file order (a later record's value wins, as it would
    record by record); rows are sorted by key, so that index pages are visited in order.
    """
    rows = []
    for name in sorted(facts):
        fact = facts[name]
        seen, props_of, sums_of = fact.seen, fact.props, fact.sums
        if existing:
            fresh = [i for i, eid in enumerate(fact.eids) if eid not in existing]
            if not fresh:
                continue
            if len(fresh) < len(fact.eids):
                seen = [seen[i] for i in fresh]
                props_of = [props_of[i] for i in fresh]
                sums_of = [sums_of[i] for i in fresh] if sums else sums_of
        if len(props_of) == 1:
            props = props_of[0]
        else:
            props = {}
            for contribution in props_of:
                props.update(contribution)
        times = [t for t in seen if t is not None]
        row = {
            **fact.row,
            "props": props,
            "count": len(seen),
            "first": min(times) if times else None,
            "last": max(times) if times else None,
        }
        if sums:
            total: dict[str, Any] = {}
            for contribution in sums_of:
                for prop, value in contribution.items():
                    total[prop] = total.get(prop, 0) + value
            row["sums"] = total
        rows.append(row)
    return rows
