"""Scoring on hostile records: placeholders, missing values and common names never merge.

Each case is scored by the real model (Splink on DuckDB) among a background of ordinary
records, so that the parameters are estimated as in a real run.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import pytest
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from bench.resolution_data import generate
from resolution.features import (
    birth_keys,
    build_table,
    document_number,
    initial_keys,
    typo_keys,
)
from resolution.records import PersonRecord
from resolution.scoring import BLOCKING_RULES, PRIOR_RULES, Scored, score
from resolution.settings import ResolutionSettings

SETTINGS = ResolutionSettings()
GIVEN = [
    "Maria",
    "Jose",
    "Somchai",
    "Anan",
    "Rahim",
    "Karim",
    "Liezel",
    "Olena",
    "Priya",
    "Kevin",
    "Amélie",
    "Tuấn",
    "Malee",
]
FAMILY = [
    "Santos",
    "Reyes",
    "Kaewmanee",
    "Srisuk",
    "Tan",
    "Hossain",
    "Chowdhury",
    "Tremblay",
    "Gagnon",
    "Nair",
]


def _birth(rng: random.Random) -> str:
    return (date(1960, 1, 1) + timedelta(days=rng.randrange(16000))).isoformat()


def background(n: int, seed: int = 3) -> list[PersonRecord]:
    """Ordinary people, each twice (a subscriber record and a KYC record sharing a phone)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        birth, phone = _birth(rng), f"Phone:+6391{i:07d}"
        out.append(PersonRecord(f"telco:{i}", (name,), birth, identifiers=(phone,)))
        out.append(
            PersonRecord(
                f"kyc:{i}",
                (name.upper(),),
                birth,
                identifiers=(phone,),
                documents=(f"passport:PH:P{i:07d}A",),
            )
        )
    return out


def merged(scored: Scored, ids: set[str]) -> list[tuple[str, str, float]]:
    """Pairs among `ids` at or above the merge threshold."""
    return [
        (p.a, p.b, p.probability)
        for p in scored.pairs
        if p.a in ids and p.b in ids and p.probability >= SETTINGS.merge_probability
    ]


@pytest.fixture(scope="module")
def ordinary() -> list[PersonRecord]:
    return background(400)


def test_the_background_itself_resolves(ordinary: list[PersonRecord]) -> None:
    # The control: the same model does merge the real pairs, so the cases below test
    # refusals of a model that merges, not of one that never does.
    scored = score(ordinary, SETTINGS)
    got = {(p.a, p.b) for p in scored.pairs if p.probability >= SETTINGS.merge_probability}
    expected = {(f"kyc:{i}", f"telco:{i}") for i in range(400)}
    assert len(got & expected) / len(expected) > 0.9
    assert scored.pairs_compared < scored.all_pairs / 100


def test_hundreds_sharing_a_common_name_are_not_merged(ordinary: list[PersonRecord]) -> None:
    rng = random.Random(5)
    common = [
        PersonRecord(
            f"vn:{i}",
            ("Nguyễn Văn Anh",),
            _birth(rng),
            nationality="VN",
            identifiers=(f"Phone:+8490{i:07d}",),
        )
        for i in range(300)
    ]
    scored = score(ordinary + common, SETTINGS)
    assert merged(scored, {r.id for r in common}) == []


def test_common_names_one_letter_apart_are_not_merged(ordinary: list[PersonRecord]) -> None:
    # "Nguyễn Văn An" and "Nguyễn Văn Anh" are one letter apart and both common: the
    # near match weighs as little as the commoner name allows, and never merges.
    rng = random.Random(6)
    common = [
        PersonRecord(
            f"vn:{i}",
            ("Nguyễn Văn An" if i % 2 else "Nguyễn Văn Anh",),
            f"1990-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            nationality="VN",
        )
        for i in range(300)
    ]
    scored = score(ordinary + common, SETTINGS)
    assert merged(scored, {r.id for r in common}) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("begum fatema", "bfgum fatema"),  # a letter mistyped
        ("abdul kabir", "abdl kabir"),  # dropped
        ("mai tran", "maii tran"),  # doubled
        ("fatema ghosh", "fatema gohsh"),  # two swapped
    ],
)
def test_names_one_typo_apart_share_a_typo_key(a: str, b: str) -> None:
    assert set(typo_keys(a)) & set(typo_keys(b))


def test_names_two_words_apart_share_no_typo_key() -> None:
    assert not set(typo_keys("begum fatema")) & set(typo_keys("bfgum fatena"))
    assert not set(typo_keys("an van")) & set(typo_keys("anh ven"))
    assert typo_keys("fatema") == []  # one word: its first letter would meet too many
    assert typo_keys(None) == []


@pytest.mark.parametrize(
    "slip",
    ["1985-06-30", "1986-06-30", "1985-07-30", "1985-06-03", "1985-06-31"],
    ids=["same", "year", "month", "day", "day digit"],
)
def test_dates_one_slip_apart_share_a_birth_key(slip: str) -> None:
    assert set(birth_keys("1985-06-30")) & set(birth_keys(slip))
    assert set(birth_keys("1990-01-12")) & set(birth_keys("1990-12-01"))  # day as month


def test_dates_two_parts_apart_share_no_birth_key() -> None:
    assert not set(birth_keys("1985-06-30")) & set(birth_keys("1986-07-30"))
    assert birth_keys(None) == []


def test_a_typo_in_the_name_and_one_in_the_date_reaches_review() -> None:
    # Nothing in common but a rare name one letter off and a birth date one digit off
    # (the year, then the day), or initials and the birth date: no rule on exact names
    # finds these pairs. Among generated records with such variants (so the model has
    # seen them), each is found and weighed at its level.
    cases = [
        (("Rattana Inngam", "1984-08-22"), ("Rattana Inngzm", "1985-08-22"), "one letter"),
        (("Somsri Boonmee", "1984-02-15"), ("Somri Boonmee", "1984-02-16"), "one letter"),
        (("Maria Santos", "1976-05-28"), ("Maria S.", "1976-05-28"), "within the other"),
    ]
    odd = [
        PersonRecord(f"t:{i}{side}", (name,), birth, nationality="TH")
        for i, case in enumerate(cases)
        for side, (name, birth) in zip("ab", case[:2], strict=True)
    ]
    scored = score(generate(1000, seed=5).records + odd, SETTINGS)
    found = {(p.a, p.b): p for p in scored.pairs}
    for i, (_, _, level) in enumerate(cases):
        pair = found[(f"t:{i}a", f"t:{i}b")]  # at or above the review threshold
        assert level in pair.explanation[0]["level"]


def test_a_name_with_an_initial_shares_a_key_with_the_name_in_full() -> None:
    jenny = set(initial_keys("jenny", ["m"]))  # "Jenny M.": a nickname and an initial
    assert jenny & set(initial_keys("bautista jennifer mendoza", []))
    assert not jenny & set(initial_keys("bautista jennifer reyes", []))
    assert initial_keys(None, []) == []


WITHIN = [
    ("Beth Cruz", "Elizabeth Cruz", True),  # the nickname's initial is not the name's
    ("Pat M.", "Patrick Martin", True),  # Pat is Patricia or Patrick: one is enough
    ("Rey P.", "Reynaldo Perez", True),  # the name cut short
    ("Jenny M.", "Jennifer Bautista Mendoza", True),
    ("Maria S.", "Maria Reyes", False),  # the initial is not the other's
    ("Pat M.", "Maria Martin", False),  # no full form of the nickname in the other
    ("Jo Santos", "Joanna Santos", False),  # two letters are not a name cut short
]


@pytest.fixture(scope="module")
def within_scored() -> Scored:
    # Each pair shares a phone, so it is compared whatever its names; the levels are the
    # model's, estimated among generated records.
    odd = [
        PersonRecord(
            f"w:{i}{side}", (name,), "1984-08-22", nationality="PH", identifiers=(f"Phone:+{i}",)
        )
        for i, case in enumerate(WITHIN)
        for side, name in zip("ab", case[:2], strict=True)
    ]
    return score(generate(1000, seed=5).records + odd, SETTINGS)


@pytest.mark.parametrize(("i", "case"), list(enumerate(WITHIN)), ids=[c[0] for c in WITHIN])
def test_one_name_within_the_other(
    within_scored: Scored, i: int, case: tuple[str, str, bool]
) -> None:
    pair = next(p for p in within_scored.pairs if (p.a, p.b) == (f"w:{i}a", f"w:{i}b"))
    assert ("within the other" in pair.explanation[0]["level"]) is case[2]


def test_each_comparison_takes_its_m_from_one_kind_of_block(within_scored: Scored) -> None:
    # Averaged over the phone blocks and the rare-name blocks, as Splink does, the m of
    # the names and the identifiers added up to more than one: each block counts a
    # comparison it fixes (every pair of one rare name has the same name) as always agreeing.
    for comparison in within_scored.parameters["model"]["comparisons"]:
        if comparison["output_column_name"] in ("name", "birth_date", "identifiers"):
            levels = comparison["comparison_levels"]
            total = sum(level.get("m_probability") or 0 for level in levels)
            assert total == pytest.approx(1, abs=1e-6), comparison["output_column_name"]


def test_placeholder_documents_are_not_evidence(ordinary: list[PersonRecord]) -> None:
    odd = [
        PersonRecord(f"ph:{i}", (name,), None, documents=(f"passport:VN:{doc}",))
        for i, (name, doc) in enumerate(
            [
                ("Lan Do", "000000"),
                ("Minh Tran", "000000"),
                ("Hoa Le", "N/A"),
                ("Bao Pham", "N/A"),
                ("Tuan Vo", "UNKNOWN"),
                ("Nhung Ho", "unknown"),
            ]
        )
    ]
    placeholders = ("000000", "N/A", "UNKNOWN", "1234", "123456789")
    assert [document_number(x) for x in placeholders] == [None] * 5
    assert document_number("5173-7459-0813") == "517374590813"
    scored = score(ordinary + odd, SETTINGS)
    assert merged(scored, {r.id for r in odd}) == []


def test_a_document_number_many_records_carry_is_not_evidence(
    ordinary: list[PersonRecord],
) -> None:
    # A form's sample number, not a run or a repeat: only its holders tell.
    shared = [
        PersonRecord(f"form:{i}", (f"Person {chr(65 + i)} Example",), None,
                     documents=("passport:PH:P7731904",))
        for i in range(SETTINGS.max_identifier_holders + 1)
    ]  # fmt: skip
    table = build_table(ordinary + shared, SETTINGS)
    documents = dict(zip(table.column("unique_id").to_pylist(),
                         table.column("documents").to_pylist(), strict=True))  # fmt: skip
    assert all(documents[r.id] == [] for r in shared)
    assert merged(score(ordinary + shared, SETTINGS), {r.id for r in shared}) == []
    # Held by few, the same number is evidence.
    few = shared[: SETTINGS.max_identifier_holders]
    table = build_table(ordinary + few, SETTINGS)
    assert "P7731904" in table.column("documents").to_pylist()[-1]


def test_missing_names_and_dates_and_one_letter_names_do_not_merge(
    ordinary: list[PersonRecord],
) -> None:
    rng = random.Random(9)
    birth = _birth(rng)
    odd = [
        PersonRecord("x:1"),  # nothing at all
        PersonRecord("x:2"),
        PersonRecord("x:3", ("A",), birth),  # one-letter names, one birth date
        PersonRecord("x:4", ("A",), birth),
        PersonRecord("x:5", ("B",), birth),
        PersonRecord("x:6", (), birth),  # a birth date alone
        PersonRecord("x:7", (), birth),
        PersonRecord("x:8", ("Mẹ",)),  # a kinship word is not a name
        PersonRecord("x:9", ("Mẹ",)),
    ]
    scored = score(ordinary + odd, SETTINGS)
    assert merged(scored, {r.id for r in odd}) == []


def test_a_family_sharing_one_phone_is_not_one_person(ordinary: list[PersonRecord]) -> None:
    rng = random.Random(11)
    phone = "Phone:+639170000001"
    family = [
        PersonRecord(f"fam:{given}", (f"{given} Bautista",), _birth(rng), identifiers=(phone,))
        for given in ("Arnel", "Liezel", "Maricel", "Jerome")
    ]
    scored = score(ordinary + family, SETTINGS)
    assert merged(scored, {r.id for r in family}) == []


def test_each_pair_is_explained_by_every_comparison(ordinary: list[PersonRecord]) -> None:
    scored = score(ordinary[:200], SETTINGS)
    pair = max(scored.pairs, key=lambda p: p.probability)
    names = [part["comparison"] for part in pair.explanation]
    assert names == ["name", "birth_date", "identifiers", "documents", "countries", "gender"]
    # The comparisons' weights and the prior add up to the pair's match weight.
    prior = scored.parameters["model"]["probability_two_random_records_match"]
    total = sum(part["match_weight"] for part in pair.explanation) + math.log2(prior / (1 - prior))
    assert total == pytest.approx(pair.match_weight, abs=0.05)
    assert scored.parameters["model"]["comparisons"]  # the estimated model is kept


@pytest.mark.parametrize("rule", [*BLOCKING_RULES, *PRIOR_RULES], ids=str)
def test_every_rule_joins_on_a_key(rule: BlockingRuleCreator) -> None:
    """A rule without an equality to join on makes DuckDB test every pair of records."""
    sql_rule = rule.get_blocking_rule("duckdb")
    assert sql_rule._equi_join_conditions, sql_rule.blocking_rule_sql
