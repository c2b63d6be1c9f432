"""What every entity and relationship of the graph shares: the `Entity` interface,
the `Edge` type and the `Evidence` of both.

The per-label entity types (api/graphtypes.py) and the analysis types
(api/networks.py) both build on these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info


@strawberry.type(description="One source record asserting a node or a relationship.")
class Evidence:
    dataset: str
    file: str | None
    record_no: int | None = strawberry.field(description="Line of the record in its file.")
    record: str = strawberry.field(description="`dataset:record id` of the source record.")
    run: str | None = strawberry.field(description="Ingest run that first loaded it.")
    seen: dt.datetime | None = strawberry.field(description="The record's event time.")


@strawberry.type(description="The source records asserting a fact: how many, and the first.")
class EvidencePage:
    total_count: int
    records: list[Evidence]


async def _evidence(root: Entity, info: Info[Any, None], first: int = 20) -> EvidencePage:
    page: EvidencePage = await info.context.loaders.evidence(root.id, first)
    return page


@strawberry.interface(
    description=(
        "A person or an identifier in the graph. `id` is `Label:key` (the fact name "
        "`linkgraph explain` takes), stable across loads."
    )
)
class Entity:
    id: strawberry.ID
    key: str = strawberry.field(description="The node's canonical key (E.164, chain:address...).")
    label: str
    caption: str = strawberry.field(description="Short text to draw next to the node.")
    hub: bool = strawberry.field(
        description="Flagged by the hub policy: shared by unusually many people."
    )
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    record_count: int | None
    datasets: list[str] | None
    evidence: EvidencePage = strawberry.field(
        resolver=_evidence, description="The source records asserting this node."
    )


async def _edge_evidence(root: Edge, info: Info[Any, None], first: int = 20) -> EvidencePage:
    page: EvidencePage = await info.context.loaders.evidence(root.id, first)
    return page


@strawberry.type(description="A relationship between two entities, ready to draw.")
class Edge:
    id: strawberry.ID = strawberry.field(
        description="The fact name: `TYPE:source->target`, or `TYPE:event id` for an event."
    )
    type: str
    source: strawberry.ID
    target: strawberry.ID
    directed: bool
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None
    record_count: int | None
    datasets: list[str] | None
    properties: JSON = strawberry.field(description="The model's properties of this type.")
    evidence: EvidencePage = strawberry.field(
        resolver=_edge_evidence, description="The source records asserting this relationship."
    )
