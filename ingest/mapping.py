"""The mapping language: how the records of one source become nodes and relationships.

A mapping is one YAML file (documented with worked examples in docs/ingest.md).
It is validated strictly against the graph model before any data is read: an
unknown label, property, key input or relationship end is an error that names the
mapping file and the key.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph_schema.loader import GraphModel
from graph_schema.spec import KeyKind, PropertyType
from graph_schema.yaml_spec import read_spec

# The inputs each key kind takes; the first group of each alternative is required.
KEY_INPUTS: dict[KeyKind, tuple[tuple[set[str], set[str]], ...]] = {
    KeyKind.PHONE: (({"number"}, {"region"}),),
    KeyKind.WALLET: (({"address"}, {"chain"}),),
    KeyKind.ACCOUNT: (({"handle"}, {"platform", "region"}),),
    KeyKind.LOCATION: (({"lat", "lon"}, {"name", "country"}), ({"name", "country"}, set())),
    KeyKind.PERSON: (({"ref"}, set()), ({"document", "document_type", "country"}, set())),
    KeyKind.TEXT: (({"value"}, set()),),
}

NORMALISE_CHOICES = Literal["text", "name", "name_key", "country", "upper", "lower"]


class Strict(BaseModel):
    """Unknown keys are errors; values are not coerced between types."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Value(Strict):
    """Where a value comes from: a column (field) of the record, or a literal."""

    column: str | None = None
    literal: str | int | float | bool | None = None
    # strptime format for a date/datetime column (default: the mapping's date_format).
    format: str | None = None
    # For a list property: the separator between items in one column.
    separator: str | None = None
    # An extra normalisation of a string value.
    normalise: NORMALISE_CHOICES | None = None

    @model_validator(mode="before")
    @classmethod
    def _column_shorthand(cls, data: Any) -> Any:
        # `name: full_name` is short for `name: {column: full_name}`.
        return {"column": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_source(self) -> Value:
        if (self.column is None) == (self.literal is None):
            raise ValueError("give exactly one of `column` and `literal`")
        return self


ValueMap = dict[str, Value]


class Source(Strict):
    """The file and its format."""

    format: Literal["csv", "jsonl", "ftm"]
    path: str | None = None
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    encoding: str = "utf-8"
    # Keep only records whose `column` equals `equals` (e.g. FtM `schema: Person`).
    where: dict[str, str] | None = None


class Defaults(Strict):
    """Per-source defaults for normalisation."""

    region: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    region_column: str | None = None
    timezone: str = "UTC"
    date_format: str | None = None
    dayfirst: bool = False

    @model_validator(mode="after")
    def _known_zone(self) -> Defaults:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {self.timezone!r}") from None
        return self


class EntityMap(Strict):
    """One node each record yields."""

    label: str
    key: ValueMap
    properties: ValueMap = Field(default_factory=dict)
    # An optional entity is skipped (not rejected) when its key inputs are empty.
    optional: bool = False


class RelationshipMap(Strict):
    """One relationship each record yields, between two of its entities."""

    type: str
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    properties: ValueMap = Field(default_factory=dict)


class Mapping(Strict):
    """A whole mapping file."""

    dataset: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80)]
    description: str = ""
    source: Source
    # A column that identifies each record within the dataset. Without it a record
    # is identified by its content, so an exact duplicate line counts once.
    record_id: str | None = None
    # A column with the record's event time (sets first_seen / last_seen).
    time: Value | None = None
    defaults: Defaults = Field(default_factory=Defaults)
    entities: dict[str, EntityMap] = Field(min_length=1)
    relationships: list[RelationshipMap] = Field(default_factory=list)

    def columns(self) -> set[str]:
        """Every column the mapping reads."""
        values: list[Value] = [v for e in self.entities.values() for v in e.key.values()]
        values += [v for e in self.entities.values() for v in e.properties.values()]
        values += [v for r in self.relationships for v in r.properties.values()]
        if self.time:
            values.append(self.time)
        found = {v.column for v in values if v.column is not None}
        for extra in (self.record_id, self.defaults.region_column):
            if extra:
                found.add(extra)
        return found


class MappingError(ValueError):
    """A mapping file is malformed or does not fit the graph model or the data."""


def load_mapping(path: Path, model: GraphModel) -> Mapping:
    """Read and validate `path` against `model`; MappingError names file and key."""
    mapping = read_spec(path, Mapping, MappingError, missing="no such mapping file")
    problems = list(_check_against_model(mapping, model))
    if problems:
        raise MappingError("\n".join(f"{path}: key {where}: {msg}" for where, msg in problems))
    return mapping


def _check_against_model(mapping: Mapping, model: GraphModel) -> Iterator[tuple[str, str]]:
    for alias, entity in mapping.entities.items():
        where = f"entities.{alias}"
        if entity.label not in model.nodes:
            yield f"{where}.label", f"unknown label {entity.label!r} (known: {sorted(model.nodes)})"
            continue
        node = model.nodes[entity.label]
        if node.internal:
            yield f"{where}.label", f"{entity.label} is kept by linkgraph itself, not mapped"
            continue
        given = set(entity.key)
        alternatives = KEY_INPUTS[node.key.kind]
        if not any(req <= given <= req | opt for req, opt in alternatives):
            options = " or ".join(_describe_inputs(req, opt) for req, opt in alternatives)
            yield (
                f"{where}.key",
                (f"a {node.key.kind.value} key takes {options}; got {sorted(given)}"),
            )
        for name, value in entity.properties.items():
            spec = node.properties.get(name)
            if spec is None or name in node.key.properties:
                yield (
                    f"{where}.properties.{name}",
                    (
                        f"{entity.label} has no mappable property {name!r} "
                        f"(mappable: {sorted(set(node.properties) - set(node.key.properties))})"
                    ),
                )
            elif value.separator and spec.type is not PropertyType.STRING_LIST:
                yield f"{where}.properties.{name}.separator", "only list properties take one"
    for index, rel in enumerate(mapping.relationships):
        where = f"relationships.{index}"
        if rel.type not in model.relationships:
            known = sorted(model.relationships)
            yield f"{where}.type", f"unknown relationship type {rel.type!r} (known: {known})"
            continue
        rel_spec = model.relationships[rel.type]
        ends = (("from", rel.source, rel_spec.source), ("to", rel.target, rel_spec.target))
        for end, alias, allowed in ends:
            end_entity = mapping.entities.get(alias)
            if end_entity is None:
                yield f"{where}.{end}", f"no entity {alias!r} in this mapping"
            elif end_entity.label not in allowed:
                yield (
                    f"{where}.{end}",
                    (
                        f"{rel.type} goes {end} {'/'.join(allowed)}, "
                        f"not {end_entity.label} ({alias!r})"
                    ),
                )
        for name in rel.properties:
            if name not in rel_spec.properties:
                yield (
                    f"{where}.properties.{name}",
                    (f"{rel.type} has no property {name!r} (known: {sorted(rel_spec.properties)})"),
                )
        for name, prop in rel_spec.properties.items():
            if prop.required and name not in rel.properties:
                yield f"{where}.properties", f"{rel.type} requires {name!r}"


def _describe_inputs(required: set[str], optional: set[str]) -> str:
    extra = f" [+ {', '.join(sorted(optional))}]" if optional else ""
    return "{" + ", ".join(sorted(required)) + extra + "}"


def check_columns(mapping: Mapping, available: set[str], path: Path) -> None:
    """Refuse a mapping that reads columns the file does not have (before any record)."""
    missing = sorted(mapping.columns() - available)
    if missing:
        raise MappingError(
            f"{path}: the data has no column(s) {', '.join(map(repr, missing))} "
            f"(it has: {', '.join(sorted(available))})"
        )
