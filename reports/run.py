"""`run_report`: build a report, draw it, write its folder, record it, alert on hits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from neo4j import Driver

from graph_schema.loader import GraphModel
from reports import charts
from reports.build import build_report
from reports.content import ReportData
from reports.drawing import draw_network
from reports.render_html import render_html
from reports.render_md import render_markdown
from reports.settings import ReportSettings
from reports.store import record_report, write_folder
from watchlist.webhook import Delivery, Webhook, check_url


@dataclass
class ReportResult:
    """What `run_report` wrote and delivered."""

    data: ReportData
    folder: Path
    deliveries: list[Delivery]

    def describe(self) -> str:
        """For people: where the report is, its summary, what was delivered."""
        sizes = ", ".join(
            f"{p.name} {p.stat().st_size / 1024:.0f} KiB" for p in sorted(self.folder.iterdir())
        )
        lines = [f"report {self.data.report_id}: {self.folder} ({sizes})"]
        lines += [f"  {line}" for line in self.data.summary.sentences]
        for d in self.deliveries:
            state = "delivered" if d.delivered else f"NOT delivered ({d.error}), kept in outbox"
            lines.append(f"webhook {d.delivery_id}: {state} after {d.attempts} attempt(s)")
        return "\n".join(lines)


def run_report(
    driver: Driver,
    model: GraphModel,
    database: str,
    reports_dir: Path,
    settings: ReportSettings | None = None,
    since: str | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> ReportResult:
    """Write one report folder under `reports_dir` and POST its watchlist hits if configured."""
    s = settings or ReportSettings()
    if s.webhook_url:
        # Refused before anything is written: a bad URL must not leave a report
        # recorded whose alert could never be sent.
        check_url(s.webhook_url)
    data, graphs = build_report(driver, model, database, s, since, say)
    say("drawing charts and networks ...")
    images = {
        "size": charts.size_distribution(data),
        "growth": charts.growth_over_runs(data),
    }
    if data.top_networks:
        images["scores"] = charts.score_breakdown(data)
    drawings = {nid: draw_network(data.network(nid), graphs[nid]) for nid in data.top_networks}
    files = {
        "report.html": render_html(data, images, drawings),
        "report.json": data.model_dump_json(indent=1) + "\n",
        "summary.md": render_markdown(data),
    }
    folder = write_folder(reports_dir, data, files)
    record_report(driver, model, database, data, folder)
    deliveries: list[Delivery] = []
    if s.webhook_url and data.watchlist.hits:
        hook = Webhook(
            s.webhook_url,
            reports_dir / "webhook",
            s.webhook_attempts,
            s.webhook_backoff_s,
            s.webhook_timeout_s,
        )
        payload = {
            "schema_version": data.schema_version,
            "report_id": data.report_id,
            "created_at": data.created_at.isoformat(),
            "analysis_run": data.analysis_run.run_id,
            "hits": [h.model_dump(mode="json") for h in data.watchlist.hits],
            "report": str(folder / "report.html"),
        }
        deliveries = hook.send(data.report_id, payload)
    return ReportResult(data, folder, deliveries)
