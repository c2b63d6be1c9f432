"""The strict specs a graph model's YAML files are read into.

A model is a folder: `model.yaml` (name, version, the provenance properties every
node and relationship carries), `nodes/<label>.yaml` and
`relationships/<type>.yaml`. Every other layer (constraints, pydantic models,
GraphQL types, docs, ingest mappings) derives from these specs.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# Every node, and every relationship whose repeats are separate events, is identified
# by this property: a deterministic id derived from its normalised natural key.
ID_PROPERTY = "id"

PropertyName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Label = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z0-9]*$", max_length=64)]
RelType = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]*$", max_length=64)]


class PropertyType(StrEnum):
    """Value types a property may hold (and how each maps to Neo4j)."""

    STRING = "string"
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    POINT = "point"
    STRING_LIST = "string_list"


class IndexKind(StrEnum):
    """How a property is indexed. `fulltext` properties join the one search index."""

    NONE = "none"
    RANGE = "range"
    TEXT = "text"
    POINT = "point"
    FULLTEXT = "fulltext"


class KeyKind(StrEnum):
    """The normaliser that turns a node's raw key values into its canonical id."""

    PHONE = "phone"  # E.164
    WALLET = "wallet"  # chain + canonical address
    ACCOUNT = "account"  # platform + handle
    LOCATION = "location"  # rounded coordinates, or country + place name
    PERSON = "person"  # a source-scoped reference or an identity document
    TEXT = "text"  # NFKC, spacing collapsed: for simple keys such as a plate number
    DERIVED = "derived"  # computed by linkgraph itself (bookkeeping labels)


# Key kinds of the identifiers people use (and share): what the hub policy and
# the person-graph projection look at.
IDENTIFIER_KINDS = frozenset({KeyKind.PHONE, KeyKind.ACCOUNT, KeyKind.WALLET, KeyKind.LOCATION})
# Identifiers a person holds (a place is visited, not held).
HELD_KINDS = IDENTIFIER_KINDS - {KeyKind.LOCATION}


class Aggregate(StrEnum):
    """How an aggregating relationship combines a property over repeated records."""

    LAST = "last"  # the value of the last record loaded
    SUM = "sum"


class Strict(BaseModel):
    """Base for specs: unknown keys and type coercions are errors, specs are immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PropertySpec(Strict):
    """One property of a node or relationship."""

    type: PropertyType
    description: str = Field(min_length=1)
    required: bool = False
    indexed: IndexKind = IndexKind.NONE
    aggregate: Aggregate = Aggregate.LAST
    # Bounds of a numeric property (inclusive): ingest rejects a record outside them.
    minimum: float | None = None
    maximum: float | None = None

    @model_validator(mode="after")
    def _index_fits_type(self) -> PropertySpec:
        textual = {PropertyType.STRING, PropertyType.STRING_LIST}
        if self.indexed in (IndexKind.TEXT, IndexKind.FULLTEXT) and self.type not in textual:
            raise ValueError(f"a {self.indexed} index needs a string property, not {self.type}")
        if self.indexed is IndexKind.TEXT and self.type is not PropertyType.STRING:
            raise ValueError("a text index needs a string property")
        if self.indexed is IndexKind.POINT and self.type is not PropertyType.POINT:
            raise ValueError("a point index needs a point property")
        if self.type is PropertyType.POINT and self.indexed not in (
            IndexKind.NONE,
            IndexKind.POINT,
        ):
            raise ValueError("a point property takes only a point index")
        numeric = {PropertyType.INTEGER, PropertyType.FLOAT}
        if self.aggregate is Aggregate.SUM and self.type not in numeric:
            raise ValueError("only numeric properties can be summed")
        bounded = self.minimum is not None or self.maximum is not None
        if bounded and self.type not in numeric:
            raise ValueError("only numeric properties take a minimum or maximum")
        return self


class KeySpec(Strict):
    """A node's natural key: the properties it is made of and their normaliser."""

    kind: KeyKind
    properties: list[PropertyName] = Field(min_length=1)


class NodeSpec(Strict):
    """One node label (`nodes/<label>.yaml`)."""

    label: Label
    description: str = Field(min_length=1)
    key: KeySpec
    properties: dict[PropertyName, PropertySpec]
    # Bookkeeping (provenance, runs): not mapped by ingest, not an investigative entity.
    internal: bool = False


class RelationshipSpec(Strict):
    """One relationship type (`relationships/<type>.yaml`)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    type: RelType
    description: str = Field(min_length=1)
    source: list[Label] = Field(alias="from", min_length=1)
    target: list[Label] = Field(alias="to", min_length=1)
    directed: bool = True
    # `aggregate`: one relationship per pair of nodes (and `identity` values), whose
    # provenance counts the distinct records behind it (a call count, first/last seen).
    # `event`: one relationship per event, identified by `identity` (e.g. a tx id).
    repeats: Literal["aggregate", "event"]
    identity: list[PropertyName] = Field(default_factory=list)
    properties: dict[PropertyName, PropertySpec] = Field(default_factory=dict)
    # Between two identifiers: whoever holds the source holds the target too (an account
    # is registered to a phone number, so its holder uses that number). Entity resolution
    # counts the target among the identifiers of the source's holders.
    implies_holding: bool = False

    @property
    def has_id(self) -> bool:
        """Event relationships carry a unique `id`; aggregates are keyed by their ends."""
        return self.repeats == "event"

    @property
    def summed(self) -> list[str]:
        """The properties that add up when a record repeats the relationship."""
        if self.repeats != "aggregate":
            return []
        return [n for n, prop in self.properties.items() if prop.aggregate is Aggregate.SUM]


class ModelHeader(Strict):
    """`model.yaml`: what the model is, and what every fact carries."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    version: int = Field(ge=1)
    description: str = Field(min_length=1)
    provenance: dict[PropertyName, PropertySpec]


def snake_case(name: str) -> str:
    """`PersonUsesPhone` / `REGISTERED_TO` -> `person_uses_phone` / `registered_to`."""
    return re.sub(r"(?<!^)(?=[A-Z][a-z])", "_", name).lower()
