"""``job_adverts.jsonl``: recruitment adverts scraped from Facebook groups and job boards.

The ring's fake "customer service in Bangkok" adverts share its recruitment line, its HR
Telegram account and its page; a licensed agency's hotline, given by its staff (most of
whom add their own WhatsApp number) and once by a ring recruiter, is the hub; other
posters advertise ordinary jobs. Epoch times.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from .cast import FB_PAGE, HR_TELEGRAM, Cast
from .chance import side_stream
from .entities import Human
from .output import JsonLine, Output
from .spelling import ascii_upper, e164_spaced, render
from .world import ZONES


def write(cast: Cast, output: Output) -> None:
    """Scraped online job adverts: the poster, the contact phone and the accounts."""
    rng = cast.rng
    truth = output.entry(
        "job_adverts.jsonl",
        "mappings/job_adverts.yaml",
        "job_adverts",
        "Job adverts scraped from Facebook groups and job boards (JSON Lines, epoch "
        "times): poster, contact phone and messaging accounts.",
    )
    h = cast.humans
    lines: list[JsonLine] = []
    serial = 0
    scam_titles = {
        "PH": (
            "URGENT HIRING: Customer Service Representative - Bangkok, 35,000 THB/month",
            "Chat support agent (English) in Thailand - free flight + accommodation",
            "Work abroad! Online marketing staff, Bangkok, no experience needed",
        ),
        "VN": (
            "Tuyển gấp nhân viên CSKH tại Bangkok, lương 1.500 USD, bao vé máy bay",
            "Việc nhẹ lương cao: trực page tiếng Anh tại Thái Lan, bao ăn ở",
            "Tuyển nhân viên telesale đi Thái Lan, không cần kinh nghiệm",
        ),
    }
    normal_titles = {
        "PH": (
            "Domestic helper for Hong Kong family, direct hire",
            "Factory workers for Taiwan electronics plant (male/female)",
            "Caregiver - Canada, LMIA approved employer",
            "Hotel housekeeping - Dubai",
            "Construction workers for Saudi Arabia, POEA licensed",
        ),
        "VN": (
            "Tuyển thực tập sinh đi Nhật Bản ngành chế biến thực phẩm",
            "Tuyển lao động đi Đài Loan, nhà máy điện tử",
            "Tuyển nhân viên phục vụ nhà hàng tại Quận 1",
        ),
        "TH": (
            "รับสมัครพนักงานโรงงาน ชลบุรี",
            "Waiter/waitress wanted, Phuket beach club",
            "รับสมัครแม่บ้าน โรงแรม กรุงเทพฯ",
        ),
    }
    sites = {
        "PH": ("facebook_group", "trabaho-now.ph"),
        "VN": ("facebook_group", "vieclam-nhanh.vn"),
        "TH": ("facebook_group", "bkk-jobs.co"),
    }

    def add(
        poster: Human,
        poster_id: str,
        country: str,
        title: str,
        phone: str | None,
        telegram: str | None = None,
        whatsapp: str | None = None,
        zalo: str | None = None,
        profile: str | None = None,
        bad: str | None = None,
        raw: str | None = None,
    ) -> None:
        nonlocal serial
        serial += 1
        posted = rng.moment(date(2025, 5, 15), date(2025, 10, 1))
        zone = ZoneInfo(ZONES.get(country, "Asia/Bangkok"))
        epoch = int(posted.replace(tzinfo=zone).timestamp())
        site = poster_id.split(":", 1)[0]
        record = {
            "ad_id": f"AD-{serial:05d}",
            "site": site,
            "url": f"https://{site if '.' in site else 'facebook.com/groups'}/"
            f"{serial * 7919 % 100000:05d}",
            "posted_at": epoch,
            "scraped_at": epoch + rng.randint(600, 86400),
            "title": title,
            "location": {"country": country},
            "poster": {
                "id": poster_id,
                "name": poster.name if country != "TH" else poster.plain,
                "profile_url": profile,
            },
            "contact": {
                "phone": phone,
                "telegram": telegram,
                "whatsapp": whatsapp,
                "zalo": zalo,
            },
        }
        lines.append((epoch, raw if raw is not None else record, bad))
        if bad is None:
            cast.note_id(poster, f"job_adverts:{poster_id}")

    fb = "https://www.facebook.com/"
    line, hr = cast.recruitment_line, "@" + HR_TELEGRAM
    page = FB_PAGE
    plan: list[tuple[str, str, str, int, Callable[[], dict[str, str]]]] = [
        (
            "N1-02",
            "facebook_group:100071234508812",
            "PH",
            6,
            lambda: {
                "phone": render(rng, line, "PH"),
                "telegram": hr,
                "profile": fb + "maricel.santos.5581",
            },
        ),
        (
            "N1-12",
            "facebook_group:100064417730295",
            "PH",
            5,
            lambda: {"phone": render(rng, line, "PH"), "telegram": hr, "profile": page},
        ),
        (
            "N1-03",
            "trabaho-now.ph:u88213",
            "PH",
            3,
            lambda: {
                "phone": render(rng, h["N1-03"].phones[0], "PH"),
                "whatsapp": e164_spaced(h["N1-03"].phones[0]),
            },
        ),
        (
            "N1-04",
            "facebook_group:100082290017463",
            "PH",
            3,
            lambda: {
                "phone": render(rng, h["N1-04"].phones[0], "PH"),
                "profile": fb + "liezel.penaflor.31",
            },
        ),
        (
            "N1-07",
            "vieclam-nhanh.vn:nhung.hr",
            "VN",
            4,
            lambda: {
                "phone": render(rng, h["N1-07"].phones[0], "VN"),
                "zalo": "https://zalo.me/0" + h["N1-07"].phones[0].nsn,
            },
        ),
        (
            "N1-08",
            "facebook_group:100090012884537",
            "VN",
            3,
            lambda: {
                "phone": render(rng, h["N1-08"].phones[0], "VN"),
                "telegram": hr,
                "zalo": "0" + h["N1-08"].phones[0].nsn,
            },
        ),
    ]
    for key, poster_id, country, many, contact in plan:
        for _ in range(many):
            add(h[key], poster_id, country, rng.pick(scam_titles[country]), **contact())
    # The hub: a licensed agency's hotline, given by its staff and by one ring member.
    # Most staff also give their own mobile for WhatsApp ("or WhatsApp Ronaldo on ...").
    agency_staff = [cast.humans[key] for key in cast.agency_staff]
    own_mobile = side_stream("agency_staff")
    for i, staff in enumerate(agency_staff):
        mobile = e164_spaced(staff.phones[0]) if own_mobile.random() < 0.75 else None
        for _ in range(rng.randint(1, 2)):
            add(
                staff,
                f"trabaho-now.ph:gb{1040 + i}",
                "PH",
                rng.pick(normal_titles["PH"]),
                render(rng, cast.hub_phone, "PH"),
                whatsapp=mobile,
                profile=f"{fb}{ascii_upper(staff.given).split()[0].lower()}."
                f"{ascii_upper(staff.family).replace(' ', '').lower()}.gbms{i}",
            )
    add(
        h["N1-03"],
        "trabaho-now.ph:u88213",
        "PH",
        rng.pick(scam_titles["PH"]),
        render(rng, cast.hub_phone, "PH"),
    )
    cast.hub_person_ids = [
        *sorted(f"job_adverts:trabaho-now.ph:gb{1040 + i}" for i in range(len(agency_staff))),
        "job_adverts:trabaho-now.ph:u88213",
    ]
    # Other background posters with their own phones.
    others = [
        x
        for x in cast.unrelated()
        if x.nationality in ("PH", "VN", "TH") and x.key not in cast.agency_staff
    ]
    for i, poster in enumerate(rng.sample(others, 22)):
        country = poster.nationality
        site = rng.pick(sites[country])
        user = "1000" + rng.digits(11) if site == "facebook_group" else f"u{20000 + i * 37}"
        poster_id = f"{site}:{user}"
        for _ in range(rng.randint(1, 3)):
            extra: dict[str, str | None] = {}
            if country == "VN" and rng.random() < 0.5:
                extra["zalo"] = "0" + poster.phones[0].nsn
            elif rng.random() < 0.4:
                extra["whatsapp"] = e164_spaced(poster.phones[0])
            add(
                poster,
                poster_id,
                country,
                rng.pick(normal_titles[country]),
                render(rng, poster.phones[0], country),
                **extra,
            )
    # Bad records: letters in the phone number, and a line the scraper cut short.
    add(
        h["N1-04"],
        "facebook_group:100082290017463",
        "PH",
        scam_titles["PH"][0],
        "0917-CALL-NOW",
        bad="letters in the contact phone number",
    )
    add(
        h["N1-12"],
        "facebook_group:100064417730295",
        "PH",
        scam_titles["PH"][1],
        None,
        bad="truncated JSON line",
        raw='{"ad_id": "AD-TRUNC", "site": "facebook_group", '
        '"title": "URGENT HIRING: Chat support agent (English) in Thai',
    )
    output.write_jsonl(truth, lines)
