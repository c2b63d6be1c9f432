"""Which analysis run a report describes, what it compares it with, and from when.

* the **current** run is the latest completed analysis run;
* `--since RUN` compares with that analysis run and covers what was loaded since
  it started; `--since DATE` covers what was loaded since that date (UTC) and
  compares with the last completed run that started before it;
* by default the report compares with the completed run before the current one,
  and covers what happened since the last report (or, before any report, since
  the baseline run started).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from neo4j import Driver, RoutingControl

from analytics.runs import latest_run
from core.values import native
from graph_schema.bookkeeping import ANALYSIS_RUN_LABEL
from graph_schema.loader import GraphModel

REPORT_LABEL = "Report"
_RUN_ID = re.compile(r"^analysis-\d{8}T\d{6}Z-[0-9a-f]+$")


class ReportError(ValueError):
    """A report cannot be made as asked (no analysis yet, a bad --since...)."""


@dataclass(frozen=True)
class Window:
    """The runs a report is about and the start of the period it covers."""

    current: dict[str, Any]
    baseline: dict[str, Any] | None
    since: datetime | None


def parse_since(text: str) -> datetime:
    """An ISO date or date-time as an aware UTC datetime; ReportError otherwise."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ReportError(
            f"--since {text!r}: neither an analysis run id nor an ISO date (2026-01-31)"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def iso(moment: Any) -> str | None:
    """A datetime as an ISO string for `datetime($x)` in Cypher.

    Neo4j orders equal instants by their zone (`Z` before `[UTC]`), and the driver
    sends some datetimes with a named zone: comparing through one ISO form avoids
    a run seeming to start before itself.
    """
    value = native(moment)
    return value.astimezone(UTC).isoformat() if value is not None else None


def _run(driver: Driver, model: GraphModel, database: str, query: str, **params: Any) -> Any:
    label = model.node(ANALYSIS_RUN_LABEL).label
    records, _, _ = driver.execute_query(
        f"MATCH (r:`{label}`) WHERE r.status = 'completed' AND {query} "
        "RETURN r {.*} AS run ORDER BY r.started_at DESC LIMIT 1",
        params,
        database_=database,
        routing_=RoutingControl.READ,
    )
    return dict(records[0]["run"]) if records else None


def last_report(driver: Driver, model: GraphModel, database: str) -> dict[str, Any] | None:
    """The newest report's record, or None."""
    label = model.node(REPORT_LABEL).label
    records, _, _ = driver.execute_query(
        f"MATCH (r:`{label}`) RETURN r {{.*}} AS report ORDER BY r.created_at DESC LIMIT 1",
        database_=database,
        routing_=RoutingControl.READ,
    )
    return dict(records[0]["report"]) if records else None


def resolve_window(
    driver: Driver, model: GraphModel, database: str, since: str | None = None
) -> Window:
    """The current run, the baseline run and the period start for a report."""
    current = latest_run(driver, model, database)
    if current is None:
        raise ReportError("no completed analysis run yet: run `linkgraph analyze` first")
    started = current["started_at"]
    if since is not None and _RUN_ID.match(since):
        baseline = _run(driver, model, database, "r.run_id = $id", id=since)
        if baseline is None:
            raise ReportError(f"--since {since}: no completed analysis run with that id")
        if baseline["run_id"] == current["run_id"]:
            baseline = None
            start = native(started)
        else:
            start = native(baseline["started_at"])
        return Window(current, baseline, start)
    if since is not None:
        start = parse_since(since)
        baseline = _run(
            driver,
            model,
            database,
            "r.started_at < datetime($start) AND r.run_id <> $current",
            start=iso(start),
            current=current["run_id"],
        )
        return Window(current, baseline, start)
    baseline = _run(
        driver,
        model,
        database,
        "r.started_at < datetime($started) AND r.run_id <> $current",
        started=iso(started),
        current=current["run_id"],
    )
    report = last_report(driver, model, database)
    if report is not None:
        return Window(current, baseline, native(report["created_at"]))
    return Window(current, baseline, native(baseline["started_at"]) if baseline else None)
