"""The analysis's parts on small known graphs, without a database: betweenness split
over processes, brokers and connectors, bridged groups, the projection's arithmetic."""

from __future__ import annotations

import igraph as ig
import numpy as np
import pytest

from analytics.brokers import _CutSides, brokers
from analytics.centrality import CentralityJob
from analytics.communities import Detection, detect, split_bridged
from analytics.projection import BOTH_WAYS, FORWARD, OTHER, _expand, _Pairs
from bench.planted import planted_cells


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


def _cliques(*sizes: int) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """Edges of disjoint cliques, numbered one after another, and their members."""
    edges, groups, start = [], [], 0
    for size in sizes:
        members = list(range(start, start + size))
        edges += [(a, b) for a in members for b in members if a < b]
        groups.append(members)
        start += size
    return edges, groups


def test_the_bridge_is_found_whatever_the_vertex_order() -> None:
    # Two networks of 6 whose vertex numbers interleave (0, 2, 4... and 1, 3, 5...):
    # vertex 0 is the only one of the first tied to the second.
    first, second = list(range(0, 12, 2)), list(range(1, 12, 2))
    edges = [(a, b) for group in (first, second) for a in group for b in group if a < b]
    edges += [(0, 1), (0, 3)]
    graph = ig.Graph(n=12, edges=edges)
    graph.es["weight"] = [1.0] * graph.ecount()
    membership = [v % 2 for v in range(12)]
    found = brokers(graph, membership, 3).brokers
    assert found[0].person == 0
    assert found[0].networks == (0, 1)
    # Five ties into his own group (5 others), two into the other (6): a bridge as
    # strong as two, holding the 5 people of the smaller side.
    assert found[0].score == pytest.approx(2.0 * 5)
    assert found[0].group_weights == (5.0, 2.0)


def test_a_broker_inside_one_merged_community_is_still_a_broker() -> None:
    # Two groups of 7 that detection (here: by hand) put in one community, and a
    # person tied to three members of each: the groups reach each other only through him.
    edges, (left, right) = _cliques(7, 7)
    broker = 14
    edges += [(broker, v) for v in left[:3] + right[:3]]
    graph = ig.Graph(n=15, edges=edges)
    graph.es["weight"] = [1.0] * graph.ecount()
    found = brokers(graph, [0] * 15, 3).brokers
    assert [b.person for b in found] == [broker]
    assert found[0].networks == (0, 0)
    assert found[0].group_sizes == (7, 7)


def test_a_number_called_by_many_networks_is_a_connector_not_a_broker() -> None:
    # Four groups of 5; person 20 is called by two members of each, one way, and
    # nothing else ties them; person 21 is tied both ways to two groups.
    edges, groups = _cliques(5, 5, 5, 5)
    contact = [OTHER] * len(edges)
    for group in groups:
        for member in group[:2]:
            edges.append((member, 20))  # member < 20: contact from the member
            contact.append(FORWARD)
    for member in groups[0][:2] + groups[1][:2]:
        edges.append((member, 21))
        contact.append(BOTH_WAYS)
    graph = ig.Graph(n=22, edges=edges)
    graph.es["weight"] = [1.0] * graph.ecount()
    graph.es["contact"] = contact
    membership = [v // 5 for v in range(20)] + [4, 5]
    found = brokers(graph, membership, 3)
    assert [c.person for c in found.connectors] == [20]
    assert found.connectors[0].networks == (0, 1, 2, 3)
    assert [b.person for b in found.brokers] == [21]
    assert found.score[20] == 0.0


def test_brokerage_does_not_depend_on_vertex_numbers() -> None:
    graph, _ = planted_cells(2000, seed=4, background_degree=8.0)
    graph.es["weight"] = [1.0 + (e.index % 3) / 2 for e in graph.es]
    membership = detect(graph, Detection(max_community_size=40))
    order = list(range(graph.vcount()))
    np.random.default_rng(1).shuffle(order)
    moved = graph.permute_vertices(order)  # new vertex i is old vertex order[i]
    first = brokers(graph, membership, 3).score
    again = brokers(moved, [membership[old] for old in order], 3).score
    assert (first > 0).sum() > 50
    assert again == pytest.approx(first[order])


@pytest.mark.parametrize("seed", range(5))
def test_cut_sides_match_removing_the_cut_point(seed: int) -> None:
    graph = ig.Graph.Erdos_Renyi(n=60, m=55 + 8 * seed)
    sides = _CutSides(graph)
    for cut in graph.articulation_points():
        rest = graph.copy()
        rest.delete_vertices([cut])
        part = rest.connected_components().membership
        sizes = np.bincount(part)
        around = graph.neighbors(cut)
        for u in around:
            _, size = sides.side(cut, u)
            assert size == sizes[part[u - (u > cut)]]
            for w in around:
                together = part[u - (u > cut)] == part[w - (w > cut)]
                assert (sides.side(cut, u)[0] == sides.side(cut, w)[0]) == together


def test_split_bridged_separates_groups_joined_by_one_person() -> None:
    edges, (left, right) = _cliques(8, 8)
    edges += [(16, v) for v in left[:3] + right[:3]]
    graph = ig.Graph(n=17, edges=edges)
    graph.es["weight"] = [1.0] * graph.ecount()
    split = split_bridged(graph, [0] * 17, 3)
    assert len({split[v] for v in left}) == 1
    assert len({split[v] for v in right}) == 1
    assert split[left[0]] != split[right[0]]
    # One group with a member hanging off it: nothing to split.
    edges, _ = _cliques(8)
    graph = ig.Graph(n=10, edges=[*edges, (7, 8), (8, 9)])
    graph.es["weight"] = [1.0] * graph.ecount()
    assert len(set(split_bridged(graph, [0] * 10, 3))) == 1


def test_family_hanging_off_members_does_not_make_a_group_big_enough_to_split() -> None:
    """The demo's money cell once its records are resolved: halves of three and four
    members (and the broker), each with family who know one member only, and two
    people (Kevin, Ricardo) who hold every tie between the halves."""
    ties = (
        "Priya-fP Olena-Kevin fK1-Kevin Priya-Kevin Kevin-fK2 Olena-Ricardo fR-Ricardo "
        "Kevin-Ricardo fB-Broker Kevin-Broker fM-Marc Priya-Marc Ricardo-Marc:0.04 "
        "Priya-Harpreet Ricardo-Harpreet:0.04 fH-Harpreet Priya-Jason fJ-Jason Kevin-Jason "
        "Broker-Jason Marc-Jason Harpreet-Jason Olena-fO fA-Amelie Priya-Amelie "
        "Ricardo-Amelie Marc-Amelie:0.04 Jason-Amelie"
    )
    names: list[str] = []
    edges, weights = [], []
    for tie in ties.split():
        pair, _, weight = tie.partition(":")
        ends = pair.split("-")
        names += [n for n in ends if n not in names]
        edges.append((names.index(ends[0]), names.index(ends[1])))
        weights.append(float(weight or 1))
    graph = ig.Graph(n=len(names), edges=edges)
    graph.es["weight"] = weights
    # Counted with their family the halves are 7 and 8 people, and two bridges are few
    # enough to split them. Those who hold the smaller half together are 3 (Kevin,
    # Ricardo, Olena): two of them are not few, so it stays one network.
    assert len(set(split_bridged(graph, [0] * len(names), 3))) == 1


def test_evidence_combines_as_independent_chances() -> None:
    # Identifier 0 held by people 0 and 1, identifier 1 by person 2: a link 0-1 worth
    # 0.5 reaches the pairs (0, 2) and (1, 2); a second piece of 0.5 on (0, 2) makes
    # it 1 - 0.5 * 0.5.
    start, count = np.array([0, 2]), np.array([2, 1])
    holders = np.array([0, 1, 2])
    pairs = _Pairs()
    a, b, w = _expand(np.array([0]), np.array([1]), np.array([0.5]), start, count, holders)
    pairs.add(a, b, w, np.full(len(a), FORWARD))
    pairs.add(np.array([2, 1]), np.array([0, 1]), np.array([0.5, 3.0]))  # (1, 1) is dropped
    edges, weights, contact = pairs.total(3)
    assert edges.tolist() == [[0, 2], [1, 2]]
    assert weights.tolist() == pytest.approx([0.75, 0.5])
    # (0, 2) is also tied by something else; (1, 2) only by contact from 1 to 2.
    assert contact.tolist() == [OTHER, FORWARD]
