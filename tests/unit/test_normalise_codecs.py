"""Unit tests for the pure-Python codecs behind wallet normalisation.

Covers Base58/Base58Check, Bech32/Bech32m (BIP-173 / BIP-350 test vectors) and Keccak-256.
"""

from __future__ import annotations

import hashlib

import pytest

from normalise.base58 import (
    Base58Error,
    b58check_decode,
    b58check_encode,
    b58decode,
    b58encode,
)
from normalise.bech32 import (
    Bech32Error,
    Encoding,
    bech32_decode,
    bech32_encode,
    convertbits,
    decode_segwit,
    encode_segwit,
)
from normalise.keccak import keccak256

# --- Keccak-256 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "digest"),
    [
        (b"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
        (b"abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
        (
            b"The quick brown fox jumps over the lazy dog",
            "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15",
        ),
    ],
)
def test_keccak256_known_vectors(data: bytes, digest: str) -> None:
    assert keccak256(data).hex() == digest


def test_keccak256_function_selector() -> None:
    # The ERC-20 transfer selector every Ethereum tool knows.
    assert keccak256(b"transfer(address,uint256)")[:4].hex() == "a9059cbb"


def test_keccak256_is_not_sha3() -> None:
    assert keccak256(b"") != hashlib.sha3_256(b"").digest()


# --- Base58 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", ""),
        (b"hello world", "StV1DL6CwTryKyV"),
        (b"\x00\x00\x28\x7f\xb4\xcd", "11233QC4"),
        (b"\x00", "1"),
    ],
)
def test_b58encode(data: bytes, text: str) -> None:
    assert b58encode(data) == text
    if text:
        assert b58decode(text) == data


def test_b58check_genesis_address() -> None:
    payload = b58check_decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    assert payload.hex() == "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18"
    assert b58check_encode(payload) == "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("0OIl", "invalid Base58 character"),
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "bad Base58Check checksum"),
        ("11", "too short"),
    ],
)
def test_b58check_rejects(text: str, reason: str) -> None:
    with pytest.raises(Base58Error, match=reason):
        b58check_decode(text)


# --- Bech32 / Bech32m -------------------------------------------------------------------------

BIP173_VALID = [
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11" + "q" * 82 + "c8247j",  # exactly 90 characters, the maximum
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
]

BIP350_VALID = [
    "A1LQFN3A",
    "a1lqfn3a",
    "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
    "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
    "?1v759aa",
]


@pytest.mark.parametrize("text", BIP173_VALID)
def test_bech32_valid_vectors(text: str) -> None:
    hrp, data, encoding = bech32_decode(text)
    assert encoding is Encoding.BECH32
    assert bech32_encode(hrp, data, encoding) == text.lower()


@pytest.mark.parametrize("text", BIP350_VALID)
def test_bech32m_valid_vectors(text: str) -> None:
    hrp, data, encoding = bech32_decode(text)
    assert encoding is Encoding.BECH32M
    assert bech32_encode(hrp, data, encoding) == text.lower()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("\x201nwldj5", "invalid character"),  # HRP character out of range
        ("\x7f1axkwrx", "invalid character"),
        ("\x801eym55h", "invalid character"),
        ("a" * 84 + "1" + "qqqqqqqqq", "too long"),
        ("pzry9x0s0muk", "missing human-readable part"),  # no separator
        ("1pzry9x0s0muk", "missing human-readable part"),  # empty HRP
        ("x1b4n0q5v", "invalid Bech32 character 'b'"),
        ("li1dgmt3", "too short for a checksum"),
        ("A1G7SGD8", "bad Bech32 checksum"),  # checksum computed with upper-case HRP
        ("a12UEL5L", "mixed case"),
        ("a12uel5m", "bad Bech32 checksum"),
    ],
)
def test_bech32_invalid_vectors(text: str, reason: str) -> None:
    with pytest.raises(Bech32Error, match=reason):
        bech32_decode(text)


def test_decode_segwit_program() -> None:
    decoded = decode_segwit("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")
    assert (decoded.hrp, decoded.version) == ("bc", 0)
    assert decoded.program.hex() == "751e76e8199196d454941c45d1b3a323f1433bd6"
    assert encode_segwit("bc", 0, decoded.program) == "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"


def test_encode_segwit_taproot_roundtrip() -> None:
    address = "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
    decoded = decode_segwit(address)
    assert decoded.encoding is Encoding.BECH32M
    assert encode_segwit("bc", 1, decoded.program) == address


def test_convertbits_padding_rules() -> None:
    assert convertbits([0xFF], 8, 5, pad=True) == [31, 28]
    with pytest.raises(Bech32Error, match="non-zero padding"):
        convertbits([31, 29], 5, 8, pad=False)
    with pytest.raises(Bech32Error, match="value out of range"):
        convertbits([32], 5, 8, pad=False)
