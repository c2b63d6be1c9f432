"""Phone numbers to E.164 (the ``phone`` kind), using libphonenumber's metadata."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from normalise.errors import NormaliseError
from normalise.text import drop_format, json_type

_KIND = "phone"

# Characters people use to lay out a number. Anything else (letters, "call me", emoji) means the
# cell is not just a phone number, and libphonenumber's lenient extraction would silently drop it.
_LAYOUT = frozenset(" \t+-.()/\u2010\u2011\u2012\u2013\u2014\u2212\u00a0")

# A number written with ASCII digits, spaces, dots and dashes only (and maybe a leading
# "+") reads the same whatever its spacing: "091 938 2902", "091-938-2902" and
# "0919382902" are one number to libphonenumber. Such numbers are normalised once per
# compact form and region; sources repeat numbers in many layouts (call records).
_PLAIN = re.compile(r"\+?[0-9][0-9 .\-]*")
PLAIN_CACHE_SIZE = 65536

# libphonenumber's region code for non-geographic numbers (satellite, +800, +882, ...).
_NON_GEOGRAPHIC = "001"

_PARSE_REASONS = {
    NumberParseException.INVALID_COUNTRY_CODE: "invalid or missing country code",
    NumberParseException.NOT_A_NUMBER: "not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}

_POSSIBLE_REASONS = {
    ValidationResult.INVALID_COUNTRY_CODE: "invalid country code",
    ValidationResult.TOO_SHORT: "too short",
    ValidationResult.TOO_LONG: "too long",
    ValidationResult.INVALID_LENGTH: "invalid length",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "local-only number (area code missing?)",
}


@dataclass(frozen=True, slots=True)
class Phone:
    """A valid phone number.

    Attributes:
        e164: the number in E.164, e.g. ``"+639171234567"``.
        region: ISO 3166 alpha-2 country the number belongs to (per libphonenumber), or
            ``None`` for non-geographic numbers such as Iridium ``+8816…`` or Inmarsat ``+870…``.
        raw: the input exactly as given.
    """

    e164: str
    region: str | None
    raw: str


def normalise_phone(raw: str, region: str | None) -> Phone:
    """Normalise a phone number to E.164.

    ``region`` is the source's default ISO 3166 alpha-2 region, used to read national formats
    ("0917 123 4567" with ``"PH"``) and the region's international prefix ("011 84 …" with
    ``"CA"``). Numbers written with ``+`` or ``00`` need no region. Only numbers that
    libphonenumber considers *valid* (not merely possible) are accepted.

    Numbers with an extension ("ext. 12", "x12") are rejected rather than truncated: a PBX
    extension reaches a different person than the switchboard, so dropping it would link
    people who should not be linked. Vanity numbers with letters are rejected too.

    Raises:
        NormaliseError: with a reason such as "not a valid number", "too short" or
            "no region given for a local number".
    """
    if not isinstance(raw, str):
        raise NormaliseError(_KIND, raw, f"expected a string, got {type(raw).__name__}")
    region_code = _check_region(raw, region)
    # Numbers copied from right-to-left text carry direction marks (U+200E, U+202C...).
    plain = drop_format(raw).strip()
    if _PLAIN.fullmatch(plain):
        compact = plain.replace(" ", "").replace(".", "").replace("-", "")
        try:
            e164, owner = _plain_number(compact, region_code)
        except NormaliseError as error:
            raise NormaliseError(_KIND, raw, error.reason) from None
        return Phone(e164=e164, region=owner, raw=raw)
    return _normalise(raw, region_code, plain)


@lru_cache(maxsize=PLAIN_CACHE_SIZE)
def _plain_number(compact: str, region: str | None) -> tuple[str, str | None]:
    """(E.164, owning region) of a number in its compact form; errors are not cached."""
    phone = _normalise(compact, region)
    return phone.e164, phone.region


def _normalise(raw: str, region_code: str | None, text: str | None = None) -> Phone:
    """``raw`` (or its cleaned form ``text``) as a valid number in E.164."""
    text = unicodedata.normalize("NFKC", raw if text is None else text).strip()
    if text[:4].lower() == "tel:":
        text = text[4:].strip()
    if not text:
        raise NormaliseError(_KIND, raw, "empty")

    number = _parse(raw, text, region_code)
    if number.extension:
        raise NormaliseError(
            _KIND, raw, f"has an extension ({number.extension}); give the number without it"
        )
    _refuse_letters(raw, text)

    if not phonenumbers.is_valid_number(number):
        fallback = _international_00_fallback(text, region_code)
        if fallback is None:
            raise NormaliseError(_KIND, raw, _invalid_reason(number, region_code))
        number = fallback

    owner = phonenumbers.region_code_for_number(number)
    return Phone(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        region=None if owner in (None, _NON_GEOGRAPHIC) else owner,
        raw=raw,
    )


# An extension as libphonenumber reads one at the end of a number: "ext 5", "x12", "#3".
_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x|#)\s*[0-9]+\s*$", re.IGNORECASE)


def _refuse_letters(raw: str, text: str) -> None:
    """NormaliseError when `text` holds characters no phone number is written with."""
    bad = sorted({ch for ch in text if ch not in _LAYOUT and unicodedata.category(ch) != "Nd"})
    if bad:
        raise NormaliseError(
            _KIND, raw, f"contains characters that are not part of a number: {''.join(bad)!r}"
        )


def _check_region(raw: str, region: str | None) -> str | None:
    """Validate the default region; an empty string means no region."""
    if region is not None and not isinstance(region, str):
        raise NormaliseError(
            _KIND, raw, f"the region must be a string, not a JSON {json_type(region)}"
        )
    if region is None or not region.strip():
        return None
    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise NormaliseError(_KIND, raw, f"unknown region {region!r} (use ISO 3166 alpha-2)")
    return code


def _parse(raw: str, text: str, region: str | None) -> phonenumbers.PhoneNumber:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException as exc:
        if region is None and exc.error_type == NumberParseException.INVALID_COUNTRY_CODE:
            if text.startswith("+"):
                raise NormaliseError(_KIND, raw, "invalid country code") from None
            if _digits(text).startswith("00"):
                # "00" is the ITU-recommended international prefix, used by every partner
                # country except the NANP; without a region it is still unambiguous.
                return _parse(raw, "+" + _digits(text)[2:], None)
            # The real cause first: a handle such as maria_701262 is no number in any region
            # (an extension's "ext" is no such sign: the region is what is missing there).
            _refuse_letters(raw, _EXTENSION.sub("", text))
            raise NormaliseError(_KIND, raw, "no region given for a local number") from None
        reason = _PARSE_REASONS.get(exc.error_type, "not a phone number")
        raise NormaliseError(_KIND, raw, reason) from None


def _international_00_fallback(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    """Read a leading "00" as the international prefix when the region's own reading fails.

    Canada dials out with 011 and Singapore/Thailand have 00x carrier prefixes, so
    libphonenumber reads "00 84 91…" differently there. If that reading is not a valid number
    but "+84 91…" is, the "+" reading is the only valid one, so it is not a guess.
    """
    digits = _digits(text)
    if region is None or not digits.startswith("00") or text.lstrip().startswith("+"):
        return None
    try:
        number = phonenumbers.parse("+" + digits[2:], None)
    except NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _invalid_reason(number: phonenumbers.PhoneNumber, region: str | None) -> str:
    owner = phonenumbers.region_code_for_number(number)
    where = owner if owner and owner != _NON_GEOGRAPHIC else region
    suffix = f" for region {where}" if where else ""
    possible = phonenumbers.is_possible_number_with_reason(number)
    reason = _POSSIBLE_REASONS.get(possible, "not a valid number")
    return reason + suffix


def _digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) for ch in text if unicodedata.category(ch) == "Nd")
