"""Pydantic classes derived from the model: one per node label and relationship type.

Nothing here names a label or a property: `ModelClasses(model)` builds the classes
from the YAML specs, so adding a label to the model adds its class.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from graph_schema.loader import GraphModel
from graph_schema.spec import ID_PROPERTY, PropertySpec, PropertyType


class GeoPoint(BaseModel):
    """A WGS-84 point (Neo4j `point({latitude, longitude})`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


PYTHON_TYPES: dict[PropertyType, Any] = {
    PropertyType.STRING: str,
    PropertyType.INTEGER: int,
    PropertyType.FLOAT: float,
    PropertyType.BOOLEAN: bool,
    PropertyType.DATE: dt.date,
    PropertyType.DATETIME: dt.datetime,
    PropertyType.POINT: GeoPoint,
    PropertyType.STRING_LIST: list[str],
}


class GraphRecord(BaseModel):
    """Base of every derived class: unknown properties are refused."""

    model_config = ConfigDict(extra="forbid")


def _field(spec: PropertySpec) -> tuple[Any, Any]:
    python_type = PYTHON_TYPES[spec.type]
    if spec.required:
        return python_type, Field(description=spec.description)
    return python_type | None, Field(default=None, description=spec.description)


def _class_name(name: str) -> str:
    # USES -> Uses, REGISTERED_TO -> RegisteredTo; labels are already CamelCase.
    if name.isupper() or "_" in name:
        return "".join(part.capitalize() for part in name.split("_"))
    return name


class ModelClasses:
    """The pydantic classes of one model: `.nodes[label]`, `.relationships[type]`."""

    def __init__(self, model: GraphModel) -> None:
        provenance = {name: _field(spec) for name, spec in model.provenance.items()}
        self.nodes: dict[str, type[GraphRecord]] = {}
        for label, node in model.nodes.items():
            fields: dict[str, Any] = {ID_PROPERTY: (str, Field(description="Canonical id."))}
            fields.update({name: _field(spec) for name, spec in node.properties.items()})
            if not node.internal:
                fields.update(provenance)
            self.nodes[label] = create_model(
                _class_name(label), __base__=GraphRecord, __doc__=node.description, **fields
            )
        self.relationships: dict[str, type[GraphRecord]] = {}
        for rel_type, rel in model.relationships.items():
            fields = {
                "source_id": (str, Field(description=f"id of the {'/'.join(rel.source)} node.")),
                "target_id": (str, Field(description=f"id of the {'/'.join(rel.target)} node.")),
            }
            if rel.has_id:
                fields[ID_PROPERTY] = (str, Field(description="Canonical id of this event."))
            fields.update({name: _field(spec) for name, spec in rel.properties.items()})
            fields.update(provenance)
            self.relationships[rel_type] = create_model(
                _class_name(rel_type), __base__=GraphRecord, __doc__=rel.description, **fields
            )
