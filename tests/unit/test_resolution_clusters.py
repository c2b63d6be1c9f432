"""Identities from scores and judgements: a "not same" is never overridden."""

from __future__ import annotations

from itertools import combinations

from resolution.clusters import InForce, Verdict, cluster, identity_id


def _together(result: object, a: str, b: str) -> bool:
    return any(a in x.members and b in x.members for x in result.identities)  # type: ignore[attr-defined]


def test_automatic_pairs_join_transitively() -> None:
    result = cluster([("a", "b", 0.999), ("b", "c", 0.995)], [])
    assert [x.members for x in result.identities] == [["a", "b", "c"]]
    assert result.identities[0].automatic


def test_not_same_is_never_overridden_by_a_score_or_a_chain() -> None:
    judged = [InForce("a", "c", Verdict.DIFFERENT, "j1")]
    result = cluster([("a", "b", 0.999), ("b", "c", 0.995), ("a", "c", 0.9999)], judged)
    assert not _together(result, "a", "c")
    # The stronger link (a-b) is kept, the chain through the weaker one is refused.
    assert _together(result, "a", "b")
    assert [(r.a, r.b) for r in result.refused] == [("b", "c")]


def test_same_judgement_joins_what_scores_did_not() -> None:
    result = cluster([], [InForce("x", "y", Verdict.SAME, "j2")])
    assert _together(result, "x", "y")
    assert not result.identities[0].automatic
    assert result.identities[0].links[0].judgement == "j2"


def test_unsure_keeps_a_pair_from_an_automatic_merge() -> None:
    result = cluster([("a", "b", 0.999)], [InForce("a", "b", Verdict.UNSURE, "j3")])
    assert result.identities == []


def test_same_against_not_same_in_one_chain_leaves_the_not_same_standing() -> None:
    judged = [
        InForce("a", "b", Verdict.SAME, "j4"),
        InForce("b", "c", Verdict.SAME, "j5"),
        InForce("a", "c", Verdict.DIFFERENT, "j6"),
    ]
    result = cluster([], judged)
    for x in result.identities:
        for p, q in combinations(x.members, 2):
            assert {p, q} != {"a", "c"}
    assert len(result.refused) == 1


def test_identity_ids_are_stable_and_follow_the_smallest_member() -> None:
    assert identity_id(["b", "a"]) == identity_id(["a", "c"])
    assert identity_id(["a"]) != identity_id(["b"])
    first = cluster([("p1", "p2", 0.999)], []).identities[0].id
    again = cluster([("p2", "p1", 0.9991)], []).identities[0].id
    assert first == again
