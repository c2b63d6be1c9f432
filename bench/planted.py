"""Planted-partition graphs: small cells hidden in a large sparse population.

For the benchmark and the tests: how many planted cells does a detection recover?
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import igraph as ig


def planted_cells(
    n: int,
    seed: int = 1,
    cell_share: float = 0.3,
    cell_sizes: tuple[int, int] = (5, 30),
    p_in: float = 0.35,
    background_degree: float = 6.0,
    noise_per_member: float = 1.0,
) -> tuple[ig.Graph, list[int]]:
    """A graph of `n` people and each one's planted cell (-1 for the background)."""
    rng = random.Random(seed)  # noqa: S311 - seeded for reproducibility, not secrecy
    order = list(range(n))
    rng.shuffle(order)
    truth = [-1] * n
    edges: set[tuple[int, int]] = set()
    placed, cell = 0, 0
    while placed < int(n * cell_share):
        members = order[placed : placed + rng.randint(*cell_sizes)]
        placed += len(members)
        for i, a in enumerate(members):
            truth[a] = cell
            edges.update((min(a, b), max(a, b)) for b in members[i + 1 :] if rng.random() < p_in)
            # Each member also knows a few people anywhere (noise across cells).
            for _ in range(int(noise_per_member + rng.random())):
                b = rng.randrange(n)
                if b != a:
                    edges.add((min(a, b), max(a, b)))
        cell += 1
    background = order[placed:]
    for _ in range(int(len(background) * background_degree / 2)):
        a, b = rng.choice(background), rng.choice(background)
        if a != b:
            edges.add((min(a, b), max(a, b)))
    graph = ig.Graph(n=n, edges=sorted(edges))
    graph.es["weight"] = [1.0] * graph.ecount()
    return graph, truth


def recovered_groups(
    membership: list[int], truth: list[int], jaccard: float = 0.5
) -> tuple[int, int]:
    """(planted cells recovered, cells): a cell is recovered when its best-matching
    community overlaps it with Jaccard similarity >= `jaccard`."""
    communities: dict[int, set[int]] = defaultdict(set)
    for v, c in enumerate(membership):
        communities[c].add(v)
    cells: dict[int, set[int]] = defaultdict(set)
    for v, t in enumerate(truth):
        if t >= 0:
            cells[t].add(v)
    found = 0
    for members in cells.values():
        best = Counter(membership[v] for v in members).most_common(1)[0][0]
        overlap = len(members & communities[best]) / len(members | communities[best])
        found += overlap >= jaccard
    return found, len(cells)
