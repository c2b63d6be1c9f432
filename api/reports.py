"""Network-detection reports and scheduled jobs through the API.

Lists are GraphQL fields (`reports`, `jobRuns`); a report's files are served at
`/reports/{report id}/{file}` (HTML, JSON, Markdown cannot travel inside GraphQL).
Both need a key like every other route, and are audited like them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import strawberry
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse

from reports.job_runs import JobRunInfo
from reports.settings import ReportSettings
from reports.store import ReportInfo, ReportNotFoundError, list_reports, report_file

MEDIA_TYPES = {
    "report.html": "text/html; charset=utf-8",
    "report.json": "application/json",
    "summary.md": "text/markdown; charset=utf-8",
}


def reports_dir(data_dir: Path) -> Path:
    """Where `linkgraph report run` writes report folders."""
    return ReportSettings().reports_dir(data_dir)


@strawberry.type(description="One file of a report, served at `url` (same key).")
class ReportFile:
    name: str
    bytes: int
    url: str


@strawberry.type(description="A network-detection report (`linkgraph report run`).")
class Report:
    id: strawberry.ID
    created_at: dt.datetime
    analysis_run: str
    baseline_run: str | None = strawberry.field(description="The run it is compared with.")
    summary: list[str]
    watch_hits: int
    files: list[ReportFile]


def report(info: ReportInfo) -> Report:
    """The GraphQL object of a report folder."""
    return Report(
        id=strawberry.ID(info.report_id),
        created_at=info.created_at,
        analysis_run=info.analysis_run,
        baseline_run=info.baseline_run,
        summary=info.summary,
        watch_hits=info.watch_hits,
        files=[
            ReportFile(name=name, bytes=size, url=f"/reports/{info.report_id}/{name}")
            for name, size in info.files.items()
        ],
    )


def reports(data_dir: Path) -> list[Report]:
    """Every complete report, newest first."""
    return [report(info) for info in list_reports(reports_dir(data_dir))]


@strawberry.type(description="One run of one scheduled job.")
class JobRun:
    id: strawberry.ID
    job: str
    kind: str
    status: str = strawberry.field(description="running, completed, failed or skipped.")
    started_at: dt.datetime
    ended_at: dt.datetime | None
    error: str | None
    output: str | None


def job_run(info: JobRunInfo) -> JobRun:
    """The GraphQL object of a job run."""
    return JobRun(
        id=strawberry.ID(info.run_id),
        job=info.job,
        kind=info.kind,
        status=info.status,
        started_at=info.started_at,
        ended_at=info.ended_at,
        error=info.error,
        output=info.output,
    )


router = APIRouter()


@router.get("/reports/{report_id}/{name}")
async def report_file_route(request: Request, report_id: str, name: str) -> FileResponse:
    """One file of one report (report.html, report.json or summary.md)."""
    data_dir = request.app.state.services.settings.data_dir
    try:
        path = report_file(reports_dir(data_dir), report_id, name)
    except ReportNotFoundError as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    return FileResponse(path, media_type=MEDIA_TYPES[name])
