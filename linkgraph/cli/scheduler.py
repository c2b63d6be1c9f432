"""`linkgraph scheduler run | once JOB | history | check`."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

import click

from linkgraph.wiring import Wiring, pass_wiring
from reports.job_runs import job_runs
from reports.settings import ReportSettings
from scheduler.config import SchedulerConfig, SchedulerConfigError, load_config
from scheduler.cron import next_after
from scheduler.jobs import JobContext
from scheduler.runner import Scheduler
from scheduler.settings import SchedulerSettings

_CONFIG = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The jobs file (default LINKGRAPH_SCHEDULER_CONFIG, or scheduler.yaml).",
)


def _config(path: Path | None, settings: SchedulerSettings) -> SchedulerConfig:
    try:
        return load_config(path or settings.config)
    except SchedulerConfigError as error:
        raise click.ClickException(str(error)) from error


def _scheduler(wiring: Wiring, config: SchedulerConfig) -> Scheduler:
    ctx = JobContext(wiring.driver, wiring.model, wiring.settings, ReportSettings())
    return Scheduler(ctx, config, wiring.scheduler, say=lambda line: click.echo(line, err=True))


@click.group()
def scheduler() -> None:
    """Run configured jobs (drop-folder ingest, analysis, report) on cron expressions."""


@scheduler.command()
@_CONFIG
@pass_wiring
def run(wiring: Wiring, config_path: Path | None) -> None:
    """Run the jobs on their schedule until stopped (SIGTERM or Ctrl-C)."""
    config = _config(config_path, wiring.scheduler)
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    names = ", ".join(f"{j.name} ({j.cron})" for j in config.jobs)
    click.echo(f"scheduler: {len(config.jobs)} jobs: {names}", err=True)
    _scheduler(wiring, config).run_forever(stop)


@scheduler.command()
@click.argument("job", required=False)
@click.option("--all", "run_all", is_flag=True, help="Run every job, in the file's order.")
@_CONFIG
@pass_wiring
def once(wiring: Wiring, job: str | None, run_all: bool, config_path: Path | None) -> None:
    """Run JOB (or --all) now, under its lock; exit 1 if a job failed."""
    config = _config(config_path, wiring.scheduler)
    if (job is None) == (not run_all):
        raise click.UsageError("give one JOB name or --all")
    try:
        jobs = config.jobs if run_all else [config.job(job or "")]
    except SchedulerConfigError as error:
        raise click.ClickException(str(error)) from error
    runner = _scheduler(wiring, config)
    runs = [runner.run_job(j) for j in jobs]
    for r in runs:
        click.echo(f"{r.job}: {r.status}" + (f" ({r.error})" if r.error else ""))
        if r.output:
            click.echo("  " + r.output.replace("\n", "\n  "))
    if any(r.status == "failed" for r in runs):
        sys.exit(1)


@scheduler.command()
@click.option("--job", help="Only this job's runs.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@pass_wiring
def history(wiring: Wiring, job: str | None, limit: int) -> None:
    """The latest job runs: start, end, outcome and error."""
    base = wiring.settings
    runs = job_runs(wiring.driver, base.neo4j_database, job, limit, model=wiring.model)
    if not runs:
        click.echo("no job runs yet")
    for r in runs:
        took = f"{(r.ended_at - r.started_at).total_seconds():.1f} s" if r.ended_at else "-"
        line = f"{r.started_at:%Y-%m-%d %H:%M:%S}  {r.job:<20} {r.status:<9} {took:>8}"
        click.echo(line + (f"  {r.error}" if r.error else ""))


@scheduler.command()
@_CONFIG
@pass_wiring
def check(wiring: Wiring, config_path: Path | None) -> None:
    """Validate the jobs file and say when each job runs next."""
    config = _config(config_path, wiring.scheduler)
    now = datetime.now(UTC)
    for j in config.jobs:
        at = next_after(j.cron, now)
        click.echo(f"{j.name:<20} {j.kind:<8} {j.cron:<16} next {at:%Y-%m-%d %H:%M} UTC")
