"""The mapping language: strict validation naming the file and key, before any data."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_schema.loader import load_model
from ingest.check import check_file
from ingest.mapping import MappingError, load_mapping
from tests.ingest_fixtures import SUBSCRIBERS_MAPPING, write_fixtures


def _mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    return path


def test_fixture_mappings_are_valid(tmp_path: Path) -> None:
    model = load_model()
    for path in write_fixtures(tmp_path).values():
        assert load_mapping(path, model).entities


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("label: Person", "label: Persn", "key entities.subscriber.label: unknown label 'Persn'"),
        (
            "      nationality:",
            "      citizenship:",
            "key entities.subscriber.properties.citizenship: Person has no mappable property",
        ),
        (
            "key: {number: msisdn}",
            "key: {handle: msisdn}",
            "key entities.phone.key: a phone key takes {number [+ region]}",
        ),
        ("type: USES", "type: USED", "key relationships.0.type: unknown relationship type"),
        (
            "from: subscriber, to: phone",
            "from: phone, to: subscriber",
            "key relationships.0.from: USES goes from Person, not Phone ('phone')",
        ),
        ("to: phone,", "to: handset,", "key relationships.0.to: no entity 'handset'"),
        (
            "role: {literal: subscriber}",
            "colour: {literal: red}",
            "key relationships.0.properties.colour: USES has no property 'colour'",
        ),
        ('delimiter: ";"', 'delimiter: ";", quoting: none', "key source.quoting: Extra"),
        (
            "timezone: Asia/Ho_Chi_Minh",
            "timezone: Asia/Saigon_City",
            "key defaults: Value error, unknown time zone 'Asia/Saigon_City'",
        ),
        ("region: VN,", "region: vietnam,", "key defaults.region: String should match"),
        ("label: Person", "label: Evidence", "Evidence is kept by linkgraph itself"),
        (
            "name: {column: full_name, normalise: name}",
            "name: {column: full_name, literal: x}",
            "`template`, `first`, `lookup`, `when` (got column, literal) (line 12)",
        ),
    ],
)
def test_a_bad_mapping_names_file_and_key(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in SUBSCRIBERS_MAPPING
    path = _mapping(tmp_path, SUBSCRIBERS_MAPPING.replace(old, new, 1))
    with pytest.raises(MappingError) as error:
        load_mapping(path, load_model())
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_required_relationship_property_must_be_mapped(tmp_path: Path) -> None:
    path = _mapping(
        tmp_path,
        "dataset: x\nsource: {format: csv}\nentities:\n"
        "  a: {label: Wallet, key: {address: a}}\n  b: {label: Wallet, key: {address: b}}\n"
        "relationships:\n  - {type: TRANSFERRED, from: a, to: b, properties: {tx_id: tx}}\n",
    )
    with pytest.raises(MappingError, match="TRANSFERRED requires 'amount'"):
        load_mapping(path, load_model())


def test_missing_columns_are_refused_before_any_record(tmp_path: Path) -> None:
    paths = write_fixtures(tmp_path)
    csv = tmp_path / "subscribers.csv"
    csv.write_text(csv.read_text().replace("full_name", "fullname", 1))
    with pytest.raises(MappingError, match=r"no column\(s\) 'full_name'"):
        check_file(paths["subscribers"], load_model(), rejects_dir=tmp_path / "r")
    assert not (tmp_path / "r").exists()


def test_not_yaml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="no such mapping file"):
        load_mapping(tmp_path / "nope.yaml", load_model())
    with pytest.raises(MappingError, match="not valid YAML"):
        load_mapping(_mapping(tmp_path, "dataset: [x\n"), load_model())


def test_malformed_lines_are_rejected_even_behind_a_where_filter(tmp_path: Path) -> None:
    paths = write_fixtures(tmp_path)
    ftm = tmp_path / "entities.ftm.json"
    ftm.write_text(ftm.read_text() + '{"id": "p-9", "schema": "Person", "properties": \n')
    summary = check_file(paths["ftm"], load_model(), rejects_dir=tmp_path / "r").summary
    assert (summary.records_read, summary.records_rejected, summary.records_filtered) == (3, 1, 1)
    assert summary.rejects_file is not None
    assert "not valid JSON" in Path(summary.rejects_file).read_text()


def test_several_values_for_a_key_are_rejected(tmp_path: Path) -> None:
    paths = write_fixtures(tmp_path)
    ftm = tmp_path / "entities.ftm.json"
    two_ids = '{"id": ["p-7", "p-8"], "schema": "Person", "properties": {"name": ["X"]}}\n'
    ftm.write_text(ftm.read_text() + two_ids)
    summary = check_file(paths["ftm"], load_model(), rejects_dir=tmp_path / "r").summary
    assert summary.records_rejected == 1
    assert summary.rejects_file is not None
    assert "several values for the key input 'ref'" in Path(summary.rejects_file).read_text()
