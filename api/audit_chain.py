"""The audit log's hash chain: how a record's hash is made, and how a whole log is checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GENESIS = "0" * 64  # prev_hash of the first record


def canonical(record: Mapping[str, Any]) -> bytes:
    """The bytes a record's hash covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def record_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 of the record's canonical JSON (prev_hash included), its own `hash` left out."""
    return hashlib.sha256(canonical({k: v for k, v in record.items() if k != "hash"})).hexdigest()


@dataclass(frozen=True)
class AuditProblem:
    """The first place where the log is not what linkgraph wrote."""

    line: int  # 1-based line of the file (0: the file as a whole)
    seq: int | None  # the record's seq, when it could be read
    kind: str  # edited, removed, reordered, truncated, anchor
    detail: str

    def describe(self) -> str:
        """One line for people."""
        where = f"line {self.line}" + (f" (seq {self.seq})" if self.seq is not None else "")
        return f"{where}: {self.kind}: {self.detail}"


@dataclass(frozen=True)
class AuditVerification:
    """The outcome of checking a log: ok, how many records, the first problem if any."""

    ok: bool
    records: int
    last_seq: int
    last_hash: str
    problem: AuditProblem | None = None
    note: str | None = None

    def describe(self) -> str:
        """One line for people."""
        if self.problem is not None:
            return f"TAMPERED: {self.problem.describe()}"
        text = f"ok: {self.records} records, chain intact up to seq {self.last_seq}"
        return text + (f" ({self.note})" if self.note else "")


class _BrokenError(Exception):
    def __init__(self, problem: AuditProblem) -> None:
        super().__init__(problem.describe())
        self.problem = problem


@dataclass(frozen=True)
class LogSnapshot:
    """The first `size` bytes of a log (all of it if None): what verify reads while
    appends go on, so that a record being written is neither read half nor reported."""

    path: Path
    size: int | None = None

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """(1-based line number, raw line) up to `size`."""
        if not self.path.exists():
            return
        left = self.size
        with self.path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if left is not None:
                    if left <= 0:
                        return
                    raw, left = raw[:left], left - len(raw)
                yield number, raw


def _seq_of(raw: bytes) -> int | None:
    try:
        seq = json.loads(raw)["seq"]
    except (ValueError, KeyError, TypeError):
        return None
    return seq if isinstance(seq, int) else None


def _appears_after(log: LogSnapshot, line: int, seq: int) -> bool:
    return any(n > line and _seq_of(raw) == seq for n, raw in log.lines())


def _parse(line: int, raw: bytes) -> dict[str, Any]:
    if not raw.endswith(b"\n"):
        raise _BrokenError(AuditProblem(line, _seq_of(raw), "truncated", "the last record is cut"))
    try:
        record: dict[str, Any] = json.loads(raw)
    except ValueError:
        raise _BrokenError(AuditProblem(line, None, "edited", "not a JSON record")) from None
    fields_ok = (
        isinstance(record, dict)
        and isinstance(record.get("seq"), int)
        and isinstance(record.get("hash"), str)
        and isinstance(record.get("prev_hash"), str)
    )
    if not fields_ok:
        raise _BrokenError(AuditProblem(line, None, "edited", "seq, hash or prev_hash missing"))
    return record


def _walk(log: LogSnapshot, anchor_seq: int | None) -> tuple[int, int, str, str | None, int]:
    """(lines, last seq, last hash, hash at anchor_seq, line of the last record)."""
    expected, prev, at_anchor, count, last_line = 1, GENESIS, None, 0, 0
    for line, raw in log.lines():
        count, record = line, _parse(line, raw)
        seq = record["seq"]
        if record_hash(record) != record["hash"]:
            raise _BrokenError(
                AuditProblem(line, seq, "edited", "its content does not match its hash")
            )
        if seq < expected:
            raise _BrokenError(
                AuditProblem(line, seq, "reordered", f"seq {seq} comes after seq {expected - 1}")
            )
        if seq > expected:
            if _appears_after(log, line, expected):
                raise _BrokenError(
                    AuditProblem(line, seq, "reordered", f"seq {seq} comes before seq {expected}")
                )
            gone = f"seq {expected}" if seq == expected + 1 else f"seqs {expected}-{seq - 1}"
            raise _BrokenError(AuditProblem(line, seq, "removed", f"{gone} missing before it"))
        if record["prev_hash"] != prev:
            raise _BrokenError(
                AuditProblem(
                    line - 1,
                    seq - 1,
                    "edited",
                    f"altered and re-hashed: seq {seq}'s prev_hash no longer matches it",
                )
            )
        if seq == anchor_seq:
            at_anchor = record["hash"]
        expected, prev, last_line = seq + 1, record["hash"], line
    return count, expected - 1, prev, at_anchor, last_line


def verify_log(
    log: LogSnapshot,
    head: tuple[int, str] | None,
    anchor_exists: bool,
    expect: tuple[int, str] | None = None,
) -> AuditVerification:
    """Check every record's hash, seq and link, then the head anchor and `expect`.

    `head` is the anchor's (seq, hash) (None if missing or unreadable); `expect` an
    earlier head kept elsewhere, whose record must still be there unchanged.
    """
    try:
        anchor_seq = head[0] if head else None
        records, last_seq, last_hash, at_anchor, last_line = _walk(log, anchor_seq)
        checks: list[tuple[tuple[int, str], str | None]] = []
        if head is not None:
            checks.append((head, at_anchor))
        if expect is not None:
            same = head is not None and expect[0] == head[0]
            checks.append((expect, at_anchor if same else _walk(log, expect[0])[3]))
        if records and head is None:
            what = "unreadable" if anchor_exists else "missing"
            raise _BrokenError(AuditProblem(0, None, "anchor", f"the head anchor is {what}"))
        for (seq, digest), found in checks:
            if seq > last_seq:
                raise _BrokenError(
                    AuditProblem(
                        last_line,
                        last_seq or None,
                        "truncated",
                        f"the log ends at seq {last_seq} but seq {seq} was written: "
                        f"{seq - last_seq} record(s) removed from the end",
                    )
                )
            if found != digest:
                raise _BrokenError(
                    AuditProblem(0, seq, "edited", f"seq {seq} no longer has the hash recorded")
                )
    except _BrokenError as broken:
        lines = sum(1 for _ in log.lines())
        return AuditVerification(False, lines, 0, GENESIS, broken.problem)
    note = None
    if head is not None and head[0] < last_seq:
        note = f"{last_seq - head[0]} record(s) after the head anchor: a crash mid-append?"
    return AuditVerification(True, records, last_seq, last_hash, None, note)
