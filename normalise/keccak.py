"""Keccak-256 as used by Ethereum (original Keccak padding, not NIST SHA3-256).

pycryptodome's compiled Keccak: a pure-Python sponge cost ~370 us per address,
a third of the mapping time of a wallet-heavy load (bench/ingest).
"""

from __future__ import annotations

from Crypto.Hash import keccak


def keccak256(data: bytes) -> bytes:
    """The 32-byte Keccak-256 digest of `data`."""
    return keccak.new(digest_bits=256, data=data).digest()
