"""Centrality on the person graph: degree, PageRank and betweenness.

Betweenness is the costly one (a weighted shortest-path tree per source). Above
`exact_max` people it is estimated from a seeded sample of sources and scaled to
the whole graph; either way the sources are split over `workers` child processes,
whose partial sums add up exactly to the answer. `CentralityJob` starts them and
returns at once, so community detection and brokers can run meanwhile.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass

import igraph as ig

from analytics.budget import Budgeted

# Child processes for betweenness: the machines this runs on have 2 cores.
WORKERS = 2
# Their priority below the rest of the run (the most Linux allows): see _betweenness.
NICENESS = 19
# PageRank's: below community detection (which runs beside it), above betweenness
# (the scores need PageRank first).
PAGERANK_NICENESS = 10


@dataclass(frozen=True)
class Centrality:
    """Per-person figures, indexed like the graph's vertices."""

    degree: list[int]
    strength: list[float]
    pagerank: list[float]
    betweenness: list[float]
    betweenness_sampled: bool


def betweenness_sources(n: int, seed: int, exact_max: int, samples: int) -> list[int]:
    """The sources betweenness is summed over: all people, or a seeded sample."""
    if n <= exact_max:
        return list(range(n))
    return sorted(random.Random(seed).sample(range(n), min(samples, n)))  # noqa: S311 - seeded for reproducibility, not secrecy


def _pagerank(graph: ig.Graph, weights: list[float] | None) -> list[float]:
    os.nice(PAGERANK_NICENESS)
    return list(graph.pagerank(weights=weights))


def _betweenness(graph: ig.Graph, lengths: list[float] | None, sources: list[int]) -> list[float]:
    # The run waits on communities, brokers and scores first, one process at a time:
    # betweenness takes the core they leave idle, and both cores only once they end.
    os.nice(NICENESS)
    return list(graph.betweenness(directed=False, weights=lengths, sources=sources))


class CentralityJob:
    """PageRank and betweenness computing in child processes from now on."""

    def __init__(
        self,
        graph: ig.Graph,
        seed: int,
        exact_max: int,
        samples: int,
        budget_s: float,
        workers: int = WORKERS,
    ) -> None:
        self.graph = graph
        weights = graph.es["weight"] if "weight" in graph.es.attributes() else None
        self.weights = weights
        # Betweenness walks shortest paths: a strong link is a short one.
        lengths = [1.0 / w for w in weights] if weights else None
        n = graph.vcount()
        self.sources = betweenness_sources(n, seed, exact_max, samples)
        self.sampled = len(self.sources) < n
        what = "PageRank and betweenness"
        self._pagerank_value: list[float] | None = None
        self._pagerank = Budgeted(lambda: _pagerank(graph, weights), budget_s, what)
        self._parts = [
            Budgeted(
                lambda chunk=chunk: _betweenness(graph, lengths, chunk),  # type: ignore[misc]
                budget_s,
                what,
            )
            for chunk in (self.sources[i::workers] for i in range(workers))
            if chunk
        ]

    def pagerank(self) -> list[float]:
        """The weighted PageRank (it finishes long before betweenness)."""
        if self._pagerank_value is None:
            self._pagerank_value = self._pagerank.result() if self.graph.vcount() else []
        return self._pagerank_value

    def result(self) -> Centrality:
        """Wait for the children (within the budget) and combine their answers."""
        n = self.graph.vcount()
        try:
            pagerank = self.pagerank()
            between = [0.0] * n
            for part in self._parts:
                between = [a + b for a, b in zip(between, part.result(), strict=True)]
        finally:
            self.cancel()
        if self.sampled:
            # Scaled to estimate the full sum over all sources.
            scale = n / len(self.sources)
            between = [b * scale for b in between]
        return Centrality(
            degree=list(self.graph.degree()),
            strength=list(self.graph.strength(weights=self.weights)),
            pagerank=pagerank,
            betweenness=between,
            betweenness_sampled=self.sampled,
        )

    def cancel(self) -> None:
        """Stop whatever is still running (a failed run must not leave children behind)."""
        self._pagerank.cancel()
        for part in self._parts:
            part.cancel()
