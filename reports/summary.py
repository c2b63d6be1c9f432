"""The summary a report opens with: plain sentences a non-programmer can act on."""

from __future__ import annotations

from reports.content import NetworkInfo, ReportData, Summary


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def network_name(net: NetworkInfo) -> str:
    """How a network is named to readers: its rank in this run, and its size."""
    return f"network #{net.rank} ({_plural(net.size, 'person', 'people')})"


def summary_sentences(data: ReportData) -> Summary:
    """The summary's sentences and counts, from the rest of the report."""
    nets = data.networks
    people = sum(n.size for n in nets)
    run = data.analysis_run
    when = f"{run.started_at:%Y-%m-%d %H:%M} UTC" if run.started_at else "an unknown time"
    c = data.changes
    sentences = [
        f"The latest analysis ({when}) found {_plural(len(nets), 'network')} "
        f"of {_plural(people, 'person', 'people')}."
    ]
    if data.baseline_run is None:
        sentences.append("There is no earlier analysis to compare with: every network is new.")
    else:
        parts = [
            _plural(len(c.new), "new network"),
            f"{len(c.grew)} grew",
            f"{len(c.merged)} merged",
            f"{len(c.split)} split",
            f"{len(c.shrank)} shrank",
            f"{len(c.dissolved)} dissolved",
        ]
        sentences.append("Since the previous analysis: " + ", ".join(parts) + ".")
        for net in nets:
            if net.status == "new":
                sentences.append(f"New: {network_name(net)}, score {net.score:.2f}.")
            elif net.status == "grew":
                sentences.append(
                    f"Grew: {network_name(net)}, from {net.previous_size} "
                    f"(+{len(net.joined)} joined)."
                )
            elif net.status == "merged":
                sentences.append(
                    f"Merged: {network_name(net)} joins {len(net.previous)} earlier networks."
                )
            elif net.status == "split":
                sentences.append(f"Split: {network_name(net)} is part of an earlier network.")
    hits = data.watchlist.hits
    if not data.watchlist.entries:
        sentences.append("The watchlist is empty.")
    elif not hits:
        sentences.append(
            f"No watchlist hits ({_plural(data.watchlist.entries, 'entry', 'entries')} checked)."
        )
    for hit in hits:
        what = f"Watched {hit.label.lower()} {hit.node_id}"
        if hit.kind == "record":
            sentences.append(
                f"{what} appears in {_plural(hit.records, 'new record')} "
                f"({', '.join(hit.datasets)})."
            )
        else:
            sentences.append(
                f"{what} is in {hit.network_status} network #{hit.network_rank} "
                f"(through {', '.join(p.name or p.id for p in hit.people)})."
            )
    if data.brokers:
        b = data.brokers[0]
        sentences.append(
            f"Top broker: {b.person.name or b.person.id} (broker score {b.broker_score:.2f})."
        )
    q = data.data_quality
    sentences.append(
        f"Data: {_plural(len(q.ingest_runs), 'ingest run')} in the period loaded "
        f"{_plural(q.records_loaded, 'record')} and rejected {q.records_rejected}"
        + (f"; {q.failed_runs} failed." if q.failed_runs else ".")
    )
    return Summary(
        sentences=sentences,
        networks=len(nets),
        new_networks=len(c.new),
        grown_networks=len(c.grew),
        merged_networks=len(c.merged),
        split_networks=len(c.split),
        dissolved_networks=len(c.dissolved),
        watch_hits=len(hits),
        brokers=len(data.brokers),
        hubs=data.hub_total,
        ingest_runs=len(q.ingest_runs),
        records_loaded=q.records_loaded,
        records_rejected=q.records_rejected,
    )
