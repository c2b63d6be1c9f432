"""Ingest against the real Neo4j: counts, rejects, aggregation, idempotency, provenance."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from ingest.check import check_file
from ingest.hubs import HubPolicy
from ingest.loader import Loader
from ingest.provenance import explain
from ingest.runs import list_runs
from ingest.writer import BatchWriter
from linkgraph.cli import main
from tests.conftest import wipe
from tests.ingest_fixtures import graph_dump, write_fixtures

pytestmark = pytest.mark.neo4j


@pytest.fixture
def loader(empty_graph: Driver, settings: Settings) -> Loader:
    """A loader on an empty database with the schema applied."""
    model = load_model()
    apply_schema(empty_graph, model, settings.neo4j_database)
    return Loader(empty_graph, model, settings.neo4j_database, batch_size=2)


@pytest.fixture
def mappings(tmp_path: Path) -> dict[str, Path]:
    """The fixture sources and their mappings."""
    return write_fixtures(tmp_path / "sources")


def test_counts_add_up_and_rejects_keep_record_and_reason(
    loader: Loader, mappings: dict[str, Path], tmp_path: Path
) -> None:
    summary = loader.load(mappings["subscribers"], rejects_dir=tmp_path / "rejects")
    assert summary.status == "completed"
    assert (summary.records_read, summary.records_loaded, summary.records_rejected) == (6, 4, 2)
    assert summary.records_read == summary.records_loaded + summary.records_rejected
    assert summary.rejects_file is not None
    rejects = [json.loads(line) for line in Path(summary.rejects_file).read_text().splitlines()]
    assert [(r["record_no"], r["field"]) for r in rejects] == [(4, "msisdn"), (5, "activated")]
    assert "too short" in rejects[0]["reason"]
    assert rejects[0]["record"]["full_name"] == "Bad Number"  # the raw record, unchanged
    assert "31/02/2024" in rejects[1]["record"]["activated"]
    assert "read 6 = loaded 4 + rejected 2" in summary.describe()

    rows, _, _ = loader.driver.execute_query(
        "MATCH (p:Person)-[u:USES]->(f:Phone) RETURN p.id AS p, p.name AS name, "
        "p.name_key AS key, p.nationality AS nat, f.id AS phone, f.country AS country, "
        "u.role AS role ORDER BY p"
    )
    assert [(r["p"], r["phone"]) for r in rows] == [
        ("vn_telco:S1", "+84912345678"),
        ("vn_telco:S2", "+84912345679"),
        ("vn_telco:S3", "+639171234567"),
        ("vn_telco:S6", "+84912345681"),
    ]
    assert rows[0]["name"] == "Nguyễn Văn An"  # NFKC, spacing collapsed, case kept
    assert rows[0]["key"] == "nguyễn văn an"
    assert rows[2]["country"] == "PH"
    assert rows[2]["nat"] == "PH"
    assert {r["role"] for r in rows} == {"subscriber"}

    runs = list_runs(loader.driver, loader.model, loader.database)
    assert runs[0]["status"] == "completed"
    assert (runs[0]["records_read"], runs[0]["records_rejected"]) == (6, 2)
    assert len(runs[0]["checksum"]) == 64


def test_repeats_aggregate_or_stay_separate_as_the_model_says(
    loader: Loader, mappings: dict[str, Path], tmp_path: Path
) -> None:
    loader.load(mappings["calls"], rejects_dir=tmp_path)
    rows, _, _ = loader.driver.execute_query(
        "MATCH (a:Phone)-[c:CALLED]->(b:Phone) RETURN a.id AS a, b.id AS b, "
        "c.record_count AS n, c.duration_s AS d, toString(c.first_seen) AS first, "
        "toString(c.last_seen) AS last ORDER BY a"
    )
    assert [(r["a"], r["b"], r["n"], r["d"]) for r in rows] == [
        ("+84912345678", "+639171234567", 3, 195),  # three calls, local and 00 formats
        ("+84912345679", "+84912345678", 1, 5),
    ]
    assert rows[0]["first"].startswith("2024-03-05T03:00:00")  # +07:00 -> UTC
    assert rows[0]["last"].startswith("2024-03-08T06:00:00")

    summary = loader.load(mappings["transfers"], rejects_dir=tmp_path)
    assert (summary.records_loaded, summary.records_rejected) == (2, 1)  # bad EIP-55 case
    transfers, _, _ = loader.driver.execute_query(
        "MATCH (:Wallet)-[t:TRANSFERRED]->(:Wallet) RETURN t.tx_id AS tx, t.amount AS amount, "
        "t.asset AS asset, t.record_count AS n ORDER BY tx"
    )
    assert [(t["tx"], t["amount"], t["asset"], t["n"]) for t in transfers] == [
        ("0xaaa", 1.5, "ETH", 1),
        ("0xbbb", 2.0, "ETH", 1),
    ]
    wallets, _, _ = loader.driver.execute_query("MATCH (w:Wallet) RETURN w.id AS id ORDER BY id")
    assert [w["id"] for w in wallets] == [
        "eth:0x52908400098527886e0f7030069857d2e4169ee7",
        "eth:0x8617e340b3d01fa5f11f306f4090fd50e238070d",
    ]


def test_loading_twice_changes_nothing(
    loader: Loader, mappings: dict[str, Path], tmp_path: Path
) -> None:
    for name in ("subscribers", "calls", "transfers", "ftm"):
        loader.load(mappings[name], rejects_dir=tmp_path)
    first = graph_dump(loader.driver)
    for name in ("subscribers", "calls", "transfers", "ftm"):
        again = loader.load(mappings[name], rejects_dir=tmp_path)
        assert again.status == "completed"
    assert graph_dump(loader.driver) == first
    runs = list_runs(loader.driver, loader.model, loader.database)
    assert len(runs) == 8


def test_loading_twice_without_the_schema_changes_nothing(
    empty_graph: Driver, settings: Settings, mappings: dict[str, Path], tmp_path: Path
) -> None:
    # No unique constraint on Evidence.id to refuse a duplicate: every batch must look first.
    model = load_model()
    loader = Loader(empty_graph, model, settings.neo4j_database, batch_size=2)
    assert _checks_first(loader)
    loader.load(mappings["calls"], rejects_dir=tmp_path)
    first = graph_dump(empty_graph)
    loader.load(mappings["calls"], rejects_dir=tmp_path)
    assert graph_dump(empty_graph) == first
    # With the schema applied, a first load creates Evidence without looking.
    apply_schema(empty_graph, model, settings.neo4j_database)
    assert not _checks_first(loader)


def _checks_first(loader: Loader) -> bool:
    """Whether a new load's first batch would look up its Evidence ids before creating them."""
    params = {"dataset": "d", "file": "f", "run": "r"}
    writer = BatchWriter(loader.driver, loader.model, loader.database, params)
    writer.close()
    return writer.checking


def test_sources_merge_on_shared_identifiers(
    loader: Loader, mappings: dict[str, Path], tmp_path: Path
) -> None:
    loader.load(mappings["subscribers"], rejects_dir=tmp_path)
    loader.load(mappings["calls"], rejects_dir=tmp_path)
    rows, _, _ = loader.driver.execute_query(
        "MATCH (f:Phone {id: '+84912345678'}) RETURN f.record_count AS n, f.datasets AS ds"
    )
    # One subscriber record plus four call records name this phone.
    assert rows[0]["n"] == 5
    assert sorted(rows[0]["ds"]) == ["vn_cdr", "vn_telco"]


def test_explain_lists_the_records_behind_a_node_and_an_edge(
    loader: Loader, mappings: dict[str, Path], tmp_path: Path
) -> None:
    loader.load(mappings["subscribers"], rejects_dir=tmp_path)
    loader.load(mappings["calls"], rejects_dir=tmp_path)
    total, rows = explain(loader.driver, "Phone:+639171234567", loader.database)
    assert total == 4
    assert [(r.dataset, r.file, r.record_no) for r in rows] == [
        ("vn_telco", "subscribers.csv", 3),
        ("vn_cdr", "calls.csv", 1),
        ("vn_cdr", "calls.csv", 2),
        ("vn_cdr", "calls.csv", 4),
    ]
    total, rows = explain(
        loader.driver, "CALLED:+84912345678->+639171234567", loader.database, limit=2
    )
    assert total == 3
    assert [r.record for r in rows] == ["vn_cdr:C1", "vn_cdr:C2"]
    assert explain(loader.driver, "Phone:+10000000000", loader.database) == (0, [])
    # A fact's name that begins another's finds only its own records.
    assert explain(loader.driver, "Phone:+63917123456", loader.database) == (0, [])


def test_ftm_entities_and_where_filter(
    loader: Loader, mappings: dict[str, Path], tmp_path: Path
) -> None:
    summary = loader.load(mappings["ftm"], rejects_dir=tmp_path)
    assert (summary.records_read, summary.records_loaded, summary.records_filtered) == (2, 2, 1)
    rows, _, _ = loader.driver.execute_query(
        "MATCH (p:Person) RETURN p.id AS id, p.nationality AS nat ORDER BY id"
    )
    assert [(r["id"], r["nat"]) for r in rows] == [
        ("ftm_people:p-1", "TH"),
        ("ftm_people:p-2", "PH"),
    ]


def test_dry_run_writes_nothing(loader: Loader, mappings: dict[str, Path], tmp_path: Path) -> None:
    summary = check_file(mappings["subscribers"], loader.model, rejects_dir=tmp_path).summary
    assert (summary.records_loaded, summary.records_rejected) == (4, 2)
    rows, _, _ = loader.driver.execute_query("MATCH (n) RETURN count(n) AS n")
    assert rows[0]["n"] == 1  # the schema version node only


def test_undirected_links_are_stored_once(loader: Loader, tmp_path: Path) -> None:
    (tmp_path / "assoc.csv").write_text(
        "id,a,b,rel\n1,P1,P2,family\n2,P2,P1,family\n3,P1,P2,meeting\n"
    )
    (tmp_path / "assoc.yaml").write_text(
        "dataset: kin\nsource: {format: csv, path: assoc.csv}\nrecord_id: id\n"
        "entities:\n  a: {label: Person, key: {ref: a}}\n  b: {label: Person, key: {ref: b}}\n"
        "relationships:\n  - {type: ASSOCIATED_WITH, from: a, to: b, "
        "properties: {relation: rel}}\n"
    )
    loader.load(tmp_path / "assoc.yaml", rejects_dir=tmp_path)
    rows, _, _ = loader.driver.execute_query(
        "MATCH (a)-[r:ASSOCIATED_WITH]->(b) RETURN a.id AS a, b.id AS b, r.relation AS rel, "
        "r.record_count AS n ORDER BY rel"
    )
    assert [(r["a"], r["b"], r["rel"], r["n"]) for r in rows] == [
        ("kin:P1", "kin:P2", "family", 2),
        ("kin:P1", "kin:P2", "meeting", 1),
    ]


def _hub_file(tmp_path: Path, name: str, people: dict[str, str]) -> Path:
    """A subscriber list linking each person id to a phone, and its mapping."""
    lines = ["id,phone"] + [f"{person},{phone}" for person, phone in people.items()]
    (tmp_path / f"{name}.csv").write_text("\n".join(lines) + "\n")
    mapping = tmp_path / f"{name}.yaml"
    mapping.write_text(
        f"dataset: hubs\nsource: {{format: csv, path: {name}.csv}}\nrecord_id: id\n"
        "defaults: {region: VN}\nentities:\n  p: {label: Person, key: {ref: id}}\n"
        "  f: {label: Phone, key: {number: phone}}\n"
        "relationships:\n  - {type: USES, from: p, to: f}\n"
    )
    return mapping


def _phone_flags(driver: Driver) -> list[tuple[str, bool | None, str | None]]:
    rows, _, _ = driver.execute_query(
        "MATCH (f:Phone) RETURN f.id AS id, f.hub AS hub, f.hub_reason AS why ORDER BY id"
    )
    return [(r["id"], r["hub"], r["why"]) for r in rows]


SHELTER, FAMILY = "+84912000111", "+84912000222"


def test_hub_policy_flags_a_shared_phone(loader: Loader, tmp_path: Path) -> None:
    people = {f"S{i}": "0912000111" for i in range(13)}  # a shelter's phone: 13 people
    people |= {"T1": "0912000222", "T2": "0912000222"}  # a family phone: 2 people
    mapping = _hub_file(tmp_path, "subs", people)
    # Batches of 2 records: the shelter's phone crosses the threshold in a later batch.
    summary = loader.load(mapping, rejects_dir=tmp_path)
    assert (summary.hubs_flagged, summary.hubs_cleared) == (1, 0)
    assert _phone_flags(loader.driver) == [
        (SHELTER, True, "linked to 13 people (hub policy: >= 12)"),
        (FAMILY, False, None),
    ]
    run = list_runs(loader.driver, loader.model, loader.database)[0]
    assert (run["hubs_flagged"], run["hubs_cleared"]) == (1, 0)
    assert "1 flagged, 0 no longer hubs" in summary.describe()

    # A stricter policy checks the whole graph again, files it does not touch included.
    strict = Loader(loader.driver, loader.model, loader.database, hub_policy=HubPolicy(20))
    other = _hub_file(tmp_path, "other", {"U1": "0912000333"})
    again = strict.load(other, rejects_dir=tmp_path)
    assert (again.hubs_flagged, again.hubs_cleared) == (0, 1)
    assert _phone_flags(loader.driver)[0] == (SHELTER, False, None)


def test_a_load_checks_only_the_identifiers_it_links_people_to(
    loader: Loader, tmp_path: Path
) -> None:
    people = {f"S{i}": "0912000111" for i in range(12)} | {"T1": "0912000222"}
    loader.load(_hub_file(tmp_path, "subs", people), rejects_dir=tmp_path)
    # A flag out of step with the policy, on a phone the next file does not touch.
    loader.driver.execute_query("MATCH (f:Phone {id: $id}) SET f.hub = true", id=FAMILY)

    summary = loader.load(_hub_file(tmp_path, "more", {"S99": "0912000111"}), rejects_dir=tmp_path)
    assert (summary.hubs_flagged, summary.hubs_cleared) == (0, 0)
    assert _phone_flags(loader.driver) == [
        (SHELTER, True, "linked to 13 people (hub policy: >= 12)"),  # touched: counted again
        (FAMILY, True, None),  # untouched: not looked at
    ]
    # `linkgraph hubs` checks every identifier.
    result = CliRunner().invoke(main, ["hubs"])
    assert result.exit_code == 0, result.output
    assert "0 flagged, 1 no longer hubs" in result.output
    assert _phone_flags(loader.driver)[1] == (FAMILY, False, None)


def test_a_graph_without_a_recorded_policy_is_checked_whole(loader: Loader, tmp_path: Path) -> None:
    people = {f"S{i}": "0912000111" for i in range(12)} | {"T1": "0912000222"}
    loader.load(_hub_file(tmp_path, "subs", people), rejects_dir=tmp_path)
    # As a graph flagged before its policy was recorded: no HubPolicy node.
    loader.driver.execute_query("MATCH (h:HubPolicy) DELETE h")
    loader.driver.execute_query("MATCH (f:Phone {id: $id}) SET f.hub = true", id=FAMILY)

    summary = loader.load(_hub_file(tmp_path, "more", {"U1": "0912000333"}), rejects_dir=tmp_path)
    assert (summary.hubs_flagged, summary.hubs_cleared) == (0, 1)
    assert _phone_flags(loader.driver)[1] == (FAMILY, False, None)
    rows, _, _ = loader.driver.execute_query("MATCH (h:HubPolicy) RETURN h.min_people AS n")
    assert [r["n"] for r in rows] == [loader.hub_policy.min_people]


def test_an_identifier_no_person_links_to_is_no_hub(loader: Loader, tmp_path: Path) -> None:
    # Call records link phones to phones only: no batch checks them against the policy.
    rows = ["call_id,caller,callee", "C1,0912345678,0912345679"]
    loader.load(_calls_file(tmp_path, "cdr", rows), rejects_dir=tmp_path)
    assert [(hub, why) for _, hub, why in _phone_flags(loader.driver)] == [(False, None)] * 2


def _calls_file(tmp_path: Path, dataset: str, lines: list[str], *, timed: bool = False) -> Path:
    """Call records (header first) and their mapping: caller, callee and, when `timed`,
    a start time and a duration."""
    (tmp_path / "calls.csv").write_text("\n".join(lines) + "\n")
    time = "time: {column: started, format: '%Y-%m-%d %H:%M'}\n" if timed else ""
    properties = ", properties: {duration_s: duration}" if timed else ""
    mapping = tmp_path / "calls.yaml"
    mapping.write_text(
        f"dataset: {dataset}\nsource: {{format: csv, path: calls.csv}}\nrecord_id: call_id\n"
        f"{time}defaults: {{region: VN}}\nentities:\n"
        "  a: {label: Phone, key: {number: caller}}\n  b: {label: Phone, key: {number: callee}}\n"
        f"relationships:\n  - {{type: CALLED, from: a, to: b{properties}}}\n"
    )
    return mapping


def test_a_record_repeated_later_in_the_file_counts_once(loader: Loader, tmp_path: Path) -> None:
    # Batches of 2 records: the repeat of C1 lands in a later transaction of the same run.
    rows = ["call_id,caller,callee"] + [f"C{i},0912345678,0912345679" for i in (1, 2, 3, 4, 1)]
    summary = loader.load(_calls_file(tmp_path, "dup", rows), rejects_dir=tmp_path)
    assert summary.records_loaded == 5
    rows_, _, _ = loader.driver.execute_query(
        "MATCH (:Phone)-[c:CALLED]->(:Phone) RETURN c.record_count AS n"
    )
    assert [r["n"] for r in rows_] == [4]  # C1..C4: the repeat of C1 is the same record


def test_parallel_writers_build_the_graph_one_writer_builds(
    loader: Loader, settings: Settings, tmp_path: Path
) -> None:
    # Every batch of 4 records touches the same few phones and people: concurrent
    # transactions meet on the same nodes and relationships, and on a hub crossing
    # its threshold.
    calls = ["call_id,caller,callee,started,duration"]
    calls += [
        f"C{i},09120001{i % 5:02d},09120002{i % 3:02d},2024-03-{1 + i % 28:02d} 10:{i % 60:02d},{i}"
        for i in range(240)
    ]
    calls_mapping = _calls_file(tmp_path, "busy", calls, timed=True)
    people = _hub_file(tmp_path, "subs", {f"S{i}": "0912000111" for i in range(40)})

    def build(writers: int) -> list[str]:
        wipe(loader.driver, settings.neo4j_database)
        apply_schema(loader.driver, loader.model, settings.neo4j_database)
        parallel = Loader(loader.driver, loader.model, loader.database, 4, writers=writers)
        for mapping in (calls_mapping, people):
            summary = parallel.load(mapping, rejects_dir=tmp_path)
            assert summary.status == "completed"
        return graph_dump(loader.driver)

    serial = build(1)
    assert any("linked to 40 people" in line for line in serial)
    for _ in range(3):
        assert build(3) == serial
        # No increment lost: every record counted once, every duration summed once.
        rows, _, _ = loader.driver.execute_query(
            "MATCH ()-[c:CALLED]->() RETURN count(c) AS pairs, sum(c.record_count) AS records, "
            "sum(c.duration_s) AS seconds"
        )
        assert (rows[0]["pairs"], rows[0]["records"], rows[0]["seconds"]) == (15, 240, 28680)
