"""Keccak-256 as used by Ethereum (original Keccak padding, not NIST SHA3-256)."""

from __future__ import annotations

_MASK = (1 << 64) - 1
_RATE_BYTES = 136  # 1600-bit state minus 2 * 256-bit capacity

_ROUND_CONSTANTS = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)  # fmt: skip

# Rotation offsets r[x][y] for lane (x, y), from the Keccak reference.
_ROTATIONS = (
    (0, 36, 3, 41, 18),
    (1, 44, 10, 45, 2),
    (62, 6, 43, 15, 61),
    (28, 55, 25, 21, 56),
    (27, 20, 39, 8, 14),
)


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK if shift else value


def _keccak_f(lanes: list[list[int]]) -> None:
    """Apply the Keccak-f[1600] permutation in place; ``lanes[x][y]`` is a 64-bit lane."""
    for rc in _ROUND_CONSTANTS:
        # theta
        c = [lanes[x][0] ^ lanes[x][1] ^ lanes[x][2] ^ lanes[x][3] ^ lanes[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rotl(c[(x + 1) % 5], 1) for x in range(5)]
        for x in range(5):
            for y in range(5):
                lanes[x][y] ^= d[x]
        # rho and pi
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rotl(lanes[x][y], _ROTATIONS[x][y])
        # chi
        for x in range(5):
            for y in range(5):
                lanes[x][y] = b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y])
        # iota
        lanes[0][0] ^= rc


def _sponge_256(data: bytes, domain: int) -> bytes:
    """Keccak[c=512] sponge with a 256-bit output; ``domain`` is the first padding byte."""
    padded = bytearray(data)
    padded.append(domain)
    padded.extend(b"\x00" * (-len(padded) % _RATE_BYTES))
    padded[-1] |= 0x80
    lanes = [[0] * 5 for _ in range(5)]
    for start in range(0, len(padded), _RATE_BYTES):
        block = padded[start : start + _RATE_BYTES]
        for i in range(_RATE_BYTES // 8):
            # Lane i of the block is lane (x, y) = (i % 5, i // 5), little-endian.
            lanes[i % 5][i // 5] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        _keccak_f(lanes)
    # The 256-bit digest is the first four lanes of the state, in lane order.
    return b"".join(lanes[i % 5][i // 5].to_bytes(8, "little") for i in range(4))


def keccak256(data: bytes) -> bytes:
    """Return the 32-byte Keccak-256 digest of ``data`` (Ethereum's hash)."""
    return _sponge_256(data, 0x01)


def sha3_256(data: bytes) -> bytes:
    """Return NIST SHA3-256 of ``data``; exists so tests can check the permutation vs hashlib."""
    return _sponge_256(data, 0x06)
