"""Matching networks across analysis runs by member overlap (pure, no database)."""

from __future__ import annotations

import pytest

from reports.matching import Members, match_networks, overlap


def nets(**groups: str) -> list[Members]:
    """Networks named by keyword, members as a string of one-letter person ids."""
    return [Members(name, frozenset(members)) for name, members in groups.items()]


def test_overlap_coefficient() -> None:
    assert overlap(frozenset("abc"), frozenset("abcdefgh")) == 1.0
    assert overlap(frozenset("abcd"), frozenset("cdef")) == 0.5
    assert overlap(frozenset(), frozenset("a")) == 0.0


def test_growth_is_the_same_network_even_with_a_low_jaccard() -> None:
    m = match_networks(nets(p="abcde"), nets(c="abcdefghijkl"))
    change = m.changes["c"]
    assert change.status == "grew"
    assert change.previous == ["p"]
    assert change.joined == list("fghijkl")
    assert change.left == []
    assert (change.size, change.previous_size, change.overlap) == (12, 5, 1.0)
    assert m.dissolved == []


def test_every_status() -> None:
    previous = nets(
        stay="abc", swap="defg", shrink="hijkl", m1="mno", m2="pqr", whole="stuvwx", gone="yz1"
    )
    current = nets(
        stay2="abc",  # the same people
        swap2="def2",  # one left, one joined: same size
        shrink2="hij",  # two left
        merged="mnopqr",  # two earlier networks in one
        half1="stu",  # one earlier network in two
        half2="vwx",
        fresh="789",  # nobody seen before in a network
    )
    m = match_networks(previous, current)
    status = {k: c.status for k, c in m.changes.items()}
    assert status == {
        "stay2": "unchanged",
        "swap2": "changed",
        "shrink2": "shrank",
        "merged": "merged",
        "half1": "split",
        "half2": "split",
        "fresh": "new",
    }
    assert m.changes["merged"].previous == ["m1", "m2"]
    assert m.changes["swap2"].joined == ["2"]
    assert m.changes["swap2"].left == ["g"]
    assert m.dissolved == ["gone"]


@pytest.mark.parametrize(
    ("threshold", "min_shared", "status"),
    [(0.5, 2, "changed"), (0.75, 2, "new"), (0.5, 3, "new")],
)
def test_threshold_and_minimum_shared(threshold: float, min_shared: int, status: str) -> None:
    # Two of four people in common: overlap 0.5.
    m = match_networks(nets(p="abcd"), nets(c="abxy"), threshold, min_shared)
    assert m.changes["c"].status == status
    assert m.dissolved == ([] if status != "new" else ["p"])


def test_one_shared_person_is_not_a_match_by_default() -> None:
    m = match_networks(nets(p="abc"), nets(c="cde"))
    assert m.changes["c"].status == "new"
    assert m.dissolved == ["p"]
