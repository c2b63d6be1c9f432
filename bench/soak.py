"""Soak benchmark: normal clients' latency with and without garbage clients beside them.

    .venv/bin/python -m bench.soak [--seconds 30] [--clients 8] [--garbage 2] [--reuse]

Starts its own Neo4j (home /tmp/bench-soak-neo4j, port 7716), loads and analyses the
bundled demo investigation (`demo/`, as `linkgraph demo` does; --reuse keeps a graph
already loaded and analysed), starts the API (`python -m linkgraph serve`) as a
subprocess with a fresh audit log, a viewer key for the normal clients and an analyst
key for the garbage clients, then runs three phases of --seconds each:

1. normal: --clients threads, each on a keep-alive connection, sending a mix of
   viewer requests against the demo data (`me`, `search` by a name or a phone number,
   depth-1 `neighbourhood` of demo entities, `networks` with their key people);
2. normal + garbage: the same, while --garbage threads send hostile requests in turn
   (a 5 MB document of repeated fields, a 5 MB search text, lone surrogates, a body
   that is not UTF-8, a document 50 levels deep, 5,000 aliases, a crafted cursor, a
   2,000-word search, a saved query with a negative row limit), each on a fresh
   connection with a client timeout (--garbage-timeout);
3. recovery: normal clients alone again.

A probe asks `/healthz` every 0.25 s throughout. After each phase: a Bolt query
(`RETURN 1`) on a new driver, `/readyz`, and the API's peak RSS. It prints per phase the
normal clients' p50/p90/p99/max, req/s and errors (overall and per request kind), the
CPU each process used, the ratios of phase 2 to phase 1 (same run), the garbage
requests' outcomes per kind (HTTP status, GraphQL error or transport failure, and
latency) and whether Neo4j and the API stayed up. Targets are printed as met or
MISSED; nothing fails. See bench/README.md.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver

from analytics.pipeline import run_analysis
from api.keys import API_KEY_LABEL, ApiKeyStore, CreatedKey
from api.roles import Role
from bench.api import (
    Phase,
    Usage,
    _descendants,
    api_process,
    log,
    on_bench_neo4j,
    out,
    peak_rss_mib,
    uptime,
    uvicorn_parts,
    verdict,
)
from bench.ingest import table
from bench.ingest_methods import server_version, wipe
from core.db import open_driver
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.bookkeeping import ANALYSIS_RUN_LABEL
from graph_schema.loader import load_model
from ingest.loader import Loader
from linkgraph.demo import demo_mappings
from linkgraph.neo4j_local import LocalNeo4j

HOME = Path("/tmp/bench-soak-neo4j")  # noqa: S108 (a dedicated, throw-away server)
PORT = 7716
P99_RATIO_TARGET = 3.0
RECOVERY_RATIO_TARGET = 1.5
HEALTH_P99_TARGET_MS = 1000.0
NORMAL_TIMEOUT_S = 60.0
HEALTH_EVERY_S = 0.25
CHECK_TIMEOUT_S = 20.0
# A failed connection is retried after this pause, so a dead API is not hammered in a
# busy loop (each failure is still counted).
RETRY_PAUSE_S = 0.1


# -- the normal clients' requests ------------------------------------------------

SEARCH = (
    "query Search($text: String!) { search(text: $text, first: 10) "
    "{ nodes { id label caption } pageInfo { hasNextPage endCursor } } }"
)
NEIGHBOURHOOD = (
    "query Around($id: ID!) { neighbourhood(id: $id, depth: 1) "
    "{ truncated nodes { id label caption } edges { id type source target } } }"
)
NETWORKS = (
    "query { networks(first: 10) { totalCount nodes { id rank size score "
    "keyPeople { id caption } } } }"
)
ME = "query { me { name } }"

# Request kind -> its share of the normal mix.
MIX = {"me": 1, "search name": 2, "search phone": 1, "neighbourhood": 3, "networks": 1}


@dataclass(frozen=True)
class Targets:
    """What the normal clients ask about: demo names, phone numbers, entity ids; and a
    network member, for the deep garbage document."""

    names: list[str]
    phones: list[str]
    entities: list[str]
    member: str


def body(query: str, variables: dict[str, Any] | None = None) -> bytes:
    """A GraphQL POST body."""
    return json.dumps({"query": query, "variables": variables or {}}).encode()


def normal_requests(targets: Targets) -> dict[str, list[bytes]]:
    """Request kind -> the bodies a normal client picks from."""
    return {
        "me": [body(ME)],
        "search name": [body(SEARCH, {"text": name}) for name in targets.names],
        "search phone": [body(SEARCH, {"text": phone}) for phone in targets.phones],
        "neighbourhood": [body(NEIGHBOURHOOD, {"id": each}) for each in targets.entities],
        "networks": [body(NETWORKS)],
    }


def demo_targets(driver: Driver, database: str, count: int = 40) -> Targets:
    """Names, phone numbers and non-hub entity ids of the demo graph (fixed order)."""

    def column(cypher: str) -> list[str]:
        records, _, _ = driver.execute_query(cypher, {"count": count}, database_=database)
        return [str(record[0]) for record in records if record[0]]

    return Targets(
        column(
            "MATCH (p:Person) WHERE p.name IS NOT NULL "
            "RETURN DISTINCT p.name ORDER BY p.name LIMIT $count"
        ),
        column(
            "MATCH (p:Phone) WHERE p.e164 IS NOT NULL AND NOT coalesce(p.hub, false) "
            "RETURN p.e164 ORDER BY p.e164 LIMIT $count"
        ),
        column(
            "MATCH (n) WHERE (n:Person OR n:Phone OR n:Account OR n:Wallet) "
            "AND NOT coalesce(n.hub, false) AND n.id IS NOT NULL "
            "WITH n ORDER BY n.id LIMIT $count "
            "RETURN [l IN labels(n) WHERE l IN ['Person', 'Phone', 'Account', 'Wallet']][0] "
            "+ ':' + n.id"
        ),
        next(
            iter(
                column(
                    "MATCH (p:Person) WHERE p.network_id IS NOT NULL "
                    "RETURN 'Person:' + p.id ORDER BY p.network_rank, p.id LIMIT 1"
                )
            ),
            "Person:x",
        ),
    )


# -- HTTP ------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """One HTTP exchange: the status (0 when none came back), the body, seconds taken."""

    status: int
    data: bytes
    seconds: float
    failure: str = ""  # the transport error, when there was one

    def graphql_error(self) -> str | None:
        """The first GraphQL error's message, "" when the body is not a GraphQL result,
        None when the result has data and no error."""
        try:
            decoded = json.loads(self.data)
        except ValueError:
            return ""
        if not isinstance(decoded, dict):
            return ""
        errors = decoded.get("errors")
        if errors:
            first = errors[0] if isinstance(errors, list) and errors else errors
            message = first.get("message") if isinstance(first, dict) else first
            return str(message)
        return None if decoded.get("data") is not None else ""


class Connection:
    """A keep-alive HTTP connection to the API, reopened after a transport error."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def send(self, method: str, path: str, data: bytes | None, headers: dict[str, str]) -> Reply:
        """One request; a transport error gives status 0 (and a fresh connection)."""
        began = time.perf_counter()
        try:
            self.conn.request(method, path, data, headers)
            response = self.conn.getresponse()
            payload = response.read()
            if response.will_close:
                self.reopen()
            return Reply(response.status, payload, time.perf_counter() - began)
        except (OSError, http.client.HTTPException) as error:
            self.reopen()
            failure = "timeout" if isinstance(error, TimeoutError) else type(error).__name__
            return Reply(0, b"", time.perf_counter() - began, failure)

    def reopen(self) -> None:
        """Drop the connection; the next request opens a new one."""
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def headers_for(token: str) -> dict[str, str]:
    """A JSON POST with the bearer key."""
    return {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}


# -- garbage ------------------------------------------------------------------------

REPEATS = 436_906  # `me { name } ` repeated: about 5 MB
SEARCH_A = 2_600_000  # "a " repeated in one search text: about 5 MB
NESTING = 50
ALIASES = 5_000
WORDS = 2_000
CURSOR = base64.urlsafe_b64encode(b"offset:99999999999999999999999").decode()


def nested_document(person: str, levels: int) -> str:
    """A valid document `levels` fields deep: a person's network, its key people's
    networks, and so on."""
    opening, closing = "", ""
    for level in range((levels - 2) // 2):
        opening += "network { keyPeople { ... on Person { " if level else "network { keyPeople { "
        closing += "} } } " if level else "} } "
    return (
        f"query {{ node(id: {json.dumps(person)}) {{ ... on Person {{ {opening}id {closing}}} }} }}"
    )


def garbage_requests(person: str, entity: str) -> dict[str, bytes]:
    """Kind -> the raw body a garbage client posts (built once: the big ones are ~5 MB)."""
    rng = random.Random(7)  # noqa: S311 (words, not secrets)
    words = " ".join(
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(WORDS)
    )
    aliases = " ".join(f"a{i}: me {{ name }}" for i in range(ALIASES))
    return {
        "5 MB repeated fields": body("query { " + "me { name } " * REPEATS + "}"),
        "5 MB search text": body(SEARCH, {"text": "a " * SEARCH_A}),
        "lone surrogates": (
            b'{"query":"query($id: ID!){ node(id:$id){ id } }",'
            b'"variables":{"id":"\\ud800x\\udfff"}}'
        ),
        "not UTF-8": b'\xff\xfe{"query":"\xc3\x28 { me { name } }\xa0\xa1"}\xfe\xff',
        f"{NESTING} levels deep": body(nested_document(person, NESTING)),
        f"{ALIASES:,} aliases": body("query { " + aliases + " }"),
        "crafted cursor": body(
            'query($after: String) { search(text: "a", after: $after) { nodes { id } } }',
            {"after": CURSOR},
        ),
        f"{WORDS:,}-word search": body(SEARCH, {"text": words}),
        "rowLimit -5": body(
            'query { runSavedQuery(name: "hub_identifiers", rowLimit: -5) '
            "{ rows truncated rowLimit } }"
        ),
        # Sanity: a normal request sent by a garbage client, to tell its own failures
        # (timeouts, resets) from the API's answers to hostile input.
        "(normal, from garbage client)": body(NEIGHBOURHOOD, {"id": entity}),
    }


@dataclass
class Tally:
    """What the garbage requests of one kind got back."""

    outcomes: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    samples: dict[str, str] = field(default_factory=dict)

    def add(self, reply: Reply) -> None:
        """Count one reply under its outcome: the status and whether the body is a GraphQL
        result with data or with an error (a bare status: another body), or the failure."""
        if reply.status == 0:
            outcome = reply.failure
        else:
            error = reply.graphql_error()
            detail = " data" if error is None else (" error" if error else "")
            outcome = f"{reply.status}{detail}"
            if error or reply.status >= 400:
                self.samples.setdefault(outcome, error or reply.data[:150].decode(errors="replace"))
        self.outcomes[outcome] += 1
        self.latencies_ms.append(reply.seconds * 1000)


# -- one phase -------------------------------------------------------------------


@dataclass
class Run:
    """One phase: the normal clients, the health probe and (phase 2) the garbage."""

    normal: Phase
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    health_ms: list[float] = field(default_factory=list)
    health_failures: Counter[str] = field(default_factory=Counter)
    garbage: dict[str, Tally] = field(default_factory=dict)
    garbage_seconds: float = 0.0  # until the last garbage request in flight came back
    checks: dict[str, str] = field(default_factory=dict)
    checks_ok: bool = True


@dataclass(frozen=True)
class Load:
    """Everything a phase needs."""

    port: int
    viewer: str
    analyst: str
    requests: dict[str, list[bytes]]
    garbage: dict[str, bytes]
    garbage_timeout: float
    pids: tuple[int | None, int | None]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank quantile q of `values`; nan when empty."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_phase(name: str, load: Load, clients: int, garbage: int, seconds: float, seed: int) -> Run:
    """`clients` normal threads (and `garbage` garbage threads) for `seconds` seconds."""
    run = Run(Phase(name, clients), {kind: [] for kind in MIX})
    if garbage:
        run.garbage = {kind: Tally() for kind in load.garbage}
    lock = threading.Lock()
    stop = threading.Event()
    ready = threading.Barrier(clients + garbage + 2)
    kinds = [kind for kind, share in MIX.items() for _ in range(share)]

    def normal(index: int) -> None:
        rng = random.Random(seed * 1_000 + index)  # noqa: S311 (the same requests each run)
        conn = Connection(load.port, NORMAL_TIMEOUT_S)
        headers = headers_for(load.viewer)
        latencies: dict[str, list[float]] = {kind: [] for kind in MIX}
        errors: Counter[str] = Counter()
        ready.wait()
        while not stop.is_set():
            kind = rng.choice(kinds)
            reply = conn.send("POST", "/graphql", rng.choice(load.requests[kind]), headers)
            if reply.status == 0:
                errors[f"{kind}: {reply.failure}"] += 1
                time.sleep(RETRY_PAUSE_S)
            elif reply.status != 200:
                errors[f"{kind}: HTTP {reply.status} {reply.data[:80]!r}"] += 1
            elif (error := reply.graphql_error()) is not None:
                errors[f"{kind}: GraphQL error {error[:100]!r}"] += 1
            else:
                latencies[kind].append(reply.seconds * 1000)
        conn.close()
        with lock:
            for kind, values in latencies.items():
                run.by_kind[kind].extend(values)
                run.normal.latencies_ms.extend(values)
            run.normal.errors.update(errors)

    def hostile(index: int) -> None:
        order = list(load.garbage)
        headers = headers_for(load.analyst)
        ready.wait()
        turn = index * 3  # each garbage thread starts at another kind
        while not stop.is_set():
            kind = order[turn % len(order)]
            turn += 1
            conn = Connection(load.port, load.garbage_timeout)
            reply = conn.send("POST", "/graphql", load.garbage[kind], headers)
            conn.close()
            with lock:
                run.garbage[kind].add(reply)
            if reply.status == 0 and reply.failure != "timeout":
                time.sleep(RETRY_PAUSE_S)

    def probe() -> None:
        conn = Connection(load.port, 10.0)
        ready.wait()
        while not stop.is_set():
            reply = conn.send("GET", "/healthz", None, {})
            with lock:
                if reply.status == 200:
                    run.health_ms.append(reply.seconds * 1000)
                else:
                    run.health_failures[reply.failure or f"HTTP {reply.status}"] += 1
            stop.wait(HEALTH_EVERY_S)
        conn.close()

    normals = [threading.Thread(target=normal, args=(i,), daemon=True) for i in range(clients)]
    hostiles = [threading.Thread(target=hostile, args=(i,), daemon=True) for i in range(garbage)]
    prober = threading.Thread(target=probe, daemon=True)
    for thread in [*normals, *hostiles, prober]:
        thread.start()
    before = Usage.take(*load.pids)
    began = time.perf_counter()
    ready.wait()
    stop.wait(seconds)
    stop.set()
    for thread in [*normals, prober]:
        thread.join()
    run.normal.seconds = time.perf_counter() - began
    run.normal.usage = Usage.take(*load.pids).since(before)
    if hostiles:
        log(f"{name}: waiting for the garbage requests in flight ...")
        for thread in hostiles:
            thread.join(load.garbage_timeout + 10)
        run.garbage_seconds = time.perf_counter() - began
    return run


# -- is everything still up ---------------------------------------------------------


def within(seconds: float, work: Callable[[], str]) -> str:
    """`work()` in a thread; its text, the error it raised, or a timeout note."""
    result = [f"no answer within {seconds:.0f} s"]

    def call() -> None:
        try:
            result[0] = work()
        except Exception as error:  # the check reports any failure
            result[0] = f"DOWN: {type(error).__name__}: {' '.join(str(error).split())[:160]}"

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(seconds)
    return result[0]


def bolt_check(settings: Settings) -> str:
    """`RETURN 1` on a new driver: "up (ms)" or why not."""

    def ask() -> str:
        driver = open_driver(settings, retry_s=5.0)
        try:
            began = time.perf_counter()
            records, _, _ = driver.execute_query(
                "RETURN 1 AS one", database_=settings.neo4j_database
            )
            took = (time.perf_counter() - began) * 1000
            return f"up ({took:.0f} ms)" if records[0]["one"] == 1 else "DOWN: wrong answer"
        finally:
            driver.close()

    return within(CHECK_TIMEOUT_S, ask)


def http_check(port: int, path: str, token: str) -> str:
    """GET `path` with the key: "HTTP <status> (ms)" or the transport failure."""
    conn = Connection(port, CHECK_TIMEOUT_S)
    reply = conn.send("GET", path, None, {"Authorization": f"Bearer {token}"})
    conn.close()
    if reply.status == 0:
        return f"DOWN: {reply.failure} after {reply.seconds * 1000:.0f} ms"
    return f"HTTP {reply.status} ({reply.seconds * 1000:.0f} ms)"


def check(run: Run, settings: Settings, server: LocalNeo4j, load: Load, api: ApiProcesses) -> None:
    """After a phase: Neo4j over Bolt, /readyz, /healthz, the processes, the API's RSS."""
    run.checks = {
        "API": api.alive(),
        "Neo4j process": "running" if server.pid() is not None else "DOWN: no process",
        "Bolt RETURN 1": bolt_check(settings),
        "/readyz": http_check(load.port, "/readyz", load.viewer),
        "/healthz": http_check(load.port, "/healthz", load.viewer),
        "API peak RSS": f"{peak_rss_mib(load.pids[0]):,.0f} MiB" if load.pids[0] else "?",
    }
    run.checks_ok = (
        run.checks["Neo4j process"] == "running"
        and run.checks["Bolt RETURN 1"].startswith("up")
        and run.checks["/readyz"].startswith("HTTP 200")
        and run.checks["/healthz"].startswith("HTTP 200")
    )


def started_at(pid: int) -> str | None:
    """A process's start time (field 22 of /proc/<pid>/stat), None when it is gone or a
    zombie: with the pid, it names one process even if the pid is reused."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else fields[19]


class ApiProcesses:
    """The API's processes: its supervisor and the uvicorn workers it started, so that
    workers left behind by a supervisor that died are stopped at the end too."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.known: dict[int, str] = {}
        self.refresh()

    def refresh(self) -> None:
        """Note the supervisor's current workers (uvicorn restarts dead ones)."""
        for each in [self.pid, *_descendants(self.pid)]:
            started = started_at(each)
            if started is not None:
                self.known.setdefault(each, started)

    def alive(self) -> str:
        """How many of the API's processes seen so far still run."""
        self.refresh()
        up = [pid for pid, started in self.known.items() if started_at(pid) == started]
        supervisor = "supervisor up" if self.pid in up else "supervisor DOWN"
        return f"{supervisor}, {len(up)}/{len(self.known)} processes running"

    def stop_strays(self) -> None:
        """SIGTERM, then SIGKILL, any of the API's processes still running."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            left = [pid for pid, started in self.known.items() if started_at(pid) == started]
            if not left:
                return
            log(f"stopping API processes left running: {left}")
            for pid in left:
                try:
                    os.kill(pid, sig)
                except OSError:
                    continue
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and any(
                started_at(pid) == self.known[pid] for pid in left
            ):
                time.sleep(0.2)


class OutputDrain:
    """Reads the API's output pipe while it runs, so that a flood of logged tracebacks
    cannot fill the pipe and block the API (`api_process` reads it only when the API
    failed to start); counts the lines and the tracebacks by their exception line."""

    def __init__(self, pid: int) -> None:
        self.lines = 0
        self.tracebacks: Counter[str] = Counter()
        try:
            # The same pipe as the API's stdout: /proc reopens it for reading.
            self.stream = Path(f"/proc/{pid}/fd/1").open("rb")  # noqa: SIM115
        except OSError:
            return
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        in_traceback = False
        with self.stream:
            for raw in self.stream:
                line = raw.decode(errors="replace").rstrip()
                self.lines += 1
                if line.startswith("Traceback"):
                    in_traceback = True
                elif (
                    in_traceback
                    and line
                    and not line[0].isspace()
                    and not line.startswith(("During handling", "The above exception"))
                ):
                    # The exception line ends the traceback (a chained one starts anew).
                    self.tracebacks[line[:140]] += 1
                    in_traceback = False


# -- the demo data -------------------------------------------------------------------


def analysed(driver: Driver, database: str) -> bool:
    """The graph holds people and a completed analysis run."""
    records, _, _ = driver.execute_query(
        f"CALL () {{ MATCH (p:Person) RETURN count(p) AS people }} "
        f"CALL () {{ MATCH (r:`{ANALYSIS_RUN_LABEL}`) RETURN count(r) AS runs }} "
        "RETURN people, runs",
        database_=database,
    )
    return bool(records[0]["people"]) and bool(records[0]["runs"])


def load_demo(driver: Driver, settings: Settings, reuse: bool) -> None:
    """The demo investigation, loaded and analysed as `linkgraph demo` does (no report)."""
    database = settings.neo4j_database
    model = load_model(settings.model_dir)
    if reuse and analysed(driver, database):
        log("reusing the demo graph already loaded and analysed")
        apply_schema(driver, model, database)
        return
    log("wiping and loading the demo data ...")
    began = time.monotonic()
    wipe(driver)
    apply_schema(driver, model, database)
    loader = Loader.from_settings(driver, model, settings)
    with tempfile.TemporaryDirectory(prefix="linkgraph-bench-soak-rejects-") as rejects:
        summaries = [loader.load(m, rejects_dir=Path(rejects)) for m in demo_mappings()]
    loaded = sum(s.records_loaded for s in summaries)
    log(f"loaded {loaded:,} records from {len(summaries)} sources; analysing ...")
    run_analysis(driver, model, database)
    log(f"demo ready in {time.monotonic() - began:.0f} s")


def graph_summary(driver: Driver, database: str) -> str:
    """Nodes and relationships in the database."""
    records, _, _ = driver.execute_query(
        "CALL () { MATCH (n) RETURN count(n) AS nodes } "
        "CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN nodes, rels",
        database_=database,
    )
    return f"{records[0]['nodes']:,} nodes, {records[0]['rels']:,} relationships"


def usable(load: Load, targets: Targets) -> Targets:
    """The targets the API answers with data (a neighbourhood that exists, a search that
    succeeds), so that normal errors in the phases are the load's doing."""
    conn = Connection(load.port, NORMAL_TIMEOUT_S)
    headers = headers_for(load.viewer)

    def ok(data: bytes, field_name: str) -> bool:
        reply = conn.send("POST", "/graphql", data, headers)
        if reply.status != 200 or reply.graphql_error() is not None:
            return False
        return json.loads(reply.data)["data"][field_name] is not None

    kept = Targets(
        [n for n in targets.names if ok(body(SEARCH, {"text": n}), "search")],
        [p for p in targets.phones if ok(body(SEARCH, {"text": p}), "search")],
        [e for e in targets.entities if ok(body(NEIGHBOURHOOD, {"id": e}), "neighbourhood")],
        targets.member,
    )
    conn.close()
    if not (kept.names and kept.phones and kept.entities):
        raise SystemExit(f"Error: the API answers too few demo targets: {kept}")
    return kept


# -- the report ----------------------------------------------------------------------


def fmt(value: float) -> str:
    """A latency in ms."""
    return f"{value:,.1f}"


def report_run(run: Run) -> None:
    """One phase's tables."""
    phase = run.normal
    rows = [["requests", "answered", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms"]]
    groups = [("all normal", phase.latencies_ms), *run.by_kind.items()]
    for name, values in groups:
        errors = (
            phase.error_count
            if name == "all normal"
            else sum(n for e, n in phase.errors.items() if e.startswith(f"{name}: "))
        )
        rate = len(values) / phase.seconds if phase.seconds else 0.0
        rows.append(
            [
                name,
                f"{len(values):,}",
                str(errors),
                f"{rate:,.1f}",
                *(fmt(percentile(values, q)) for q in (0.5, 0.9, 0.99)),
                fmt(max(values, default=float("nan"))),
            ]
        )
    table(rows)
    for error, count in phase.errors.most_common(5):
        out(f"  error x{count}: {error}")
    health = run.health_ms
    failures = ", ".join(f"{k} x{n}" for k, n in run.health_failures.items()) or "none"
    out(
        f"  /healthz every {HEALTH_EVERY_S} s: {len(health)} answered, p50 "
        f"{fmt(percentile(health, 0.5))} ms, p99 {fmt(percentile(health, 0.99))} ms, max "
        f"{fmt(max(health, default=float('nan')))} ms; failures: {failures}"
    )
    u = phase.usage
    if u is not None and u.wall:
        # The API's CPU is unknown when its process died during the phase.
        api_cpu = f"{u.api / u.wall:.2f}" if u.api >= 0 else "?"
        out(
            f"  CPU (cores): load generator {u.client / u.wall:.2f}, API {api_cpu}, "
            f"Neo4j {u.neo4j / u.wall:.2f}, others {max(0.0, u.others) / u.wall:.2f} "
            f"(the machine has {os.cpu_count()})"
        )
    out("  after the phase: " + "; ".join(f"{k} {v}" for k, v in run.checks.items()))
    out()


def report_garbage(run: Run, timeout: float) -> None:
    """The garbage requests' outcomes per kind."""
    out(
        f"== Garbage requests during phase 2 (client timeout {timeout:.0f} s; the last came "
        f"back {run.garbage_seconds:.0f} s after the phase began)"
    )
    rows = [["kind", "sent", "p50 ms", "max ms", "outcomes"]]
    for kind, tally in run.garbage.items():
        rows.append(
            [
                kind,
                str(sum(tally.outcomes.values())),
                fmt(percentile(tally.latencies_ms, 0.5)),
                fmt(max(tally.latencies_ms, default=float("nan"))),
                ", ".join(f"{k} x{n}" for k, n in tally.outcomes.most_common()),
            ]
        )
    table(rows, right={1, 2, 3})
    out("  what the API said (first answer of each outcome):")
    for kind, tally in run.garbage.items():
        for outcome, sample in tally.samples.items():
            text = " ".join(sample.split())
            out(f"    {kind} / {outcome}: {text[:150]}")
    out()


def report(runs: list[Run], drain: OutputDrain) -> None:
    """Ratios and targets."""
    quiet, soiled, after = (run.normal for run in runs)
    r99 = soiled.percentile(0.99) / quiet.percentile(0.99)
    r50 = soiled.percentile(0.5) / quiet.percentile(0.5)
    throughput = soiled.rate / quiet.rate if quiet.rate else float("nan")
    recovery = after.percentile(0.99) / quiet.percentile(0.99)
    out(
        "== Ratios, phase 2 (with garbage) / phase 1 (without), same run: "
        f"p50 {r50:.2f}x, p99 {r99:.2f}x, req/s {throughput:.2f}x; phase 3 (recovery) / "
        f"phase 1: p99 {recovery:.2f}x, req/s "
        f"{after.rate / quiet.rate if quiet.rate else float('nan'):.2f}x"
    )
    health = runs[1].health_ms
    health_p99 = percentile(health, 0.99)
    errors = [run.normal.error_count for run in runs]
    targets = [
        (
            f"normal p99 with garbage <= {P99_RATIO_TARGET:.0f}x without ({r99:.2f}x)",
            r99 <= P99_RATIO_TARGET,
        ),
        (f"no normal errors (phases 1/2/3: {'/'.join(map(str, errors))})", not any(errors)),
        (
            "Neo4j and the API up after every phase (Bolt, /readyz, /healthz): "
            + "/".join("up" if run.checks_ok else "DOWN" for run in runs),
            all(run.checks_ok for run in runs),
        ),
        (
            f"/healthz p99 during garbage <= {HEALTH_P99_TARGET_MS:.0f} ms, none failed "
            f"({fmt(health_p99)} ms, {sum(runs[1].health_failures.values())} failed)",
            health_p99 <= HEALTH_P99_TARGET_MS and not runs[1].health_failures,
        ),
        (
            f"recovery p99 <= {RECOVERY_RATIO_TARGET}x phase 1 ({recovery:.2f}x)",
            recovery <= RECOVERY_RATIO_TARGET,
        ),
    ]
    for text, ok in targets:
        out(f"  target: {text}: {verdict(ok)}")
    out(
        f"  API output during the run: {drain.lines:,} lines, "
        f"{sum(drain.tracebacks.values()):,} tracebacks, by exception:"
    )
    for line, count in drain.tracebacks.most_common(8):
        out(f"    x{count}: {line}")


# -- the run ---------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="per phase (default 30)")
    parser.add_argument("--clients", type=int, default=8, help="normal clients (default 8)")
    parser.add_argument("--garbage", type=int, default=2, help="garbage clients (default 2)")
    parser.add_argument(
        "--garbage-timeout",
        type=float,
        default=60.0,
        help="client timeout of a garbage request, seconds (default 60)",
    )
    parser.add_argument(
        "--warmup", type=float, default=5.0, help="unreported seconds of normal load first"
    )
    parser.add_argument(
        "--api-workers",
        type=int,
        default=os.cpu_count() or 1,
        help="LINKGRAPH_API_WORKERS of the API (default: the machine's cores)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep the demo graph when already loaded"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the normal requests")
    parser.add_argument("--port", type=int, default=PORT, help=f"Bolt port (default {PORT})")
    parser.add_argument("--home", type=Path, default=HOME, help=f"Neo4j home (default {HOME})")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.garbage < 0 or args.seconds <= 0 or args.garbage_timeout <= 0:
        raise SystemExit("Error: --clients, --seconds and --garbage-timeout must be positive")
    return args


def measure(args: argparse.Namespace, settings: Settings, server: LocalNeo4j) -> None:
    """Everything after the server is up."""
    database = settings.neo4j_database
    driver = open_driver(settings)
    keys = ApiKeyStore(driver, database)
    created: list[CreatedKey] = []
    processes: list[ApiProcesses] = []
    try:
        load_demo(driver, settings, args.reuse)
        targets = demo_targets(driver, database)
        created += [keys.create("bench-soak", Role.VIEWER)]
        created += [keys.create("bench-soak-garbage", Role.ANALYST)]
        log("building the garbage bodies ...")
        garbage = garbage_requests(
            targets.member, targets.entities[0] if targets.entities else targets.member
        )
        with tempfile.TemporaryDirectory(prefix="linkgraph-bench-soak-") as tmp:
            audit_log = Path(tmp) / "audit.jsonl"
            with api_process(settings, audit_log, args.api_workers) as (api_pid, port):
                api = ApiProcesses(api_pid)
                processes.append(api)
                drain = OutputDrain(api_pid)
                load = Load(
                    port,
                    created[0].token,
                    created[1].token,
                    {},
                    garbage,
                    args.garbage_timeout,
                    (api_pid, server.pid()),
                )
                log("asking the demo targets through the API ...")
                targets = usable(load, targets)
                load = Load(
                    port,
                    load.viewer,
                    load.analyst,
                    normal_requests(targets),
                    garbage,
                    args.garbage_timeout,
                    load.pids,
                )
                out("linkgraph soak: normal clients with and without garbage clients beside them")
                out(f"  graph: the demo investigation, {graph_summary(driver, database)}")
                out(
                    f"  server: {server_version(driver)} at {server.address}, heap "
                    f"{settings.neo4j_heap}, page cache {settings.neo4j_pagecache}"
                )
                out(
                    f"  API: uvicorn ({uvicorn_parts()}), {args.api_workers} worker "
                    f"process(es), pid {api_pid}"
                )
                out(
                    f"  normal clients: {args.clients}, mix "
                    + ", ".join(f"{k} {v}" for k, v in MIX.items())
                    + f" ({len(targets.names)} names, {len(targets.phones)} phones, "
                    f"{len(targets.entities)} entities); garbage clients: {args.garbage}, "
                    + ", ".join(
                        f"{k} {len(v) / 1e6:.1f} MB" for k, v in garbage.items() if len(v) > 1e6
                    )
                )
                out(f"  machine before: {uptime()}")
                out()
                if args.warmup > 0:
                    log(f"warming up ({args.warmup:.0f} s) ...")
                    run_phase("warm-up", load, args.clients, 0, args.warmup, args.seed + 7)
                runs = []
                phases = [
                    ("1. normal only", 0),
                    ("2. normal + garbage", args.garbage),
                    ("3. normal only (recovery)", 0),
                ]
                for index, (name, hostile) in enumerate(phases):
                    log(f"{name}: {args.seconds:.0f} s ...")
                    run = run_phase(name, load, args.clients, hostile, args.seconds, args.seed)
                    check(run, settings, server, load, api)
                    log(f"{name}: after it " + "; ".join(run.checks.values()))
                    runs.append(run)
                    out(
                        f"== Phase {name}: {args.clients} normal clients"
                        + (f", {hostile} garbage clients" if hostile else "")
                        + f", {run.normal.seconds:.0f} s"
                    )
                    report_run(run)
                    if index == 1 and hostile:
                        report_garbage(run, args.garbage_timeout)
                report(runs, drain)
                out(f"  machine after: {uptime()}")
    finally:
        for each in processes:
            each.stop_strays()
        keys.close()
        if created and server.pid() is None:
            log("Neo4j is down: the benchmark's API keys stay in its database")
            created = []
        for key in created:
            try:
                driver.execute_query(
                    f"MATCH (k:`{API_KEY_LABEL}` {{id: $id}}) DELETE k",
                    id=key.id,
                    database_=database,
                )
            except Exception as error:  # Neo4j may be the one that died
                log(f"could not delete key {key.id}: {error}")
        driver.close()


def main(argv: list[str] | None = None) -> int:
    """Start the benchmark's Neo4j, soak, stop it whatever happens."""
    return on_bench_neo4j(parse_args(argv), measure)


if __name__ == "__main__":
    sys.exit(main())
