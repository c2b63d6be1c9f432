"""Synthetic source files for the ingest benchmark, their mappings, and pre-normalised twins.

Two sources, each record asserting several facts (a fact = one node or relationship a
record asserts, i.e. one Evidence row in linkgraph):

* ``subscribers.csv`` (a telecom's subscriber register): one record = a Person, the
  Phone they registered, their Telegram Account and an Ethereum Wallet, plus USES,
  HOLDS and OWNS: 7 facts. Some people register several numbers (repeated person,
  handle and, by sharing, wallet), so nodes and aggregated relationships repeat.
* ``calls.csv`` (call detail records): one record = caller Phone, callee Phone and
  CALLED with the call's time and duration: 3 facts. Callers call a few fixed
  contacts, so CALLED aggregates repeated calls.

The raw files are written the way sources write them (national phone formats,
``@Handles`` in mixed case, EIP-55 checksummed addresses, local times) and loaded
through linkgraph mappings. Their ``*_norm.csv`` twins carry the canonical ids and
values linkgraph would compute (E.164, folded handles, lower-case addresses, UTC
times), for the baselines that do no normalisation of their own (LOAD CSV).
"""

from __future__ import annotations

import csv
import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from graph_schema.provenance import evidence_id
from normalise import normalise_name, normalise_phone
from normalise.wallet import eip55_checksum

SUBSCRIBER_FACTS = 7  # Person, Phone, Account, Wallet, USES, HOLDS, OWNS
CALL_FACTS = 3  # caller Phone, callee Phone, CALLED
SUBSCRIBER_DATASET = "bench_subscribers"
CALL_DATASET = "bench_cdr"
TIMEZONE = "Asia/Ho_Chi_Minh"
LOCAL_FORMAT = "%Y-%m-%d %H:%M"
CONTACTS_PER_CALLER = 3
EXTERNAL_CALL_SHARE = 0.1

SUBSCRIBERS_MAPPING = f"""\
dataset: {SUBSCRIBER_DATASET}
description: Benchmark subscriber register (one person, phone, account, wallet per record).
source: {{format: csv, path: subscribers.csv}}
record_id: sub_id
time: {{column: registered, format: "{LOCAL_FORMAT}"}}
defaults: {{region: VN, timezone: {TIMEZONE}}}
entities:
  person:
    label: Person
    key: {{ref: person_ref}}
    properties:
      name: {{column: name, normalise: name}}
      name_key: {{column: name, normalise: name_key}}
  phone: {{label: Phone, key: {{number: msisdn}}}}
  account: {{label: Account, key: {{handle: telegram, platform: {{literal: telegram}}}}}}
  wallet: {{label: Wallet, key: {{address: wallet}}}}
relationships:
  - {{type: USES, from: person, to: phone, properties: {{role: {{literal: subscriber}}}}}}
  - {{type: HOLDS, from: person, to: account}}
  - {{type: OWNS, from: person, to: wallet}}
"""

CALLS_MAPPING = f"""\
dataset: {CALL_DATASET}
description: Benchmark call detail records (caller, callee, time, duration).
source: {{format: csv, path: calls.csv}}
record_id: call_id
time: {{column: started, format: "{LOCAL_FORMAT}"}}
defaults: {{region: VN, timezone: {TIMEZONE}}}
entities:
  caller: {{label: Phone, key: {{number: caller}}}}
  callee: {{label: Phone, key: {{number: callee}}}}
relationships:
  - {{type: CALLED, from: caller, to: callee, properties: {{duration_s: duration}}}}
"""

# The twins' columns of Evidence ids (ingest.cypher.evidence_id of each fact and the
# record), for the LOAD CSV baseline that writes linkgraph's provenance too.
SUBSCRIBER_EVIDENCE = ("e_person", "e_phone", "e_account", "e_wallet", "e_uses", "e_holds",
                       "e_owns")  # fmt: skip
CALL_EVIDENCE = ("e_caller", "e_callee", "e_called")

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Xuân", "Kim"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Trung",
    "Tuấn",
    "Vy",
    "Yến",
]


@dataclass(frozen=True)
class Dataset:
    """One generated data set: raw files with their mappings, and normalised twins."""

    directory: Path
    subscribers: int
    calls: int

    @property
    def facts(self) -> int:
        """Facts asserted by all records (what every method loads)."""
        return SUBSCRIBER_FACTS * self.subscribers + CALL_FACTS * self.calls

    @property
    def records(self) -> int:
        """Records in both files."""
        return self.subscribers + self.calls

    @property
    def mappings(self) -> list[Path]:
        """The linkgraph mappings, in load order (subscribers before calls)."""
        return [self.directory / "subscribers.yaml", self.directory / "calls.yaml"]

    @property
    def raw_files(self) -> list[Path]:
        """The raw source files, in load order."""
        return [self.directory / "subscribers.csv", self.directory / "calls.csv"]

    @property
    def normalised_files(self) -> list[Path]:
        """The pre-normalised twins, in load order."""
        return [self.directory / "subscribers_norm.csv", self.directory / "calls_norm.csv"]


def split_facts(facts: int) -> tuple[int, int]:
    """(subscriber records, call records) asserting about `facts` facts, half each."""
    subscribers = max(1, round(facts / 2 / SUBSCRIBER_FACTS))
    calls = max(1, round((facts - SUBSCRIBER_FACTS * subscribers) / CALL_FACTS))
    return subscribers, calls


def subscriber_e164(index: int) -> str:
    """A valid Vietnamese mobile number (+8491 ...), distinct for each index < 10**7."""
    return f"+8491{(index * 7_654_321 + 1_234_567) % 10_000_000:07d}"


def external_e164(index: int) -> str:
    """A valid Vietnamese mobile number of another operator (+8498 ...)."""
    return f"+8498{(index * 3_456_789 + 7_654_321) % 10_000_000:07d}"


def raw_phone(e164: str, style: int) -> str:
    """`e164` (+84 and 9 digits) written the way Vietnamese sources write it."""
    digits = e164[3:]
    if style % 3 == 0:
        return f"0{digits[:2]} {digits[2:5]} {digits[5:]}"
    if style % 3 == 1:
        return f"+84 {digits[:2]} {digits[2:5]} {digits[5:7]} {digits[7:]}"
    return f"0{digits}"


def wallet_address(index: int) -> str:
    """A lower-case Ethereum address (0x + 40 hex), distinct per index."""
    return "0x" + hashlib.sha256(f"wallet-{index}".encode()).hexdigest()[:40]


@lru_cache(maxsize=4096)
def _name_forms(raw: str) -> tuple[str, str]:
    name = normalise_name(raw)
    return name.display, name.key


def _utc(local: datetime) -> str:
    return local.replace(tzinfo=ZoneInfo(TIMEZONE)).astimezone(ZoneInfo("UTC")).isoformat()


def generate(directory: Path, facts: int, seed: int = 7) -> Dataset:
    """Write the raw files, mappings and normalised twins for about `facts` facts."""
    directory.mkdir(parents=True, exist_ok=True)
    subscribers, calls = split_facts(facts)
    rng = random.Random(seed)  # noqa: S311 (test data)
    start = datetime(2024, 1, 1)
    (directory / "subscribers.yaml").write_text(SUBSCRIBERS_MAPPING, encoding="utf-8")
    (directory / "calls.yaml").write_text(CALLS_MAPPING, encoding="utf-8")

    with (
        (directory / "subscribers.csv").open("w", newline="", encoding="utf-8") as raw_file,
        (directory / "subscribers_norm.csv").open("w", newline="", encoding="utf-8") as norm_file,
    ):
        raw = csv.writer(raw_file)
        norm = csv.writer(norm_file)
        raw.writerow(["sub_id", "person_ref", "name", "msisdn", "telegram", "wallet", "registered"])
        norm.writerow(
            [
                "record",
                "person_id",
                "name",
                "name_key",
                "phone_id",
                "phone_country",
                "account_id",
                "handle",
                "wallet_id",
                "address",
                "seen",
                "record_no",
                *SUBSCRIBER_EVIDENCE,
            ]
        )
        people = 0
        for index in range(subscribers):
            # One record in five is a person registering another number.
            person = rng.randrange(people) if people and rng.random() < 0.2 else people
            people = max(people, person + 1)
            person_rng = random.Random(person * 1_000_003 + seed)  # noqa: S311
            name = (
                f"{person_rng.choice(FAMILY)} {person_rng.choice(MIDDLE)}"
                f"{'  ' if person % 7 == 0 else ' '}{person_rng.choice(GIVEN)}"
            )
            handle = f"Tg_{person:07d}{person_rng.choice('ABCXYZ')}"
            # Wallets are shared now and then (one in ten comes from a small pool).
            wallet = index if rng.random() > 0.1 else rng.randrange(max(1, subscribers // 50))
            address = wallet_address(wallet)
            e164 = subscriber_e164(index)
            local = start + timedelta(minutes=rng.randrange(366 * 24 * 60))
            display, key = _name_forms(name)
            record = f"{SUBSCRIBER_DATASET}:S{index:08d}"
            person_id = f"{SUBSCRIBER_DATASET}:P{person:08d}"
            account_id = f"telegram:{handle.lower()}"
            wallet_id = f"eth:{address}"
            asserted = (
                f"Person:{person_id}",
                f"Phone:{e164}",
                f"Account:{account_id}",
                f"Wallet:{wallet_id}",
                f"USES:{person_id}->{e164}",
                f"HOLDS:{person_id}->{account_id}",
                f"OWNS:{person_id}->{wallet_id}",
            )
            raw.writerow(
                [
                    f"S{index:08d}",
                    f"P{person:08d}",
                    name,
                    raw_phone(e164, index),
                    f"@{handle}",
                    eip55_checksum(address) if index % 2 else address,
                    local.strftime(LOCAL_FORMAT),
                ]
            )
            norm.writerow(
                [
                    record,
                    person_id,
                    display,
                    key,
                    e164,
                    "VN",
                    account_id,
                    handle.lower(),
                    wallet_id,
                    address,
                    _utc(local),
                    index + 1,
                    *(evidence_id(fact, record) for fact in asserted),
                ]
            )

    with (
        (directory / "calls.csv").open("w", newline="", encoding="utf-8") as raw_file,
        (directory / "calls_norm.csv").open("w", newline="", encoding="utf-8") as norm_file,
    ):
        raw = csv.writer(raw_file)
        norm = csv.writer(norm_file)
        raw.writerow(["call_id", "caller", "callee", "started", "duration"])
        norm.writerow(
            [
                "record",
                "caller_id",
                "caller_country",
                "callee_id",
                "callee_country",
                "duration",
                "seen",
                "record_no",
                *CALL_EVIDENCE,
            ]
        )
        for index in range(calls):
            caller_no = rng.randrange(subscribers)
            caller = subscriber_e164(caller_no)
            if rng.random() < EXTERNAL_CALL_SHARE:
                callee = external_e164(rng.randrange(subscribers))
            else:
                contact = caller_no * 31 + rng.randrange(CONTACTS_PER_CALLER) * 7919 + 1
                contact %= subscribers
                if contact == caller_no:
                    contact = (contact + 1) % subscribers
                callee = subscriber_e164(contact)
            if callee == caller:  # only with a single subscriber
                callee = external_e164(caller_no)
            duration = rng.randrange(1, 900)
            local = start + timedelta(seconds=rng.randrange(366 * 24 * 3600))
            raw.writerow(
                [
                    f"C{index:09d}",
                    raw_phone(caller, index),
                    raw_phone(callee, index + 1),
                    local.strftime(LOCAL_FORMAT),
                    duration,
                ]
            )
            # The raw time has minute precision: so has the normalised one.
            minute = local.replace(second=0)
            record = f"{CALL_DATASET}:C{index:09d}"
            called = (f"Phone:{caller}", f"Phone:{callee}", f"CALLED:{caller}->{callee}")
            eids = [evidence_id(fact, record) for fact in called]
            norm.writerow([record, caller, "VN", callee, "VN", duration, _utc(minute), index + 1,
                           *eids])  # fmt: skip
    return Dataset(directory, subscribers, calls)


def check_phones(samples: int = 5) -> list[str]:
    """A few generated numbers through linkgraph's own phone normaliser (must not raise)."""
    checked = []
    for index in range(samples):
        for e164 in (subscriber_e164(index), external_e164(index)):
            for style in range(3):
                phone = normalise_phone(raw_phone(e164, style), "VN")
                if phone.e164 != e164:
                    raise AssertionError(f"{raw_phone(e164, style)} -> {phone.e164}, not {e164}")
            checked.append(e164)
    return checked


def check_against_mapper(dataset: Dataset, records: int = 300) -> int:
    """Map the first records of each raw file with linkgraph and compare with the twins.

    Returns the number of records compared; raises AssertionError on any difference,
    so the baselines are known to load the same ids and values as linkgraph.
    """
    from graph_schema.loader import load_model
    from ingest.mapping import load_mapping
    from ingest.readers import SourceFile
    from ingest.records import RecordMapper

    model = load_model()
    compared = 0
    for mapping_path, raw_path, norm_path in zip(
        dataset.mappings, dataset.raw_files, dataset.normalised_files, strict=True
    ):
        mapping = load_mapping(mapping_path, model)
        mapper = RecordMapper(mapping, model)
        with SourceFile(raw_path, mapping.source) as source, norm_path.open(encoding="utf-8") as f:
            twins = csv.DictReader(f)
            for (record_no, record), twin in zip(source.records(), twins, strict=False):
                facts = mapper.map(record)
                _compare(facts, twin)
                if int(twin["record_no"]) != record_no:
                    raise AssertionError(f"record number {twin['record_no']} != {record_no}")
                compared += 1
                if compared % records == 0:
                    break
    return compared


def _compare(facts: Any, twin: dict[str, str]) -> None:
    ids: dict[str, list[str]] = {node.label: [] for node in facts.nodes}
    for node in facts.nodes:
        ids[node.label].append(node.id)
    expected: dict[str, list[str]]
    if "person_id" in twin:
        expected = {
            "Person": [twin["person_id"]],
            "Phone": [twin["phone_id"]],
            "Account": [twin["account_id"]],
            "Wallet": [twin["wallet_id"]],
        }
        person = facts.nodes[0]
        got = (person.props.get("name"), person.props.get("name_key"))
        if got != (twin["name"], twin["name_key"]):
            raise AssertionError(f"name {got} != {(twin['name'], twin['name_key'])}")
    else:
        expected = {"Phone": [twin["caller_id"], twin["callee_id"]]}
        called = facts.rels[0]
        if called.sums.get("duration_s") != int(twin["duration"]):
            raise AssertionError(f"duration {called.sums} != {twin['duration']}")
    if ids != expected:
        raise AssertionError(f"{facts.record_key}: linkgraph ids {ids} != twin {expected}")
    columns = SUBSCRIBER_EVIDENCE if "person_id" in twin else CALL_EVIDENCE
    names = [node.fact for node in facts.nodes] + [rel.fact for rel in facts.rels]
    eids = [evidence_id(name, facts.record_key) for name in names]
    if eids != [twin[column] for column in columns]:
        raise AssertionError(f"{facts.record_key}: Evidence of {names} != the twin's")
    if facts.record_key != twin["record"]:
        raise AssertionError(f"record {facts.record_key} != {twin['record']}")
    if facts.seen is None or facts.seen != datetime.fromisoformat(twin["seen"]):
        raise AssertionError(f"{facts.record_key}: time {facts.seen} != {twin['seen']}")
