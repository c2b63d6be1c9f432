"""GraphQL types derived from the graph model: one type per entity label and one enum
of relationship types, built on what every entity and relationship shares (api/entity.py).

Nothing here names a label or a property of the model: `GraphTypes(model)` builds
the types from the YAML specs, so a label added to the model appears in the API
(and in the exported SDL, which a test compares with `docs/schema.graphql`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Optional

import strawberry
from neo4j.graph import Node, Relationship
from strawberry.types import Info

from analytics.writeback import PersonResult
from api.entity import Edge, Entity
from api.identities import person_identity
from api.networks import Network
from core.values import json_safe, plain
from graph_schema.loader import GraphModel
from graph_schema.models import PYTHON_TYPES
from graph_schema.provenance import (
    HUB_PROPERTY,
    IDENTITY_PROPERTY,
    event_fact,
    rel_fact,
    split_node_fact,
)
from graph_schema.spec import ID_PROPERTY, IndexKind, KeyKind, NodeSpec, PropertySpec, PropertyType


@strawberry.type(description="A WGS-84 point.")
class GeoPoint:
    latitude: float
    longitude: float


# The model's Python types, a point as its GraphQL object.
_SCALARS: dict[PropertyType, Any] = PYTHON_TYPES | {PropertyType.POINT: GeoPoint}

# Fields every entity has; a model property of the same name would clash.
_SHARED = {
    "id",
    "key",
    "label",
    "caption",
    HUB_PROPERTY,
    "first_seen",
    "last_seen",
    "record_count",
    "datasets",
    "evidence",
}
_PROVENANCE = ("first_seen", "last_seen", "record_count", "datasets")


def _value(spec: PropertySpec, raw: Any) -> Any:
    if raw is None:
        return None
    if spec.type is PropertyType.POINT:
        return GeoPoint(**plain(raw))
    return plain(raw)


@dataclass(frozen=True)
class EntityType:
    """One label's GraphQL type and how to fill it from a Neo4j node."""

    label: str
    spec: NodeSpec
    cls: type[Any]
    caption_properties: tuple[str, ...]

    def build(self, node: Node | dict[str, Any]) -> Entity:
        """The GraphQL object of one node of this label."""
        props = dict(node)
        key = str(props.get(ID_PROPERTY))
        caption = next(
            (str(props[p]) for p in self.caption_properties if props.get(p) not in (None, "")),
            key,
        )
        values = {
            name: _value(spec, props.get(name))
            for name, spec in self.spec.properties.items()
            if name not in _SHARED
        }
        if self.spec.key.kind is KeyKind.PERSON:
            # Resolution writes it whether or not the model declares it.
            values[IDENTITY_PROPERTY] = plain(props.get(IDENTITY_PROPERTY))
        entity: Entity = self.cls(
            id=strawberry.ID(f"{self.label}:{key}"),
            key=key,
            label=self.label,
            caption=caption,
            hub=bool(props.get(HUB_PROPERTY)),
            **{name: plain(props.get(name)) for name in _PROVENANCE},
            **values,
        )
        return entity


async def _person_network(root: Entity, info: Info[Any, None]) -> Network | None:
    network_id = getattr(root, PersonResult.NETWORK_ID, None)
    if not network_id:
        return None
    found: Network | None = await info.context.loaders.networks.load(str(network_id))
    return found


def _entity_type(label: str, spec: NodeSpec) -> EntityType:
    annotations: dict[str, Any] = {}
    attrs: dict[str, Any] = {}
    for name, prop in spec.properties.items():
        if name in _SHARED:
            continue
        annotations[name] = Optional[_SCALARS[prop.type]]  # noqa: UP045 - evaluated at runtime
        attrs[name] = strawberry.field(default=None, description=prop.description)
    if spec.key.kind is KeyKind.PERSON:
        attrs["network"] = strawberry.field(
            resolver=_person_network,
            description="The network of the latest analysis run this person belongs to.",
        )
        # The stored identity id stays on the object, out of the schema: the field of
        # that name gives the identity itself (its records, names, links, judgements).
        private = strawberry.Private[Optional[str]]  # noqa: UP045 - evaluated at runtime
        annotations[IDENTITY_PROPERTY] = private
        attrs[IDENTITY_PROPERTY] = None
        attrs["resolved_identity"] = strawberry.field(
            resolver=person_identity,
            name="identity",
            description=(
                "The identity entity resolution put this record in: every record of the "
                "same human. Null when the record stands alone."
            ),
        )
    attrs["__annotations__"] = annotations
    cls = strawberry.type(
        type(label, (Entity,), attrs), name=label, description=" ".join(spec.description.split())
    )
    # The caption: the first text property the search index covers (a name, a
    # number, a handle), else the key.
    captions = tuple(
        name
        for name, prop in spec.properties.items()
        if prop.indexed is IndexKind.FULLTEXT and prop.type is PropertyType.STRING
    )
    return EntityType(label, spec, cls, captions)


class GraphTypes:
    """The GraphQL types of one model: `.entities[label]`, `.rel_types`."""

    def __init__(self, model: GraphModel) -> None:
        self.model = model
        self.entities = {
            label: _entity_type(label, spec) for label, spec in sorted(model.entities.items())
        }
        self.rel_types = sorted(model.relationships)
        members = {name: name for name in self.rel_types}
        rel_enum: Any = enum.Enum("RelType", members)  # type: ignore[misc]
        self.RelType: Any = strawberry.enum(
            rel_enum, description="Relationship types of the graph model."
        )

    @property
    def classes(self) -> list[type[Any]]:
        """Every entity class, for the schema's `types=`."""
        return [entity.cls for entity in self.entities.values()]

    def entity(self, node: Node) -> Entity | None:
        """The GraphQL object of a Neo4j node; None for internal labels."""
        for label in node.labels:
            known = self.entities.get(label)
            if known is not None:
                return known.build(node)
        return None

    def edge(self, rel: Relationship, source_id: str, target_id: str) -> Edge:
        """The GraphQL object of a relationship stored from `source_id` to `target_id`."""
        spec = self.model.relationship(rel.type)
        props = dict(rel)
        if spec.has_id:
            fact = event_fact(rel.type, props.get(ID_PROPERTY))
        else:
            identity = [props.get(name) for name in spec.identity]
            source_key, target_key = split_node_fact(source_id)[1], split_node_fact(target_id)[1]
            fact = rel_fact(rel.type, source_key, target_key, identity)
        return Edge(
            id=strawberry.ID(fact),
            type=rel.type,
            source=strawberry.ID(source_id),
            target=strawberry.ID(target_id),
            directed=spec.directed,
            first_seen=plain(props.get("first_seen")),
            last_seen=plain(props.get("last_seen")),
            record_count=props.get("record_count"),
            datasets=props.get("datasets"),
            properties=json_safe(
                {name: props.get(name) for name in spec.properties if name in props}
            ),
        )
