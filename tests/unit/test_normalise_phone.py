"""Unit tests for normalise.phone."""

from __future__ import annotations

import pytest

from normalise import NormaliseError, Phone, normalise_phone

# Canadian test numbers use 555-01xx, which NANP reserves for fiction; libphonenumber
# still treats them as valid numbers, so no real subscriber appears in these tests.


@pytest.mark.parametrize(
    ("raw", "region", "e164", "owner"),
    [
        # Philippines
        ("0917 123 4567", "PH", "+639171234567", "PH"),
        ("0917-123-4567", "PH", "+639171234567", "PH"),
        ("0917.123.4567", "PH", "+639171234567", "PH"),
        ("+63 917 123 4567", None, "+639171234567", "PH"),
        ("0063 917 123 4567", None, "+639171234567", "PH"),
        ("(02) 8123 4567", "PH", "+63281234567", "PH"),
        # Vietnam
        ("+84 91 234 56 78", None, "+84912345678", "VN"),
        ("091 234 5678", "VN", "+84912345678", "VN"),
        ("0912.345.678", "VN", "+84912345678", "VN"),
        ("0084 91 234 56 78", "VN", "+84912345678", "VN"),
        ("028 3823 4567", "VN", "+842838234567", "VN"),
        ("+84 (0) 91 234 56 78", None, "+84912345678", "VN"),
        # Bangladesh
        ("01712-345678", "BD", "+8801712345678", "BD"),
        ("+880 1712-345678", None, "+8801712345678", "BD"),
        ("00880 1712 345678", "BD", "+8801712345678", "BD"),
        ("02-9876543", "BD", "+88029876543", "BD"),
        # Singapore
        ("9123 4567", "SG", "+6591234567", "SG"),
        ("6123 4567", "SG", "+6561234567", "SG"),
        ("+65 9123-4567", None, "+6591234567", "SG"),
        # Thailand
        ("081 234 5678", "TH", "+66812345678", "TH"),
        ("02 123 4567", "TH", "+6621234567", "TH"),
        ("+66 81-234-5678", None, "+66812345678", "TH"),
        ("001 66 81 234 5678", "TH", "+66812345678", "TH"),
        # Canada
        ("(604) 555-0199", "CA", "+16045550199", "CA"),
        ("604.555.0123", "CA", "+16045550123", "CA"),
        ("1-604-555-0123", "CA", "+16045550123", "CA"),
        ("+1 (416) 555-0142", None, "+14165550142", "CA"),
        ("011 84 91 234 56 78", "CA", "+84912345678", "VN"),
        ("011 63 917 123 4567", "CA", "+639171234567", "PH"),
        # Foreign numbers written with "+" while the source region is another country
        ("+84 91 234 56 78", "PH", "+84912345678", "VN"),
        ("+1 604 555 0199", "TH", "+16045550199", "CA"),
    ],
)
def test_valid_numbers(raw: str, region: str | None, e164: str, owner: str) -> None:
    assert normalise_phone(raw, region) == Phone(e164=e164, region=owner, raw=raw)


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("00 84 91 234 56 78", "CA"),  # NANP dials out with 011
        ("00 84 91 234 56 78", "SG"),  # libphonenumber reads 008 as an SG carrier prefix
        ("00 84 91 234 56 78", "TH"),
        ("00 84 91 234 56 78", None),
    ],
)
def test_double_zero_international_prefix(raw: str, region: str | None) -> None:
    assert normalise_phone(raw, region).e164 == "+84912345678"


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("০১৭১২-৩৪৫৬৭৮", "BD", "+8801712345678"),  # Bengali digits
        ("๐๘๑ ๒๓๔ ๕๖๗๘", "TH", "+66812345678"),  # Thai digits
        ("０９１７ １２３ ４５６７", "PH", "+639171234567"),  # full-width digits
        ("0917\u2013123\u20134567", "PH", "+639171234567"),  # en dashes
        ("  0917 123 4567\n", "PH", "+639171234567"),
        ("tel:+84-91-234-5678", None, "+84912345678"),
    ],
)
def test_unicode_digits_and_layout(raw: str, region: str, e164: str) -> None:
    assert normalise_phone(raw, region).e164 == e164


@pytest.mark.parametrize("region", ["ph", " PH ", "Ph"])
def test_region_is_case_insensitive(region: str) -> None:
    assert normalise_phone("0917 123 4567", region).e164 == "+639171234567"


def test_empty_region_means_none() -> None:
    assert normalise_phone("+84 91 234 56 78", "").region == "VN"
    with pytest.raises(NormaliseError, match="no region given"):
        normalise_phone("091 234 5678", "")


def test_non_geographic_number_has_no_region() -> None:
    phone = normalise_phone("+8816 1234 5678", None)  # Iridium satellite
    assert phone.e164 == "+881612345678"
    assert phone.region is None


@pytest.mark.parametrize(
    ("raw", "region", "reason"),
    [
        ("0917 123 4567", None, "no region given for a local number"),
        ("(604) 555-0199", None, "no region given for a local number"),
        ("+999 1234 5678", None, "invalid country code"),
        ("+84 91 234", None, "too short"),
        ("12", "PH", "too short"),
        ("+84 91 234 56 78 90 12 34", None, "too long"),
        ("0171234567", "BD", "not a valid number for region BD"),
        ("0912 345 6789", "VN", "not a valid number for region VN"),  # 11-digit mobile
        ("+65 1234 5678", None, "not a valid number for region SG"),
        ("(123) 456-7890", "CA", "not a valid number for region CA"),  # no area code 123
        ("(604) 055-1234", "CA", "not a valid number for region CA"),  # exchange cannot be 0xx
        ("555-0199", "CA", "local-only"),  # possible, but the area code is missing
        ("00 99 1234", "CA", "too short"),
        ("", "PH", "empty"),
        ("   ", "PH", "empty"),
        ("tel:", "PH", "empty"),
        ("+", "PH", "not a phone number"),
        ("abc", "PH", "not a phone number"),
        ("1-800-FLOWERS", "CA", "not part of a number"),
        ("call 0917 123 4567", "PH", "not part of a number"),
        ("0917 123 4567 (mobile)", "PH", "not part of a number"),
        ("+1 604 555 0199 ext 12", None, "has an extension"),
        ("+1 604 555 0199 x12", None, "has an extension"),
        ("0917 123 4567", "XX", "unknown region"),
        ("0917 123 4567", "Philippines", "unknown region"),
    ],
)
def test_rejects(raw: str, region: str | None, reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason) as info:
        normalise_phone(raw, region)
    assert info.value.kind == "phone"
    assert info.value.value == raw


def test_rejects_non_string() -> None:
    with pytest.raises(NormaliseError, match="expected a string"):
        normalise_phone(639171234567, "PH")  # type: ignore[arg-type]


def test_result_is_frozen() -> None:
    phone = normalise_phone("0917 123 4567", "PH")
    with pytest.raises(AttributeError):
        phone.e164 = "+1"  # type: ignore[misc]


def test_same_number_in_many_formats_gives_one_value() -> None:
    forms = [
        ("0917 123 4567", "PH"),
        ("+63 917 123 4567", None),
        ("0063-917-123-4567", "VN"),
        ("011 63 917 123 4567", "CA"),
        ("(0917) 123.4567", "PH"),
    ]
    assert {normalise_phone(raw, region).e164 for raw, region in forms} == {"+639171234567"}


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("0917 123 4567", "PH"),
        ("0917-123-4567", "PH"),
        ("+63 917 123 4567", None),
        ("091.234.5678", "VN"),
        ("0084 91 234 56 78", "VN"),
        ("00 84 91 234 56 78", "CA"),
        ("011 84 91 234 5678", "CA"),
        ("604-555-0123", "CA"),
        ("01712-345678", "BD"),
        ("8123 4567", "SG"),
        ("081 234 5678", "TH"),
        # rejects: the reason must not depend on the path either
        ("0917 123", "PH"),
        ("091 234 5678 9999", "VN"),
        ("12345", None),
        ("+999 1234 5678", None),
        ("0912345678", None),
    ],
)
def test_plain_layouts_read_as_the_general_path_reads_them(raw: str, region: str | None) -> None:
    # Digits, spaces, dots and dashes are normalised once per compact form; "tel:"
    # sends the same number through the general path.
    def outcome(text: str) -> tuple[str, str | None, str] | tuple[str, str]:
        try:
            phone = normalise_phone(text, region)
        except NormaliseError as error:
            return error.reason, error.value  # the reject names the value as given
        return phone.e164, phone.region, phone.raw

    for _ in range(2):  # the second time from the cache
        plain, general = outcome(raw), outcome("tel:" + raw)
        assert plain[:-1] == general[:-1]
        assert (plain[-1], general[-1]) == (raw, "tel:" + raw)
