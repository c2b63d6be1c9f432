"""summary.md: the short text version of a report, for chat or e-mail."""

from __future__ import annotations

from reports.content import ReportData
from reports.summary import network_name


def render_markdown(data: ReportData) -> str:
    """The summary's sentences, the top networks and the watchlist hits, in Markdown."""
    run = data.analysis_run
    lines = [
        f"# Network report {data.created_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"Analysis `{run.run_id}`"
        + (f", compared with `{data.baseline_run.run_id}`" if data.baseline_run else "")
        + ".",
        "",
        *(f"- {line}" for line in data.summary.sentences),
        "",
        "## Top networks",
        "",
    ]
    for net_id in data.top_networks:
        net = data.network(net_id)
        who = ", ".join(p.name or p.id for p in net.key_people[:4])
        named = {p.id: p.name or p.id for p in net.key_people}
        maybe = "".join(
            f"; {named[m.a]} and {named[m.b]} may be one person (waiting for review)"
            for m in net.maybe_same
        )
        lines.append(
            f"- **{network_name(net)}** ({net.status}), score {net.score:.2f}; "
            f"key people: {who}{maybe}"
        )
    if data.watchlist.hits:
        lines += ["", "## Watchlist hits", ""]
        for hit in data.watchlist.hits:
            where = (
                f"{hit.records} new records ({', '.join(hit.datasets)})"
                if hit.kind == "record"
                else f"{hit.network_status} network #{hit.network_rank}"
            )
            lines.append(f"- {hit.label} `{hit.node_id}` ({hit.reason}): {where}")
    lines += ["", f"Full report: `report.html` (report `{data.report_id}`)."]
    return "\n".join(lines) + "\n"
