"""A drawing of one network: its people, the identifiers that tie them, their links.

People are circles: key people larger and numbered in the order the page lists
them (names in any script are then set by the browser, not by a plotting
font), people who joined since the previous analysis in orange. Identifiers are
small squares coloured by kind.
The layout is networkx's spring layout with a fixed seed: the same network is
drawn the same way every time.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from matplotlib.lines import Line2D

from reports.charts import PALETTE, plt, png
from reports.content import NetworkInfo

LAYOUT_SEED = 7
_KIND_COLOURS = {"Phone": PALETTE[2], "Account": PALETTE[4], "Wallet": PALETTE[3]}


def draw_network(net: NetworkInfo, graph: dict[str, Any]) -> bytes:
    """The drawing of `net` as PNG bytes; `graph` is reads.network_graph's result."""
    g = nx.Graph()
    members = set(graph["members"])
    key = {p.id: str(number) for number, p in enumerate(net.key_people, start=1)}
    joined = {p.id for p in net.joined}
    for pid in sorted(members):
        g.add_node(pid, kind="person")
    for ident in graph["identifiers"]:
        node = f"{ident['label']}:{ident['id']}"
        g.add_node(node, kind=ident["label"])
        for holder in ident["holders"]:
            g.add_edge(holder, node)
    drawn = {i["id"]: f"{i['label']}:{i['id']}" for i in graph["identifiers"]}
    for link in graph["links"]:
        a = link["source"] if link["source"] in members else drawn.get(link["source"], "")
        b = link["target"] if link["target"] in members else drawn.get(link["target"], "")
        if a in g and b in g and a != b:
            g.add_edge(a, b)
    figure, axes = plt.subplots(figsize=(6.4, 5.0))
    pos = nx.spring_layout(g, seed=LAYOUT_SEED, k=1.2 / max(1, len(g)) ** 0.5)
    people = [n for n in g if g.nodes[n]["kind"] == "person"]
    idents = [n for n in g if g.nodes[n]["kind"] != "person"]
    nx.draw_networkx_edges(g, pos, ax=axes, alpha=0.35, width=0.8)
    nx.draw_networkx_nodes(
        g,
        pos,
        nodelist=idents,
        node_shape="s",
        node_size=60,
        node_color=[_KIND_COLOURS.get(g.nodes[n]["kind"], PALETTE[5]) for n in idents],
        ax=axes,
    )
    nx.draw_networkx_nodes(
        g,
        pos,
        nodelist=people,
        node_size=[320 if p in key else 140 for p in people],
        node_color=[PALETTE[1] if p in joined else PALETTE[0] for p in people],
        edgecolors="white",
        ax=axes,
    )
    nx.draw_networkx_labels(
        g,
        pos,
        labels={p: key[p] for p in people if p in key},
        font_size=8,
        font_color="white",
        ax=axes,
    )
    axes.set_title(f"Network #{net.rank}: {net.size} people, score {net.score:.2f}")
    axes.axis("off")
    handles = [
        Line2D([], [], marker="o", ls="", color=PALETTE[0], label="person"),
        Line2D([], [], marker="o", ls="", color=PALETTE[1], label="joined since last run"),
    ] + [
        Line2D([], [], marker="s", ls="", color=colour, label=kind.lower())
        for kind, colour in _KIND_COLOURS.items()
    ]
    axes.legend(handles=handles, fontsize=7, frameon=False, loc="lower left")
    return png(figure)
