"""report.html: one self-contained page (inline CSS, images as data URIs, no scripts).

It opens from disk with no network, and reads top-down for a non-programmer:
the summary first, then the charts, what changed, the top networks with their
drawings, brokers, hubs, watchlist hits, data quality, and how it was made.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from html import escape

from reports.content import NetworkInfo, Person, ReportData
from reports.summary import network_name

# Rows of the "what changed" table; the rest are counted (and all are in report.json).
MAX_CHANGED_ROWS = 50

STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;
max-width:980px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:32px 0 8px;border-bottom:2px solid #0072B2}
h3{font-size:16px;margin:20px 0 6px}.meta{color:#57606a;font-size:13px}
#summary{background:#f0f6fc;border-left:5px solid #0072B2;padding:12px 18px;border-radius:4px}
#summary li{margin:3px 0}.tiles{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.tile{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:96px}
.tile b{display:block;font-size:22px}table{border-collapse:collapse;width:100%;margin:6px 0 12px;
font-size:14px}th,td{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left;
vertical-align:top}th{background:#f6f8fa}img{max-width:100%;height:auto}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;color:#fff;
background:#57606a}.new{background:#D55E00}.grew{background:#E69F00}.merged{background:#CC79A7}
.split{background:#56B4E9}.network{border:1px solid #d0d7de;border-radius:6px;padding:6px 16px;
margin:14px 0}pre{background:#f6f8fa;padding:8px;overflow:auto;font-size:12px}
.muted{color:#57606a}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "—"


def _img(png: bytes, alt: str, css_id: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img id="{css_id}" alt="{_e(alt)}" src="data:image/png;base64,{data}">'


def _who(people: list[Person], limit: int = 12) -> str:
    names = [_e(p.name or p.id) for p in people[:limit]]
    more = f" and {len(people) - limit} more" if len(people) > limit else ""
    return ", ".join(names) + more if names else "—"


def _numbered(people: list[Person]) -> str:
    return ", ".join(f"{k}. {_person(p)}" for k, p in enumerate(people, 1)) or "—"


def _person(person: Person) -> str:
    # One human once, with the other names their records give (entity resolution).
    shown = _e(person.name or person.id)
    if person.aliases:
        shown += f' <span class="muted">(also {_e(", ".join(person.aliases))})</span>'
    return shown


def _maybe_same(net: NetworkInfo) -> str:
    # Two of the key people may be one human: say so, as counted twice they would
    # mislead, and merging them is an analyst's call (the review queue).
    number = {p.id: k for k, p in enumerate(net.key_people, 1)}
    pairs = [
        f"{number[m.a]} and {number[m.b]} (match probability {m.probability:.2f})"
        for m in net.maybe_same
    ]
    if not pairs:
        return ""
    return (
        f'<p class="muted">May be one person, waiting for review: {_e("; ".join(pairs))}. '
        "Judge the pair with <code>linkgraph resolve judge</code>.</p>"
    )


def _badge(status: str) -> str:
    return f'<span class="badge {_e(status)}">{_e(status)}</span>'


def _table(head: list[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f'<p class="muted">{_e(empty)}</p>'
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _networks_named(data: ReportData, ids: list[str]) -> str:
    """Networks by their readers' names; "(twice)" for two groups of one network."""
    named = []
    for net_id in dict.fromkeys(ids):
        try:
            name = network_name(data.network(net_id))
        except KeyError:
            name = net_id
        named.append(f"{name} (twice)" if ids.count(net_id) > 1 else name)
    return ", ".join(named) or "—"


def _network(net: NetworkInfo, drawing: bytes | None) -> str:
    rows = [
        [_e(name), _e(f"{c.figure:g}"), _e(f"{c.value:.2f}"), _e(f"{c.weight:g}")]
        for name, c in net.components.items()
    ]
    change = ""
    if net.status != "new" and net.previous:
        change = (
            f"<p>Previously {net.previous_size} people in {_e(', '.join(net.previous))}. "
            f"Joined: {_who(net.joined)}. Left: {_who(net.left)}.</p>"
        )
    picture = (
        _img(drawing, f"drawing of network #{net.rank}", f"drawing-{net.rank}") if drawing else ""
    )
    return (
        f'<div class="network" id="network-{net.rank}"><h3>{_e(network_name(net).capitalize())} '
        f"{_badge(net.status)} — score {net.score:.2f}</h3>"
        f"<p>Key people (numbered in the drawing): {_numbered(net.key_people)}</p>"
        f"{_maybe_same(net)}{change}{picture}"
        + _table(["score component", "figure", "value (0–1)", "weight"], rows, "no score")
        + f'<p class="meta">id {_e(net.id)}</p></div>'
    )


def render_html(data: ReportData, charts: dict[str, bytes], drawings: dict[str, bytes]) -> str:
    """The whole page. `charts` by name (size, growth, scores), `drawings` by network id."""
    s = data.summary
    run, base = data.analysis_run, data.baseline_run
    tiles = [
        ("networks", s.networks),
        ("new", s.new_networks),
        ("grew", s.grown_networks),
        ("watchlist hits", s.watch_hits),
        ("brokers", s.brokers),
        ("hubs", s.hubs),
        ("records loaded", s.records_loaded),
        ("rejected", s.records_rejected),
    ]
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Network report {_when(data.created_at)}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Network-detection report</h1>",
        f'<p class="meta">Written {_when(data.created_at)} · analysis {_e(run.run_id)} '
        f"({_when(run.started_at)})"
        + (f" compared with {_e(base.run_id)} ({_when(base.started_at)})" if base else "")
        + f" · period from {_when(data.since)} · report {_e(data.report_id)}</p>",
        '<section id="summary"><h2>Summary</h2><ul>',
        *(f"<li>{_e(line)}</li>" for line in s.sentences),
        '</ul><div class="tiles">',
        *(f'<div class="tile"><b>{v}</b>{_e(k)}</div>' for k, v in tiles),
        "</div></section>",
        '<section id="charts"><h2>Charts</h2>',
        *(
            _img(charts[name], alt, f"chart-{name}")
            for name, alt in (
                ("size", "network sizes"),
                ("growth", "growth over analysis runs"),
                ("scores", "score breakdown of the top networks"),
            )
            if name in charts
        ),
        "</section>",
        '<section id="changes"><h2>What changed since the previous analysis</h2>',
    ]
    changed = [n for n in data.networks if n.status not in ("unchanged", "changed")]
    hidden = max(0, len(changed) - MAX_CHANGED_ROWS)
    changed = changed[:MAX_CHANGED_ROWS]
    parts.append(
        _table(
            ["network", "what", "size", "before", "joined", "left"],
            [
                [
                    _e(f"#{n.rank}"),
                    _badge(n.status),
                    str(n.size),
                    str(n.previous_size) if n.previous else "—",
                    _who(n.joined, 6),
                    _who(n.left, 6),
                ]
                for n in changed
            ],
            "No earlier analysis to compare with."
            if base is None
            else "No network is new, grew, merged, split or shrank.",
        )
    )
    if hidden:
        parts.append(f"<p>And {hidden} more (all of them in report.json).</p>")
    if data.changes.dissolved:
        parts.append(f"<p>Dissolved (no successor): {_e(', '.join(data.changes.dissolved))}</p>")
    parts.append('</section><section id="top-networks"><h2>Top networks by score</h2>')
    for net_id in data.top_networks:
        parts.append(_network(data.network(net_id), drawings.get(net_id)))
    parts.append('</section><section id="brokers"><h2>Brokers</h2>')
    parts.append(
        "<p>People who tie groups together that reach each other only through them, "
        "whether or not the groups were found as one network.</p>"
        + _table(
            ["person", "broker score", "network", "ties together"],
            [
                [
                    _e(b.person.name or b.person.id)
                    + f'<br><span class="meta">{_e(b.person.id)}</span>',
                    f"{b.broker_score:.2f}",
                    _e(f"#{b.network_rank}" if b.network_rank else "—"),
                    _e(_networks_named(data, b.bridges)),
                ]
                for b in data.brokers
            ],
            "No brokers in this analysis.",
        )
    )
    parts.append('</section><section id="connectors"><h2>Connectors</h2>')
    parts.append(
        "<p>Numbers that members of several networks contact, one way and for nothing "
        "else (a taxi company, a landlord, a money-transfer shop). They join no networks "
        "and are not brokers.</p>"
        + _table(
            ["person", "contacted from"],
            [
                [
                    _e(c.person.name or c.person.id)
                    + f'<br><span class="meta">{_e(c.person.id)}</span>',
                    _e(_networks_named(data, c.networks)),
                ]
                for c in data.connectors
            ],
            "No connectors in this analysis.",
        )
    )
    parts.append('</section><section id="hubs"><h2>Hub identifiers</h2>')
    parts.append(
        f"<p>{data.hub_total} identifiers are shared by so many people (a shelter, an agency, "
        "a hotel) that they are kept out of network building.</p>"
        + _table(
            ["kind", "identifier", "why"],
            [[_e(h.label), _e(h.id), _e(h.reason)] for h in data.hubs],
            "No hub identifiers.",
        )
    )
    parts.append('</section><section id="watchlist"><h2>Watchlist hits</h2>')
    parts.append(
        _table(
            ["watched", "why watched", "hit", "details"],
            [
                [
                    _e(f"{h.label} {h.node_id}"),
                    _e(h.reason),
                    "new records" if h.kind == "record" else "network",
                    _e(
                        f"{h.records} records in {', '.join(h.datasets)}"
                        if h.kind == "record"
                        else f"{h.network_status} network #{h.network_rank}, through "
                    )
                    + (_who(h.people) if h.kind == "network" else ""),
                ]
                for h in data.watchlist.hits
            ],
            f"No hits ({data.watchlist.entries} watchlist entries checked).",
        )
    )
    q = data.data_quality
    parts.append('</section><section id="data-quality"><h2>Data quality</h2>')
    parts.append(
        f"<p>{len(q.ingest_runs)} ingest runs since {_when(data.since)}: read {q.records_read}, "
        f"loaded {q.records_loaded}, rejected {q.records_rejected}; {q.failed_runs} failed.</p>"
        + _table(
            ["dataset", "file", "status", "read", "loaded", "rejected", "why rejected (file)"],
            [
                [
                    _e(r.dataset),
                    _e(r.file),
                    _e(r.status) + (f"<br>{_e(r.error)}" if r.error else ""),
                    str(r.records_read),
                    str(r.records_loaded),
                    str(r.records_rejected),
                    "<br>".join(f"{n} × {_e(why)}" for why, n in r.reject_reasons.items())
                    + (
                        f'<br><span class="meta">{_e(r.rejects_file)}</span>'
                        if r.rejects_file
                        else ""
                    ),
                ]
                for r in q.ingest_runs
            ],
            "No ingest runs in the period.",
        )
    )
    parts.append('</section><section id="methods"><h2>Methods and parameters</h2>')
    parts.append(
        f"<h3>Matching networks across runs</h3><p>{_e(data.methods.matching)}</p>"
        f"<p>Threshold {data.methods.match_threshold:g}, at least "
        f"{data.methods.match_min_shared} shared people.</p>"
        f"<h3>Scores</h3><p>{_e(data.methods.scores)}</p>"
        f"<h3>Analysis run {_e(run.run_id)}</h3>"
        f"<p>Engine {_e(run.engine)}, algorithm {_e(run.algorithm)} ({_e(run.objective)}, "
        f"resolution {_e(run.resolution)}), seed {_e(run.seed)}, modularity "
        f"{_e(round(run.modularity, 4) if run.modularity is not None else '—')}; "
        f"{run.persons} people, {run.edges} links, {run.communities} communities.</p>"
        f"<pre>{_e(json.dumps(run.parameters, indent=1, sort_keys=True))}</pre>"
        f"<p>Versions: {_e(', '.join(f'{k} {v}' for k, v in sorted(run.versions.items())))}</p>"
        "<h3>To reproduce</h3><pre>" + _e("\n".join(data.methods.reproduce)) + "</pre>"
    )
    parts.append(f'</section><p class="meta">report.json schema version {data.schema_version}</p>')
    parts.append("</body></html>")
    return "\n".join(parts)
