"""The tie model: EM separates relationships from chance contact on data it was given."""

from __future__ import annotations

import numpy as np

from analytics.ties import FEATURES, MIN_PAIRS, ContactFeatures, fit, levels


def _pairs(relationships: int, chance: int, seed: int = 0) -> tuple[ContactFeatures, np.ndarray]:
    """Feature levels of pairs: repeated two-way ties over weeks, and one-off calls."""
    rng = np.random.default_rng(seed)
    n = relationships + chance
    is_rel = np.arange(n) < relationships
    records = np.where(is_rel, rng.integers(2, 15, n), 1).astype(np.float64)
    # Some chance contact is repeated too (a number dialled twice on one day).
    records[~is_rel & (rng.random(n) < 0.05)] = 2
    reciprocal = is_rel & (rng.random(n) < 0.7)
    span_s = np.where(is_rel, rng.uniform(0, 60, n), 0.0) * 86_400
    channels = np.where(is_rel & (rng.random(n) < 0.3), 2, 1)
    money = is_rel & (rng.random(n) < 0.1)
    return levels(records, reciprocal, span_s, channels, money), is_rel


def test_one_off_calls_weigh_little_and_repeated_two_way_ties_much() -> None:
    features, is_rel = _pairs(300, 3000)
    model = fit(features)
    assert not model.flat
    posterior = model.posterior(features)
    single = (features.records == 0) & ~is_rel
    assert posterior[single].max() < 0.01
    strong = is_rel & (features.records >= 2) & (features.span == 2)
    assert posterior[strong].min() > 0.9
    # The fitted prior is near the share of relationships (300 of 3,300).
    assert 0.05 < model.prior < 0.15
    # Each feature's Bayes factor is part of the explanation; more records, more evidence.
    levels_of = {"records": 3, "reciprocal": 1, "span": 2, "channels": 0, "money": 0}
    assert model.explain(levels_of)["records"] > 0
    assert model.explain({**levels_of, "records": 0})["records"] < 0


def test_the_fit_does_not_depend_on_the_order_of_the_pairs() -> None:
    features, _ = _pairs(200, 2000, seed=3)
    order = np.random.default_rng(5).permutation(len(features.records))
    shuffled = levels_of_rows(features, order)
    np.testing.assert_allclose(
        fit(shuffled).posterior(shuffled), fit(features).posterior(features)[order]
    )


def levels_of_rows(features: ContactFeatures, rows: np.ndarray) -> ContactFeatures:
    """The same pairs, in another order."""
    return ContactFeatures(*(getattr(features, name)[rows] for name in FEATURES))


def test_data_that_cannot_tell_ties_apart_weighs_every_tie_fully() -> None:
    n = 5000
    no = np.zeros(n, bool)
    same = levels(np.ones(n), no, np.zeros(n), np.ones(n, np.int64), no)
    model = fit(same)
    assert model.flat, model.reason
    assert model.posterior(same).tolist() == [1.0] * n
    few, _ = _pairs(5, MIN_PAIRS - 10)
    assert fit(few).flat
