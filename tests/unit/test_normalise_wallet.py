"""Unit tests for normalise.wallet."""

from __future__ import annotations

import pytest

from normalise import NormaliseError, Wallet, normalise_wallet
from normalise.wallet import canonical_chain, eip55_checksum

GENESIS = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
USDT_TRC20 = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"

# EIP-55 examples from the EIP itself.
EIP55_VECTORS = [
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]


def test_bitcoin_genesis_address() -> None:
    assert normalise_wallet(GENESIS) == Wallet(
        chain="btc", address=GENESIS, id=f"btc:{GENESIS}", raw=GENESIS, address_type="p2pkh"
    )


@pytest.mark.parametrize(
    ("raw", "address", "address_type"),
    [
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "p2pkh"),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "p2sh"),
        # BIP-173 mainnet examples
        (
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
            "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
            "p2wpkh",
        ),
        (
            "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
            "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
            "p2wsh",
        ),
        # BIP-350 mainnet examples
        (
            "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
            "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
            "segwit-v1",
        ),
        ("BC1SW50QGDZ25J", "bc1sw50qgdz25j", "segwit-v16"),
        (
            "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
            "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
            "segwit-v2",
        ),
        (
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
            "p2tr",
        ),
    ],
)
def test_bitcoin_valid(raw: str, address: str, address_type: str) -> None:
    wallet = normalise_wallet(raw)
    assert (wallet.chain, wallet.address, wallet.address_type) == ("btc", address, address_type)
    assert wallet.id == f"btc:{address}"
    assert normalise_wallet(raw, "bitcoin") == wallet


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        # Corrupted legacy addresses
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "bad Base58Check checksum"),
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN", "bad Base58Check checksum"),
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", "invalid Base58 character '0'"),
        ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNl", "invalid Base58 character 'l'"),
        ("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", "testnet"),
        # BIP-350 invalid addresses
        (
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
            "witness v1 must use Bech32m",
        ),
        (
            "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
            "witness v16 must use Bech32m",
        ),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "witness v0 must use Bech32,"),
        (
            "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
            "invalid Bech32 character 'o'",
        ),
        (
            "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
            "invalid witness version 17",
        ),
        ("bc1pw5dgrnzv", "invalid witness program length 1"),
        (
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
            "invalid witness program length 41",
        ),
        ("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "invalid v0 witness program length 16"),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", "mixed case"),
        (
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
            "too much padding",
        ),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j", "bad Bech32 checksum"),
        ("bc1gmk9yu", "missing witness version"),
        # A one-character typo in a valid address
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "bad Bech32 checksum"),
        # Testnet
        ("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "not a Bitcoin mainnet address"),
    ],
)
def test_bitcoin_invalid(raw: str, reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason) as info:
        normalise_wallet(raw)
    assert info.value.kind == "wallet"
    assert info.value.value == raw


@pytest.mark.parametrize("raw", EIP55_VECTORS)
def test_ethereum_eip55_vectors(raw: str) -> None:
    wallet = normalise_wallet(raw)
    assert wallet.chain == "eth"
    assert wallet.address == raw.lower()
    assert wallet.id == f"eth:{raw.lower()}"
    assert wallet.address_type == "account"


@pytest.mark.parametrize("raw", EIP55_VECTORS[4:])
def test_eip55_checksum_reproduces_vectors(raw: str) -> None:
    assert eip55_checksum(raw.lower()) == raw


def test_ethereum_case_variants_share_an_id() -> None:
    checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    ids = {
        normalise_wallet(form).id
        for form in (checksummed, checksummed.lower(), "0x" + checksummed[2:].upper())
    }
    assert ids == {"eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "bad EIP-55 checksum"),  # one case flipped
        ("0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "bad EIP-55 checksum"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", "40 hex digits"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd", "40 hex digits"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", "40 hex digits"),
        ("0X52908400098527886E0F7030069857D2E4169EE7", "must start with 0x"),
    ],
)
def test_ethereum_invalid(raw: str, reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason):
        normalise_wallet(raw)


def test_ethereum_without_prefix_is_rejected_even_with_chain() -> None:
    with pytest.raises(NormaliseError, match="must start with 0x"):
        normalise_wallet("52908400098527886E0F7030069857D2E4169EE7", "eth")


def test_tron_usdt_contract() -> None:
    assert normalise_wallet(USDT_TRC20) == Wallet(
        chain="tron",
        address=USDT_TRC20,
        id=f"tron:{USDT_TRC20}",
        raw=USDT_TRC20,
        address_type="base58",
    )


@pytest.mark.parametrize(
    "raw",
    ["41a614f803b6fd780986a42c78ec9c7f77e6ded13c", "0x41a614f803b6fd780986a42c78ec9c7f77e6ded13c"],
)
def test_tron_hex_form_needs_explicit_chain(raw: str) -> None:
    assert normalise_wallet(raw, "TRC20").address == USDT_TRC20
    with pytest.raises(NormaliseError):
        normalise_wallet(raw)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u", "bad Base58Check checksum"),
        ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6", "bad Base58Check checksum"),
        ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLjOt", "invalid Base58 character 'O'"),
    ],
)
def test_tron_invalid(raw: str, reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason):
        normalise_wallet(raw, "tron")


@pytest.mark.parametrize(
    ("alias", "chain"),
    [
        ("bitcoin", "btc"),
        ("BTC", "btc"),
        (" Bitcoin ", "btc"),
        ("ethereum", "eth"),
        ("ETH", "eth"),
        ("erc20", "eth"),
        ("ERC-20", "eth"),
        ("trx", "tron"),
        ("TRC20", "tron"),
        ("tron", "tron"),
    ],
)
def test_chain_aliases(alias: str, chain: str) -> None:
    assert canonical_chain(alias) == chain


@pytest.mark.parametrize("chain", ["bsc", "bep20", "polygon", "litecoin", "sol"])
def test_unknown_chain(chain: str) -> None:
    with pytest.raises(NormaliseError, match="unknown chain"):
        normalise_wallet(GENESIS, chain)


@pytest.mark.parametrize(
    ("raw", "chain", "reason"),
    [
        (GENESIS, "eth", "must start with 0x"),
        (GENESIS, "tron", "a btc address, not tron"),
        (USDT_TRC20, "btc", "a tron address, not btc"),
        (EIP55_VECTORS[0], "btc", "a eth address, not btc"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "trx", "a btc address, not tron"),
    ],
)
def test_chain_mismatch(raw: str, chain: str, reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason):
        normalise_wallet(raw, chain)


def test_blank_chain_means_detect() -> None:
    assert normalise_wallet(GENESIS, "  ").chain == "btc"


def test_bip21_uri() -> None:
    wallet = normalise_wallet(f"bitcoin:{GENESIS}?amount=0.1&label=x")
    assert wallet.address == GENESIS
    with pytest.raises(NormaliseError):
        normalise_wallet(f"bitcoin:{GENESIS}", "eth")


def test_surrounding_whitespace_is_ignored() -> None:
    assert normalise_wallet(f"  {GENESIS}\n").address == GENESIS


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("1A1zP1eP5QGefi2DMP TfTL5SLmv7DivfNa", "contains whitespace"),
        ("hello", "unrecognised address"),
        # A valid Base58Check string with an unknown version byte (Litecoin L-address).
        ("LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9", "unknown Base58Check version byte 0x30"),
    ],
)
def test_other_rejects(raw: str, reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason):
        normalise_wallet(raw)


def test_unknown_chain_error_names_the_address() -> None:
    with pytest.raises(NormaliseError) as info:
        normalise_wallet(GENESIS, "dogecoin")
    assert info.value.value == GENESIS
    assert "dogecoin" in info.value.reason


def test_tron_address_beginning_like_bech32_with_chain() -> None:
    # Base58 Tron addresses can begin "TB1", which reads as a Bech32 testnet prefix.
    raw = "TB1hc8Yy7ZvTJH6C3VfDNiHnSbXjexbZoN"
    assert normalise_wallet(raw, chain="tron").id == f"tron:{raw}"
