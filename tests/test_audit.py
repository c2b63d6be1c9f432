"""The hash-chained audit log: concurrent appends, tampering detected where it happened, search."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from api.audit import ENTITY_CAP, AuditError, AuditLog, Channel, Outcome
from api.audit_chain import record_hash
from api.keys import Principal
from api.roles import Role
from core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ANA = Principal("a1b2c3d4e5f60718", "Ana", Role.ANALYST)
BEN = Principal("0f1e2d3c4b5a6978", "Ben", Role.VIEWER)

# One appender process: THREADS threads, each appending EACH records.
APPENDER = """
import sys, threading
from pathlib import Path
from api.audit import AuditLog, Channel
log = AuditLog(Path(sys.argv[1]))
tag, threads, each = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def work(t):
    for i in range(each):
        log.append(channel=Channel.REST, operation="GET /x", variables={"w": f"{tag}-{t}-{i}"})
workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
for w in workers: w.start()
for w in workers: w.join()
"""


def _fill(log: AuditLog, count: int) -> None:
    for i in range(1, count + 1):
        log.append(
            channel=Channel.GRAPHQL,
            operation="neighbourhood",
            who=(ANA, BEN, None)[i % 3],
            query="query N($id: ID!) { neighbourhood(id: $id) { nodes { id } } }",
            variables={"id": f"Phone:+6391700000{i:02d}", "depth": 2},
            entities=[f"+6391700000{i:02d}", "person:shared"],
            duration_ms=1.5 * i,
        )


@pytest.fixture
def log(tmp_path: Path) -> AuditLog:
    made = AuditLog(tmp_path / "audit" / "audit.jsonl")
    _fill(made, 20)
    return made


def _lines(log: AuditLog) -> list[str]:
    return log.path.read_text().splitlines(keepends=True)


def _write(log: AuditLog, lines: list[str]) -> None:
    log.path.write_text("".join(lines))


def test_appends_from_threads_and_processes_make_one_intact_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    threads, each, processes = 4, 60, 3
    children = [
        subprocess.Popen(
            [sys.executable, "-c", APPENDER, str(path), f"p{n}", str(threads), str(each)],
            cwd=ROOT,
        )
        for n in range(processes)
    ]
    log = AuditLog(path)

    def work(t: int) -> None:
        for i in range(each):
            log.append(channel=Channel.REST, operation="GET /x", variables={"w": f"main-{t}-{i}"})

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [child.wait(timeout=300) for child in children] == [0] * processes

    total = (processes + 1) * threads * each
    result = log.verify()
    assert result.ok, result.describe()
    assert result.records == total
    assert result.last_seq == total
    records = [json.loads(line) for line in _lines(log)]
    assert [r["seq"] for r in records] == list(range(1, total + 1))
    written = sorted(r["variables"]["w"] for r in records)
    expected = sorted(
        f"{tag}-{t}-{i}"
        for tag in ["main", *(f"p{n}" for n in range(processes))]
        for t in range(threads)
        for i in range(each)
    )
    assert written == expected  # every append landed once, none lost or doubled
    assert log.head() == (total, records[-1]["hash"])


def test_an_intact_log_verifies_and_records_what_was_asked(log: AuditLog) -> None:
    result = log.verify()
    assert result.ok
    assert (result.records, result.last_seq) == (20, 20)
    first = json.loads(_lines(log)[0])
    assert first["prev_hash"] == "0" * 64
    assert first["who"] == {"key_id": BEN.key_id, "name": "Ben", "role": "viewer"}
    assert first["channel"] == "graphql"
    assert first["operation"] == "neighbourhood"
    assert len(first["query_sha256"]) == 64
    assert "neighbourhood(id" not in _lines(log)[0]  # the query's hash, not its text
    assert first["entities"] == ["+639170000001", "person:shared"]
    assert first["outcome"] == "ok"
    assert dt.datetime.fromisoformat(first["time"]).tzinfo is not None
    assert log.path.stat().st_mode & 0o777 == 0o600


def test_an_edited_record_is_found(log: AuditLog) -> None:
    lines = _lines(log)
    lines[6] = lines[6].replace("+639170000007", "+639170000099")
    _write(log, lines)
    result = log.verify()
    assert not result.ok
    assert result.problem is not None
    assert (result.problem.kind, result.problem.line, result.problem.seq) == ("edited", 7, 7)


def test_an_edited_and_rehashed_record_is_found(log: AuditLog) -> None:
    lines = _lines(log)
    record = json.loads(lines[6])
    record["who"] = "anonymous"
    record["hash"] = record_hash(record)
    lines[6] = json.dumps(record) + "\n"
    _write(log, lines)
    problem = log.verify().problem
    assert problem is not None
    assert (problem.kind, problem.line, problem.seq) == ("edited", 7, 7)
    assert "re-hashed" in problem.detail


def test_a_removed_middle_record_is_found(log: AuditLog) -> None:
    lines = _lines(log)
    del lines[9]  # seq 10
    _write(log, lines)
    problem = log.verify().problem
    assert problem is not None
    assert (problem.kind, problem.line, problem.seq) == ("removed", 10, 11)
    assert "seq 10 missing" in problem.detail


def test_swapped_records_are_found(log: AuditLog) -> None:
    lines = _lines(log)
    lines[4], lines[5] = lines[5], lines[4]  # seq 5 and 6
    _write(log, lines)
    problem = log.verify().problem
    assert problem is not None
    assert (problem.kind, problem.line, problem.seq) == ("reordered", 5, 6)


def test_records_cut_from_the_end_are_found(log: AuditLog) -> None:
    _write(log, _lines(log)[:17])
    result = log.verify()
    assert result.problem is not None
    assert result.problem.kind == "truncated"
    assert (result.problem.line, result.problem.seq) == (17, 17)
    assert "ends at seq 17 but seq 20 was written: 3 record(s) removed" in result.problem.detail


def test_a_record_cut_mid_write_is_found_and_blocks_appends(log: AuditLog) -> None:
    lines = _lines(log)
    lines[-1] = lines[-1][:40]
    _write(log, lines)
    problem = log.verify().problem
    assert problem is not None
    assert (problem.kind, problem.line) == ("truncated", 20)
    fresh = AuditLog(log.path)  # no knowledge of the head from its own appends
    with pytest.raises(AuditError, match="the last record is incomplete"):
        fresh.append(channel=Channel.REST, operation="GET /readyz")


def test_a_missing_head_anchor_is_found(log: AuditLog) -> None:
    log.anchor_path.unlink()
    problem = log.verify().problem
    assert problem is not None
    assert (problem.kind, problem.detail) == ("anchor", "the head anchor is missing")


def test_a_rewritten_chain_needs_a_head_kept_elsewhere(log: AuditLog) -> None:
    kept = log.head()
    assert kept is not None
    assert kept[0] == 20
    # Someone with write access rewrites seq 5 and every hash after it, and the anchor.
    records = [json.loads(line) for line in _lines(log)]
    records[4]["variables"]["id"] = "Phone:+639179999999"
    prev = records[3]["hash"]
    for record in records[4:]:
        record["prev_hash"] = prev
        record["hash"] = prev = record_hash(record)
    _write(log, [json.dumps(r) + "\n" for r in records])
    log.anchor_path.write_text(f"{20:020d} {prev}\n")
    assert log.verify().ok  # the chain alone cannot tell
    result = log.verify(expect=kept)
    assert not result.ok
    assert result.problem is not None
    assert (result.problem.kind, result.problem.seq) == ("edited", 20)


def test_a_kept_head_beyond_the_log_means_truncation(log: AuditLog) -> None:
    kept = log.head()
    assert kept is not None
    _write(log, _lines(log)[:15])
    log.anchor_path.write_text(f"{15:020d} {json.loads(_lines(log)[-1])['hash']}\n")
    assert log.verify().ok
    problem = log.verify(expect=kept).problem
    assert problem is not None
    assert problem.kind == "truncated"


def test_search_by_entity_who_and_time(log: AuditLog) -> None:
    phone = [r.seq for r in log.search(entity="+639170000007")]
    assert phone == [7]
    assert len(list(log.search(entity="person:shared"))) == 20
    assert list(log.search(entity="+639170000099")) == []
    by_id = [r.seq for r in log.search(who=ANA.key_id)]
    by_name = [r.seq for r in log.search(who="Ana")]
    assert by_id == by_name == [3, 6, 9, 12, 15, 18]
    assert [r.seq for r in log.search(who="anonymous")] == [2, 5, 8, 11, 14, 17, 20]
    assert [r.seq for r in log.search(entity="+639170000007", who="Ben")] == [7]
    assert [r.seq for r in log.search(entity="+639170000007", who="Ana")] == []
    times = [r.at for r in log.search()]
    assert [r.seq for r in log.search(since=times[9], until=times[11])] == [10, 11, 12]
    assert list(log.search(until=times[0] - dt.timedelta(seconds=1))) == []


def test_many_entities_are_counted_not_listed(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "a.jsonl")
    few = log.append(channel=Channel.GRAPHQL, operation="search", entities=["a", "b", "a"])
    assert (few.entities, few.entity_count) == (["a", "b"], 2)
    ids = [f"n{i}" for i in range(ENTITY_CAP + 1)]
    many = log.append(channel=Channel.GRAPHQL, operation="search", entities=ids)
    assert (many.entities, many.entity_count) == (None, ENTITY_CAP + 1)
    denied = log.append(
        channel=Channel.GRAPHQL,
        operation="runSavedQuery",
        who=BEN,
        outcome=Outcome.DENIED,
        message="role viewer may not run saved queries",
    )
    assert denied.outcome == "denied"
    assert log.verify().ok
    assert [r.seq for r in log.search(who="Ben")] == [3]


def test_an_empty_log_is_ok(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "none.jsonl")
    result = log.verify()
    assert result.ok
    assert result.records == 0
    assert list(log.search()) == []


def test_verify_while_other_processes_append(tmp_path: Path) -> None:
    path = tmp_path / "live.jsonl"
    children = [
        subprocess.Popen([sys.executable, "-c", APPENDER, str(path), f"p{n}", "2", "400"], cwd=ROOT)
        for n in range(2)
    ]
    log = AuditLog(path)
    seen: list[int] = []
    while any(child.poll() is None for child in children):
        result = log.verify()
        assert result.ok, result.describe()  # never a half-written record reported
        seen.append(result.records)
        time.sleep(0.01)
    assert [child.wait(timeout=300) for child in children] == [0, 0]
    final = log.verify()
    assert final.ok
    assert final.records == 1600
    assert seen == sorted(seen)


def test_the_log_path_follows_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(data_dir=tmp_path).audit_log_path == tmp_path / "audit" / "audit.jsonl"
    monkeypatch.setenv("LINKGRAPH_AUDIT_LOG", str(tmp_path / "elsewhere.jsonl"))
    monkeypatch.setenv("LINKGRAPH_AUDIT_FSYNC", "true")
    log = AuditLog.from_settings(Settings())
    assert log.path == tmp_path / "elsewhere.jsonl"
    assert log.fsync
    log.append(channel=Channel.REST, operation="GET /readyz")
    assert log.anchor_path == tmp_path / "elsewhere.jsonl.head"
    assert log.verify().ok
