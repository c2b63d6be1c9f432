"""``exchange_kyc.csv``: a crypto exchange's KYC customer list (law-enforcement return).

Each row ties a customer, by the identity document given at sign-up, to one of the
customer's deposit/withdrawal addresses. CSV with a UTF-8 byte-order mark.
"""

from __future__ import annotations

from .cast import Cast
from .entities import Human
from .output import CsvRow, Output
from .spelling import doc_id


def write(cast: Cast, output: Output) -> list[Human]:
    """The exchange's customers and their addresses; returns its background customers.

    The transfers are drawn among the addresses of the customers returned (the two
    customers added for the planted bad addresses are left out of them).
    """
    rng = cast.rng
    kyc = output.entry(
        "exchange_kyc.csv",
        "mappings/exchange_kyc.yaml",
        "exchange_kyc",
        "KYC records of a crypto exchange: customer identity document and the "
        "customer's deposit/withdrawal addresses (CSV with a UTF-8 byte-order mark).",
    )
    h = cast.humans
    # Which document each planted customer gave (merging with other sources by it).
    docs = {
        "N1-01": "passport",
        "N1-11": "passport",
        "N1-02": "nid",
        "N1-07": "nid",
        "N2-01": "passport",
        "N2-09": "nid",
        "N2-02": "nid",
        "N2-03": "nid",
        "N3-02": "passport",
        "N3-03": "dl",
        "N3-04": "dl",
        "N3-05": "dl",
        "N3-08": "dl",
        "BR-01": "passport",
    }
    rows: list[CsvRow] = []
    uid = 0

    def customer(
        human: Human, kind: str, bad: dict[str, str] | None = None, reason: str | None = None
    ) -> None:
        nonlocal uid
        uid += 1
        number = human.passport if kind == "passport" else human.nid
        assert number is not None
        if human.nationality == "TH" and kind == "nid":
            number = number.replace(" ", "")
        for wallet in human.wallets:
            address = (bad or {}).get(wallet.chain, wallet.address)
            rows.append(
                (
                    (uid, wallet.chain),
                    [
                        f"CUS-{7000 + uid * 13}",
                        human.plain if human.nationality in ("TH", "VN") else human.name,
                        human.nationality,
                        kind,
                        number,
                        human.nationality,
                        human.birth.isoformat(),
                        wallet.chain.upper() if wallet.chain != "tron" else "TRC20",
                        address,
                    ],
                    reason if wallet.chain in (bad or {}) else None,
                )
            )
            if not bad or wallet.chain not in bad:
                cast.note_id(human, doc_id(kind, human.nationality, number))

    for key, kind in docs.items():
        customer(h[key], kind)
    with_wallets = [x for x in cast.unrelated() if x.wallets]
    for human in with_wallets:
        if rng.random() < 0.5:
            customer(human, "passport")
        else:
            customer(human, human.nid_type)
    # Bad records: an Ethereum address with one letter's case flipped (EIP-55 fails),
    # a Tron address with a mistyped character (Base58Check fails).
    eth_person = cast.add_human("BG-301", "background", "unrelated", "SG", "M", "Singapore")
    eth_person.wallets.append(cast.mint.wallet("eth"))
    good = eth_person.wallets[0].address
    flip = next(i for i, ch in enumerate(good) if i > 2 and ch.isalpha())
    customer(
        eth_person,
        "passport",
        {"eth": good[:flip] + good[flip].swapcase() + good[flip + 1 :]},
        "bad EIP-55 checksum (one letter's case changed)",
    )
    tron_person = cast.add_human("BG-302", "background", "unrelated", "VN", "F", "Hà Nội")
    tron_person.wallets.append(cast.mint.wallet("tron"))
    good = tron_person.wallets[0].address
    typo = good[:10] + ("x" if good[10] != "x" else "y") + good[11:]
    customer(tron_person, "nid", {"tron": typo}, "bad Base58Check checksum (a typo)")
    header = [
        "customer_uid",
        "full_name",
        "nationality",
        "doc_type",
        "doc_number",
        "doc_country",
        "date_of_birth",
        "network",
        "address",
    ]
    output.write_csv(kyc, header, rows)
    output.data[kyc.name] = b"\xef\xbb\xbf" + output.data[kyc.name]
    return with_wallets
