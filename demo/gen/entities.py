"""What the story is made of: people, and the phones and wallets they use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .world import COUNTRY_CODES


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
