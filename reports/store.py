"""Report folders on disk, and the Report record in the graph; listing and serving them.

Each report is one folder `<reports dir>/<report id>/` holding `report.html`,
`report.json` and `summary.md`. A folder is written under a temporary name and
renamed when complete, so a listed report is always whole.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from neo4j import Driver

from graph_schema.bookkeeping import save_record
from graph_schema.loader import GraphModel
from reports.content import ReportData
from reports.window import REPORT_LABEL

FILES = ("report.html", "report.json", "summary.md")
REPORT_ID = re.compile(r"^report-\d{8}T\d{6}Z-[0-9a-f]{6}$")


class ReportNotFoundError(LookupError):
    """No such report, or no such file in it."""


@dataclass(frozen=True)
class ReportInfo:
    """One report folder, as the API lists it."""

    report_id: str
    created_at: datetime
    analysis_run: str
    baseline_run: str | None
    summary: list[str]
    watch_hits: int
    files: dict[str, int]  # file name -> size in bytes
    path: Path


def write_folder(reports_dir: Path, data: ReportData, files: dict[str, str]) -> Path:
    """Write the report's files into `<reports_dir>/<report id>/`; returns the folder."""
    folder = reports_dir / data.report_id
    tmp = reports_dir / f".{data.report_id}.partial"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    for name, text in files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    tmp.rename(folder)
    return folder


def record_report(
    driver: Driver, model: GraphModel, database: str, data: ReportData, folder: Path
) -> None:
    """Keep the report's Report node (the next report's period starts at it)."""
    props = {
        "report_id": data.report_id,
        "created_at": data.created_at,
        "analysis_run": data.analysis_run.run_id,
        "baseline_run": data.baseline_run.run_id if data.baseline_run else None,
        "since": data.since,
        "path": str(folder),
        "watch_hits": len(data.watchlist.hits),
    }
    save_record(driver, model, REPORT_LABEL, data.report_id, props, database)


def list_reports(reports_dir: Path) -> list[ReportInfo]:
    """Every complete report under `reports_dir`, newest first."""
    if not reports_dir.is_dir():
        return []
    out = []
    for folder in reports_dir.iterdir():
        meta = folder / "report.json"
        if not REPORT_ID.match(folder.name) or not meta.is_file():
            continue
        data = json.loads(meta.read_text(encoding="utf-8"))
        out.append(
            ReportInfo(
                report_id=folder.name,
                created_at=datetime.fromisoformat(data["created_at"]),
                analysis_run=data["analysis_run"]["run_id"],
                baseline_run=(data.get("baseline_run") or {}).get("run_id"),
                summary=list(data["summary"]["sentences"]),
                watch_hits=len(data["watchlist"]["hits"]),
                files={n: (folder / n).stat().st_size for n in FILES if (folder / n).is_file()},
                path=folder,
            )
        )
    return sorted(out, key=lambda r: (r.created_at, r.report_id), reverse=True)


def report_file(reports_dir: Path, report_id: str, name: str) -> Path:
    """The path of file `name` of report `report_id`.

    Only a well-formed report id and one of the report's own file names are
    accepted, and the result is checked to lie inside `reports_dir`: a request
    cannot reach any other file (no `..`, no absolute paths, no symlinks out).
    ReportNotFoundError when it is not there.
    """
    if not REPORT_ID.match(report_id) or name not in FILES:
        raise ReportNotFoundError(f"no report file {report_id}/{name}")
    root = reports_dir.resolve()
    path = (root / report_id / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise ReportNotFoundError(f"no report file {report_id}/{name}")
    return path
