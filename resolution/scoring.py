"""Scoring candidate pairs: Fellegi–Sunter with term-frequency adjustment, run by Splink.

Splink on DuckDB does the blocking, the estimation and the scoring in one process; the
same settings run on Spark when a deployment outgrows one machine. Parameters are
estimated from the data every run: the prior from deterministic rules, u by random
sampling, m by expectation maximisation within blocks. Nothing is hand-set but the
comparisons' levels and the thresholds.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.splink_dataframe import SplinkDataFrame

from resolution.features import build_table
from resolution.records import PersonRecord
from resolution.settings import ResolutionSettings

LOG = logging.getLogger(__name__)

# Candidate pairs (docs/resolution.md lists them): those sharing an identifier or a
# document; one name with the birth date, or one name few records carry; the birth
# date with a name part few records carry, the same initials, or the same first and
# last names (middle names left out); transliteration-aware phonetic name keys with
# the birth year; names one word apart with birth dates one part apart (a typo in each).
# A pair found by several rules is scored once.
BLOCKING_RULES = (
    block_on("identifiers", arrays_to_explode=["identifiers"]),
    block_on("documents", arrays_to_explode=["documents"]),
    block_on("name_key", "birth_date"),
    block_on("rare_name_key"),
    block_on("tokens", "birth_date", arrays_to_explode=["tokens"]),
    block_on("initials_key", "birth_date"),
    block_on("short_key", "birth_date"),
    block_on("block_keys", "birth_year", arrays_to_explode=["block_keys"]),
    block_on("typo_keys", "birth_keys", arrays_to_explode=["typo_keys", "birth_keys"]),
    block_on("initial_keys", "birth_date", arrays_to_explode=["initial_keys"]),
)

# Rules nearly every pair they find is a match: for the prior only. Each is an equi-join
# (arrays exploded): a condition such as `list_intersect(l.x, r.x)` has no join key, so
# DuckDB would test every pair of records (5e11 of them in a million).
PRIOR_RULES = (
    block_on("name_key", "birth_date"),
    block_on("documents", arrays_to_explode=["documents"]),
    CustomRule(
        "l.identifiers = r.identifiers AND "
        "(l.name_key = r.name_key OR l.birth_date = r.birth_date)",
        arrays_to_explode=["identifiers"],
    ),
)
_PRIOR_RECALL = 0.6
# Splink keeps the pairs whose match weight is at least the review threshold's less
# this: a pair whose probability rounds to the threshold is then kept, and the exact
# filter on the probability is ours.
_THRESHOLD_MARGIN = 1e-6


def _shares(column: str, at_least: int = 1) -> str:
    # One in common is asked without building the intersection: the same answer (the
    # lists hold no nulls), at a fraction of the cost on millions of pairs.
    if at_least == 1:
        return f"list_has_any({column}_l, {column}_r)"
    return f"len(list_intersect({column}_l, {column}_r)) >= {at_least}"


def _one_word_one_edit() -> str:
    # The names' words are the same but one, and those two are one edit apart (a letter
    # mistyped, dropped, added, or two swapped). The words are sorted, so order is free.
    only = {
        side: f"list_filter(name_words_{side}, lambda w: NOT list_contains(name_words_{other}, w))"
        for side, other in (("l", "r"), ("r", "l"))
    }
    return (
        f"len(name_words_l) = len(name_words_r) AND len({only['l']}) = 1 AND "
        f"len({only['r']}) = 1 AND damerau_levenshtein({only['l']}[1], {only['r']}[1]) <= 1"
    )


def _within(inner: str, outer: str) -> str:
    # Every part of the inner name is a part of the outer, the full form of one of its
    # nicknames, or one of its parts cut short; each nickname of the inner has one of its
    # full forms there; and what the inner writes as initials are initials of the outer:
    # "Pat M." is within "Patrick Martin", "Beth Cruz" within "Elizabeth Cruz", "Rey P."
    # within "Reynaldo Perez", "Maria S." not within "Maria Reyes".
    words = {side: f"list_concat(parts_{side}, nick_fulls_{side})" for side in (inner, outer)}
    return (
        f"len({words[inner]}) > 0 AND len(parts_{outer}) > 0 AND "
        f"list_has_all(list_concat({words[outer]}, shortenings_{outer}), parts_{inner}) AND "
        f"(len(nick_fulls_{inner}) = 0 OR list_has_any(nick_fulls_{inner}, {words[outer]})) AND "
        f"list_has_all(initials_{outer}, letters_{inner})"
    )


def _either_empty(column: str) -> str:
    return f"len(coalesce({column}_l, [])) = 0 OR len(coalesce({column}_r, [])) = 0"


def _comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_description="names and aliases",
        comparison_levels=[
            cll.CustomLevel("name_key_l IS NULL OR name_key_r IS NULL", "no usable name").configure(
                is_null_level=True
            ),
            cll.CustomLevel("name_key_l = name_key_r", "same name").configure(
                tf_adjustment_column="name_key", tf_adjustment_weight=1.0
            ),
            cll.CustomLevel(_shares("name_keys"), "same name, as another written form"),
            # A near match to a rare name says more than one to a common name: Splink
            # adjusts the level by the more frequent of the two names.
            cll.CustomLevel(_one_word_one_edit(), "same name but for one letter").configure(
                tf_adjustment_column="name_key", tf_adjustment_weight=1.0
            ),
            cll.CustomLevel(
                f"{_shares('block_keys')} OR "
                "jaro_winkler_similarity(name_key_l, name_key_r) >= 0.92",
                "names that sound alike or are close in spelling",
            ),
            cll.CustomLevel(
                f"({_within('l', 'r')}) OR ({_within('r', 'l')})",
                "one name within the other (nicknames, initials, names cut short)",
            ),
            cll.CustomLevel(_shares("tokens", 2), "two name parts in common"),
            cll.CustomLevel(_shares("skeletons", 2), "two name parts that sound alike"),
            cll.CustomLevel(
                f"{_shares('tokens')} OR {_shares('skeletons')}", "one name part in common"
            ),
            cll.ElseLevel(),
        ],
    )
    birth = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_description="date of birth",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date", term_frequency_adjustments=True),
            cll.CustomLevel(
                "damerau_levenshtein(birth_date_l, birth_date_r) <= 1 OR "
                "(substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) AND "
                "substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) AND "
                "substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2))",
                "one digit off, or day and month swapped",
            ),
            cll.CustomLevel("birth_year_l = birth_year_r", "same year"),
            cll.ElseLevel(),
        ],
    )
    identifiers = cl.CustomComparison(
        output_column_name="identifiers",
        comparison_description="phones, accounts and wallets held",
        comparison_levels=[
            cll.CustomLevel(_either_empty("identifiers"), "none held").configure(
                is_null_level=True
            ),
            cll.CustomLevel(_shares("identifiers", 2), "two or more in common"),
            cll.CustomLevel(_shares("identifiers"), "one in common"),
            cll.ElseLevel(),
        ],
    )
    documents = cl.CustomComparison(
        output_column_name="documents",
        comparison_description="identity documents",
        comparison_levels=[
            cll.CustomLevel(_either_empty("documents"), "no document").configure(
                is_null_level=True
            ),
            cll.CustomLevel(_shares("documents"), "same document number"),
            cll.ElseLevel(),
        ],
    )
    countries = cl.CustomComparison(
        output_column_name="countries",
        comparison_description="nationality and the countries of the phones held",
        comparison_levels=[
            cll.CustomLevel(_either_empty("countries"), "no country").configure(is_null_level=True),
            cll.CustomLevel("nationality_l = nationality_r", "same nationality"),
            cll.CustomLevel(_shares("countries"), "a country in common"),
            cll.ElseLevel(),
        ],
    )
    gender = cl.ExactMatch("gender")
    return [name, birth, identifiers, documents, countries, gender]


def splink_settings() -> SettingsCreator:
    """The model's comparisons and blocking rules (parameters are estimated per run)."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=_comparisons(),
        blocking_rules_to_generate_predictions=list(BLOCKING_RULES),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """A candidate pair at or above the review threshold."""

    a: str
    b: str
    probability: float
    match_weight: float
    # What each comparison added: [{comparison, level, match_weight}], in model order.
    explanation: tuple[dict[str, Any], ...]


@dataclass
class Scored:
    """What one scoring gives: the pairs, the model, and what it cost."""

    pairs: list[ScoredPair]
    records: int
    pairs_compared: int
    parameters: dict[str, Any]
    versions: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def all_pairs(self) -> int:
        """n(n-1)/2: what comparing every pair would have cost."""
        return self.records * (self.records - 1) // 2


def score(records: Sequence[PersonRecord], settings: ResolutionSettings) -> Scored:
    """Estimate the model on `records` and score every candidate pair.

    Returns the pairs whose match probability is at least `settings.review_probability`.
    """
    seconds: dict[str, float] = {}
    began = time.monotonic()
    table = build_table(records, settings)
    seconds["features"] = time.monotonic() - began
    versions = {"splink": metadata.version("splink"), "duckdb": duckdb.__version__}
    if len(records) < 2:
        return Scored([], len(records), 0, {}, versions, seconds)
    con = duckdb.connect()
    try:
        con.execute(f"SET threads = {settings.threads}")
        return _score(con, table, settings, seconds, versions)
    finally:
        con.close()


def _score(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    settings: ResolutionSettings,
    seconds: dict[str, float],
    versions: dict[str, str],
) -> Scored:
    step = time.monotonic()
    db_api = DuckDBAPI(connection=con)
    records = db_api.register(table)
    # Splink warns of every level a small case never shows (its m stays the default):
    # the run's record keeps the estimated model, where an untrained level is visible.
    linker = _train(records, settings, table.num_rows)
    seconds["estimate"] = time.monotonic() - step

    step = time.monotonic()
    # The blocked pairs are counted; only those near or above the review threshold are
    # kept when scored (Splink filters on the match weight in SQL), then exactly those
    # at or above it are fetched, column by column.
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    compared = int(con.table(blocked.physical_name).count("*").fetchall()[0][0])
    review = float(settings.review_probability)
    predicted = linker.inference.predict(
        threshold_match_weight=math.log2(review / (1 - review)) - _THRESHOLD_MARGIN
    )
    blocked.drop_table_from_database_and_remove_from_cache()
    model = linker.misc.save_model_to_json()
    labels = _level_labels(model)
    relation = con.table(predicted.physical_name)
    wanted = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    wanted += [f"mw_{name}" for name in labels]
    wanted += [f"mw_tf_adj_{name}" for name in labels if f"mw_tf_adj_{name}" in relation.columns]
    kept = relation.filter(f"match_probability >= {review!r}").select(*wanted).to_arrow_table()
    predicted.drop_table_from_database_and_remove_from_cache()
    pairs = _pairs(kept, labels)
    seconds["score"] = time.monotonic() - step
    parameters = {"model": model, "blocking_rules": [str(r) for r in _rule_sql(linker)]}
    return Scored(pairs, table.num_rows, compared, parameters, versions, seconds)


def _train(records: SplinkDataFrame, settings: ResolutionSettings, n: int) -> Linker:
    """A linker whose prior, u and m are estimated from the records (Splink's recipe)."""
    linker = Linker(records, splink_settings(), log_level=logging.ERROR)
    try:
        linker.training.estimate_probability_two_random_records_match(
            list(PRIOR_RULES), recall=_PRIOR_RECALL
        )
    except Exception:  # no deterministic pair at all: Splink's default prior stays
        LOG.warning("no pair meets the deterministic rules; the prior keeps its default")
    # A case with no pair the rules find would give a prior of 0 (no match possible):
    # the prior is kept between one pair in all pairs and an even chance.
    all_pairs = max(n * (n - 1) // 2, 1)
    model = linker.misc.save_model_to_json()
    prior = float(model["probability_two_random_records_match"])
    if not 1 / all_pairs <= prior <= 0.5:
        model["probability_two_random_records_match"] = min(max(prior, 1 / all_pairs), 0.5)
        linker = Linker(records, model, log_level=logging.ERROR)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(settings.u_sample_pairs, all_pairs), seed=settings.seed
    )
    return Linker(records, _estimate_m(records, linker), log_level=logging.ERROR)


def _estimate_m(records: SplinkDataFrame, linker: Linker) -> dict[str, Any]:
    """The model with m estimated by EM, each comparison in one kind of block.

    Pairs of one phone (EM cannot explode arrays: the first identifier held stands for
    the list) are mostly one person: every comparison but the identifiers is estimated
    there. The identifiers cannot vary in those blocks, so they are estimated in blocks
    of one rare name. A comparison takes one block's estimate, level by level (the
    other's where that block never saw the level): Splink would average the two, though
    every pair of one rare name has the same name and every pair of one phone shares an
    identifier, and a birth date that differs, which the strangers sharing a rare name
    make common, would weigh a third of what it does among pairs of one phone.
    """
    model = linker.misc.save_model_to_json()
    by_phone = _em(records, model, block_on("first_identifier"))
    by_name = _em(records, model, block_on("rare_name_key"))
    for i, comparison in enumerate(model["comparisons"]):
        first, second = (
            (by_name, by_phone)
            if comparison["output_column_name"] == "identifiers"
            else (by_phone, by_name)
        )
        for j, level in enumerate(comparison["comparison_levels"]):
            for trained in (first, second):
                m = trained[i]["comparison_levels"][j].get("m_probability") if trained else None
                if m is not None:
                    level["m_probability"] = m
                    break
    return model


def _em(
    records: SplinkDataFrame, model: dict[str, Any], rule: BlockingRuleCreator
) -> list[dict[str, Any]] | None:
    """The comparisons as EM within `rule`'s blocks leaves them (None: no pairs there)."""
    linker = Linker(records, model, log_level=logging.ERROR)
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, fix_u_probabilities=True
        )
    except Exception as error:  # a block with no pairs trains nothing
        LOG.warning("EM on %s trained nothing: %s", rule, error)
        return None
    comparisons: list[dict[str, Any]] = linker.misc.save_model_to_json()["comparisons"]
    return comparisons


def _level_labels(model: dict[str, Any]) -> dict[str, list[tuple[float, str]]]:
    """Per comparison: each level's match weight, log2(m/u), and its label.

    Splink's output gives each comparison's match weight, not its level: the level is
    the one whose weight that is (the null level weighs 0).
    """
    labels: dict[str, list[tuple[float, str]]] = {}
    for comparison in model["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = 0.0 if level.get("is_null_level") or not m or not u else math.log2(m / u)
            levels.append((weight, level["label_for_charts"]))
        labels[comparison["output_column_name"]] = levels
    return labels


def _pairs(table: pa.Table, labels: dict[str, list[tuple[float, str]]]) -> list[ScoredPair]:
    """The scored pairs of `table` (one row per pair), each with its explanation."""
    terms = [_terms(table, name, levels) for name, levels in labels.items()]
    return [
        ScoredPair(a, b, probability, weight, explanation)
        if a <= b
        else ScoredPair(b, a, probability, weight, explanation)
        for a, b, probability, weight, explanation in zip(
            table.column("unique_id_l").to_pylist(),
            table.column("unique_id_r").to_pylist(),
            table.column("match_probability").to_pylist(),
            table.column("match_weight").to_pylist(),
            zip(*terms, strict=True),
            strict=True,
        )
    ]


def _terms(table: pa.Table, name: str, levels: list[tuple[float, str]]) -> list[dict[str, Any]]:
    """One comparison's term of each row's explanation: its level and match weight.

    A comparison's weight takes one value per level (and, with term frequencies, one
    adjustment per value of the column): each distinct (weight, adjustment) is made
    into a term once, and the rows with it share that term (read-only, like the pair).
    """
    weight = table.column(f"mw_{name}").to_numpy()
    if f"mw_tf_adj_{name}" in table.column_names:
        column = table.column(f"mw_tf_adj_{name}")
        tf = column.fill_null(0.0).to_numpy()
        has_tf = column.is_valid().to_numpy(zero_copy_only=False)
    else:
        tf, has_tf = np.zeros(len(weight)), np.zeros(len(weight), dtype=bool)
    # Values told apart by their bits: 0.0 and -0.0 print differently.
    keys = np.stack([weight.view(np.int64), tf.view(np.int64), has_tf.astype(np.int64)], axis=1)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    made = np.empty(len(first), dtype=object)
    for i, row in enumerate(first):
        made[i] = _term(name, levels, float(weight[row]), float(tf[row]) if has_tf[row] else None)
    terms: list[dict[str, Any]] = made[inverse.reshape(-1)].tolist()
    return terms


def _term(
    name: str, levels: list[tuple[float, str]], weight: float, tf: float | None
) -> dict[str, Any]:
    # Splink gives each comparison's match weight, not its level: the level is the one
    # whose weight that is. The term frequency adjustment counts in the term's weight.
    level = min(levels, key=lambda lv: abs(lv[0] - weight))[1]
    if tf is not None:
        weight += tf
    return {"comparison": name, "level": level, "match_weight": round(weight, 3)}


def _rule_sql(linker: Linker) -> list[str]:
    return [
        rule.blocking_rule_sql
        for rule in linker._settings_obj._blocking_rules_to_generate_predictions
    ]


def explanation_json(pair: ScoredPair) -> str:
    """The stored form of a pair's explanation."""
    return json.dumps(list(pair.explanation), ensure_ascii=False)
