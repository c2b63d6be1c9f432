"""Fresh identifiers: phone numbers, wallet addresses, hashes and identity documents.

Every identifier is drawn so that linkgraph reads it as valid (libphonenumber accepts the
number, the wallet's checksum is correct) and no two people share one by accident: the
only shared identifiers in the demo are the ones planted on purpose.
"""

from __future__ import annotations

import random

from normalise import NormaliseError, normalise_phone, normalise_wallet
from normalise.base58 import b58check_encode
from normalise.bech32 import encode_segwit
from normalise.wallet import eip55_checksum

from .chance import Chance
from .entities import Phone, Wallet
from .world import CA_AREAS, MOBILE_PREFIXES


def tx_hash(rng: random.Random, chain: str) -> str:
    """A transaction hash in the chain's usual notation."""
    text = rng.randbytes(32).hex()
    return "0x" + text if chain == "eth" else text


class Mint:
    """Draws identifiers, remembering those given out so that each is given once."""

    def __init__(self, rng: Chance) -> None:
        self.rng = rng
        self.used_e164: set[str] = set()
        self.used_docs: set[tuple[str, str]] = set()

    def phone(self, region: str, city: str = "") -> Phone:
        """A fresh mobile number that libphonenumber considers valid."""
        while True:
            if region == "CA":
                area = self.rng.pick(CA_AREAS.get(city, CA_AREAS["Toronto"]))
                nsn = f"{area}55501{self.rng.digits(2)}"  # NANP 555-01XX: reserved for fiction
            else:
                prefixes, rest = MOBILE_PREFIXES[region]
                nsn = self.rng.pick(prefixes) + self.rng.digits(rest)
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

    def landline_ph(self) -> Phone:
        """A Metro Manila landline (02) 8XXX XXXX."""
        while True:
            phone = Phone("PH", "28" + self.rng.digits(7))
            try:
                normalise_phone(phone.e164, None)
            except NormaliseError:
                continue
            if phone.e164 not in self.used_e164:
                self.used_e164.add(phone.e164)
                return phone

    def wallet(self, chain: str, kind: str = "") -> Wallet:
        """A wallet address with a correct checksum (`kind` picks a Bitcoin address type)."""
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

    def passport(self, country: str) -> str:
        """A passport number in the country's usual pattern."""
        rng = self.rng
        while True:
            number = {
                "VN": lambda: "C" + rng.digits(7),
                "PH": lambda: "P" + rng.digits(7) + rng.letters(1),
                "TH": lambda: "A" + rng.letters(1) + rng.digits(7),
                "MY": lambda: "A" + rng.digits(8),
                "CA": lambda: rng.letters(2) + rng.digits(6),
                "BD": lambda: "A" + rng.digits(8),
                "SG": lambda: "K" + rng.digits(7) + rng.letters(1),
            }[country]()
            if ("passport", number) not in self.used_docs:
                self.used_docs.add(("passport", number))
                return number

    def nid(self, country: str, city: str) -> tuple[str, str]:
        """A national identity number (or, in Canada, a driver's licence), as printed."""
        rng = self.rng
        while True:
            if country == "VN":
                kind, number = (
                    "nid",
                    "0" + rng.pick(("79", "01", "48", "92", "74")) + rng.digits(10),
                )
            elif country == "PH":
                kind, number = "nid", "-".join(rng.digits(4) for _ in range(4))
            elif country == "TH":
                kind, number = "nid", rng.pick("1357") + rng.digits(12)
            elif country == "BD":
                kind, number = "nid", rng.digits(10)
            elif country == "SG":
                kind, number = "nid", rng.pick("ST") + rng.digits(7) + rng.letters(1)
            elif country == "MY":
                kind, number = "nid", f"{rng.digits(6)}-{rng.digits(2)}-{rng.digits(4)}"
            elif city in ("Montréal", "Laval", "Gatineau"):
                # Québec licences print as L1234-123456-12, Ontario ones as L1234-12345-12345.
                kind, number = (
                    "dl",
                    f"{rng.letters(1)}{rng.digits(4)}-{rng.digits(6)}-{rng.digits(2)}",
                )
            else:
                kind, number = (
                    "dl",
                    f"{rng.letters(1)}{rng.digits(4)}-{rng.digits(5)}-{rng.digits(5)}",
                )
            if (kind, number) not in self.used_docs:
                self.used_docs.add((kind, number))
                return kind, number
