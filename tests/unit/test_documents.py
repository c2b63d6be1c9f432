"""Document numbers: one key however a source writes the number, placeholders refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph_schema.person_keys import DOCUMENT_ID, document_number
from graph_schema.spec import KeyKind
from normalise import NormaliseError
from normalise.documents import normalise_document
from normalise.keys import KEY_NORMALISERS


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("1119-5106-0496-9855", "1119510604969855"),  # PhilSys, as printed
        ("1119 5106 0496 9855", "1119510604969855"),
        ("1-2345-67890-12-3", "1234567890123"),  # Thai national ID
        ("900101-14-5678", "900101145678"),  # MyKad
        ("12/OUKAMA(N)123456", "12OUKAMAN123456"),  # Myanmar NRC
        ("a1234-56789-01234", "A12345678901234"),  # Ontario driver's licence
        ("P1234567A<<", "P1234567A"),  # passport number from the MRZ
        ("c.123.456.7", "C1234567"),
        ("Ｐ１２３４５６７", "P1234567"),  # full-width, as some forms are typed
        ("၁၂၃၄၅၆", "၁၂၃၄၅၆"),  # Myanmar digits are digits
    ],
)
def test_separators_are_dropped(written: str, key: str) -> None:
    assert normalise_document(written) == key


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("--", "letters or digits"),
        ("000000", "one repeated character"),
        ("N/A", "placeholder"),
        ("UNKNOWN", "placeholder"),
        ("x-x-x", "one repeated character"),
        ("123456789", "consecutive digits"),
        ("0123-4567-89", "consecutive digits"),
        ("98765", "consecutive digits"),
    ],
)
def test_placeholders_are_refused(written: str, reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason):
        normalise_document(written)


def test_a_short_run_or_a_broken_one_is_a_number() -> None:
    assert normalise_document("1234") == "1234"
    assert normalise_document("123457") == "123457"
    assert normalise_document("P123456") == "P123456"


def test_one_person_however_the_number_is_written() -> None:
    person = KEY_NORMALISERS[KeyKind.PERSON]
    ids = {
        person({"document": d, "document_type": "nid", "country": "PH"}, None, "ds")[0]
        for d in ("1119-5106-0496-9855", "1119 5106 0496 9855", "1119510604969855")
    }
    assert ids == {"nid:PH:1119510604969855"}


def test_combining_marks_stay() -> None:
    # A Thai vowel sign is a mark: dropping it would make another letter sequence.
    assert document_number("กิ-1") == "กิ1"


def test_document_ids_and_references_are_told_apart() -> None:
    assert DOCUMENT_ID.fullmatch("nid:PH:1119-5106") is not None
    assert DOCUMENT_ID.fullmatch("national_id2:TH:1-2") is not None
    assert DOCUMENT_ID.fullmatch("Case:PH:1") is None  # a scheme is lower case
    assert DOCUMENT_ID.fullmatch("telco:17") is None
    assert DOCUMENT_ID.fullmatch("case-42:PH:1") is None  # a scope, not a word


def test_the_documented_table_is_what_ingest_does() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "ingest.md").read_text("utf-8")
    section = docs.split("### Document numbers", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) >= 10
    for row in rows:
        _, _, printed, key = (cell.strip() for cell in row.strip("|").split("|"))
        scheme, country, number = key.strip("`").split(":")
        for written in re.findall(r"`([^`]+)`", printed):
            assert normalise_document(written) == number, row
        assert (len(scheme) > 1, len(country)) == (True, 2), row
