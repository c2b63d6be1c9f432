"""The report's charts, drawn with matplotlib (Agg, no display) as PNG bytes."""

from __future__ import annotations

import io
from collections import Counter

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from reports.content import ReportData

# Colours that stay distinct for colour-blind readers (Okabe-Ito).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


__all__ = ["PALETTE", "growth_over_runs", "plt", "png", "score_breakdown", "size_distribution"]


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes (and the figure closed)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def size_distribution(data: ReportData) -> bytes:
    """How many networks of each size: this run's beside the baseline run's."""
    figure, axes = plt.subplots(figsize=(6.4, 3.2))
    now = Counter(n.size for n in data.networks)
    before = Counter(data.baseline_network_sizes)
    sizes = sorted(set(now) | set(before))
    axes.bar(
        [s - 0.2 for s in sizes],
        [now[s] for s in sizes],
        0.4,
        label="this analysis",
        color=PALETTE[0],
    )
    if data.baseline_run is not None:
        axes.bar(
            [s + 0.2 for s in sizes],
            [before[s] for s in sizes],
            0.4,
            label="previous analysis",
            color=PALETTE[1],
        )
    axes.set_xticks(sizes)
    axes.set_xlabel("network size (people)")
    axes.set_ylabel("networks")
    axes.set_title("Network sizes")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(frameon=False)
    return png(figure)


def growth_over_runs(data: ReportData) -> bytes:
    """Networks and people in networks over the latest analysis runs."""
    figure, left = plt.subplots(figsize=(6.4, 3.2))
    points = data.history
    xs = list(range(1, len(points) + 1))
    left.plot(xs, [p.networks for p in points], marker="o", color=PALETTE[0], label="networks")
    left.set_ylabel("networks", color=PALETTE[0])
    right = left.twinx()
    right.plot(
        xs,
        [p.people_in_networks for p in points],
        marker="s",
        color=PALETTE[1],
        label="people in networks",
    )
    right.set_ylabel("people in networks", color=PALETTE[1])
    left.set_xticks(
        xs,
        [f"{p.started_at:%m-%d %H:%M}" if p.started_at else "?" for p in points],
        rotation=30,
        ha="right",
        fontsize=8,
    )
    left.set_title("Growth over analysis runs")
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    return png(figure)


def score_breakdown(data: ReportData) -> bytes:
    """Each top network's score as stacked, weighted components."""
    top = [data.network(i) for i in data.top_networks]
    figure, axes = plt.subplots(figsize=(6.4, 0.6 + 0.45 * max(1, len(top))))
    names = list(top[0].components) if top else []
    lefts = [0.0] * len(top)
    for k, name in enumerate(names):
        parts = []
        for net in top:
            total = sum(c.weight for c in net.components.values()) or 1.0
            c = net.components[name]
            parts.append(c.value * c.weight / total)
        axes.barh(
            [f"#{n.rank}" for n in top],
            parts,
            left=lefts,
            label=name,
            color=PALETTE[k % len(PALETTE)],
        )
        lefts = [a + b for a, b in zip(lefts, parts, strict=True)]
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.set_xlabel("score (0 to 1), by component")
    axes.set_title("Top networks: what their score is made of")
    axes.legend(ncol=4, fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.35))
    return png(figure)
