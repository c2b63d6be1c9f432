"""Report and webhook settings, read from the environment (``LINKGRAPH_REPORT_*``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ReportSettings(BaseSettings):
    """Every knob of `linkgraph report run` and of watchlist alerts, one comment each."""

    model_config = SettingsConfigDict(
        env_prefix="LINKGRAPH_REPORT_", env_file=".env", extra="ignore", frozen=True
    )

    # Where report folders are written. Unset: `<LINKGRAPH_DATA_DIR>/reports`.
    dir: Path | None = None
    # Top networks shown in detail (score breakdown and a drawing each).
    top_networks: int = Field(default=5, ge=1, le=50)
    # Brokers and hub identifiers listed.
    top_brokers: int = Field(default=10, ge=1, le=100)
    top_hubs: int = Field(default=10, ge=1, le=100)
    # Network matching across runs: two networks are the same (or parts of each other)
    # when they share at least `match_min_shared` people and the shared people are at
    # least `match_threshold` of the smaller one (the overlap coefficient).
    match_threshold: float = Field(default=0.5, gt=0, le=1)
    match_min_shared: int = Field(default=2, ge=1)
    # Analysis runs shown in the growth chart.
    history_runs: int = Field(default=10, ge=2, le=100)
    # Most identifiers drawn around one network (the rest are counted, not drawn).
    drawing_max_identifiers: int = Field(default=60, ge=0)

    # Watchlist hits are POSTed here as JSON when set (http or https).
    webhook_url: str | None = None
    # Attempts per delivery, and the first pause between them (doubled each time).
    webhook_attempts: int = Field(default=4, ge=1, le=20)
    webhook_backoff_s: float = Field(default=1.0, ge=0)
    # Seconds one POST may take.
    webhook_timeout_s: float = Field(default=10.0, gt=0)

    def reports_dir(self, data_dir: Path) -> Path:
        """The folder holding every report folder."""
        return self.dir if self.dir is not None else data_dir / "reports"
