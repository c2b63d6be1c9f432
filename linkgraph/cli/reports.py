"""`linkgraph report run`: write a network-detection report folder."""

from __future__ import annotations

from pathlib import Path

import click

from linkgraph.wiring import Wiring, pass_wiring
from reports.run import run_report
from reports.settings import ReportSettings
from reports.store import list_reports
from reports.window import ReportError
from watchlist.webhook import WebhookError


@click.group()
def report() -> None:
    """Network-detection reports: what changed since the previous analysis."""


@report.command("run")
@click.option(
    "--since",
    metavar="RUN_OR_DATE",
    help="Compare with this analysis run id, or cover what was loaded since this ISO date.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the report folder goes "
    "(default LINKGRAPH_REPORT_DIR, else <LINKGRAPH_DATA_DIR>/reports).",
)
@pass_wiring
def run(wiring: Wiring, since: str | None, out: Path | None) -> None:
    """Write report.html, report.json and summary.md for the latest analysis run."""
    settings = wiring.settings
    report_settings = ReportSettings()
    reports_dir = out or report_settings.reports_dir(settings.data_dir)
    try:
        result = run_report(
            wiring.driver,
            wiring.model,
            settings.neo4j_database,
            reports_dir,
            report_settings,
            since,
            say=lambda line: click.echo(line, err=True),
        )
    except (ReportError, WebhookError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(result.describe())


@report.command("list")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="The reports folder (default as for `report run`).",
)
@pass_wiring
def list_command(wiring: Wiring, folder: Path | None) -> None:
    """The reports written so far, newest first."""
    reports_dir = folder or ReportSettings().reports_dir(wiring.settings.data_dir)
    found = list_reports(reports_dir)
    if not found:
        click.echo(f"no reports in {reports_dir}")
    for info in found:
        click.echo(
            f"{info.report_id}  {info.created_at:%Y-%m-%d %H:%M}  analysis {info.analysis_run}  "
            f"{info.watch_hits} watchlist hits  {info.path}"
        )
