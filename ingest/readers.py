"""Readers: stream a source file as (record number, flat record) pairs.

Records are read lazily, one at a time, so memory does not grow with the file.
Every reader reports the bytes consumed so far, for progress bars.

A record the reader cannot make sense of (a cell above the size limit, a JSON line
nested too deep, a CSV row csv refuses) is still yielded, with the reason under
`__error__`: the loader rejects it and reads on. Only a fault of the whole file (it
cannot be opened, or is not in its encoding) is a ReaderError.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ingest.mapping import Source

Record = dict[str, Any]

# Longest cell (CSV field, JSON string) read, in characters; LINKGRAPH_INGEST_MAX_CELL.
DEFAULT_MAX_CELL = 1_000_000
# Deepest nesting of objects and lists in one JSON line; LINKGRAPH_INGEST_MAX_DEPTH.
DEFAULT_MAX_DEPTH = 64
# csv's own field limit is kept this many times above the cell limit, so that csv
# hands over an oversize cell whole and the reader rejects its row by length. A
# cell beyond even that stops csv mid-row; the reader rejects the row and reads on
# from the next line (see docs/ingest.md, "Limits").
CSV_LIMIT_FACTOR = 16
# ...and never below csv's default, which other code in the process may rely on.
CSV_MIN_LIMIT = 131_072
# Characters of an oversize cell or unreadable line kept in the rejects file.
PREVIEW_CHARS = 200

# A JSON string token (to step over) or a bracket (to count), for the depth scan.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class ReaderError(ValueError):
    """The file cannot be read as its mapping says (encoding, format)."""


@dataclass(frozen=True)
class ReaderLimits:
    """What one record may hold before it is rejected rather than read."""

    max_cell: int = DEFAULT_MAX_CELL
    max_depth: int = DEFAULT_MAX_DEPTH


@dataclass
class SourceFile:
    """An open source file: its columns (when known up front) and its records."""

    path: Path
    source: Source
    bytes_read: int = 0
    size: int = 0
    columns: set[str] | None = None
    _handle: IO[str] | None = field(default=None, repr=False)
    limits: ReaderLimits = field(default_factory=ReaderLimits)

    def __enter__(self) -> SourceFile:
        decoding = _decoding(self.source.encoding)
        try:
            self._handle = self.path.open(encoding=decoding, newline="")
            self.size = self.path.stat().st_size
            self.bytes_read = _bom_length(self.path, decoding)
        except FileNotFoundError:
            raise ReaderError(f"{self.path}: no such data file") from None
        except OSError as error:
            raise ReaderError(f"{self.path}: cannot be read: {error.strerror}") from None
        if self.source.format == "csv":
            self._read_header()
        return self

    def __exit__(self, *_: object) -> None:
        if self._handle is not None:
            self._handle.close()

    def _read_header(self) -> None:
        assert self._handle is not None
        try:
            header = self._handle.readline()
        except UnicodeDecodeError as error:
            # The first read decodes a whole buffer, not just the header line.
            raise ReaderError(
                f"{self.path}: not {self.source.encoding} in its first {error.end} bytes"
                f"{_where(self.path, self._line_encoding())}"
            ) from None
        self.bytes_read += len(header.encode(self._line_encoding(), "replace"))
        _set_csv_limit(self.limits.max_cell)
        try:
            names = next(csv.reader([header], delimiter=self.source.delimiter), [])
        except csv.Error as error:
            raise ReaderError(f"{self.path}: the header line is not CSV: {error}") from None
        self.columns = {name.strip() for name in names}
        self._fieldnames = [name.strip() for name in names]

    def _line_encoding(self) -> str:
        # Count bytes as on disk: encoding each line with utf-8-sig would add a BOM.
        decoding = _decoding(self.source.encoding)
        return "utf-8" if decoding == "utf-8-sig" else decoding

    def _lines(self) -> Iterator[str]:
        assert self._handle is not None, "use SourceFile as a context manager"
        encoding = self._line_encoding()
        try:
            for line in self._handle:
                self.bytes_read += len(line.encode(encoding, "replace"))
                yield line
        except UnicodeDecodeError:
            # Text files decode ahead in blocks: the error's offsets are the block's,
            # so the file is read again to name the line and byte.
            raise ReaderError(f"{self.path}: not {encoding}{_where(self.path, encoding)}") from None

    def records(self) -> Iterator[tuple[int, Record]]:
        """(record number from 1, record) for every record, in file order."""
        if self.source.format == "csv":
            yield from self._csv()
        else:
            yield from self._json_lines(ftm=self.source.format == "ftm")

    def _csv(self) -> Iterator[tuple[int, Record]]:
        # Set in the process that reads: the mapping child, forked after the header.
        limit = _set_csv_limit(self.limits.max_cell)
        reader = csv.reader(self._lines(), delimiter=self.source.delimiter)
        number = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                # csv starts afresh on the next line, so one bad row costs one record.
                number += 1
                yield number, {"__error__": _csv_error(error, reader.line_num, limit)}
                continue
            number += 1
            if row:
                yield number, self._csv_record(row)

    def _csv_record(self, row: list[str]) -> Record:
        record: Record = dict(zip(self._fieldnames, row, strict=False))
        width = len(self._fieldnames)
        if len(row) != width:
            # Kept, not dropped: the loader rejects it with this reason.
            record["__error__"] = f"expected {width} fields, found {len(row)}"
        if max(map(len, row)) > self.limits.max_cell:
            record = self._oversize_row(record)
        return record

    def _oversize_row(self, record: Record) -> Record:
        """The record with its oversize cells cut to a preview, rejected for the first."""
        oversize = [name for name, cell in record.items() if len(cell) > self.limits.max_cell]
        reason = _too_long(oversize[0], len(record[oversize[0]]), self.limits.max_cell)
        for name in oversize:
            record[name] = _preview(record[name])
        record["__error__"] = reason
        return record

    def _json_lines(self, ftm: bool) -> Iterator[tuple[int, Record]]:
        for number, line in enumerate(self._lines(), start=1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            yield number, self._json_record(text, ftm)

    def _json_record(self, text: str, ftm: bool) -> Record:
        """One JSON line as a flat record, or as an `__error__` record saying why not."""
        limits = self.limits
        if _too_deep(text, limits.max_depth):
            return _unread(text, f"nested deeper than {limits.max_depth} levels")
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            return _unread(text, f"not valid JSON: {error.msg}")
        except (ValueError, RecursionError) as error:
            # An integer of more than 4300 digits, say: Python refuses to read it.
            return _unread(text, f"not readable JSON: {error}")
        if not isinstance(value, dict):
            return _unread(text, "expected a JSON object")
        oversize = _oversize_string(value, limits.max_cell)
        if oversize is not None:
            path, length = oversize
            return _unread(text, _too_long(path, length, limits.max_cell))
        if ftm:
            return flatten_ftm(value)
        return flatten(value)


def flatten(value: dict[str, Any], prefix: str = "") -> Record:
    """Nested objects become dotted columns: {"a": {"b": 1}} -> {"a.b": 1}."""
    flat: Record = {}
    for key, item in value.items():
        name = f"{prefix}{key}"
        if isinstance(item, dict):
            flat.update(flatten(item, f"{name}."))
        else:
            flat[name] = item
    return flat


def flatten_ftm(entity: dict[str, Any]) -> Record:
    """A FollowTheMoney entity as a record: `id`, `schema`, and each property.

    FtM properties are lists; a property with one value becomes that value, with
    several the list (mapped to a list property, or rejected for a single one).
    """
    record: Record = {"id": entity.get("id"), "schema": entity.get("schema")}
    properties = entity.get("properties") or {}
    if not isinstance(properties, dict):
        record["__error__"] = "FtM `properties` must be a JSON object"
        return record
    for name, values in properties.items():
        if isinstance(values, list):
            record[name] = values[0] if len(values) == 1 else values
        else:
            record[name] = values
    return record


def _decoding(encoding: str) -> str:
    """The codec to read a file of `encoding` with.

    utf-8 reads as utf-8-sig, which drops a byte-order mark when there is one and
    is utf-8 otherwise: spreadsheet exports often start with one.
    """
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise ReaderError(f"unknown encoding {encoding!r}") from None
    return "utf-8-sig" if name in ("utf-8", "utf-8-sig") else encoding


def _bom_length(path: Path, decoding: str) -> int:
    """Bytes of the UTF-8 byte-order mark the file starts with (read, not yielded)."""
    if decoding != "utf-8-sig":
        return 0
    with path.open("rb") as handle:
        return len(codecs.BOM_UTF8) if handle.read(3) == codecs.BOM_UTF8 else 0


def _where(path: Path, encoding: str) -> str:
    """ " near byte B (line L): reason" for the first byte of `path` not in `encoding`."""
    found = locate_decode_error(path, encoding)
    if found is None:
        return ""
    line, offset, reason = found
    return f" near byte {offset} (line {line}): {reason}"


def locate_decode_error(path: Path, encoding: str) -> tuple[int, int, str] | None:
    """(line from 1, byte offset from 0, reason) of the first byte that is not
    `encoding`, or None when the whole file decodes."""
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = _LineCount()
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 16):
            state = decoder.getstate()
            try:
                lines.add(decoder.decode(chunk))
            except UnicodeDecodeError:
                # Again byte by byte from the block's start, to find the one at fault.
                decoder.setstate(state)
                for index in range(len(chunk)):
                    try:
                        lines.add(decoder.decode(chunk[index : index + 1]))
                    except UnicodeDecodeError as error:
                        return lines.line, offset + index, error.reason
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        return lines.line, offset, error.reason  # the file ends inside a character
    return None


class _LineCount:
    """The line a stream of decoded text has reached, counting line breaks as
    the readers do (\\n, \\r\\n and a lone \\r each end a line)."""

    def __init__(self) -> None:
        self.breaks = 0
        self._after_cr = False

    @property
    def line(self) -> int:
        """The current line, from 1."""
        return self.breaks + 1

    def add(self, text: str) -> None:
        """Count the line breaks of the next piece of text."""
        if not text:
            return
        self.breaks += text.count("\n") + text.count("\r") - text.count("\r\n")
        if self._after_cr and text.startswith("\n"):
            self.breaks -= 1  # a \r\n split between two pieces
        self._after_cr = text.endswith("\r")


def _set_csv_limit(max_cell: int) -> int:
    """Set csv's (process-wide) field limit for a reader of cells up to `max_cell`."""
    limit = max(max_cell * CSV_LIMIT_FACTOR, CSV_MIN_LIMIT)
    csv.field_size_limit(limit)
    return limit


def _csv_error(error: csv.Error, line: int, limit: int) -> str:
    message = str(error)
    if "field larger than field limit" in message:
        return f"a cell of more than {limit:,} characters (ends near line {line})"
    return f"not readable CSV near line {line}: {message}"


def _too_long(name: str, length: int, limit: int) -> str:
    return (
        f"{name!r} is {length:,} characters long; the limit is {limit:,} "
        "(LINKGRAPH_INGEST_MAX_CELL)"
    )


def _preview(text: str) -> str:
    """`text`, or its start and its length when it is long (for the rejects file)."""
    if len(text) <= PREVIEW_CHARS:
        return text
    return f"{text[:PREVIEW_CHARS]}... [{len(text):,} characters]"


def _unread(text: str, reason: str) -> Record:
    """A line that is no record: the reason, and the line (or its preview) for the rejects."""
    return {"__error__": reason, "__raw__": _preview(text)}


def _too_deep(text: str, max_depth: int) -> bool:
    """Whether the JSON text nests objects and lists deeper than `max_depth`.

    Checked before parsing: json.loads recurses once per level and fails with a
    RecursionError near a thousand.
    """
    if text.count("[") + text.count("{") <= max_depth:
        return False  # too few brackets to be too deep: the common case, no scan
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        bracket = match.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > max_depth:
                return True
        elif bracket in ("]", "}"):
            depth -= 1
        # else a string: its brackets are text
    return False


def _oversize_string(value: Any, limit: int, path: str = "") -> tuple[str, int] | None:
    """(dotted path, length) of the first string or key longer than `limit`, or None."""
    if isinstance(value, str):
        return (path or "value", len(value)) if len(value) > limit else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if len(key) > limit:
                return _preview(name), len(key)
            found = _oversize_string(item, limit, name)
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _oversize_string(item, limit, f"{path}[{index}]")
            if found is not None:
                return found
    return None
