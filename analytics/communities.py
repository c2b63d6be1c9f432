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

Modularity also merges two groups joined by a broker or by a number they all call,
at any size, and the more one-off contact a graph holds the cheaper the merge (its
expected weight between two groups grows with the total). So every community is
then checked for what an investigator would call two networks: groups that fall
apart when at most `MAX_BRIDGES` people are taken away (ties that are almost surely
chance contact, `analytics.ties.NEGLIGIBLE`, left out), each group dense (at least
as many ties as members: no chain, no star) and of at least `min_group_size` people
(`split_bridged`), and those people fewer than half of the people who hold the smaller
group together (`_held`: family and one-off contacts hanging off one member do not
count). The people taken away, and members left in smaller pieces, join the group
they are most tied to.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

import igraph as ig
import numpy as np

from analytics.budget import within_budget
from analytics.settings import Algorithm, Objective
from analytics.ties import NEGLIGIBLE

# networkx's Louvain compares float gains that may never settle (PR #5940): weights
# are scaled to integers first, a known remedy.
NX_WEIGHT_SCALE = 1000
# Leiden runs until an iteration no longer improves it on graphs up to this many links
# (milliseconds; at 2 iterations Zachary's karate club can stop at Q 0.4188 of 0.4198),
# and 2 iterations above: a large sparse background never settles (each further
# iteration on the benchmark's 1M links moved ~90k people for +0.0003 modularity).
SETTLE_MAX_LINKS = 100_000
SETTLE_MAX_ITERATIONS = 20
# Most people whose removal may separate two networks inside one community.
MAX_BRIDGES = 3
# Candidates tried as the first of two bridges: the most between people of the community.
BRIDGE_CANDIDATES = 4


@dataclass(frozen=True)
class Detection:
    """How to detect communities."""

    algorithm: Algorithm = "leiden"
    objective: Objective = "modularity"
    resolution: float = 1.0
    seed: int = 42
    max_community_size: int = 80
    time_budget_s: float = 300.0
    # Smallest group `split_bridged` separates (the run's smallest network); 0: never.
    min_group_size: int = 3
    # Leiden iterates while it improves (set by `detect` for graphs up to SETTLE_MAX_LINKS).
    settle: bool = False


def _leiden(graph: ig.Graph, d: Detection) -> list[int]:
    ig.set_random_number_generator(random.Random(d.seed))  # noqa: S311 - reproducible seed
    weights = "weight" if "weight" in graph.es.attributes() else None
    objective = "CPM" if d.objective == "cpm" else "modularity"
    part = graph.community_leiden(
        objective_function=objective, weights=weights, resolution=d.resolution, n_iterations=2
    )
    # Further iterations while they still improve the partition (igraph's "until
    # stable", n_iterations=-1, can cycle for ever among equally good partitions).
    for _ in range(SETTLE_MAX_ITERATIONS if d.settle else 0):
        again = graph.community_leiden(
            objective_function=objective,
            weights=weights,
            resolution=d.resolution,
            n_iterations=1,
            initial_membership=part.membership,
        )
        if again.quality <= part.quality + 1e-12:
            break
        part = again
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


def _groups(membership: list[int]) -> dict[int, list[int]]:
    """Members of each community, ascending (as induced_subgraph numbers them)."""
    groups: dict[int, list[int]] = defaultdict(list)
    for v, c in enumerate(membership):
        groups[c].append(v)
    return groups


def canonical(membership: list[int]) -> list[int]:
    """Renumber communities by size (largest 0), ties by smallest member: run-independent."""
    order = sorted(_groups(membership).values(), key=lambda m: (-len(m), m[0]))
    out = [0] * len(membership)
    for number, members in enumerate(order):
        for v in members:
            out[v] = number
    return out


def split_large(graph: ig.Graph, membership: list[int], d: Detection, depth: int = 0) -> list[int]:
    """Detect again, on its own subgraph, every community larger than `d.max_community_size`.

    Used after any engine (igraph's, GDS's): it lifts modularity's resolution limit.
    """
    out = list(membership)
    next_id = max(membership, default=-1) + 1
    for members in _groups(membership).values():
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


def split_bridged(graph: ig.Graph, membership: list[int], min_size: int) -> list[int]:
    """Split every community whose ties form separate dense groups once at most
    `MAX_BRIDGES` people are removed (module docstring). Used after any engine."""
    weighted = "weight" in graph.es.attributes()
    out = list(membership)
    next_id = max(membership, default=-1) + 1
    candidates = _may_split(graph, membership, min_size, weighted)
    for members in _groups(membership).values():
        if len(members) < 2 * min_size or not candidates[members[0]]:
            continue
        sub = graph.induced_subgraph(members)
        parts = _bridged_parts(sub, min_size, weighted)
        if len(parts) < 2:
            continue
        for part in parts:
            for local in part:
                out[members[local]] = next_id
            next_id += 1
    return out


def _may_split(graph: ig.Graph, membership: list[int], min_size: int, weighted: bool) -> list[bool]:
    """Per person: whether their community can hold bridged groups at all.

    Only the 3-core of each community is looked at (members with 3 or more ties
    inside it, after the less tied are peeled away): when it is one piece that no
    MAX_BRIDGES people cut, no separation is possible and the community is skipped.
    One core decomposition for the whole graph; a vertex connectivity per community.
    """
    memb = np.asarray(membership, dtype=np.int64)
    ends = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    keep = memb[ends[:, 0]] == memb[ends[:, 1]]
    if weighted:
        keep &= np.asarray(graph.es["weight"], dtype=np.float64) >= NEGLIGIBLE
    within = ig.Graph(n=graph.vcount(), edges=ends[keep].tolist())
    core = np.asarray(within.coreness(), dtype=np.int64) >= 3
    may = np.zeros(len(memb), dtype=bool)
    for members in _groups(membership).values():
        if len(members) < 2 * min_size:
            continue
        inner = [v for v in members if core[v]]
        if len(inner) < 2 * min(min_size, 4):
            continue
        sub = within.induced_subgraph(inner)
        pieces = [p for p in sub.connected_components() if len(p) >= min(min_size, 4)]
        if len(pieces) >= 2 or sub.vertex_connectivity() <= MAX_BRIDGES:
            may[members] = True
    return may.tolist()


def _bridged_parts(sub: ig.Graph, min_size: int, weighted: bool) -> list[list[int]]:
    """The dense groups of one community (local vertex numbers), all of it assigned;
    one group when it does not split."""
    ties = sub.subgraph_edges(
        [e.index for e in sub.es if not weighted or e["weight"] >= NEGLIGIBLE],
        delete_vertices=False,
    )
    cut = _separator(ties, min_size)
    if cut is not None:
        rest = ties.copy()
        rest.delete_vertices(cut)
        kept = [v for v in range(ties.vcount()) if v not in set(cut)]
        cores = [
            [kept[v] for v in comp]
            for comp in rest.connected_components()
            if _dense(rest, comp, min_size)
        ]
    else:
        cores = _proposed(ties, min_size, weighted)
    if (
        len(cores) < 2
        or (cut is not None and len(cut) > _few(min(_held(ties, core) for core in cores)))
        or not _strong_communities(ties, cores, weighted)
    ):
        return [list(range(sub.vcount()))]
    # Everyone else (the bridges, weakly tied members, small pieces) joins the core
    # they are most tied to, over all ties of the community.
    core_of = {v: i for i, core in enumerate(cores) for v in core}
    pull = [[0.0] * len(cores) for _ in range(sub.vcount())]
    for e in sub.es:
        a, b = e.tuple
        w = e["weight"] if weighted else 1.0
        if b in core_of:
            pull[a][core_of[b]] += w
        if a in core_of:
            pull[b][core_of[a]] += w
    parts: list[list[int]] = [list(core) for core in cores]
    for v in range(sub.vcount()):
        if v not in core_of:
            best = max(range(len(cores)), key=lambda i: (pull[v][i], len(cores[i])))
            parts[best].append(v)
    # Each part may hold bridged groups of its own.
    out: list[list[int]] = []
    for part in parts:
        part.sort()  # induced_subgraph numbers vertices in id order
        inner = sub.induced_subgraph(part)
        for piece in _bridged_parts(inner, min_size, weighted):
            out.append([part[v] for v in piece])
    return out


def _strong_communities(sub: ig.Graph, cores: list[list[int]], weighted: bool) -> bool:
    """Whether every core is a community in Radicchi's strong sense within `sub`: each
    member is more tied to their own core than to the rest of the community (the
    bridges included). A ring organised around its boss, whom Leiden may cut into
    spokes joined by one or two people, fails it; so does a member shared by two
    rings."""
    core_of = {v: i for i, core in enumerate(cores) for v in core}
    own = [0.0] * sub.vcount()
    other = [0.0] * sub.vcount()
    weights = sub.es["weight"] if weighted else [1.0] * sub.ecount()
    for (a, b), w in zip(sub.get_edgelist(), weights, strict=True):
        same = a in core_of and core_of.get(a) == core_of.get(b)
        for v in (a, b):
            if same:
                own[v] += w
            else:
                other[v] += w
    return all(own[v] > other[v] for v in core_of)


def _proposed(ties: ig.Graph, min_size: int, weighted: bool) -> list[list[int]]:
    """Groups Leiden proposes inside one community, kept apart only where the ties
    between two of them are held by few people (`_few`; a minimum vertex cover of the
    ties across, by König's theorem the largest matching of them); groups joined more
    widely than that are one group (a ring Leiden cut in two)."""
    found = _leiden(ties, Detection(seed=0, settle=True))
    dense = [members for members in _groups(found).values() if _dense(ties, members, min_size)]
    if len(dense) < 2:
        return []
    group_of = {v: i for i, members in enumerate(dense) for v in members}
    across: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for a, b in ties.get_edgelist():
        ga, gb = group_of.get(a), group_of.get(b)
        if ga is not None and gb is not None and ga != gb:
            key = (min(ga, gb), max(ga, gb))
            across[key].append((a, b) if ga < gb else (b, a))
    joined = ig.Graph(n=len(dense))
    for (a, b), between in across.items():
        if _cover(between) > _few(min(_held(ties, dense[a]), _held(ties, dense[b]))):
            joined.add_edge(a, b)
    return [[v for i in component for v in dense[i]] for component in joined.connected_components()]


def _held(graph: ig.Graph, group: list[int]) -> int:
    """How many people hold a group together: its 2-core, without the contacts who hang
    off one member only (a member's family, a one-off caller). Their number says nothing
    of how many people a group has that could tie it to another."""
    inner = graph.induced_subgraph(group)
    return sum(1 for c in inner.coreness() if c >= 2)


def _few(group: int) -> int:
    """How many people may hold two groups together for them still to be two: at most
    MAX_BRIDGES, and fewer than half of those who hold the smaller group together
    (`_held`; else they are one group)."""
    return min(MAX_BRIDGES, (group - 1) // 2)


def _cover(ties: list[tuple[int, int]]) -> int:
    """The fewest people that hold every one of these ties (one side's ends first)."""
    left = sorted({a for a, _ in ties})
    right = sorted({b for _, b in ties})
    if min(len(left), len(right)) <= 1:
        return min(len(left), len(right))
    at = {v: i for i, v in enumerate(left)}
    offset = len(left)
    at.update({v: offset + i for i, v in enumerate(right)})
    bipartite = ig.Graph.Bipartite(
        [False] * len(left) + [True] * len(right), [(at[a], at[b]) for a, b in ties]
    )
    return len(bipartite.maximum_bipartite_matching()) if bipartite.ecount() else 0


def _dense(graph: ig.Graph, comp: list[int], min_size: int) -> bool:
    """A group: at least `min_size` people and as many ties ties as people."""
    if len(comp) < min_size:
        return False
    return int(graph.induced_subgraph(comp).ecount()) >= len(comp)


def _dense_count(graph: ig.Graph, min_size: int) -> int:
    return sum(_dense(graph, comp, min_size) for comp in graph.connected_components())


def _separator(ties: ig.Graph, min_size: int) -> list[int] | None:
    """At most MAX_BRIDGES people whose removal leaves 2+ dense groups (none needed
    when the ties already form them), or None."""
    if _dense_count(ties, min_size) >= 2:
        return []
    best: tuple[int, list[int]] | None = None
    for v in ties.articulation_points():
        rest = ties.copy()
        rest.delete_vertices([v])
        if _dense_count(rest, min_size) >= 2:
            smaller = sorted(len(c) for c in rest.connected_components())[-2]
            if best is None or smaller > best[0]:
                best = (smaller, [v])
    if best is not None or MAX_BRIDGES < 2:
        return best[1] if best else None
    between = ties.betweenness(directed=False)
    first = sorted(range(ties.vcount()), key=lambda v: -between[v])[:BRIDGE_CANDIDATES]
    for v in first:
        if between[v] <= 0:
            break
        rest = ties.copy()
        rest.delete_vertices([v])
        for u in rest.articulation_points():
            again = rest.copy()
            again.delete_vertices([u])
            if _dense_count(again, min_size) >= 2:
                original = u if u < v else u + 1
                return [v, original]
    return None


def detect(graph: ig.Graph, d: Detection) -> list[int]:
    """Community of each vertex (canonically numbered), within the time budget."""
    if d.algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {d.algorithm!r}; known: {sorted(ALGORITHMS)}")

    d = replace(d, settle=graph.ecount() <= SETTLE_MAX_LINKS)

    def run() -> list[int]:
        membership = ALGORITHMS[d.algorithm](graph, d)
        if d.algorithm != "wcc":
            if d.max_community_size:
                membership = split_large(graph, membership, d)
            if d.min_group_size:
                membership = split_bridged(graph, membership, d.min_group_size)
        return canonical(membership)

    return within_budget(run, d.time_budget_s, f"community detection ({d.algorithm})")


def modularity(graph: ig.Graph, membership: list[int]) -> float:
    """Weighted modularity at resolution 1 (the figure every library reports)."""
    weights = "weight" if "weight" in graph.es.attributes() else None
    return float(graph.modularity(membership, weights=weights))
