"""Generate linkgraph's bundled demo investigation into ``demo/data/``.

The demo is a small, multi-source investigation into labour trafficking and migrant
smuggling across South-East Asia and Canada. Three networks are planted in it:

* ``recruitment_ring`` (Philippines / Viet Nam, 12 people): posts fake "customer service
  in Bangkok" job adverts, flies recruits to Bangkok and on to Mae Sot;
* ``transport_cell`` (Thailand / Malaysia, 9 people): moves migrants across the
  Sadao / Padang Besar border from safe houses in Hat Yai;
* ``money_cell`` (Canada, 8 people): forges documents and launders proceeds through
  crypto-currency and money mules in Toronto and Montréal;

plus one broker who ties the recruitment ring to the money cell, one recruitment agency
hotline listed by many unrelated people (the hub the hub policy must flag), about 300
background people with sparse, unrelated activity, and a handful of deliberately bad
records that the loader must reject with a reason.

Every value is generated from ``random.Random(20261128)`` so the output is reproducible
byte for byte; phone numbers are checked with linkgraph's own normaliser (libphonenumber
must call them valid), wallet addresses carry correct checksums (EIP-55, Base58Check,
Bech32). Canadian numbers use the NANP 555-01XX block reserved for fiction; the other
numbers are random and may belong to real subscribers: treat the data as fiction.

Besides the data files it writes ``truth.json``: the planted networks with the Person
ids linkgraph gives each member in each source, the broker, the hub, and the number of
records each file should read, load and reject.

Usage::

    .venv/bin/python demo/generate.py [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from normalise import NormaliseError, normalise_phone, normalise_wallet
from normalise.base58 import b58check_encode
from normalise.bech32 import encode_segwit
from normalise.wallet import eip55_checksum

SEED = 20261128
HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "data"

# The investigation window (local dates).
START = date(2025, 5, 1)
END = date(2025, 11, 15)
# The hub policy's default threshold: distinct people at which an identifier is a hub.
HUB_MIN_PEOPLE = 12
# Background people per location are kept below this, so only the planted hub is one.
LOCATION_CAP = 10

COUNTRY_CODES = {"VN": "84", "PH": "63", "TH": "66", "BD": "880", "SG": "65", "MY": "60",
                 "CA": "1"}  # fmt: skip
ALPHA3 = {"VN": "VNM", "PH": "PHL", "TH": "THA", "BD": "BGD", "SG": "SGP", "MY": "MYS",
          "CA": "CAN"}  # fmt: skip
# Countries whose operators answered the subscriber production order.
TELCO_COUNTRIES = ("VN", "PH", "TH", "BD", "SG", "CA")
OPERATORS = {
    "VN": ("Viettel", "VinaPhone", "MobiFone"),
    "PH": ("Globe", "Smart", "DITO"),
    "TH": ("AIS", "TrueMove H", "dtac"),
    "BD": ("Grameenphone", "Robi", "Banglalink"),
    "SG": ("Singtel", "StarHub", "M1"),
    "CA": ("Rogers", "Bell", "Telus"),
}
MOBILE_PREFIXES: dict[str, tuple[tuple[str, ...], int]] = {
    "VN": (("90", "93", "89", "91", "94", "88", "96", "97", "98", "86", "32", "33", "34", "35",
            "36", "37", "38", "39", "70", "76", "77", "78", "79", "81", "82", "83", "84", "85"),
           7),
    "PH": (("905", "906", "915", "916", "917", "926", "927", "935", "936", "945", "953", "954",
            "955", "956", "965", "966", "975", "977", "995", "997", "907", "908", "909", "910",
            "912", "918", "919", "920", "921", "928", "929", "930", "938", "939", "946", "947",
            "948", "949", "950", "951", "961", "998", "999", "991", "992", "993"), 7),
    "TH": (("81", "82", "83", "84", "85", "86", "87", "88", "89", "61", "62", "63", "64", "65",
            "91", "92", "93", "94", "95", "96", "97", "98", "99"), 7),
    "BD": (("17", "13", "18", "16", "19", "15"), 8),
    "SG": (("8", "9"), 7),
    "MY": (("12", "13", "16", "17", "19"), 7),
}  # fmt: skip
CA_AREAS = {"Toronto": ("416", "647", "437"), "Scarborough": ("416", "647"),
            "Mississauga": ("905", "289"), "Brampton": ("905", "289"),
            "Montréal": ("514", "438"), "Laval": ("450", "579"), "Ottawa": ("613", "343"),
            "Vancouver": ("604", "778"), "Hamilton": ("905", "289")}  # fmt: skip
ZONES = {"VN": "Asia/Ho_Chi_Minh", "PH": "Asia/Manila", "TH": "Asia/Bangkok",
         "CA": "America/Toronto"}  # fmt: skip

# --- names ------------------------------------------------------------------------------------

VN_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
             "Đỗ", "Hồ", "Ngô", "Dương", "Lý")  # fmt: skip
VN_MIDDLE = {"M": ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công"),
             "F": ("Thị", "Ngọc", "Thu", "Thanh", "Mỹ", "Kim")}  # fmt: skip
VN_GIVEN = {"M": ("Anh", "Bình", "Cường", "Dũng", "Hải", "Hiếu", "Hùng", "Khoa", "Long", "Nam",
                  "Phúc", "Quân", "Sơn", "Trung", "Thắng", "Vinh", "Lộc", "Tài"),
            "F": ("Hà", "Hạnh", "Hoa", "Hương", "Linh", "Mai", "Nga", "Phương", "Thảo", "Trang",
                  "Vy", "Yến", "Hằng", "Ngân", "Oanh")}  # fmt: skip
PH_GIVEN = {"M": ("Jose", "Juan Carlos", "Mark", "John Paul", "Michael", "Ronaldo", "Jayson",
                  "Rodel", "Jomar", "Ariel", "Noel", "Randy", "Christian", "Efren", "Danilo"),
            "F": ("Maria", "Angelica", "Kristine", "Rachelle", "Rowena", "Lea", "Joy", "Rhea",
                  "Princess", "Mary Grace", "Aileen", "Jennifer", "Analyn", "Marites",
                  "Girlie")}  # fmt: skip
PH_FAMILY = ("Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Torres",
             "Tomas", "Andrada", "Castillo", "Flores", "Ramos", "Castro", "Rivera", "Aquino",
             "Navarro", "Salazar", "Mercado", "Dela Cruz", "De Leon", "Pangilinan", "Macaraeg",
             "Dimaculangan", "Ibañez", "Manalo")  # fmt: skip
TH_GIVEN = {"M": (("Somsak", "สมศักดิ์"), ("Nattapong", "ณัฐพงษ์"), ("Chaiwat", "ชัยวัฒน์"),
                  ("Thanawat", "ธนวัฒน์"), ("Apichart", "อภิชาติ"), ("Surachai", "สุรชัย"),
                  ("Wirat", "วิรัตน์"), ("Boonchai", "บุญชัย"), ("Sakda", "ศักดา")),
            "F": (("Siriporn", "ศิริพร"), ("Suda", "สุดา"), ("Pimchanok", "พิมพ์ชนก"),
                  ("Supaporn", "สุภาพร"), ("Wanida", "วนิดา"), ("Kannika", "กรรณิการ์"),
                  ("Nong", "น้อง"), ("Ratana", "รัตนา"), ("Duangjai", "ดวงใจ"))}  # fmt: skip
TH_FAMILY = (("Saetang", "แซ่ตั้ง"), ("Wongsawat", "วงศ์สวัสดิ์"), ("Phromma", "พรหมมา"),
             ("Sukjai", "สุขใจ"), ("Intharak", "อินทรักษ์"), ("Chanthra", "จันทรา"),
             ("Srisawat", "ศรีสวัสดิ์"), ("Boonyarat", "บุญยรัตน์"), ("Thepsiri", "เทพศิริ"),
             ("Kongkaew", "ก้องแก้ว"), ("Jaidee", "ใจดี"), ("Rungruang", "รุ่งเรือง"))  # fmt: skip
BD_GIVEN = {"M": ("Mohammad", "Abdul", "Rahim", "Karim", "Rafiq", "Jahid", "Sumon", "Shakil",
                  "Mizanur", "Habib"),
            "F": ("Fatema", "Nusrat", "Shahana", "Ayesha", "Rokeya", "Nasrin",
                  "Taslima")}  # fmt: skip
BD_FAMILY = ("Hossain", "Rahman", "Islam", "Ahmed", "Akter", "Uddin", "Chowdhury", "Khan",
             "Miah", "Sarker")  # fmt: skip
MY_NAMES = {"M": ("Muhammad Firdaus bin Hassan", "Mohd Azlan bin Yusof", "Tan Chee Keong",
                  "Wong Kah Hoe", "Suresh a/l Muthu", "Amirul bin Razak", "Lee Jun Hao",
                  "Hafiz bin Abdullah", "Ravi a/l Krishnan", "Khairul bin Ismail"),
            "F": ("Siti Aishah binti Omar", "Tan Mei Ling", "Nur Izzati binti Zainal",
                  "Priya a/p Raman", "Chong Li Ying", "Farah binti Kamal",
                  "Lim Siew Mei")}  # fmt: skip
SG_NAMES = {"M": ("Tan Wei Ming", "Lim Jun Jie", "Muhammad Haziq", "Rajesh Kumar",
                  "Goh Zhi Hao", "Ong Kai Xiang", "Daniel Chua"),
            "F": ("Lim Hui Min", "Nur Aisyah", "Chen Xin Yi", "Kavitha Nair", "Ng Shu Fen",
                  "Rachel Teo")}  # fmt: skip
CA_GIVEN = {"M": ("Liam", "Noah", "William", "Mathieu", "Ryan", "Tyler", "Gabriel", "Samuel",
                  "Étienne", "Jean-François", "Connor", "Raj", "Omar", "Wei", "Lucas", "Félix"),
            "F": ("Emma", "Olivia", "Sophie", "Chloé", "Jessica", "Megan", "Élodie", "Chantal",
                  "Geneviève", "Aisha", "Hannah", "Mélanie", "Zoë", "Simran",
                  "Nathalie")}  # fmt: skip
CA_FAMILY = ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Smith", "Brown", "Wilson",
             "MacDonald", "Taylor", "Campbell", "Anderson", "Leblanc", "Martin", "Singh",
             "Patel", "Nguyen", "Wong", "Bélanger", "Lévesque", "Fraser", "O'Brien", "Chen",
             "Pelletier", "Morin")  # fmt: skip

# --- places -----------------------------------------------------------------------------------

# Thai immigration checkpoints: land posts with (approximate) coordinates, airports by name.
CHECKPOINTS: dict[str, tuple[str, float | None, float | None]] = {
    "Suvarnabhumi Airport": ("Samut Prakan", None, None),
    "Don Mueang Airport": ("Bangkok", None, None),
    "Hat Yai International Airport": ("Songkhla", None, None),
    "Phuket International Airport": ("Phuket", None, None),
    "Chiang Mai International Airport": ("Chiang Mai", None, None),
    "Sadao Immigration Checkpoint": ("Songkhla", 6.6393, 100.4219),
    "Padang Besar Immigration Checkpoint": ("Songkhla", 6.6631, 100.3219),
    "Satun Tammalang Pier": ("Satun", 6.5307, 100.0690),
    "Mae Sot Friendship Bridge": ("Tak", 16.7035, 98.5365),
    "Aranyaprathet Checkpoint": ("Sa Kaeo", 13.6636, 102.5519),
    "Nong Khai Friendship Bridge": ("Nong Khai", 17.8782, 102.7163),
    "Chiang Khong Friendship Bridge": ("Chiang Rai", 20.2155, 100.4475),
    "Mukdahan Friendship Bridge": ("Mukdahan", 16.5858, 104.7436),
    "Krabi International Airport": ("Krabi", None, None),
    "Udon Thani International Airport": ("Udon Thani", None, None),
    "U-Tapao International Airport": ("Rayong", None, None),
    "Chiang Rai International Airport": ("Chiang Rai", None, None),
}
CELL_SITES: dict[str, tuple[float, float]] = {
    "HY-0141": (7.0086, 100.4747), "HY-0152": (7.0203, 100.4660),
    "HY-0177": (6.9951, 100.4831), "SD-0021": (6.6394, 100.4226),
    "SD-0034": (6.7802, 100.4098), "PB-0007": (6.6620, 100.3226),
    "SK-0210": (7.1898, 100.5951), "ST-0019": (6.6238, 100.0674),
    "BK-1203": (13.7563, 100.5018), "BK-1377": (13.7460, 100.5340),
    "BK-1422": (13.7279, 100.5241), "BK-1550": (13.8130, 100.5600),
    "CM-0310": (18.7883, 98.9853), "PK-0055": (7.8804, 98.3923),
    "MS-0012": (16.7132, 98.5747), "PT-0088": (12.9236, 100.8825),
    "KK-0140": (16.4322, 102.8236), "UD-0061": (17.4138, 102.7870),
}  # fmt: skip
NET2_CELLS = ("HY-0141", "HY-0152", "HY-0177", "SD-0021", "SD-0034", "PB-0007", "ST-0019")
HOTELS: dict[str, tuple[str, str]] = {
    "Auberge Saint-Denis": ("Montréal", "QC"),
    "Hôtel Champlain Centre-Ville": ("Montréal", "QC"),
    "Hôtel Place d'Youville": ("Montréal", "QC"),
    "Queen West Boutique Hotel": ("Toronto", "ON"),
    "Lakeshore Suites Toronto": ("Toronto", "ON"),
    "Pearson Airport Lodge": ("Mississauga", "ON"),
    "Markham Business Inn": ("Markham", "ON"),
    "Rideau Canal Hotel": ("Ottawa", "ON"),
    "Niagara Falls View Motel": ("Niagara Falls", "ON"),
    "Gatineau Riverside Inn": ("Gatineau", "QC"),
    "Laval Carrefour Suites": ("Laval", "QC"),
    "Brampton Gateway Hotel": ("Brampton", "ON"),
}


# --- the planted people -----------------------------------------------------------------------

# key, network, role, nationality, gender, city, name as written at home, Latin family name,
# Latin given names (as in the passport, diacritics are dropped when printed).
CAST: tuple[tuple[str, str, str, str, str, str, str, str, str], ...] = (
    ("N1-01", "recruitment_ring", "boss", "PH", "M", "Manila", "Ramon Dizon", "Dizon", "Ramon"),
    ("N1-02", "recruitment_ring", "deputy_recruiter", "PH", "F", "Quezon City",
     "Maricel Santos", "Santos", "Maricel"),
    ("N1-03", "recruitment_ring", "recruiter", "PH", "M", "Pasay",
     "Jerome Villanueva", "Villanueva", "Jerome"),
    ("N1-04", "recruitment_ring", "recruiter", "PH", "F", "Caloocan",
     "Liezel Peñaflor", "Peñaflor", "Liezel"),
    ("N1-05", "recruitment_ring", "escort", "PH", "M", "Parañaque",
     "Arnel Bautista", "Bautista", "Arnel"),
    ("N1-06", "recruitment_ring", "vn_coordinator", "VN", "M", "Hồ Chí Minh",
     "Trần Văn Tuấn", "Tran", "Van Tuan"),
    ("N1-07", "recruitment_ring", "vn_recruiter", "VN", "F", "Hồ Chí Minh",
     "Nguyễn Thị Hồng Nhung", "Nguyen", "Thi Hong Nhung"),
    ("N1-08", "recruitment_ring", "vn_recruiter", "VN", "M", "Cần Thơ",
     "Lê Minh Khoa", "Le", "Minh Khoa"),
    ("N1-09", "recruitment_ring", "vn_driver", "VN", "M", "Hồ Chí Minh",
     "Phạm Quốc Bảo", "Pham", "Quoc Bao"),
    ("N1-10", "recruitment_ring", "vn_document_fixer", "VN", "F", "Hồ Chí Minh",
     "Đỗ Thị Lan", "Do", "Thi Lan"),
    ("N1-11", "recruitment_ring", "bookkeeper", "PH", "F", "Makati",
     "Cristina Reyes", "Reyes", "Cristina"),
    ("N1-12", "recruitment_ring", "page_admin", "PH", "M", "Quezon City",
     "Mark Anthony Garcia", "Garcia", "Mark Anthony"),
    ("N2-01", "transport_cell", "leader", "TH", "M", "Hat Yai",
     "Somchai Kaewmanee", "Kaewmanee", "Somchai"),
    ("N2-02", "transport_cell", "driver", "TH", "M", "Hat Yai", "Anan Srisuk", "Srisuk", "Anan"),
    ("N2-03", "transport_cell", "driver", "TH", "M", "Sadao",
     "Wichai Thongdee", "Thongdee", "Wichai"),
    ("N2-04", "transport_cell", "safe_house_keeper", "TH", "F", "Hat Yai",
     "Malee Boonmee", "Boonmee", "Malee"),
    ("N2-07", "transport_cell", "lookout", "TH", "M", "Sadao",
     "Prasert Chaiyo", "Chaiyo", "Prasert"),
    ("N2-09", "transport_cell", "accountant", "TH", "M", "Hat Yai",
     "Kittipong Rattanaporn", "Rattanaporn", "Kittipong"),
    ("N2-05", "transport_cell", "boat_operator", "MY", "M", "Kangar",
     "Ahmad bin Ismail", "Ahmad", "bin Ismail"),
    ("N2-06", "transport_cell", "receiver", "MY", "M", "George Town",
     "Lim Wei Jie", "Lim", "Wei Jie"),
    ("N2-08", "transport_cell", "document_runner", "MY", "F", "Alor Setar",
     "Nurul Huda binti Rahman", "Nurul", "Huda binti Rahman"),
    ("N3-01", "money_cell", "forger", "CA", "M", "Toronto", "Kevin Tran", "Tran", "Kevin"),
    ("N3-02", "money_cell", "money_manager", "CA", "M", "Toronto", "Jason Li", "Li", "Jason"),
    ("N3-03", "money_cell", "mule", "CA", "F", "Brampton", "Harpreet Sandhu", "Sandhu", "Harpreet"),
    ("N3-04", "money_cell", "mule", "CA", "F", "Montréal", "Amélie Gagnon", "Gagnon", "Amélie"),
    ("N3-05", "money_cell", "mule", "CA", "M", "Montréal",
     "Marc-André Tremblay", "Tremblay", "Marc-André"),
    ("N3-06", "money_cell", "courier", "CA", "M", "Toronto", "Ricardo Mendes", "Mendes", "Ricardo"),
    ("N3-07", "money_cell", "id_supplier", "CA", "F", "Mississauga",
     "Olena Kovalenko", "Kovalenko", "Olena"),
    ("N3-08", "money_cell", "mule_recruiter", "CA", "F", "Scarborough",
     "Priya Nair", "Nair", "Priya"),
    ("BR-01", "broker", "broker", "CA", "M", "Toronto",
     "Michael Hoang", "Hoang", "Michael Duc Minh"),
)  # fmt: skip
THAI_SCRIPT = {"N2-01": "สมชาย แก้วมณี", "N2-02": "อนันต์ ศรีสุข", "N2-03": "วิชัย ทองดี",
               "N2-04": "มาลี บุญมี", "N2-07": "ประเสริฐ ไชโย", "N2-09": "กิตติพงษ์ รัตนาภรณ์"}  # fmt: skip
ALIASES = {"N1-01": ["Boss Mon"], "BR-01": ["Hoàng Đức Minh", "Minh Canada"]}


# --- the cast ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phone:
    """A phone number: its region and national significant number."""

    region: str
    nsn: str

    @property
    def cc(self) -> str:
        """Country calling code."""
        return COUNTRY_CODES[self.region]

    @property
    def e164(self) -> str:
        """The number as linkgraph keys it."""
        return f"+{self.cc}{self.nsn}"


@dataclass(frozen=True)
class Wallet:
    """A wallet address on one chain, as sources write it."""

    chain: str
    address: str

    @property
    def asset(self) -> str:
        """The asset moved in this demo on the wallet's chain."""
        return {"btc": "BTC", "eth": "ETH", "tron": "USDT"}[self.chain]


@dataclass
class Human:
    """One real person of the story, who may appear in several sources."""

    key: str
    group: str  # recruitment_ring, transport_cell, money_cell, broker, background
    role: str
    name: str  # as written at home (Vietnamese or Thai script where used)
    family: str  # Latin-script family name, as in a passport (without diacritics)
    given: str  # Latin-script given names
    gender: str
    birth: date
    nationality: str
    city: str
    passport: str | None = None
    nid: str | None = None
    nid_type: str = "nid"
    phones: list[Phone] = field(default_factory=list)
    wallets: list[Wallet] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    leaf_of: str | None = None
    thai_name: str | None = None

    @property
    def latin(self) -> str:
        """Name in passport (MRZ) style: FAMILY, GIVEN."""
        return f"{self.family}, {self.given}"

    @property
    def plain(self) -> str:
        """Name in Latin script, given names first."""
        return f"{self.given.title()} {self.family.title()}"


@dataclass
class FileTruth:
    """What one generated file should give when loaded."""

    name: str
    mapping: str
    dataset: str
    description: str
    records: int = 0
    filtered: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The file's entry in truth.json."""
        read = self.records - self.filtered
        return {
            "mapping": self.mapping,
            "dataset": self.dataset,
            "description": self.description,
            "read": read,
            "loaded": read - len(self.rejects),
            "rejected": len(self.rejects),
            "filtered": self.filtered,
            "rejects": self.rejects,
        }


def ascii_upper(text: str) -> str:
    """Passport-style Latin capitals: diacritics dropped, Đ as D."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()


def doc_id(scheme: str, country: str, number: str) -> str:
    """The Person id linkgraph gives an identity document."""
    return f"{scheme}:{country}:{''.join(number.split()).upper()}"


class Generator:
    """Builds the cast, then renders each source file from it."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.humans: dict[str, Human] = {}
        self.used_e164: set[str] = set()
        self.used_docs: set[tuple[str, str]] = set()
        self.used_names: set[str] = set()
        self.person_ids: dict[str, list[str]] = {}
        self.files: dict[str, FileTruth] = {}
        self.outputs: dict[str, bytes] = {}
        self.hub_phone = Phone("PH", "")
        self.shared: dict[str, Any] = {}

    # --- small helpers ------------------------------------------------------------------

    def pick(self, items: Sequence[Any]) -> Any:
        """One item, uniformly."""
        return items[self.rng.randrange(len(items))]

    def digits(self, count: int) -> str:
        """`count` random decimal digits."""
        return "".join(str(self.rng.randrange(10)) for _ in range(count))

    def letters(self, count: int) -> str:
        """`count` random capital letters."""
        return "".join(chr(65 + self.rng.randrange(26)) for _ in range(count))

    def moment(
        self,
        start: date = START,
        end: date = END,
        hours: tuple[int, int] = (7, 22),
    ) -> datetime:
        """A naive local date-time in [start, end), at a waking hour."""
        day = start + timedelta(days=self.rng.randrange((end - start).days))
        return datetime(
            day.year,
            day.month,
            day.day,
            self.rng.randint(*hours),
            self.rng.randrange(60),
            self.rng.randrange(60),
        )

    def note_id(self, human: Human, person_id: str) -> None:
        """Remember that `human` appears as Person `person_id`."""
        ids = self.person_ids.setdefault(human.key, [])
        if person_id not in ids:
            ids.append(person_id)

    # --- identifiers --------------------------------------------------------------------

    def new_phone(self, region: str, city: str = "") -> Phone:
        """A fresh mobile number that libphonenumber considers valid."""
        while True:
            if region == "CA":
                area = self.pick(CA_AREAS.get(city, CA_AREAS["Toronto"]))
                nsn = f"{area}55501{self.digits(2)}"  # NANP 555-01XX: reserved for fiction
            else:
                prefixes, rest = MOBILE_PREFIXES[region]
                nsn = self.pick(prefixes) + self.digits(rest)
            phone = Phone(region, nsn)
            if phone.e164 in self.used_e164:
                continue
            try:
                parsed = normalise_phone(phone.e164, None)
            except NormaliseError:
                continue
            if parsed.region == region:
                self.used_e164.add(phone.e164)
                return phone

    def new_landline_ph(self) -> Phone:
        """A Metro Manila landline (02) 8XXX XXXX."""
        while True:
            phone = Phone("PH", "28" + self.digits(7))
            try:
                normalise_phone(phone.e164, None)
            except NormaliseError:
                continue
            if phone.e164 not in self.used_e164:
                self.used_e164.add(phone.e164)
                return phone

    def national_forms(self, phone: Phone) -> list[str]:
        """How people of the number's own country write it."""
        n = phone.nsn
        forms = {
            "VN": [
                f"0{n[:3]} {n[3:6]} {n[6:]}",
                f"0{n[:2]}.{n[2:5]}.{n[5:]}",
                f"0{n}",
                f"0{n[:2]}-{n[2:5]}-{n[5:]}",
                f"+84 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
                f"(+84) {n[:3]} {n[3:6]} {n[6:]}",
                f"0084{n}",
            ],
            "PH": [
                f"0{n[:3]} {n[3:6]} {n[6:]}",
                f"0{n[:3]}-{n[3:6]}-{n[6:]}",
                f"(0{n[:3]}) {n[3:6]}-{n[6:]}",
                f"+63 {n[:3]} {n[3:6]} {n[6:]}",
                f"+63-{n[:3]}-{n[3:6]}-{n[6:]}",
                f"0063 {n[:3]} {n[3:6]} {n[6:]}",
                f"0{n}",
            ],
            "TH": [
                f"0{n[:2]}-{n[2:5]}-{n[5:]}",
                f"0{n[:1]} {n[1:5]} {n[5:]}",
                f"+66 {n[:2]} {n[2:5]} {n[5:]}",
                f"0066 {n[:2]} {n[2:5]} {n[5:]}",
                f"0{n}",
            ],
            "BD": [f"0{n[:4]}-{n[4:]}", f"+880 {n[:4]}-{n[4:]}", f"00880 {n[:4]} {n[4:]}", f"0{n}"],
            "SG": [f"{n[:4]} {n[4:]}", f"+65 {n[:4]} {n[4:]}", f"+65-{n[:4]}-{n[4:]}", n],
            "MY": [
                f"0{n[:2]}-{n[2:5]} {n[5:]}",
                f"+60 {n[:2]}-{n[2:5]} {n[5:]}",
                f"0060 {n[:2]} {n[2:5]} {n[5:]}",
                f"0{n}",
            ],
            "CA": [
                f"({n[:3]}) {n[3:6]}-{n[6:]}",
                f"{n[:3]}-{n[3:6]}-{n[6:]}",
                f"{n[:3]}.{n[3:6]}.{n[6:]}",
                f"1-{n[:3]}-{n[3:6]}-{n[6:]}",
                f"+1 {n[:3]} {n[3:6]} {n[6:]}",
                n,
            ],
        }
        if phone.region == "PH" and n.startswith("28"):
            return [
                f"(02) {n[1:5]} {n[5:]}",
                f"+63 2 {n[1:5]} {n[5:]}",
                f"02-{n[1:5]}-{n[5:]}",
                f"(02) {n[1:5]}-{n[5:]}",
            ]
        return forms[phone.region]

    def international_forms(self, phone: Phone, source_region: str | None) -> list[str]:
        """How a number of another country is written (from `source_region`)."""
        n, cc = phone.nsn, phone.cc
        forms = [f"+{cc} {n}", f"+{cc}{n}", f"+{cc} {n[:3]} {n[3:6]} {n[6:]}"]
        if source_region == "CA":
            forms += [f"011 {cc} {n}", f"011{cc}{n}"]
        elif source_region is not None:
            forms += [f"00{cc} {n}", f"00{cc}{n}"]
        return forms

    def render(self, phone: Phone, source_region: str | None, fixed: int | None = None) -> str:
        """The number as a source of `source_region` writes it; checked to normalise back."""
        if source_region == phone.region:
            forms = self.national_forms(phone)
        else:
            forms = self.international_forms(phone, source_region)
        start = fixed if fixed is not None else self.rng.randrange(len(forms))
        for offset in range(len(forms)):
            text = forms[(start + offset) % len(forms)]
            try:
                if normalise_phone(text, source_region).e164 == phone.e164:
                    return text
            except NormaliseError:
                continue
        raise AssertionError(f"no valid rendering of {phone.e164} from {source_region}")

    def e164_spaced(self, phone: Phone) -> str:
        """International form as messaging apps show it."""
        return self.render(phone, None, fixed=2)

    def new_wallet(self, chain: str, kind: str = "") -> Wallet:
        """A wallet address with a correct checksum."""
        body = self.rng.randbytes(20)
        if chain == "eth":
            address = eip55_checksum("0x" + body.hex())
        elif chain == "tron":
            address = b58check_encode(b"\x41" + body)
        elif kind == "p2sh":
            address = b58check_encode(b"\x05" + body)
        elif kind == "p2pkh":
            address = b58check_encode(b"\x00" + body)
        else:
            address = encode_segwit("bc", 0, body)
        wallet = Wallet(chain, address)
        normalise_wallet(address, chain)  # raises if the generator is wrong
        return wallet

    def tx_hash(self, chain: str) -> str:
        """A transaction hash in the chain's usual notation."""
        text = self.rng.randbytes(32).hex()
        return "0x" + text if chain == "eth" else text

    def new_passport(self, country: str) -> str:
        """A passport number in the country's usual pattern."""
        while True:
            number = {
                "VN": lambda: "C" + self.digits(7),
                "PH": lambda: "P" + self.digits(7) + self.letters(1),
                "TH": lambda: "A" + self.letters(1) + self.digits(7),
                "MY": lambda: "A" + self.digits(8),
                "CA": lambda: self.letters(2) + self.digits(6),
                "BD": lambda: "A" + self.digits(8),
                "SG": lambda: "K" + self.digits(7) + self.letters(1),
            }[country]()
            if ("passport", number) not in self.used_docs:
                self.used_docs.add(("passport", number))
                return number

    def new_nid(self, country: str, city: str) -> tuple[str, str]:
        """A national identity number (or, in Canada, a driver's licence), as printed."""
        while True:
            if country == "VN":
                kind, number = (
                    "nid",
                    "0" + self.pick(("79", "01", "48", "92", "74")) + self.digits(10),
                )
            elif country == "PH":
                kind, number = "nid", "-".join(self.digits(4) for _ in range(4))
            elif country == "TH":
                kind, number = "nid", self.pick("1357") + self.digits(12)
            elif country == "BD":
                kind, number = "nid", self.digits(10)
            elif country == "SG":
                kind, number = "nid", self.pick("ST") + self.digits(7) + self.letters(1)
            elif country == "MY":
                kind, number = "nid", f"{self.digits(6)}-{self.digits(2)}-{self.digits(4)}"
            elif city in ("Montréal", "Laval", "Gatineau"):
                kind, number = (
                    "dl",
                    f"{self.letters(1)}{self.digits(4)}-{self.digits(6)}-{self.digits(2)}",
                )
            else:
                kind, number = (
                    "dl",
                    f"{self.letters(1)}{self.digits(4)}-{self.digits(5)}-{self.digits(5)}",
                )
            if (kind, number) not in self.used_docs:
                self.used_docs.add((kind, number))
                return kind, number

    # --- people -------------------------------------------------------------------------

    def random_name(self, country: str, gender: str) -> tuple[str, str, str, str | None]:
        """(name as written at home, Latin family, Latin given names, Thai script name)."""
        while True:
            thai = None
            if country == "VN":
                family = self.pick(VN_FAMILY)
                given = f"{self.pick(VN_MIDDLE[gender])} {self.pick(VN_GIVEN[gender])}"
                name = f"{family} {given}"
            elif country == "PH":
                family, given = self.pick(PH_FAMILY), self.pick(PH_GIVEN[gender])
                name = f"{given} {family}"
            elif country == "TH":
                (given, thai_given), (family, thai_family) = (
                    self.pick(TH_GIVEN[gender]),
                    self.pick(TH_FAMILY),
                )
                name, thai = f"{given} {family}", f"{thai_given} {thai_family}"
            elif country == "BD":
                family, given = self.pick(BD_FAMILY), self.pick(BD_GIVEN[gender])
                name = f"{given} {family}"
            elif country in ("MY", "SG"):
                name = self.pick((MY_NAMES if country == "MY" else SG_NAMES)[gender])
                family, given = name.split(" ", 1)[0], name.split(" ", 1)[1]
            else:
                family, given = self.pick(CA_FAMILY), self.pick(CA_GIVEN[gender])
                name = f"{given} {family}"
            if name not in self.used_names or country in ("MY", "SG"):
                self.used_names.add(name)
                return name, ascii_upper(family), ascii_upper(given), thai

    def add_human(
        self,
        key: str,
        group: str,
        role: str,
        country: str,
        gender: str,
        city: str,
        name: str | None = None,
        family: str | None = None,
        given: str | None = None,
        thai: str | None = None,
        phones: int = 1,
    ) -> Human:
        """Create a person with documents and phones."""
        if name is None:
            name, family, given, thai = self.random_name(country, gender)
        assert family is not None
        assert given is not None
        age = self.rng.randint(19, 62)
        birth = date(2025 - age, self.rng.randint(1, 12), self.rng.randint(1, 28))
        human = Human(
            key=key,
            group=group,
            role=role,
            name=name,
            family=ascii_upper(family),
            given=ascii_upper(given),
            gender=gender,
            birth=birth,
            nationality=country,
            city=city,
            thai_name=thai,
        )
        human.passport = self.new_passport(country)
        human.nid_type, human.nid = self.new_nid(country, city)
        for _ in range(phones):
            human.phones.append(self.new_phone(country, city))
        self.humans[key] = human
        return human

    def build_cast(self) -> None:
        """The three networks, the broker, the hub and the background population."""
        for key, group, role, country, gender, city, name, family, given in CAST:
            phones = 2 if key == "N1-01" else 1
            human = self.add_human(
                key, group, role, country, gender, city, name, family, given,
                THAI_SCRIPT.get(key), phones=phones,
            )  # fmt: skip
            human.aliases += ALIASES.get(key, [])
            if country == "MY":
                # Malaysians working the border keep a Thai SIM, registered with their passport.
                human.phones.append(self.new_phone("TH"))
        # The broker keeps a Vietnamese SIM for his trips.
        self.humans["BR-01"].phones.append(self.new_phone("VN"))
        # Shared identifiers of the recruitment ring.
        self.shared["recruitment_line"] = self.new_phone("PH")  # registered to N1-02
        self.shared["nominee_sim"] = self.new_phone("VN")  # registered to N1-09, used by N1-06
        self.shared["hr_telegram"] = "hr_bkk_cs"
        self.shared["fb_page"] = "https://www.facebook.com/bangkok.cs.jobs.hiring"
        self.hub_phone = self.new_landline_ph()
        # Wallets.
        wallets = {
            "N1-01": ["tron"],
            "N1-11": ["tron"],
            "N1-02": ["tron"],
            "N1-07": ["tron"],
            "N2-01": ["tron"],
            "N2-09": ["tron"],
            "N2-02": ["tron"],
            "N2-03": ["tron"],
            "N3-02": ["btc", "eth", "tron"],
            "N3-03": ["btc"],
            "N3-04": ["btc"],
            "N3-05": ["btc"],
            "N3-08": ["eth"],
            "BR-01": ["tron", "eth"],
        }
        for key, chains in wallets.items():
            for chain in chains:
                kind = self.pick(("p2pkh", "p2sh", "p2wpkh"))
                self.humans[key].wallets.append(self.new_wallet(chain, kind))
        self.build_background()

    def build_background(self) -> None:
        """About 300 unrelated people, some of them family of network members (leaves)."""
        leaves = {
            "N1-01": ("PH", 2),
            "N1-02": ("PH", 1),
            "N1-03": ("PH", 1),
            "N1-04": ("PH", 1),
            "N1-05": ("PH", 2),
            "N1-11": ("PH", 1),
            "N1-12": ("PH", 1),
            "N1-06": ("VN", 3),
            "N2-01": ("TH", 1),
            "N2-02": ("TH", 2),
            "N2-03": ("TH", 1),
            "N2-04": ("TH", 1),
            "N2-07": ("TH", 1),
            "N2-09": ("TH", 1),
            "N3-01": ("CA", 2),
            "N3-02": ("CA", 1),
            "N3-03": ("CA", 1),
            "N3-04": ("CA", 1),
            "N3-05": ("CA", 1),
            "N3-06": ("CA", 1),
            "N3-07": ("CA", 1),
            "N3-08": ("CA", 1),
            "BR-01": ("CA", 1),
        }
        count = 0
        for member, (country, many) in leaves.items():
            for _ in range(many):
                count += 1
                city = self.humans[member].city
                human = self.add_human(
                    f"BG-{count:03d}",
                    "background",
                    "family_or_friend",
                    country,
                    self.pick("MF"),
                    city,
                )
                human.leaf_of = member
        # Families of migrants the transport cell moves, calling its leader from Bangladesh.
        for _ in range(4):
            count += 1
            human = self.add_human(
                f"BG-{count:03d}",
                "background",
                "migrant_family",
                "BD",
                self.pick("MF"),
                "Cox's Bazar",
            )
            human.leaf_of = "N2-01"
        cities = {
            "PH": ("Manila", "Quezon City", "Cebu City", "Davao", "Pasig"),
            "VN": ("Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Cần Thơ", "Hải Phòng"),
            "TH": ("Bangkok", "Hat Yai", "Chiang Mai", "Khon Kaen", "Pattaya"),
            "CA": ("Toronto", "Montréal", "Mississauga", "Ottawa", "Laval", "Hamilton"),
            "BD": ("Dhaka", "Chattogram", "Sylhet"),
            "MY": ("Kuala Lumpur", "Penang"),
            "SG": ("Singapore",),
        }
        quota = {"PH": 68, "VN": 52, "TH": 54, "CA": 52, "BD": 22, "MY": 20, "SG": 20}
        for country, total in quota.items():
            for _ in range(total):
                if count >= 300:
                    break
                count += 1
                phones = 2 if self.rng.random() < 0.15 else 1
                self.add_human(
                    f"BG-{count:03d}",
                    "background",
                    "unrelated",
                    country,
                    self.pick("MF"),
                    self.pick(cities[country]),
                    phones=phones,
                )
        for human in self.background(leaves_too=False):
            if self.rng.random() < 0.3:
                chain = self.pick(("tron", "tron", "btc", "eth"))
                human.wallets.append(self.new_wallet(chain, self.pick(("p2pkh", "p2wpkh"))))

    def members(self, group: str) -> list[Human]:
        """The people of one group, in key order."""
        return [h for h in self.humans.values() if h.group == group]

    def background(self, leaves_too: bool = True) -> list[Human]:
        """Background people; leaves (family of members) only when asked."""
        return [
            h
            for h in self.humans.values()
            if h.group == "background" and (leaves_too or h.leaf_of is None)
        ]

    def unrelated(self) -> list[Human]:
        """Background people who are neither family of members nor recruits."""
        return [h for h in self.humans.values() if h.role == "unrelated"]

    def leaves_of(self, key: str) -> list[Human]:
        """Family and friends of one member."""
        return [h for h in self.humans.values() if h.leaf_of == key]

    # --- writing ------------------------------------------------------------------------

    def truth_for(self, name: str, mapping: str, dataset: str, description: str) -> FileTruth:
        """Start the truth entry of one file."""
        entry = FileTruth(name, mapping, dataset, description)
        self.files[name] = entry
        return entry

    def write_csv(
        self,
        truth: FileTruth,
        header: list[str],
        rows: list[tuple[Any, list[str], str | None]],
        delimiter: str = ",",
        encoding: str = "utf-8",
    ) -> None:
        """Sort rows by their key and write them; bad rows (with a reason) become rejects."""
        rows.sort(key=lambda row: row[0])
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        for number, (_, row, bad) in enumerate(rows, start=1):
            writer.writerow(row)
            if bad:
                truth.rejects.append({"record_no": number, "planted": bad})
        truth.records = len(rows)
        self.outputs[truth.name] = buffer.getvalue().encode(encoding)

    def write_jsonl(
        self, truth: FileTruth, lines: list[tuple[Any, Any, str | None]], wanted: str | None = None
    ) -> None:
        """Write JSON Lines (a str item is written verbatim: a broken line)."""
        lines.sort(key=lambda line: line[0])
        out: list[str] = []
        for number, (_, item, bad) in enumerate(lines, start=1):
            out.append(item if isinstance(item, str) else json.dumps(item, ensure_ascii=False))
            if wanted is not None and isinstance(item, dict) and item.get("schema") != wanted:
                truth.filtered += 1
            if bad:
                truth.rejects.append({"record_no": number, "planted": bad})
        truth.records = len(lines)
        self.outputs[truth.name] = ("\n".join(out) + "\n").encode("utf-8")

    # --- sources ------------------------------------------------------------------------

    def telco_subscribers(self) -> None:
        """Subscriber records returned by operators in six countries (person <-> phone)."""
        truth = self.truth_for(
            "telco_subscribers.csv",
            "mappings/telco_subscribers.yaml",
            "telco_subscribers",
            "Subscriber (SIM registration) records from operators in VN, PH, TH, BD, SG and "
            "CA; ';'-separated, national number formats, ID documents.",
        )
        rows: list[tuple[Any, list[str], str | None]] = []
        serial = 0

        def add(
            human: Human,
            phone: Phone,
            doc: tuple[str, str, str] | None = None,
            bad: str | None = None,
            msisdn: str | None = None,
            birth: str | None = None,
        ) -> None:
            nonlocal serial
            serial += 1
            operator = self.pick(OPERATORS[phone.region])
            kind, country, number = doc or (human.nid_type, human.nationality, human.nid or "")
            if kind == "nid" and country == "TH" and number:
                # Thai ID cards print the number in groups: 1 2345 67890 12 3.
                n = number
                number = f"{n[0]} {n[1:5]} {n[5:10]} {n[10:12]} {n[12]}"
            activated = self.moment(date(2019, 1, 1), date(2025, 9, 1))
            name = human.thai_name if (human.thai_name and phone.region == "TH") else human.name
            row = [
                f"{phone.region}-{operator[:3].upper()}-{100000 + serial * 7:07d}",
                operator,
                phone.region,
                msisdn or self.render(phone, phone.region),
                name,
                kind,
                country,
                number,
                birth or human.birth.strftime("%d/%m/%Y"),
                activated.strftime("%d/%m/%Y"),
            ]
            rows.append(((phone.region, self.rng.random()), row, bad))
            if bad is None:
                self.note_id(human, doc_id(kind, country, number))

        for human in self.humans.values():
            for phone in human.phones:
                if phone.region not in TELCO_COUNTRIES:
                    continue
                if human.key == "BR-01" and phone.region == "VN":
                    continue  # a prepaid tourist SIM, not registered
                if (
                    human.group == "background"
                    and human.leaf_of is None
                    and self.rng.random() < 0.1
                ):
                    continue  # unregistered prepaid SIM
                if phone.region != human.nationality:
                    # A foreigner's SIM is registered with the passport.
                    add(human, phone, ("passport", human.nationality, human.passport or ""))
                else:
                    add(human, phone)
        add(self.humans["N1-02"], self.shared["recruitment_line"])
        add(self.humans["N1-09"], self.shared["nominee_sim"])
        # Bad records: a truncated number, an ID number missing, an impossible birth date.
        spare = self.unrelated()
        victim = spare[5]
        add(
            victim,
            victim.phones[0],
            bad="invalid phone number (digits missing)",
            msisdn=self.render(victim.phones[0], victim.phones[0].region, fixed=0)[:-3],
        )
        victim = spare[77]
        add(
            victim,
            victim.phones[0],
            (victim.nid_type, victim.nationality, ""),
            bad="missing required value: no ID number, so no Person key",
        )
        victim = spare[150]
        add(
            victim,
            victim.phones[0],
            bad="impossible birth date 31/02",
            birth="31/02/" + str(victim.birth.year),
        )
        header = [
            "sub_id",
            "operator",
            "sim_country",
            "msisdn",
            "subscriber_name",
            "id_type",
            "id_country",
            "id_number",
            "birth_date",
            "activated",
        ]
        self.write_csv(truth, header, rows, delimiter=";")

    def call_rows(
        self,
        pairs: list[tuple[Phone, Phone, int]],
        count_sms: bool,
        start: date = START,
        end: date = END,
    ) -> list[tuple[datetime, Phone, Phone, int, str]]:
        """(time, caller, callee, seconds, type) for `n` calls per pair, either direction."""
        calls = []
        for a, b, n in pairs:
            for _ in range(n):
                caller, callee = (a, b) if self.rng.random() < 0.6 else (b, a)
                when = self.moment(start, end, hours=(6, 23))
                sms = count_sms and self.rng.random() < 0.2
                seconds = 0 if sms else int(self.rng.expovariate(1 / 140)) + 5
                calls.append((when, caller, callee, seconds, "SMS" if sms else "VOICE"))
        return calls

    def background_pairs(self, people: list[Human], calls: int) -> list[tuple[Phone, Phone, int]]:
        """Sparse calls among background people, mostly within small circles."""
        pool = [h for h in people if h.phones]
        self.rng.shuffle(pool)
        circles = [pool[i : i + self.rng.randint(3, 6)] for i in range(0, len(pool), 5)]
        counts: dict[tuple[Phone, Phone], int] = {}
        for _ in range(calls):
            circle = self.pick(circles) if self.rng.random() < 0.85 else pool
            if len(circle) < 2:
                continue
            a, b = self.rng.sample(circle, 2)
            pair = (self.pick(a.phones), self.pick(b.phones))
            counts[pair] = counts.get(pair, 0) + 1
        return [(a, b, n) for (a, b), n in counts.items()]

    def cdr_ph(self) -> None:
        """Globe call detail records for targeted Philippine numbers (Asia/Manila time)."""
        truth = self.truth_for(
            "cdr_ph.csv",
            "mappings/cdr_ph.yaml",
            "cdr_ph",
            "Call detail records from a Philippine operator; US-style local times "
            "(Asia/Manila), national and international number formats.",
        )
        h = self.humans
        ring = {
            k: h[k].phones[0]
            for k in ("N1-01", "N1-02", "N1-03", "N1-04", "N1-05", "N1-11", "N1-12")
        }
        boss2 = h["N1-01"].phones[1]
        line = self.shared["recruitment_line"]
        pairs = [
            (ring["N1-01"], ring["N1-02"], 30),
            (boss2, ring["N1-02"], 6),
            (ring["N1-01"], ring["N1-03"], 12),
            (ring["N1-01"], ring["N1-04"], 10),
            (ring["N1-01"], ring["N1-05"], 25),
            (ring["N1-01"], ring["N1-11"], 15),
            (ring["N1-01"], ring["N1-12"], 8),
            (ring["N1-02"], ring["N1-03"], 14),
            (ring["N1-02"], ring["N1-04"], 12),
            (ring["N1-02"], ring["N1-12"], 10),
            (ring["N1-03"], ring["N1-04"], 6),
            (ring["N1-05"], ring["N1-02"], 8),
            (line, ring["N1-04"], 7),
            (line, ring["N1-03"], 5),
            (boss2, h["N1-06"].phones[0], 18),
            (ring["N1-02"], h["N1-07"].phones[0], 6),
            (ring["N1-05"], h["N1-09"].phones[0], 4),
            (boss2, self.shared["nominee_sim"], 5),
            # The broker's Canadian number and the boss.
            (boss2, h["BR-01"].phones[0], 8),
            (ring["N1-01"], h["BR-01"].phones[1], 3),
        ]
        for member, phone in ring.items():
            for leaf in self.leaves_of(member):
                pairs.append((phone, leaf.phones[0], self.rng.randint(3, 9)))
        people = [x for x in self.unrelated() if x.nationality == "PH"]
        pairs += self.background_pairs(people, 420)
        calls = self.call_rows(pairs, count_sms=True)
        rows: list[tuple[Any, list[str], str | None]] = []
        for when, a, b, seconds, kind in calls:
            rows.append(
                (
                    when,
                    [
                        self.render(a, "PH"),
                        self.render(b, "PH"),
                        when.strftime("%m/%d/%Y %H:%M:%S"),
                        str(seconds),
                        kind,
                    ],
                    None,
                )
            )
        # Bad records: a date that does not exist, a number with digits missing.
        rows.append(
            (
                datetime(2025, 6, 1),
                [
                    self.render(ring["N1-02"], "PH"),
                    self.render(ring["N1-04"], "PH"),
                    "02/30/2025 10:11:12",
                    "64",
                    "VOICE",
                ],
                "impossible date 02/30/2025",
            )
        )
        rows.append(
            (
                datetime(2025, 8, 14, 9, 30, 41),
                [
                    self.render(ring["N1-03"], "PH"),
                    "0917 55 12",
                    "08/14/2025 09:30:41",
                    "12",
                    "VOICE",
                ],
                "invalid phone number (too short)",
            )
        )
        rows.sort(key=lambda row: row[0])
        out = [
            (i, [f"GLB{20250000 + i * 3:09d}", *row], bad)
            for i, (_, row, bad) in enumerate(rows, start=1)
        ]
        header = [
            "call_ref",
            "calling_number",
            "called_number",
            "call_start",
            "duration_sec",
            "call_type",
        ]
        self.write_csv(truth, header, out)

    def cdr_th(self) -> None:
        """AIS call detail records with the caller's cell site (Asia/Bangkok time)."""
        truth = self.truth_for(
            "cdr_th.tsv",
            "mappings/cdr_th.yaml",
            "cdr_th",
            "Call detail records from a Thai operator, tab-separated, ISO local times "
            "(Asia/Bangkok), with the calling party's cell site and its coordinates.",
        )
        h = self.humans
        cell = {k: h[k].phones[0] for k in ("N2-01", "N2-02", "N2-03", "N2-04", "N2-07", "N2-09")}
        my_main = {k: h[k].phones[0] for k in ("N2-05", "N2-06", "N2-08")}
        my_th = {k: h[k].phones[1] for k in ("N2-05", "N2-06", "N2-08")}
        pairs = [
            (cell["N2-01"], cell["N2-02"], 30),
            (cell["N2-01"], cell["N2-03"], 25),
            (cell["N2-01"], cell["N2-04"], 20),
            (cell["N2-01"], my_main["N2-05"], 10),
            (cell["N2-01"], my_th["N2-05"], 8),
            (cell["N2-01"], my_main["N2-06"], 10),
            (cell["N2-01"], cell["N2-07"], 12),
            (cell["N2-01"], cell["N2-09"], 10),
            (cell["N2-02"], cell["N2-03"], 15),
            (cell["N2-02"], cell["N2-04"], 12),
            (cell["N2-03"], cell["N2-04"], 8),
            (cell["N2-07"], cell["N2-02"], 10),
            (cell["N2-07"], cell["N2-03"], 8),
            (my_th["N2-05"], my_th["N2-08"], 9),
            (my_th["N2-08"], my_main["N2-06"], 7),
            (cell["N2-04"], my_th["N2-08"], 6),
            (cell["N2-02"], my_th["N2-05"], 5),
            (cell["N2-01"], my_th["N2-06"], 6),
            (my_th["N2-06"], my_th["N2-08"], 4),
        ]
        for member in ("N2-01", "N2-02", "N2-03", "N2-04", "N2-07", "N2-09"):
            for leaf in self.leaves_of(member):
                pairs.append((cell[member], leaf.phones[0], self.rng.randint(2, 8)))
        people = [x for x in self.unrelated() if x.nationality in ("TH", "MY", "SG")]
        pairs += self.background_pairs(people, 420)
        calls = self.call_rows(pairs, count_sms=False)
        network = {p.e164 for k in cell for p in h[k].phones} | {
            p.e164 for k in my_th for p in h[k].phones
        }
        rows: list[tuple[Any, list[str], str | None]] = []
        for when, a, b, seconds, _ in calls:
            row = [
                self.render(a, "TH"),
                self.render(b, "TH"),
                when.strftime("%Y-%m-%d %H:%M:%S"),
                str(seconds),
                "",
                "",
                "",
            ]
            if a.region == "TH":
                site = (
                    self.pick(NET2_CELLS)
                    if a.e164 in network
                    else self.pick(
                        [c for c in CELL_SITES if c not in NET2_CELLS or self.rng.random() < 0.2]
                    )
                )
                lat, lon = CELL_SITES[site]
                row[4:] = [site, f"{lat:.4f}", f"{lon:.4f}"]
            rows.append((when, row, None))
        # Bad records: a decimal comma in a latitude, a service short code as the callee.
        sadao = CELL_SITES["SD-0021"]
        rows.append(
            (
                datetime(2025, 7, 3, 22, 41, 5),
                [
                    self.render(cell["N2-03"], "TH"),
                    self.render(cell["N2-01"], "TH"),
                    "2025-07-03 22:41:05",
                    "37",
                    "SD-0021",
                    f"{sadao[0]:.4f}".replace(".", ","),
                    f"{sadao[1]:.4f}",
                ],
                "decimal comma in the cell latitude",
            )
        )
        tourist = self.pick([x for x in people if x.nationality == "TH"])
        rows.append(
            (
                datetime(2025, 8, 20, 13, 2, 44),
                [
                    self.render(tourist.phones[0], "TH"),
                    "1191",
                    "2025-08-20 13:02:44",
                    "95",
                    "BK-1203",
                    "13.7563",
                    "100.5018",
                ],
                "service short code 1191 is not a phone number",
            )
        )
        rows.sort(key=lambda row: row[0])
        out = [(i, [f"TH{i:07d}", *row], bad) for i, (_, row, bad) in enumerate(rows, start=1)]
        header = [
            "rec_id",
            "a_party",
            "b_party",
            "start_time",
            "duration",
            "a_cell_id",
            "a_cell_lat",
            "a_cell_lon",
        ]
        self.write_csv(truth, header, out, delimiter="\t")

    def cdr_ca(self) -> None:
        """Rogers call detail records (America/Toronto time, daylight saving)."""
        truth = self.truth_for(
            "cdr_ca.csv",
            "mappings/cdr_ca.yaml",
            "cdr_ca",
            "Call detail records from a Canadian operator; ISO local times in "
            "America/Toronto (with daylight saving), NANP and 011 international formats.",
        )
        h = self.humans
        m = {
            k: h[k].phones[0]
            for k in (
                "N3-01",
                "N3-02",
                "N3-03",
                "N3-04",
                "N3-05",
                "N3-06",
                "N3-07",
                "N3-08",
                "BR-01",
            )
        }
        pairs = [
            (m["N3-01"], m["N3-02"], 20),
            (m["N3-01"], m["N3-07"], 15),
            (m["N3-01"], m["N3-06"], 12),
            (m["N3-02"], m["N3-03"], 10),
            (m["N3-02"], m["N3-04"], 8),
            (m["N3-02"], m["N3-05"], 8),
            (m["N3-02"], m["N3-08"], 12),
            (m["N3-08"], m["N3-03"], 10),
            (m["N3-08"], m["N3-04"], 6),
            (m["N3-08"], m["N3-05"], 6),
            (m["N3-06"], m["N3-04"], 5),
            (m["N3-07"], m["N3-06"], 4),
            (m["BR-01"], m["N3-01"], 10),
            (m["BR-01"], m["N3-02"], 8),
        ]
        for member, phone in m.items():
            for leaf in self.leaves_of(member):
                pairs.append((phone, leaf.phones[0], self.rng.randint(3, 9)))
        people = [x for x in self.unrelated() if x.nationality == "CA"]
        pairs += self.background_pairs(people, 330)
        calls = self.call_rows(pairs, count_sms=False)
        rows: list[tuple[Any, list[str], str | None]] = []
        for when, a, b, seconds, _ in calls:
            rows.append(
                (
                    when,
                    [
                        self.render(a, "CA"),
                        self.render(b, "CA"),
                        when.strftime("%Y-%m-%dT%H:%M:%S"),
                        str(seconds),
                    ],
                    None,
                )
            )
        # Bad records: a time that happens twice (clocks go back on 2 November), a cut row.
        rows.append(
            (
                datetime(2025, 11, 2, 1, 30, 12),
                [
                    self.render(m["N3-08"], "CA"),
                    self.render(m["N3-03"], "CA"),
                    "2025-11-02T01:30:12",
                    "48",
                ],
                "ambiguous local time (DST overlap)",
            )
        )
        rows.append(
            (
                datetime(2025, 9, 18, 16, 5),
                [self.render(m["N3-06"], "CA")],
                "row cut short (expected 5 fields)",
            )
        )
        rows.sort(key=lambda row: row[0])
        out = [(i, [f"RG-{880000 + i}", *row], bad) for i, (_, row, bad) in enumerate(rows, 1)]
        header = ["cdr_id", "originating", "terminating", "start_local", "duration_s"]
        self.write_csv(truth, header, out)

    # --- seized phones ------------------------------------------------------------------

    def devices(self) -> dict[str, dict[str, Any]]:
        """The three seized phones: owner, region, seizure date and the contacts on them."""
        h = self.humans
        fb = "https://www.facebook.com/"
        return {
            "EXH-2025-0821-A": {
                "owner": "N1-06",
                "region": "VN",
                "zone": "Asia/Ho_Chi_Minh",
                "seized": date(2025, 8, 21),
                "since": date(2025, 5, 10),
                "owner_accounts": {
                    "zalo": "0" + h["N1-06"].phones[0].nsn,
                    "telegram": "@tuan_sg_logistics",
                    "whatsapp": h["N1-06"].phones[0],
                    "facebook": fb + "tuan.tran.9127",
                },
                "contacts": [
                    (
                        "N1-01",
                        "Anh Mon (sếp PH)",
                        {"telegram": "@ramon_dz", "whatsapp": h["N1-01"].phones[1]},
                        1,
                    ),
                    ("N1-02", "Chị Maricel", {"telegram": "@maricel_hr"}, 0),
                    ("N1-07", "Nhung tuyển dụng", {"zalo": "0" + h["N1-07"].phones[0].nsn}, 0),
                    ("N1-08", "Khoa Cần Thơ", {"zalo": "0" + h["N1-08"].phones[0].nsn}, 0),
                    ("N1-09", "Bảo tài xế", {"zalo": "0" + h["N1-09"].phones[0].nsn}, 0),
                    ("N1-10", "Chị Lan giấy tờ", {"zalo": "0" + h["N1-10"].phones[0].nsn}, 0),
                    ("BR-01", "Minh Canada", {"telegram": "@minh_to_ca"}, 0),
                ],
                "talk": {
                    "N1-01": [("telegram", 45), ("whatsapp", 10)],
                    "N1-02": [("telegram", 20)],
                    "N1-07": [("zalo", 40)],
                    "N1-08": [("zalo", 30)],
                    "N1-09": [("zalo", 25)],
                    "N1-10": [("zalo", 35)],
                    "BR-01": [("telegram", 22)],
                },
                "leaf_app": "zalo",
            },
            "EXH-2025-0912-C": {
                "owner": "N2-02",
                "region": "TH",
                "zone": "Asia/Bangkok",
                "seized": date(2025, 9, 12),
                "since": date(2025, 6, 1),
                "owner_accounts": {"line": "anan.hy2024", "whatsapp": h["N2-02"].phones[0]},
                "contacts": [
                    ("N2-01", "พี่ชาย ใหญ่", {"line": "somchai.k88"}, 0),
                    ("N2-03", "Wichai รถตู้", {"line": "wichai_van"}, 0),
                    ("N2-04", "พี่มาลี บ้านพัก", {"line": "malee.bm"}, 0),
                    ("N2-05", "Bang Ahmad boat", {"whatsapp": h["N2-05"].phones[0]}, 0),
                    ("N2-07", "Prasert ด่าน", {"line": "prasert.cy"}, 0),
                ],
                "talk": {
                    "N2-01": [("line", 50)],
                    "N2-03": [("line", 30)],
                    "N2-04": [("line", 25)],
                    "N2-05": [("whatsapp", 20)],
                    "N2-07": [("line", 28)],
                },
                "leaf_app": "line",
            },
            "EXH-2025-1028-B": {
                "owner": "N3-01",
                "region": "CA",
                "zone": "America/Toronto",
                "seized": date(2025, 10, 28),
                "since": date(2025, 6, 15),
                "owner_accounts": {"whatsapp": h["N3-01"].phones[0], "telegram": "@k_tran_prints"},
                "contacts": [
                    ("N3-02", "JL", {"whatsapp": h["N3-02"].phones[0]}, 0),
                    ("N3-06", "Rico", {"whatsapp": h["N3-06"].phones[0]}, 0),
                    ("N3-07", "Olena print shop", {"telegram": "@olena_k_docs"}, 0),
                    ("N3-08", "Priya N", {"whatsapp": h["N3-08"].phones[0]}, 0),
                    (
                        "BR-01",
                        "Mike H",
                        {"whatsapp": h["BR-01"].phones[0], "telegram": "@minh_to_ca"},
                        0,
                    ),
                ],
                "talk": {
                    "N3-02": [("whatsapp", 40)],
                    "N3-06": [("whatsapp", 25)],
                    "N3-07": [("telegram", 30)],
                    "N3-08": [("whatsapp", 25)],
                    "BR-01": [("whatsapp", 20), ("telegram", 8)],
                },
                "leaf_app": "whatsapp",
            },
        }

    def handle(self, value: str | Phone) -> str:
        """A handle as an extraction report shows it (a phone-based one in + form)."""
        return self.e164_spaced(value) if isinstance(value, Phone) else value

    def seized(self) -> None:
        """Contacts and messages extracted from three seized phones."""
        contacts_truth = self.truth_for(
            "seized_contacts.jsonl",
            "mappings/seized_contacts.yaml",
            "seized_devices",
            "Address-book entries and the device owner's own SIMs and accounts, extracted "
            "from three seized phones (JSON Lines, nested objects).",
        )
        messages_truth = self.truth_for(
            "seized_messages.jsonl",
            "mappings/seized_messages.yaml",
            "seized_devices",
            "Chat messages (Zalo, Telegram, WhatsApp, LINE) extracted from the same three "
            "phones; times with the device's UTC offset.",
        )
        contacts: list[tuple[Any, Any, str | None]] = []
        messages: list[tuple[Any, Any, str | None]] = []
        h = self.humans
        for device, spec in self.devices().items():
            owner = h[spec["owner"]]
            region = spec["region"]
            zone = ZoneInfo(spec["zone"])
            accounts: dict[str, dict[str, str]] = {}
            own = {app: self.handle(v) for app, v in spec["owner_accounts"].items()}
            accounts[owner.key] = own
            sims = list(owner.phones[:1])
            if owner.key == "N1-06":
                sims.append(self.shared["nominee_sim"])
            entry = {
                "entry_id": f"{device}/owner",
                "device": device,
                "device_region": region,
                "kind": "device_owner",
                "name": owner.name,
                "saved_as": None,
                "phone": self.render(sims[0], region),
                "phone2": self.render(sims[1], region) if len(sims) > 1 else None,
                "accounts": self.account_fields(own),
            }
            contacts.append(((device, 0), entry, None))
            self.note_id(owner, f"seized_devices:{device}/owner")
            entries: list[tuple[Human, str, dict[str, Any], int]] = [
                (h[key], saved, apps, phone_index)
                for key, saved, apps, phone_index in spec["contacts"]
            ]
            leaf_words = {
                "VN": ("Mẹ", "Vợ", "Anh Hai"),
                "TH": ("แม่", "แฟน"),
                "CA": ("Mom", "Tina ❤️"),
            }[region]
            for i, leaf in enumerate(self.leaves_of(owner.key)):
                app = spec["leaf_app"]
                value: str | Phone = leaf.phones[0]
                if app == "zalo":
                    value = "0" + leaf.phones[0].nsn
                elif app == "line":
                    value = f"{leaf.given.split()[0].lower()}.{leaf.birth.year % 100:02d}"
                entries.append((leaf, leaf_words[i % len(leaf_words)], {app: value}, 0))
            for number, (person, saved, apps, phone_index) in enumerate(entries, start=1):
                handles = {app: self.handle(v) for app, v in apps.items()}
                accounts[person.key] = handles
                entry = {
                    "entry_id": f"{device}/c{number:03d}",
                    "device": device,
                    "device_region": region,
                    "kind": "contact",
                    "name": None,
                    "saved_as": saved,
                    "phone": self.render(person.phones[phone_index], region),
                    "phone2": None,
                    "accounts": self.account_fields(handles),
                }
                contacts.append(((device, number), entry, None))
                self.note_id(person, f"seized_devices:{device}/c{number:03d}")
            # A bad record: a USSD balance code saved as a contact.
            if region == "VN":
                bad = {
                    "entry_id": f"{device}/c{len(entries) + 1:03d}",
                    "device": device,
                    "device_region": region,
                    "kind": "contact",
                    "name": None,
                    "saved_as": "Kiểm tra tài khoản",
                    "phone": "*101#",
                    "phone2": None,
                    "accounts": self.account_fields({}),
                }
                contacts.append(
                    ((device, len(entries) + 1), bad, "USSD code *101# saved as a contact's phone")
                )
            # Messages between the owner and each contact.
            talk: dict[str, list[tuple[str, int]]] = dict(spec["talk"])
            for leaf in self.leaves_of(owner.key):
                talk[leaf.key] = [(spec["leaf_app"], self.rng.randint(6, 14))]
            serial = 0
            for key, threads in talk.items():
                other = accounts[key]
                for app, n in threads:
                    for _ in range(n):
                        serial += 1
                        when = self.moment(spec["since"], spec["seized"], hours=(6, 23))
                        local = when.replace(tzinfo=zone)
                        outgoing = self.rng.random() < 0.5
                        me = {"handle": own[app], "name": owner.name}
                        them = {"handle": other[app], "name": None}
                        sender, recipient = (me, them) if outgoing else (them, me)
                        record = {
                            "message_id": f"{device}/m{serial:05d}",
                            "device": device,
                            "device_region": region,
                            "app": app,
                            "sent_at": local.isoformat(),
                            "from": sender,
                            "to": recipient,
                            "direction": "out" if outgoing else "in",
                            "attachments": self.rng.choice((0, 0, 0, 1, 2)),
                        }
                        messages.append(((local.astimezone(UTC), device, serial), record, None))
            if region == "VN":
                # A bad record: a message from a deleted Telegram account.
                when = datetime(2025, 8, 2, 23, 14, 9, tzinfo=zone)
                record = {
                    "message_id": f"{device}/m{serial + 1:05d}",
                    "device": device,
                    "device_region": region,
                    "app": "telegram",
                    "sent_at": when.isoformat(),
                    "from": {"handle": "Deleted Account", "name": "Deleted Account"},
                    "to": {"handle": own["telegram"], "name": owner.name},
                    "direction": "in",
                    "attachments": 0,
                }
                messages.append(
                    (
                        (when.astimezone(UTC), device, serial + 1),
                        record,
                        "sender is 'Deleted Account', not a Telegram username",
                    )
                )
        self.write_jsonl(contacts_truth, contacts)
        self.write_jsonl(messages_truth, messages)

    @staticmethod
    def account_fields(handles: dict[str, str]) -> dict[str, str | None]:
        """The fixed set of per-app fields of a contact (None where absent)."""
        return {
            app: handles.get(app) for app in ("telegram", "whatsapp", "zalo", "line", "facebook")
        }

    # --- job adverts --------------------------------------------------------------------

    def adverts(self) -> None:
        """Scraped online job adverts: the poster, the contact phone and the accounts."""
        truth = self.truth_for(
            "job_adverts.jsonl",
            "mappings/job_adverts.yaml",
            "job_adverts",
            "Job adverts scraped from Facebook groups and job boards (JSON Lines, epoch "
            "times): poster, contact phone and messaging accounts.",
        )
        h = self.humans
        lines: list[tuple[Any, Any, str | None]] = []
        serial = 0
        scam_titles = {
            "PH": (
                "URGENT HIRING: Customer Service Representative - Bangkok, 35,000 THB/month",
                "Chat support agent (English) in Thailand - free flight + accommodation",
                "Work abroad! Online marketing staff, Bangkok, no experience needed",
            ),
            "VN": (
                "Tuyển gấp nhân viên CSKH tại Bangkok, lương 1.500 USD, bao vé máy bay",
                "Việc nhẹ lương cao: trực page tiếng Anh tại Thái Lan, bao ăn ở",
                "Tuyển nhân viên telesale đi Thái Lan, không cần kinh nghiệm",
            ),
        }
        normal_titles = {
            "PH": (
                "Domestic helper for Hong Kong family, direct hire",
                "Factory workers for Taiwan electronics plant (male/female)",
                "Caregiver - Canada, LMIA approved employer",
                "Hotel housekeeping - Dubai",
                "Construction workers for Saudi Arabia, POEA licensed",
            ),
            "VN": (
                "Tuyển thực tập sinh đi Nhật Bản ngành chế biến thực phẩm",
                "Tuyển lao động đi Đài Loan, nhà máy điện tử",
                "Tuyển nhân viên phục vụ nhà hàng tại Quận 1",
            ),
            "TH": (
                "รับสมัครพนักงานโรงงาน ชลบุรี",
                "Waiter/waitress wanted, Phuket beach club",
                "รับสมัครแม่บ้าน โรงแรม กรุงเทพฯ",
            ),
        }
        sites = {
            "PH": ("facebook_group", "trabaho-now.ph"),
            "VN": ("facebook_group", "vieclam-nhanh.vn"),
            "TH": ("facebook_group", "bkk-jobs.co"),
        }

        def add(
            poster: Human,
            poster_id: str,
            country: str,
            title: str,
            phone: str | None,
            telegram: str | None = None,
            whatsapp: str | None = None,
            zalo: str | None = None,
            profile: str | None = None,
            bad: str | None = None,
            raw: str | None = None,
        ) -> None:
            nonlocal serial
            serial += 1
            posted = self.moment(date(2025, 5, 15), date(2025, 10, 1))
            zone = ZoneInfo(ZONES.get(country, "Asia/Bangkok"))
            epoch = int(posted.replace(tzinfo=zone).timestamp())
            site = poster_id.split(":", 1)[0]
            record = {
                "ad_id": f"AD-{serial:05d}",
                "site": site,
                "url": f"https://{site if '.' in site else 'facebook.com/groups'}/"
                f"{serial * 7919 % 100000:05d}",
                "posted_at": epoch,
                "scraped_at": epoch + self.rng.randint(600, 86400),
                "title": title,
                "location": {"country": country},
                "poster": {
                    "id": poster_id,
                    "name": poster.name if country != "TH" else poster.plain,
                    "profile_url": profile,
                },
                "contact": {
                    "phone": phone,
                    "telegram": telegram,
                    "whatsapp": whatsapp,
                    "zalo": zalo,
                },
            }
            lines.append((epoch, raw if raw is not None else record, bad))
            if bad is None:
                self.note_id(poster, f"job_adverts:{poster_id}")

        fb = "https://www.facebook.com/"
        line, hr = self.shared["recruitment_line"], "@" + self.shared["hr_telegram"]
        page = self.shared["fb_page"]
        plan: list[tuple[str, str, str, int, Callable[[], dict[str, str]]]] = [
            (
                "N1-02",
                "facebook_group:100071234508812",
                "PH",
                6,
                lambda: {
                    "phone": self.render(line, "PH"),
                    "telegram": hr,
                    "profile": fb + "maricel.santos.5581",
                },
            ),
            (
                "N1-12",
                "facebook_group:100064417730295",
                "PH",
                5,
                lambda: {"phone": self.render(line, "PH"), "telegram": hr, "profile": page},
            ),
            (
                "N1-03",
                "trabaho-now.ph:u88213",
                "PH",
                3,
                lambda: {
                    "phone": self.render(h["N1-03"].phones[0], "PH"),
                    "whatsapp": self.e164_spaced(h["N1-03"].phones[0]),
                },
            ),
            (
                "N1-04",
                "facebook_group:100082290017463",
                "PH",
                3,
                lambda: {
                    "phone": self.render(h["N1-04"].phones[0], "PH"),
                    "profile": fb + "liezel.penaflor.31",
                },
            ),
            (
                "N1-07",
                "vieclam-nhanh.vn:nhung.hr",
                "VN",
                4,
                lambda: {
                    "phone": self.render(h["N1-07"].phones[0], "VN"),
                    "zalo": "https://zalo.me/0" + h["N1-07"].phones[0].nsn,
                },
            ),
            (
                "N1-08",
                "facebook_group:100090012884537",
                "VN",
                3,
                lambda: {
                    "phone": self.render(h["N1-08"].phones[0], "VN"),
                    "telegram": hr,
                    "zalo": "0" + h["N1-08"].phones[0].nsn,
                },
            ),
        ]
        for key, poster_id, country, many, contact in plan:
            for _ in range(many):
                add(h[key], poster_id, country, self.pick(scam_titles[country]), **contact())
        # The hub: a licensed agency's hotline, given by its staff and by one ring member.
        agency_staff = [x for x in self.unrelated() if x.nationality == "PH"][:18]
        for i, staff in enumerate(agency_staff):
            for _ in range(self.rng.randint(1, 2)):
                add(
                    staff,
                    f"trabaho-now.ph:gb{1040 + i}",
                    "PH",
                    self.pick(normal_titles["PH"]),
                    self.render(self.hub_phone, "PH"),
                    profile=f"{fb}{ascii_upper(staff.given).split()[0].lower()}."
                    f"{ascii_upper(staff.family).replace(' ', '').lower()}.gbms{i}",
                )
        add(
            h["N1-03"],
            "trabaho-now.ph:u88213",
            "PH",
            self.pick(scam_titles["PH"]),
            self.render(self.hub_phone, "PH"),
        )
        self.shared["agency_staff"] = [s.key for s in agency_staff]
        self.shared["hub_person_ids"] = [
            *sorted(f"job_adverts:trabaho-now.ph:gb{1040 + i}" for i in range(len(agency_staff))),
            "job_adverts:trabaho-now.ph:u88213",
        ]
        # Other background posters with their own phones.
        others = [
            x
            for x in self.unrelated()
            if x.nationality in ("PH", "VN", "TH") and x.key not in self.shared["agency_staff"]
        ]
        for i, poster in enumerate(self.rng.sample(others, 22)):
            country = poster.nationality
            site = self.pick(sites[country])
            user = "1000" + self.digits(11) if site == "facebook_group" else f"u{20000 + i * 37}"
            poster_id = f"{site}:{user}"
            for _ in range(self.rng.randint(1, 3)):
                extra: dict[str, str | None] = {}
                if country == "VN" and self.rng.random() < 0.5:
                    extra["zalo"] = "0" + poster.phones[0].nsn
                elif self.rng.random() < 0.4:
                    extra["whatsapp"] = self.e164_spaced(poster.phones[0])
                add(
                    poster,
                    poster_id,
                    country,
                    self.pick(normal_titles[country]),
                    self.render(poster.phones[0], country),
                    **extra,
                )
        # Bad records: letters in the phone number, and a line the scraper cut short.
        add(
            h["N1-04"],
            "facebook_group:100082290017463",
            "PH",
            scam_titles["PH"][0],
            "0917-CALL-NOW",
            bad="letters in the contact phone number",
        )
        add(
            h["N1-12"],
            "facebook_group:100064417730295",
            "PH",
            scam_titles["PH"][1],
            None,
            bad="truncated JSON line",
            raw='{"ad_id": "AD-TRUNC", "site": "facebook_group", '
            '"title": "URGENT HIRING: Chat support agent (English) in Thai',
        )
        self.write_jsonl(truth, lines)

    # --- crypto exchange ----------------------------------------------------------------

    def exchange(self) -> None:
        """An exchange's KYC customer list and its transfers (law-enforcement return)."""
        kyc = self.truth_for(
            "exchange_kyc.csv",
            "mappings/exchange_kyc.yaml",
            "exchange_kyc",
            "KYC records of a crypto exchange: customer identity document and the "
            "customer's deposit/withdrawal addresses (CSV with a UTF-8 byte-order mark).",
        )
        transfers = self.truth_for(
            "exchange_transfers.csv",
            "mappings/exchange_transfers.yaml",
            "exchange_transfers",
            "On-chain transfers involving those customers (BTC, ETH, USDT on Tron), UTC "
            "timestamps, USD values.",
        )
        h = self.humans
        # Which document each planted customer gave (merging with other sources by it).
        docs = {
            "N1-01": "passport",
            "N1-11": "passport",
            "N1-02": "nid",
            "N1-07": "nid",
            "N2-01": "passport",
            "N2-09": "nid",
            "N2-02": "nid",
            "N2-03": "nid",
            "N3-02": "passport",
            "N3-03": "dl",
            "N3-04": "dl",
            "N3-05": "dl",
            "N3-08": "dl",
            "BR-01": "passport",
        }
        rows: list[tuple[Any, list[str], str | None]] = []
        uid = 0

        def customer(
            human: Human, kind: str, bad: dict[str, str] | None = None, reason: str | None = None
        ) -> None:
            nonlocal uid
            uid += 1
            number = human.passport if kind == "passport" else human.nid
            assert number is not None
            if human.nationality == "TH" and kind == "nid":
                number = number.replace(" ", "")
            for wallet in human.wallets:
                address = (bad or {}).get(wallet.chain, wallet.address)
                rows.append(
                    (
                        (uid, wallet.chain),
                        [
                            f"CUS-{7000 + uid * 13}",
                            human.plain if human.nationality in ("TH", "VN") else human.name,
                            human.nationality,
                            kind,
                            number,
                            human.nationality,
                            human.birth.isoformat(),
                            wallet.chain.upper() if wallet.chain != "tron" else "TRC20",
                            address,
                        ],
                        reason if wallet.chain in (bad or {}) else None,
                    )
                )
                if not bad or wallet.chain not in bad:
                    self.note_id(human, doc_id(kind, human.nationality, number))

        for key, kind in docs.items():
            customer(h[key], kind)
        with_wallets = [x for x in self.unrelated() if x.wallets]
        for human in with_wallets:
            if self.rng.random() < 0.5:
                customer(human, "passport")
            else:
                customer(human, human.nid_type)
        # Bad records: an Ethereum address with one letter's case flipped (EIP-55 fails),
        # a Tron address with a mistyped character (Base58Check fails).
        eth_person = self.add_human("BG-301", "background", "unrelated", "SG", "M", "Singapore")
        eth_person.wallets.append(self.new_wallet("eth"))
        good = eth_person.wallets[0].address
        flip = next(i for i, ch in enumerate(good) if i > 2 and ch.isalpha())
        customer(
            eth_person,
            "passport",
            {"eth": good[:flip] + good[flip].swapcase() + good[flip + 1 :]},
            "bad EIP-55 checksum (one letter's case changed)",
        )
        tron_person = self.add_human("BG-302", "background", "unrelated", "VN", "F", "Hà Nội")
        tron_person.wallets.append(self.new_wallet("tron"))
        good = tron_person.wallets[0].address
        typo = good[:10] + ("x" if good[10] != "x" else "y") + good[11:]
        customer(tron_person, "nid", {"tron": typo}, "bad Base58Check checksum (a typo)")
        header = [
            "customer_uid",
            "full_name",
            "nationality",
            "doc_type",
            "doc_number",
            "doc_country",
            "date_of_birth",
            "network",
            "address",
        ]
        self.write_csv(kyc, header, rows)
        self.outputs[kyc.name] = b"\xef\xbb\xbf" + self.outputs[kyc.name]
        self.transfers(transfers, with_wallets)

    def transfers(self, truth: FileTruth, with_wallets: list[Human]) -> None:
        """Transfers: the planted money flows and background noise."""
        h = self.humans
        price = {"BTC": 104_000.0, "ETH": 3_600.0, "USDT": 1.0}

        def w(key: str, chain: str) -> Wallet:
            return next(x for x in h[key].wallets if x.chain == chain)

        compound = [self.new_wallet("tron") for _ in range(2)]
        net2_payer = self.new_wallet("tron")
        flows: list[tuple[Wallet, Wallet, int, float, float]] = [
            (compound[0], w("N1-01", "tron"), 4, 8_000, 25_000),
            (compound[1], w("N1-01", "tron"), 2, 5_000, 15_000),
            (w("N1-01", "tron"), w("N1-11", "tron"), 5, 1_500, 6_000),
            (w("N1-11", "tron"), w("N1-02", "tron"), 3, 300, 1_200),
            (w("N1-11", "tron"), w("N1-07", "tron"), 3, 300, 1_000),
            # The broker launders the ring's money through the Canadian cell.
            (w("N1-01", "tron"), w("BR-01", "tron"), 4, 5_000, 12_000),
            (w("BR-01", "tron"), w("N3-02", "tron"), 4, 4_000, 10_000),
            (w("N3-02", "eth"), w("BR-01", "eth"), 2, 0.4, 1.2),
            (w("N3-02", "btc"), w("N3-03", "btc"), 4, 0.01, 0.05),
            (w("N3-02", "btc"), w("N3-04", "btc"), 4, 0.01, 0.05),
            (w("N3-02", "btc"), w("N3-05", "btc"), 3, 0.01, 0.05),
            (w("N3-02", "eth"), w("N3-08", "eth"), 3, 0.2, 0.8),
            (net2_payer, w("N2-01", "tron"), 5, 3_000, 9_000),
            (w("N2-01", "tron"), w("N2-09", "tron"), 4, 1_000, 4_000),
            (w("N2-09", "tron"), w("N2-02", "tron"), 3, 200, 800),
            (w("N2-09", "tron"), w("N2-03", "tron"), 3, 200, 800),
        ]
        by_chain: dict[str, list[Wallet]] = {"btc": [], "eth": [], "tron": []}
        for human in with_wallets:
            for wallet in human.wallets:
                by_chain[wallet.chain].append(wallet)
        for chain, wallets in by_chain.items():
            externals = [
                self.new_wallet(chain, self.pick(("p2pkh", "p2sh", "p2wpkh"))) for _ in range(12)
            ]
            scale = {"btc": (0.002, 0.3), "eth": (0.05, 3.0), "tron": (50.0, 5_000.0)}[chain]
            for _ in range({"btc": 70, "eth": 60, "tron": 120}[chain]):
                a = self.pick(wallets)
                b = self.pick([x for x in wallets + externals if x != a])
                if self.rng.random() < 0.5:
                    a, b = b, a
                flows.append((a, b, 1, *scale))
        rows: list[tuple[Any, list[str], str | None]] = []
        for source, target, count, low, high in flows:
            for _ in range(count):
                when = self.moment(hours=(0, 23)).replace(tzinfo=UTC)
                amount = self.rng.uniform(low, high)
                asset = source.asset
                digits = {"BTC": 8, "ETH": 6, "USDT": 2}[asset]
                text = f"{amount:.{digits}f}"
                tx = self.tx_hash(source.chain)
                if source.chain == "btc":
                    tx += f":{self.rng.randrange(3)}"
                rows.append(
                    (
                        when,
                        [
                            tx,
                            source.chain.upper() if source.chain != "tron" else "TRON",
                            asset,
                            source.address,
                            target.address,
                            text,
                            f"{float(text) * price[asset]:.2f}",
                            when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        ],
                        None,
                    )
                )
        # Bad records: a thousands separator in the amount, a transaction without its hash.
        n1, br = w("N1-01", "tron"), w("BR-01", "tron")
        when = datetime(2025, 9, 3, 4, 12, 55, tzinfo=UTC)
        rows.append(
            (
                when,
                [
                    self.tx_hash("tron"),
                    "TRON",
                    "USDT",
                    n1.address,
                    br.address,
                    "1,250.00",
                    "1250.00",
                    when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                ],
                "ambiguous amount '1,250.00' (thousands or decimal separator?)",
            )
        )
        when = datetime(2025, 9, 30, 19, 40, 2, tzinfo=UTC)
        rows.append(
            (
                when,
                [
                    "",
                    "TRON",
                    "USDT",
                    n1.address,
                    br.address,
                    "980.00",
                    "980.00",
                    when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                ],
                "missing required value: no transaction hash",
            )
        )
        header = [
            "tx_id",
            "network",
            "asset",
            "from_address",
            "to_address",
            "amount",
            "amount_usd",
            "block_time",
        ]
        self.write_csv(truth, header, rows)

    # --- travel -------------------------------------------------------------------------

    def border(self) -> None:
        """Thai immigration entries and exits at airports and land checkpoints."""
        truth = self.truth_for(
            "border_crossings.csv",
            "mappings/border_crossings.yaml",
            "th_immigration",
            "Thai immigration records: passport, MRZ-style name, checkpoint (land posts "
            "with coordinates, airports by name), direction, day-first local time.",
        )
        h = self.humans
        rows: list[tuple[Any, list[str], str | None]] = []
        seen: dict[str, set[str]] = {name: set() for name in CHECKPOINTS}

        def cross(
            human: Human,
            checkpoint: str,
            direction: str,
            when: datetime,
            bad: str | None = None,
            text: str | None = None,
        ) -> None:
            province, lat, lon = CHECKPOINTS[checkpoint]
            assert human.passport is not None
            rows.append(
                (
                    when,
                    [
                        checkpoint,
                        province,
                        "TH",
                        "" if lat is None else f"{lat}",
                        "" if lon is None else f"{lon}",
                        direction,
                        text or when.strftime("%d/%m/%Y %H:%M"),
                        human.passport,
                        ALPHA3[human.nationality],
                        human.latin,
                        human.gender,
                        human.birth.strftime("%d/%m/%Y"),
                    ],
                    bad,
                )
            )
            if bad is None:
                seen[checkpoint].add(human.key)
                self.note_id(human, doc_id("passport", human.nationality, human.passport))

        def trip(human: Human, arrive: str, leave: str, when: datetime, days: int) -> None:
            cross(human, arrive, "ENTRY", when)
            later = when + timedelta(days=days, hours=self.rng.randint(-5, 5))
            cross(human, leave, "EXIT", later)

        # The boss and the broker land in Bangkok together; the escort brings recruits in
        # and takes them to Mae Sot, on the border with Myanmar.
        meet = datetime(2025, 7, 19, 14, 35)
        trip(h["N1-01"], "Suvarnabhumi Airport", "Suvarnabhumi Airport", meet, 5)
        trip(
            h["BR-01"],
            "Suvarnabhumi Airport",
            "Suvarnabhumi Airport",
            meet + timedelta(minutes=3),
            5,
        )
        trip(h["N1-03"], "Don Mueang Airport", "Don Mueang Airport", datetime(2025, 8, 9, 9, 50), 4)
        recruits = 0
        for airport, when in (
            ("Suvarnabhumi Airport", datetime(2025, 6, 7, 21, 5)),
            ("Don Mueang Airport", datetime(2025, 7, 5, 8, 40)),
            ("Suvarnabhumi Airport", datetime(2025, 8, 16, 22, 10)),
            ("Don Mueang Airport", datetime(2025, 9, 20, 7, 55)),
        ):
            trip(h["N1-05"], airport, "Mae Sot Friendship Bridge", when, 2)
            for _ in range(2):
                recruits += 1
                country = "PH" if recruits % 3 else "VN"
                recruit = self.add_human(
                    f"BG-R{recruits:02d}",
                    "background",
                    "recruit",
                    country,
                    self.pick("MF"),
                    "",
                    phones=0,
                )
                cross(recruit, airport, "ENTRY", when + timedelta(minutes=self.rng.randint(1, 9)))
                cross(
                    recruit,
                    "Mae Sot Friendship Bridge",
                    "EXIT",
                    when + timedelta(days=2, minutes=self.rng.randint(20, 60)),
                )
        # The transport cell crosses at Sadao, Padang Besar and by boat from Satun.
        for key, posts, times in (
            ("N2-05", ("Sadao Immigration Checkpoint", "Satun Tammalang Pier"), 4),
            ("N2-06", ("Padang Besar Immigration Checkpoint", "Sadao Immigration Checkpoint"), 3),
            ("N2-08", ("Sadao Immigration Checkpoint",), 3),
        ):
            for _ in range(times):
                when = self.moment(date(2025, 6, 1), date(2025, 10, 30))
                trip(h[key], self.pick(posts), self.pick(posts), when, self.rng.randint(1, 6))
        for _ in range(2):
            when = self.moment(date(2025, 6, 1), date(2025, 10, 30))
            cross(h["N2-01"], "Sadao Immigration Checkpoint", "EXIT", when)
            cross(
                h["N2-05"],
                "Sadao Immigration Checkpoint",
                "EXIT",
                when + timedelta(minutes=self.rng.randint(2, 40)),
            )
            cross(
                h["N2-01"],
                "Sadao Immigration Checkpoint",
                "ENTRY",
                when + timedelta(hours=self.rng.randint(5, 30)),
            )
        # Background travellers, never more than LOCATION_CAP people per checkpoint.
        travellers = [x for x in self.unrelated() if x.key not in self.shared["agency_staff"]]
        for human in self.rng.sample(travellers, 55):
            for _ in range(self.rng.randint(1, 2)):
                open_posts = [c for c in CHECKPOINTS if len(seen[c] | {human.key}) <= LOCATION_CAP]
                arrive = self.pick(open_posts)
                leave = arrive if self.rng.random() < 0.7 else self.pick(open_posts)
                trip(human, arrive, leave, self.moment(), self.rng.randint(2, 20))
        # A bad record: 31 April.
        cross(
            h["N2-06"],
            "Padang Besar Immigration Checkpoint",
            "ENTRY",
            datetime(2025, 4, 30, 10, 5),
            bad="impossible date 31/04/2025",
            text="31/04/2025 10:05",
        )
        rows.sort(key=lambda row: row[0])
        out = [
            (i, [f"TM-{2025000000 + i * 11}", *row], bad)
            for i, (_, row, bad) in enumerate(rows, start=1)
        ]
        header = [
            "entry_id",
            "checkpoint",
            "province",
            "country",
            "lat",
            "lon",
            "direction",
            "crossed_at",
            "passport_no",
            "nationality",
            "traveller_name",
            "sex",
            "date_of_birth",
        ]
        self.write_csv(truth, header, out)

    def hotels(self) -> None:
        """Guest registers of hotels in Ontario and Québec (Windows-1252, '|'-separated)."""
        truth = self.truth_for(
            "hotel_registrations.csv",
            "mappings/hotel_registrations.yaml",
            "hotel_registers",
            "Guest registrations from hotels in Ontario and Québec: '|'-separated, "
            "Windows-1252 encoded, guest identity document and phone.",
        )
        h = self.humans
        rows: list[tuple[Any, list[str], str | None]] = []
        seen: dict[str, set[str]] = {name: set() for name in HOTELS}

        def stay(
            human: Human,
            hotel: str,
            when: datetime,
            bad: str | None = None,
            text: str | None = None,
            number: str | None = None,
        ) -> None:
            city, province = HOTELS[hotel]
            if human.nationality == "CA" and human.key != "BR-01":
                kind, doc = human.nid_type, human.nid or ""
                name = human.name
            else:
                kind, doc = "passport", human.passport or ""
                name = human.plain
            if number is not None:
                doc = number
            phone = self.render(human.phones[0], "CA") if human.phones else ""
            rows.append(
                (
                    when,
                    [
                        hotel,
                        city,
                        province,
                        "CA",
                        name,
                        kind,
                        human.nationality,
                        doc,
                        phone,
                        text or when.strftime("%Y-%m-%d %H:%M"),
                        str(self.rng.randint(1, 4)),
                    ],
                    bad,
                )
            )
            if bad is None:
                seen[hotel].add(human.key)
                self.note_id(human, doc_id(kind, human.nationality, doc))

        # Co-stays of the money cell, and the broker meeting its money manager.
        for when in (datetime(2025, 7, 11, 21, 40), datetime(2025, 9, 26, 22, 15)):
            for i, key in enumerate(("N3-04", "N3-05", "N3-06")):
                stay(h[key], "Auberge Saint-Denis", when + timedelta(minutes=4 * i))
        for when in (datetime(2025, 8, 2, 15, 5), datetime(2025, 10, 4, 16, 20)):
            stay(h["BR-01"], "Queen West Boutique Hotel", when)
            stay(h["N3-02"], "Queen West Boutique Hotel", when + timedelta(minutes=25))
        stay(h["N3-06"], "Pearson Airport Lodge", datetime(2025, 8, 28, 23, 50))
        stay(h["N3-03"], "Pearson Airport Lodge", datetime(2025, 8, 29, 0, 20))
        stay(h["N3-07"], "Markham Business Inn", datetime(2025, 6, 20, 18, 0))
        guests = [x for x in self.unrelated() if x.nationality == "CA" or self.rng.random() < 0.08]
        for human in self.rng.sample(guests, min(55, len(guests))):
            for _ in range(self.rng.randint(1, 2)):
                hotel = self.pick(
                    [name for name in HOTELS if len(seen[name] | {human.key}) <= LOCATION_CAP]
                )
                stay(human, hotel, self.moment(hours=(12, 23)))
        # Bad records: a guest without a document number, and 31 June.
        anon = self.pick([x for x in guests if x.nationality == "CA"])
        stay(
            anon,
            "Niagara Falls View Motel",
            datetime(2025, 8, 23, 19, 0),
            bad="missing required value: no document number",
            number="",
        )
        stay(
            h["N3-05"],
            "Hôtel Champlain Centre-Ville",
            datetime(2025, 6, 30, 20, 0),
            bad="impossible date 2025-06-31",
            text="2025-06-31 20:30",
        )
        rows.sort(key=lambda row: row[0])
        out = [(i, [f"F{i:05d}", *row], bad) for i, (_, row, bad) in enumerate(rows, start=1)]
        header = [
            "folio",
            "property",
            "city",
            "province",
            "country",
            "guest_name",
            "doc_type",
            "doc_country",
            "doc_number",
            "phone",
            "check_in",
            "nights",
        ]
        self.write_csv(truth, header, out, delimiter="|", encoding="cp1252")

    # --- FollowTheMoney referral --------------------------------------------------------

    def referral(self) -> None:
        """A partner agency's referral exported from Aleph as FollowTheMoney entities."""
        truth = self.truth_for(
            "referral_ftm.jsonl",
            "mappings/referral_ftm.yaml",
            "ph_referral",
            "A Philippine inter-agency referral of persons of interest, exported as "
            "FollowTheMoney entities (Person, Company, Passport, Address, Note...); only "
            "Person entities are mapped.",
        )
        h = self.humans
        lines: list[tuple[Any, Any, str | None]] = []

        def fid() -> str:
            return "iacat-" + self.rng.randbytes(10).hex()

        def person(
            human: Human,
            phone: Phone | None,
            extra: dict[str, list[str]] | None = None,
            bad: str | None = None,
        ) -> str:
            entity_id = fid()
            props: dict[str, list[str]] = {
                "name": [human.name],
                "nationality": [human.nationality.lower()],
                "passportNumber": [human.passport or ""],
                "birthDate": [human.birth.isoformat()],
                "gender": ["male" if human.gender == "M" else "female"],
            }
            if phone is not None:
                props["phone"] = [phone.e164]
            if human.aliases:
                props["alias"] = list(human.aliases)
            props.update(extra or {})
            props = {k: v for k, v in props.items() if v != [""]}
            lines.append(
                ((0, len(lines)), {"id": entity_id, "schema": "Person", "properties": props}, bad)
            )
            if bad is None:
                assert human.passport is not None
                self.note_id(human, doc_id("passport", human.nationality, human.passport))
            return entity_id

        def other(schema: str, props: dict[str, list[str]]) -> str:
            entity_id = fid()
            lines.append(
                ((0, len(lines)), {"id": entity_id, "schema": schema, "properties": props}, None)
            )
            return entity_id

        agency = other(
            "Company",
            {
                "name": ["Golden Bridge Manpower Services Inc."],
                "phone": [self.hub_phone.e164],
                "jurisdiction": ["ph"],
                "registrationNumber": ["DMW-LB-0412-2019"],
            },
        )
        ids = {}
        for key in ("N1-01", "N1-02", "N1-03", "N1-05"):
            ids[key] = person(h[key], h[key].phones[0])
        ids["BR-01"] = person(h["BR-01"], h["BR-01"].phones[0])
        for key, entity_id in ids.items():
            other(
                "Passport",
                {
                    "holder": [entity_id],
                    "number": [h[key].passport or ""],
                    "country": [h[key].nationality.lower()],
                    "type": ["passport"],
                },
            )
        other(
            "Associate",
            {
                "person": [ids["N1-01"]],
                "associate": [ids["BR-01"]],
                "relationship": ["business partner (suspected)"],
            },
        )
        other(
            "Employment",
            {"employer": [agency], "employee": [ids["N1-03"]], "role": ["field recruiter"]},
        )
        other("Address", {"full": ["Unit 4B, 1250 Taft Avenue, Malate, Manila"], "country": ["ph"]})
        other(
            "Note",
            {
                "entity": [ids["N1-01"]],
                "description": [
                    "Runs Telegram-based recruitment for 'customer service' jobs in Bangkok; "
                    "recruits "
                    "are moved to Mae Sot and across to Myawaddy."
                ],
            },
        )
        pool = [x for x in self.unrelated() if x.nationality in ("PH", "VN")]
        for human in self.rng.sample(pool, 12):
            person(human, human.phones[0] if self.rng.random() < 0.7 else None)
            other(
                "Note",
                {
                    "entity": [lines[-1][1]["id"]],
                    "description": [
                        "Person of interest in an unrelated illegal recruitment complaint."
                    ],
                },
            )
        # Bad records: a person without a passport number, and a birth date on 30 February.
        nameless = self.pick(pool)
        entity_id = fid()
        lines.append(
            (
                (0, len(lines)),
                {
                    "id": entity_id,
                    "schema": "Person",
                    "properties": {
                        "name": [nameless.name],
                        "nationality": ["ph"],
                        "alias": ["Tita Baby"],
                    },
                },
                "missing required value: no passportNumber, so no Person key",
            )
        )
        odd = self.pick(pool)
        person(
            odd,
            None,
            {"birthDate": [f"{odd.birth.year}-02-30"]},
            bad="impossible birth date (30 February)",
        )
        self.write_jsonl(truth, lines, wanted="Person")

    # --- truth --------------------------------------------------------------------------

    def truth(self) -> dict[str, Any]:
        """The planted answer key."""
        networks = []
        described = {
            "recruitment_ring": (
                "Recruitment ring (Philippines / Viet Nam): fake 'customer "
                "service in Bangkok' adverts; recruits flown to Bangkok and "
                "taken to Mae Sot.",
                ["PH", "VN"],
            ),
            "transport_cell": (
                "Transport cell (Thailand / Malaysia): moves migrants across "
                "the Sadao and Padang Besar border from Hat Yai safe houses.",
                ["TH", "MY"],
            ),
            "money_cell": (
                "Money and documents cell (Canada): forged documents and crypto "
                "laundering through money mules in Toronto and Montréal.",
                ["CA"],
            ),
        }
        for group, (text, countries) in described.items():
            networks.append(
                {
                    "name": group,
                    "description": text,
                    "countries": countries,
                    "members": [self.member(x) for x in self.members(group)],
                }
            )
        hub_people = [self.humans[k] for k in self.shared["agency_staff"]] + [self.humans["N1-03"]]
        return {
            "generator": "demo/generate.py",
            "seed": SEED,
            "note": "Person ids are as linkgraph keys them: 'dataset:ref' for source-scoped "
            "references, 'passport|nid|dl:CC:number' for identity documents. One "
            "person of the story usually appears as several Person nodes, linked "
            "through shared phones, accounts and wallets.",
            "networks": networks,
            "broker": {
                **self.member(self.humans["BR-01"]),
                "bridges": ["recruitment_ring", "money_cell"],
                "description": "Vietnamese-Canadian facilitator: calls and messages "
                "the ring's boss and coordinator, takes the ring's USDT "
                "and passes it to the money cell; meets its money "
                "manager in Toronto.",
            },
            "hub": {
                "label": "Phone",
                "id": self.hub_phone.e164,
                "description": "Hotline of a licensed recruitment agency, given in adverts "
                "by its staff and once by a recruiter of the ring.",
                "people": len(hub_people),
                "min_people": HUB_MIN_PEOPLE,
                "person_ids": self.shared["hub_person_ids"],
            },
            "background": {
                "people": len(self.background()),
                "max_people_per_location": LOCATION_CAP,
            },
            "files": {name: entry.as_json() for name, entry in self.files.items()},
        }

    def member(self, human: Human) -> dict[str, Any]:
        """One planted person in truth.json."""
        return {
            "key": human.key,
            "name": human.name,
            "role": human.role,
            "nationality": human.nationality,
            "person_ids": list(self.person_ids.get(human.key, [])),
        }

    def run(self) -> dict[str, bytes]:
        """Build everything; returns file name -> bytes."""
        self.build_cast()
        self.telco_subscribers()
        self.cdr_ph()
        self.cdr_th()
        self.cdr_ca()
        self.seized()
        self.adverts()
        self.exchange()
        self.border()
        self.hotels()
        self.referral()
        truth = json.dumps(self.truth(), ensure_ascii=False, indent=2) + "\n"
        self.outputs["truth.json"] = truth.encode("utf-8")
        return dict(sorted(self.outputs.items()))


def generate(out: Path) -> list[Path]:
    """Write every demo data file into `out`; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in Generator().run().items():
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: write the demo data (default: demo/data/)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else "")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(f"{path.stat().st_size:>9,d}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
