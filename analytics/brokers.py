"""Brokers: people who bridge two networks, or hold one together.

Brokers are measured between networks, not globally: with a large background
population loaded, global betweenness ranks a person who links two cells poorly
(most shortest paths run through the background). For every two networks tied by
at least `MIN_TIES` links, a person's *bridging* adds the share of the two
networks' member pairs whose shortest paths (on the two networks alone, strong
links short) run through them, times how strongly the two networks are tied,
averaged over the pairs of networks the person carries such paths between. The
average (not the sum) keeps people on the edges of many arbitrary slices of a
large background population, each bridge weak, below the one person two real
networks depend on: summed, the demo's planted broker ranked 6th and a slice of
the background displaced a planted network from the top 4; averaged, he ranks
2nd and the three planted networks rank 1st-3rd. *separated* is the share of
their own network cut off from it when they are removed (an
articulation point). `broker_score = bridging + separated`.

Everything is computed from the edge list already in memory: the ties between
networks are counted with numpy, and each pair of networks (or each network) is
built as its own small graph, never cut out of the whole graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import igraph as ig
import numpy as np
import numpy.typing as npt

from analytics.budget import Budgeted

# Links a person needs into a network to count as tied to it when bridging.
MIN_TIES = 2
# Processes measuring bridging (this one and forked children): 2 cores.
WORKERS = 2
# Fewest pairs of networks worth forking a process for.
PAIRS_PER_PROCESS = 200

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Broker:
    """Why one person counts as a broker."""

    person: int
    score: float
    bridging: float
    separated: float
    networks: tuple[int, ...]


class _Groups:
    """Members of each community and each vertex's position among them."""

    def __init__(self, membership: IntArray) -> None:
        self.order = np.argsort(membership, kind="stable")  # members ascending per community
        counts = np.bincount(membership)
        self.start = np.concatenate(([0], np.cumsum(counts)))
        self.position = np.empty_like(membership)
        self.position[self.order] = np.arange(len(membership)) - self.start[membership[self.order]]

    def members(self, c: int) -> IntArray:
        return self.order[self.start[c] : self.start[c + 1]]

    def size(self, c: int) -> int:
        return int(self.start[c + 1] - self.start[c])


class _EdgesBy:
    """Edges grouped by an integer key (community, or pair of communities)."""

    def __init__(self, keys: IntArray, ends: IntArray, weights: npt.NDArray[np.float64]) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys, self.ends, self.weights = keys[order], ends[order], weights[order]

    def of(self, key: int) -> tuple[IntArray, npt.NDArray[np.float64]]:
        lo, hi = np.searchsorted(self.keys, [key, key + 1])
        return self.ends[lo:hi], self.weights[lo:hi]


def brokers(
    graph: ig.Graph,
    membership: list[int],
    min_network_size: int,
    max_pairs: int = 5000,
    budget_s: float = 300.0,
    workers: int = WORKERS,
) -> list[Broker]:
    """People who bridge networks or hold one together, best first.

    Bridging is measured on the `max_pairs` most strongly tied pairs of networks only;
    the pairs are shared among `workers` processes (this one and forked children,
    each stopped after `budget_s`).
    """
    if graph.vcount() == 0:
        return []
    memb = np.asarray(membership, dtype=np.int64)
    ends = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    weights = (
        np.asarray(graph.es["weight"], dtype=np.float64)
        if "weight" in graph.es.attributes()
        else np.ones(len(ends))
    )
    groups = _Groups(memb)
    is_network = np.bincount(memb) >= min_network_size
    ca, cb = memb[ends[:, 0]], memb[ends[:, 1]]
    inside = ca == cb
    intra = _EdgesBy(ca[inside], ends[inside], weights[inside])
    networks = [int(c) for c in np.flatnonzero(is_network)]

    # Ties between networks: how many links, and how strong, join each pair.
    cross = ~inside & is_network[ca] & is_network[cb]
    lo, hi = np.minimum(ca, cb)[cross], np.maximum(ca, cb)[cross]
    pair_key = lo * len(is_network) + hi
    keys, first, counts = np.unique(pair_key, return_index=True, return_counts=True)
    strength = np.bincount(np.searchsorted(keys, pair_key), weights=weights[cross])
    # A bridge joins networks tied by several links; one stray call is not brokerage.
    tied = np.flatnonzero(counts >= MIN_TIES)
    ranked = tied[np.lexsort((keys[tied], -strength[tied]))][:max_pairs]
    between = _EdgesBy(pair_key, ends[cross], weights[cross])

    pair_a = lo[first[ranked]]
    pair_b = hi[first[ranked]]
    flows = _Flows(memb, groups, intra, between, keys[ranked], pair_a, pair_b)
    # Worker w takes pairs w, w + workers, ...: each a like share of strong and weak
    # ties. A few pairs are not worth a process.
    workers = workers if len(ranked) >= PAIRS_PER_PROCESS * workers else 1
    shares = [range(w, len(ranked), workers) for w in range(workers)]
    children = [Budgeted(partial(flows.of, share), budget_s, "brokers") for share in shares[1:]]
    try:
        parts = [flows.of(shares[0])] + [c.result() for c in children]
    finally:
        for child in children:
            child.cancel()
    person, pair, flow = (np.concatenate(column) for column in zip(*parts, strict=True))
    # Back in pair order, so the sums below add in the same order whatever the workers.
    order = np.argsort(pair, kind="stable")
    person, pair, flow = person[order], pair[order], flow[order]
    # Share of the two networks' member pairs whose shortest paths run through the
    # person, times how strongly the two networks are tied...
    sizes = np.bincount(memb)
    value = flow / (sizes[pair_a] * sizes[pair_b])[pair] * strength[ranked][pair]
    carries = value > 0
    person, pair, value = person[carries], pair[carries], value[carries]
    # ...averaged over the pairs of networks the person carries paths between.
    people = np.unique(person)
    at = np.searchsorted(people, person)
    mean = np.bincount(at, weights=value) / np.bincount(at)
    bridging = dict(zip(people.tolist(), mean.tolist(), strict=True))
    # The networks each person bridges, once each.
    span = len(sizes)
    ties = np.unique(np.concatenate((person * span + pair_a[pair], person * span + pair_b[pair])))
    by_person = np.split(ties % span, np.flatnonzero(np.diff(ties // span)) + 1)
    touched = (
        {int(v): tuple(nets.tolist()) for v, nets in zip(people, by_person, strict=True)}
        if len(ties)
        else {}
    )
    separated = _separated(groups, intra, networks)
    found = []
    for v in sorted(set(bridging) | set(separated)):
        score = bridging.get(v, 0.0) + separated.get(v, 0.0)
        nets = touched.get(v, (membership[v],))
        found.append(Broker(v, score, bridging.get(v, 0.0), separated.get(v, 0.0), nets))
    return sorted(found, key=lambda b: (-b.score, b.person))


class _Flows:
    """For pairs of networks (a, b), the a-to-b shortest-path flow through each of
    their members.

    Each pair's graph (the two networks and the links between them) is built on its
    own; laid side by side in one graph they took 5 times longer (igraph's subset
    betweenness pays for the whole graph at every source).
    """

    def __init__(
        self,
        memb: IntArray,
        groups: _Groups,
        intra: _EdgesBy,
        between: _EdgesBy,
        keys: IntArray,
        pair_a: IntArray,
        pair_b: IntArray,
    ) -> None:
        self.memb, self.groups, self.intra, self.between = memb, groups, intra, between
        self.keys, self.pair_a, self.pair_b = keys, pair_a, pair_b

    def of(self, pairs: range) -> tuple[IntArray, IntArray, npt.NDArray[np.float64]]:
        """(person, pair number, flow) rows for the pairs numbered `pairs`."""
        groups = self.groups
        nodes_all, pair_of, flows = [], [], []
        for n in pairs:
            key, a, b = int(self.keys[n]), int(self.pair_a[n]), int(self.pair_b[n])
            na, nb = groups.size(a), groups.size(b)
            parts = [self.intra.of(a), self.intra.of(b), self.between.of(key)]
            ends = np.concatenate([p[0] for p in parts])
            # A member v of network a is at position(v); of network b at na + position(v).
            local = groups.position[ends] + np.where(self.memb[ends] == b, na, 0)
            sub = ig.Graph(n=na + nb, edges=local.tolist())
            side_a, side_b = range(na), range(na, na + nb)
            # Paths are undirected: from the smaller side is the same flow, found sooner.
            if nb < na:
                side_a, side_b = side_b, side_a
            lengths = (1.0 / np.concatenate([p[1] for p in parts])).tolist()
            flows.append(
                sub.betweenness(directed=False, weights=lengths, sources=side_a, targets=side_b)
            )
            nodes_all += [groups.members(a), groups.members(b)]
            pair_of.append(np.full(na + nb, n))
        if not flows:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        return (
            np.concatenate(nodes_all),
            np.concatenate(pair_of),
            np.asarray([f for flow in flows for f in flow], dtype=np.float64),
        )


def _separated(groups: _Groups, intra: _EdgesBy, networks: list[int]) -> dict[int, float]:
    """Share of its own network each articulation point cuts off when removed."""
    out: dict[int, float] = {}
    for c in networks:
        members = groups.members(c)
        ends, _ = intra.of(c)
        sub = ig.Graph(n=len(members), edges=groups.position[ends].tolist())
        for cut in sub.articulation_points():
            rest = sub.copy()
            rest.delete_vertices([cut])
            largest = max(rest.connected_components().sizes())
            out[int(members[cut])] = (len(members) - 1 - largest) / len(members)
    return out
