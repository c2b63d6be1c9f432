"""A people graph for the API benchmark, written straight into Neo4j with UNWIND.

People come in cells of 5 to 30 (a smuggling crew, a family, a call centre's staff).
Each person uses one to three phones, holds a Telegram account (some registered to
their phone) and, often, owns an Ethereum wallet. Phones call a few contacts, mostly
in their own cell; now and then a person also uses a cell mate's phone. A few identifiers
are hubs: phones listed by dozens of people (a shelter, an agency) and exchange
wallets; `ingest.hubs.flag_hubs` flags them as the loader would. The 2-hop
neighbourhood of a person then holds about a dozen nodes at the median (12 at 100,000
people), more around shared phones.

Loading goes through UNWIND ... CREATE in batches (the ingest benchmark measures the
loader; this one needs the graph quickly), after linkgraph's schema is applied so
the unique indexes on `id` exist for the relationship MATCHes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from neo4j import Driver

from graph_schema.apply import apply_schema
from graph_schema.loader import GraphModel
from ingest.hubs import HubPolicy, flag_hubs

DATASET = "bench_api"
BATCH = 10_000
CONTACTS_PER_PHONE = 4
OUTSIDE_CALL_SHARE = 0.15  # calls to someone outside the caller's cell
HUB_EVERY = 1_000  # one hub phone (and one hub wallet per two) per this many people
START = datetime(2024, 1, 1, tzinfo=UTC)


def person_id(index: int) -> str:
    """The id (and ref) of person `index`: what `Person:<id>` names in the API."""
    return f"{DATASET}:P{index:07d}"


@dataclass
class PeopleGraph:
    """Rows to create: nodes by label, relationships by type as (from id, to id, props)."""

    people: int
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rels: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def node(self, label: str, **props: Any) -> str:
        """Add a node; returns its id."""
        props |= {"record_count": 1, "datasets": [DATASET], "hub": False}
        self.nodes.setdefault(label, []).append(props)
        return str(props["id"])

    def rel(self, rel_type: str, source: str, target: str, **props: Any) -> None:
        """Add a relationship between two node ids."""
        row = {"a": source, "b": target, "p": {"record_count": 1, "datasets": [DATASET], **props}}
        self.rels.setdefault(rel_type, []).append(row)

    @property
    def node_count(self) -> int:
        """Nodes of every label."""
        return sum(len(rows) for rows in self.nodes.values())

    @property
    def rel_count(self) -> int:
        """Relationships of every type."""
        return sum(len(rows) for rows in self.rels.values())


def _seen(rng: random.Random) -> tuple[str, str]:
    first = START + timedelta(minutes=rng.randrange(300 * 24 * 60))
    last = first + timedelta(minutes=rng.randrange(60 * 24 * 60))
    return first.isoformat(), last.isoformat()


def generate(people: int, seed: int = 5) -> PeopleGraph:
    """The graph for `people` people (deterministic for a seed)."""
    rng = random.Random(seed)  # noqa: S311 (test data)
    graph = PeopleGraph(people)
    phones_of: list[list[str]] = []
    cells: list[range] = []
    start = 0
    while start < people:
        size = rng.randint(5, 30)
        cells.append(range(start, min(people, start + size)))
        start += size
    numbers = iter(range(10_000_000))

    def new_phone() -> str:
        number = next(numbers)
        e164 = f"+8491{(number * 7_654_321 + 1_234_567) % 10_000_000:07d}"
        return graph.node("Phone", id=e164, e164=e164, country="VN")

    for index in range(people):
        pid = graph.node(
            "Person",
            id=person_id(index),
            ref=person_id(index),
            name=f"Person {index}",
            name_key=f"person {index}",
        )
        count = 1 + (rng.random() < 0.25) + (rng.random() < 0.05)
        mine = [new_phone() for _ in range(count)]
        phones_of.append(mine)
        for phone in mine:
            graph.rel("USES", pid, phone, role="subscriber")
        handle = f"tg_{index:07d}"
        account = graph.node("Account", id=f"telegram:{handle}", platform="telegram", handle=handle)
        graph.rel("HOLDS", pid, account)
        if rng.random() < 0.3:
            graph.rel("REGISTERED_TO", account, mine[0])
        if rng.random() < 0.4:
            address = f"0x{rng.getrandbits(160):040x}"
            wallet = graph.node("Wallet", id=f"eth:{address}", chain="eth", address=address)
            graph.rel("OWNS", pid, wallet)

    called: set[tuple[str, str]] = set()
    for cell in cells:
        for member in cell:
            # A shared identifier now and then: a phone or a wallet of a cell mate.
            mate = rng.choice(cell)
            if mate != member and rng.random() < 0.05:
                graph.rel("USES", person_id(member), phones_of[mate][0], role="user")
            for phone in phones_of[member]:
                for _ in range(CONTACTS_PER_PHONE):
                    other = (
                        rng.randrange(people)
                        if rng.random() < OUTSIDE_CALL_SHARE
                        else rng.choice(cell)
                    )
                    callee = rng.choice(phones_of[other])
                    if callee != phone and (phone, callee) not in called:
                        called.add((phone, callee))
                        first, last = _seen(rng)
                        graph.rel(
                            "CALLED",
                            phone,
                            callee,
                            first_seen=first,
                            last_seen=last,
                            record_count=rng.randint(1, 40),
                            duration_s=rng.randint(10, 9_000),
                        )
    for hub in range(max(1, people // HUB_EVERY)):
        phone = new_phone()
        for member in rng.sample(range(people), min(people, rng.randint(15, 60))):
            graph.rel("USES", person_id(member), phone, role="contact_listed")
        if hub % 2 == 0:
            address = f"0x{rng.getrandbits(160):040x}"
            wallet = graph.node("Wallet", id=f"eth:{address}", chain="eth", address=address)
            for member in rng.sample(range(people), min(people, rng.randint(20, 100))):
                graph.rel("OWNS", person_id(member), wallet)
    return graph


def _write(driver: Driver, cypher: str, rows: list[dict[str, Any]], database: str) -> None:
    """`cypher` (an UNWIND over $rows) in transactions of BATCH rows."""
    for start in range(0, len(rows), BATCH):
        driver.execute_query(cypher, rows=rows[start : start + BATCH], database_=database)


def load(driver: Driver, model: GraphModel, graph: PeopleGraph, database: str) -> int:
    """Create `graph` in an empty database with linkgraph's schema; returns the hubs flagged."""
    apply_schema(driver, model, database)
    for label, rows in graph.nodes.items():
        model.node(label)  # a label the model lacks is a bug here, not data
        _write(driver, f"UNWIND $rows AS row CREATE (n:`{label}`) SET n = row", rows, database)
    times = ("first_seen", "last_seen")
    for rel_type, rows in graph.rels.items():
        spec = model.relationship(rel_type)
        source, target = spec.source[0], spec.target[0]
        # Times travel as ISO text parsed by Cypher: the driver converts Python
        # datetimes one by one in pure Python.
        parse = "".join(
            f"SET r.{name} = datetime(row.p.{name}) " for name in times if name in rows[0]["p"]
        )
        cypher = (
            f"UNWIND $rows AS row MATCH (a:`{source}` {{id: row.a}}) "
            f"MATCH (b:`{target}` {{id: row.b}}) "
            f"CREATE (a)-[r:`{rel_type}`]->(b) SET r = row.p {parse}"
        )
        _write(driver, cypher, rows, database)
    return flag_hubs(driver, model, HubPolicy(), database).flagged


def loaded_people(driver: Driver, database: str) -> int:
    """People of this benchmark already in the database (0 when none)."""
    records, _, _ = driver.execute_query(
        "MATCH (p:Person) WHERE p.id STARTS WITH $prefix RETURN count(p) AS n",
        prefix=f"{DATASET}:",
        database_=database,
    )
    return int(records[0]["n"])
