"""The mapping language: how the records of one source become nodes and relationships.

A mapping is one YAML file (documented with worked examples in docs/ingest.md).
It is validated strictly against the graph model before any data is read: an
unknown label, property, key input or relationship end is an error that names the
mapping file and the key.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from graph_schema.loader import GraphModel
from graph_schema.spec import KeyKind, PropertyType
from graph_schema.yaml_spec import at_line, key_lines, read_spec

# The inputs each key kind takes; the first group of each alternative is required.
KEY_INPUTS: dict[KeyKind, tuple[tuple[set[str], set[str]], ...]] = {
    KeyKind.PHONE: (({"number"}, {"region"}),),
    KeyKind.WALLET: (({"address"}, {"chain"}),),
    KeyKind.ACCOUNT: (({"handle"}, {"platform", "region"}),),
    KeyKind.LOCATION: (({"lat", "lon"}, {"name", "country"}), ({"name", "country"}, set())),
    KeyKind.PERSON: (({"ref"}, {"scope"}), ({"document", "document_type", "country"}, set())),
    KeyKind.TEXT: (({"value"}, set()),),
}

NORMALISE_CHOICES = Literal["text", "name", "name_key", "country", "upper", "lower"]


class Strict(BaseModel):
    """Unknown keys are errors; values are not coerced between types."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# The forms a value takes: exactly one of these keys says where it comes from.
VALUE_FORMS = ("column", "literal", "record_no", "hash", "template", "first", "lookup", "when")

# `{column}` placeholders of a template; `{{` and `}}` are literal braces.
_TEMPLATE_PART = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]|[^{}]+")


def template_parts(template: str) -> list[tuple[str, bool]]:
    """The template as (text, is_column) parts; ValueError on a stray or empty brace."""
    parts: list[tuple[str, bool]] = []
    for match in _TEMPLATE_PART.finditer(template):
        token, column = match.group(0), match.group(1)
        if token in ("{{", "}}"):
            parts.append((token[0], False))
        elif column is not None:
            if not column.strip():
                raise ValueError(f"template {template!r}: an empty placeholder {{}}")
            parts.append((column, True))
        elif token in ("{", "}"):
            raise ValueError(f"template {template!r}: a lone {token!r} (write it twice)")
        else:
            parts.append((token, False))
    if not any(is_column for _, is_column in parts):
        raise ValueError(f"template {template!r} names no column (for a constant, use literal)")
    return parts


class Value(Strict):
    """Where a value comes from: a column, a literal, or an expression over the record.

    The expressions (docs/ingest.md, "Values") are evaluated by ingest.expressions;
    none runs code: each is a fixed operation on the record's fields.
    """

    column: str | None = None
    literal: str | int | float | bool | None = None
    # The record's number in its file (a CSV record's ordinal, a JSON line's line number).
    record_no: Literal[True] | None = None
    # A stable hash of the chosen columns' values, or of the whole record ("*").
    hash: Annotated[list[str], Field(min_length=1)] | Literal["*"] | None = None
    # Text with `{column}` placeholders; empty when any placeholder's column is.
    template: str | None = None
    # The first of these values that is not empty.
    first: Annotated[list[Value], Field(min_length=1)] | None = None
    # A value looked up in a table (inline, or a CSV file beside the mapping).
    lookup: Value | None = None
    table: dict[str, str] | None = None
    table_file: str | None = None
    default: str | None = None  # for a value not in the table (else the record is rejected)
    # A value chosen by another value: `cases` by its text, `else` for any other.
    when: Value | None = None
    cases: dict[str, Value] | None = None
    otherwise: Value | None = Field(default=None, alias="else")
    # strptime format for a date/datetime column (default: the mapping's date_format).
    format: str | None = None
    # For a list property: the separator between items in one column.
    separator: str | None = None
    # An extra normalisation of a string value.
    normalise: NORMALISE_CHOICES | None = None
    # A lookup table read from `table_file` when the mapping is loaded.
    _file_table: dict[str, str] | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _column_shorthand(cls, data: Any) -> Any:
        # `name: full_name` is short for `name: {column: full_name}`.
        return {"column": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_form(self) -> Value:
        given = [form for form in VALUE_FORMS if getattr(self, form) is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one of {', '.join(f'`{f}`' for f in VALUE_FORMS)}"
                + (f" (got {', '.join(given)})" if given else "")
            )
        extra = [k for k in ("table", "table_file", "default") if getattr(self, k) is not None]
        if self.lookup is None and extra:
            raise ValueError(f"`{extra[0]}` belongs to a `lookup`")
        if self.lookup is not None and (self.table is None) == (self.table_file is None):
            raise ValueError("a `lookup` takes exactly one of `table` and `table_file`")
        if self.when is None and (self.cases is not None or self.otherwise is not None):
            raise ValueError("`cases` and `else` belong to a `when`")
        if self.when is not None and not self.cases:
            raise ValueError("a `when` needs `cases`")
        if self.template is not None:
            template_parts(self.template)
        for inner in self.inner():
            if inner.format or inner.separator or inner.normalise:
                raise ValueError(
                    "`format`, `separator` and `normalise` go on the outermost value, "
                    "not inside `first`, `lookup` or `when`"
                )
        return self

    def inner(self) -> list[Value]:
        """The values this one is made of (for `first`, `lookup` and `when`), in order."""
        inner = list(self.first or [])
        inner += [v for v in (self.lookup, self.when) if v is not None]
        inner += list((self.cases or {}).values())
        return inner + ([self.otherwise] if self.otherwise is not None else [])

    def columns(self) -> set[str]:
        """Every column the value reads (not those of a whole-record hash)."""
        return set(self.ordered_columns())

    def ordered_columns(self) -> list[str]:
        """The columns the value reads, in the order the mapping names them."""
        found = [self.column] if self.column is not None else []
        if isinstance(self.hash, list):
            found += self.hash
        if self.template is not None:
            found += [text for text, is_column in template_parts(self.template) if is_column]
        for inner in self.inner():
            found += inner.ordered_columns()
        return list(dict.fromkeys(found))

    @property
    def first_column(self) -> str | None:
        """The column a reject names for this value: the first it reads, if any."""
        columns = self.ordered_columns()
        return columns[0] if columns else None

    @property
    def lookup_table(self) -> dict[str, str]:
        """The lookup's table, inline or read from its file."""
        return self.table if self.table is not None else (self._file_table or {})

    def all_values(self) -> Iterator[Value]:
        """This value and every value inside it."""
        yield self
        for inner in self.inner():
            yield from inner.all_values()


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
    # A value that identifies each record within the dataset. Without it a record
    # is identified by its content, so an exact duplicate line counts once.
    record_id: Value | None = None
    # A column with the record's event time (sets first_seen / last_seen).
    time: Value | None = None
    defaults: Defaults = Field(default_factory=Defaults)
    entities: dict[str, EntityMap] = Field(min_length=1)
    relationships: list[RelationshipMap] = Field(default_factory=list)

    def values(self) -> Iterator[tuple[str, Value]]:
        """Every value the mapping gives, outermost first, with the key it is under."""
        for alias, entity in self.entities.items():
            for name, value in entity.key.items():
                yield f"entities.{alias}.key.{name}", value
            for name, value in entity.properties.items():
                yield f"entities.{alias}.properties.{name}", value
        for index, rel in enumerate(self.relationships):
            for name, value in rel.properties.items():
                yield f"relationships.{index}.properties.{name}", value
        for name, top in (("time", self.time), ("record_id", self.record_id)):
            if top is not None:
                yield name, top

    def columns(self) -> set[str]:
        """Every column the mapping reads."""
        found: set[str] = set()
        for _, value in self.values():
            found |= value.columns()
        if self.defaults.region_column:
            found.add(self.defaults.region_column)
        return found


class MappingError(ValueError):
    """A mapping file is malformed or does not fit the graph model or the data."""


def load_mapping(path: Path, model: GraphModel) -> Mapping:
    """Read and validate `path` against `model`; MappingError names file, key and line."""
    mapping = read_spec(path, Mapping, MappingError, missing="no such mapping file")
    problems = list(_check_against_model(mapping, model))
    problems += list(_read_tables(mapping, path.parent))
    if problems:
        lines = key_lines(path.read_text(encoding="utf-8"))
        raise MappingError(
            "\n".join(
                f"{path}: key {where}: {msg}{at_line(lines, where)}" for where, msg in problems
            )
        )
    return mapping


# A lookup table's file is small by nature (codes to names): a larger one is a mistake.
MAX_TABLE_ROWS = 100_000


def _read_tables(mapping: Mapping, folder: Path) -> Iterator[tuple[str, str]]:
    """Read every `table_file` (a CSV beside the mapping: header, key, value)."""
    for where, outer in mapping.values():
        for value in outer.all_values():
            if value.table_file is None:
                continue
            try:
                value._file_table = read_table(folder, value.table_file)
            except MappingError as problem:
                yield f"{where}.table_file", str(problem)


def read_table(folder: Path, name: str) -> dict[str, str]:
    """The lookup table in the CSV `name` beside the mapping: its first column to its second.

    The first line is a header; keys and values are stripped of surrounding spaces; a
    key given twice with different values is an error, never a silent choice.
    """
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise MappingError(f"{name!r}: a lookup table must be beside the mapping (or below it)")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(itertools.islice(csv.reader(handle), MAX_TABLE_ROWS + 2))
    except OSError as error:
        raise MappingError(f"cannot read the lookup table {name!r}: {error.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise MappingError(f"the lookup table {name!r} is not UTF-8 CSV: {error}") from None
    if len(rows) > MAX_TABLE_ROWS + 1:
        raise MappingError(f"the lookup table {name!r} has more than {MAX_TABLE_ROWS:,} rows")
    table: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2:
            raise MappingError(f"{name} line {line}: expected a key and a value")
        key, value = row[0].strip(), row[1].strip()
        if table.get(key, value) != value:
            raise MappingError(
                f"{name} line {line}: {key!r} is {value!r} here but {table[key]!r} above"
            )
        table[key] = value
    return table


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
