"""The analysis's parts on small known graphs, without a database: betweenness split
over processes, brokers between networks, the projection's pair arithmetic."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pytest

from analytics import brokers as broker_module
from analytics.brokers import brokers
from analytics.centrality import CentralityJob
from analytics.communities import Detection, detect
from analytics.planted import planted_cells
from analytics.projection import _expand, _Pairs


def _karate() -> ig.Graph:
    graph = ig.Graph.Famous("Zachary")
    graph.es["weight"] = [1.0 + (e.index % 5) / 2 for e in graph.es]
    return graph


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_betweenness_split_over_processes_is_exact(workers: int) -> None:
    graph = _karate()
    expected = graph.betweenness(directed=False, weights=[1 / w for w in graph.es["weight"]])
    found = CentralityJob(graph, 7, 1000, 256, 60, workers).result()
    assert not found.betweenness_sampled
    assert found.betweenness == pytest.approx(expected)
    assert found.pagerank == pytest.approx(graph.pagerank(weights="weight"))


def test_sampled_betweenness_is_scaled_and_seeded() -> None:
    graph = _karate()
    first = CentralityJob(graph, 7, 10, 17, 60).result()
    again = CentralityJob(graph, 7, 10, 17, 60).result()
    other = CentralityJob(graph, 8, 10, 17, 60).result()
    assert first.betweenness_sampled
    assert first.betweenness == again.betweenness
    assert first.betweenness != other.betweenness
    # Half the sources, scaled by 2: the estimate's total is near the exact one.
    exact = sum(graph.betweenness(directed=False, weights=[1 / w for w in graph.es["weight"]]))
    assert sum(first.betweenness) == pytest.approx(exact, rel=0.5)


def test_the_bridge_is_found_whatever_the_vertex_order() -> None:
    # Two networks of 6 whose vertex numbers interleave (0, 2, 4... and 1, 3, 5...):
    # vertex 0 is the only one of the first tied to the second.
    first, second = list(range(0, 12, 2)), list(range(1, 12, 2))
    edges = [(a, b) for group in (first, second) for a in group for b in group if a < b]
    edges += [(0, 1), (0, 3)]
    graph = ig.Graph(n=12, edges=edges)
    graph.es["weight"] = [1.0] * graph.ecount()
    membership = [v % 2 for v in range(12)]
    found = brokers(graph, membership, 3)
    assert found[0].person == 0
    assert found[0].networks == (0, 1)
    assert found[0].bridging > 0.5


def test_bridging_shared_among_processes_gives_the_same_brokers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Planted cells in a background, many tied pairs of networks: the brokers must not
    # depend on how many processes measured them (floats summed in the same order).
    monkeypatch.setattr(broker_module, "PAIRS_PER_PROCESS", 1)
    graph, _ = planted_cells(3000, seed=4, background_degree=8.0)
    graph.es["weight"] = [1.0 + (e.index % 3) / 2 for e in graph.es]
    membership = detect(graph, Detection(max_community_size=40))
    alone = brokers(graph, membership, 3, workers=1)
    assert sum(b.bridging > 0 for b in alone) > 100
    assert brokers(graph, membership, 3, workers=2) == alone
    assert brokers(graph, membership, 3, workers=3) == alone


def test_a_cut_vertex_separates_its_network() -> None:
    # A path 0-1-2 and a triangle 2-3-4: removing 2 cuts 0 and 1 off (2 of 5 people).
    graph = ig.Graph(n=5, edges=[(0, 1), (1, 2), (2, 3), (3, 4), (2, 4)])
    graph.es["weight"] = [1.0] * 5
    found = {b.person: b for b in brokers(graph, [0] * 5, 3)}
    assert found[2].separated == pytest.approx(2 / 5)
    assert found[1].separated == pytest.approx(1 / 5)
    assert 0 not in found


def test_links_weigh_on_every_pair_of_holders() -> None:
    # Identifier 0 held by people 0 and 1, identifier 1 by person 2: a link 0-1 of
    # weight 1 adds 1 to the pairs (0, 2) and (1, 2); contributions add up per pair.
    start, count = np.array([0, 2]), np.array([2, 1])
    holders = np.array([0, 1, 2])
    pairs = _Pairs()
    _expand(np.array([0]), np.array([1]), np.array([1.0]), start, count, holders, pairs)
    pairs.add(np.array([2, 1]), np.array([0, 1]), np.array([0.5, 3.0]))  # (1, 1) is dropped
    edges, weights = pairs.total(3)
    assert edges.tolist() == [[0, 2], [1, 2]]
    assert weights.tolist() == [1.5, 1.0]
