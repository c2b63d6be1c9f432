"""Base58 and Base58Check (Bitcoin alphabet), as used by Bitcoin legacy and Tron addresses."""

from __future__ import annotations

import hashlib

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
_CHECKSUM_LEN = 4


class Base58Error(ValueError):
    """The text is not valid Base58 / Base58Check; ``str(err)`` is a short reason."""


def b58decode(text: str) -> bytes:
    """Decode Base58 text; each leading ``"1"`` stands for one leading zero byte."""
    if not text:
        raise Base58Error("empty")
    value = 0
    for ch in text:
        digit = _INDEX.get(ch)
        if digit is None:
            raise Base58Error(f"invalid Base58 character {ch!r}")
        value = value * 58 + digit
    body = value.to_bytes((value.bit_length() + 7) // 8, "big")
    zeros = len(text) - len(text.lstrip("1"))
    return b"\x00" * zeros + body


def b58encode(data: bytes) -> str:
    """Encode bytes as Base58; each leading zero byte becomes ``"1"``."""
    value = int.from_bytes(data, "big")
    chars: list[str] = []
    while value:
        value, digit = divmod(value, 58)
        chars.append(ALPHABET[digit])
    zeros = len(data) - len(data.lstrip(b"\x00"))
    return "1" * zeros + "".join(reversed(chars))


def _checksum(payload: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:_CHECKSUM_LEN]


def b58check_decode(text: str) -> bytes:
    """Decode Base58Check text and return the payload (version byte included).

    Raises:
        Base58Error: on a bad character, a too-short input or a bad checksum.
    """
    data = b58decode(text)
    if len(data) <= _CHECKSUM_LEN:
        raise Base58Error("too short for Base58Check")
    payload, checksum = data[:-_CHECKSUM_LEN], data[-_CHECKSUM_LEN:]
    if _checksum(payload) != checksum:
        raise Base58Error("bad Base58Check checksum")
    return payload


def b58check_encode(payload: bytes) -> str:
    """Encode a payload (version byte included) as Base58Check."""
    return b58encode(payload + _checksum(payload))
