"""Community detection on the person graph, with several libraries behind one call.

* `leiden` (igraph `community_leiden`, modularity or CPM): the default, the fastest
  at equal modularity (see bench/analytics.py);
* `louvain` (igraph `community_multilevel`);
* `python-louvain` (the `community` module) and `networkx-louvain`, the product
  design's libraries, kept available and comparable;
* `wcc`: weakly connected components.

Small cells in a large population fall under modularity's resolution limit: at
resolution 1 they merge. Rather than raising gamma (which also shatters karate-club-like
graphs), any community larger than `max_community_size` is detected again on its own
subgraph, where the limit no longer applies; the split stops when nothing splits.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import igraph as ig

from analytics.budget import within_budget
from analytics.settings import Algorithm, Objective

# networkx's Louvain compares float gains that may never settle (PR #5940): weights
# are scaled to integers first, a known remedy.
NX_WEIGHT_SCALE = 1000


@dataclass(frozen=True)
class Detection:
    """How to detect communities."""

    algorithm: Algorithm = "leiden"
    objective: Objective = "modularity"
    resolution: float = 1.0
    seed: int = 42
    max_community_size: int = 80
    time_budget_s: float = 300.0


def _leiden(graph: ig.Graph, d: Detection) -> list[int]:
    ig.set_random_number_generator(random.Random(d.seed))  # noqa: S311 - reproducible seed
    weights = "weight" if "weight" in graph.es.attributes() else None
    objective = "CPM" if d.objective == "cpm" else "modularity"
    part = graph.community_leiden(
        objective_function=objective, weights=weights, resolution=d.resolution, n_iterations=2
    )
    return list(part.membership)


def _louvain(graph: ig.Graph, d: Detection) -> list[int]:
    ig.set_random_number_generator(random.Random(d.seed))  # noqa: S311 - reproducible seed
    weights = "weight" if "weight" in graph.es.attributes() else None
    return list(graph.community_multilevel(weights=weights, resolution=d.resolution).membership)


def _to_networkx(graph: ig.Graph, scale: float | None) -> object:
    import networkx as nx

    nxg = nx.Graph()
    nxg.add_nodes_from(range(graph.vcount()))
    weights = graph.es["weight"] if "weight" in graph.es.attributes() else [1.0] * graph.ecount()
    if scale is not None:
        weights = [max(1, round(w * scale)) for w in weights]
    nxg.add_weighted_edges_from(
        (e.source, e.target, w) for e, w in zip(graph.es, weights, strict=True)
    )
    return nxg


def _python_louvain(graph: ig.Graph, d: Detection) -> list[int]:
    import community as community_louvain  # python-louvain

    part = community_louvain.best_partition(
        _to_networkx(graph, None), resolution=d.resolution, random_state=d.seed
    )
    return [part[v] for v in range(graph.vcount())]


def _networkx_louvain(graph: ig.Graph, d: Detection) -> list[int]:
    import networkx as nx

    nxg = _to_networkx(graph, NX_WEIGHT_SCALE)
    sets = nx.community.louvain_communities(nxg, resolution=d.resolution, seed=d.seed)
    membership = [0] * graph.vcount()
    for c, members in enumerate(sets):
        for v in members:
            membership[v] = c
    return membership


def _wcc(graph: ig.Graph, d: Detection) -> list[int]:
    return list(graph.connected_components(mode="weak").membership)


ALGORITHMS: dict[str, Callable[[ig.Graph, Detection], list[int]]] = {
    "leiden": _leiden,
    "louvain": _louvain,
    "python-louvain": _python_louvain,
    "networkx-louvain": _networkx_louvain,
    "wcc": _wcc,
}


def canonical(membership: list[int]) -> list[int]:
    """Renumber communities by size (largest 0), ties by smallest member: run-independent."""
    groups: dict[int, list[int]] = defaultdict(list)
    for v, c in enumerate(membership):
        groups[c].append(v)
    order = sorted(groups.values(), key=lambda m: (-len(m), m[0]))
    out = [0] * len(membership)
    for number, members in enumerate(order):
        for v in members:
            out[v] = number
    return out


def split_large(graph: ig.Graph, membership: list[int], d: Detection, depth: int = 0) -> list[int]:
    """Detect again, on its own subgraph, every community larger than `d.max_community_size`.

    Used after any engine (igraph's, GDS's): it lifts modularity's resolution limit.
    """
    groups: dict[int, list[int]] = defaultdict(list)
    for v, c in enumerate(membership):
        groups[c].append(v)
    out = list(membership)
    next_id = max(membership, default=-1) + 1
    for members in groups.values():
        if len(members) <= d.max_community_size or depth > 20:
            continue
        sub = graph.induced_subgraph(members)
        inner = ALGORITHMS[d.algorithm](sub, d)
        if len(set(inner)) < 2:
            continue
        inner = split_large(sub, inner, d, depth + 1)
        for v, c in zip(members, inner, strict=True):
            out[v] = next_id + c
        next_id += max(inner) + 1
    return out


def detect(graph: ig.Graph, d: Detection) -> list[int]:
    """Community of each vertex (canonically numbered), within the time budget."""
    if d.algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {d.algorithm!r}; known: {sorted(ALGORITHMS)}")

    def run() -> list[int]:
        membership = ALGORITHMS[d.algorithm](graph, d)
        if d.max_community_size and d.algorithm != "wcc":
            membership = split_large(graph, membership, d)
        return canonical(membership)

    return within_budget(run, d.time_budget_s, f"community detection ({d.algorithm})")


def modularity(graph: ig.Graph, membership: list[int]) -> float:
    """Weighted modularity at resolution 1 (the figure every library reports)."""
    weights = "weight" if "weight" in graph.es.attributes() else None
    return float(graph.modularity(membership, weights=weights))
