"""The three seized phones: whose they were, when, and whom their owners talked to.

The seized phones renderer turns each into address-book entries and chat messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .cast import Cast
from .entities import Phone

# An account handle as the phone stores it: a phone-based one (WhatsApp) as the number.
Handle = str | Phone


@dataclass(frozen=True)
class Device:
    """One seized phone and what is on it."""

    owner: str  # the owner's key in the cast
    region: str  # the country of the phone's SIM, which decides how numbers are written
    zone: str  # the time zone its messages are dated in
    seized: date
    since: date  # the oldest message kept
    owner_accounts: dict[str, Handle]  # app -> the owner's own handle
    # (key, name the contact is saved as, app -> handle, which of their phones is saved)
    contacts: list[tuple[str, str, dict[str, Handle], int]]
    talk: dict[str, list[tuple[str, int]]]  # key -> (app, messages) threads with the owner
    leaf_app: str  # the app the owner's family and friends are reached on


def devices(cast: Cast) -> dict[str, Device]:
    """The three seized phones by exhibit number, in order of seizure."""
    h = cast.humans
    fb = "https://www.facebook.com/"
    return {
        "EXH-2025-0821-A": Device(
            owner="N1-06",
            region="VN",
            zone="Asia/Ho_Chi_Minh",
            seized=date(2025, 8, 21),
            since=date(2025, 5, 10),
            owner_accounts={
                "zalo": "0" + h["N1-06"].phones[0].nsn,
                "telegram": "@tuan_sg_logistics",
                "whatsapp": h["N1-06"].phones[0],
                "facebook": fb + "tuan.tran.9127",
            },
            contacts=[
                (
                    "N1-01",
                    "Anh Mon (sếp PH)",
                    {"telegram": "@ramon_dz", "whatsapp": h["N1-01"].phones[1]},
                    1,
                ),
                ("N1-02", "Chị Maricel", {"telegram": "@maricel_hr"}, 0),
                ("N1-07", "Nhung tuyển dụng", {"zalo": "0" + h["N1-07"].phones[0].nsn}, 0),
                ("N1-08", "Khoa Cần Thơ", {"zalo": "0" + h["N1-08"].phones[0].nsn}, 0),
                ("N1-09", "Bảo tài xế", {"zalo": "0" + h["N1-09"].phones[0].nsn}, 0),
                ("N1-10", "Chị Lan giấy tờ", {"zalo": "0" + h["N1-10"].phones[0].nsn}, 0),
                ("BR-01", "Minh Canada", {"telegram": "@minh_to_ca"}, 0),
            ],
            talk={
                "N1-01": [("telegram", 45), ("whatsapp", 10)],
                "N1-02": [("telegram", 20)],
                "N1-07": [("zalo", 40)],
                "N1-08": [("zalo", 30)],
                "N1-09": [("zalo", 25)],
                "N1-10": [("zalo", 35)],
                "BR-01": [("telegram", 22)],
            },
            leaf_app="zalo",
        ),
        "EXH-2025-0912-C": Device(
            owner="N2-02",
            region="TH",
            zone="Asia/Bangkok",
            seized=date(2025, 9, 12),
            since=date(2025, 6, 1),
            owner_accounts={"line": "anan.hy2024", "whatsapp": h["N2-02"].phones[0]},
            contacts=[
                ("N2-01", "พี่ชาย ใหญ่", {"line": "somchai.k88"}, 0),
                ("N2-03", "Wichai รถตู้", {"line": "wichai_van"}, 0),
                ("N2-04", "พี่มาลี บ้านพัก", {"line": "malee.bm"}, 0),
                ("N2-05", "Bang Ahmad boat", {"whatsapp": h["N2-05"].phones[0]}, 0),
                ("N2-07", "Prasert ด่าน", {"line": "prasert.cy"}, 0),
            ],
            talk={
                "N2-01": [("line", 50)],
                "N2-03": [("line", 30)],
                "N2-04": [("line", 25)],
                "N2-05": [("whatsapp", 20)],
                "N2-07": [("line", 28)],
            },
            leaf_app="line",
        ),
        "EXH-2025-1028-B": Device(
            owner="N3-01",
            region="CA",
            zone="America/Toronto",
            seized=date(2025, 10, 28),
            since=date(2025, 6, 15),
            owner_accounts={"whatsapp": h["N3-01"].phones[0], "telegram": "@k_tran_prints"},
            contacts=[
                ("N3-02", "JL", {"whatsapp": h["N3-02"].phones[0]}, 0),
                ("N3-06", "Rico", {"whatsapp": h["N3-06"].phones[0]}, 0),
                ("N3-07", "Olena print shop", {"telegram": "@olena_k_docs"}, 0),
                ("N3-08", "Priya N", {"whatsapp": h["N3-08"].phones[0]}, 0),
                (
                    "BR-01",
                    "Mike H",
                    {"whatsapp": h["BR-01"].phones[0], "telegram": "@minh_to_ca"},
                    0,
                ),
            ],
            talk={
                "N3-02": [("whatsapp", 40)],
                "N3-06": [("whatsapp", 25)],
                "N3-07": [("telegram", 30)],
                "N3-08": [("whatsapp", 25)],
                "BR-01": [("whatsapp", 20), ("telegram", 8)],
            },
            leaf_app="whatsapp",
        ),
    }
