"""How sources write things: phone numbers in each country's styles, passport names, ids.

A source writes a number of its own country in one of the national styles, and a foreign
number in one of the international ones (with the exit code its country dials). Every
rendering is checked to normalise back to the same number with linkgraph's own
normaliser, so the demo never plants an unreadable number by accident.
"""

from __future__ import annotations

import random
import unicodedata

from normalise import NormaliseError, normalise_phone

from .entities import Phone


def ascii_upper(text: str) -> str:
    """Passport-style Latin capitals: diacritics dropped, Đ as D."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()


def doc_id(scheme: str, country: str, number: str) -> str:
    """The Person id linkgraph gives an identity document: its letters and digits."""
    return f"{scheme}:{country}:{''.join(c for c in number.upper() if c.isalnum())}"


def national_forms(phone: Phone) -> list[str]:
    """How people of the number's own country write it."""
    n = phone.nsn
    forms = {
        "VN": [
            f"0{n[:3]} {n[3:6]} {n[6:]}",
            f"0{n[:2]}.{n[2:5]}.{n[5:]}",
            f"0{n}",
            f"0{n[:2]}-{n[2:5]}-{n[5:]}",
            f"+84 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}",
            f"(+84) {n[:3]} {n[3:6]} {n[6:]}",
            f"0084{n}",
        ],
        "PH": [
            f"0{n[:3]} {n[3:6]} {n[6:]}",
            f"0{n[:3]}-{n[3:6]}-{n[6:]}",
            f"(0{n[:3]}) {n[3:6]}-{n[6:]}",
            f"+63 {n[:3]} {n[3:6]} {n[6:]}",
            f"+63-{n[:3]}-{n[3:6]}-{n[6:]}",
            f"0063 {n[:3]} {n[3:6]} {n[6:]}",
            f"0{n}",
        ],
        "TH": [
            f"0{n[:2]}-{n[2:5]}-{n[5:]}",
            f"0{n[:1]} {n[1:5]} {n[5:]}",
            f"+66 {n[:2]} {n[2:5]} {n[5:]}",
            f"0066 {n[:2]} {n[2:5]} {n[5:]}",
            f"0{n}",
        ],
        "BD": [f"0{n[:4]}-{n[4:]}", f"+880 {n[:4]}-{n[4:]}", f"00880 {n[:4]} {n[4:]}", f"0{n}"],
        "SG": [f"{n[:4]} {n[4:]}", f"+65 {n[:4]} {n[4:]}", f"+65-{n[:4]}-{n[4:]}", n],
        "MY": [
            f"0{n[:2]}-{n[2:5]} {n[5:]}",
            f"+60 {n[:2]}-{n[2:5]} {n[5:]}",
            f"0060 {n[:2]} {n[2:5]} {n[5:]}",
            f"0{n}",
        ],
        "CA": [
            f"({n[:3]}) {n[3:6]}-{n[6:]}",
            f"{n[:3]}-{n[3:6]}-{n[6:]}",
            f"{n[:3]}.{n[3:6]}.{n[6:]}",
            f"1-{n[:3]}-{n[3:6]}-{n[6:]}",
            f"+1 {n[:3]} {n[3:6]} {n[6:]}",
            n,
        ],
    }
    if phone.region == "PH" and n.startswith("28"):
        return [
            f"(02) {n[1:5]} {n[5:]}",
            f"+63 2 {n[1:5]} {n[5:]}",
            f"02-{n[1:5]}-{n[5:]}",
            f"(02) {n[1:5]}-{n[5:]}",
        ]
    return forms[phone.region]


def international_forms(phone: Phone, source_region: str | None) -> list[str]:
    """How a number of another country is written (from `source_region`)."""
    n, cc = phone.nsn, phone.cc
    forms = [f"+{cc} {n}", f"+{cc}{n}", f"+{cc} {n[:3]} {n[3:6]} {n[6:]}"]
    if source_region == "CA":
        forms += [f"011 {cc} {n}", f"011{cc}{n}"]
    elif source_region is not None:
        forms += [f"00{cc} {n}", f"00{cc}{n}"]
    return forms


def forms_for(phone: Phone, source_region: str | None) -> list[str]:
    """Every way a source of `source_region` may write the number (None: no country)."""
    if source_region == phone.region:
        return national_forms(phone)
    return international_forms(phone, source_region)


def render_form(phone: Phone, source_region: str | None, form: int) -> str:
    """The number in form `form`, or the next of its forms that normalises back."""
    # Not every style suits every number (a style may cut an area code wrongly), and the
    # demo plants unreadable numbers only on purpose, so a style that fails is skipped.
    forms = forms_for(phone, source_region)
    for offset in range(len(forms)):
        text = forms[(form + offset) % len(forms)]
        try:
            if normalise_phone(text, source_region).e164 == phone.e164:
                return text
        except NormaliseError:
            continue
    raise AssertionError(f"no valid rendering of {phone.e164} from {source_region}")


def render(rng: random.Random, phone: Phone, source_region: str | None) -> str:
    """The number as a source of `source_region` writes it, in a form drawn at random."""
    return render_form(phone, source_region, rng.randrange(len(forms_for(phone, source_region))))


def e164_spaced(phone: Phone) -> str:
    """International form as messaging apps show it."""
    return render_form(phone, None, 2)
