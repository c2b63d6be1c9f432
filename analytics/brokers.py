"""Brokers and connectors: people between groups, found without trusting the partition.

Groups are the connected pieces of each community, counting only ties inside it
that are not almost surely chance contact (`analytics.ties.NEGLIGIBLE`). Every
person's contacts fall into the groups they are in once the person is taken away:
a person who holds a community's only link between two halves (a broker whom
detection left inside one merged community) sees the halves as two groups; a
person in a group that stays connected without them sees one.

A **broker** ties groups together with ties of substance. For a person whose
groups (of at least the smallest network's size) hold n_i people each and receive
ties of summed weight W_i from them, brokerage is their strongest bridge:

    brokerage = max over pairs of groups of min(W_i, W_j) * min(n_i, n_j)

A bridge is only as strong as its weaker side (a person strongly tied to one group
and weakly to others is no broker; someone tied well into two is), and it matters
as much as the people on its smaller side, who reach the other only through it (the
pairs that betweenness counts). Small groups count, large ones more; many weak
bridges do not add up to a strong one. The networks of the groups are kept
(`Broker.networks`; one network twice when detection put two of the groups in one).

A **connector** is a number that members of many networks contact and nothing else
ties them to (a taxi company, a landlord, a money-transfer shop): between them and
a group there is contact and nothing else (`PersonGraph.contact`), none of it
started by the connector alone, and they answered at most half of those who
contacted them; over all their contact they started or answered at most one in
three. A group a person serves so counts for no brokerage; a person who
serves `CONNECTOR_MIN_NETWORKS` or more networks is a connector, listed apart and
not as a broker.

Everything is computed on the whole graph at once with igraph and numpy; only a
person who is a cut point of their own group has it split again.
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import numpy as np
import numpy.typing as npt

from analytics.projection import BACKWARD, BOTH_WAYS, FORWARD, OTHER
from analytics.ties import NEGLIGIBLE

# Brokers listed with their groups (every person keeps their score).
LISTED = 1000
# Fewest networks a connector is contacted from ("many rings call"; two could be chance).
CONNECTOR_MIN_NETWORKS = 3

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Broker:
    """Why one person counts as a broker."""

    person: int
    score: float
    # The dense groups they tie together: size and summed tie weight of each, and the
    # network most of each group's members are in (-1: none).
    group_sizes: tuple[int, ...]
    group_weights: tuple[float, ...]
    networks: tuple[int, ...]


@dataclass(frozen=True)
class Connector:
    """A person contacted from several networks, one way only and for nothing else."""

    person: int
    # Networks (not their own) whose members contact them, and how many such contacts.
    networks: tuple[int, ...]
    contacts: int


def _edges(graph: ig.Graph) -> tuple[IntArray, FloatArray, IntArray]:
    ends = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    attributes = graph.es.attributes()
    weights = (
        np.asarray(graph.es["weight"], dtype=np.float64)
        if "weight" in attributes
        else np.ones(len(ends))
    )
    contact = (
        np.asarray(graph.es["contact"], dtype=np.int64)
        if "contact" in attributes
        else np.full(len(ends), OTHER, dtype=np.int64)
    )
    keep = weights >= NEGLIGIBLE
    return ends[keep], weights[keep], contact[keep]


@dataclass
class Brokerage:
    """Every person's brokerage, the best brokers with their groups, the connectors."""

    score: FloatArray
    brokers: list[Broker]
    connectors: list[Connector]


def brokers(graph: ig.Graph, membership: list[int], min_network_size: int) -> Brokerage:
    """Brokerage of every person; brokers best first; connectors most networks first."""
    n = graph.vcount()
    ends, weights, how = _edges(graph)
    if not len(ends):
        return Brokerage(np.zeros(n), [], [])
    memb = np.asarray(membership, dtype=np.int64)
    inside = memb[ends[:, 0]] == memb[ends[:, 1]]
    within = ig.Graph(n=n, edges=ends[inside].tolist())
    piece = np.asarray(within.connected_components().membership, dtype=np.int64)
    extent = np.bincount(piece, minlength=n)
    cuts = np.asarray(within.articulation_points(), dtype=np.int64)
    # Every tie seen from both ends: person, contact, weight, and how (from the person).
    person = np.concatenate((ends[:, 0], ends[:, 1]))
    contact = np.concatenate((ends[:, 1], ends[:, 0]))
    tie = np.concatenate((weights, weights))
    way = np.concatenate((how, np.where((how == FORWARD) | (how == BACKWARD), 3 - how, how)))
    # Each person's contacts by group; a cut point of their own piece splits it.
    key = piece[contact].copy()
    size = extent[key] - (key == piece[person])
    cut_own = np.isin(person, cuts) & (key == piece[person])
    slots = np.flatnonzero(cut_own)
    if len(slots):
        sides = _CutSides(within)
        found_sides = [sides.side(c, u) for c, u in zip(person[slots], contact[slots], strict=True)]
        key[slots] = n + np.asarray([k for k, _ in found_sides], dtype=np.int64)
        size[slots] = np.asarray([z for _, z in found_sides], dtype=np.int64)
    span = 2 * n + 1
    groups, first, inverse = np.unique(person * span + key, return_index=True, return_inverse=True)
    owner, extent_of, sample = groups // span, size[first], contact[first]
    weight = np.bincount(inverse, weights=tie)

    # Served: nothing but contact, none started by the person alone, answered at most half.
    def ties_that(kind: int) -> FloatArray:
        return np.bincount(
            inverse, weights=(way == kind).astype(np.float64), minlength=len(groups)
        ).astype(np.float64)

    served = (
        (ties_that(OTHER) == 0)
        & (ties_that(FORWARD) == 0)
        & (ties_that(BOTH_WAYS) <= ties_that(BACKWARD))
    )
    is_network = np.bincount(memb) >= min_network_size
    sized = extent_of >= min_network_size
    # A connector is mostly contacted: they started or answered at most one contact in
    # three, over all their contact (a taxi is called; it rarely calls anyone).
    called = np.bincount(person, weights=(way == BACKWARD).astype(np.float64), minlength=n)
    calling = np.bincount(
        person, weights=np.isin(way, (FORWARD, BOTH_WAYS)).astype(np.float64), minlength=n
    )
    chosen = sized & served & (called >= 2 * calling)[owner]
    found_connectors = _connectors(owner[chosen], memb[sample[chosen]], memb, is_network)
    connector_people = {c.person for c in found_connectors}
    keep = sized & ~served
    owner, extent_of, sample, weight = owner[keep], extent_of[keep], sample[keep], weight[keep]
    order = np.lexsort((-weight, owner))
    owner, extent_of, sample, weight = owner[order], extent_of[order], sample[order], weight[order]
    # A person's groups by weight, heaviest first: the bridge from group j to any
    # heavier group i is W_j * min(n_i, n_j), best with the largest such n_i, so each
    # group needs only the largest size among the groups before it (no pair is built).
    count = np.bincount(owner, minlength=n)
    first_row = np.searchsorted(owner, owner) == np.arange(len(owner))
    running = np.maximum.accumulate(owner * (n + 1) + extent_of) - owner * (n + 1)
    before = np.concatenate(([0], running[:-1]))
    bridge = np.where(first_row, 0.0, weight * np.minimum(before, extent_of))
    score = np.zeros(n, dtype=np.float64)
    if len(owner):
        starts = np.flatnonzero(first_row)
        score[owner[starts]] = np.maximum.reduceat(bridge, starts)
    score[list(connector_people)] = 0.0
    score[count < 2] = 0.0
    # Listed with their groups: the best LISTED (the rest keep their score only).
    listed = np.flatnonzero(score > 0)
    listed = listed[np.lexsort((listed, -score[listed]))][:LISTED]
    found = []
    for v in listed.tolist():
        mine = slice(int(np.searchsorted(owner, v)), int(np.searchsorted(owner, v, "right")))
        nets = memb[sample[mine]]
        found.append(
            Broker(
                v,
                float(score[v]),
                tuple(extent_of[mine].tolist()),
                tuple(weight[mine].tolist()),
                tuple(np.where(is_network[nets], nets, -1).tolist()),
            )
        )
    return Brokerage(score, found, found_connectors)


def _connectors(
    owner: IntArray, network: IntArray, memb: IntArray, is_network: npt.NDArray[np.bool_]
) -> list[Connector]:
    """People contacted one way only from groups in `CONNECTOR_MIN_NETWORKS`+ networks
    other than their own (rows: person, the group's community)."""
    keep = is_network[network] & (network != memb[owner])
    owner, network = owner[keep], network[keep]
    span = len(is_network)
    pairs, contacts = np.unique(owner * span + network, return_counts=True)
    who = pairs // span
    people, starts, reach = np.unique(who, return_index=True, return_counts=True)
    found = [
        Connector(
            int(v),
            tuple((pairs[at : at + k] % span).tolist()),
            int(contacts[at : at + k].sum()),
        )
        for v, at, k in zip(people.tolist(), starts.tolist(), reach.tolist(), strict=True)
        if k >= CONNECTOR_MIN_NETWORKS
    ]
    return sorted(found, key=lambda c: (-len(c.networks), -c.contacts, c.person))


class _CutSides:
    """What is left of a group when one of its cut points is taken away, from the
    block-cut tree (one biconnected decomposition for the whole graph).

    Taking cut point c away leaves one part per block around it: a block below c in
    the tree (rooted at a block) keeps its subtree; the block above keeps the rest.
    """

    def __init__(self, within: ig.Graph) -> None:
        cover, cuts = within.biconnected_components(return_articulation_points=True)
        blocks = [list(b) for b in cover]
        self.is_cut = set(cuts)
        self.blocks_of: dict[int, list[int]] = {}
        for b, vertices in enumerate(blocks):
            for v in vertices:
                self.blocks_of.setdefault(v, []).append(b)
        # Tree nodes: blocks 0..B-1, cut points as ("c", v). Walk from each unseen block.
        owned = [sum(1 for v in vertices if v not in self.is_cut) for vertices in blocks]
        self.parent_cut: dict[int, int] = {}  # block -> the cut point above it
        self.parent_block: dict[int, int] = {}  # cut point -> the block above it
        self.below: dict[int, int] = {}  # block -> vertices in its subtree
        self.cut_below: dict[int, int] = {}  # cut point -> vertices in its subtree
        self.total: dict[int, int] = {}  # block -> vertices of its whole tree
        seen: set[int] = set()
        for root in range(len(blocks)):
            if root in seen:
                continue
            order: list[tuple[str, int]] = []
            stack: list[tuple[str, int]] = [("b", root)]
            seen.add(root)
            while stack:
                kind, x = stack.pop()
                order.append((kind, x))
                if kind == "b":
                    for c in blocks[x]:
                        if c in self.is_cut and self.parent_cut.get(x) != c:
                            self.parent_block[c] = x
                            stack.append(("c", c))
                else:
                    for b in self.blocks_of[x]:
                        if b != self.parent_block[x] and b not in seen:
                            seen.add(b)
                            self.parent_cut[b] = x
                            stack.append(("b", b))
            for kind, x in reversed(order):
                if kind == "b":
                    self.below[x] = owned[x] + sum(
                        self.cut_below[c]
                        for c in blocks[x]
                        if c in self.is_cut and self.parent_cut.get(x) != c
                    )
                else:
                    self.cut_below[x] = 1 + sum(
                        self.below[b] for b in self.blocks_of[x] if b != self.parent_block[x]
                    )
            whole = self.below[root]
            for kind, x in order:
                if kind == "b":
                    self.total[x] = whole

    def side(self, cut: int, contact: int) -> tuple[int, int]:
        """The part holding `contact` once `cut` is taken away: (its block, its size)."""
        shared = set(self.blocks_of[cut]) & set(self.blocks_of[contact])
        block = min(shared)
        if self.parent_cut.get(block) == cut:
            return block, self.below[block]
        above = self.parent_block[cut]
        return above, self.total[above] - self.cut_below[cut]
