"""Bech32 (BIP-173) and Bech32m (BIP-350) decoding, and SegWit address rules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_INDEX = {ch: i for i, ch in enumerate(CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
_MAX_LEN = 90
_CHECKSUM_LEN = 6


class Encoding(Enum):
    """Which checksum constant an address uses."""

    BECH32 = 1
    BECH32M = 0x2BC830A3


class Bech32Error(ValueError):
    """The text is not a valid Bech32/Bech32m string or SegWit address; str is the reason."""


@dataclass(frozen=True, slots=True)
class SegwitAddress:
    """A decoded SegWit address."""

    hrp: str
    version: int
    program: bytes
    encoding: Encoding


def _polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i, gen in enumerate(_GENERATOR):
            if (top >> i) & 1:
                chk ^= gen
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def bech32_create_checksum(hrp: str, data: list[int], encoding: Encoding) -> list[int]:
    """Return the six 5-bit checksum values for ``hrp`` and ``data``."""
    polymod = _polymod(_hrp_expand(hrp) + data + [0] * _CHECKSUM_LEN) ^ encoding.value
    return [(polymod >> 5 * (5 - i)) & 31 for i in range(_CHECKSUM_LEN)]


def bech32_encode(hrp: str, data: list[int], encoding: Encoding) -> str:
    """Encode an HRP and 5-bit data values as a lower-case Bech32/Bech32m string."""
    combined = data + bech32_create_checksum(hrp, data, encoding)
    return hrp + "1" + "".join(CHARSET[d] for d in combined)


def bech32_decode(text: str) -> tuple[str, list[int], Encoding]:
    """Decode a Bech32 or Bech32m string into (hrp, 5-bit data without checksum, encoding).

    Enforces BIP-173's rules: length at most 90, printable ASCII HRP, no mixed case and a valid
    checksum. The returned HRP is lower-case.
    """
    if len(text) > _MAX_LEN:
        raise Bech32Error("too long for Bech32")
    if any(ord(c) < 33 or ord(c) > 126 for c in text):
        raise Bech32Error("invalid character")
    if text.lower() != text and text.upper() != text:
        raise Bech32Error("mixed case")
    text = text.lower()
    sep = text.rfind("1")
    if sep < 1:
        raise Bech32Error("missing human-readable part")
    if sep + 1 + _CHECKSUM_LEN > len(text):
        raise Bech32Error("too short for a checksum")
    hrp, rest = text[:sep], text[sep + 1 :]
    data: list[int] = []
    for ch in rest:
        if ch not in _INDEX:
            raise Bech32Error(f"invalid Bech32 character {ch!r}")
        data.append(_INDEX[ch])
    constant = _polymod(_hrp_expand(hrp) + data)
    for encoding in Encoding:
        if constant == encoding.value:
            return hrp, data[:-_CHECKSUM_LEN], encoding
    raise Bech32Error("bad Bech32 checksum")


def convertbits(data: list[int], frombits: int, tobits: int, pad: bool) -> list[int]:
    """Regroup bits; without ``pad``, leftover bits must be fewer than ``frombits`` and zero."""
    acc = 0
    bits = 0
    out: list[int] = []
    maxv = (1 << tobits) - 1
    for value in data:
        if value >> frombits:
            raise Bech32Error("value out of range")
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits:
        raise Bech32Error("too much padding")
    elif (acc << (tobits - bits)) & maxv:
        raise Bech32Error("non-zero padding")
    return out


def decode_segwit(text: str) -> SegwitAddress:
    """Decode a SegWit address and check BIP-173/BIP-350 witness program rules.

    v0 programs must be 20 or 32 bytes and use Bech32; v1-v16 programs must be 2-40 bytes and
    use Bech32m.
    """
    hrp, data, encoding = bech32_decode(text)
    if not data:
        raise Bech32Error("missing witness version")
    version = data[0]
    if version > 16:
        raise Bech32Error(f"invalid witness version {version}")
    program = bytes(convertbits(data[1:], 5, 8, pad=False))
    if not 2 <= len(program) <= 40:
        raise Bech32Error(f"invalid witness program length {len(program)}")
    if version == 0 and len(program) not in (20, 32):
        raise Bech32Error(f"invalid v0 witness program length {len(program)}")
    expected = Encoding.BECH32 if version == 0 else Encoding.BECH32M
    if encoding is not expected:
        raise Bech32Error(
            f"witness v{version} must use {expected.name.capitalize()}, not "
            f"{encoding.name.capitalize()}"
        )
    return SegwitAddress(hrp=hrp, version=version, program=program, encoding=encoding)


def encode_segwit(hrp: str, version: int, program: bytes) -> str:
    """Encode a SegWit address (Bech32 for v0, Bech32m otherwise)."""
    encoding = Encoding.BECH32 if version == 0 else Encoding.BECH32M
    return bech32_encode(hrp, [version, *convertbits(list(program), 8, 5, pad=True)], encoding)
