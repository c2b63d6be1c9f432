"""Explanations built from Splink's output columns, without a model run."""

from __future__ import annotations

import pyarrow as pa

from resolution.scoring import _pairs

LABELS = {
    "name": [(0.0, "no usable name"), (10.5, "same name"), (-6.8, "All other comparisons")],
    "gender": [(0.0, "gender is NULL"), (0.9, "Exact match"), (-3.2, "All other comparisons")],
}


def test_each_row_is_explained_by_level_and_weight_with_its_adjustment() -> None:
    table = pa.table(
        {
            "unique_id_l": ["b", "a", "c"],
            "unique_id_r": ["a", "c", "d"],
            "match_probability": [0.99, 0.6, 0.7],
            "match_weight": [6.6, 0.6, 1.2],
            "mw_name": [10.5, 10.5, -6.8],
            "mw_gender": [0.9, -3.2, 0.9],
            "mw_tf_adj_name": pa.array([-1.23456, None, 0.0], pa.float64()),
        }
    )
    pairs = _pairs(table, LABELS)
    # Each pair reads lower id first; the level is the one whose weight the row has,
    # and the term frequency adjustment, when there is one, counts in the weight.
    assert [(p.a, p.b, p.probability, p.match_weight) for p in pairs] == [
        ("a", "b", 0.99, 6.6),
        ("a", "c", 0.6, 0.6),
        ("c", "d", 0.7, 1.2),
    ]
    assert [list(p.explanation) for p in pairs] == [
        [
            {"comparison": "name", "level": "same name", "match_weight": 9.265},
            {"comparison": "gender", "level": "Exact match", "match_weight": 0.9},
        ],
        [
            {"comparison": "name", "level": "same name", "match_weight": 10.5},
            {"comparison": "gender", "level": "All other comparisons", "match_weight": -3.2},
        ],
        [
            {"comparison": "name", "level": "All other comparisons", "match_weight": -6.8},
            {"comparison": "gender", "level": "Exact match", "match_weight": 0.9},
        ],
    ]


def test_no_pair_above_the_threshold_gives_no_pairs() -> None:
    table = pa.table(
        {
            "unique_id_l": pa.array([], pa.string()),
            "unique_id_r": pa.array([], pa.string()),
            "match_probability": pa.array([], pa.float64()),
            "match_weight": pa.array([], pa.float64()),
            "mw_name": pa.array([], pa.float64()),
            "mw_gender": pa.array([], pa.float64()),
        }
    )
    assert _pairs(table, LABELS) == []
