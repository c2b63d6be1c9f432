"""The YAML graph model: the shipped model, strict validation, derived classes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from graph_schema.loader import DEFAULT_MODEL_DIR, ModelError, load_model
from graph_schema.models import ModelClasses
from graph_schema.spec import ID_PROPERTY, KeyKind


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped model."""
    target = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, target)
    return target


def test_shipped_model_has_the_investigation_core() -> None:
    model = load_model()
    keys = {label: node.key.kind for label, node in model.entities.items()}
    assert keys == {
        "Person": KeyKind.PERSON,
        "Phone": KeyKind.PHONE,
        "Account": KeyKind.ACCOUNT,
        "Wallet": KeyKind.WALLET,
        "Location": KeyKind.LOCATION,
    }
    ends = {t: (tuple(r.source), tuple(r.target)) for t, r in model.relationships.items()}
    assert ends["USES"] == (("Person",), ("Phone",))
    assert ends["HOLDS"] == (("Person",), ("Account",))
    assert ends["OWNS"] == (("Person",), ("Wallet",))
    assert ends["REGISTERED_TO"] == (("Account",), ("Phone",))
    assert ends["CALLED"] == (("Phone",), ("Phone",))
    assert ends["MESSAGED"] == (("Account",), ("Account",))
    assert ends["TRANSFERRED"] == (("Wallet",), ("Wallet",))
    assert ends["SEEN_AT"] == (("Person", "Phone", "Account"), ("Location",))
    assert ends["ASSOCIATED_WITH"] == (("Person",), ("Person",))
    assert model.relationship("CALLED").repeats == "aggregate"
    transfer = model.relationship("TRANSFERRED")
    assert transfer.repeats == "event"
    assert {"amount", "asset", "tx_id", "at"} <= set(transfer.properties)
    assert {"first_seen", "last_seen", "record_count", "datasets"} == set(model.provenance)


def test_checksum_follows_content_not_formatting(model_copy: Path) -> None:
    before = load_model(model_copy).checksum
    phone = model_copy / "nodes" / "phone.yaml"
    phone.write_text("# a comment\n" + phone.read_text() + "\n\n")
    assert load_model(model_copy).checksum == before
    phone.write_text(phone.read_text().replace("mobile, fixed_line", "mobile or fixed_line"))
    assert load_model(model_copy).checksum != before


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        # an unknown key
        ("nodes/phone.yaml", "label: Phone", "label: Phone\ncolour: red", "key colour: Extra"),
        # a wrong type: `required` must be a real boolean, not the string "yes"
        ("nodes/phone.yaml", "required: true", 'required: "yes"', "key properties.e164.required"),
        # an unknown property type
        (
            "relationships/transferred.yaml",
            "type: float",
            "type: money",
            "key properties.amount.type",
        ),
        # a dangling reference from a relationship to a label nobody declared
        ("relationships/owns.yaml", "to: [Wallet]", "to: [Vehicle]", "key to.0: unknown label"),
        # a key property that is not declared
        (
            "nodes/account.yaml",
            "properties: [platform, handle]",
            "properties: [platform, nick]",
            "key key.properties.1: 'nick' is not among the properties",
        ),
        # a key property that may be missing
        (
            "nodes/phone.yaml",
            "    required: true\n    indexed: fulltext",
            "    indexed: fulltext",
            "key properties.e164.required: must be true",
        ),
        # an index that cannot apply to the type
        (
            "nodes/person.yaml",
            "type: date\n",
            "type: date\n    indexed: fulltext\n",
            "key properties.birth_date",
        ),
        # "holding the source holds the target" from a person, who is not an identifier
        (
            "relationships/owns.yaml",
            "repeats: aggregate",
            "repeats: aggregate\nimplies_holding: true",
            "key implies_holding: both ends must be phones, accounts or wallets",
        ),
        # a property named like a provenance field
        (
            "nodes/phone.yaml",
            "  country:",
            "  record_count:",
            "key properties.record_count: reserved",
        ),
    ],
)
def test_bad_model_file_names_file_and_key(
    model_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    path = model_copy / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ModelError) as error:
        load_model(model_copy)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_file_must_be_named_for_its_label(model_copy: Path) -> None:
    (model_copy / "nodes" / "phone.yaml").rename(model_copy / "nodes" / "telephone.yaml")
    with pytest.raises(
        ModelError, match=r"telephone\.yaml: a file declaring 'Phone' must be named"
    ):
        load_model(model_copy)


def test_invalid_yaml_and_missing_header(model_copy: Path) -> None:
    (model_copy / "nodes" / "phone.yaml").write_text("label: [unclosed\n")
    with pytest.raises(ModelError, match=r"phone\.yaml: not valid YAML"):
        load_model(model_copy)
    (model_copy / "model.yaml").unlink()
    with pytest.raises(ModelError, match=r"model\.yaml: missing"):
        load_model(model_copy)


def test_derived_classes_follow_the_yaml() -> None:
    model = load_model()
    classes = ModelClasses(model)
    assert set(classes.nodes) == set(model.nodes)
    assert set(classes.relationships) == set(model.relationships)
    for label, node in model.nodes.items():
        fields = set(classes.nodes[label].model_fields)
        provenance = set() if node.internal else set(model.provenance)
        assert fields == {ID_PROPERTY, *node.properties, *provenance}
        for name, spec in node.properties.items():
            assert classes.nodes[label].model_fields[name].is_required() == spec.required
    transfer = classes.relationships["TRANSFERRED"]
    assert {"source_id", "target_id", ID_PROPERTY, "amount"} <= set(transfer.model_fields)
    assert ID_PROPERTY not in classes.relationships["CALLED"].model_fields


def test_derived_classes_validate() -> None:
    phone_class = ModelClasses(load_model()).nodes["Phone"]
    phone = phone_class(id="+639171234567", e164="+639171234567", country="PH")
    assert phone.model_dump(exclude_none=True)["country"] == "PH"
    with pytest.raises(ValidationError, match="e164"):
        phone_class(id="+639171234567")  # the required key property is missing
    with pytest.raises(ValidationError, match="extra"):
        phone_class(id="x", e164="x", colour="red")
    location_class = ModelClasses(load_model()).nodes["Location"]
    with pytest.raises(ValidationError, match="latitude"):
        location_class(
            id="geo:1,1", place_key="geo:1,1", coordinates={"latitude": 95.0, "longitude": 1.0}
        )
