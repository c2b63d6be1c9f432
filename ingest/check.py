"""Checking a mapping on its data without a database: `linkgraph mapping check` and
`linkgraph ingest --dry-run`.

The file is read and every record mapped and normalised exactly as a load would
(the same mapper, rejects and repeat checks), in this process; nothing is written
but the rejects file. So a mapping can be tried before any Neo4j exists.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from graph_schema.loader import GraphModel
from ingest.loader import file_checksum, source_path
from ingest.mapping import check_columns, load_mapping
from ingest.mapping_process import FileJob, map_records
from ingest.readers import ReaderLimits, SourceFile
from ingest.records import Facts
from ingest.runs import IngestSummary


@dataclass
class CheckResult:
    """What a check found: the run's counts, the first mapped records, the first rejects."""

    summary: IngestSummary
    samples: list[tuple[int, Facts]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)

    def describe(self) -> str:
        """The mapped records, the counts and the rejects, for people."""
        lines = []
        if self.samples:
            lines.append(f"first {len(self.samples)} mapped record(s):")
            for record_no, facts in self.samples:
                lines.append(f"  record {record_no} ({facts.record_key}):")
                lines += [f"    {node.fact} {_props(node.props)}" for node in facts.nodes]
                lines += [
                    f"    {rel.fact} {_props({**rel.ident, **rel.props, **rel.sums})}"
                    for rel in facts.rels
                ]
        lines.append(self.summary.describe())
        for reject in self.rejects:
            what = reject.get("reason") or f"warning: {reject.get('warning')}"
            lines.append(f"  record {reject['record_no']} ({reject['field'] or '-'}): {what}")
        return "\n".join(lines)


def check_file(
    mapping_path: Path,
    model: GraphModel,
    data: Path | None = None,
    *,
    rejects_dir: Path,
    limits: ReaderLimits | None = None,
    show: int = 5,
) -> CheckResult:
    """Map every record of the file through the mapping, writing nothing but its rejects.

    Keeps the first `show` mapped records and the first `show` lines of the rejects file.
    """
    mapping = load_mapping(mapping_path, model)
    path = data or source_path(mapping, mapping_path)
    summary = IngestSummary.begin(mapping.dataset, mapping_path, path, 1000, dry_run=True)
    result = CheckResult(summary)

    def keep(record_no: int, record: dict[str, Any], facts: Facts) -> None:
        if len(result.samples) < show:
            result.samples.append((record_no, facts))

    with SourceFile(path, mapping.source, limits=limits or ReaderLimits()) as source:
        if source.columns is not None:
            check_columns(mapping, source.columns, path)
        summary.checksum = file_checksum(path)
        job = FileJob(mapping, model, source, summary.batch_size, summary, rejects_dir)
        for _ in map_records(job, keep):
            pass
    summary.status, summary.ended_at = "completed", datetime.now(UTC)
    if summary.rejects_file:
        with Path(summary.rejects_file).open(encoding="utf-8") as handle:
            result.rejects = [json.loads(line) for line in itertools.islice(handle, show)]
    return result


def _props(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, default=str, sort_keys=True)
