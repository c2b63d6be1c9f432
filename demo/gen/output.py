"""The files being written, and what each should give when loaded (its truth entry).

Renderers hand their records to :class:`Output` with a sort key and, for a record planted
to be rejected, the reason; the output sorts them, numbers them as the loader will, and
notes each planted reject's record number for truth.json.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

# A CSV row: (sort key, fields, why the loader must reject it or None).
CsvRow = tuple[Any, list[str], str | None]
# A JSON line: (sort key, object, or a str written verbatim as a broken line, reject reason).
JsonLine = tuple[Any, Any, str | None]


@dataclass
class FileTruth:
    """What one generated file should give when loaded."""

    name: str
    mapping: str
    dataset: str
    description: str
    records: int = 0
    filtered: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The file's entry in truth.json."""
        read = self.records - self.filtered
        return {
            "mapping": self.mapping,
            "dataset": self.dataset,
            "description": self.description,
            "read": read,
            "loaded": read - len(self.rejects),
            "rejected": len(self.rejects),
            "filtered": self.filtered,
            "rejects": self.rejects,
        }


class Output:
    """The files written so far (name -> bytes) and their truth entries, in writing order."""

    def __init__(self) -> None:
        self.files: dict[str, FileTruth] = {}
        self.data: dict[str, bytes] = {}

    def entry(self, name: str, mapping: str, dataset: str, description: str) -> FileTruth:
        """Start the truth entry of one file."""
        entry = FileTruth(name, mapping, dataset, description)
        self.files[name] = entry
        return entry

    def write_csv(
        self,
        truth: FileTruth,
        header: list[str],
        rows: list[CsvRow],
        delimiter: str = ",",
        encoding: str = "utf-8",
    ) -> None:
        """Sort rows by their key and write them; bad rows (with a reason) become rejects."""
        rows.sort(key=lambda row: row[0])
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        for number, (_, row, bad) in enumerate(rows, start=1):
            writer.writerow(row)
            if bad:
                truth.rejects.append({"record_no": number, "planted": bad})
        truth.records = len(rows)
        self.data[truth.name] = buffer.getvalue().encode(encoding)

    def write_jsonl(
        self, truth: FileTruth, lines: list[JsonLine], wanted: str | None = None
    ) -> None:
        """Write JSON Lines (a str item is written verbatim: a broken line).

        With `wanted`, objects of any other FollowTheMoney schema count as filtered: the
        mapping skips them, so they are read but neither loaded nor rejected.
        """
        lines.sort(key=lambda line: line[0])
        out: list[str] = []
        for number, (_, item, bad) in enumerate(lines, start=1):
            out.append(item if isinstance(item, str) else json.dumps(item, ensure_ascii=False))
            if wanted is not None and isinstance(item, dict) and item.get("schema") != wanted:
                truth.filtered += 1
            if bad:
                truth.rejects.append({"record_no": number, "planted": bad})
        truth.records = len(lines)
        self.data[truth.name] = ("\n".join(out) + "\n").encode("utf-8")
