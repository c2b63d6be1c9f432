"""The API's audit trail: an append-only, hash-chained JSON Lines file.

Every request appends one record: who, when, the operation, its variables, the
entity ids returned, how long it took and how it ended. Each record carries the
SHA-256 of the one before (`prev_hash`) and its own `hash` over its canonical
JSON, so an edited, removed or reordered record breaks the chain. A small head
anchor file beside the log (`<log>.head`: last seq and hash) makes removing the
last records visible too. What this does and does not prove: docs/api.md.

Appends are serialised by a thread lock and an exclusive `flock` on the log, so
threads and processes (uvicorn workers) can share one log; the file is opened
with O_APPEND and is not fsynced per record unless `LINKGRAPH_AUDIT_FSYNC` is set.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from api.audit_chain import (
    GENESIS,
    AuditVerification,
    LogSnapshot,
    canonical,
    record_hash,
    verify_log,
)
from api.keys import Principal
from core.settings import Settings

ENTITY_CAP = 1000  # above this many ids a record keeps only their count
MESSAGE_CAP = 500  # characters of an error message kept
VALUE_CAP = 200  # characters of one variable's text kept (a search may be megabytes)
ITEMS_CAP = 50  # items of one list or object variable kept
DEPTH_CAP = 4  # levels of a nested variable kept
# Variables whose name says they hold a secret are recorded as redacted, never in clear.
SECRET_WORDS = ("password", "secret", "token", "apikey", "api_key", "credential")
ANONYMOUS = "anonymous"


class Channel(StrEnum):
    """How the request came in."""

    GRAPHQL = "graphql"
    REST = "rest"


class Outcome(StrEnum):
    """How the request ended."""

    OK = "ok"
    DENIED = "denied"  # no key, a bad or revoked key, or a role too low
    REFUSED = "refused"  # the request broke a limit or asked what cannot be answered
    ERROR = "error"  # a fault of the server


class AuditError(RuntimeError):
    """The audit log cannot be appended to (the API must then refuse to serve)."""


@dataclass(frozen=True)
class AuditRecord:
    """One request, as recorded."""

    seq: int
    time: str  # UTC, ISO 8601
    who: dict[str, str] | str  # {key_id, name, role[, via]} or "anonymous"
    channel: str
    operation: str
    query_sha256: str | None  # GraphQL: SHA-256 of the query text
    route: str | None  # REST: method and path
    variables: dict[str, Any]
    entities: list[str] | None  # None when more than ENTITY_CAP were returned
    entity_count: int
    duration_ms: float
    outcome: str
    message: str | None
    prev_hash: str
    hash: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AuditRecord:
        """The record a parsed log line holds (KeyError/TypeError if it lacks a field)."""
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})

    @property
    def key_id(self) -> str | None:
        """The key the request used (None for anonymous requests)."""
        return self.who.get("key_id") if isinstance(self.who, dict) else None

    @property
    def at(self) -> dt.datetime:
        """`time` as an aware datetime."""
        return dt.datetime.fromisoformat(self.time)

    def by(self, who: str) -> bool:
        """True when `who` is this record's key id, key holder's name, or "anonymous"."""
        if isinstance(self.who, dict):
            return who in (self.who.get("key_id"), self.who.get("name"))
        return who == self.who


def _who(principal: Principal | None) -> dict[str, str] | str:
    if principal is None:
        return ANONYMOUS
    who = {"key_id": principal.key_id, "name": principal.name, "role": principal.role.value}
    if principal.via:
        who["via"] = principal.via
    return who


def _text(value: str, cap: int) -> str:
    # Lone surrogates (sent as JSON escapes) cannot be written as UTF-8: kept as escapes.
    safe = value.encode("utf-8", "backslashreplace").decode("utf-8")
    return safe if len(safe) <= cap else f"{safe[:cap]}… ({len(safe)} characters)"


def recordable(value: Any, depth: int = 0) -> Any:
    """`value` as the audit stores it: text capped and valid UTF-8, nesting and lists
    cut short, variables named like secrets redacted. Always JSON-serialisable."""
    if isinstance(value, str):
        return _text(value, VALUE_CAP)
    if value is None or isinstance(value, bool | int | float):
        return value
    if depth >= DEPTH_CAP:
        return f"<{type(value).__name__} nested deeper than {DEPTH_CAP}>"
    if isinstance(value, Mapping):
        kept: dict[str, Any] = {}
        for number, (key, item) in enumerate(value.items()):
            if number == ITEMS_CAP:
                kept["…"] = f"{len(value) - ITEMS_CAP} more"
                break
            name = _text(str(key), VALUE_CAP)
            secret = any(word in name.lower() for word in SECRET_WORDS)
            kept[name] = "<redacted>" if secret else recordable(item, depth + 1)
        return kept
    if isinstance(value, list | tuple):
        items = [recordable(item, depth + 1) for item in value[:ITEMS_CAP]]
        if len(value) > ITEMS_CAP:
            items.append(f"… {len(value) - ITEMS_CAP} more")
        return items
    return _text(str(value), VALUE_CAP)


def _read_last_line(fd: int, size: int) -> bytes:
    # Read backwards in growing chunks until the newline before the last record.
    chunk = 4096
    while True:
        start = max(0, size - chunk)
        data = os.pread(fd, size - start, start)
        cut = data.rfind(b"\n", 0, len(data) - 1)
        if cut >= 0 or start == 0:
            return data[cut + 1 :]
        chunk *= 4


class AuditLog:
    """One audit log file and its head anchor (`<path>.head`)."""

    def __init__(self, path: Path, fsync: bool = False) -> None:
        """The log at `path` (created on first append); `fsync` flushes every record to disk."""
        self.path = path
        self.anchor_path = path.with_name(path.name + ".head")
        self.fsync = fsync
        self._lock = threading.Lock()
        self._fds: tuple[int, int] | None = None
        self._pid = 0
        # (file size, seq, hash) after this process's own last append: when the size is
        # unchanged under the lock, nobody else wrote and the tail need not be read.
        self._head: tuple[int, int, str] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditLog:
        """The log `LINKGRAPH_AUDIT_LOG` names (default `<data dir>/audit/audit.jsonl`)."""
        return cls(settings.audit_log_path, settings.audit_fsync)

    def _open(self) -> tuple[int, int]:
        # A forked child must not share the parent's descriptors: flock locks belong
        # to the open file description, so a shared one would not exclude the parent.
        if self._fds is None or self._pid != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Who looked at whom is itself sensitive: owner-only files.
            log = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            anchor = os.open(self.anchor_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._fds, self._pid, self._head = (log, anchor), os.getpid(), None
        return self._fds

    def close(self) -> None:
        """Close the files (the next append reopens them)."""
        with self._lock:
            if self._fds is not None and self._pid == os.getpid():
                for fd in self._fds:
                    os.close(fd)
            self._fds = None

    def _tail(self, log: int, size: int) -> tuple[int, str]:
        if size == 0:
            return 0, GENESIS
        if self._head is not None and self._head[0] == size:
            return self._head[1], self._head[2]
        last = _read_last_line(log, size)
        if not last.endswith(b"\n"):
            raise AuditError(
                f"{self.path}: the last record is incomplete; run `linkgraph audit verify`"
            )
        try:
            data = json.loads(last)
            return int(data["seq"]), str(data["hash"])
        except (ValueError, KeyError, TypeError) as error:
            raise AuditError(
                f"{self.path}: the last record is unreadable ({error}); "
                "run `linkgraph audit verify`"
            ) from error

    def append(
        self,
        *,
        channel: Channel,
        operation: str,
        who: Principal | None = None,
        query: str | None = None,
        route: str | None = None,
        variables: Mapping[str, Any] | None = None,
        entities: Sequence[str] = (),
        duration_ms: float = 0.0,
        outcome: Outcome = Outcome.OK,
        message: str | None = None,
    ) -> AuditRecord:
        """Append one request's record and return it. AuditError if the log is damaged.

        `query` (GraphQL text) is stored as its SHA-256; `variables` as
        `recordable` makes them; `entities` are the ids returned, kept distinct and
        in order, or only counted above ENTITY_CAP.
        """
        distinct = list(dict.fromkeys(entities))
        body: dict[str, Any] = {
            "who": _who(who),
            "channel": Channel(channel).value,
            "operation": _text(operation, VALUE_CAP),
            "query_sha256": (
                hashlib.sha256(query.encode("utf-8", "surrogatepass")).hexdigest()
                if query
                else None
            ),
            "route": _text(route, VALUE_CAP) if route else None,
            "variables": recordable(dict(variables or {})),
            "entities": distinct if len(distinct) <= ENTITY_CAP else None,
            "entity_count": len(distinct),
            "duration_ms": round(duration_ms, 3),
            "outcome": Outcome(outcome).value,
            "message": _text(message, MESSAGE_CAP) if message else None,
        }
        with self._lock:
            log, anchor = self._open()
            fcntl.flock(log, fcntl.LOCK_EX)
            try:
                size = os.fstat(log).st_size
                seq, prev = self._tail(log, size)
                body["seq"] = seq + 1
                body["time"] = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
                body["prev_hash"] = prev
                body["hash"] = record_hash(body)
                line = canonical(body) + b"\n"
                view = memoryview(line)
                while view:
                    view = view[os.write(log, view) :]
                os.pwrite(anchor, f"{body['seq']:020d} {body['hash']}\n".encode(), 0)
                if self.fsync:
                    os.fsync(log)
                    os.fsync(anchor)
                self._head = (size + len(line), body["seq"], body["hash"])
            finally:
                fcntl.flock(log, fcntl.LOCK_UN)
        return AuditRecord.from_dict(body)

    def head(self) -> tuple[int, str] | None:
        """The head anchor: (last seq, its hash), None before the first record."""
        try:
            text = self.anchor_path.read_text().split()
        except FileNotFoundError:
            return None
        if len(text) != 2 or not text[0].isdigit():
            return None
        return int(text[0]), text[1]

    def verify(self, expect: tuple[int, str] | None = None) -> AuditVerification:
        """Check the whole chain and the head anchor; name the first problem found.

        `expect` is a head (seq, hash) kept outside this machine earlier: the record
        at that seq must still have that hash.
        """
        # Take the log's size and its anchor together, under the appenders' lock, then
        # check that prefix without holding the lock: the API keeps appending meanwhile.
        snapshot, head, anchored = LogSnapshot(self.path, 0), None, self.anchor_path.exists()
        if self.path.exists():
            with self._lock, self.path.open("rb") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
                try:
                    snapshot = LogSnapshot(self.path, os.fstat(handle.fileno()).st_size)
                    head, anchored = self.head(), self.anchor_path.exists()
                finally:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        else:
            head = self.head()
        return verify_log(snapshot, head, anchored, expect)

    def search(
        self,
        entity: str | None = None,
        who: str | None = None,
        since: dt.datetime | None = None,
        until: dt.datetime | None = None,
    ) -> Iterator[AuditRecord]:
        """Records, oldest first, that returned `entity`, were made by `who` (key id,
        holder's name or "anonymous"), and fall in [since, until]. Unreadable lines
        are skipped here; `verify` reports them.
        """
        if not self.path.exists():
            return
        with self.path.open("rb") as lines:
            for raw in lines:
                try:
                    record = AuditRecord.from_dict(json.loads(raw))
                except (ValueError, KeyError, TypeError):
                    continue
                if entity is not None and entity not in (record.entities or ()):
                    continue
                if who is not None and not record.by(who):
                    continue
                if since is not None and record.at < since:
                    continue
                if until is not None and record.at > until:
                    continue
                yield record
