"""Generate a validation scenario: criminal rings hidden in a large background population.

The analytics validation harness asks two questions of `linkgraph analyze`: does
community detection recover planted rings, and does broker ranking find planted
brokers? This module writes an investigation to ask them on, independent of the
bundled demo, as eight source files in the formats real returns come in, each with
its linkgraph mapping, and `truth.json`:

* **rings** (`rings`, sizes drawn from `ring_sizes`), each spread over two or three of
  BD, PH, SG, TH, VN, CA: members call each other repeatedly over days and weeks
  (each has repeated ties with several others, most in both directions), message
  each other on Telegram / WhatsApp / LINE / Zalo, share one or two burner phones
  (used by 2-4 members each), hold one operator Telegram account (2-3 members), and
  pay into one collection wallet; they also make a few one-off calls to strangers;
* **brokers**: each bridges two rings (different pairs where possible): uses a burner
  of each, pays both collection wallets, calls three members of each repeatedly; no
  ring counts him as a member;
* **service numbers**: a taxi dispatcher, a landlord, a money-transfer shop...: one
  phone with one registered owner, called once or twice by members of four or more
  rings and by many background people (it is called, not held: no hub);
* **hubs** (`hubs`): a shelter hotline given as a contact number by 22-30 unrelated
  people, and an exchange's hot wallet whitelisted (KYC: OWNS) by 22-30 customers and
  used in their transfers: both above the hub policy's 12 people;
* **overlapping** members, who have ring ties in two rings;
* **background** people: small families and friend groups (3-6, repeated contact),
  and one-off calls between strangers: `noise_share` is the share of distinct person
  pairs with any call or message between their identifiers that are such one-off
  single-call background pairs (their number is computed to match it);
* with `messy`: numbers, handles, documents, countries and times written in varied
  forms, and a handful of bad records per file, which the loader must reject.

Every person has a SIM registration keyed by one identity document, and every source
that names a person gives the same document, so each human is one Person node, whose
id (`nid:TH:1234567890123`, `passport:PH:P1234567A`, `dl:CA:A12345678901234`) is
what `truth.json` lists. Everything comes from `random.Random(seed)`: the same seed
and parameters give byte-identical files.

    .venv/bin/python -m bench.validation.scenario --seed 7 --out /tmp/scen [--background 2500]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from normalise import NormaliseError, normalise_phone, normalise_wallet
from normalise.base58 import b58check_encode
from normalise.wallet import eip55_checksum

HERE = Path(__file__).resolve().parent
MAPPINGS_DIR = HERE / "mappings"

T = TypeVar("T")

# The hub policy's default threshold (LINKGRAPH_HUB_MIN_PEOPLE): people per identifier.
HUB_MIN_PEOPLE = 12
# The investigation window.
START = datetime(2025, 3, 1, tzinfo=UTC)
DAYS = 183

COUNTRIES = ("BD", "PH", "SG", "TH", "VN", "CA")
# Background population by country (weights).
BACKGROUND_WEIGHTS = (18, 22, 10, 20, 22, 8)
CALLING_CODES = {"BD": "880", "PH": "63", "SG": "65", "TH": "66", "VN": "84", "CA": "1"}
ALPHA3 = {"BD": "BGD", "PH": "PHL", "SG": "SGP", "TH": "THA", "VN": "VNM", "CA": "CAN"}
COUNTRY_NAMES = {"BD": "Bangladesh", "PH": "Philippines", "SG": "Singapore",
                 "TH": "Thailand", "VN": "Viet Nam", "CA": "Canada"}  # fmt: skip
ZONES = {code: ZoneInfo(name) for code, name in (
    ("BD", "Asia/Dhaka"), ("PH", "Asia/Manila"), ("SG", "Asia/Singapore"),
    ("TH", "Asia/Bangkok"), ("VN", "Asia/Ho_Chi_Minh"), ("CA", "America/Toronto"))}  # fmt: skip
# The clearing house's CDRs (cdr_sea.csv) are in Singapore time.
SEA_ZONE = ZoneInfo("Asia/Singapore")
# Calls originating in these countries are in cdr_sea.csv, the others in cdr_gateway.tsv.
SEA_CDR = frozenset({"PH", "SG", "VN"})
OPERATORS = {
    "BD": ("Grameenphone", "Robi", "Banglalink"),
    "PH": ("Globe", "Smart", "DITO"),
    "SG": ("Singtel", "StarHub", "M1"),
    "TH": ("AIS", "TrueMove H", "dtac"),
    "VN": ("Viettel", "VinaPhone", "MobiFone"),
    "CA": ("Rogers", "Bell", "Telus"),
}
MOBILE: dict[str, tuple[tuple[str, ...], int]] = {
    "VN": (("32", "33", "34", "35", "36", "37", "38", "39", "70", "76", "77", "78", "79", "81",
            "82", "83", "84", "85", "86", "88", "89", "90", "91", "93", "94", "96", "97", "98"), 7),
    "PH": (("905", "906", "915", "916", "917", "926", "927", "935", "936", "945", "953", "954",
            "955", "956", "965", "966", "975", "977", "995", "997", "908", "909", "910", "912",
            "918", "919", "920", "921", "928", "929", "930", "938", "939", "946", "947", "948",
            "949", "950", "951", "961", "998", "999"), 7),
    "TH": (("61", "62", "63", "64", "65", "81", "82", "83", "84", "85", "86", "87", "88", "89",
            "91", "92", "93", "94", "95", "96", "97", "98", "99"), 7),
    "BD": (("13", "14", "15", "16", "17", "18", "19"), 8),
    "SG": (("8", "9"), 7),
}  # fmt: skip
# Canadian numbers are in the NANP 555-01XX block reserved for fiction.
CA_AREAS = ("416", "647", "437", "905", "289", "365", "514", "438", "450", "579", "613", "343",
            "604", "778", "236", "403", "587", "780", "825", "204", "431", "306", "639", "902",
            "782", "506", "709", "519", "226", "548", "705", "249", "807", "819", "873", "418",
            "581", "367", "250", "672")  # fmt: skip
# The messaging app people of each country use besides Telegram.
NATIONAL_APP = {"BD": "whatsapp", "PH": "whatsapp", "SG": "whatsapp", "TH": "line",
                "VN": "zalo", "CA": "whatsapp"}  # fmt: skip
PLATFORM_SPELLINGS = {"telegram": ("telegram", "Telegram", "tg"),
                      "whatsapp": ("whatsapp", "WhatsApp", "wa"),
                      "line": ("line", "LINE", "Line"), "zalo": ("zalo", "Zalo")}  # fmt: skip
SERVICES = (("taxi", "taxi dispatch"), ("landlord", "landlord"),
            ("remittance", "money-transfer shop"))  # fmt: skip

# --- names (fictional combinations of common names) -------------------------------------------

VN_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ",
             "Ngô", "Dương")  # fmt: skip
VN_GIVEN = ("Văn Hùng", "Thị Mai", "Minh Đức", "Thị Hạnh", "Quốc Huy", "Thị Lan", "Hữu Phước",
            "Ngọc Trâm", "Thanh Tùng", "Thị Yến", "Đức Thắng", "Thu Hương", "Văn Lộc",
            "Thị Ngân")  # fmt: skip
PH_GIVEN = ("Jose", "Mark", "Ramil", "Jerome", "Arnel", "Rowena", "Maricel", "Liza", "Joy",
            "Analyn", "Cherry", "Rodel", "Jayson", "Marites")  # fmt: skip
PH_FAMILY = ("Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Villanueva", "Aquino",
             "Castro", "Dizon", "Ramos", "Navarro", "Dela Cruz", "Ibañez")  # fmt: skip
TH_GIVEN = ("Somchai", "Anan", "Wichai", "Prasert", "Kittipong", "Malee", "Siriporn", "Suda",
            "Wanida", "Ratana", "Nattapong", "Chaiwat", "Boonchai", "Kannika")  # fmt: skip
TH_FAMILY = ("Saetang", "Wongsawat", "Phromma", "Sukjai", "Srisuk", "Thongdee", "Boonmee",
             "Kaewmanee", "Jaidee", "Chaiyo", "Rattanaporn", "Intharak")  # fmt: skip
BD_GIVEN = ("Mohammad", "Abdul", "Rahim", "Karim", "Jahid", "Sumon", "Fatema", "Nusrat",
            "Ayesha", "Nasrin", "Habib", "Shakil", "Rokeya", "Mizanur")  # fmt: skip
BD_FAMILY = ("Hossain", "Rahman", "Islam", "Ahmed", "Akter", "Uddin", "Chowdhury", "Khan",
             "Miah", "Sarker")  # fmt: skip
SG_GIVEN = ("Wei Ming", "Jun Jie", "Hui Min", "Xin Yi", "Kai Xiang", "Shu Fen", "Zhi Hao",
            "Mei Ling")  # fmt: skip
SG_FAMILY = ("Tan", "Lim", "Ng", "Goh", "Ong", "Chua", "Teo", "Lee")
CA_GIVEN = ("Liam", "Noah", "Mathieu", "Étienne", "Chloé", "Émilie", "Sophie", "Ryan", "Hannah",
            "Gabriel", "Zoë", "Félix", "François", "Megan")  # fmt: skip
CA_FAMILY = ("Tremblay", "Gagnon", "Côté", "Bouchard", "Smith", "Brown", "Wilson", "Leblanc",
             "Bélanger", "Lévesque", "Singh", "Patel", "Nguyen", "O'Brien")  # fmt: skip
HANDLE_WORDS = ("jobs", "visa", "cargo", "express", "travel", "work", "agency", "support",
                "booking", "logistic", "hr", "desk")  # fmt: skip


# --- the API ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioParams:
    """What to plant, and how much background to hide it in."""

    rings: int = 6
    ring_sizes: tuple[int, int] = (8, 18)
    brokers: int = 2  # 0..3, each bridging two rings
    service_numbers: int = 2  # 0..3
    background: int = 2500  # background people
    noise_share: float = 0.88  # 0.5..0.95: share of contact pairs that are one-off noise
    hubs: bool = True
    overlapping: int = 1  # members that belong to two rings
    messy: bool = True  # varied formats and a few bad records per file

    def __post_init__(self) -> None:
        problems = []
        if self.rings < 1:
            problems.append("rings must be at least 1")
        low, high = self.ring_sizes
        if not 4 <= low <= high:
            problems.append("ring_sizes must be (low, high) with 4 <= low <= high")
        if not 0 <= self.brokers <= 3:
            problems.append("brokers must be 0..3")
        if self.brokers and self.rings < 2:
            problems.append("brokers need at least 2 rings")
        if not 0 <= self.service_numbers <= len(SERVICES):
            problems.append(f"service_numbers must be 0..{len(SERVICES)}")
        if self.background < 60:
            problems.append("background must be at least 60 people")
        if not 0.5 <= self.noise_share <= 0.95:
            problems.append("noise_share must be within 0.5..0.95")
        if self.overlapping < 0 or (self.overlapping and self.rings < 2):
            problems.append("overlapping members need at least 2 rings")
        if self.overlapping > self.rings:
            problems.append("at most one overlapping member per ring")
        if problems:
            raise ValueError("; ".join(problems))


@dataclass
class Truth:
    """What was planted, as linkgraph will key it (written as truth.json).

    `rings[*].members` lists an overlapping member in both of their rings;
    `overlapping` names them again (the harness leaves them out of the ARI).
    """

    seed: int
    params: dict[str, Any]
    people: int
    rings: list[dict[str, Any]]
    brokers: list[dict[str, Any]]
    service_numbers: list[dict[str, Any]]
    hubs: list[str]
    hub_details: list[dict[str, Any]]
    overlapping: list[dict[str, Any]]
    files: dict[str, dict[str, Any]]
    noise_share_realised: float
    pairs: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Truth:
        """Read back what `to_json` wrote."""
        return cls(**data)

    @classmethod
    def load(cls, path: Path) -> Truth:
        """Read a truth.json."""
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def generate(params: ScenarioParams, seed: int, out: Path) -> Truth:
    """Write out/data/*, out/mappings/*.yaml (copies of bench/validation/mappings) and
    out/truth.json; return the truth."""
    scenario = _Scenario(params, seed)
    scenario.build()
    files, truth = scenario.render()
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "mappings").mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (out / "data" / name).write_bytes(content)
    for mapping in sorted(MAPPINGS_DIR.glob("*.yaml")):
        (out / "mappings" / mapping.name).write_bytes(mapping.read_bytes())
    text = json.dumps(truth.to_json(), indent=2, ensure_ascii=False) + "\n"
    (out / "truth.json").write_bytes(text.encode("utf-8"))
    return truth


# --- the cast ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PhoneNo:
    """A phone number: its country and national significant number."""

    region: str
    nsn: str

    @property
    def cc(self) -> str:
        """Country calling code."""
        return CALLING_CODES[self.region]

    @property
    def e164(self) -> str:
        """The number as linkgraph keys it."""
        return f"+{self.cc}{self.nsn}"


@dataclass(frozen=True, slots=True)
class AccountNo:
    """A messaging account: platform, handle as its holder spells it, canonical id."""

    platform: str
    handle: str  # telegram: mixed case; whatsapp: the E.164 number; line / zalo: the id
    phone: str  # E.164 of the number it is registered to

    @property
    def id(self) -> str:
        """The Account id linkgraph gives it."""
        handle = self.handle.casefold() if self.platform == "telegram" else self.handle
        return f"{self.platform}:{handle}"


@dataclass(frozen=True, slots=True)
class WalletNo:
    """A wallet address (EIP-55 for Ether, Base58Check for Tron)."""

    chain: str
    address: str

    @property
    def id(self) -> str:
        """The Wallet id linkgraph gives it."""
        return f"{self.chain}:{self.address.lower() if self.chain == 'eth' else self.address}"


@dataclass
class Human:
    """One person, keyed everywhere by one identity document."""

    key: str
    group: str  # ring, broker, service, shelter, background
    country: str
    name: str  # as written at home
    latin: str  # ASCII, as on a Windows-1252 form
    doc_type: str
    doc_number: str  # canonical: upper case, no spaces
    uid: str = ""
    phones: list[str] = field(default_factory=list)  # own SIMs, the first one main
    burners: list[str] = field(default_factory=list)  # shared phones this person uses
    accounts: dict[str, AccountNo] = field(default_factory=dict)  # platform -> own account
    wallet: WalletNo | None = None

    @property
    def pid(self) -> str:
        """The Person id linkgraph gives this person (the number's letters and digits)."""
        number = "".join(c for c in self.doc_number if c.isalnum())
        return f"{self.doc_type}:{self.country}:{number}"


@dataclass(frozen=True, slots=True)
class Call:
    """One call (or text) from one phone to another."""

    src: str
    dst: str
    at: datetime
    duration: int


@dataclass(frozen=True, slots=True)
class Message:
    """One message from one account to another."""

    platform: str
    src: str  # account ids
    dst: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Transfer:
    """One on-chain transfer."""

    chain: str
    src: str  # wallet ids
    dst: str
    usd: float
    at: datetime


@dataclass
class Ring:
    """A planted ring and its shared identifiers."""

    name: str
    countries: list[str]
    members: list[Human]
    burners: list[str] = field(default_factory=list)
    operator: AccountNo | None = None
    collection: WalletNo | None = None
    payers: list[Human] = field(default_factory=list)


@dataclass
class FileCount:
    """Records of one file: good ones and deliberately bad ones."""

    mapping: str
    dataset: str
    good: int = 0
    bad: int = 0

    def as_json(self) -> dict[str, Any]:
        """The file's entry in truth.json."""
        return {
            "mapping": self.mapping,
            "dataset": self.dataset,
            "read": self.good + self.bad,
            "loaded": self.good,
            "rejected": self.bad,
        }


def ascii_fold(text: str) -> str:
    """Latin letters without diacritics (Đ as D), for Windows-1252 forms."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class _Scenario:
    """Builds the cast and its contacts, then renders the source files."""

    def __init__(self, params: ScenarioParams, seed: int) -> None:
        self.params = params
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.humans: list[Human] = []
        self.used: set[str] = set()  # phone numbers, documents, handles, uids
        self.phones: dict[str, PhoneNo] = {}
        self.accounts: dict[str, AccountNo] = {}
        self.wallets: dict[str, WalletNo] = {}
        # Identifier -> the people linked to it (as the sources will say), in order.
        self.phone_holders: dict[str, list[Human]] = {}
        self.account_holders: dict[str, list[Human]] = {}
        self.wallet_owners: dict[str, list[Human]] = {}
        # Source rows before rendering.
        self.sims: list[tuple[Human, str, datetime]] = []
        self.cards: list[tuple[Human, str, str, datetime]] = []
        self.returns: list[tuple[Human, AccountNo, datetime]] = []
        self.kyc: list[tuple[Human, WalletNo, str]] = []
        self.calls: list[Call] = []
        self.messages: list[Message] = []
        self.transfers: list[Transfer] = []
        # What is planted.
        self.rings: list[Ring] = []
        self.brokers: list[tuple[Human, list[Ring]]] = []
        self.services: list[dict[str, Any]] = []
        self.hub_details: list[dict[str, Any]] = []
        self.overlapping: list[tuple[Human, list[Ring]]] = []
        self.background: list[Human] = []
        self.hubs: set[str] = set()
        self.pair_counts: dict[str, int] = {}
        self.noise_realised = 0.0
        self._forms: dict[tuple[str, bool, str | None], list[str]] = {}

    # --- small helpers --------------------------------------------------------------------

    def pick(self, items: Sequence[T]) -> T:
        """One item, uniformly."""
        return items[self.rng.randrange(len(items))]

    def digits(self, count: int) -> str:
        """`count` random decimal digits."""
        return "".join(str(self.rng.randrange(10)) for _ in range(count))

    def letters(self, count: int) -> str:
        """`count` random capital letters."""
        return "".join(chr(65 + self.rng.randrange(26)) for _ in range(count))

    def chance(self, p: float) -> bool:
        """True with probability p."""
        return self.rng.random() < p

    def unique(self, make: Callable[[], str]) -> str:
        """A value of `make` not used before (for any kind of identifier)."""
        while True:
            value = make()
            if value not in self.used:
                self.used.add(value)
                return value

    def moment(self, day: int, country: str) -> datetime:
        """A UTC time on window day `day` at a waking hour of `country`."""
        local = (START + timedelta(days=day)).astimezone(ZONES[country])
        local = local.replace(hour=self.rng.randint(7, 22), minute=self.rng.randrange(60),
                              second=self.rng.randrange(60))  # fmt: skip
        return local.astimezone(UTC)

    def any_day(self) -> int:
        """A day of the window."""
        return self.rng.randrange(DAYS)

    # --- identifiers ----------------------------------------------------------------------

    def new_phone(self, region: str) -> str:
        """A fresh mobile number libphonenumber calls valid; its E.164."""
        while True:
            if region == "CA":
                nsn = f"{self.pick(CA_AREAS)}55501{self.digits(2)}"
            else:
                prefixes, rest = MOBILE[region]
                nsn = self.pick(prefixes) + self.digits(rest)
            phone = PhoneNo(region, nsn)
            if phone.e164 in self.used:
                continue
            try:
                parsed = normalise_phone(phone.e164, None)
            except NormaliseError:
                continue
            if parsed.region == region and parsed.e164 == phone.e164:
                self.used.add(phone.e164)
                self.phones[phone.e164] = phone
                return phone.e164

    def new_wallet(self, chain: str) -> WalletNo:
        """A wallet address with a correct checksum."""
        body = self.rng.randbytes(20)
        if chain == "eth":
            address = eip55_checksum("0x" + body.hex())
        else:
            address = b58check_encode(b"\x41" + body)
        wallet = WalletNo(chain, address)
        assert normalise_wallet(address, chain).id == wallet.id
        self.wallets[wallet.id] = wallet
        return wallet

    def new_document(self, country: str) -> tuple[str, str]:
        """(type, canonical number) of a fresh identity document."""
        if self.chance(0.15):
            make = {
                "BD": lambda: "A" + self.digits(8),
                "PH": lambda: "P" + self.digits(7) + self.letters(1),
                "SG": lambda: "K" + self.digits(7) + self.letters(1),
                "TH": lambda: "A" + self.letters(1) + self.digits(7),
                "VN": lambda: "C" + self.digits(7),
                "CA": lambda: self.letters(2) + self.digits(6),
            }[country]
            return "passport", self.unique(make)
        if country == "CA":
            return "dl", self.unique(
                lambda: f"{self.letters(1)}{self.digits(4)}-{self.digits(5)}-{self.digits(5)}"
            )
        make = {
            "BD": lambda: self.pick("123456789") + self.digits(9),
            "PH": lambda: "-".join(self.digits(4) for _ in range(4)),
            "SG": lambda: self.pick("ST") + self.digits(7) + self.letters(1),
            "TH": lambda: self.pick("1358") + self.digits(12),
            "VN": lambda: "0" + self.pick(("01", "79", "48", "92", "74")) + self.digits(9),
        }[country]
        return "nid", self.unique(make)

    def new_name(self, country: str) -> str:
        """A name as written at home."""
        if country == "VN":
            return f"{self.pick(VN_FAMILY)} {self.pick(VN_GIVEN)}"
        given, family = {
            "PH": (PH_GIVEN, PH_FAMILY),
            "TH": (TH_GIVEN, TH_FAMILY),
            "BD": (BD_GIVEN, BD_FAMILY),
            "CA": (CA_GIVEN, CA_FAMILY),
        }.get(country, (SG_GIVEN, SG_FAMILY))
        if country == "SG":
            return f"{self.pick(family)} {self.pick(given)}"
        return f"{self.pick(given)} {self.pick(family)}"

    def new_human(self, key: str, group: str, country: str) -> Human:
        """A person with a document, a SIM (registered in the subscriber records)."""
        name = self.new_name(country)
        doc_type, number = self.new_document(country)
        human = Human(key, group, country, name, ascii_fold(name), doc_type, number)
        human.uid = self.unique(lambda: f"CUS-{self.digits(7)}")
        self.humans.append(human)
        self.add_sim(human, self.new_phone(country))
        return human

    def add_sim(self, human: Human, phone: str, own: bool = True) -> None:
        """`human` is the registered subscriber of `phone`."""
        if own:
            human.phones.append(phone)
        self.phone_holders.setdefault(phone, []).append(human)
        at = START - timedelta(days=self.rng.randint(20, 1500))
        self.sims.append((human, phone, at))

    def add_card(self, human: Human, phone: str, relation: str) -> None:
        """A field contact card: `human` gave `phone` (own, shared, contact_given)."""
        holders = self.phone_holders.setdefault(phone, [])
        if human not in holders:
            holders.append(human)
        self.cards.append((human, phone, relation, self.moment(self.any_day(), human.country)))

    def new_account(self, human: Human | None, platform: str, phone: str) -> AccountNo:
        """A fresh account on `platform` registered to `phone`, held by `human` if given."""
        if platform == "whatsapp":
            account = AccountNo(platform, phone, phone)
            self.used.add(account.id)
        elif platform == "telegram":
            words = f"{self.pick(HANDLE_WORDS)} {self.pick(HANDLE_WORDS)}"
            base = (human.latin if human else words).split()

            def handle() -> str:
                first = "".join(ch for ch in base[0] if ch.isalnum())
                last = "".join(ch for ch in base[-1] if ch.isalnum())
                style = self.rng.randrange(3)
                text = [f"{first}_{last}", f"{first}{last[:1]}", f"{last}{first}"][style]
                return f"telegram:{text}{self.digits(self.rng.randint(1, 3))}"

            text = self.unique(lambda: handle().casefold())
            # Keep the holder's own capitalisation of the handle, which the platform ignores.
            spelt = "".join(ch.upper() if self.chance(0.3) else ch for ch in text.split(":", 1)[1])
            account = AccountNo(platform, spelt, phone)
        elif platform == "line":
            stem = "".join(ch for ch in (human.latin if human else "line").split()[0].lower()
                           if ch.isalnum())  # fmt: skip
            text = self.unique(lambda: f"line:{stem}.{self.digits(self.rng.randint(2, 4))}")
            account = AccountNo(platform, text.split(":", 1)[1], phone)
        else:
            text = self.unique(lambda: f"zalo:{self.pick('123456789')}{self.digits(15)}")
            account = AccountNo(platform, text.split(":", 1)[1], phone)
        self.accounts[account.id] = account
        if human is not None:
            human.accounts[platform] = account
            self.hold(human, account)
        return account

    def hold(self, human: Human, account: AccountNo) -> None:
        """A platform return says `human` holds `account`."""
        self.account_holders.setdefault(account.id, []).append(human)
        self.returns.append((human, account, self.moment(self.rng.randrange(-400, 0), "SG")))

    def own_wallet(self, human: Human, chain: str) -> WalletNo:
        """A personal wallet for `human` (a KYC deposit address)."""
        if human.wallet is None:
            human.wallet = self.new_wallet(chain)
            self.add_kyc(human, human.wallet, "deposit")
        return human.wallet

    def add_kyc(self, human: Human, wallet: WalletNo, kind: str) -> None:
        """A KYC row: `human` OWNS `wallet` (deposit or whitelisted withdrawal address)."""
        self.wallet_owners.setdefault(wallet.id, []).append(human)
        self.kyc.append((human, wallet, kind))

    # --- contacts -------------------------------------------------------------------------

    def call_phone(self, human: Human) -> str:
        """The phone `human` calls from: mostly their main SIM, sometimes another or a burner."""
        roll = self.rng.random()
        if human.burners and roll < 0.2:
            return self.pick(human.burners)
        if len(human.phones) > 1 and roll > 0.8:
            return self.pick(human.phones)
        return human.phones[0]

    def call(self, src: str, dst: str, day: int, country: str) -> None:
        """One call (one in six a text: duration 0)."""
        duration = 0 if self.chance(1 / 6) else self.rng.randint(8, 900)
        self.calls.append(Call(src, dst, self.moment(day, country), duration))

    def calls_between(
        self, a: Human, b: Human, count: int, both_ways: bool, span: tuple[int, int] = (5, 50)
    ) -> None:
        """`count` calls between a and b over days or weeks; one way unless `both_ways`."""
        length = self.rng.randint(*span)
        start = self.rng.randrange(max(1, DAYS - length))
        for i in range(count):
            forward = i == 0 or not both_ways or self.chance(0.5)
            if not both_ways and i > 0 and self.chance(0.1):
                forward = False  # the odd call back
            caller, callee = (a, b) if forward else (b, a)
            day = start + self.rng.randint(0, length)
            source = self.call_phone(caller)
            target = callee.phones[0]
            if callee.burners and self.chance(0.1) and source not in callee.burners:
                target = self.pick(callee.burners)
            self.call(source, target, day, caller.country)

    def messages_between(self, a: Human, b: Human, count: int, platform: str | None = None) -> None:
        """`count` messages between a and b on a platform both have (no-op if none)."""
        if platform is None:
            shared = [p for p in ("telegram", NATIONAL_APP[a.country]) if p in b.accounts]
            shared = [p for p in shared if p in a.accounts]
            if not shared:
                return
            platform = self.pick(shared)
        src, dst = a.accounts[platform], b.accounts[platform]
        length = self.rng.randint(3, 60)
        start = self.rng.randrange(max(1, DAYS - length))
        for _ in range(count):
            x, y = (src, dst) if self.chance(0.55) else (dst, src)
            sender = a if x is src else b
            day = start + self.rng.randint(0, length)
            self.messages.append(Message(platform, x.id, y.id, self.moment(day, sender.country)))

    def transfers_to(self, src: WalletNo, dst: WalletNo, count: int, usd: tuple[int, int]) -> None:
        """`count` transfers from src to dst, each worth between usd[0] and usd[1] dollars."""
        for _ in range(count):
            amount = round(self.rng.uniform(*usd), 2)
            at = self.moment(self.any_day(), "SG")
            self.transfers.append(Transfer(src.chain, src.id, dst.id, amount, at))

    # --- building -------------------------------------------------------------------------

    def build(self) -> None:
        """Everything but the one-off noise calls, then those."""
        self.build_background()
        self.build_rings()
        self.build_brokers()
        self.build_services()
        if self.params.hubs:
            self.build_hubs()
        self.build_background_activity()
        self.build_noise()

    def build_background(self) -> None:
        """The background people, some in small families or friend groups."""
        for i in range(self.params.background):
            country = self.rng.choices(COUNTRIES, BACKGROUND_WEIGHTS)[0]
            self.background.append(self.new_human(f"BG-{i + 1:05d}", "background", country))

    def build_rings(self) -> None:
        """The rings, their members' ties, burners, operator accounts, collection wallets."""
        p = self.params
        for r in range(p.rings):
            countries = self.rng.sample(COUNTRIES, self.rng.choice((2, 2, 3)))
            members = [
                self.new_human(f"R{r + 1:02d}-{m + 1:02d}", "ring", self.pick(countries))
                for m in range(self.rng.randint(*p.ring_sizes))
            ]
            self.rings.append(Ring(f"ring_{r + 1:02d}", sorted(countries), members))
        # Overlapping members: a member of one ring with ring ties in another too.
        order = list(range(p.rings))
        self.rng.shuffle(order)
        for k in range(p.overlapping):
            home = self.rings[order[k]]
            other = self.rings[order[(k + 1) % p.rings]]
            person = self.pick([m for m in home.members[1:] if m not in self.overlapping_people()])
            other.members.insert(self.rng.randrange(1, len(other.members)), person)
            self.overlapping.append((person, [home, other]))
        for ring in self.rings:
            for human in ring.members:
                if "telegram" not in human.accounts:
                    self.new_account(human, "telegram", human.phones[0])
                    self.new_account(human, NATIONAL_APP[human.country], human.phones[0])
                if self.chance(0.2) and len(human.phones) == 1:
                    self.add_sim(human, self.new_phone(human.country))
        for ring in self.rings:
            self.build_ring(ring)

    def build_ring(self, ring: Ring) -> None:
        """One ring's internal ties and shared identifiers."""
        members = ring.members
        n = len(members)
        ties: set[tuple[int, int]] = set()
        order = list(range(n))
        self.rng.shuffle(order)
        for i in range(n):  # a cycle keeps the ring connected
            a, b = order[i], order[(i + 1) % n]
            ties.add((min(a, b), max(a, b)))
        for a in range(n):
            want = self.rng.randint(3, min(6, n - 1))
            tries = 0
            while sum(1 for t in ties if a in t) < want and tries < 50:
                b = self.rng.randrange(n)
                tries += 1
                if b != a:
                    ties.add((min(a, b), max(a, b)))
        # Burners: 1-2 phones, each used by 2-4 members, registered to the first of them.
        for _ in range(self.rng.choice((1, 2))):
            users = self.rng.sample(members, self.rng.randint(2, min(4, n)))
            burner = self.new_phone(users[0].country)
            self.add_sim(users[0], burner, own=False)
            for user in users:
                user.burners.append(burner)
                if user is not users[0]:
                    self.add_card(user, burner, "shared")
            ring.burners.append(burner)
        for a, b in sorted(ties):
            x, y = members[a], members[b]
            self.calls_between(x, y, self.rng.randint(2, 10), both_ways=self.chance(0.7))
            if self.chance(0.6):
                self.messages_between(x, y, self.rng.randint(2, 15))
        # The operator account: Telegram, held by 2-3 members, messaging others.
        holders = self.rng.sample(members, self.rng.randint(2, min(3, n - 1)))
        operator = self.new_account(None, "telegram", ring.burners[0])
        for human in holders:
            self.hold(human, operator)
        ring.operator = operator
        others = [m for m in members if m not in holders]
        for human in self.rng.sample(others, min(len(others), self.rng.randint(4, 8))):
            own = human.accounts["telegram"]
            length = self.rng.randint(10, 90)
            start = self.rng.randrange(DAYS - length)
            for _ in range(self.rng.randint(3, 12)):
                day = start + self.rng.randint(0, length)
                if self.chance(0.7):
                    at = self.moment(day, holders[0].country)
                    self.messages.append(Message("telegram", operator.id, own.id, at))
                else:
                    at = self.moment(day, human.country)
                    self.messages.append(Message("telegram", own.id, operator.id, at))
        # The collection wallet (the leader's), paid into by several members.
        leader = members[0]
        ring.collection = self.new_wallet("tron")
        self.add_kyc(leader, ring.collection, "deposit")
        ring.payers = self.rng.sample(members[1:], self.rng.randint(3, min(6, n - 1)))
        for payer in ring.payers:
            wallet = self.own_wallet(payer, "tron")
            self.transfers_to(wallet, ring.collection, self.rng.randint(2, 6), (150, 4000))
        # A few one-off calls to strangers.
        for human in members:
            for _ in range(self.rng.randint(1, 3)):
                stranger = self.pick(self.background)
                if self.chance(0.7):
                    self.call(self.call_phone(human), stranger.phones[0], self.any_day(),
                              human.country)  # fmt: skip
                else:
                    self.call(stranger.phones[0], human.phones[0], self.any_day(),
                              stranger.country)  # fmt: skip

    def build_brokers(self) -> None:
        """Brokers, each bridging two rings (different pairs where possible)."""
        pairs = [(i, j) for i in range(len(self.rings)) for j in range(i + 1, len(self.rings))]
        self.rng.shuffle(pairs)
        chosen: list[tuple[int, int]] = []
        for b in range(self.params.brokers):
            used = Counter(r for pair in chosen for r in pair)
            free = [pair for pair in pairs if pair not in chosen] or pairs
            pair = min(free, key=lambda pr: used[pr[0]] + used[pr[1]])
            chosen.append(pair)
            rings = [self.rings[pair[0]], self.rings[pair[1]]]
            country = self.pick(sorted(set(rings[0].countries + rings[1].countries)))
            broker = self.new_human(f"BR-{b + 1}", "broker", country)
            self.new_account(broker, "telegram", broker.phones[0])
            self.new_account(broker, "whatsapp", broker.phones[0])
            wallet = self.own_wallet(broker, "tron")
            for ring in rings:
                burner = self.pick(ring.burners)
                broker.burners.append(burner)
                self.add_card(broker, burner, self.pick(("shared", "own")))
                assert ring.collection is not None
                self.transfers_to(wallet, ring.collection, self.rng.randint(2, 4), (500, 6000))
                candidates = [m for m in ring.members if m not in self.overlapping_people()]
                for contact in self.rng.sample(candidates, 3):
                    self.calls_between(broker, contact, self.rng.randint(3, 9), both_ways=True)
                    if self.chance(0.5):
                        self.messages_between(broker, contact, self.rng.randint(2, 8), "telegram")
            for _ in range(self.rng.randint(1, 3)):
                stranger = self.pick(self.background)
                self.call(broker.phones[0], stranger.phones[0], self.any_day(), broker.country)
            self.brokers.append((broker, rings))

    def overlapping_people(self) -> list[Human]:
        """The overlapping members."""
        return [person for person, _ in self.overlapping]

    def build_services(self) -> None:
        """Service numbers: called by members of several rings and by many strangers."""
        for s in range(self.params.service_numbers):
            kind, label = SERVICES[s]
            owner = self.new_human(f"SV-{s + 1}", "service", self.pick(COUNTRIES[:5]))
            phone = owner.phones[0]
            n_rings = min(len(self.rings), self.rng.randint(4, max(4, len(self.rings))))
            calling = sorted(self.rng.sample(range(len(self.rings)), n_rings))
            callers: list[Human] = []
            for r in calling:
                ring = self.rings[r]
                callers += self.rng.sample(
                    ring.members, self.rng.randint(1, min(3, len(ring.members)))
                )
            strangers = self.rng.sample(
                self.background, min(len(self.background) // 3, self.rng.randint(15, 40))
            )
            for caller in callers + strangers:
                for _ in range(self.rng.randint(1, 2)):
                    self.call(caller.phones[0], phone, self.any_day(), caller.country)
                if self.chance(0.1):
                    self.call(phone, caller.phones[0], self.any_day(), owner.country)
            self.services.append({
                "kind": kind,
                "description": label,
                "owner": owner.pid,
                "phone": phone,
                "rings_calling": [self.rings[r].name for r in calling],
                "callers": len({c.key: c for c in callers + strangers}),
            })  # fmt: skip

    def build_hubs(self) -> None:
        """A shelter hotline and an exchange's hot wallet, each linked to 22-30 people."""
        rings = self.rings
        some = self.rng.sample(rings, max(min(2, len(rings)), math.ceil(len(rings) / 2)))
        # The shelter's hotline: registered to its coordinator, given as a contact number.
        coordinator = self.new_human("HB-1", "shelter", "TH")
        hotline = coordinator.phones[0]
        listers = [self.pick(ring.members) for ring in some]
        listers = list({h.key: h for h in listers}.values())
        total = self.rng.randint(22, 30)
        pool = [h for h in self.background if h not in listers]
        listers += self.rng.sample(pool, total - 1 - len(listers))
        for human in listers:
            self.add_card(human, hotline, "contact_given")
        self.hubs.add(hotline)
        self.hub_details.append({
            "label": "Phone", "id": hotline, "kind": "shelter_hotline",
            "people": len(self.phone_holders[hotline]),
            "owner": coordinator.pid,
        })  # fmt: skip
        # The exchange's hot wallet: customers whitelist it; many send to it, receive from it.
        hot = self.new_wallet("tron")
        whitelisters = list({h.key: h for h in (self.pick(r.payers) for r in some)}.values())
        total = self.rng.randint(22, 30)
        pool = [h for h in self.background if h not in whitelisters]
        whitelisters += self.rng.sample(pool, total - len(whitelisters))
        for human in whitelisters:
            self.add_kyc(human, hot, "withdrawal_whitelist")
            wallet = self.own_wallet(human, "tron")
            for _ in range(self.rng.randint(1, 3)):
                if self.chance(0.5):
                    self.transfers_to(hot, wallet, 1, (50, 3000))
                else:
                    self.transfers_to(wallet, hot, 1, (50, 3000))
        for ring in rings:
            assert ring.collection is not None
            self.transfers_to(ring.collection, hot, self.rng.randint(2, 4), (2000, 20000))
        self.hubs.add(hot.id)
        self.hub_details.append({
            "label": "Wallet", "id": hot.id, "kind": "exchange_hot_wallet",
            "people": len(self.wallet_owners[hot.id]),
        })  # fmt: skip

    def build_background_activity(self) -> None:
        """Families and friend groups, accounts, wallets and transfers of the background."""
        people = list(self.background)
        self.rng.shuffle(people)
        grouped = int(len(people) * 0.35)
        at = 0
        while at < grouped:
            size = self.rng.randint(3, 6)
            group = people[at : at + size]
            at += size
            if len(group) < 2:
                break
            for human in group:
                if self.chance(0.85) and NATIONAL_APP[human.country] not in human.accounts:
                    self.new_account(human, NATIONAL_APP[human.country], human.phones[0])
                if self.chance(0.2) and "telegram" not in human.accounts:
                    self.new_account(human, "telegram", human.phones[0])
            for i, a in enumerate(group):
                for j in range(i + 1, len(group)):
                    if j == i + 1 or self.chance(0.7):
                        b = group[j]
                        self.calls_between(a, b, self.rng.randint(2, 8), both_ways=True,
                                           span=(20, 150))  # fmt: skip
                        if self.chance(0.5):
                            self.messages_between(a, b, self.rng.randint(2, 10))
        for human in people[grouped:]:
            if self.chance(0.25):
                self.new_account(human, NATIONAL_APP[human.country], human.phones[0])
            if self.chance(0.05):
                self.add_card(human, human.phones[0], "own")
        for human in self.background:
            if human.wallet is None and self.chance(0.08):
                self.own_wallet(human, "tron" if self.chance(0.75) else "eth")
        holders = [h for h in self.background if h.wallet is not None]
        for human in holders:
            assert human.wallet is not None
            same = [h for h in holders if h is not human and h.wallet and
                    h.wallet.chain == human.wallet.chain]  # fmt: skip
            if same and self.chance(0.5):
                other = self.pick(same)
                assert other.wallet is not None
                usd = (20, 1500) if human.wallet.chain == "tron" else (100, 8000)
                self.transfers_to(human.wallet, other.wallet, self.rng.randint(1, 2), usd)
        # Some ring members also keep a card with their own number on file.
        for ring in self.rings:
            for human in ring.members:
                if self.chance(0.1):
                    self.add_card(human, human.phones[0], "own")

    def contact_pairs(self) -> dict[tuple[str, str], int]:
        """Distinct pairs of people with a call or message between their (non-hub)
        identifiers, with the number of such calls and messages."""
        pairs: dict[tuple[str, str], int] = {}

        def add(xs: list[Human], ys: list[Human]) -> None:
            for x in xs:
                for y in ys:
                    if x.key != y.key:
                        pair = (x.key, y.key) if x.key < y.key else (y.key, x.key)
                        pairs[pair] = pairs.get(pair, 0) + 1

        for c in self.calls:
            if c.src not in self.hubs and c.dst not in self.hubs:
                add(self.phone_holders.get(c.src, []), self.phone_holders.get(c.dst, []))
        for m in self.messages:
            add(self.account_holders.get(m.src, []), self.account_holders.get(m.dst, []))
        return pairs

    def build_noise(self) -> None:
        """One-off calls between background people, as many as `noise_share` asks for."""
        structure = self.contact_pairs()
        share = self.params.noise_share
        wanted = round(share * len(structure) / (1 - share))
        callers = [h for h in self.background if self.phone_holders[h.phones[0]] == [h]]
        room = len(callers) * (len(callers) - 1) // 2 - len(structure)
        if wanted > room // 2:
            raise ValueError(
                f"{wanted} one-off pairs asked of {len(callers)} background people: "
                "raise background or lower noise_share"
            )
        chosen: set[tuple[str, str]] = set()
        while len(chosen) < wanted:
            a, b = self.pick(callers), self.pick(callers)
            pair = (a.key, b.key) if a.key < b.key else (b.key, a.key)
            if a is b or pair in structure or pair in chosen:
                continue
            chosen.add(pair)
            self.call(a.phones[0], b.phones[0], self.any_day(), a.country)
        final = self.contact_pairs()
        one_off = sum(1 for pair, n in final.items() if n == 1 and pair in chosen)
        assert one_off == wanted
        assert len(final) == len(structure) + wanted
        self.pair_counts = {"total": len(final), "background_one_off": one_off,
                            "structure": len(structure)}  # fmt: skip
        self.noise_realised = round(one_off / len(final), 4) if final else 0.0

    # --- rendering ------------------------------------------------------------------------

    def forms(self, e164: str, national: bool, region: str | None) -> list[str]:
        """The ways a number is written (nationally or internationally) that normalise back
        when read with `region` as the source's region."""
        key = (e164, national, region)
        if key not in self._forms:
            p = self.phones[e164]
            n, cc = p.nsn, p.cc
            if national:
                candidates = {
                    "VN": [f"0{n}", f"0{n[:2]} {n[2:5]} {n[5:]}", f"0{n[:2]}.{n[2:5]}.{n[5:]}",
                           f"0{n[:2]}-{n[2:5]}-{n[5:]}", f"0{n[:3]} {n[3:6]} {n[6:]}"],
                    "PH": [f"0{n}", f"0{n[:3]} {n[3:6]} {n[6:]}", f"0{n[:3]}-{n[3:6]}-{n[6:]}",
                           f"(0{n[:3]}) {n[3:6]}-{n[6:]}", f"0{n[:3]}.{n[3:6]}.{n[6:]}"],
                    "TH": [f"0{n}", f"0{n[:2]}-{n[2:5]}-{n[5:]}", f"0{n[:1]} {n[1:5]} {n[5:]}",
                           f"0{n[:2]} {n[2:5]} {n[5:]}"],
                    "BD": [f"0{n}", f"0{n[:4]}-{n[4:]}", f"0{n[:4]} {n[4:]}"],
                    "SG": [n, f"{n[:4]} {n[4:]}", f"{n[:4]}-{n[4:]}"],
                    "CA": [n, f"({n[:3]}) {n[3:6]}-{n[6:]}", f"{n[:3]}-{n[3:6]}-{n[6:]}",
                           f"{n[:3]}.{n[3:6]}.{n[6:]}", f"1-{n[:3]}-{n[3:6]}-{n[6:]}",
                           f"1 {n[:3]} {n[3:6]} {n[6:]}"],
                }[p.region]  # fmt: skip
            else:
                candidates = [f"+{cc}{n}", f"+{cc} {n}", f"+{cc} {n[:3]} {n[3:6]} {n[6:]}",
                              f"+{cc}-{n[:3]}-{n[3:6]}-{n[6:]}", f"00{cc}{n}", f"00{cc} {n}",
                              f"00 {cc} {n[:3]} {n[3:]}"]  # fmt: skip
            valid = []
            for text in candidates:
                try:
                    if normalise_phone(text, region).e164 == e164:
                        valid.append(text)
                except NormaliseError:
                    continue
            assert valid, f"no valid rendering of {e164} read with region {region}"
            self._forms[key] = valid
        return self._forms[key]

    def national(self, e164: str) -> str:
        """The number as written in its own country, read with that region (messy: any
        layout, sometimes international)."""
        if not self.params.messy:
            return self.forms(e164, True, self.phones[e164].region)[0]
        if self.chance(0.15):
            return self.international(e164, self.phones[e164].region)
        return self.pick(self.forms(e164, True, self.phones[e164].region))

    def international(self, e164: str, region: str | None = None) -> str:
        """The number with its country code, read with `region` (messy: + or 00, any layout)."""
        if not self.params.messy:
            return e164
        return self.pick(self.forms(e164, False, region))

    def anywhere(self, e164: str) -> str:
        """National or international, read with the number's own region."""
        if not self.params.messy:
            return e164
        if self.chance(0.6):
            return self.national(e164)
        return self.international(e164, self.phones[e164].region)

    def doc_number(self, human: Human) -> str:
        """The document number as a source writes it (messy: spacing, case)."""
        number = human.doc_number
        if not self.params.messy or self.chance(0.6):
            return number
        if human.doc_type == "nid" and human.country == "TH":
            n = number
            return f"{n[0]} {n[1:5]} {n[5:10]} {n[10:12]} {n[12]}"
        if human.doc_type == "nid" and human.country in ("BD", "VN"):
            return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        if any(ch.isalpha() for ch in number):
            return number.lower() if self.chance(0.5) else f"{number[:1]} {number[1:]}"
        return number

    def doc_country(self, human: Human) -> str:
        """The document's country: alpha-2, or (messy) alpha-3 or its English name."""
        if not self.params.messy:
            return human.country
        roll = self.rng.random()
        if roll < 0.6:
            return human.country
        if roll < 0.85:
            return ALPHA3[human.country] if self.chance(0.5) else ALPHA3[human.country].lower()
        return COUNTRY_NAMES[human.country]

    def doc_type(self, human: Human) -> str:
        """The document type (messy: case varies)."""
        if self.params.messy and self.chance(0.3):
            return human.doc_type.upper()
        return human.doc_type

    def handle(self, account: AccountNo, region: str | None) -> str:
        """The account as a source writes it (messy: @handle, links, case, national numbers)."""
        h = account.handle
        if not self.params.messy:
            return h
        roll = self.rng.random()
        if account.platform == "telegram":
            if roll < 0.3:
                return "@" + h
            if roll < 0.45:
                return "t.me/" + h
            if roll < 0.55:
                return "https://t.me/" + h.lower()
            if roll < 0.65:
                return h.upper()
            return h
        if account.platform == "whatsapp":
            phone = self.phones[h]
            if roll < 0.2:
                return f"wa.me/{phone.cc}{phone.nsn}"
            if roll < 0.6 and region == phone.region:
                return self.pick(self.forms(h, True, region))
            return self.international(h, region)
        if account.platform == "line":
            return f"line.me/ti/p/~{h}" if roll < 0.3 else h
        return f"zalo.me/{h}" if roll < 0.3 else h

    def platform(self, platform: str) -> str:
        """The platform's name as a source writes it."""
        return self.pick(PLATFORM_SPELLINGS[platform]) if self.params.messy else platform

    def wallet_text(self, wallet: WalletNo) -> str:
        """An address as written (messy: Ether addresses sometimes all lower case)."""
        if wallet.chain == "eth" and self.params.messy and self.chance(0.5):
            return wallet.address.lower()
        return wallet.address

    def network(self, chain: str) -> str:
        """The chain's name as the exchange writes it."""
        names = {"tron": ("TRC20", "TRON", "tron"), "eth": ("ERC20", "ETH", "ethereum")}[chain]
        return self.pick(names) if self.params.messy else names[0]

    def insert_bad(self, rows: list[list[str]], bad: list[list[str]]) -> None:
        """Scatter deliberately bad rows among the good ones."""
        for row in bad:
            rows.insert(self.rng.randrange(len(rows) + 1), row)

    # --- the files ------------------------------------------------------------------------

    def render(self) -> tuple[dict[str, bytes], Truth]:
        """Every source file (name -> bytes) and the truth."""
        files: dict[str, bytes] = {}
        counts: dict[str, FileCount] = {}
        for name, mapping, dataset, writer in (
            ("subscribers.csv", "subscribers.yaml", "val_subscribers", self.subscribers),
            ("field_contacts.csv", "field_contacts.yaml", "val_field_contacts", self.field_cards),
            ("cdr_sea.csv", "cdr_sea.yaml", "val_cdr_sea", self.cdr_sea),
            ("cdr_gateway.tsv", "cdr_gateway.yaml", "val_cdr_gateway", self.cdr_gateway),
            ("platform_accounts.csv", "platform_accounts.yaml", "val_platform_accounts",
             self.platform_returns),
            ("messages.jsonl", "messages.yaml", "val_messages", self.message_export),
            ("exchange_kyc.csv", "exchange_kyc.yaml", "val_exchange_kyc", self.exchange_kyc),
            ("exchange_transfers.csv", "exchange_transfers.yaml", "val_exchange_transfers",
             self.exchange_transfers),
        ):  # fmt: skip
            count = FileCount(mapping, dataset)
            files[name] = writer(count)
            counts[name] = count
        return files, self.truth(counts)

    def write_csv(
        self,
        count: FileCount,
        header: list[str],
        rows: list[list[str]],
        bad: list[list[str]],
        delimiter: str = ",",
        encoding: str = "utf-8",
    ) -> bytes:
        """A CSV file of the good rows with the bad ones scattered among them."""
        count.good, count.bad = len(rows), len(bad)
        self.insert_bad(rows, bad)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return buffer.getvalue().encode(encoding)

    def subscribers(self, count: FileCount) -> bytes:
        """SIM registrations (';', UTF-8 with a BOM when messy, national numbers)."""
        entries = list(self.sims)
        self.rng.shuffle(entries)
        rows = []
        for i, (human, phone, at) in enumerate(entries):
            region = self.phones[phone].region
            rows.append([
                f"{region}-{i + 1:07d}", self.pick(OPERATORS[region]), region, self.national(phone),
                human.name, self.doc_type(human), self.doc_country(human), self.doc_number(human),
                at.strftime("%d/%m/%Y"),
            ])  # fmt: skip
        bad = []
        if self.params.messy:
            h = self.pick(self.background)
            n = len(rows)
            bad = [
                [f"{h.country}-{n + 1:07d}", self.pick(OPERATORS[h.country]), h.country,
                 "0123", h.name, h.doc_type, h.country, h.doc_number, "02/01/2024"],
                [f"{h.country}-{n + 2:07d}", self.pick(OPERATORS[h.country]), h.country,
                 self.national(h.phones[0]), h.name, h.doc_type, h.country, "", "03/01/2024"],
            ]  # fmt: skip
        header = ["sub_id", "operator", "sim_country", "msisdn", "subscriber_name", "id_type",
                  "id_country", "id_number", "activated"]  # fmt: skip
        encoding = "utf-8-sig" if self.params.messy else "utf-8"
        return self.write_csv(count, header, rows, bad, ";", encoding)

    def field_cards(self, count: FileCount) -> bytes:
        """Field contact cards ('|', Windows-1252, ASCII names but Canadians')."""
        entries = sorted(self.cards, key=lambda e: e[3])
        rows = []
        units = ("IMM-BKK", "POL-HCM", "POL-MNL", "IMM-SIN", "POL-DHK", "RCMP-TO")
        for i, (human, phone, relation, at) in enumerate(entries):
            name = human.name if human.country == "CA" else human.latin
            if self.params.messy and self.chance(0.3):
                name = name.upper()
            when = at.astimezone(ZONES[human.country]).isoformat()
            rows.append([
                f"FC-{i + 1:06d}", when, self.pick(units), self.doc_type(human),
                self.doc_country(human), self.doc_number(human), name, self.anywhere(phone),
                self.phones[phone].region, relation,
            ])  # fmt: skip
        bad = []
        if self.params.messy:
            h = self.pick(self.background)
            n = len(rows)
            when = "2025-04-02T10:00:00+07:00"
            bad = [
                [f"FC-{n + 1:06d}", when, "IMM-BKK", h.doc_type, h.country, h.doc_number,
                 h.latin, "12345", h.country, "own"],
                [f"FC-{n + 2:06d}", when, "IMM-BKK", h.doc_type, h.country, "", h.latin,
                 self.international(h.phones[0], h.country), h.country, "own"],
            ]  # fmt: skip
        header = ["card_no", "recorded_at", "unit", "doc_type", "doc_country", "doc_number",
                  "name", "phone", "phone_region", "relation"]  # fmt: skip
        return self.write_csv(count, header, rows, bad, "|", "cp1252")

    def cdr_sea(self, count: FileCount) -> bytes:
        """Clearing-house CDRs: national numbers with a region column, month-first SG times."""
        calls = sorted(
            (c for c in self.calls if self.phones[c.src].region in SEA_CDR), key=lambda c: c.at
        )
        rows = []
        for i, c in enumerate(calls):
            local = c.at.astimezone(SEA_ZONE)
            if self.params.messy and self.chance(0.3):
                start = f"{local.month}/{local.day}/{local.year} {local:%H:%M:%S}"
            else:
                start = local.strftime("%m/%d/%Y %H:%M:%S")
            src, dst = self.phones[c.src], self.phones[c.dst]
            rows.append([
                f"SEA{i + 1:08d}", self.national(c.src), src.region, self.national(c.dst),
                dst.region, start, str(c.duration), "SMS" if c.duration == 0 else "VOICE",
            ])  # fmt: skip
        bad = []
        if self.params.messy:
            n = len(rows)
            a, b = self.pick(self.background).phones[0], self.pick(self.background).phones[0]
            ra, rb = self.phones[a].region, self.phones[b].region
            bad = [
                [f"SEA{n + 1:08d}", self.national(a), ra, "113", "VN",
                 "04/02/2025 09:15:00", "12", "VOICE"],
                [f"SEA{n + 2:08d}", self.national(a), ra, self.national(b), rb,
                 "02/30/2025 10:00:00", "40", "VOICE"],
                [f"SEA{n + 3:08d}", "", "PH", self.national(b), rb,
                 "05/11/2025 18:20:00", "65", "VOICE"],
            ]  # fmt: skip
        header = ["call_id", "a_number", "a_country", "b_number", "b_country", "start_local",
                  "duration", "call_type"]  # fmt: skip
        return self.write_csv(count, header, rows, bad)

    def cdr_gateway(self, count: FileCount) -> bytes:
        """Gateway CDRs (TSV): +cc / 00cc numbers, UTC times as ISO or epoch."""
        calls = sorted(
            (c for c in self.calls if self.phones[c.src].region not in SEA_CDR),
            key=lambda c: c.at,
        )
        rows = []
        for i, c in enumerate(calls):
            roll = self.rng.random() if self.params.messy else 0.0
            if roll < 0.55:
                when = c.at.strftime("%Y-%m-%dT%H:%M:%SZ")
            elif roll < 0.75:
                when = str(int(c.at.timestamp()))
            elif roll < 0.85:
                when = str(int(c.at.timestamp()) * 1000)
            else:
                when = c.at.strftime("%Y-%m-%d %H:%M:%S")
            rows.append([
                f"GW-{i + 1:08d}", self.international(c.src), self.international(c.dst), when,
                str(c.duration),
            ])  # fmt: skip
        bad = []
        if self.params.messy:
            n = len(rows)
            a, b = self.pick(self.background).phones[0], self.pick(self.background).phones[0]
            bad = [
                [f"GW-{n + 1:08d}", "*101#", self.international(b), "2025-04-03T02:00:00Z", "3"],
                [f"GW-{n + 2:08d}", self.international(a), "+66 81", "2025-04-03T03:00:00Z",
                 "20"],
                [f"GW-{n + 3:08d}", self.international(a), self.international(b),
                 "2025-13-45T00:00:00Z", "20"],
            ]  # fmt: skip
        header = ["rec_id", "a_party", "b_party", "event_time", "duration"]
        return self.write_csv(count, header, rows, bad, "\t")

    def platform_returns(self, count: FileCount) -> bytes:
        """Platform returns: account, holder's document, registered number."""
        entries = list(self.returns)
        self.rng.shuffle(entries)
        rows = []
        for i, (human, account, at) in enumerate(entries):
            phone = self.phones[account.phone]
            registered = self.anywhere(account.phone)
            if self.params.messy and self.chance(0.08) and account.platform != "whatsapp":
                registered = ""
            display = human.name if self.chance(0.7) else ""
            rows.append([
                f"PR-{i + 1:06d}", self.platform(account.platform),
                self.handle(account, phone.region), display, registered, phone.region,
                self.doc_type(human), self.doc_country(human), self.doc_number(human),
                human.name, at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            ])  # fmt: skip
        bad = []
        if self.params.messy:
            h = self.pick(self.background)
            n = len(rows)
            bad = [
                [f"PR-{n + 1:06d}", "telegram", "@ab", "", "", h.country, h.doc_type, h.country,
                 h.doc_number, h.name, "2025-01-05T10:00:00Z"],
                [f"PR-{n + 2:06d}", "telegram", "@valid_but_phone_bad", "", "0000", h.country,
                 h.doc_type, h.country, h.doc_number, h.name, "2025-01-06T10:00:00Z"],
            ]  # fmt: skip
        header = ["return_id", "platform", "account", "display_name", "registered_phone",
                  "phone_region", "holder_doc_type", "holder_doc_country", "holder_doc_number",
                  "holder_name", "created_at"]  # fmt: skip
        return self.write_csv(count, header, rows, bad)

    def message_export(self, count: FileCount) -> bytes:
        """Messages as JSON Lines; times with the sender's UTC offset (or epoch ms)."""
        messages = sorted(self.messages, key=lambda m: m.at)
        lines = []
        for i, m in enumerate(messages):
            sender = self.account_holders[m.src][0]
            region = sender.country
            src, dst = self.accounts[m.src], self.accounts[m.dst]
            if self.params.messy and self.chance(0.15):
                sent = str(int(m.at.timestamp()) * 1000)
            else:
                sent = m.at.astimezone(ZONES[region]).isoformat()
            names = [h.name for h in self.account_holders[m.dst]]
            record = {
                "msg_id": f"MSG-{i + 1:07d}",
                "platform": self.platform(m.platform),
                "device_region": region,
                "sent_at": sent,
                "from": {"handle": self.handle(src, region), "name": sender.name},
                "to": {"handle": self.handle(dst, region),
                       "name": names[0] if len(names) == 1 and self.chance(0.5) else None},
                "kind": "text" if self.chance(0.8) else "media",
            }  # fmt: skip
            lines.append(json.dumps(record, ensure_ascii=False))
        count.good = len(lines)
        if self.params.messy:
            n = len(lines)
            bad = [
                json.dumps({"msg_id": f"MSG-{n + 1:07d}", "platform": "telegram",
                            "device_region": "TH", "sent_at": "2025-05-01T10:00:00+07:00",
                            "from": {"handle": "@ab", "name": None},
                            "to": {"handle": "@somebody_else", "name": None}, "kind": "text"}),
                json.dumps({"msg_id": f"MSG-{n + 2:07d}", "platform": "zalo",
                            "device_region": "VN", "sent_at": "2025-05-02T10:00:00+07:00",
                            "from": {"handle": "zalo.me/1234567890", "name": None},
                            "to": {"handle": None, "name": None}, "kind": "text"}),
                '{"msg_id": "MSG-' + f"{n + 3:07d}" + '", "platform": "line", "sent_at": "2025-',
            ]  # fmt: skip
            count.bad = len(bad)
            for line in bad:
                lines.insert(self.rng.randrange(len(lines) + 1), line)
        return ("\n".join(lines) + "\n").encode("utf-8")

    def exchange_kyc(self, count: FileCount) -> bytes:
        """KYC: customer's document, and each of their addresses."""
        entries = list(self.kyc)
        self.rng.shuffle(entries)
        rows = []
        for i, (human, wallet, kind) in enumerate(entries):
            rows.append([
                f"K{i + 1:06d}", human.uid, human.name, human.country, self.doc_type(human),
                self.doc_country(human), self.doc_number(human), self.network(wallet.chain),
                self.wallet_text(wallet), kind,
            ])  # fmt: skip
        bad = []
        if self.params.messy:
            h = self.pick(self.background)
            n = len(rows)
            good = eip55_checksum("0x" + self.rng.randbytes(20).hex())
            at = next(i for i, ch in enumerate(good[2:], 2) if ch.isalpha())
            broken = good[:at] + good[at].swapcase() + good[at + 1 :]
            tron = self.new_wallet("tron")
            bad = [
                [f"K{n + 1:06d}", h.uid, h.name, h.country, h.doc_type, h.country, h.doc_number,
                 "ERC20", broken, "deposit"],
                [f"K{n + 2:06d}", h.uid, h.name, h.country, h.doc_type, h.country, "",
                 "TRC20", tron.address, "deposit"],
            ]  # fmt: skip
            del self.wallets[tron.id]
        header = ["kyc_row", "customer_uid", "full_name", "nationality", "doc_type",
                  "doc_country", "doc_number", "network", "address", "address_type"]  # fmt: skip
        return self.write_csv(count, header, rows, bad)

    def exchange_transfers(self, count: FileCount) -> bytes:
        """On-chain transfers: tx hash, addresses, amount and its dollar value, UTC time."""
        transfers = sorted(self.transfers, key=lambda t: t.at)
        rows = []
        for t in transfers:
            src, dst = self.wallets[t.src], self.wallets[t.dst]
            if t.chain == "eth":
                tx, asset = "0x" + self.rng.randbytes(32).hex(), "ETH"
                amount = f"{t.usd / 2650:.6f}"
            else:
                tx, asset, amount = self.rng.randbytes(32).hex(), "USDT", f"{t.usd:.2f}"
            if self.params.messy and self.chance(0.25):
                when = str(int(t.at.timestamp()))
            else:
                when = t.at.strftime("%Y-%m-%dT%H:%M:%SZ")
            rows.append([
                tx, self.network(t.chain), asset, self.wallet_text(src), self.wallet_text(dst),
                amount, f"{t.usd:.2f}", when,
            ])  # fmt: skip
        bad = []
        tron = [t for t in self.transfers if t.chain == "tron"]
        if self.params.messy and tron:
            some = tron[0]
            payer = self.wallets[some.src].address
            payee = self.wallets[some.dst].address
            swap = "2" if payer[-1] != "2" else "3"
            bad = [
                [self.rng.randbytes(32).hex(), "TRC20", "USDT", payer[:-1] + swap, payee,
                 "120.00", "120.00", "2025-06-01T10:00:00Z"],
                [self.rng.randbytes(32).hex(), "TRC20", "USDT", payer, payee, "1.234,50", "1234.50",
                 "2025-06-02T10:00:00Z"],
                ["", "TRC20", "USDT", payer, payee, "75.00", "75.00", "2025-06-03T10:00:00Z"],
            ]  # fmt: skip
        header = ["tx_id", "network", "asset", "from_address", "to_address", "amount",
                  "amount_usd", "block_time"]  # fmt: skip
        return self.write_csv(count, header, rows, bad)

    # --- the truth ------------------------------------------------------------------------

    def truth(self, counts: dict[str, FileCount]) -> Truth:
        """What was planted, keyed as linkgraph keys it."""
        overlap = {person.key for person, _ in self.overlapping}
        rings = []
        for ring in self.rings:
            assert ring.operator is not None
            assert ring.collection is not None
            rings.append({
                "name": ring.name,
                "countries": ring.countries,
                "members": sorted(h.pid for h in ring.members),
                "size": len(ring.members),
                "overlapping": sorted(h.pid for h in ring.members if h.key in overlap),
                "burners": ring.burners,
                "operator_account": ring.operator.id,
                "collection_wallet": ring.collection.id,
            })  # fmt: skip
        params = asdict(self.params)
        params["ring_sizes"] = list(self.params.ring_sizes)
        return Truth(
            seed=self.seed,
            params=params,
            people=len(self.humans),
            rings=rings,
            brokers=[
                {"person": b.pid, "rings": [r.name for r in rs], "phone": b.phones[0]}
                for b, rs in self.brokers
            ],
            service_numbers=self.services,
            hubs=[h["id"] for h in self.hub_details],
            hub_details=self.hub_details,
            overlapping=[
                {"person": p.pid, "rings": [r.name for r in rs]} for p, rs in self.overlapping
            ],
            files={name: count.as_json() for name, count in counts.items()},
            noise_share_realised=self.noise_realised,
            pairs=self.pair_counts,
        )


# --- the command line -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Generate one scenario."""
    defaults = ScenarioParams()
    parser = argparse.ArgumentParser(
        prog="python -m bench.validation.scenario", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rings", type=int, default=defaults.rings)
    parser.add_argument("--ring-min", type=int, default=defaults.ring_sizes[0])
    parser.add_argument("--ring-max", type=int, default=defaults.ring_sizes[1])
    parser.add_argument("--brokers", type=int, default=defaults.brokers)
    parser.add_argument("--service-numbers", type=int, default=defaults.service_numbers)
    parser.add_argument("--background", type=int, default=defaults.background)
    parser.add_argument("--noise-share", type=float, default=defaults.noise_share)
    parser.add_argument("--no-hubs", action="store_true")
    parser.add_argument("--overlapping", type=int, default=defaults.overlapping)
    parser.add_argument("--clean", action="store_true", help="no format variety, no bad records")
    args = parser.parse_args(argv)
    try:
        params = ScenarioParams(
            rings=args.rings,
            ring_sizes=(args.ring_min, args.ring_max),
            brokers=args.brokers,
            service_numbers=args.service_numbers,
            background=args.background,
            noise_share=args.noise_share,
            hubs=not args.no_hubs,
            overlapping=args.overlapping,
            messy=not args.clean,
        )
    except ValueError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    began = time.perf_counter()
    truth = generate(params, args.seed, args.out)
    seconds = time.perf_counter() - began
    records = sum(f["read"] for f in truth.files.values())
    print(
        f"scenario seed {args.seed}: {truth.people} people, {len(truth.rings)} rings, "
        f"{len(truth.brokers)} brokers, {records} records in {len(truth.files)} files, "
        f"noise share {truth.noise_share_realised} ({seconds:.2f} s) -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
