"""``exchange_transfers.csv``: on-chain transfers involving the exchange's customers.

The planted money flows (the ring's proceeds through the broker to the money cell and
its mules, the transport cell's payments) among background transfers; BTC, ETH and USDT
on Tron, UTC timestamps, USD values.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .cast import Cast
from .entities import Human, Wallet
from .identifiers import tx_hash
from .output import CsvRow, Output


def write(cast: Cast, output: Output, customers: list[Human]) -> None:
    """Transfers: the planted money flows and background noise among `customers`."""
    rng = cast.rng
    truth = output.entry(
        "exchange_transfers.csv",
        "mappings/exchange_transfers.yaml",
        "exchange_transfers",
        "On-chain transfers involving those customers (BTC, ETH, USDT on Tron), UTC "
        "timestamps, USD values.",
    )
    h = cast.humans
    price = {"BTC": 104_000.0, "ETH": 3_600.0, "USDT": 1.0}

    def w(key: str, chain: str) -> Wallet:
        return next(x for x in h[key].wallets if x.chain == chain)

    compound = [cast.mint.wallet("tron") for _ in range(2)]
    net2_payer = cast.mint.wallet("tron")
    flows: list[tuple[Wallet, Wallet, int, float, float]] = [
        (compound[0], w("N1-01", "tron"), 4, 8_000, 25_000),
        (compound[1], w("N1-01", "tron"), 2, 5_000, 15_000),
        (w("N1-01", "tron"), w("N1-11", "tron"), 5, 1_500, 6_000),
        (w("N1-11", "tron"), w("N1-02", "tron"), 3, 300, 1_200),
        (w("N1-11", "tron"), w("N1-07", "tron"), 3, 300, 1_000),
        # The broker launders the ring's money through the Canadian cell.
        (w("N1-01", "tron"), w("BR-01", "tron"), 4, 5_000, 12_000),
        (w("BR-01", "tron"), w("N3-02", "tron"), 4, 4_000, 10_000),
        (w("N3-02", "eth"), w("BR-01", "eth"), 2, 0.4, 1.2),
        (w("N3-02", "btc"), w("N3-03", "btc"), 4, 0.01, 0.05),
        (w("N3-02", "btc"), w("N3-04", "btc"), 4, 0.01, 0.05),
        (w("N3-02", "btc"), w("N3-05", "btc"), 3, 0.01, 0.05),
        (w("N3-02", "eth"), w("N3-08", "eth"), 3, 0.2, 0.8),
        (net2_payer, w("N2-01", "tron"), 5, 3_000, 9_000),
        (w("N2-01", "tron"), w("N2-09", "tron"), 4, 1_000, 4_000),
        (w("N2-09", "tron"), w("N2-02", "tron"), 3, 200, 800),
        (w("N2-09", "tron"), w("N2-03", "tron"), 3, 200, 800),
    ]
    by_chain: dict[str, list[Wallet]] = {"btc": [], "eth": [], "tron": []}
    for human in customers:
        for wallet in human.wallets:
            by_chain[wallet.chain].append(wallet)
    for chain, wallets in by_chain.items():
        externals = [
            cast.mint.wallet(chain, rng.pick(("p2pkh", "p2sh", "p2wpkh"))) for _ in range(12)
        ]
        scale = {"btc": (0.002, 0.3), "eth": (0.05, 3.0), "tron": (50.0, 5_000.0)}[chain]
        for _ in range({"btc": 70, "eth": 60, "tron": 120}[chain]):
            a = rng.pick(wallets)
            b = rng.pick([x for x in wallets + externals if x != a])
            if rng.random() < 0.5:
                a, b = b, a
            flows.append((a, b, 1, *scale))
    rows: list[CsvRow] = []
    for source, target, count, low, high in flows:
        for _ in range(count):
            when = rng.moment(hours=(0, 23)).replace(tzinfo=UTC)
            amount = rng.uniform(low, high)
            asset = source.asset
            digits = {"BTC": 8, "ETH": 6, "USDT": 2}[asset]
            text = f"{amount:.{digits}f}"
            tx = tx_hash(rng, source.chain)
            if source.chain == "btc":
                tx += f":{rng.randrange(3)}"
            rows.append(
                (
                    when,
                    [
                        tx,
                        source.chain.upper() if source.chain != "tron" else "TRON",
                        asset,
                        source.address,
                        target.address,
                        text,
                        f"{float(text) * price[asset]:.2f}",
                        when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    ],
                    None,
                )
            )
    # Bad records: a thousands separator in the amount, a transaction without its hash.
    n1, br = w("N1-01", "tron"), w("BR-01", "tron")
    when = datetime(2025, 9, 3, 4, 12, 55, tzinfo=UTC)
    rows.append(
        (
            when,
            [
                tx_hash(rng, "tron"),
                "TRON",
                "USDT",
                n1.address,
                br.address,
                "1,250.00",
                "1250.00",
                when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            ],
            "ambiguous amount '1,250.00' (thousands or decimal separator?)",
        )
    )
    when = datetime(2025, 9, 30, 19, 40, 2, tzinfo=UTC)
    rows.append(
        (
            when,
            [
                "",
                "TRON",
                "USDT",
                n1.address,
                br.address,
                "980.00",
                "980.00",
                when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            ],
            "missing required value: no transaction hash",
        )
    )
    header = [
        "tx_id",
        "network",
        "asset",
        "from_address",
        "to_address",
        "amount",
        "amount_usd",
        "block_time",
    ]
    output.write_csv(truth, header, rows)
