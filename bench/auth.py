"""Authentication and audit benchmark (not a timed test): what keys and the audit log
add to each API request, against baselines measured in the same run.

    .venv/bin/python -m bench.auth [--keys 1000] [--requests 3000] [--threads 8] [--port 7705]

Runs its own Neo4j (home .linkgraph/bench-auth-neo4j, port 7705) unless that server
already runs; stops it at the end only if it started it. Measures:

- `authenticate` (one index seek plus a SHA-256 and a constant-time compare) among
  `--keys` keys, against the smallest round trip the driver makes (`RETURN 1`) and the
  same lookup without the hash check, sequentially and from `--threads` threads;
- a browser session's `authenticate` (the session and its key, two index seeks in one
  read), one session per key, against the same baseline;
- `AuditLog.append` (lock, tail, canonical JSON, SHA-256, write, anchor) against a
  bare O_APPEND write of the same bytes, single-threaded and from `--threads` threads,
  and with `fsync` on;
- `verify` and `search` over the log written.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from api.audit import AuditLog, AuditRecord, Channel
from api.keys import API_KEY_LABEL, AUTHENTICATE_CYPHER, ApiKeyStore, Principal
from api.roles import Role
from api.sessions import SESSION_LABEL, SessionStore
from core.db import open_driver
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from linkgraph.neo4j_local import LocalNeo4j

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 50.0  # the API's p99 target for a whole request
ENTITIES = [f"+6391700{i:05d}" for i in range(40)]  # a typical neighbourhood's ids


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _timed_calls(call: Callable[[int], object], count: int) -> list[float]:
    samples = []
    for i in range(count):
        began = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def _threaded(call: Callable[[int], object], count: int, threads: int) -> tuple[list[float], float]:
    samples: list[float] = []
    lock = threading.Lock()

    def work(offset: int) -> None:
        mine = _timed_calls(lambda i: call(offset + i), count // threads)
        with lock:
            samples.extend(mine)

    began = time.perf_counter()
    workers = [threading.Thread(target=work, args=(t * count,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return samples, len(samples) / (time.perf_counter() - began)


def _line(name: str, samples: list[float], baseline: list[float] | None = None) -> str:
    p50, p99 = _percentiles(samples)
    text = f"{name:<44} p50 {p50:8.3f} ms  p99 {p99:8.3f} ms"
    if baseline is not None:
        b50, b99 = _percentiles(baseline)
        text += f"  ({p50 / b50:5.2f}x / {p99 / b99:5.2f}x the baseline)"
    return text


def bench_keys(settings: Settings, keys: int, requests: int, threads: int) -> tuple[float, float]:
    """Authentication figures; returns (concurrent p99 in ms, p50 ratio to one round trip)."""
    driver = open_driver(settings)
    db = settings.neo4j_database
    apply_schema(driver, load_model(), db)
    store = ApiKeyStore(driver, db)
    created = [store.create(f"bench-{i}", Role.VIEWER) for i in range(keys)]
    tokens = [key.token for key in created]
    ids = [key.id for key in created]
    try:
        # Warm up the driver's pool and the query caches, and note each key's first use
        # (written in the background, once a minute per key): then measure steady state.
        for token in tokens:
            store.authenticate(token)
        store.flush()
        ping = _timed_calls(lambda i: driver.execute_query("RETURN 1", database_=db), requests)
        seek = _timed_calls(
            lambda i: driver.execute_query(AUTHENTICATE_CYPHER, id=ids[i % keys], database_=db),
            requests,
        )
        auth = _timed_calls(lambda i: store.authenticate(tokens[i % keys]), requests)
        wrong = _timed_calls(lambda i: store.authenticate(tokens[i % keys][:-2] + "xx"), requests)
        print(f"\n== authentication ({keys} keys, {requests} requests)")
        print(_line("RETURN 1 (baseline: one round trip)", ping))
        print(_line("the key lookup alone (no hash check)", seek, ping))
        print(_line("authenticate (valid token)", auth, ping))
        print(_line("authenticate (wrong secret)", wrong, ping))
        ping_t, ping_rate = _threaded(
            lambda i: driver.execute_query("RETURN 1", database_=db), requests, threads
        )
        auth_t, auth_rate = _threaded(
            lambda i: store.authenticate(tokens[i % keys]), requests, threads
        )
        print(_line(f"RETURN 1, {threads} threads", ping_t) + f"  {ping_rate:7.0f}/s")
        print(_line(f"authenticate, {threads} threads", auth_t, ping_t) + f"  {auth_rate:7.0f}/s")
        sessions = SessionStore(driver, db, 3600)
        bench_sessions(store, sessions, tokens, requests, threads, ping, ping_t)
        return _percentiles(auth_t)[1], _percentiles(auth)[0] / _percentiles(ping)[0]
    finally:
        store.close()
        driver.execute_query(
            f"MATCH (s:`{SESSION_LABEL}`) WHERE s.key_id IN $ids DELETE s", ids=ids, database_=db
        )
        driver.execute_query(
            f"MATCH (k:`{API_KEY_LABEL}`) WHERE k.id IN $ids DELETE k", ids=ids, database_=db
        )
        driver.close()


def bench_sessions(
    store: ApiKeyStore,
    sessions: SessionStore,
    tokens: list[str],
    requests: int,
    threads: int,
    ping: list[float],
    ping_threaded: list[float],
) -> None:
    """Browser-session figures: one session per key, checked as each cookie request is."""
    cookies = []
    for token in tokens:
        principal = store.authenticate(token)
        assert principal is not None
        cookies.append(sessions.open(principal).token)
    count = len(cookies)
    valid = _timed_calls(lambda i: sessions.authenticate(cookies[i % count]), requests)
    unknown = _timed_calls(lambda i: sessions.authenticate(cookies[i % count][::-1]), requests)
    print(f"\n== browser sessions ({count} sessions, {requests} requests)")
    print(_line("session authenticate (valid cookie)", valid, ping))
    print(_line("session authenticate (unknown cookie)", unknown, ping))
    many, rate = _threaded(lambda i: sessions.authenticate(cookies[i % count]), requests, threads)
    line = _line(f"session authenticate, {threads} threads", many, ping_threaded)
    print(f"{line}  {rate:7.0f}/s")


def bench_audit(records: int, threads: int) -> tuple[float, float]:
    """Audit log figures; returns (concurrent p99, single-threaded p50), in ms."""
    who = Principal("0123456789abcdef", "bench", Role.ANALYST)
    query = "query N($id: ID!) { neighbourhood(id: $id, depth: 2) { nodes { id } } }"
    with tempfile.TemporaryDirectory() as tmp:
        log = AuditLog(Path(tmp) / "audit.jsonl")

        def append(i: int) -> AuditRecord:
            return log.append(
                channel=Channel.GRAPHQL,
                operation="neighbourhood",
                who=who,
                query=query,
                variables={"id": f"Person:{i}", "depth": 2},
                entities=ENTITIES,
                duration_ms=3.2,
            )

        sample = append(0)
        size = len(Path(log.path).read_bytes())
        raw = os.open(Path(tmp) / "raw.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        line = b"x" * (size - 1) + b"\n"
        bare = _timed_calls(lambda i: os.write(raw, line), records)
        os.close(raw)
        single = _timed_calls(append, records)
        many, rate = _threaded(append, records, threads)
        print(f"\n== audit log ({records} records of ~{size} bytes, {sample.entity_count} ids)")
        print(_line("bare O_APPEND write (baseline)", bare))
        print(_line("AuditLog.append", single, bare))
        print(_line(f"AuditLog.append, {threads} threads", many, bare) + f"  {rate:7.0f}/s")
        synced = AuditLog(Path(tmp) / "synced.jsonl", fsync=True)
        fsynced = _timed_calls(
            lambda i: synced.append(channel=Channel.REST, operation="GET /x"),
            max(50, records // 50),
        )
        print(_line("AuditLog.append with fsync", fsynced, bare))
        total = len(single) + len(many) + 1
        began = time.perf_counter()
        result = log.verify()
        verify_s = time.perf_counter() - began
        print(f"verify: {result.describe()}; {total / verify_s:,.0f} records/s")
        began = time.perf_counter()
        hits = sum(1 for _ in log.search(entity=ENTITIES[7]))
        search_s = time.perf_counter() - began
        print(f"search --entity: {hits} hits; {total / search_s:,.0f} records/s")
        return _percentiles(many)[1], _percentiles(single)[0]


def main() -> None:
    """Parse arguments, start the benchmark's Neo4j if needed, run both parts."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=7705)
    parser.add_argument("--home", type=Path, default=ROOT / ".linkgraph" / "bench-auth-neo4j")
    args = parser.parse_args()
    settings = Settings(
        neo4j_home=args.home, neo4j_port=args.port, neo4j_heap="1g", neo4j_pagecache="256m"
    )
    server = LocalNeo4j(settings)
    started_here = server.pid() is None
    print(server.start().describe())
    try:
        auth_p99, auth_ratio = bench_keys(settings, args.keys, args.requests, args.threads)
        audit_p99, append_p50 = bench_audit(args.requests * 4, args.threads)
    finally:
        if started_here:
            server.stop()
    verdict = "met" if auth_ratio <= 1.5 and append_p50 < 1.0 else "MISSED"
    print(
        f"\nauthenticate p50 = {auth_ratio:.2f}x one round trip; append p50 = {append_p50:.3f} ms "
        f"(targets: <= 1.5x and < 1 ms: {verdict}). Under {args.threads} threads their p99s "
        f"add {auth_p99 + audit_p99:.1f} ms to a request (budget {BUDGET_MS:g} ms); load "
        f"average during the run {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
