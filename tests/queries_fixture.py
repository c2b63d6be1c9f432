"""A small investigation graph for the saved-query tests, written as ingest would write it.

Two groups and a go-between:

* group A (seed Nguyen Van An, `police:A1`): An and Binh share the phone +639171234567;
  Binh and Cuong share the wallet eth:0x742d...; Cuong's phone +84912345678 is new.
* group B (seed Maria Santos, `police:B1`): Maria and Juan share +639177654321.
* Somchai (`police:X1`) is in neither group but is associated with Cuong, calls the
  group-B phone and messages accounts of both groups; he owns the collector wallet
  eth:0xab58... that group A pays.
* A shelter hotline +16045550134 (hub) is used by An, Maria and two unrelated people; an
  exchange wallet (hub) and a busy hotel (hub) would glue everything together.

Every node and relationship carries provenance (`first_seen`, `last_seen`,
`record_count`, `datasets`) computed from its Evidence nodes, which are named exactly
as `ingest.records` names facts; five IngestRun nodes cover completed, failed and
running loads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver

from ingest.loader import evidence_id


def at(text: str) -> datetime:
    """An aware UTC datetime from `YYYY-MM-DDTHH:MM`."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# People.
AN, BINH, CUONG = "police:A1", "police:A2", "police:A3"
MARIA, JUAN = "police:B1", "police:B2"
SOMCHAI, GRACE, AUNG = "police:X1", "police:S1", "police:S2"
# Phones.
PH_AN_BINH = "+639171234567"
PH_CUONG = "+84912345678"
PH_SOMCHAI = "+66812345678"
PH_SANTOS = "+639177654321"
PH_HOTLINE = "+16045550134"  # hub
PH_JUAN = "+60123456789"
# Accounts.
TG_KO_MIN = "telegram:ko_min"
WA_AN = "whatsapp:+639171234567"
FB_LINH = "facebook:linhnguyen88"
TG_SANTOS = "telegram:santos_travel"
TG_PRASERT = "telegram:prasert_tx"
# Wallets.
W_SHARED = "eth:0x742d35cc6634c0532925a3b844bc454e4438f44e"
W_AN = "eth:0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae"
W_COLLECTOR = "eth:0xab5801a7d398351b8be11c439e05c5b3259aec9b"
W_EXCHANGE = "eth:0x52908400098527886e0f7030069857d2e4169ee7"  # hub
W_MARIA = "btc:bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"
W_MARIA_OUT = "btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"
# Places.
MAE_SOT = "place:TH:mae-sot-friendship-bridge"
BUKIT = "place:MY:bukit-kayu-hitam"
HOTEL = "place:TH:sukhumvit-11-hotel"  # hub

# Ingest runs: (id, dataset, status, started, rejected).
RUN_POLICE = "police-20240301T000000Z-a1a1a1"
RUN_CHAIN = "chain-20240302T000000Z-c2c2c2"
RUN_TELCO = "telco-20240405T000000Z-b2b2b2"
RUN_BORDER = "border-20240410T000000Z-d3d3d3"
RUN_OSINT = "osint-20240412T000000Z-e4e4e4"
RUNS: list[dict[str, Any]] = [
    {
        "id": RUN_POLICE,
        "dataset": "police",
        "status": "completed",
        "started_at": at("2024-03-01T00:00"),
        "ended_at": at("2024-03-01T00:01"),
        "records_read": 30,
        "records_loaded": 30,
        "records_rejected": 0,
        "file": "suspects.csv",
    },
    {
        "id": RUN_CHAIN,
        "dataset": "chain",
        "status": "completed",
        "started_at": at("2024-03-02T00:00"),
        "ended_at": at("2024-03-02T00:02"),
        "records_read": 7,
        "records_loaded": 7,
        "records_rejected": 0,
        "file": "transfers.jsonl",
    },
    {
        "id": RUN_TELCO,
        "dataset": "telco",
        "status": "completed",
        "started_at": at("2024-04-05T00:00"),
        "ended_at": at("2024-04-05T00:03"),
        "records_read": 14,
        "records_loaded": 12,
        "records_rejected": 2,
        "rejects_file": "rejects/telco-20240405T000000Z-b2b2b2.jsonl",
        "file": "cdr.csv",
    },
    {
        "id": RUN_BORDER,
        "dataset": "border",
        "status": "failed",
        "error": "connection to the database lost",
        "started_at": at("2024-04-10T00:00"),
        "ended_at": at("2024-04-10T00:01"),
        "records_read": 10,
        "records_loaded": 9,
        "records_rejected": 1,
        "rejects_file": "rejects/border-20240410T000000Z-d3d3d3.jsonl",
        "file": "crossings.csv",
    },
    {
        "id": RUN_OSINT,
        "dataset": "osint",
        "status": "running",
        "started_at": at("2024-04-12T00:00"),
        "records_read": 0,
        "records_loaded": 0,
        "records_rejected": 0,
        "file": "profiles.jsonl",
    },
]
RUN_OF = {run["dataset"]: run["id"] for run in RUNS}

# Analytics write-back: the latest analysis run put Maria, Juan and Somchai (who calls
# and messages them) in one network; the others are in no reported network.
ANALYSIS_RUN = "analysis-20240415T000000Z-f5f5f5"
NETWORK_B = f"{ANALYSIS_RUN}:0"
ANALYTICS: dict[str, dict[str, Any]] = {
    ref: {
        "community": 0,
        "network_id": NETWORK_B,
        "network_rank": 1,
        "pagerank": pagerank,
        "betweenness": betweenness,
        "broker_score": broker,
        "analysis_run": ANALYSIS_RUN,
    }
    for ref, pagerank, betweenness, broker in [
        ("police:B1", 0.31, 0.2, 0.4),
        ("police:B2", 0.22, 0.0, 0.1),
        ("police:X1", 0.27, 0.6, 0.9),
    ]
}

# A record asserting a fact: (record id within its dataset, event time or None).
Rec = tuple[str, datetime | None]
# The records of one dataset asserting a fact.
Source = tuple[str, Sequence[Rec]]


@dataclass
class GraphBuilder:
    """Collects nodes, relationships and their Evidence, then writes them in one go."""

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    record_no: int = 0

    def _provenance(self, fact: str, dataset: str, records: Sequence[Rec]) -> dict[str, Any]:
        seen = [when for _, when in records if when is not None]
        for record, when in records:
            self.record_no += 1
            key = f"{dataset}:{record}"
            run = next(r for r in RUNS if r["id"] == RUN_OF[dataset])
            self.evidence.append(
                {
                    "id": evidence_id(fact, key),
                    "record": key,
                    "record_no": self.record_no,
                    "run": run["id"],
                    "seen": when,
                }
            )
        return {
            "first_seen": min(seen) if seen else None,
            "last_seen": max(seen) if seen else None,
            "record_count": len(records),
            "datasets": [dataset],
        }

    def node(self, label: str, node_id: str, props: dict[str, Any], *sources: Source) -> None:
        """A node asserted by records of one or more datasets."""
        row = {"id": node_id, **props}
        self._merge(row, f"{label}:{node_id}", sources)
        self.nodes.setdefault(label, []).append(row)

    def rel(
        self,
        rel_type: str,
        source: tuple[str, str],
        target: tuple[str, str],
        props: dict[str, Any],
        *sources: Source,
        event_key: str | None = None,
        identity: str = "",
    ) -> None:
        """A relationship; `event_key` makes it an event (`TYPE:<id>` fact)."""
        (source_label, source_id), (target_label, target_id) = source, target
        row: dict[str, Any] = {"source": source_id, "target": target_id, "props": dict(props)}
        if event_key is not None:
            rel_id = f"{source_id}->{target_id}|{event_key}"
            row["props"]["id"] = rel_id
            fact = f"{rel_type}:{rel_id}"
        else:
            fact = f"{rel_type}:{source_id}->{target_id}{identity}"
        self._merge(row["props"], fact, sources)
        self.rels.setdefault((rel_type, source_label, target_label), []).append(row)

    def _merge(self, props: dict[str, Any], fact: str, sources: tuple[Any, ...]) -> None:
        merged: dict[str, Any] = {"record_count": 0, "datasets": []}
        for dataset, records in sources:
            part = self._provenance(fact, dataset, records)
            merged["record_count"] += part["record_count"]
            merged["datasets"].append(dataset)
            for key, pick in (("first_seen", min), ("last_seen", max)):
                values = [v for v in (merged.get(key), part[key]) if v is not None]
                merged[key] = pick(values) if values else None
        props.update({k: v for k, v in merged.items() if v is not None})

    def write(self, driver: Driver, database: str) -> None:
        """Write everything with parameterised statements (labels are the model's)."""
        for label, rows in self.nodes.items():
            driver.execute_query(
                f"UNWIND $rows AS row CREATE (n:`{label}`) SET n = row",
                rows=rows,
                database_=database,
            )
        for (rel_type, source_label, target_label), rows in self.rels.items():
            driver.execute_query(
                f"UNWIND $rows AS row "
                f"MATCH (a:`{source_label}` {{id: row.source}}) "
                f"MATCH (b:`{target_label}` {{id: row.target}}) "
                f"CREATE (a)-[r:`{rel_type}`]->(b) SET r = row.props",
                rows=rows,
                database_=database,
            )
        driver.execute_query(
            "UNWIND $rows AS row CREATE (e:Evidence) SET e = row",
            rows=[{k: v for k, v in e.items() if v is not None} for e in self.evidence],
            database_=database,
        )
        driver.execute_query(
            "UNWIND $rows AS row CREATE (r:IngestRun) SET r = row, r.run_id = row.id",
            rows=RUNS,
            database_=database,
        )


def _people(g: GraphBuilder) -> None:
    people = [
        (AN, "Nguyen Van An", "VN"),
        (BINH, "Tran Thi Binh", "VN"),
        (CUONG, "Le Van Cuong", "VN"),
        (MARIA, "Maria Santos", "PH"),
        (JUAN, "Juan Reyes", "PH"),
        (SOMCHAI, "Somchai Prasert", "TH"),
        (GRACE, "Grace Lim", "CA"),
        (AUNG, "Aung Ko", "MM"),
    ]
    for ref, name, nationality in people:
        props = {"ref": ref, "name": name, "name_key": name.casefold(), "nationality": nationality}
        props.update(ANALYTICS.get(ref, {}))
        g.node("Person", ref, props, ("police", [(f"p-{ref[-2:]}", None)]))


def _identifiers(g: GraphBuilder) -> None:
    phones = [
        (PH_AN_BINH, "PH", False, ["telco"]),
        (PH_CUONG, "VN", False, ["telco"]),
        (PH_SOMCHAI, "TH", False, ["telco"]),
        (PH_SANTOS, "PH", False, ["telco"]),
        (PH_HOTLINE, "CA", True, ["telco"]),
        (PH_JUAN, "MY", False, []),
    ]
    for e164, country, hub, extra in phones:
        props: dict[str, Any] = {"e164": e164, "country": country, "number_type": "mobile"}
        props["hub"] = hub
        if hub:
            props["hub_reason"] = "linked to 4 people (hub policy: >= 4)"
        sources: list[Source] = [("police", [(f"ph-{e164}", None)])]
        sources += [(d, [(f"sub-{e164}", at("2024-03-01T00:00"))]) for d in extra]
        g.node("Phone", e164, props, *sources)
    accounts = [
        (TG_KO_MIN, "Ko Min", "police"),
        (WA_AN, "An", "telco"),
        (FB_LINH, "Linh Nguyen", "osint"),
        (TG_SANTOS, "Santos Travel", "police"),
        (TG_PRASERT, "P. TX", "police"),
    ]
    for account_id, display, dataset in accounts:
        platform, handle = account_id.split(":", 1)
        props = {"platform": platform, "handle": handle, "display_name": display, "hub": False}
        g.node("Account", account_id, props, (dataset, [(f"acc-{account_id}", None)]))
    wallets = [
        (W_SHARED, None, False),
        (W_AN, None, False),
        (W_COLLECTOR, None, False),
        (W_EXCHANGE, "Exchange hot wallet", True),
        (W_MARIA, None, False),
        (W_MARIA_OUT, None, False),
    ]
    for wallet_id, tag, hub in wallets:
        chain, address = wallet_id.split(":", 1)
        props = {"chain": chain, "address": address, "hub": hub}
        if tag:
            props["tag"] = tag
        if hub:
            props["hub_reason"] = "exchange hot wallet"
        g.node("Wallet", wallet_id, props, ("chain", [(f"w-{wallet_id}", None)]))
    places = [
        (MAE_SOT, "Mae Sot Friendship Bridge", "TH", "border_crossing", False),
        (BUKIT, "Bukit Kayu Hitam", "MY", "border_crossing", False),
        (HOTEL, "Sukhumvit 11 Hotel", "TH", "hotel", True),
    ]
    for place_id, name, country, category, hub in places:
        props = {
            "place_key": place_id,
            "name": name,
            "country": country,
            "category": category,
            "hub": hub,
        }
        if hub:
            props["hub_reason"] = "busy hotel"
        g.node("Location", place_id, props, ("border", [(f"l-{place_id}", None)]))


def _links(g: GraphBuilder) -> None:
    person, phone, account, wallet = "Person", "Phone", "Account", "Wallet"
    uses = [
        (AN, PH_AN_BINH, "2024-01-15T00:00", True),
        (BINH, PH_AN_BINH, "2024-01-20T00:00", False),
        (CUONG, PH_CUONG, "2024-03-05T00:00", False),
        (SOMCHAI, PH_SOMCHAI, "2024-01-10T00:00", False),
        (MARIA, PH_SANTOS, "2024-01-05T00:00", False),
        (JUAN, PH_SANTOS, "2024-02-05T00:00", False),
        (JUAN, PH_JUAN, "2024-02-06T00:00", False),
        (AN, PH_HOTLINE, "2024-02-01T00:00", False),
        (MARIA, PH_HOTLINE, "2024-02-02T00:00", False),
        (GRACE, PH_HOTLINE, "2024-02-03T00:00", False),
        (AUNG, PH_HOTLINE, "2024-02-04T00:00", False),
    ]
    for who, number, when, also_telco in uses:
        sources: list[Source] = [("police", [(f"u-{who[-2:]}-{number}", at(when))])]
        if also_telco:
            sources.append(("telco", [(f"sub-{who[-2:]}", at(when))]))
        g.rel("USES", (person, who), (phone, number), {"role": "user"}, *sources)
    holds = [
        (BINH, TG_KO_MIN, "2024-03-15T00:00"),
        (AN, WA_AN, "2024-02-01T00:00"),
        (MARIA, TG_SANTOS, "2024-01-05T00:00"),
        (SOMCHAI, TG_PRASERT, "2024-01-10T00:00"),
    ]
    for who, handle, when in holds:
        g.rel(
            "HOLDS", (person, who), (account, handle), {}, ("police", [(f"h-{handle}", at(when))])
        )
    registered = [
        (TG_KO_MIN, PH_AN_BINH, "police"),
        (WA_AN, PH_AN_BINH, "telco"),
        (FB_LINH, PH_AN_BINH, "osint"),
        (TG_SANTOS, PH_SANTOS, "police"),
    ]
    for handle, number, dataset in registered:
        g.rel(
            "REGISTERED_TO",
            (account, handle),
            (phone, number),
            {},
            (dataset, [(f"r-{handle}", None)]),
        )
    owns = [
        (AN, W_AN, "2024-02-10T00:00"),
        (BINH, W_SHARED, "2024-03-20T00:00"),
        (CUONG, W_SHARED, "2024-02-25T00:00"),
        (SOMCHAI, W_COLLECTOR, "2024-01-12T00:00"),
        (MARIA, W_MARIA, "2024-01-07T00:00"),
    ]
    for who, wallet_id, when in owns:
        g.rel(
            "OWNS", (person, who), (wallet, wallet_id), {}, ("chain", [(f"o-{who[-2:]}", at(when))])
        )
    g.rel(
        "ASSOCIATED_WITH",
        (person, CUONG),
        (person, SOMCHAI),
        {"relation": "co_offender"},
        ("police", [("assoc-1", at("2024-02-15T00:00"))]),
        identity="[co_offender]",
    )


def _events(g: GraphBuilder) -> None:
    calls = [
        (PH_SOMCHAI, PH_SANTOS, ["2024-03-01T09:00", "2024-03-02T09:00", "2024-04-10T09:00"], 300),
        (PH_AN_BINH, PH_SANTOS, ["2024-03-05T12:00"], 60),
        (PH_CUONG, PH_SANTOS, ["2024-03-03T08:00", "2024-03-04T08:00"], 120),
        (PH_HOTLINE, PH_SANTOS, ["2024-03-06T15:00"], 30),
        (PH_AN_BINH, PH_CUONG, ["2024-02-01T10:00", "2024-02-02T10:00"], 90),
    ]
    for caller, callee, times, seconds in calls:
        records = [(f"cdr-{caller}-{callee}-{i}", at(t)) for i, t in enumerate(times)]
        g.rel(
            "CALLED",
            ("Phone", caller),
            ("Phone", callee),
            {"duration_s": seconds},
            ("telco", records),
        )
    messages = [
        (TG_PRASERT, TG_KO_MIN, ["2024-03-01T01:00", "2024-03-02T01:00", "2024-03-03T01:00"]),
        (TG_PRASERT, TG_SANTOS, ["2024-03-04T01:00", "2024-03-05T01:00"]),
        (TG_KO_MIN, TG_PRASERT, ["2024-03-06T01:00"]),
    ]
    for sender, receiver, times in messages:
        records = [(f"msg-{sender}-{receiver}-{i}", at(t)) for i, t in enumerate(times)]
        g.rel("MESSAGED", ("Account", sender), ("Account", receiver), {}, ("police", records))
    transfers = [
        (W_AN, W_SHARED, "0xaaa1", 1.5, "2024-03-01T10:00"),
        (W_SHARED, W_COLLECTOR, "0xaaa2", 1.4, "2024-03-02T10:00"),
        (W_SHARED, W_COLLECTOR, "0xaaa3", 0.5, "2024-02-20T10:00"),
        (W_AN, W_EXCHANGE, "0xaaa4", 2.0, "2024-03-01T12:00"),
        (W_EXCHANGE, W_COLLECTOR, "0xaaa5", 1.9, "2024-03-03T09:00"),
        (W_AN, W_COLLECTOR, "0xaaa6", 0.3, "2024-03-05T00:00"),
        (W_MARIA, W_MARIA_OUT, "b7:0", 0.01, "2024-03-07T00:00"),
    ]
    for sender, receiver, tx_id, amount, when in transfers:
        asset = "BTC" if sender.startswith("btc:") else "ETH"
        props = {"tx_id": tx_id, "amount": amount, "asset": asset, "at": at(when)}
        g.rel(
            "TRANSFERRED",
            ("Wallet", sender),
            ("Wallet", receiver),
            props,
            ("chain", [(tx_id, at(when))]),
            event_key=tx_id,
        )
    sightings = [
        (BINH, MAE_SOT, "2024-03-10T08:00", "border_crossing", "exit"),
        (CUONG, MAE_SOT, "2024-03-10T10:00", "border_crossing", "exit"),
        (SOMCHAI, MAE_SOT, "2024-03-11T09:00", "border_crossing", "exit"),
        (BINH, BUKIT, "2024-03-12T06:00", "border_crossing", "entry"),
        (CUONG, BUKIT, "2024-03-12T07:30", "border_crossing", "entry"),
        (AN, HOTEL, "2024-03-09T20:00", "check_in", None),
        (GRACE, HOTEL, "2024-03-09T21:00", "check_in", None),
        (BINH, MAE_SOT, "2024-04-01T08:00", "border_crossing", "entry"),
        (JUAN, MAE_SOT, "2024-04-01T12:00", "border_crossing", "entry"),
    ]
    for who, place, when, kind, direction in sightings:
        moment = at(when)
        sighting: dict[str, Any] = {"at": moment, "kind": kind}
        if direction:
            sighting["direction"] = direction
        g.rel(
            "SEEN_AT",
            ("Person", who),
            ("Location", place),
            sighting,
            ("border", [(f"x-{who[-2:]}-{when}", moment)]),
            event_key=str(moment),
        )


def build_investigation_graph(driver: Driver, database: str) -> GraphBuilder:
    """Write the investigation graph into an empty database; returns what was written."""
    g = GraphBuilder()
    _people(g)
    _identifiers(g)
    _links(g)
    _events(g)
    g.write(driver, database)
    return g


def graph_counts(driver: Driver, database: str) -> tuple[int, int]:
    """(nodes, relationships) in the database: to show nothing was written."""
    records, _, _ = driver.execute_query(
        "MATCH (n) WITH count(n) AS nodes OPTIONAL MATCH ()-[r]->() RETURN nodes, count(r) AS rels",
        database_=database,
    )
    return records[0]["nodes"], records[0]["rels"]
