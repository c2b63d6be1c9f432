"""Centrality on the person graph: degree, PageRank, betweenness, and brokers.

Brokers are measured between networks, not globally: with a large background
population loaded, global betweenness ranks a person who links two cells poorly
(most shortest paths run through the background). For every two networks tied by
at least `MIN_TIES` links, a person's *bridging* adds the share of the two
networks' member pairs whose shortest paths (on the two networks alone, strong
links short) run through them; *separated* is the share of their own network cut
off from it when they are removed (an articulation point). Both are fractions:
`broker_score = bridging + separated`.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

import igraph as ig

from analytics.budget import within_budget

# Links a person needs into a network to count as tied to it when bridging.
MIN_TIES = 2


@dataclass(frozen=True)
class Centrality:
    """Per-person figures, indexed like the graph's vertices."""

    degree: list[int]
    strength: list[float]
    pagerank: list[float]
    betweenness: list[float]
    betweenness_sampled: bool


@dataclass(frozen=True)
class Broker:
    """Why one person counts as a broker."""

    person: int
    score: float
    bridging: float
    separated: float
    networks: tuple[int, ...]


def centrality(
    graph: ig.Graph, seed: int, exact_max: int, samples: int, budget_s: float
) -> Centrality:
    """Degree, weighted PageRank and betweenness (sampled sources above `exact_max`)."""
    weights = graph.es["weight"] if "weight" in graph.es.attributes() else None
    # Betweenness walks shortest paths: a strong link is a short one.
    lengths = [1.0 / w for w in weights] if weights else None
    n = graph.vcount()
    sampled = n > exact_max

    def run() -> tuple[list[float], list[float]]:
        pagerank = list(graph.pagerank(weights=weights)) if n else []
        if not sampled:
            return pagerank, list(graph.betweenness(directed=False, weights=lengths))
        sources = sorted(random.Random(seed).sample(range(n), min(samples, n)))  # noqa: S311 - seeded for reproducibility, not secrecy
        partial = graph.betweenness(directed=False, weights=lengths, sources=sources)
        # Scaled to estimate the full sum over all sources.
        return pagerank, [b * n / len(sources) for b in partial]

    pagerank, betweenness = within_budget(run, budget_s, "PageRank and betweenness")
    return Centrality(
        degree=list(graph.degree()),
        strength=list(graph.strength(weights=weights)),
        pagerank=pagerank,
        betweenness=betweenness,
        betweenness_sampled=sampled,
    )


def brokers(
    graph: ig.Graph, membership: list[int], min_network_size: int, max_pairs: int = 5000
) -> list[Broker]:
    """People who bridge networks or hold one together, best first."""
    groups: dict[int, list[int]] = defaultdict(list)
    for v, c in enumerate(membership):
        groups[c].append(v)
    networks = {c for c, members in groups.items() if len(members) >= min_network_size}
    weights = graph.es["weight"] if "weight" in graph.es.attributes() else [1.0] * graph.ecount()
    between: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0, 0.0])
    for edge, w in zip(graph.es, weights, strict=True):
        ca, cb = membership[edge.source], membership[edge.target]
        if ca != cb and ca in networks and cb in networks:
            tie = between[(min(ca, cb), max(ca, cb))]
            tie[0] += 1
            tie[1] += w
    # A bridge joins networks tied by several links; one stray call is not brokerage.
    pairs = sorted(
        (pair for pair, (n, _) in between.items() if n >= MIN_TIES),
        key=lambda pair: (-between[pair][1], pair),
    )[:max_pairs]
    bridging: dict[int, float] = defaultdict(float)
    touched: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        nodes = groups[a] + groups[b]
        sub = graph.induced_subgraph(nodes)
        lengths = [1.0 / w for w in sub.es["weight"]] if "weight" in sub.es.attributes() else None
        side_a = list(range(len(groups[a])))
        side_b = list(range(len(groups[a]), len(nodes)))
        flow = sub.betweenness(directed=False, weights=lengths, sources=side_a, targets=side_b)
        for i, value in enumerate(flow):
            if value > 0:
                # Share of the two networks' member pairs whose shortest paths run
                # through v, times how strongly the two networks are tied.
                share = value / (len(side_a) * len(side_b))
                bridging[nodes[i]] += share * between[(a, b)][1]
                touched[nodes[i]].update((a, b))
    separated = _separated(graph, groups, networks)
    found = []
    for v in sorted(set(bridging) | set(separated)):
        score = bridging.get(v, 0.0) + separated.get(v, 0.0)
        nets = tuple(sorted(touched.get(v, {membership[v]})))
        found.append(Broker(v, score, bridging.get(v, 0.0), separated.get(v, 0.0), nets))
    return sorted(found, key=lambda b: (-b.score, b.person))


def _separated(
    graph: ig.Graph, groups: dict[int, list[int]], networks: set[int]
) -> dict[int, float]:
    """Share of its own network each articulation point cuts off when removed."""
    out: dict[int, float] = {}
    for c in networks:
        group = groups[c]
        sub = graph.induced_subgraph(group)
        for cut in sub.articulation_points():
            rest = sub.copy()
            rest.delete_vertices([cut])
            largest = max(rest.connected_components().sizes())
            out[group[cut]] = (len(group) - 1 - largest) / len(group)
    return out
