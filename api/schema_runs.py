"""What has run: ingest, analysis and scheduled-job runs, and the reports written."""

# No `from __future__ import annotations`, as in the other parts of the schema.

from functools import partial

import strawberry
from strawberry.types import Info

from api.context import Context, blocking
from api.networks import AnalysisRun, IngestRun, analysis_run, ingest_run
from api.pagination import Connection, page_of
from api.reports import JobRun, Report, job_run
from api.reports import reports as list_reports
from reports.job_runs import job_runs


@strawberry.type
class RunsQuery:
    """The query fields listing runs and reports, newest first."""

    @strawberry.field(description="Ingest runs, newest first.")
    async def ingest_runs(
        self, info: Info[Context, None], first: int = 20, after: str | None = None
    ) -> Connection[IngestRun]:
        start, size = page_of(first, after, info.context.api)
        rows = await blocking(info.context.reads.records, "IngestRun", start, size + 1)
        return Connection.of([ingest_run(r) for r in rows[:size]], start, len(rows) > size)

    @strawberry.field(description="Network-detection reports, newest first.")
    async def reports(self, info: Info[Context, None], first: int = 20) -> list[Report]:
        page_of(first, None, info.context.api)
        found = await blocking(list_reports, info.context.services.settings.data_dir)
        return found[:first]

    @strawberry.field(description="Runs of scheduled jobs (of one job, or all), newest first.")
    async def job_runs(
        self, info: Info[Context, None], job: str | None = None, first: int = 50
    ) -> list[JobRun]:
        page_of(first, None, info.context.api)
        services = info.context.services
        info.context.audit.trips.add()
        runs = await blocking(
            partial(
                job_runs,
                services.driver,
                services.settings.neo4j_database,
                job,
                first,
                model=services.model,
            )
        )
        return [job_run(r) for r in runs]

    @strawberry.field(description="Analysis runs, newest first.")
    async def analysis_runs(
        self, info: Info[Context, None], first: int = 20, after: str | None = None
    ) -> Connection[AnalysisRun]:
        start, size = page_of(first, after, info.context.api)
        rows = await blocking(info.context.reads.records, "AnalysisRun", start, size + 1)
        return Connection.of([analysis_run(r) for r in rows[:size]], start, len(rows) > size)
