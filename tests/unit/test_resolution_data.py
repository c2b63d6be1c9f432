"""The resolution benchmark's records: seeded, fully labelled, with variants and hard negatives."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

import pytest

from bench.resolution_data import (
    PLACEHOLDER_DOCUMENTS,
    VARIANTS,
    GeneratedSet,
    generate,
    iter_records,
)
from resolution.records import PersonRecord

SOURCES = {"kyc", "border", "hotel", "telco", "seized", "shelter"}


@pytest.fixture(scope="module")
def population() -> GeneratedSet:
    return generate(5000, seed=7)


def _by_human(data: GeneratedSet) -> dict[str, list[PersonRecord]]:
    held: dict[str, list[PersonRecord]] = defaultdict(list)
    for record in data.records:
        held[data.human_of[record.id]].append(record)
    return held


def test_the_same_seed_gives_the_same_records_and_truth() -> None:
    one, two = generate(300, seed=3), generate(300, seed=3)
    assert one.records == two.records
    assert one.human_of == two.human_of
    assert one.variant_of_pair == two.variant_of_pair
    assert generate(300, seed=4).records != one.records


def test_the_stream_is_the_generated_records_cut_at_n() -> None:
    data = generate(400, seed=5)
    assert list(iter_records(len(data.records), seed=5)) == data.records
    assert list(iter_records(101, seed=5)) == data.records[:101]


def test_ids_are_unique_and_name_their_source(population: GeneratedSet) -> None:
    ids = [record.id for record in population.records]
    assert len(set(ids)) == len(ids)
    assert set(population.human_of) == set(ids)
    for record_id in ids:
        source, number = record_id.split(":")
        assert source in SOURCES
        assert number.isdigit()


def test_every_true_pair_and_only_true_pairs_have_a_variant_type(
    population: GeneratedSet,
) -> None:
    expected = set()
    for records in _by_human(population).values():
        for a, b in combinations(records, 2):
            expected.add((min(a.id, b.id), max(a.id, b.id)))
    assert set(population.variant_of_pair) == expected
    assert all(a < b for a, b in population.variant_of_pair)
    assert set(population.variant_of_pair.values()) <= set(VARIANTS)


def test_every_variant_type_is_at_least_five_percent_of_true_pairs(
    population: GeneratedSet,
) -> None:
    counts = Counter(population.variant_of_pair.values())
    total = len(population.variant_of_pair)
    assert total > 4000
    for variant in VARIANTS:
        assert counts[variant] / total >= 0.05, (variant, counts)


def test_a_further_record_keeps_evidence_shared_with_the_clean_record(
    population: GeneratedSet,
) -> None:
    placeholders = set(PLACEHOLDER_DOCUMENTS)

    def near(a: str | None, b: str | None) -> bool:
        if a is None or b is None:
            return False
        swapped = a[:5] == b[:5] and a[5:7] == b[8:] and a[8:] == b[5:7]
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1 or swapped

    for records in _by_human(population).values():
        clean = records[0]
        for record in records[1:]:
            shared = set(record.identifiers) & set(clean.identifiers)
            shared |= (set(record.documents) & set(clean.documents)) - placeholders
            same_birth = record.nationality is not None and near(
                record.birth_date, clean.birth_date
            )
            assert shared or same_birth, (clean, record)


def test_many_distinct_humans_share_an_exact_common_name(population: GeneratedSet) -> None:
    humans_of_name: dict[str, set[str]] = defaultdict(set)
    for human, records in _by_human(population).items():
        if records[0].names and len(records[0].names[0]) > 1:
            humans_of_name[records[0].names[0]].add(human)
    sharing = sum(len(humans) for humans in humans_of_name.values() if len(humans) > 1)
    assert sharing > 500
    assert max(len(humans) for humans in humans_of_name.values()) >= 10
    same_year = [k for k, v in population.hard_negatives.items() if v == "same_name_same_year"]
    assert len(same_year) > 50


def test_household_members_share_a_phone_but_not_a_given_name(population: GeneratedSet) -> None:
    family = [k for k, v in population.hard_negatives.items() if v == "family_phone"]
    assert len(family) > 50
    by_id = {record.id: record for record in population.records}
    for a, b in family:
        one, other = by_id[a], by_id[b]
        assert population.human_of[a] != population.human_of[b]
        assert {i for i in one.identifiers if i.startswith("Phone:")} & set(other.identifiers)


def test_placeholders_and_missing_values_are_present(population: GeneratedSet) -> None:
    records = population.records
    assert sum(1 for r in records if not r.names) > 20
    assert sum(1 for r in records if r.names and len(r.names[0]) == 1) > 20
    assert sum(1 for r in records if r.birth_date is None) > 0.05 * len(records)
    with_placeholder = [r for r in records if set(r.documents) & set(PLACEHOLDER_DOCUMENTS)]
    humans = {population.human_of[r.id] for r in with_placeholder}
    assert len(humans) > 50  # the same placeholder across many distinct humans


def test_nationalities_and_scripts_are_those_of_the_caseload(population: GeneratedSet) -> None:
    clean = [records[0] for records in _by_human(population).values()]
    shares = Counter(r.nationality for r in clean)
    for country, share in {"VN": 0.25, "TH": 0.2, "PH": 0.2, "BD": 0.15}.items():
        assert abs(shares[country] / len(clean) - share) < 0.04, shares
    vietnamese = [r.names[0] for r in clean if r.nationality == "VN" and r.names]
    vietnamese = [name for name in vietnamese if len(name) > 1]
    nguyen = sum(1 for name in vietnamese if name.startswith("Nguyễn")) / len(vietnamese)
    assert 0.3 < nguyen < 0.46
    names = [name for r in population.records for name in r.names]
    assert any("\u0e00" <= ch <= "\u0e7f" for name in names for ch in name)  # Thai script
    assert any("\u0980" <= ch <= "\u09ff" for name in names for ch in name)  # Bengali script
