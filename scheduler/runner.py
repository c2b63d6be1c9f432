"""Running jobs: each under its lock, recorded in the history, failures contained.

`run_job` runs one job now; `run_due` runs, in the file's order, every job whose
cron expression fired since the last look; `run_forever` loops on `run_due`.
A job that fails is recorded as failed with its error, and the next job runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from graph_schema.locks import Heartbeat, JobLockStore, new_owner
from reports.job_runs import JobRunInfo, new_run_id, save_job_run
from scheduler.config import JobSpec, SchedulerConfig
from scheduler.cron import due, next_after
from scheduler.jobs import JOBS, JobContext, JobFunction
from scheduler.settings import SchedulerSettings


class Scheduler:
    """Runs the configured jobs of one scheduler process."""

    def __init__(
        self,
        ctx: JobContext,
        config: SchedulerConfig,
        settings: SchedulerSettings | None = None,
        owner: str | None = None,
        jobs: dict[str, JobFunction] | None = None,
        say: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.ctx = ctx
        self.config = config
        self.settings = settings or SchedulerSettings()
        self.owner = owner or new_owner()
        self.jobs = jobs or JOBS
        self.say = say
        self.locks = JobLockStore(ctx.driver, ctx.model, ctx.settings.neo4j_database)

    def _save(self, run: JobRunInfo) -> None:
        save_job_run(self.ctx.driver, self.ctx.model, self.ctx.settings.neo4j_database, run)

    def _unlocked(self, run: JobRunInfo, error: Exception) -> JobRunInfo:
        """A run that could not even take its lock (Neo4j unreachable...): said, and
        recorded if the database lets us; the scheduler itself carries on."""
        run.status, run.ended_at = "failed", datetime.now(UTC)
        run.error = f"lock: {type(error).__name__}: {error}"
        self.say(f"{run.job}: failed: {run.error}")
        try:
            self._save(run)
        except Exception as again:  # the database is what failed
            self.say(f"{run.job}: not recorded: {type(again).__name__}: {again}")
        return run

    def run_job(self, job: JobSpec) -> JobRunInfo:
        """Run `job` now under its lock; its history record says how it went."""
        started = datetime.now(UTC)
        run = JobRunInfo(
            run_id=new_run_id(job.name, started),
            job=job.name,
            kind=job.kind,
            status="running",
            started_at=started,
            owner=self.owner,
        )
        ttl = self.settings.lock_ttl_s
        try:
            locked = self.locks.acquire(job.name, self.owner, ttl)
        except Exception as error:  # one job's trouble must not stop the rest
            return self._unlocked(run, error)
        if not locked:
            run.status, run.ended_at = "skipped", datetime.now(UTC)
            run.output = f"another scheduler holds the lock ({self.locks.holder(job.name)})"
            self._save(run)
            self.say(f"{job.name}: skipped, {run.output}")
            return run
        try:
            self._save(run)
            self.say(f"{job.name}: running ({job.kind})")
            with Heartbeat(self.locks, job.name, self.owner, ttl):
                run.output = self.jobs[job.kind](job, self.ctx)
            run.status = "completed"
        # Any failure of a job is its own: recorded, and the next job still runs.
        except Exception as error:
            run.status, run.error = "failed", f"{type(error).__name__}: {error}"
        finally:
            run.ended_at = datetime.now(UTC)
            try:
                self._save(run)
                self.locks.release(job.name, self.owner)
            except Exception as error:  # the lease lapses by itself
                self.say(f"{job.name}: not recorded: {type(error).__name__}: {error}")
        self.say(f"{job.name}: {run.status}" + (f": {run.error}" if run.error else ""))
        return run

    def run_due(self, since: datetime, now: datetime) -> list[JobRunInfo]:
        """Run, in order, every job whose cron expression fired in (since, now]."""
        return [self.run_job(job) for job in self.config.jobs if due(job.cron, since, now)]

    def next_time(self, after: datetime) -> datetime:
        """When the next job is due."""
        return min(next_after(job.cron, after) for job in self.config.jobs)

    def run_forever(self, stop: threading.Event | None = None) -> None:
        """Run due jobs until `stop` is set (or for ever)."""
        stop = stop or threading.Event()
        last = datetime.now(UTC)
        while not stop.is_set():
            wake = self.next_time(last)
            self.say(f"next job at {wake:%Y-%m-%d %H:%M} UTC")
            while not stop.is_set():
                left = (wake - datetime.now(UTC)).total_seconds()
                if left <= 0:
                    break
                stop.wait(min(left, self.settings.max_sleep_s))
            if stop.is_set():
                return
            now = datetime.now(UTC)
            self.run_due(last, now)
            last = now
