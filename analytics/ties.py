"""How much a contact between two people says: a latent-class model fitted to the data.

Two people whose identifiers called, messaged or paid each other are either in a
relationship or made chance contact (a wrong number, a taxi, a one-off sale). Which
of the two a contact looks like is not set by hand: every linked pair of people is
described by a few features of what the records show, and a two-class mixture
(latent class analysis, the Fellegi–Sunter model of record linkage applied to ties)
is fitted by EM to all pairs of the graph at once:

* `records`: contact records between the two, both ways (1, 2, 3-5, 6+);
* `reciprocal`: contact went both ways;
* `span`: days between the first and the last record (under 1, 1-7, 7+);
* `channels`: kinds of contact (calls, messages, money) between them (1, 2+);
* `money`: money moved between them.

Each class has a probability for each level of each feature (`m` for the
relationship class, `u` for chance, as in record linkage); a pair's weight is its
posterior probability of the relationship class. So a single one-way call weighs
what the data says such calls are worth: in a population where most pairs speak
once, almost nothing; in data where every pair is a repeated, two-way tie, the
classes cannot be told apart and every tie counts fully (see `TieModel.flat`).
`explain` gives the log2 Bayes factor each feature added or took away.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Feature names and their levels (the bucket edges are in `_levels`).
FEATURES: dict[str, tuple[str, ...]] = {
    "records": ("1", "2", "3-5", "6+"),
    "reciprocal": ("no", "yes"),
    "span": ("<1 day", "1-7 days", "7+ days"),
    "channels": ("1", "2+"),
    "money": ("no", "yes"),
}
# A tie at least this likely to be a relationship is strong: more likely real than not.
# Strong ties are what splitting merged groups and finding brokers look at.
STRONG = 0.5
# A tie less likely than this to be a relationship is taken for chance contact when
# looking for the people who hold groups together (a one-off call weighs ~1e-5).
NEGLIGIBLE = 0.01
# EM stops when no probability moves more than this, or after MAX_ITERATIONS.
TOLERANCE = 1e-9
MAX_ITERATIONS = 500
# Fewest linked pairs the classes are estimated from; below, every tie counts fully.
MIN_PAIRS = 50
# Pseudo-count per level (Laplace smoothing): no level is impossible in either class.
PSEUDO_COUNT = 1.0
DAY_S = 86_400.0


@dataclass
class ContactFeatures:
    """One row per linked pair of people: the level of each feature (see FEATURES)."""

    records: IntArray
    reciprocal: IntArray
    span: IntArray
    channels: IntArray
    money: IntArray

    def matrix(self) -> IntArray:
        """Rows of levels, one column per feature in FEATURES order."""
        return np.column_stack([getattr(self, name) for name in FEATURES]).astype(np.int64)


def levels(
    records: FloatArray,
    reciprocal: npt.NDArray[np.bool_],
    span_s: FloatArray,
    channels: IntArray,
    money: npt.NDArray[np.bool_],
) -> ContactFeatures:
    """Bucket raw per-pair figures into feature levels."""
    return ContactFeatures(
        records=np.digitize(records, [1.5, 2.5, 5.5]).astype(np.int64),
        reciprocal=reciprocal.astype(np.int64),
        span=np.digitize(span_s / DAY_S, [1.0, 7.0]).astype(np.int64),
        channels=(channels >= 2).astype(np.int64),
        money=money.astype(np.int64),
    )


@dataclass
class TieModel:
    """The fitted classes: prior, m and u per feature level, and how the fit went."""

    prior: float
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    pairs: int
    iterations: int = 0
    # True when the data cannot tell relationships from chance contact (too few pairs,
    # or all alike): every tie then weighs 1.
    flat: bool = False
    reason: str = ""
    _log_ratio: dict[str, FloatArray] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._log_ratio = {
            name: np.log2(np.asarray(self.m[name]) / np.asarray(self.u[name])) for name in FEATURES
        }

    def posterior(self, features: ContactFeatures) -> FloatArray:
        """The probability that each pair is a relationship rather than chance contact."""
        n = len(features.records)
        if self.flat:
            return np.ones(n)
        bits = np.full(n, math.log2(self.prior / (1 - self.prior)))
        for name in FEATURES:
            bits += self._log_ratio[name][getattr(features, name)]
        return np.asarray(1.0 / (1.0 + np.exp2(-bits)), dtype=np.float64)

    def explain(self, levels_of: dict[str, int]) -> dict[str, float]:
        """log2 Bayes factor each feature level adds (positive: more like a relationship)."""
        if self.flat:
            return {}
        return {name: float(self._log_ratio[name][levels_of[name]]) for name in FEATURES}

    def describe(self) -> dict[str, Any]:
        """What the run records: the fitted probabilities, in plain numbers."""
        return {
            "prior": round(self.prior, 6),
            "pairs": self.pairs,
            "iterations": self.iterations,
            "flat": self.flat,
            "reason": self.reason,
            "levels": {name: list(lv) for name, lv in FEATURES.items()},
            "m": {k: [round(x, 6) for x in v] for k, v in self.m.items()},
            "u": {k: [round(x, 6) for x in v] for k, v in self.u.items()},
        }


def _flat(pairs: int, reason: str) -> TieModel:
    even = {name: [1.0 / len(lv)] * len(lv) for name, lv in FEATURES.items()}
    return TieModel(0.5, even, dict(even), pairs, flat=True, reason=reason)


def fit(features: ContactFeatures) -> TieModel:
    """Fit the two classes by EM over the distinct feature patterns (at most 96)."""
    rows = features.matrix()
    if len(rows) < MIN_PAIRS:
        return _flat(len(rows), f"fewer than {MIN_PAIRS} linked pairs")
    patterns, counts = np.unique(rows, axis=0, return_counts=True)
    if len(patterns) < 2:
        return _flat(len(rows), "every linked pair looks the same")
    weight = counts.astype(np.float64)
    sizes = [len(lv) for lv in FEATURES.values()]
    # Start from the ordinal reading: a relationship leans to the higher levels.
    m = [np.linspace(1.0, 2.0, k) / np.linspace(1.0, 2.0, k).sum() for k in sizes]
    u = [np.linspace(2.0, 1.0, k) / np.linspace(2.0, 1.0, k).sum() for k in sizes]
    prior = 0.5
    iterations = 0
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007 - the count is kept
        log_m = np.full(len(patterns), math.log(prior))
        log_u = np.full(len(patterns), math.log(1 - prior))
        for j in range(len(sizes)):
            log_m += np.log(m[j][patterns[:, j]])
            log_u += np.log(u[j][patterns[:, j]])
        top = np.maximum(log_m, log_u)
        post = np.exp(log_m - top) / (np.exp(log_m - top) + np.exp(log_u - top))
        rel, chance = weight * post, weight * (1 - post)
        new_prior = float(np.clip(rel.sum() / weight.sum(), 1e-6, 1 - 1e-6))
        new_m = [
            _smoothed(np.bincount(patterns[:, j], weights=rel, minlength=k))
            for j, k in enumerate(sizes)
        ]
        new_u = [
            _smoothed(np.bincount(patterns[:, j], weights=chance, minlength=k))
            for j, k in enumerate(sizes)
        ]
        moved = max(
            abs(new_prior - prior),
            *(float(np.abs(a - b).max()) for a, b in zip(new_m + new_u, m + u, strict=True)),
        )
        prior, m, u = new_prior, new_m, new_u
        if moved < TOLERANCE:
            break
    # The relationship class is the one with more records per pair (EM's labels are
    # arbitrary): swap if the fit settled the other way round.
    order = np.arange(len(FEATURES["records"]))
    if float(m[0] @ order) < float(u[0] @ order):
        m, u, prior = u, m, 1 - prior
    names = list(FEATURES)
    model = TieModel(
        prior,
        {names[j]: m[j].tolist() for j in range(len(names))},
        {names[j]: u[j].tolist() for j in range(len(names))},
        len(rows),
        iterations,
    )
    if float(np.abs(model.posterior(features) - prior).max()) < 1e-3:
        return _flat(len(rows), "the classes do not differ")
    return model


def _smoothed(counts: npt.NDArray[Any]) -> FloatArray:
    smoothed = np.asarray(counts, dtype=np.float64) + PSEUDO_COUNT
    return np.asarray(smoothed / smoothed.sum(), dtype=np.float64)
