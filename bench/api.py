"""API benchmark: 2-hop neighbourhoods over GraphQL against the same Cypher sent by the driver.

    .venv/bin/python -m bench.api [--people 100000] [--seconds 60] [--clients 32] [--reuse]

Starts its own Neo4j (home /tmp/bench-api-neo4j, port 7706), loads --people people
(bench/api_data.py; --reuse keeps a graph already loaded at that size), starts the
API (`python -m linkgraph serve`) as a subprocess with a fresh audit log and a viewer
key, then, with --clients concurrent clients for --seconds each:

* driver: `GraphReads.neighbourhood_cypher('Person', 2, None)` with the same
  parameters (key, since, until, limit) through one driver shared by the threads;
* graphql: the `neighbourhood(id, depth: 2, limit: 200)` query over HTTP with the
  bearer key, so auth, GraphQL, the audit append and HTTP are the difference.

Both ask the same random people (fixed seeds). It prints p50/p90/p99/max, req/s and
errors of each, the ratios, the CPU each process used (so a saturated load generator
shows), the API's peak RSS and the machine's load; then a single-client run of each
(latency without queueing) and, when a target is missed, a py-spy profile of the
API under the same load, and each of --variants: the API served with another number
of worker processes, under the same load. --api-workers (default: the machine's
cores) sets LINKGRAPH_API_WORKERS of the API measured. Targets are printed as
met or MISSED; nothing fails. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import platform
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j
from neo4j import Driver, RoutingControl

from api.keys import API_KEY_LABEL, ApiKeyStore
from api.reads import GraphReads
from api.roles import Role
from bench.api_data import generate, load, loaded_people, person_id
from bench.ingest import table
from bench.ingest_methods import bench_settings, server_version, wipe
from core.db import open_driver
from core.settings import Settings
from graph_schema.loader import GraphModel, load_model
from linkgraph.neo4j_local import LocalNeo4j

ROOT = Path(__file__).resolve().parent.parent
HOME = Path("/tmp/bench-api-neo4j")  # noqa: S108 (a dedicated, throw-away server)
DEPTH = 2
LIMIT = 200
QUERY = (
    "query Neighbourhood($id: ID!) { neighbourhood(id: $id, depth: 2, limit: 200) "
    "{ truncated nodes { id label caption } edges { id type source target } } }"
)
RATIO_TARGET = 1.5
P99_TARGET_MS = 50.0
TICKS = os.sysconf("SC_CLK_TCK")
STARTED = time.monotonic()


def log(message: str) -> None:
    """Progress, on stderr (the report goes to stdout)."""
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def out(line: str = "") -> None:
    """One line of the report."""
    print(line, flush=True)


def uvicorn_parts() -> str:
    """The event loop and HTTP parser uvicorn picks in this environment ("auto")."""
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    parser = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"{loop}, {parser}"


def uptime() -> str:
    """`uptime`'s line: the machine's load averages."""
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


# -- CPU and memory of the processes involved -----------------------------------


def _proc_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) a live process has used; 0 when unknown."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _descendants(pid: int) -> list[int]:
    """Live child processes of `pid`, and theirs (uvicorn's worker processes)."""
    found = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in children.read_text().split()]
        except OSError:
            continue
    return found + [grandchild for child in found for grandchild in _descendants(child)]


def _tree_cpu(pid: int | None) -> float:
    """CPU seconds of a live process and its live descendants."""
    if pid is None:
        return 0.0
    return _proc_cpu(pid) + sum(_proc_cpu(child) for child in _descendants(pid))


def _machine_busy() -> float:
    """CPU seconds the whole machine has been busy (idle and iowait left out)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values[i] for i in (0, 1, 2, 5, 6, 7) if i < len(values)) / TICKS


def peak_rss_mib(pid: int) -> float:
    """Peak resident memory (VmHWM) of a live process and its live descendants (uvicorn's
    workers), summed, in MiB."""
    total = 0.0
    for each in [pid, *_descendants(pid)]:
        try:
            lines = Path(f"/proc/{each}/status").read_text().splitlines()
        except OSError:
            continue
        total += sum(int(line.split()[1]) / 1024 for line in lines if line.startswith("VmHWM:"))
    return total


@dataclass(frozen=True)
class Usage:
    """A snapshot of CPU seconds: wall clock, this process, the API, Neo4j, the machine."""

    wall: float
    client: float
    api: float
    neo4j: float
    machine: float

    @classmethod
    def take(cls, api_pid: int | None, neo4j_pid: int | None) -> Usage:
        """Now."""
        own = resource.getrusage(resource.RUSAGE_SELF)
        return cls(
            time.monotonic(),
            own.ru_utime + own.ru_stime,
            _tree_cpu(api_pid),
            _proc_cpu(neo4j_pid),
            _machine_busy(),
        )

    def since(self, before: Usage) -> Usage:
        """The CPU seconds used between `before` and this snapshot."""
        return Usage(
            self.wall - before.wall,
            self.client - before.client,
            self.api - before.api,
            self.neo4j - before.neo4j,
            self.machine - before.machine,
        )

    @property
    def others(self) -> float:
        """CPU seconds used by processes outside this benchmark."""
        return max(0.0, self.machine - self.client - self.api - self.neo4j)


# -- the two ways of asking ----------------------------------------------------


Ask = Callable[[str], int]  # person key -> nodes in the neighbourhood; raises on error


def driver_client(driver: Driver, cypher: str, database: str) -> Callable[[int], Ask]:
    """Clients sending the API's statement straight through the shared driver."""

    def make(_: int) -> Ask:
        def ask(key: str) -> int:
            records, _, _ = driver.execute_query(
                cypher,
                {"key": key, "since": None, "until": None, "limit": LIMIT},
                database_=database,
                routing_=RoutingControl.READ,
            )
            if not records:
                raise LookupError(f"no Person {key}")
            return len(records[0]["nodes"])

        return ask

    return make


class GraphQLClient:
    """One keep-alive HTTP connection posting the neighbourhood query.

    The standard library's client: a load generator sharing two cores with the API
    and Neo4j should spend as little CPU per request as it can (see the report's
    CPU lines).
    """

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def response(self, key: str) -> dict[str, Any]:
        """The decoded response to one query (raises on a transport or HTTP error)."""
        body = json.dumps({"query": QUERY, "variables": {"id": f"Person:{key}"}})
        try:
            self.conn.request("POST", "/graphql", body, self.headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            # A fresh connection for the next request; this one counts as an error.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}: {data[:200]!r}")
        decoded: dict[str, Any] = json.loads(data)
        return decoded

    def __call__(self, key: str) -> int:
        """Nodes in the neighbourhood of `key`."""
        decoded = self.response(key)
        if decoded.get("errors"):
            raise RuntimeError(f"GraphQL error: {decoded['errors'][0].get('message')}")
        found = (decoded.get("data") or {}).get("neighbourhood")
        if found is None:
            raise LookupError(f"no Person {key}")
        return len(found["nodes"])


# -- one measured run --------------------------------------------------------


@dataclass
class Phase:
    """What one method did with `clients` clients for a while."""

    name: str
    clients: int
    latencies_ms: list[float] = field(default_factory=list)
    nodes: list[int] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    usage: Usage | None = None

    def percentile(self, q: float) -> float:
        """Latency at quantile q (nearest rank), in ms."""
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def rate(self) -> float:
        """Answered requests per second."""
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        """Requests that failed."""
        return sum(self.errors.values())


def run_phase(
    name: str,
    make: Callable[[int], Ask],
    clients: int,
    seconds: float,
    people: int,
    seed: int,
    pids: tuple[int | None, int | None],
) -> Phase:
    """`clients` threads asking random people's neighbourhoods for `seconds` seconds."""
    phase = Phase(name, clients)
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    deadline = [0.0]

    def work(index: int) -> None:
        ask = make(index)
        rng = random.Random(seed * 1_000 + index)  # noqa: S311 (the same people each run)
        latencies: list[float] = []
        sizes: list[int] = []
        errors: Counter[str] = Counter()
        ready.wait()
        while time.perf_counter() < deadline[0]:
            key = person_id(rng.randrange(people))
            began = time.perf_counter()
            try:
                size = ask(key)
            except Exception as error:  # every failure is a counted error
                errors[f"{type(error).__name__}: {str(error)[:120]}"] += 1
                continue
            latencies.append((time.perf_counter() - began) * 1000)
            sizes.append(size)
        with lock:
            phase.latencies_ms.extend(latencies)
            phase.nodes.extend(sizes)
            phase.errors.update(errors)

    workers = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for worker in workers:
        worker.start()
    before = Usage.take(*pids)
    began = time.perf_counter()
    deadline[0] = began + seconds
    ready.wait()
    for worker in workers:
        worker.join()
    phase.seconds = time.perf_counter() - began
    phase.usage = Usage.take(*pids).since(before)
    return phase


# -- the API process -----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def api_process(settings: Settings, audit_log: Path, workers: int) -> Iterator[tuple[int, int]]:
    """`python -m linkgraph serve` with `workers` processes on the benchmark's Neo4j;
    yields (pid, port)."""
    port = _free_port()
    # Only this benchmark's settings: nothing from the caller's LINKGRAPH_* leaks in.
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINKGRAPH_")} | {
        "LINKGRAPH_NEO4J_HOME": str(settings.neo4j_home),
        "LINKGRAPH_NEO4J_PORT": str(settings.neo4j_port),
        "LINKGRAPH_AUDIT_LOG": str(audit_log),
        "LINKGRAPH_API_PORT": str(port),
        "LINKGRAPH_API_GRAPHIQL": "false",
        "LINKGRAPH_API_WORKERS": str(workers),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "linkgraph", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                raise SystemExit(f"Error: the API exited: {output.strip()[-2000:]}")
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            try:
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            finally:
                conn.close()
            if time.monotonic() > deadline:
                raise SystemExit("Error: the API did not answer /healthz within 120 s")
            time.sleep(0.3)
        yield process.pid, port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- the API served another way, under the same load ---------------------------------

# Variant -> (what it is, worker processes).
VARIANTS = {
    "one-worker": ("one uvicorn process (LINKGRAPH_API_WORKERS=1, the default)", 1),
    "two-workers": ("two uvicorn worker processes (LINKGRAPH_API_WORKERS=2)", 2),
}


def run_variants(
    args: argparse.Namespace, settings: Settings, token: str, neo4j_pid: int | None,
    driver_phase: Phase, graphql_phase: Phase, tmp: Path,
) -> None:  # fmt: skip
    """Each variant of the API under the same load; a table against the API as it is."""
    names = [name.strip() for name in args.variants.split(",") if name.strip()]
    if not names:
        return
    rows = [["API", "req/s", "p50 ms", "p99 ms", "errors", "API ms/req", "p50 / driver p50"]]

    def add(name: str, phase: Phase) -> None:
        u = phase.usage
        done = len(phase.latencies_ms) + phase.error_count
        rows.append([
            name, f"{phase.rate:,.0f}", f"{phase.percentile(0.5):.1f}",
            f"{phase.percentile(0.99):.1f}", str(phase.error_count),
            f"{u.api / done * 1000:.2f}" if u and done else "-",
            f"{phase.percentile(0.5) / driver_phase.percentile(0.5):.2f}x",
        ])  # fmt: skip

    add(f"{args.api_workers} worker(s) (above)", graphql_phase)
    for name in names:
        with api_process(settings, tmp / f"audit-{name}.jsonl", VARIANTS[name][1]) as (pid, port):
            pids = (pid, neo4j_pid)
            make = lambda _, port=port: GraphQLClient(port, token)  # noqa: E731
            log(f"variant {name}: warm-up, then {args.clients} clients for {args.seconds:.0f} s")
            run_phase("warm-up", make, args.clients, args.warmup, args.people, args.seed + 7, pids)
            phase = run_phase(name, make, args.clients, args.seconds, args.people, args.seed, pids)
        add(name, phase)
        for error, count in phase.errors.most_common(3):
            out(f"  {name} error x{count}: {error}")
    out()
    out(f"== Variants: the API served with other settings, {args.clients} clients, "
        f"{args.seconds:.0f} s each; the driver's p50 is the one measured above")  # fmt: skip
    table(rows)
    for name in names:
        out(f"  {name}: {VARIANTS[name][0]}")
    out(f"  machine after: {uptime()}")


# -- checks, profile and report ------------------------------------------------


def same_answers(
    driver: Driver,
    model: GraphModel,
    cypher: str,
    database: str,
    client: GraphQLClient,
    people: int,
    count: int = 50,
) -> tuple[int, int, list[str]]:
    """Ask `count` people both ways; (same, total, differences) by node and edge ids."""
    rng = random.Random(99)  # noqa: S311
    same = 0
    differences = []
    for _ in range(count):
        key = person_id(rng.randrange(people))
        records, _, _ = driver.execute_query(
            cypher,
            {"key": key, "since": None, "until": None, "limit": LIMIT},
            database_=database,
            routing_=RoutingControl.READ,
        )
        nodes = {
            f"{next(label for label in node.labels if label in model.entities)}:{node['id']}"
            for node in records[0]["nodes"]
        }
        found = client.response(key)["data"]["neighbourhood"]
        api_nodes = {node["id"] for node in found["nodes"]}
        if api_nodes == nodes and len(found["edges"]) == len(records[0]["rels"]):
            same += 1
        else:
            differences.append(
                f"{key}: driver {len(nodes)} nodes/{len(records[0]['rels'])} rels, "
                f"API {len(api_nodes)} nodes/{len(found['edges'])} edges"
            )
    return same, count, differences


def profile(
    api_pid: int, port: int, token: str, args: argparse.Namespace, pids: tuple[int, int | None]
) -> None:
    """Sample the API with py-spy under the same load and print where its CPU goes."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        out("  (py-spy is not installed: `.venv/bin/pip install py-spy` to profile the API)")
        return
    seconds = args.profile_seconds
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "api.txt"
        # --nonblocking: the API is not paused while sampled, so the load stays the same;
        # --gil: only the thread holding the GIL, i.e. where the process's Python time goes
        # (threads waiting on a socket are not counted).
        spy_run = subprocess.Popen(
            [
                spy,
                "record",
                "--pid",
                str(api_pid),
                "--duration",
                str(int(seconds)),
                "--rate",
                "100",
                "--format",
                "raw",
                "--function",
                "--nonblocking",
                "--gil",
                # uvicorn's worker processes are children of the pid given.
                "--subprocesses",
                "--output",
                str(raw),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        run_phase(
            "graphql (profiled)",
            lambda _: GraphQLClient(port, token),
            args.clients,
            seconds,
            args.people,
            args.seed,
            pids,
        )
        _, errors = spy_run.communicate(timeout=seconds + 60)
        if not raw.exists():
            out(f"  py-spy failed: {errors.decode(errors='replace').strip()[-500:]}")
            return
        stacks = raw.read_text().splitlines()
        if args.keep_profile:
            kept = ROOT / ".linkgraph" / "bench-api-profile.txt"
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(raw, kept)
            out(f"  collapsed stacks kept in {kept} (flamegraph.pl or speedscope read them)")
    report_profile(stacks)


# A request's steps, told apart by the files on the stack; the first step whose
# files appear in a sample's stack takes the sample (so the shares add up to 100%).
STEPS = (
    ("audit append (api/audit)", ("api/audit.py", "api/audit_chain.py")),
    ("authentication (api/keys, api/oidc)", ("api/keys.py", "api/oidc.py")),
    ("neighbourhood read: driver call (api/reads)", ("api/reads.py",)),
    ("GraphQL parse", ("graphql/language/parser.py", "graphql/language/lexer.py")),
    (
        "GraphQL validation and limits",
        ("graphql/validation/", "api/limits.py", "strawberry/extensions/"),
    ),
    (
        "entities and edges built (api/graphtypes, api/schema)",
        ("api/graphtypes.py", "api/schema.py"),
    ),
    ("GraphQL execution and result", ("graphql/execution/", "strawberry/")),
    (
        "middleware, routing (starlette, fastapi, api/app, api/middleware)",
        ("starlette/", "fastapi/", "api/app.py", "api/middleware.py"),
    ),
    ("HTTP server (uvicorn, h11)", ("uvicorn/", "h11/", "httptools/")),
)
# Where the time is finally spent: the library of a sample's innermost frame.
LIBRARIES = (
    ("neo4j driver", "neo4j/"),
    ("graphql-core", "graphql/"),
    ("strawberry", "strawberry/"),
    ("uvicorn, h11", "uvicorn/"),
    ("uvicorn, h11", "h11/"),
    ("starlette, fastapi", "starlette/"),
    ("starlette, fastapi", "fastapi/"),
    ("linkgraph (api/, graph_schema/...)", "api/"),
    ("pydantic", "pydantic"),
    ("json", "json/"),
    ("asyncio, anyio, threads", "asyncio/"),
    ("asyncio, anyio, threads", "anyio/"),
    ("asyncio, anyio, threads", "threading.py"),
    ("asyncio, anyio, threads", "concurrent/"),
)


def _path(frame: str) -> str:
    return frame.rsplit("(", 1)[-1].rstrip(")")


def _step(frames: list[str]) -> str:
    paths = [_path(frame) for frame in frames]
    for step, markers in STEPS:
        if any(marker in path for path in paths for marker in markers):
            return step
    return "other (event loop, threads)"


def _library(frame: str) -> str:
    path = _path(frame)
    return next((name for name, marker in LIBRARIES if marker in path), "other (stdlib...)")


def report_profile(stacks: list[str]) -> None:
    """Python time by request step, by library and by function from py-spy's stacks."""
    total = 0
    steps: Counter[str] = Counter()
    libraries: Counter[str] = Counter()
    self_fn: Counter[str] = Counter()
    inclusive_fn: Counter[str] = Counter()
    for line in stacks:
        stack, _, count_text = line.rpartition(" ")
        frames = [f for f in stack.split(";") if "(" in f]
        if not frames or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        steps[_step(frames)] += count
        libraries[_library(frames[-1])] += count
        self_fn[frames[-1]] += count
        for frame in set(frames):
            # The API's own functions; serve() and its callers hold every sample.
            if _path(frame).startswith("api/") and not _path(frame).startswith("api/serve"):
                inclusive_fn[frame] += count
    if not total:
        out("  py-spy recorded no samples")
        return
    out(f"  {total} samples of the thread holding the GIL (100/s): the API's Python time")
    rows = [["request step (stack contains)", "share"]]
    rows += [[step, f"{count / total:.0%}"] for step, count in steps.most_common()]
    table(rows)
    rows = [["library of the innermost frame", "share"]]
    rows += [[name, f"{count / total:.0%}"] for name, count in libraries.most_common()]
    table(rows)
    rows = [["linkgraph function (inclusive)", "share"]]
    for frame, count in inclusive_fn.most_common(12):
        rows.append([_short(frame), f"{count / total:.1%}"])
    table(rows)
    rows = [["hottest functions (self)", "share"]]
    rows += [[_short(frame), f"{count / total:.1%}"] for frame, count in self_fn.most_common(15)]
    table(rows)


def _short(frame: str) -> str:
    name, _, path = frame.partition(" (")
    path = path.rstrip(")")
    for marker in ("site-packages/", "/work/main/", "python3."):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})"[:100]


def report_phases(phases: list[Phase], people: int) -> None:
    """The latency table, then the CPU each process used during each phase."""
    rows = [
        [
            "method",
            "clients",
            "requests",
            "errors",
            "req/s",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "max ms",
            "nodes p50",
        ]
    ]
    for phase in phases:
        sizes = sorted(phase.nodes)
        rows.append(
            [
                phase.name,
                str(phase.clients),
                f"{len(phase.latencies_ms):,}",
                str(phase.error_count),
                f"{phase.rate:,.0f}",
                *(f"{phase.percentile(q):.1f}" for q in (0.5, 0.9, 0.99)),
                f"{max(phase.latencies_ms, default=float('nan')):.1f}",
                str(sizes[len(sizes) // 2]) if sizes else "-",
            ]
        )
    table(rows, right=set(range(1, 10)))
    out()
    out(
        "  CPU used during each phase (cores = CPU seconds / wall seconds; the machine has "
        f"{os.cpu_count()})"
    )
    rows = [
        [
            "method",
            "wall s",
            "client",
            "API",
            "Neo4j",
            "others",
            "client ms/req",
            "API ms/req",
            "Neo4j ms/req",
        ]
    ]
    for phase in phases:
        u = phase.usage
        if u is None or not phase.latencies_ms:
            continue
        done = len(phase.latencies_ms) + phase.error_count
        rows.append(
            [
                phase.name,
                f"{u.wall:.0f}",
                f"{u.client / u.wall:.2f}",
                f"{u.api / u.wall:.2f}",
                f"{u.neo4j / u.wall:.2f}",
                f"{u.others / u.wall:.2f}",
                f"{u.client / done * 1000:.2f}",
                f"{u.api / done * 1000:.2f}",
                f"{u.neo4j / done * 1000:.2f}",
            ]
        )
    table(rows, right=set(range(1, 9)))
    out(
        "  client = this process: the load generator's threads (graphql rows), or the "
        "threads and the driver that ARE the baseline (driver rows); others = every other "
        "process on the machine (a shared machine's neighbours)"
    )
    for phase in phases:
        for error, count in phase.errors.most_common(3):
            out(f"  {phase.name} error x{count}: {error}")
    out()


def verdict(ok: bool) -> str:
    """met or MISSED."""
    return "met" if ok else "MISSED"


# -- the run ---------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.api",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--people", type=int, default=100_000, help="people (default 100,000)")
    parser.add_argument("--seconds", type=float, default=60.0, help="per method (default 60)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the graph when it already holds --people people"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=5.0,
        help="seconds of unreported load per method first (default 5)",
    )
    parser.add_argument(
        "--single-seconds",
        type=float,
        default=10.0,
        help="seconds of one client per method (default 10; 0 skips)",
    )
    parser.add_argument(
        "--profile",
        choices=["auto", "always", "never"],
        default="auto",
        help="py-spy the API under load: when a target is missed (auto)",
    )
    parser.add_argument("--profile-seconds", type=float, default=20.0)
    parser.add_argument(
        "--keep-profile",
        action="store_true",
        help="keep the collapsed stacks in .linkgraph/bench-api-profile.txt",
    )
    parser.add_argument(
        "--api-workers",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes of the API measured (default: the machine's cores)",
    )
    parser.add_argument(
        "--variants",
        default="one-worker",
        help=f"API variants measured after it ({', '.join(VARIANTS)}; '' skips; "
        "default one-worker)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the people asked")
    parser.add_argument("--port", type=int, default=7706, help="Bolt port (default 7706)")
    parser.add_argument("--home", type=Path, default=HOME, help=f"Neo4j home (default {HOME})")
    args = parser.parse_args(argv)
    if args.people < 100:
        raise SystemExit("Error: --people must be at least 100")
    if args.clients < 1 or args.seconds <= 0:
        raise SystemExit("Error: --clients and --seconds must be positive")
    unknown = sorted({v.strip() for v in args.variants.split(",") if v.strip()} - set(VARIANTS))
    if unknown:
        raise SystemExit(f"Error: unknown variants {unknown}; known: {sorted(VARIANTS)}")
    return args


def prepare_graph(driver: Driver, model: GraphModel, args: argparse.Namespace, db: str) -> None:
    """The benchmark's graph: reused when asked and present, else loaded afresh."""
    have = loaded_people(driver, db)
    if args.reuse and have == args.people:
        log(f"reusing the graph of {have:,} people already loaded")
        return
    log(f"generating {args.people:,} people ...")
    graph = generate(args.people)
    log(f"wiping and loading {graph.node_count:,} nodes, {graph.rel_count:,} relationships ...")
    began = time.monotonic()
    wipe(driver)
    hubs = load(driver, model, graph, db)
    log(f"loaded in {time.monotonic() - began:.0f} s; {hubs} hubs flagged")


def graph_summary(driver: Driver, db: str) -> str:
    """Nodes, relationships and hubs in the database."""
    records, _, _ = driver.execute_query(
        "CALL () { MATCH (n) RETURN count(n) AS nodes } "
        "CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } "
        "CALL () { MATCH (h {hub: true}) RETURN count(h) AS hubs } "
        "RETURN nodes, rels, hubs",
        database_=db,
    )
    row = records[0]
    return f"{row['nodes']:,} nodes, {row['rels']:,} relationships, {row['hubs']} hubs"


def measure(args: argparse.Namespace, settings: Settings, server: LocalNeo4j) -> None:
    """Everything after the server is up."""
    from neo4j._codec.packstream import RUST_AVAILABLE

    db = settings.neo4j_database
    model = load_model()
    driver = open_driver(settings)
    keys = ApiKeyStore(driver, db)
    key = None
    try:
        prepare_graph(driver, model, args, db)
        cypher = GraphReads(driver, model, db).neighbourhood_cypher("Person", DEPTH, None)
        key = keys.create("bench-api", Role.VIEWER)
        with tempfile.TemporaryDirectory(prefix="linkgraph-bench-api-") as tmp:
            audit_log = Path(tmp) / "audit.jsonl"
            with api_process(settings, audit_log, args.api_workers) as (api_pid, port):
                pids = (api_pid, server.pid())
                out("linkgraph API benchmark: 2-hop neighbourhoods of random people")
                out(f"  graph: {graph_summary(driver, db)} ({args.people:,} people)")
                out(
                    f"  server: {server_version(driver)} at {server.address}, heap "
                    f"{settings.neo4j_heap}, page cache {settings.neo4j_pagecache}"
                )
                out(
                    f"  client: Python {platform.python_version()}, neo4j driver "
                    f"{neo4j.__version__} (Rust extension "
                    f"{'active' if RUST_AVAILABLE else 'NOT active'}); API: uvicorn "
                    f"({uvicorn_parts()}), {args.api_workers} worker process(es) "
                    f"(pid {api_pid}), audit log "
                    f"{audit_log.name} in a temporary directory"
                )
                out(f"  machine before: {uptime()}")
                out()
                graphql = lambda _: GraphQLClient(port, key.token)  # noqa: E731
                direct = driver_client(driver, cypher, db)
                same, asked, differences = same_answers(
                    driver, model, cypher, db, GraphQLClient(port, key.token), args.people
                )
                log(f"warming up ({args.warmup:.0f} s per method) ...")
                warm = [
                    run_phase(
                        f"{name} warm-up",
                        make,
                        args.clients,
                        args.warmup,
                        args.people,
                        args.seed + 7,
                        pids,
                    )
                    for name, make in (("driver", direct), ("graphql", graphql))
                ]
                phases = []
                for name, make in (("driver", direct), ("graphql", graphql)):
                    log(f"{name}: {args.clients} clients for {args.seconds:.0f} s ...")
                    phases.append(
                        run_phase(
                            name, make, args.clients, args.seconds, args.people, args.seed, pids
                        )
                    )
                if args.single_seconds > 0:
                    for name, make in (("driver", direct), ("graphql", graphql)):
                        log(f"{name}: 1 client for {args.single_seconds:.0f} s ...")
                        phases.append(
                            run_phase(
                                f"{name}, 1 client",
                                make,
                                1,
                                args.single_seconds,
                                args.people,
                                args.seed,
                                pids,
                            )
                        )
                peak = peak_rss_mib(api_pid)
                with audit_log.open(encoding="utf-8") as lines:
                    audited = sum(1 for _ in lines)
                sent = asked + sum(
                    len(p.latencies_ms) + p.error_count
                    for p in warm + phases
                    if p.name.startswith("graphql")
                )
                machine_after = uptime()
                missed = report(args, phases, same, asked, differences, peak, audited, sent)
                out(f"  machine after: {machine_after}")
                if args.profile == "always" or (args.profile == "auto" and missed):
                    out()
                    out(
                        f"== Where the API's time goes: py-spy, {args.clients} clients, "
                        f"{args.profile_seconds:.0f} s (a separate run, not measured above)"
                    )
                    log("profiling the API with py-spy ...")
                    profile(api_pid, port, key.token, args, pids)
            run_variants(args, settings, key.token, server.pid(), phases[0], phases[1], Path(tmp))
    finally:
        keys.close()
        if key is not None:
            driver.execute_query(
                f"MATCH (k:`{API_KEY_LABEL}` {{id: $id}}) DELETE k", id=key.id, database_=db
            )
        driver.close()


def report(
    args: argparse.Namespace,
    phases: list[Phase],
    same: int,
    asked: int,
    differences: list[str],
    peak: float,
    audited: int,
    sent: int,
) -> bool:
    """The figures and targets; True when a target is missed."""
    driver, graphql = phases[0], phases[1]
    out(
        f"== {args.clients} concurrent clients, {args.seconds:.0f} s each, driver first; then "
        "1 client each (latency without queueing)"
    )
    report_phases(phases, args.people)
    r50 = graphql.percentile(0.5) / driver.percentile(0.5)
    r99 = graphql.percentile(0.99) / driver.percentile(0.99)
    throughput = graphql.rate / driver.rate if driver.rate else float("nan")
    p99 = graphql.percentile(0.99)
    errors = graphql.error_count + driver.error_count
    out(
        f"== Ratios ({args.clients} clients): GraphQL p50 / driver p50 = {r50:.2f}x, "
        f"GraphQL p99 / driver p99 = {r99:.2f}x; GraphQL throughput = {throughput:.2f}x "
        "the driver's"
    )
    if len(phases) >= 4:
        single = phases[3].percentile(0.5) / phases[2].percentile(0.5)
        extra = phases[3].percentile(0.5) - phases[2].percentile(0.5)
        out(
            f"  1 client: GraphQL p50 / driver p50 = {single:.2f}x (the API adds "
            f"{extra:.1f} ms per request with nothing queued)"
        )
    targets = [
        (f"GraphQL p50 <= {RATIO_TARGET}x driver p50", r50 <= RATIO_TARGET),
        (f"GraphQL p99 <= {RATIO_TARGET}x driver p99", r99 <= RATIO_TARGET),
        (f"GraphQL p99 <= {P99_TARGET_MS:.0f} ms (it is {p99:.1f} ms)", p99 <= P99_TARGET_MS),
        (f"0 errors (driver {driver.error_count}, GraphQL {graphql.error_count})", errors == 0),
    ]
    for text, ok in targets:
        out(f"  target: {text}: {verdict(ok)}")
    out(
        f"  same answers: the API and the driver returned the same nodes and edges for "
        f"{same}/{asked} people"
    )
    for difference in differences[:5]:
        out(f"    differs: {difference}")
    out(
        f"  audit log: {audited:,} records for {sent:,} GraphQL requests sent (warm-up, "
        f"checks and measured runs): {verdict(audited == sent)}"
    )
    out(f"  API peak RSS (its processes summed): {peak:,.0f} MiB")
    return not all(ok for _, ok in targets)


def on_bench_neo4j(
    args: argparse.Namespace,
    measure: Callable[[argparse.Namespace, Settings, LocalNeo4j], None],
) -> int:
    """Start the benchmark's own Neo4j (`args.port`, `args.home`), run `measure`, and stop
    the server whatever happens."""
    settings = bench_settings(args.port, args.home).model_copy(
        update={"neo4j_heap": "1g", "neo4j_pagecache": "512m"}
    )
    server = LocalNeo4j(settings)
    log(f"starting Neo4j at {server.address} (home {server.home}) ...")
    server.start()
    try:
        measure(args, settings, server)
    finally:
        log("stopping Neo4j ...")
        server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Start the benchmark's Neo4j, measure, stop it whatever happens."""
    return on_bench_neo4j(parse_args(argv), measure)


if __name__ == "__main__":
    raise SystemExit(main())
