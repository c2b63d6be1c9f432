"""Model version 3 on the real Neo4j: a graph written when document numbers kept their
separators is re-keyed to exactly the graph a load gives now."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from core.settings import Settings
from graph_schema import rekey
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from graph_schema.rekey import MIGRATION_ACTOR
from ingest.loader import Loader
from ingest.provenance import explain
from tests.test_mapping_expressions import docs_examples

pytestmark = pytest.mark.neo4j

KYC = """\
dataset: kyc
source: {format: csv, path: kyc.csv}
record_id: id
entities:
  customer:
    label: Person
    key: {document: doc, document_type: {literal: nid}, country: {literal: PH}}
  phone: {label: Phone, key: {number: phone}}
relationships:
  - {type: USES, from: customer, to: phone}
"""
KYC_CSV = "id,doc,phone\n1,1119-5106-0496-9855,+639171234567\n2,1119510604969855,+639171234567\n"
ASSOC = """\
dataset: assoc
source: {format: csv, path: assoc.csv}
record_id: id
entities:
  a: {label: Person, key: {document: a, document_type: {literal: nid}, country: {literal: PH}}}
  b: {label: Person, key: {document: b, document_type: {literal: nid}, country: {literal: PH}}}
relationships:
  - type: ASSOCIATED_WITH
    from: a
    to: b
    properties: {relation: {literal: family}}
"""
ASSOC_CSV = "id,a,b\n1,1119-5106-0496-9855,1119.0\n"

DASHED, PLAIN = "nid:PH:1119-5106-0496-9855", "nid:PH:1119510604969855"
SHORT_DOTTED = "nid:PH:1119.0"
SEP = "\x1f"

# What the two files above gave before version 3: the dashed and the plain number were
# two Person nodes, and the association ran from the dashed id (lower then) onwards.
VERSION_2_GRAPH = f"""
CREATE (d:Person {{id: '{DASHED}', ref: '{DASHED}', record_count: 2, datasets: ['kyc', 'assoc']}})
CREATE (p:Person {{id: '{PLAIN}', ref: '{PLAIN}', record_count: 1, datasets: ['kyc']}})
CREATE (s:Person {{id: '{SHORT_DOTTED}', ref: '{SHORT_DOTTED}', record_count: 1,
                   datasets: ['assoc']}})
CREATE (f:Phone {{id: '+639171234567', e164: '+639171234567', country: 'PH', hub: false,
                  record_count: 2, datasets: ['kyc']}})
CREATE (d)-[:USES {{record_count: 1, datasets: ['kyc']}}]->(f)
CREATE (p)-[:USES {{record_count: 1, datasets: ['kyc']}}]->(f)
CREATE (d)-[:ASSOCIATED_WITH {{relation: 'family', record_count: 1, datasets: ['assoc']}}]->(s)
WITH 1 AS one
UNWIND [
  ['Person:{DASHED}', 'kyc:1'], ['Phone:+639171234567', 'kyc:1'],
  ['USES:{DASHED}->+639171234567', 'kyc:1'],
  ['Person:{PLAIN}', 'kyc:2'], ['Phone:+639171234567', 'kyc:2'],
  ['USES:{PLAIN}->+639171234567', 'kyc:2'],
  ['Person:{DASHED}', 'assoc:1'], ['Person:{SHORT_DOTTED}', 'assoc:1'],
  ['ASSOCIATED_WITH:{DASHED}->{SHORT_DOTTED}[family]', 'assoc:1']
] AS e
CREATE (:Evidence {{id: e[0] + '{SEP}' + e[1], record: e[1], run: 'old', record_no: 1}})
"""


def _files(tmp_path: Path) -> list[Path]:
    (tmp_path / "kyc.csv").write_text(KYC_CSV)
    (tmp_path / "assoc.csv").write_text(ASSOC_CSV)
    (tmp_path / "kyc.yaml").write_text(KYC)
    (tmp_path / "assoc.yaml").write_text(ASSOC)
    return [tmp_path / "kyc.yaml", tmp_path / "assoc.yaml"]


def _snapshot(driver: Driver) -> dict[str, Any]:
    """What a load decides: node ids and provenance, relationships, Evidence ids."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n:Person|Phone) RETURN labels(n)[0] AS label, n.id AS id, "
        "n.record_count AS count, n.datasets AS datasets ORDER BY id"
    )
    rels, _, _ = driver.execute_query(
        "MATCH (a:Person)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, "
        "r.relation AS relation, r.record_count AS count, r.datasets AS datasets ORDER BY a, b"
    )
    evidence, _, _ = driver.execute_query("MATCH (e:Evidence) RETURN e.id AS id ORDER BY id")
    return {
        "nodes": [(r["label"], r["id"], r["count"], sorted(r["datasets"])) for r in nodes],
        "rels": [
            (r["type"], r["a"], r["b"], r["relation"], r["count"], sorted(r["datasets"]))
            for r in rels
        ],
        "evidence": [r["id"] for r in evidence],
    }


def _crash(*args: object) -> None:
    raise RuntimeError("killed")


def test_version_2_documents_are_rekeyed_to_what_a_load_gives(
    empty_graph: Driver, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = settings.neo4j_database
    model = load_model()
    mappings = _files(tmp_path)

    # The graph the files give today, loaded into an empty database.
    apply_schema(empty_graph, model, db)
    loader = Loader(empty_graph, model, db)
    for mapping in mappings:
        loader.load(mapping, rejects_dir=tmp_path / "rejects")
    loaded = _snapshot(empty_graph)
    assert [n[1] for n in loaded["nodes"]] == ["+639171234567", "nid:PH:11190", PLAIN]

    # The same records as version 2 stored them, with an analyst's work on top.
    empty_graph.execute_query("MATCH (n) DETACH DELETE n")
    empty_graph.execute_query(VERSION_2_GRAPH)
    empty_graph.execute_query(
        "MERGE (v:GraphSchema) SET v.version = 2 "
        f"CREATE (:Judgement {{id: 'j1', judgement_id: 'j1', a: '{DASHED}', b: '{PLAIN}', "
        "verdict: 'different', by: 'ana'}) "
        f"CREATE (:Judgement {{id: 'j2', judgement_id: 'j2', a: '{DASHED}', b: 'tip:9', "
        "verdict: 'same', by: 'ana'}) "
        f"CREATE (:MatchCandidate {{id: '{DASHED} ~ tip:9', a: '{DASHED}', b: 'tip:9'}}) "
        f"CREATE (:Identity {{id: 'i1', identity_id: 'i1', members: ['{DASHED}', 'tip:9'], "
        f'links: \'[{{"a": "{DASHED}", "b": "tip:9"}}]\'}}) '
        f"CREATE (:WatchEntry {{id: 'Person:{DASHED}', kind: 'person', label: 'Person', "
        f"node_id: '{DASHED}', reason: 'wanted'}})"
    )
    # The process dies after the nodes took their new ids, before the last step: the
    # model version is not recorded, so the next apply runs the migration again.
    with monkeypatch.context() as patch:
        patch.setattr(rekey, "_order_undirected", _crash)
        with pytest.raises(RuntimeError, match="killed"):
            apply_schema(empty_graph, model, db)
    result = apply_schema(empty_graph, model, db)
    assert any("document numbers" in m for m in result.migrated)
    assert _snapshot(empty_graph) == loaded

    # A reload of every file finds each record's facts already there: nothing changes.
    for mapping in mappings:
        summary = loader.load(mapping, rejects_dir=tmp_path / "rejects")
        assert summary.records_rejected == 0
    assert _snapshot(empty_graph) == loaded
    total, _ = explain(empty_graph, f"Person:{PLAIN}", db)
    assert total == 3  # kyc:1, kyc:2 and assoc:1, whichever way each wrote the number

    rows, _, _ = empty_graph.execute_query(
        "MATCH (j:Judgement) RETURN j.id AS id, j.a AS a, j.b AS b, j.undone_by AS undone "
        "ORDER BY id"
    )
    # Two records judged different are one node now: the judgement is undone, kept.
    assert [(r["a"], r["b"], r["undone"]) for r in rows] == [
        (PLAIN, PLAIN, MIGRATION_ACTOR),
        (PLAIN, "tip:9", None),
    ]
    rows, _, _ = empty_graph.execute_query(
        "MATCH (c:MatchCandidate) RETURN c.id AS id "
        "UNION ALL MATCH (i:Identity) RETURN i.links + ' ' + i.members[0] AS id "
        "UNION ALL MATCH (w:WatchEntry) RETURN w.id + ' ' + w.node_id AS id"
    )
    assert [r["id"] for r in rows] == [
        f"{PLAIN} ~ tip:9",
        f'[{{"a": "{PLAIN}", "b": "tip:9"}}] {PLAIN}',
        f"Person:{PLAIN} {PLAIN}",
    ]
    # Recorded as version 3: applying again migrates nothing.
    assert apply_schema(empty_graph, model, db).migrated == []


def test_references_named_like_documents_are_left_alone(
    empty_graph: Driver, settings: Settings
) -> None:
    db = settings.neo4j_database
    model = load_model()
    apply_schema(empty_graph, model, db)
    # `seized:AB:1-2` is the reference `AB:1-2` of dataset `seized`, not a document.
    empty_graph.execute_query(
        "MATCH (v:GraphSchema) SET v.version = 2 "
        "CREATE (:IngestRun {id: 'r1', dataset: 'seized'}) "
        "CREATE (:Person {id: 'seized:AB:1-2', ref: 'seized:AB:1-2'}) "
        "CREATE (:Person {id: 'passport:TH:AA-123', ref: 'passport:TH:AA-123'})"
    )
    apply_schema(empty_graph, model, db)
    rows, _, _ = empty_graph.execute_query("MATCH (p:Person) RETURN p.id AS id ORDER BY id")
    assert [r["id"] for r in rows] == ["passport:TH:AA123", "seized:AB:1-2"]


def test_the_documents_example_loads_one_person(
    empty_graph: Driver, settings: Settings, tmp_path: Path
) -> None:
    db = settings.neo4j_database
    model = load_model()
    apply_schema(empty_graph, model, db)
    files = docs_examples(tmp_path / "docs")
    summary = Loader(empty_graph, model, db).load(
        files["documents.yaml"], rejects_dir=tmp_path / "rejects"
    )
    assert (summary.records_read, summary.records_loaded, summary.records_rejected) == (3, 2, 1)
    assert summary.rejects_file is not None
    [reject] = [json.loads(line) for line in Path(summary.rejects_file).read_text().splitlines()]
    assert (reject["record_no"], reject["field"]) == (3, "doc_no")
    assert "a document number has digits: this is a placeholder" in reject["reason"]
    rows, _, _ = empty_graph.execute_query(
        "MATCH (p:Person) RETURN p.id AS id, p.record_count AS n", database_=db
    )
    assert [(r["id"], r["n"]) for r in rows] == [("nid:PH:1119510604969855", 2)]
