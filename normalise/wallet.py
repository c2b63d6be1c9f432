"""Cryptocurrency wallet addresses (the ``wallet`` kind): Bitcoin, Ethereum and Tron."""

from __future__ import annotations

import re
from dataclasses import dataclass

from normalise.base58 import Base58Error, b58check_decode, b58check_encode
from normalise.bech32 import Bech32Error, decode_segwit
from normalise.errors import NormaliseError
from normalise.keccak import keccak256
from normalise.text import as_text, drop_format, json_type

_KIND = "wallet"

CHAINS = ("btc", "eth", "tron")

# Only Ethereum mainnet-style names map to "eth": BSC, Polygon etc. share the address format
# but are different ledgers, so accepting "bep20" here would silently merge them.
CHAIN_ALIASES: dict[str, str] = {
    "btc": "btc",
    "bitcoin": "btc",
    "xbt": "btc",
    "eth": "eth",
    "ethereum": "eth",
    "ether": "eth",
    "erc20": "eth",
    "erc-20": "eth",
    "tron": "tron",
    "trx": "tron",
    "trc20": "tron",
    "trc-20": "tron",
}

_BTC_P2PKH = 0x00
_BTC_P2SH = 0x05
_BTC_TESTNET = (0x6F, 0xC4)
_TRON = 0x41
_HASH160_LEN = 20
_ETH_RE = re.compile(r"0x[0-9a-fA-F]{40}")
_TRON_HEX_RE = re.compile(r"(?:0x)?41[0-9a-fA-F]{40}")
# Mainnet "bc1" plus testnet/regtest prefixes, so those get a clear "not mainnet" reason.
_SEGWIT_PREFIXES = ("bc1", "tb1", "bcrt1")
_SEGWIT_TYPES = {(0, 20): "p2wpkh", (0, 32): "p2wsh", (1, 32): "p2tr"}


@dataclass(frozen=True, slots=True)
class Wallet:
    """A verified wallet address.

    Attributes:
        chain: one of ``"btc"``, ``"eth"``, ``"tron"``.
        address: canonical form: Base58 as-is, Bech32 lower-case, Ethereum lower-case hex.
        id: ``f"{chain}:{address}"``, the node key.
        raw: the input exactly as given.
        address_type: e.g. ``"p2pkh"``, ``"p2sh"``, ``"p2wpkh"``, ``"p2wsh"``, ``"p2tr"``,
            ``"segwit-v2"``, ``"account"`` (Ethereum) or ``"base58"`` (Tron).
    """

    chain: str
    address: str
    id: str
    raw: str
    address_type: str


def canonical_chain(chain: str) -> str:
    """Map a chain name or alias ("Bitcoin", "ERC20", "TRC20", ...) to btc/eth/tron.

    Raises:
        NormaliseError: for an unknown chain.
    """
    key = chain.strip().lower()
    if key not in CHAIN_ALIASES:
        raise NormaliseError(_KIND, chain, f"unknown chain {chain!r} (known: {', '.join(CHAINS)})")
    return CHAIN_ALIASES[key]


def normalise_wallet(raw: str, chain: str | None = None) -> Wallet:
    """Verify a wallet address and return its canonical form.

    With ``chain`` None the chain is detected from the address shape: ``0x`` + 40 hex is
    Ethereum, ``bc1…`` is Bitcoin SegWit, and Base58Check addresses are told apart by their
    version byte (0x00/0x05 Bitcoin, 0x41 Tron). Checksums are always verified: Base58Check,
    Bech32/Bech32m (with witness program rules) and EIP-55 for mixed-case Ethereum addresses.
    Only mainnet addresses are accepted. A BIP-21 ``bitcoin:`` URI is reduced to its address.
    With ``chain="tron"``, Tron's hex form (``41`` + 40 hex) is converted to Base58Check.

    Raises:
        NormaliseError: naming the reason, e.g. "bad Base58Check checksum".
    """
    if not isinstance(raw, str):
        raise NormaliseError(_KIND, raw, f"expected a string, got {type(raw).__name__}")
    as_text(raw, _KIND)
    if chain is not None and not isinstance(chain, str):
        raise NormaliseError(
            _KIND, raw, f"the chain must be a string, not a JSON {json_type(chain)}"
        )
    wanted = None if chain is None or not chain.strip() else _chain_for(raw, chain)
    # Invisible characters are dropped; the checksum still has to verify without them.
    text = drop_format(raw).strip()
    if text[:8].lower() == "bitcoin:" and wanted in (None, "btc"):
        text = text[8:].split("?", 1)[0]
        wanted = "btc"
    if not text:
        raise NormaliseError(_KIND, raw, "empty")
    if any(ch.isspace() for ch in text):
        raise NormaliseError(_KIND, raw, "contains whitespace")

    # Detect by shape first, then compare with the requested chain, so a valid address of
    # another chain gets a clear "a btc address, not eth" reason.
    if wanted == "tron" and _TRON_HEX_RE.fullmatch(text):
        payload = bytes.fromhex(text.removeprefix("0x"))
        chain_name, address, address_type = "tron", b58check_encode(payload), "base58"
    elif text[:2].lower() == "0x":
        chain_name, address, address_type = "eth", _ethereum(raw, text), "account"
    elif text.lower().startswith(_SEGWIT_PREFIXES) and not (
        # A Tron address may begin "TB1" too; Bech32 is never of mixed case.
        wanted == "tron" and text.lower() != text and text.upper() != text
    ):
        chain_name, address, address_type = "btc", *_segwit(raw, text)
    elif wanted == "eth":
        raise NormaliseError(_KIND, raw, "Ethereum address must start with 0x")
    else:
        chain_name, address, address_type = _base58(raw, text)

    if wanted is not None and chain_name != wanted:
        raise NormaliseError(_KIND, raw, f"a {chain_name} address, not {wanted}")
    return Wallet(
        chain=chain_name,
        address=address,
        id=f"{chain_name}:{address}",
        raw=raw,
        address_type=address_type,
    )


def _chain_for(raw: str, chain: str) -> str:
    """canonical_chain, but the error names the raw value being normalised."""
    try:
        return canonical_chain(chain)
    except NormaliseError as exc:
        raise NormaliseError(_KIND, raw, exc.reason) from None


def eip55_checksum(address: str) -> str:
    """Return the EIP-55 mixed-case form of a ``0x`` + 40 hex address."""
    hex_part = address[2:].lower()
    digest = keccak256(hex_part.encode("ascii")).hex()
    return "0x" + "".join(
        ch.upper() if ch.isalpha() and int(digest[i], 16) >= 8 else ch
        for i, ch in enumerate(hex_part)
    )


def _ethereum(raw: str, text: str) -> str:
    if not text.startswith("0x"):
        raise NormaliseError(_KIND, raw, "Ethereum address must start with 0x")
    if not _ETH_RE.fullmatch(text):
        raise NormaliseError(_KIND, raw, "Ethereum address must be 0x followed by 40 hex digits")
    hex_part = text[2:]
    # All-lower or all-upper carries no checksum (pre-EIP-55 style); mixed case must verify.
    mixed_case = hex_part not in (hex_part.lower(), hex_part.upper())
    if mixed_case and eip55_checksum(text) != text:
        raise NormaliseError(_KIND, raw, "bad EIP-55 checksum")
    return text.lower()


def _segwit(raw: str, text: str) -> tuple[str, str]:
    try:
        decoded = decode_segwit(text)
    except Bech32Error as exc:
        raise NormaliseError(_KIND, raw, str(exc)) from None
    if decoded.hrp != "bc":
        raise NormaliseError(_KIND, raw, f"not a Bitcoin mainnet address (prefix {decoded.hrp})")
    key = (decoded.version, len(decoded.program))
    return text.lower(), _SEGWIT_TYPES.get(key, f"segwit-v{decoded.version}")


def _base58(raw: str, text: str) -> tuple[str, str, str]:
    try:
        payload = b58check_decode(text)
    except Base58Error as exc:
        raise NormaliseError(_KIND, raw, f"unrecognised address: {exc}") from None
    version, body = payload[0], payload[1:]
    if version in _BTC_TESTNET:
        raise NormaliseError(_KIND, raw, "Bitcoin testnet address; only mainnet is accepted")
    if version not in (_BTC_P2PKH, _BTC_P2SH, _TRON):
        raise NormaliseError(_KIND, raw, f"unknown Base58Check version byte 0x{version:02x}")
    if len(body) != _HASH160_LEN:
        raise NormaliseError(_KIND, raw, f"payload is {len(body)} bytes, expected 20")
    if version == _TRON:
        return "tron", text, "base58"
    return "btc", text, "p2pkh" if version == _BTC_P2PKH else "p2sh"
