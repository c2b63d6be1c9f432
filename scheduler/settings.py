"""Scheduler settings, read from the environment (``LINKGRAPH_SCHEDULER_*``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SchedulerSettings(BaseSettings):
    """Every knob of `linkgraph scheduler`, one comment each."""

    model_config = SettingsConfigDict(
        env_prefix="LINKGRAPH_SCHEDULER_", env_file=".env", extra="ignore", frozen=True
    )

    # The jobs file (YAML, see docs/reports.md and scheduler.example.yaml).
    config: Path = Path("scheduler.yaml")
    # Seconds a job's lock lasts unless renewed; a running job renews it every third
    # of that, so a scheduler that crashed blocks the job for at most this long.
    lock_ttl_s: float = Field(default=120.0, ge=1)
    # Longest sleep between two looks at the clock (a changed clock is noticed).
    max_sleep_s: float = Field(default=60.0, gt=0)
