"""The bundled demo data: valid mappings, the promised rejects, the planted truth, reproducible.

Pure unit tests (no database): every file is mapped record by record as the loader
does in a dry run, and the facts are checked against demo/data/truth.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from graph_schema.loader import GraphModel, load_model
from ingest.hubs import HubPolicy
from ingest.mapping import check_columns, load_mapping
from ingest.readers import SourceFile
from ingest.records import RecordMapper, RecordRejectedError

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"
DATA = DEMO / "data"
TRUTH: dict[str, Any] = json.loads((DATA / "truth.json").read_text(encoding="utf-8"))
MAPPINGS = sorted((DEMO / "mappings").glob("*.yaml"))
ROXANNE = sorted((DEMO / "roxanne").glob("*.yaml"))
# Relationships through which a person is directly linked to an identifier (hub policy).
PERSON_LINKS = {"USES", "HOLDS", "OWNS", "SEEN_AT"}


@dataclass
class DryRun:
    """What loading one mapping would do, without a database."""

    read: int = 0
    loaded: int = 0
    filtered: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)
    nodes: set[str] = field(default_factory=set)
    rels: list[tuple[str, str, str]] = field(default_factory=list)


@cache
def model() -> GraphModel:
    """The shipped graph model."""
    return load_model()


@cache
def dry_run(mapping_path: Path) -> DryRun:
    """Map every record of the mapping's file as the loader does (filter, map or reject)."""
    mapping = load_mapping(mapping_path, model())
    assert mapping.source.path is not None
    path = (mapping_path.parent / mapping.source.path).resolve()
    mapper = RecordMapper(mapping, model())
    run = DryRun()
    with SourceFile(path, mapping.source) as source:
        if source.columns is not None:
            check_columns(mapping, source.columns, path)
        for record_no, record in source.records():
            if not mapper.wanted(record):
                run.filtered += 1
                continue
            run.read += 1
            try:
                facts = mapper.map(record)
            except RecordRejectedError as reject:
                run.rejects.append((record_no, reject.reason))
                continue
            run.loaded += 1
            run.nodes.update(f"{node.label}:{node.id}" for node in facts.nodes)
            run.rels += [
                (rel.type, f"{rel.source_label}:{rel.source}", f"{rel.target_label}:{rel.target}")
                for rel in facts.rels
            ]
    return run


def all_facts() -> tuple[set[str], list[tuple[str, str, str]]]:
    """Nodes and relationships of the whole demo investigation."""
    nodes: set[str] = set()
    rels: list[tuple[str, str, str]] = []
    for path in MAPPINGS:
        run = dry_run(path)
        nodes |= run.nodes
        rels += run.rels
    return nodes, rels


def person_ids(group: str) -> set[str]:
    """Person node names (`Person:<id>`) of one planted network, or of the broker."""
    if group == "broker":
        return {f"Person:{pid}" for pid in TRUTH["broker"]["person_ids"]}
    network = next(n for n in TRUTH["networks"] if n["name"] == group)
    return {f"Person:{pid}" for member in network["members"] for pid in member["person_ids"]}


def components(rels: list[tuple[str, str, str]], leave_out: set[str]) -> dict[str, str]:
    """Connected components (node -> representative), ignoring sightings and `leave_out`.

    SEEN_AT is left out: being at the same airport or cell site is a weak link, and the
    planted structure is meant to hold through phones, accounts and wallets alone.
    """
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for rel_type, source, target in rels:
        if rel_type == "SEEN_AT" or source in leave_out or target in leave_out:
            continue
        parent[find(source)] = find(target)
    return {node: find(node) for node in list(parent)}


def test_every_demo_mapping_validates_against_the_model() -> None:
    assert len(MAPPINGS) >= 6
    assert ROXANNE
    for path in MAPPINGS + ROXANNE:
        mapping = load_mapping(path, model())
        assert mapping.description, f"{path}: no description"
        assert mapping.source.path is not None
        assert (path.parent / mapping.source.path).is_file(), f"{path}: no data file"


def test_truth_covers_every_data_file() -> None:
    mapped = {Path(load_mapping(p, model()).source.path or "").name for p in MAPPINGS}
    data_files = {p.name for p in DATA.iterdir()} - {"truth.json"}
    assert mapped == data_files == set(TRUTH["files"])
    for name, entry in TRUTH["files"].items():
        assert (DEMO / entry["mapping"]).is_file(), name


@pytest.mark.parametrize("name", sorted(TRUTH["files"]))
def test_dry_run_gives_the_promised_rejects(name: str) -> None:
    entry = TRUTH["files"][name]
    run = dry_run(DEMO / entry["mapping"])
    assert run.read == run.loaded + len(run.rejects)
    assert (run.read, run.loaded, len(run.rejects), run.filtered) == (
        entry["read"], entry["loaded"], entry["rejected"], entry["filtered"]
    )  # fmt: skip
    assert [no for no, _ in run.rejects] == [r["record_no"] for r in entry["rejects"]]
    assert entry["rejected"] >= 1, "each file demonstrates at least one reject"


def test_roxanne_example_maps_every_line() -> None:
    speakers = dry_run(DEMO / "roxanne" / "speakers.yaml")
    calls = dry_run(DEMO / "roxanne" / "calls.yaml")
    assert (speakers.read, speakers.loaded, speakers.filtered) == (33, 33, 38)
    assert (calls.read, calls.loaded, calls.filtered) == (38, 38, 33)
    assert not speakers.rejects
    assert not calls.rejects
    # Every speaker named in a call is a speaker node: the two mappings share ids.
    called = {end for _, source, target in calls.rels for end in (source, target)}
    assert called <= speakers.nodes
    assert {rel_type for rel_type, _, _ in calls.rels} == {"ASSOCIATED_WITH"}


def test_truth_person_ids_are_the_ids_linkgraph_makes() -> None:
    nodes, _ = all_facts()
    groups = [n["name"] for n in TRUTH["networks"]]
    assert len(groups) == 3
    for network in TRUTH["networks"]:
        assert 6 <= len(network["members"]) <= 15
        for member in network["members"]:
            assert member["person_ids"], member["key"]
    for group in [*groups, "broker"]:
        missing = person_ids(group) - nodes
        assert not missing, f"{group}: {sorted(missing)}"
    assert TRUTH["background"]["people"] >= 250


def test_only_the_planted_hub_reaches_the_hub_threshold() -> None:
    _, rels = all_facts()
    people: dict[str, set[str]] = defaultdict(set)
    for rel_type, source, target in rels:
        if rel_type in PERSON_LINKS and source.startswith("Person:"):
            people[target].add(source)
    threshold = HubPolicy().min_people
    hubs = {node: len(who) for node, who in people.items() if len(who) >= threshold}
    hub = f"{TRUTH['hub']['label']}:{TRUTH['hub']['id']}"
    assert hubs == {hub: TRUTH["hub"]["people"]}
    assert TRUTH["hub"]["people"] >= 15
    assert people[hub] == {f"Person:{pid}" for pid in TRUTH["hub"]["person_ids"]}


def test_networks_hang_together_and_only_the_broker_joins_two() -> None:
    _, rels = all_facts()
    hub = f"{TRUTH['hub']['label']}:{TRUTH['hub']['id']}"
    ring, cell, money, broker = (person_ids(g) for g in (
        "recruitment_ring", "transport_cell", "money_cell", "broker"))  # fmt: skip
    # Without the hub, each network (all its members' Person nodes) is one component;
    # the broker joins the recruitment ring and the money cell; the transport cell
    # stands alone.
    comp = components(rels, {hub})
    for group in (ring, cell, money, broker):
        assert len({comp[p] for p in group}) == 1
    assert comp[next(iter(ring))] == comp[next(iter(money))] == comp[next(iter(broker))]
    assert comp[next(iter(cell))] != comp[next(iter(ring))]
    # Take the broker (and the phones, accounts and wallets he uses) away: the ring and
    # the money cell fall apart.
    his = {t for rel_type, s, t in rels if s in broker and rel_type in PERSON_LINKS}
    comp = components(rels, {hub} | broker | his)
    assert {comp[p] for p in ring}.isdisjoint({comp[p] for p in money})
    for group in (ring, money):
        assert len({comp[p] for p in group}) == 1


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(DEMO / "generate.py"), "--out", str(tmp_path)],
        check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip
    generated = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    committed = {p.name: p.read_bytes() for p in DATA.iterdir()}
    assert sorted(generated) == sorted(committed)
    for name, data in committed.items():
        assert generated[name] == data, f"{name} differs from the generator's output"
    assert sum(len(data) for data in committed.values()) < 2_000_000
