"""Small source files and mappings for the ingest tests, written into a temp folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from neo4j import Driver

SUBSCRIBERS = """\
sub_id;msisdn;full_name;passport;nationality;activated
S1;0912 345 678;Nguyễn  Văn An;C1234567;VN;01/03/2024 08:00
S2;(091) 234-5679;Trần Thị Bình;C7654321;VN;02/03/2024 09:30
S3;+63 917 123 4567;Maria Santos;P1111111;PH;03/03/2024 10:00
S4;12345;Bad Number;X0000000;VN;04/03/2024 10:00
S5;0912 345 680;Lê Văn Cường;;VN;31/02/2024 10:00
S6;0912.345.681;Phạm Văn Dũng;C2222222;VN;05/03/2024 11:00
"""

SUBSCRIBERS_MAPPING = """\
dataset: vn_telco
description: Subscriber list of a Vietnamese carrier.
source: {format: csv, path: subscribers.csv, delimiter: ";"}
record_id: sub_id
time: {column: activated}
defaults: {region: VN, timezone: Asia/Ho_Chi_Minh, date_format: "%d/%m/%Y %H:%M"}
entities:
  subscriber:
    label: Person
    key: {ref: sub_id}
    properties:
      name: {column: full_name, normalise: name}
      name_key: {column: full_name, normalise: name_key}
      nationality: {column: nationality, normalise: country}
  phone:
    label: Phone
    key: {number: msisdn}
relationships:
  - {type: USES, from: subscriber, to: phone, properties: {role: {literal: subscriber}}}
"""

CALLS = """\
call_id,caller,callee,start,duration
C1,0912345678,+63 917 123 4567,2024-03-05T10:00:00+07:00,60
C2,0912345678,0063 917 123 4567,2024-03-06T11:00:00+07:00,120
C3,+84 91 234 56 79,0912345678,2024-03-07T12:00:00+07:00,5
C4,0912345678,+63 917 123 4567,2024-03-08T13:00:00+07:00,15
"""

CALLS_MAPPING = """\
dataset: vn_cdr
source: {format: csv, path: calls.csv}
record_id: call_id
time: {column: start}
defaults: {region: VN}
entities:
  caller: {label: Phone, key: {number: caller}}
  callee: {label: Phone, key: {number: callee}}
relationships:
  - {type: CALLED, from: caller, to: callee, properties: {duration_s: duration}}
"""

TRANSFERS = [
    {
        "tx": "0xaaa",
        "from": {"addr": "0x52908400098527886E0F7030069857D2E4169EE7"},
        "to": {"addr": "0x8617e340b3d01fa5f11f306f4090fd50e238070d"},
        "amount": "1.5",
        "asset": "ETH",
        "at": 1709632800,
    },
    {
        "tx": "0xbbb",
        "from": {"addr": "0x52908400098527886e0f7030069857d2e4169ee7"},
        "to": {"addr": "0x8617E340B3D01FA5F11F306F4090FD50E238070D"},
        "amount": "2.0",
        "asset": "ETH",
        "at": 1709719200,
    },
    {
        "tx": "0xccc",
        "from": {"addr": "0x52908400098527886E0F7030069857D2E4169Ee7"},
        "to": {"addr": "0x8617e340b3d01fa5f11f306f4090fd50e238070d"},
        "amount": "9.9",
        "asset": "ETH",
        "at": 1709805600,
    },
]

TRANSFERS_MAPPING = """\
dataset: exchange_export
source: {format: jsonl, path: transfers.jsonl}
record_id: tx
time: {column: at}
entities:
  sender: {label: Wallet, key: {address: from.addr, chain: {literal: eth}}}
  receiver: {label: Wallet, key: {address: to.addr, chain: {literal: eth}}}
relationships:
  - type: TRANSFERRED
    from: sender
    to: receiver
    properties: {tx_id: tx, amount: amount, asset: asset, at: at}
"""

FTM = [
    {
        "id": "p-1",
        "schema": "Person",
        "properties": {"name": ["Somchai Jaidee"], "nationality": ["th"]},
    },
    {"id": "c-1", "schema": "Company", "properties": {"name": ["Golden Travel Co"]}},
    {"id": "p-2", "schema": "Person", "properties": {"name": ["Ana Reyes"], "nationality": ["ph"]}},
]

FTM_MAPPING = """\
dataset: ftm_people
source: {format: ftm, path: entities.ftm.json, where: {schema: Person}}
record_id: id
entities:
  person:
    label: Person
    key: {ref: id}
    properties: {name: name, nationality: {column: nationality, normalise: country}}
"""


def write_fixtures(folder: Path) -> dict[str, Path]:
    """Write every fixture file and mapping; returns the mappings by name."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "subscribers.csv").write_text(SUBSCRIBERS, encoding="utf-8")
    (folder / "calls.csv").write_text(CALLS, encoding="utf-8")
    (folder / "transfers.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in TRANSFERS), encoding="utf-8"
    )
    (folder / "entities.ftm.json").write_text(
        "".join(json.dumps(row) + "\n" for row in FTM), encoding="utf-8"
    )
    mappings = {
        "subscribers": SUBSCRIBERS_MAPPING,
        "calls": CALLS_MAPPING,
        "transfers": TRANSFERS_MAPPING,
        "ftm": FTM_MAPPING,
    }
    paths = {}
    for name, text in mappings.items():
        paths[name] = folder / f"{name}.yaml"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def graph_dump(driver: Driver) -> list[str]:
    """Every node and relationship with its properties, in a canonical order.

    Ingest runs, the run an Evidence was first loaded by, and when the schema and
    the hub policy were applied differ between two loads of the same data by
    design; everything else must be identical.
    """
    nodes, _, _ = driver.execute_query(
        "MATCH (n) WHERE NOT n:IngestRun AND NOT n:GraphSchema "
        "RETURN labels(n) AS labels, properties(n) AS props"
    )
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS props"
    )
    out = []
    for row in nodes:
        props: dict[str, Any] = dict(row["props"])
        props.pop("run", None)
        if "HubPolicy" in row["labels"]:
            props.pop("applied_at")
        out.append(json.dumps([sorted(row["labels"]), props], sort_keys=True, default=str))
    for row in rels:
        out.append(
            json.dumps(
                [row["a"], row["t"], row["b"], dict(row["props"])], sort_keys=True, default=str
            )
        )
    return sorted(out)
