"""The validation scenario generator: reproducible, and its truth holds after a real ingest.

A small scenario (200 background people) is generated, every source file is loaded
through its mapping into the test Neo4j, and the truth is checked against the graph:
per-file counts, every Person id it names, the two hubs flagged, service numbers not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from bench.validation.scenario import ScenarioParams, Truth, generate
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from ingest.loader import Loader

SMALL = ScenarioParams(rings=4, ring_sizes=(6, 10), background=200, noise_share=0.8)
# Files in load order: people and their identifiers first, then the links between them.
LOAD_ORDER = (
    "subscribers.csv",
    "field_contacts.csv",
    "platform_accounts.csv",
    "exchange_kyc.csv",
    "cdr_sea.csv",
    "cdr_gateway.tsv",
    "messages.jsonl",
    "exchange_transfers.csv",
)


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    first = generate(SMALL, 11, tmp_path / "a")
    generate(SMALL, 11, tmp_path / "b")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert Truth.load(tmp_path / "a" / "truth.json") == first
    other = generate(SMALL, 12, tmp_path / "c")
    assert other.rings != first.rings
    assert sorted(first.files) == sorted(LOAD_ORDER)
    assert len(first.rings) == 4
    assert len(first.hubs) == 2
    assert first.pairs["total"] == first.pairs["structure"] + first.pairs["background_one_off"]
    assert abs(first.noise_share_realised - SMALL.noise_share) < 0.01


def test_parameters_are_checked() -> None:
    with pytest.raises(ValueError, match="noise_share"):
        ScenarioParams(noise_share=0.99)
    with pytest.raises(ValueError, match="brokers"):
        ScenarioParams(rings=1, overlapping=0)


@pytest.mark.neo4j
def test_a_loaded_scenario_matches_its_truth(
    empty_graph: Driver, settings: Settings, tmp_path: Path
) -> None:
    truth = generate(SMALL, 5, tmp_path / "scenario")
    model = load_model()
    apply_schema(empty_graph, model, settings.neo4j_database)
    loader = Loader(empty_graph, model, settings.neo4j_database)
    for name in LOAD_ORDER:
        expected = truth.files[name]
        summary = loader.load(
            tmp_path / "scenario" / "mappings" / expected["mapping"],
            rejects_dir=tmp_path / "rejects",
        )
        assert summary.status == "completed"
        got = (summary.records_read, summary.records_loaded, summary.records_rejected)
        assert got == (expected["read"], expected["loaded"], expected["rejected"]), name
        assert summary.records_read == summary.records_loaded + summary.records_rejected
        assert expected["rejected"] > 0  # messy: a few bad records in every file

    def ids(query: str, **params: object) -> set[str]:
        records, _, _ = empty_graph.execute_query(query, params, database_=settings.neo4j_database)
        return {r["id"] for r in records}

    people = ids("MATCH (p:Person) RETURN p.id AS id")
    assert len(people) == truth.people  # one Person per human
    named = {m for ring in truth.rings for m in ring["members"]}
    named |= {b["person"] for b in truth.brokers}
    named |= {s["owner"] for s in truth.service_numbers}
    named |= {o["person"] for o in truth.overlapping}
    assert named <= people
    assert ids("MATCH (x) WHERE x.hub = true RETURN x.id AS id") == set(truth.hubs)
    services = [s["phone"] for s in truth.service_numbers]
    assert ids(
        "MATCH (x:Phone) WHERE x.id IN $ids AND NOT x.hub RETURN x.id AS id", ids=services
    ) == set(services)
    for ring in truth.rings:
        shared = ids(
            "MATCH (x) WHERE x.id IN $ids AND (x:Phone OR x:Account OR x:Wallet) RETURN x.id AS id",
            ids=[*ring["burners"], ring["operator_account"], ring["collection_wallet"]],
        )
        assert len(shared) == len(ring["burners"]) + 2
