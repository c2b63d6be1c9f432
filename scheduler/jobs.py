"""What each kind of job does: load a drop folder's new files, analyse, report.

Each returns a line or two saying what it did (kept in the job's history).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from neo4j import Driver, RoutingControl

from analytics.pipeline import run_analysis
from analytics.settings import AnalyticsSettings
from core.settings import Settings
from graph_schema.bookkeeping import INGEST_RUN_LABEL
from graph_schema.loader import GraphModel
from ingest.loader import Loader, file_checksum
from ingest.mapping import load_mapping
from reports.run import run_report
from reports.settings import ReportSettings
from resolution.run import run_resolution
from resolution.settings import ResolutionSettings
from scheduler.config import JobSpec


@dataclass(frozen=True)
class JobContext:
    """What every job needs."""

    driver: Driver
    model: GraphModel
    settings: Settings
    report_settings: ReportSettings


JobFunction = Callable[[JobSpec, JobContext], str]


def loaded_checksums(ctx: JobContext, dataset: str) -> set[str]:
    """SHA-256 of every file already loaded completely for `dataset`."""
    label = ctx.model.node(INGEST_RUN_LABEL).label
    records, _, _ = ctx.driver.execute_query(
        f"MATCH (r:`{label}` {{dataset: $dataset}}) WHERE r.status = 'completed' "
        "RETURN collect(DISTINCT r.checksum) AS sums",
        dataset=dataset,
        database_=ctx.settings.neo4j_database,
        routing_=RoutingControl.READ,
    )
    return set(records[0]["sums"])


def new_files(job: JobSpec, ctx: JobContext) -> list[Path]:
    """The drop folder's files not yet loaded (by content, not name), in name order."""
    assert job.mapping is not None
    assert job.folder is not None
    if not job.folder.is_dir():
        raise FileNotFoundError(f"drop folder {job.folder} does not exist")
    mapping = load_mapping(job.mapping, ctx.model)
    done = loaded_checksums(ctx, mapping.dataset)
    files = sorted(p for p in job.folder.glob(job.pattern) if p.is_file())
    return [p for p in files if file_checksum(p) not in done]


def ingest_job(job: JobSpec, ctx: JobContext) -> str:
    """Load every new file of the drop folder through the job's mapping."""
    assert job.mapping is not None
    files = new_files(job, ctx)
    s = ctx.settings
    loader = Loader.from_settings(ctx.driver, ctx.model, s)
    lines = []
    for path in files:
        summary = loader.load(job.mapping, path, rejects_dir=s.data_dir / "rejects")
        lines.append(
            f"{path.name}: run {summary.run_id}, loaded {summary.records_loaded}, "
            f"rejected {summary.records_rejected}"
        )
    return "\n".join(lines) if lines else "no new files"


def resolve_job(job: JobSpec, ctx: JobContext) -> str:
    """Run entity resolution (before the analysis, so that it counts identities)."""
    summary = run_resolution(
        ctx.driver, ctx.model, ctx.settings.neo4j_database, ResolutionSettings(**job.options)
    )
    return (
        f"resolution {summary.run_id}: {summary.identities} identities, "
        f"{summary.candidates - summary.automatic} pairs to review"
    )


def analyze_job(job: JobSpec, ctx: JobContext) -> str:
    """Run the analysis with the job's options."""
    summary = run_analysis(
        ctx.driver,
        ctx.model,
        ctx.settings.neo4j_database,
        AnalyticsSettings(**job.options),
    )
    return f"analysis {summary.run.run_id}: {summary.run.networks} networks"


def report_job(job: JobSpec, ctx: JobContext) -> str:
    """Write a report (and POST its watchlist hits when a webhook is configured)."""
    reports_dir = job.out or ctx.report_settings.reports_dir(ctx.settings.data_dir)
    result = run_report(
        ctx.driver,
        ctx.model,
        ctx.settings.neo4j_database,
        reports_dir,
        ctx.report_settings,
        job.since,
    )
    undelivered = sum(1 for d in result.deliveries if not d.delivered)
    extra = f"; {undelivered} webhook deliveries failed (kept in outbox)" if undelivered else ""
    return f"report {result.data.report_id}: {result.folder}{extra}"


JOBS: dict[str, JobFunction] = {
    "ingest": ingest_job,
    "resolve": resolve_job,
    "analyze": analyze_job,
    "report": report_job,
}
