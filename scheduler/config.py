"""The jobs file: which jobs run, on which cron expressions, in which order.

```yaml
jobs:
  - name: load-telco-drop
    kind: ingest
    cron: "*/15 * * * *"
    mapping: /data/mappings/telco.yaml
    folder: /data/drop/telco
    pattern: "*.csv"
  - {name: analyse, kind: analyze, cron: "0 5 * * *"}
  - {name: morning-report, kind: report, cron: "30 5 * * *"}
```

Jobs due at the same minute run in the order of the file, one after the other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from croniter import croniter
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_settings import BaseSettings

from analytics.settings import AnalyticsSettings
from graph_schema.yaml_spec import read_spec
from resolution.settings import ResolutionSettings

JobName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]


class SchedulerConfigError(ValueError):
    """The jobs file is missing or invalid (the message names the file and key)."""


class JobSpec(BaseModel):
    """One job."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: JobName
    kind: Literal["ingest", "resolve", "analyze", "report"]
    # Standard five-field cron expression, in UTC.
    cron: str
    # ingest: the mapping and the drop folder whose new files it loads.
    mapping: Path | None = None
    folder: Path | None = None
    pattern: str = "*"
    # analyze: overrides of the analytics settings (seed, resolution...); resolve: of the
    # resolution settings (merge_probability...).
    options: dict[str, Any] = Field(default_factory=dict)
    # report: where the report folders go (default: the report settings').
    out: Path | None = None
    # report: the --since of `linkgraph report run`.
    since: str | None = None

    @model_validator(mode="after")
    def _check(self) -> JobSpec:
        if not croniter.is_valid(self.cron):
            raise ValueError(f"cron: not a valid cron expression: {self.cron!r}")
        if self.kind == "ingest" and (self.mapping is None or self.folder is None):
            raise ValueError("mapping: an ingest job needs `mapping` and `folder`")
        if self.options:
            _check_options(self.kind, self.options)
        return self


# The settings a job's `options` override, by kind of job.
OPTION_SETTINGS: dict[str, tuple[str, type[BaseSettings]]] = {
    "analyze": ("an analytics", AnalyticsSettings),
    "resolve": ("a resolution", ResolutionSettings),
}


def _check_options(kind: str, options: dict[str, Any]) -> None:
    """Refuse options the analysis would silently ignore (its settings ignore extras)."""
    if kind not in OPTION_SETTINGS:
        raise ValueError(f"options: only analyze and resolve jobs take options, not {kind}")
    area, settings = OPTION_SETTINGS[kind]
    unknown = sorted(set(options) - set(settings.model_fields))
    if unknown:
        raise ValueError(f"options: not {area} setting: {', '.join(unknown)}")
    try:
        settings(**options)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ValueError(f"options: {where}: {first['msg']}") from None


class SchedulerConfig(BaseModel):
    """The whole jobs file."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    jobs: list[JobSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> SchedulerConfig:
        names = [job.name for job in self.jobs]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"jobs: job names must be unique: {', '.join(twice)}")
        return self

    def job(self, name: str) -> JobSpec:
        """The job called `name`; SchedulerConfigError naming the known ones otherwise."""
        for job in self.jobs:
            if job.name == name:
                return job
        known = ", ".join(j.name for j in self.jobs)
        raise SchedulerConfigError(f"no job {name!r} in the configuration (jobs: {known})")


def load_config(path: Path) -> SchedulerConfig:
    """The jobs file at `path`, validated; relative paths are taken from its folder."""
    config = read_spec(path, SchedulerConfig, SchedulerConfigError, "no such jobs file")
    base = path.resolve().parent

    def absolute(p: Path | None) -> Path | None:
        return p if p is None or p.is_absolute() else base / p

    jobs = [
        job.model_copy(
            update={
                "mapping": absolute(job.mapping),
                "folder": absolute(job.folder),
                "out": absolute(job.out),
            }
        )
        for job in config.jobs
    ]
    return SchedulerConfig(jobs=jobs)
