"""Readers: stream a source file as (record number, flat record) pairs.

Records are read lazily, one at a time, so memory does not grow with the file.
Every reader reports the bytes consumed so far, for progress bars.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ingest.mapping import Source

Record = dict[str, Any]


class ReaderError(ValueError):
    """The file cannot be read as its mapping says (encoding, format)."""


@dataclass
class SourceFile:
    """An open source file: its columns (when known up front) and its records."""

    path: Path
    source: Source
    bytes_read: int = 0
    size: int = 0
    columns: set[str] | None = None
    _handle: IO[str] | None = field(default=None, repr=False)

    def __enter__(self) -> SourceFile:
        try:
            self._handle = self.path.open(encoding=self.source.encoding, newline="")
        except FileNotFoundError:
            raise ReaderError(f"{self.path}: no such data file") from None
        except LookupError:
            raise ReaderError(f"unknown encoding {self.source.encoding!r}") from None
        self.size = self.path.stat().st_size
        if self.source.format == "csv":
            try:
                header = self._handle.readline()
            except UnicodeDecodeError as error:
                # The first read decodes a whole buffer, not just the header line.
                raise ReaderError(
                    f"{self.path}: not {self.source.encoding} in its first "
                    f"{error.end} bytes: {error.reason}"
                ) from None
            self.bytes_read = len(header.encode(self.source.encoding, "replace"))  # BOM included
            names = next(csv.reader([header], delimiter=self.source.delimiter), [])
            self.columns = {name.strip() for name in names}
            self._fieldnames = [name.strip() for name in names]
        return self

    def __exit__(self, *_: object) -> None:
        if self._handle is not None:
            self._handle.close()

    def _lines(self) -> Iterator[str]:
        assert self._handle is not None, "use SourceFile as a context manager"
        # Count bytes as on disk: re-encoding each line with utf-8-sig would add a BOM.
        encoding = "utf-8" if self.source.encoding.lower() == "utf-8-sig" else self.source.encoding
        try:
            for line in self._handle:
                self.bytes_read += len(line.encode(encoding, "replace"))
                yield line
        except UnicodeDecodeError as error:
            raise ReaderError(
                f"{self.path}: not {encoding} near byte {self.bytes_read}: {error.reason}"
            ) from None

    def records(self) -> Iterator[tuple[int, Record]]:
        """(record number from 1, record) for every record, in file order."""
        if self.source.format == "csv":
            yield from self._csv()
        else:
            yield from self._json_lines(ftm=self.source.format == "ftm")

    def _csv(self) -> Iterator[tuple[int, Record]]:
        reader = csv.reader(self._lines(), delimiter=self.source.delimiter)
        width = len(self._fieldnames)
        for number, row in enumerate(reader, start=1):
            if not row:
                continue
            record: Record = dict(zip(self._fieldnames, row, strict=False))
            if len(row) != width:
                # Kept, not dropped: the loader rejects it with this reason.
                record["__error__"] = f"expected {width} fields, found {len(row)}"
            yield number, record

    def _json_lines(self, ftm: bool) -> Iterator[tuple[int, Record]]:
        for number, line in enumerate(self._lines(), start=1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                yield number, {"__error__": f"not valid JSON: {error.msg}", "__raw__": text}
                continue
            if not isinstance(value, dict):
                yield number, {"__error__": "expected a JSON object", "__raw__": text}
                continue
            yield number, flatten_ftm(value) if ftm else flatten(value)


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
    for name, values in (entity.get("properties") or {}).items():
        if isinstance(values, list):
            record[name] = values[0] if len(values) == 1 else values
        else:
            record[name] = values
    return record
