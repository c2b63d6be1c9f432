"""The ways the ingest benchmark loads the same data, and what it measures about them.

* linkgraph's `Loader`, run in a child process (`python -m bench.ingest --only loader`)
  so that its peak resident memory is its own;
* Neo4j's `LOAD CSV ... CALL (row) { MERGE ... } IN TRANSACTIONS` over the
  pre-normalised twins, with the same node and relationship MERGEs and properties
  but no provenance (no Evidence nodes);
* a naive loop sending one MERGE per fact, each in its own transaction, either the
  LOAD CSV MERGEs (no provenance) or linkgraph's own statements with a single row.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import ClientError

from bench.ingest_data import CALL_DATASET, SUBSCRIBER_DATASET, Dataset
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import GraphModel

DATABASE = "neo4j"
FACT_LABELS = ("Person", "Phone", "Account", "Wallet")
FACT_TYPES = ("USES", "HOLDS", "OWNS", "CALLED")
BOOKKEEPING_LABELS = ("Evidence", "IngestRun")
LOAD_CSV_BATCH = 10_000


BENCH_HOME = Path("/tmp/bench-neo4j")  # noqa: S108 (a dedicated, throw-away server)


def bench_settings(port: int, home: Path = BENCH_HOME) -> Settings:
    """Settings for the benchmark's own Neo4j (nothing read from the environment wins)."""
    return Settings(
        _env_file=None,
        environment="development",
        neo4j_uri=None,
        neo4j_password=None,
        neo4j_auth=True,
        neo4j_home=home,
        neo4j_port=port,
        neo4j_heap="4g",
        neo4j_pagecache="2g",
    )


# -- the database between methods ---------------------------------------------


def wipe(driver: Driver) -> float:
    """Delete every node and relationship (schema kept); seconds taken."""
    started = time.perf_counter()
    # CALL ... IN TRANSACTIONS needs an auto-commit transaction: session.run.
    with driver.session(database=DATABASE) as session:
        session.run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
        ).consume()
    return time.perf_counter() - started


def prepare(driver: Driver, model: GraphModel) -> None:
    """An empty graph with linkgraph's constraints and indexes, freshly checkpointed."""
    wipe(driver)
    apply_schema(driver, model, DATABASE)
    # Start every method from a checkpoint: none falls due in the middle of one
    # because an earlier method wrote the log.
    with contextlib.suppress(ClientError):
        driver.execute_query("CALL db.checkpoint()", database_=DATABASE)


@dataclass
class GraphCounts:
    """What a method left in the database."""

    nodes: dict[str, int] = field(default_factory=dict)
    rels: dict[str, int] = field(default_factory=dict)
    # Sum of record_count over fact nodes and relationships: the facts recorded.
    facts_recorded: int = 0
    called_duration: int = 0


def count_graph(driver: Driver) -> GraphCounts:
    """Node counts by label, relationship counts by type, and aggregate checksums."""
    counts = GraphCounts()
    for label in (*FACT_LABELS, *BOOKKEEPING_LABELS):
        records, _, _ = driver.execute_query(
            f"MATCH (n:`{label}`) RETURN count(n) AS n", database_=DATABASE
        )
        counts.nodes[label] = records[0]["n"]
    for rel_type in FACT_TYPES:
        records, _, _ = driver.execute_query(
            f"MATCH ()-[r:`{rel_type}`]->() RETURN count(r) AS n", database_=DATABASE
        )
        counts.rels[rel_type] = records[0]["n"]
    labels = "|".join(FACT_LABELS)
    types = "|".join(FACT_TYPES)
    nodes, _, _ = driver.execute_query(
        f"MATCH (n:{labels}) RETURN sum(n.record_count) AS n", database_=DATABASE
    )
    rels, _, _ = driver.execute_query(
        f"MATCH ()-[r:{types}]->() RETURN sum(r.record_count) AS n, "
        "sum(CASE WHEN r:CALLED THEN r.duration_s ELSE 0 END) AS d",
        database_=DATABASE,
    )
    counts.facts_recorded = (nodes[0]["n"] or 0) + (rels[0]["n"] or 0)
    counts.called_duration = rels[0]["d"] or 0
    return counts


def server_version(driver: Driver) -> str:
    """`Neo4j 5.x.y community`."""
    records, _, _ = driver.execute_query("CALL dbms.components()", database_=DATABASE)
    return f"Neo4j {records[0]['versions'][0]} {records[0]['edition']}"


# -- the MERGEs the baselines send (same nodes, relationships and properties) ---


def _prov(var: str) -> str:
    """linkgraph's per-fact bookkeeping (record_count, first/last seen, datasets)."""
    return (
        f"{var}.record_count = coalesce({var}.record_count, 0) + 1, "
        f"{var}.first_seen = CASE WHEN {var}.first_seen IS NULL OR seen < {var}.first_seen "
        f"THEN seen ELSE {var}.first_seen END, "
        f"{var}.last_seen = CASE WHEN {var}.last_seen IS NULL OR seen > {var}.last_seen "
        f"THEN seen ELSE {var}.last_seen END, "
        f"{var}.datasets = CASE WHEN $dataset IN coalesce({var}.datasets, []) "
        f"THEN {var}.datasets ELSE coalesce({var}.datasets, []) + $dataset END"
    )


def _evidence(var: str, eid_column: str) -> str:
    """CREATE the Evidence of one fact of a row, with linkgraph's properties."""
    return (
        f"CREATE ({var}:Evidence {{id: row.{eid_column}, record: row.record, run: $run, "
        f"record_no: toInteger(row.record_no), seen: seen}})\n"
    )


@dataclass(frozen=True)
class NodeMerge:
    """MERGE one node of a row by its canonical id."""

    var: str
    label: str
    id_column: str
    on_create: str
    sets: str = ""
    eid_column: str = ""

    def evidence(self) -> str:
        """CREATE the node's Evidence (the provenance baseline)."""
        return _evidence(f"e_{self.var}", self.eid_column)

    def cypher(self) -> str:
        """The MERGE clause (variables `row` and `seen` in scope)."""
        sets = ", ".join(part for part in (self.sets, _prov(self.var)) if part)
        return (
            f"MERGE ({self.var}:{self.label} {{id: row.{self.id_column}}})\n"
            f"ON CREATE SET {self.on_create}\nSET {sets}\n"
        )

    def match(self) -> str:
        """MATCH the node (for a relationship sent on its own)."""
        return f"MATCH ({self.var}:{self.label} {{id: row.{self.id_column}}})\n"


@dataclass(frozen=True)
class RelMerge:
    """MERGE one aggregated relationship between two nodes of a row."""

    var: str
    type: str
    source: NodeMerge
    target: NodeMerge
    sets: str = ""
    eid_column: str = ""

    def evidence(self) -> str:
        """CREATE the relationship's Evidence (the provenance baseline)."""
        return _evidence(f"e_{self.var}", self.eid_column)

    def cypher(self) -> str:
        """The MERGE clause (its ends bound)."""
        sets = ", ".join(part for part in (self.sets, _prov(self.var)) if part)
        return (
            f"MERGE ({self.source.var})-[{self.var}:{self.type}]->({self.target.var})\nSET {sets}\n"
        )


@dataclass(frozen=True)
class FileMerges:
    """The MERGEs for every row of one normalised file."""

    dataset: str
    nodes: tuple[NodeMerge, ...]
    rels: tuple[RelMerge, ...]

    def load_csv(self, url: str, provenance: bool = False) -> str:
        """One LOAD CSV statement: all MERGEs of a row per inner row, batched.

        With `provenance`, each fact's Evidence node is created too, with the same
        id and properties as linkgraph's (the fact's bookkeeping is not guarded by
        it, as linkgraph's is: this baseline is not idempotent, and the cheaper for it).
        """
        body = "".join(node.cypher() for node in self.nodes)
        body += "".join(rel.cypher() for rel in self.rels)
        if provenance:
            body += "".join(node.evidence() for node in self.nodes)
            body += "".join(rel.evidence() for rel in self.rels)
        return (
            f"LOAD CSV WITH HEADERS FROM '{url}' AS row\n"
            "CALL (row) {\n"
            "WITH row, datetime(row.seen) AS seen\n"
            f"{body}"
            f"}} IN TRANSACTIONS OF {LOAD_CSV_BATCH} ROWS"
        )

    def per_fact(self) -> list[str]:
        """One statement per fact, for the naive loop (`$row` is the CSV row)."""
        head = "WITH $row AS row, datetime($row.seen) AS seen\n"
        statements = [head + node.cypher() for node in self.nodes]
        statements += [
            head + rel.source.match() + rel.target.match() + rel.cypher() for rel in self.rels
        ]
        return statements


_PERSON = NodeMerge(
    "p",
    "Person",
    "person_id",
    "p.ref = row.person_id",
    "p.name = row.name, p.name_key = row.name_key",
    "e_person",
)
_PHONE = NodeMerge(
    "ph", "Phone", "phone_id", "ph.e164 = row.phone_id", "ph.country = row.phone_country", "e_phone"
)
_ACCOUNT = NodeMerge(
    "a", "Account", "account_id", "a.platform = 'telegram', a.handle = row.handle", "", "e_account"
)
_WALLET = NodeMerge(
    "w", "Wallet", "wallet_id", "w.chain = 'eth', w.address = row.address", "", "e_wallet"
)
_CALLER = NodeMerge(
    "c1",
    "Phone",
    "caller_id",
    "c1.e164 = row.caller_id",
    "c1.country = row.caller_country",
    "e_caller",
)
_CALLEE = NodeMerge(
    "c2",
    "Phone",
    "callee_id",
    "c2.e164 = row.callee_id",
    "c2.country = row.callee_country",
    "e_callee",
)

SUBSCRIBER_MERGES = FileMerges(
    SUBSCRIBER_DATASET,
    (_PERSON, _PHONE, _ACCOUNT, _WALLET),
    (
        RelMerge("u", "USES", _PERSON, _PHONE, "u.role = 'subscriber'", "e_uses"),
        RelMerge("h", "HOLDS", _PERSON, _ACCOUNT, "", "e_holds"),
        RelMerge("o", "OWNS", _PERSON, _WALLET, "", "e_owns"),
    ),
)
CALL_MERGES = FileMerges(
    CALL_DATASET,
    (_CALLER, _CALLEE),
    (
        RelMerge(
            "k",
            "CALLED",
            _CALLER,
            _CALLEE,
            "k.duration_s = coalesce(k.duration_s, 0) + toInteger(row.duration)",
            "e_called",
        ),
    ),
)
FILE_MERGES = (SUBSCRIBER_MERGES, CALL_MERGES)


# -- LOAD CSV -----------------------------------------------------------------


def load_csv(
    driver: Driver, dataset: Dataset, import_dir: Path, *, provenance: bool = False
) -> float:
    """LOAD CSV both normalised files (copied into Neo4j's import dir); seconds taken.

    With `provenance`, also linkgraph's Evidence node per fact (same ids and properties).
    """
    import_dir.mkdir(parents=True, exist_ok=True)
    urls = []
    for path in dataset.normalised_files:
        target = import_dir / f"{dataset.directory.name}-{path.name}"
        shutil.copyfile(path, target)
        urls.append(f"file:///{target.name}")
    started = time.perf_counter()
    with driver.session(database=DATABASE) as session:
        for merges, url in zip(FILE_MERGES, urls, strict=True):
            session.run(
                merges.load_csv(url, provenance),
                dataset=merges.dataset,
                run="load-csv",
            ).consume()
    return time.perf_counter() - started


def load_csv_plan(driver: Driver) -> str:
    """How the LOAD CSV statements are planned: index seeks, and where any Eager sits."""
    operators: set[str] = set()
    eager_outside: list[str] = []

    def walk(node: Any, per_row: bool) -> None:
        operator = str(node["operatorType"]).split("@")[0]
        operators.add(operator)
        if operator == "Eager" and not per_row:
            eager_outside.append(operator)
        children = node.get("children", [])
        for index, child in enumerate(children):
            # TransactionForeach's second child is the subquery, run for one row at a time.
            walk(child, per_row or (operator == "TransactionForeach" and index == 1))

    for merges in FILE_MERGES:
        with driver.session(database=DATABASE) as session:
            plan = (
                session.run("EXPLAIN " + merges.load_csv("file:///none.csv"), dataset="x")
                .consume()
                .plan
            )
        if plan:
            walk(plan, per_row=False)
    seeks = sorted(op for op in operators if "Seek" in op)
    scans = sorted(op for op in operators if "Scan" in op)
    return (
        f"node lookups {', '.join(seeks) or 'NONE'}; scans {', '.join(scans) or 'none'}; "
        f"Eager {'OUTSIDE' if eager_outside else 'only inside'} the per-row subquery"
    )


# -- the naive loops ----------------------------------------------------------


@dataclass
class Sample:
    """The first records of each file, in the same proportions as the whole data."""

    subscribers: int
    calls: int

    @property
    def records(self) -> int:
        """Records in the sample."""
        return self.subscribers + self.calls

    @property
    def facts(self) -> int:
        """Facts the sample asserts."""
        return 7 * self.subscribers + 3 * self.calls

    @classmethod
    def of(cls, dataset: Dataset, records: int) -> Sample:
        """A sample of about `records` records of `dataset`."""
        records = min(records, dataset.records)
        subscribers = max(1, round(records * dataset.subscribers / dataset.records))
        return cls(subscribers, max(1, records - subscribers))

    def limits(self) -> tuple[int, int]:
        """Records to take from each file, in load order."""
        return self.subscribers, self.calls


def _head(path: Path, count: int) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        for index, row in enumerate(csv.DictReader(handle)):
            if index >= count:
                return
            yield row


def naive_merges(driver: Driver, dataset: Dataset, sample: Sample) -> tuple[float, int]:
    """One auto-commit MERGE per fact (LOAD CSV's MERGEs); (seconds, transactions)."""
    sent = 0
    started = time.perf_counter()
    for merges, path, limit in zip(
        FILE_MERGES, dataset.normalised_files, sample.limits(), strict=True
    ):
        statements = merges.per_fact()
        for row in _head(path, limit):
            for statement in statements:
                driver.execute_query(statement, row=row, dataset=merges.dataset, database_=DATABASE)
                sent += 1
    return time.perf_counter() - started, sent


def naive_linkgraph(
    driver: Driver, model: GraphModel, dataset: Dataset, sample: Sample
) -> tuple[float, int]:
    """linkgraph's mapping and statements, one fact (its Evidence and its row) per transaction."""
    from ingest.batch import Batch
    from ingest.mapping import load_mapping
    from ingest.readers import SourceFile
    from ingest.records import Facts, RecordMapper
    from ingest.writer import BatchWriter

    sent = 0
    started = time.perf_counter()
    for mapping_path, path, limit in zip(
        dataset.mappings, dataset.raw_files, sample.limits(), strict=True
    ):
        mapping = load_mapping(mapping_path, model)
        mapper = RecordMapper(mapping, model)
        params: dict[str, Any] = {"dataset": mapping.dataset, "run": "naive"}
        writer = BatchWriter(driver, model, DATABASE, params)
        try:
            with SourceFile(path, mapping.source) as source:
                for record_no, record in source.records():
                    if record_no > limit:
                        break
                    facts = mapper.map(record)
                    one_each = [Facts(facts.record_key, facts.seen, nodes=[node])
                                for node in facts.nodes]  # fmt: skip
                    one_each += [Facts(facts.record_key, facts.seen, rels=[rel])
                                 for rel in facts.rels]  # fmt: skip
                    for fact in one_each:
                        batch = Batch()
                        batch.add(fact, record_no)
                        writer.write(batch)  # synchronously, in this thread
                        sent += 1
        finally:
            writer.close()
    return time.perf_counter() - started, sent


# -- linkgraph's loader, in a child process ------------------------------------


@dataclass
class LoaderResult:
    """What one child loader run measured."""

    seconds: float
    records_loaded: int
    records_rejected: int
    rss_start_kib: int
    rss_peak_kib: int
    # The mapping child processes (ingest.mapping_process): the largest peak, and CPU.
    rss_child_kib: int = 0
    child_cpu_s: float = 0.0
    # The loader's own process (all its threads) during the load.
    cpu_s: float = 0.0
    # The benchmark's Neo4j during the load (set by the parent, from /proc).
    server_cpu_s: float = 0.0
    # The writer thread's time in BatchWriter.write: transactions, client packing included.
    write_s: float = 0.0
    # The main thread's time in BatchWriter.submit and close: waiting for the previous
    # batch to be written (or, in the serial variant, writing the batch itself).
    blocked_s: float = 0.0
    hubs_s: float = 0.0
    runs_s: float = 0.0
    # One whole-graph hub check on the loaded graph, after the run (not in `seconds`).
    whole_graph_hubs_s: float = 0.0
    batches: int = 0
    checked_batches: int = 0
    per_file_s: list[float] = field(default_factory=list)
    # Statement key -> [seconds in run+consume, calls, rows].
    statements: dict[str, list[float]] = field(default_factory=dict)
    variant: str = "linkgraph"
    dry_run: bool = False

    @property
    def peak_kib(self) -> int:
        """Peak RSS of the loader's process and its mapping child together.

        An upper bound: the forked child shares its parent's pages until either writes them.
        """
        return self.rss_peak_kib + self.rss_child_kib

    @property
    def python_s(self) -> float:
        """The main thread's own time: taking in the mapped batches from the child."""
        return self.seconds - self.blocked_s - self.hubs_s - self.runs_s

    @property
    def statements_s(self) -> float:
        """Time in the batch statements (from tx.run to the end of consume)."""
        return sum(seconds for seconds, _, _ in self.statements.values())

    @property
    def overlap_s(self) -> float:
        """Taking in batches and writing at the same time (the writer thread's gain)."""
        return max(0.0, self.python_s + self.write_s - (self.seconds - self.hubs_s - self.runs_s))


def run_loader_subprocess(
    dataset: Dataset,
    batch_size: int,
    port: int,
    *,
    variant: str = "linkgraph",
    dry_run: bool = False,
    writers: int = 1,
    home: Path = BENCH_HOME,
) -> LoaderResult:
    """Run the loader over `dataset` in a fresh interpreter; its measurements."""
    result_path = dataset.directory / f"loader-result-{batch_size}-{variant}.json"
    command = [
        sys.executable,
        "-m",
        "bench.ingest",
        "--only",
        "loader",
        "--data-dir",
        str(dataset.directory),
        "--batch-size",
        str(batch_size),
        "--port",
        str(port),
        "--result",
        str(result_path),
        "--variant",
        variant,
        "--writers",
        str(writers),
        "--home",
        str(home),
    ]
    if dry_run:
        command.append("--dry-run")
    completed = subprocess.run(
        command, capture_output=True, text=True, check=False, cwd=Path(__file__).parent.parent
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"loader child failed ({completed.returncode}):\n{completed.stderr[-4000:]}"
        )
    return LoaderResult(**json.loads(result_path.read_text()))


_KEY_RE = re.compile(
    r"(?P<create>CREATE \(e:Evidence)|(?P<check>MATCH \(e:Evidence)"
    r"|MERGE \((?:x:`(?P<label>[^`]+)`|a\)-\[x:`(?P<type>[^`]+)`)"
    r"|UNWIND \$ids AS id MATCH \(x:`(?P<hub>[^`]+)`"
)


def _statement_key(query: str) -> str:
    match = _KEY_RE.search(query)
    if match is None:
        return "other"
    if match["create"]:
        return "Evidence CREATE"
    if match["check"]:
        return "Evidence ids check"
    if match["hub"]:
        return f"hub flags {match['hub']}"
    return f"node {match['label']} MERGE" if match["label"] else f"rel {match['type']} MERGE"


def _timed(target: Any, name: str, into: Callable[[float], None]) -> None:
    original = getattr(target, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            into(time.perf_counter() - started)

    setattr(target, name, wrapper)


class _TimedResult:
    """Stands in for a Result; times from `run` to the end of `consume` or `single`."""

    def __init__(self, result: Any, started: float, slot: list[float]) -> None:
        self._result = result
        self._started = started
        self._slot = slot

    def consume(self) -> Any:
        summary = self._result.consume()
        self._slot[0] += time.perf_counter() - self._started
        return summary

    def single(self, *args: Any, **kwargs: Any) -> Any:
        record = self._result.single(*args, **kwargs)
        self._slot[0] += time.perf_counter() - self._started
        return record

    def __getattr__(self, name: str) -> Any:
        return getattr(self._result, name)


def _serial(writer_module: Any, records_module: Any) -> None:
    """Write each batch in the main thread: no overlap of taking in and writing."""

    def submit(self: Any, batch: Any) -> None:
        self.write(batch)

    writer_module.BatchWriter.submit = submit


def _checked(writer_module: Any, records_module: Any) -> None:
    """Check every batch's Evidence ids before creating them (no optimistic CREATE)."""
    writer_module.BatchWriter.optimistic = False


def _no_key_cache(writer_module: Any, records_module: Any) -> None:
    """Normalise every key value afresh (the mapper's cache of recent key values off)."""
    records_module.KEY_CACHE_SIZE = 0


def _no_evidence(writer_module: Any, records_module: Any) -> None:
    """Create no Evidence (prices provenance; the facts are still counted)."""
    writer_module.EVIDENCE_CREATE = "RETURN 0"


VARIANTS: dict[str, Callable[[Any, Any], None]] = {
    "serial": _serial,
    "checked": _checked,
    "no-key-cache": _no_key_cache,
    "no-evidence": _no_evidence,
}
# The variants the benchmark runs, next to the loader as it is.
EXPERIMENTS = ("serial", "checked", "no-key-cache", "no-evidence")


def _apply_variant(variant: str) -> None:
    """Change the loader in this process only: `linkgraph`, or VARIANTS joined by +."""
    import ingest.records as records_module
    import ingest.writer as writer_module

    parts = [part for part in variant.split("+") if part != "linkgraph"]
    unknown = [part for part in parts if part not in VARIANTS]
    if unknown:
        raise ValueError(f"unknown variant {unknown} (known: linkgraph, {sorted(VARIANTS)})")
    for part in parts:
        VARIANTS[part](writer_module, records_module)


def loader_child(
    data_dir: Path,
    batch_size: int,
    port: int,
    result: Path,
    variant: str,
    dry_run: bool,
    writers: int = 1,
    home: Path = BENCH_HOME,
) -> None:
    """The child's work: load both mappings, time the parts, write the result as JSON."""
    import ingest.loader as loader_module
    import ingest.writer as writer_module
    from core.db import open_driver
    from graph_schema.loader import load_model
    from ingest.check import check_file
    from ingest.hubs import HubPolicy, flag_hubs

    settings = bench_settings(port, home)
    model = load_model()
    driver = open_driver(settings)
    measured = LoaderResult(0.0, 0, 0, 0, 0, variant=variant, dry_run=dry_run)
    statements: dict[str, list[float]] = defaultdict(lambda: [0.0, 0, 0])

    def add(attribute: str) -> Callable[[float], None]:
        def into(seconds: float) -> None:
            setattr(measured, attribute, getattr(measured, attribute) + seconds)

        return into

    _apply_variant(variant)  # first: the timing below wraps the variant's methods
    # Time the database calls without touching the loader's code: wrap what it calls.
    _timed(loader_module, "flag_hubs", add("hubs_s"))
    _timed(loader_module, "save_run", add("runs_s"))
    _timed(writer_module.BatchWriter, "write", add("write_s"))
    _timed(writer_module.BatchWriter, "submit", add("blocked_s"))
    _timed(writer_module.BatchWriter, "close", add("blocked_s"))
    original_work = writer_module.BatchWriter._work

    def counted_work(self: Any, tx: ManagedTransaction, batch: Any, check: bool) -> Any:
        measured.batches += 1
        measured.checked_batches += int(check)
        return original_work(self, tx, batch, check)

    writer_module.BatchWriter._work = counted_work  # type: ignore[method-assign]
    original_run = ManagedTransaction.run

    def timed_run(
        self: ManagedTransaction, query: Any, parameters: Any = None, **kwargs: Any
    ) -> Any:
        key = _statement_key(str(query))
        if key == "other":  # not a batch statement (runs, hubs): not ours to time
            return original_run(self, query, parameters, **kwargs)
        slot = statements[key]
        slot[1] += 1
        sent = kwargs.get("rows") or kwargs.get("ids") or (parameters or {}).get("rows") or []
        slot[2] += len(sent)
        started = time.perf_counter()
        return _TimedResult(original_run(self, query, parameters, **kwargs), started, slot)

    ManagedTransaction.run = timed_run  # type: ignore[method-assign, assignment]

    loader = loader_module.Loader(driver, model, DATABASE, batch_size, writers=writers)
    before = resource.getrusage(resource.RUSAGE_SELF)
    measured.rss_start_kib = before.ru_maxrss
    started = time.perf_counter()
    try:
        for mapping in (data_dir / "subscribers.yaml", data_dir / "calls.yaml"):
            file_started = time.perf_counter()
            if dry_run:  # the mapping alone: the same mapper, no database
                summary = check_file(mapping, model, rejects_dir=data_dir / "rejects").summary
            else:
                summary = loader.load(mapping, rejects_dir=data_dir / "rejects")
            measured.per_file_s.append(time.perf_counter() - file_started)
            measured.records_loaded += summary.records_loaded
            measured.records_rejected += summary.records_rejected
        measured.seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        if not dry_run:
            # What every load paid when hub checks covered the whole graph.
            began = time.perf_counter()
            flag_hubs(driver, model, HubPolicy(), DATABASE)
            measured.whole_graph_hubs_s = time.perf_counter() - began
    finally:
        driver.close()
    measured.rss_peak_kib = after.ru_maxrss
    measured.cpu_s = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    measured.rss_child_kib = children.ru_maxrss
    measured.child_cpu_s = children.ru_utime + children.ru_stime
    measured.statements = dict(statements)
    result.write_text(json.dumps(measured.__dict__))


def process_cpu(pid: int | None) -> float:
    """CPU seconds a running process has used so far (0.0 when it cannot be read)."""
    if pid is None:
        return 0.0
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    # The fields after the command name (which may hold spaces) in its parentheses.
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- client-side cost of single values ----------------------------------------

DATETIME_COST = "neo4j driver: one datetime parameter (dehydration)"


def client_costs(repeat: int = 5, number: int = 2000) -> list[tuple[str, float]]:
    """Microseconds per call of the per-value work the loader does in Python."""
    import timeit
    from datetime import UTC, datetime

    from ingest.loader import evidence_id
    from normalise import (
        normalise_account,
        normalise_datetime,
        normalise_name,
        normalise_phone,
        normalise_wallet,
    )
    from normalise.phone import _plain_number as plain_numbers
    from normalise.wallet import eip55_checksum

    def new_number() -> object:
        plain_numbers.cache_clear()  # parsed, not remembered
        return normalise_phone("091 234 5678", "VN")

    address = "0xdb3a9c7750fbed555cb926d91bf950f5e84b71e3"
    checksummed = eip55_checksum(address)
    seen = datetime(2024, 11, 26, 12, 37, tzinfo=UTC)
    cases: list[tuple[str, Callable[[], object]]] = [
        ("normalise_phone('091 234 5678', 'VN'), a new number", new_number),
        ("normalise_phone('091-234-5678', 'VN'), its compact form seen",
         lambda: normalise_phone("091-234-5678", "VN")),
        ("normalise_wallet(lower-case 0x address)", lambda: normalise_wallet(address)),
        ("normalise_wallet(EIP-55 checksummed address)", lambda: normalise_wallet(checksummed)),
        ("normalise_account('@Tg_0000001Y', 'telegram')",
         lambda: normalise_account("@Tg_0000001Y", "telegram")),
        ("normalise_name('Nguyễn Văn  An')", lambda: normalise_name("Nguyễn Văn  An")),
        ("normalise_datetime(local time, format, zone)",
         lambda: normalise_datetime("2024-03-01 10:00", tz="Asia/Ho_Chi_Minh",
                                    fmt="%Y-%m-%d %H:%M")),
        ("evidence_id(fact, record)", lambda: evidence_id("Phone:+84912345678", "cdr:C1")),
    ]  # fmt: skip
    try:
        from neo4j._codec.hydration.bolt.v2.temporal import dehydrate_datetime

        cases.append((DATETIME_COST, lambda: dehydrate_datetime(seen)))  # type: ignore[no-untyped-call]
    except ImportError:  # a private module of the driver: measured when it is there
        pass
    costs = []
    for name, call in cases:
        best = min(timeit.repeat(call, repeat=repeat, number=number)) / number
        costs.append((name, best * 1e6))
    return costs
