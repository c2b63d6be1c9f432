"""The scheduler on the real Neo4j: jobs in order, a failing job recorded and the next
one still run, the lock (concurrent runs, expiry), history, the jobs file and the CLI."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver, GraphDatabase

from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import GraphModel, load_model
from graph_schema.locks import JobLockStore
from linkgraph.cli import main
from reports.job_runs import job_runs
from reports.settings import ReportSettings
from scheduler.config import JobSpec, SchedulerConfig, SchedulerConfigError, load_config
from scheduler.jobs import JOBS, JobContext
from scheduler.runner import Scheduler
from scheduler.settings import SchedulerSettings
from tests.test_reports import FIRST, MAPPING, SECOND

pytestmark = pytest.mark.neo4j

JOBS_FILE = """\
jobs:
  - {name: broken-drop, kind: ingest, cron: "* * * * *", mapping: missing.yaml, folder: drop}
  - {name: tips-drop, kind: ingest, cron: "* * * * *", mapping: tips.yaml, folder: drop,
     pattern: "*.csv"}
  - {name: resolve, kind: resolve, cron: "* * * * *", options: {merge_probability: 0.97}}
  - {name: analyse, kind: analyze, cron: "* * * * *", options: {seed: 7}}
  - {name: morning-report, kind: report, cron: "* * * * *", out: reports}
  - {name: weekly, kind: report, cron: "0 5 * * 1", out: reports}
"""


@pytest.fixture
def graph(empty_graph: Driver, settings: Settings) -> GraphModel:
    """An empty graph with the schema applied."""
    model = load_model()
    apply_schema(empty_graph, model, settings.neo4j_database)
    return model


@pytest.fixture
def ctx(driver: Driver, settings: Settings, graph: GraphModel, tmp_path: Path) -> JobContext:
    """What jobs need, with data written under tmp_path."""
    return JobContext(
        driver, graph, settings.model_copy(update={"data_dir": tmp_path}), ReportSettings()
    )


def _jobs_file(folder: Path) -> Path:
    (folder / "drop").mkdir()
    (folder / "tips.yaml").write_text(MAPPING)
    (folder / "drop" / "a.csv").write_text(FIRST)
    (folder / "drop" / "b.csv").write_text(SECOND)
    path = folder / "jobs.yaml"
    path.write_text(JOBS_FILE)
    return path


def test_a_failing_job_is_recorded_and_the_next_jobs_still_run(
    ctx: JobContext, tmp_path: Path
) -> None:
    config = load_config(_jobs_file(tmp_path))
    runner = Scheduler(ctx, config, owner="test-scheduler")
    since = datetime(2026, 1, 5, 9, 59, 30, tzinfo=UTC)  # a Monday
    runs = runner.run_due(since, datetime(2026, 1, 5, 10, 0, 5, tzinfo=UTC))
    # The weekly job (05:00 on Mondays) was not due; the others ran in the file's order.
    assert [r.job for r in runs] == [
        "broken-drop",
        "tips-drop",
        "resolve",
        "analyse",
        "morning-report",
    ]
    assert [r.status for r in runs] == ["failed"] + ["completed"] * 4, runs[2].error
    assert runs[0].error is not None
    assert "missing.yaml" in runs[0].error
    assert runs[1].output is not None
    assert runs[1].output.startswith("a.csv: run tips-")
    assert "b.csv: run tips-" in runs[1].output
    assert runs[2].output is not None
    assert runs[2].output.startswith("resolution ")
    assert runs[4].output is not None
    assert (tmp_path / "reports").is_dir()
    # History, newest first, says the same; the failure keeps its error.
    db = ctx.settings.neo4j_database
    history = job_runs(ctx.driver, db, model=ctx.model)
    assert [(r.job, r.status) for r in reversed(history)] == [(r.job, r.status) for r in runs]
    (failed,) = job_runs(ctx.driver, db, job="broken-drop", model=ctx.model)
    assert failed.error == runs[0].error
    assert failed.ended_at is not None
    # Loaded files are not loaded again (by content), whatever their names.
    (tmp_path / "drop" / "copy-of-a.csv").write_text(FIRST)
    again = runner.run_job(config.job("tips-drop"))
    assert again.output == "no new files"
    # Every lock was given back.
    locks = JobLockStore(ctx.driver, ctx.model, db)
    assert all(locks.holder(j.name) is None for j in config.jobs)


def test_the_lock_lets_one_of_two_concurrent_schedulers_run_a_job(ctx: JobContext) -> None:
    started = threading.Event()

    def slow(job: JobSpec, _: JobContext) -> str:
        started.set()
        time.sleep(1.5)
        return "done"

    config = SchedulerConfig(jobs=[JobSpec(name="slow", kind="analyze", cron="* * * * *")])
    first = Scheduler(ctx, config, owner="scheduler-1", jobs={"analyze": slow})
    second = Scheduler(ctx, config, owner="scheduler-2", jobs={"analyze": slow})
    results = {}
    thread = threading.Thread(target=lambda: results.update(one=first.run_job(config.jobs[0])))
    thread.start()
    assert started.wait(30)
    results["two"] = second.run_job(config.jobs[0])
    thread.join()
    assert results["one"].status == "completed"
    assert results["two"].status == "skipped"
    assert results["two"].output is not None
    assert "scheduler-1" in results["two"].output
    statuses = sorted(
        r.status for r in job_runs(ctx.driver, ctx.settings.neo4j_database, model=ctx.model)
    )
    assert statuses == ["completed", "skipped"]
    # Once released, the other scheduler runs it.
    assert second.run_job(config.jobs[0]).status == "completed"


def test_only_one_of_many_simultaneous_takers_gets_the_lock(ctx: JobContext) -> None:
    locks = JobLockStore(ctx.driver, ctx.model, ctx.settings.neo4j_database)
    barrier = threading.Barrier(6)
    won: list[str] = []

    def take(owner: str) -> None:
        barrier.wait()
        if locks.acquire("contended", owner, 60):
            won.append(owner)

    threads = [threading.Thread(target=take, args=(f"owner-{i}",)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1
    assert locks.holder("contended") == won[0]


def test_a_crashed_schedulers_lock_expires(ctx: JobContext) -> None:
    locks = JobLockStore(ctx.driver, ctx.model, ctx.settings.neo4j_database)
    assert locks.acquire("nightly", "crashed", ttl_s=1.0)
    assert not locks.acquire("nightly", "other", ttl_s=60)
    assert locks.acquire("nightly", "crashed", ttl_s=1.0)  # the holder may renew
    locks.release("nightly", "other")  # not ours: nothing happens
    assert locks.holder("nightly") == "crashed"
    time.sleep(1.3)
    assert locks.holder("nightly") is None
    assert locks.acquire("nightly", "other", ttl_s=60)
    assert not locks.renew("nightly", "crashed", 60)


def test_a_long_job_keeps_its_lock_alive(ctx: JobContext) -> None:
    def long(job: JobSpec, c: JobContext) -> str:
        time.sleep(2.5)  # longer than the lease: only renewal keeps it
        holder = JobLockStore(c.driver, c.model, c.settings.neo4j_database).holder(job.name)
        return f"holder {holder}"

    config = SchedulerConfig(jobs=[JobSpec(name="long", kind="report", cron="* * * * *")])
    runner = Scheduler(
        ctx, config, SchedulerSettings(lock_ttl_s=1.0), owner="keeper", jobs={"report": long}
    )
    run = runner.run_job(config.jobs[0])
    assert run.status == "completed"
    assert run.output == "holder keeper"


def test_jobs_file_errors_name_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "jobs.yaml"
    path.write_text("jobs:\n  - {name: x, kind: analyze, cron: '61 * * * *'}\n")
    with pytest.raises(SchedulerConfigError, match="not a valid cron expression"):
        load_config(path)
    path.write_text("jobs:\n  - {name: x, kind: ingest, cron: '* * * * *'}\n")
    with pytest.raises(SchedulerConfigError, match="needs `mapping` and `folder`"):
        load_config(path)
    path.write_text(
        "jobs:\n  - {name: x, kind: analyze, cron: '@daily'}\n"
        "  - {name: x, kind: report, cron: '@daily'}\n"
    )
    with pytest.raises(SchedulerConfigError, match="unique: x"):
        load_config(path)
    # A misspelt or invalid analysis option is refused, not silently ignored.
    path.write_text("jobs:\n  - {name: x, kind: analyze, cron: '@daily', options: {seeed: 1}}\n")
    with pytest.raises(SchedulerConfigError, match="not an analytics setting: seeed"):
        load_config(path)
    path.write_text(
        "jobs:\n  - {name: x, kind: analyze, cron: '@daily', options: {resolution: 0}}\n"
    )
    with pytest.raises(SchedulerConfigError, match="options: resolution: "):
        load_config(path)
    path.write_text("jobs:\n  - {name: x, kind: report, cron: '@daily', options: {seed: 1}}\n")
    with pytest.raises(SchedulerConfigError, match="only analyze and resolve jobs take options"):
        load_config(path)
    path.write_text("jobs:\n  - {name: x, kind: resolve, cron: '@daily', options: {merge: 1}}\n")
    with pytest.raises(SchedulerConfigError, match="not a resolution setting: merge"):
        load_config(path)
    with pytest.raises(SchedulerConfigError, match="no such jobs file"):
        load_config(tmp_path / "none.yaml")
    assert set(JOBS) == {"ingest", "resolve", "analyze", "report"}


def test_scheduler_commands(
    graph: GraphModel, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = _jobs_file(tmp_path)
    monkeypatch.setenv("LINKGRAPH_REPORT_DIR", str(tmp_path / "out"))
    runner = CliRunner()
    check = runner.invoke(main, ["scheduler", "check", "--config", str(jobs)])
    assert check.exit_code == 0, check.output
    assert "weekly" in check.output
    one = runner.invoke(main, ["scheduler", "once", "tips-drop", "--config", str(jobs)])
    assert one.exit_code == 0, one.output
    assert "tips-drop: completed" in one.output
    every = runner.invoke(main, ["scheduler", "once", "--all", "--config", str(jobs)])
    assert every.exit_code == 1  # broken-drop failed; the rest still ran
    assert "broken-drop: failed" in every.output
    assert "weekly: completed" in every.output
    history = runner.invoke(main, ["scheduler", "history", "--job", "broken-drop"])
    assert history.exit_code == 0
    assert "failed" in history.output
    assert "missing.yaml" in history.output
    unknown = runner.invoke(main, ["scheduler", "once", "nope", "--config", str(jobs)])
    assert unknown.exit_code == 1
    assert "no job 'nope'" in unknown.output


def test_the_shipped_example_jobs_file_is_valid() -> None:
    config = load_config(Path(__file__).parent.parent / "scheduler.example.yaml")
    assert [j.kind for j in config.jobs] == ["resolve", "analyze", "report"]


def test_an_unreachable_neo4j_fails_the_jobs_not_the_scheduler(
    ctx: JobContext, settings: Settings
) -> None:
    # A real driver to a port where nothing listens.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = GraphDatabase.driver(
        f"bolt://127.0.0.1:{port}", auth=("neo4j", "unused"), max_transaction_retry_time=0.5
    )
    said: list[str] = []
    config = SchedulerConfig(
        jobs=[
            JobSpec(name="a", kind="analyze", cron="* * * * *"),
            JobSpec(name="b", kind="report", cron="* * * * *"),
        ]
    )
    runner = Scheduler(replace(ctx, driver=dead), config, say=said.append)
    try:
        runs = runner.run_due(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC))
    finally:
        dead.close()
    assert [(r.job, r.status) for r in runs] == [("a", "failed"), ("b", "failed")]
    assert all(r.error is not None and r.error.startswith("lock: ") for r in runs)
    assert any("not recorded" in line for line in said)
