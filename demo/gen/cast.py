"""The cast: the planted networks, the broker, the hub and the background population.

Three networks are planted, each with its members' roles, documents, phones and wallets;
one broker ties the recruitment ring to the money cell; a licensed agency's hotline is
given by many unrelated people (the hub). About 300 background people, some of them
family or friends of members ("leaves"), give the networks something to stand out from.

The cast also keeps the ground truth: every Person id under which each person appears in
the sources, noted by the renderers as they write the records.
"""

from __future__ import annotations

from datetime import date

from .chance import Chance
from .entities import Human, Phone
from .identifiers import Mint
from .names import random_name
from .spelling import ascii_upper

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

# The recruitment ring's shared accounts, used by several of its members.
HR_TELEGRAM = "hr_bkk_cs"
FB_PAGE = "https://www.facebook.com/bangkok.cs.jobs.hiring"

# Chains on which each planted person holds a wallet.
WALLETS: dict[str, list[str]] = {
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
# Family and friends of members: member -> (their country, how many).
LEAVES: dict[str, tuple[str, int]] = {
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
# Where unrelated background people live, and how many per country (300 people at most).
BACKGROUND_CITIES: dict[str, tuple[str, ...]] = {
    "PH": ("Manila", "Quezon City", "Cebu City", "Davao", "Pasig"),
    "VN": ("Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Cần Thơ", "Hải Phòng"),
    "TH": ("Bangkok", "Hat Yai", "Chiang Mai", "Khon Kaen", "Pattaya"),
    "CA": ("Toronto", "Montréal", "Mississauga", "Ottawa", "Laval", "Hamilton"),
    "BD": ("Dhaka", "Chattogram", "Sylhet"),
    "MY": ("Kuala Lumpur", "Penang"),
    "SG": ("Singapore",),
}
BACKGROUND_QUOTA = {"PH": 68, "VN": 52, "TH": 54, "CA": 52, "BD": 22, "MY": 20, "SG": 20}
# Staff of the licensed agency whose hotline is the hub: the first unrelated Filipinos,
# enough for the hotline to pass the hub policy's threshold with the ring's recruiter.
AGENCY_STAFF = 18

# What truth.json says of each network: description and countries.
NETWORKS: dict[str, tuple[str, list[str]]] = {
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
BROKER_DESCRIPTION = (
    "Vietnamese-Canadian facilitator: calls and messages "
    "the ring's boss and coordinator, takes the ring's USDT "
    "and passes it to the money cell; meets its money "
    "manager in Toronto."
)
HUB_DESCRIPTION = (
    "Hotline of a licensed recruitment agency, given in adverts "
    "by its staff and once by a recruiter of the ring."
)


class Cast:
    """Everyone in the story, their identifiers, and the Person ids they appear as."""

    def __init__(self, rng: Chance) -> None:
        self.rng = rng
        self.mint = Mint(rng)
        self.humans: dict[str, Human] = {}
        self.used_names: set[str] = set()
        self.person_ids: dict[str, list[str]] = {}
        # Drawn by populate(); placeholders until then.
        self.recruitment_line = Phone("PH", "")  # registered to N1-02, given in adverts
        self.nominee_sim = Phone("VN", "")  # registered to N1-09, used by N1-06
        self.hub_phone = Phone("PH", "")  # the agency's hotline
        self.agency_staff: list[str] = []  # keys of those who give the hotline in adverts
        # The Person ids the hub's users appear as; the job adverts give them.
        self.hub_person_ids: list[str] = []

    def note_id(self, human: Human, person_id: str) -> None:
        """Remember that `human` appears as Person `person_id`."""
        ids = self.person_ids.setdefault(human.key, [])
        if person_id not in ids:
            ids.append(person_id)

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
        """Create a person with documents and phones (a random name unless given one)."""
        if name is None:
            name, family, given, thai = random_name(self.rng, country, gender, self.used_names)
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
        human.passport = self.mint.passport(country)
        human.nid_type, human.nid = self.mint.nid(country, city)
        for _ in range(phones):
            human.phones.append(self.mint.phone(country, city))
        self.humans[key] = human
        return human

    def populate(self) -> None:
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
                human.phones.append(self.mint.phone("TH"))
        # The broker keeps a Vietnamese SIM for his trips.
        self.humans["BR-01"].phones.append(self.mint.phone("VN"))
        # Shared identifiers of the recruitment ring.
        self.recruitment_line = self.mint.phone("PH")
        self.nominee_sim = self.mint.phone("VN")
        # The hub: a licensed agency's hotline, a Metro Manila landline.
        self.hub_phone = self.mint.landline_ph()
        for key, chains in WALLETS.items():
            for chain in chains:
                kind = self.rng.pick(("p2pkh", "p2sh", "p2wpkh"))
                self.humans[key].wallets.append(self.mint.wallet(chain, kind))
        self.populate_background()
        filipinos = [x.key for x in self.unrelated() if x.nationality == "PH"]
        self.agency_staff = filipinos[:AGENCY_STAFF]

    def populate_background(self) -> None:
        """About 300 unrelated people, some of them family of network members (leaves)."""
        count = 0
        for member, (country, many) in LEAVES.items():
            for _ in range(many):
                count += 1
                city = self.humans[member].city
                human = self.add_human(
                    f"BG-{count:03d}",
                    "background",
                    "family_or_friend",
                    country,
                    self.rng.pick("MF"),
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
                self.rng.pick("MF"),
                "Cox's Bazar",
            )
            human.leaf_of = "N2-01"
        for country, total in BACKGROUND_QUOTA.items():
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
                    self.rng.pick("MF"),
                    self.rng.pick(BACKGROUND_CITIES[country]),
                    phones=phones,
                )
        for human in self.background(leaves_too=False):
            if self.rng.random() < 0.3:
                chain = self.rng.pick(("tron", "tron", "btc", "eth"))
                human.wallets.append(self.mint.wallet(chain, self.rng.pick(("p2pkh", "p2wpkh"))))

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
