"""Reading the graph itself: one entity, search, a neighbourhood, the paths between two.

The query fields take relationship types as an enum built from the model at run
time, so `graph_query(types)` makes their class for one model's types.
"""

# No `from __future__ import annotations`: the fields refer to the relationship-type
# enum built from the model at run time, which string annotations could not name.

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any

import strawberry
from neo4j.graph import Node, Path, Relationship
from strawberry.types import Info

from api.context import Context, blocking
from api.entity import Edge, Entity
from api.errors import UserError
from api.graphtypes import GraphTypes
from api.pagination import Connection, page_of
from api.reads import MAX_DEPTH, MAX_HOPS, MAX_PATHS
from api.search_terms import identifier_keys, lucene_query, search_words
from graph_schema.provenance import IDENTITY_PROPERTY, split_node_fact


@strawberry.type(description="Nodes and edges around a node, ready to draw.")
class Subgraph:
    nodes: list[Entity] = strawberry.field(description="Nearest first; the centre is first.")
    edges: list[Edge]
    truncated: bool = strawberry.field(description="True when `limit` cut the result.")
    collapsed_hubs: list[strawberry.ID] = strawberry.field(
        description="Hub identifiers drawn but not expanded (hub policy)."
    )
    centre: list[strawberry.ID] = strawberry.field(
        description=(
            "The entity asked for and, for a person in an identity, the identity's other "
            "records: one person, expanded from all of them (first in `nodes`)."
        )
    )


@strawberry.type(description="One connection between two entities: its nodes and hops in order.")
class Route:
    length: int
    nodes: list[Entity]
    hops: list[Edge] = strawberry.field(
        description="Each hop's relationship; its `evidence` lists the records asserting it."
    )


def _entity_id(value: str) -> tuple[str, str]:
    try:
        return split_node_fact(value)
    except ValueError as error:
        raise UserError(str(error)) from None


def _check_label(info: Info[Context, None], label: str, what: str) -> None:
    if label not in info.context.types.entities:
        known = ", ".join(info.context.types.entities)
        raise UserError(f"{what}: unknown label {label!r} (known: {known})")


def _type_names(types: list[Any] | None) -> list[str] | None:
    return [t.value for t in types] if types else None


def _edges(
    info: Info[Context, None], rels: list[Relationship], drawn: dict[str, Entity]
) -> Iterator[Edge]:
    for rel in rels:
        start = rel.start_node.element_id if rel.start_node is not None else None
        end = rel.end_node.element_id if rel.end_node is not None else None
        if start in drawn and end in drawn:
            yield info.context.types.edge(rel, str(drawn[start].id), str(drawn[end].id))


def _drawn(info: Info[Context, None], nodes: list[Node]) -> dict[str, Entity]:
    out = {}
    for node in nodes:
        entity = info.context.entity(node)
        if entity is not None:
            out[node.element_id] = entity
    return out


async def _neighbourhood(
    info: Info[Context, None],
    node_id: str,
    depth: int,
    types: list[str] | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int,
) -> Subgraph | None:
    label, key = _entity_id(node_id)
    _check_label(info, label, "id")
    if not 1 <= depth <= MAX_DEPTH:
        raise UserError(f"depth must be 1 to {MAX_DEPTH}")
    cap = info.context.api.max_neighbourhood
    if not 1 <= limit <= cap:
        raise UserError(f"limit must be 1 to {cap}")
    found = await blocking(
        info.context.reads.neighbourhood, label, key, depth, types, since, until, limit
    )
    if found is None:
        return None
    drawn = _drawn(info, found.nodes)
    centre = _centre(info, found.nodes, drawn)
    collapsed = [e.id for e in drawn.values() if e.hub and e.id not in centre]
    return Subgraph(
        nodes=list(drawn.values()),
        edges=list(_edges(info, found.rels, drawn)),
        truncated=found.truncated,
        collapsed_hubs=collapsed,
        centre=centre,
    )


def _centre(
    info: Info[Context, None], nodes: list[Node], drawn: dict[str, Entity]
) -> list[strawberry.ID]:
    """The first node and the other records of its identity, when it is a person in one.

    The expansion starts from all of them, so no other node of the result shares
    their identity: the nodes of that identity are the centre.
    """
    if not nodes or nodes[0].element_id not in drawn:
        return []
    first = nodes[0]
    identity = first.get(IDENTITY_PROPERTY)
    person = info.context.services.person_label
    if person not in first.labels or not identity:
        return [drawn[first.element_id].id]
    return [
        drawn[n.element_id].id
        for n in nodes
        if n.element_id in drawn and person in n.labels and n.get(IDENTITY_PROPERTY) == identity
    ]


async def _paths(
    info: Info[Context, None],
    from_: str,
    to: str,
    max_hops: int,
    time_respecting: bool,
    types: list[str] | None,
    first: int,
) -> list[Route]:
    source = _entity_id(from_)
    target = _entity_id(to)
    _check_label(info, source[0], "from")
    _check_label(info, target[0], "to")
    if not 1 <= max_hops <= MAX_HOPS:
        raise UserError(f"maxHops must be 1 to {MAX_HOPS}")
    if not 1 <= first <= MAX_PATHS:
        raise UserError(f"first must be 1 to {MAX_PATHS}")
    found: list[Path] = await blocking(
        info.context.reads.paths, source, target, max_hops, time_respecting, types, first
    )
    routes = []
    for path in found:
        drawn = _drawn(info, list(path.nodes))
        routes.append(
            Route(
                length=len(path.relationships),
                nodes=[drawn[n.element_id] for n in path.nodes if n.element_id in drawn],
                hops=list(_edges(info, list(path.relationships), drawn)),
            )
        )
    return routes


@strawberry.type
class LookupQuery:
    """The query fields finding entities: by id, and by what is known of them."""

    @strawberry.field(description="One entity by id (`Label:key`, e.g. `Phone:+639171234567`).")
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Entity | None:
        label, _ = _entity_id(str(id))
        _check_label(info, label, "id")
        return await info.context.loaders.nodes.load(str(id))

    @strawberry.field(
        description=(
            "Find entities by name, handle, phone number in any format, or wallet address. "
            "Exact identifier matches come first, then full-text hits by relevance. A person "
            "in an identity is found once, as the best-ranked of its records."
        )
    )
    async def search(
        self,
        info: Info[Context, None],
        text: str,
        labels: list[str] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Entity]:
        for label in labels or []:
            _check_label(info, label, "labels")
        words = search_words(text, info.context.api)
        if not words:
            raise UserError("text: give a name, number, handle or address to search for")
        start, size = page_of(first, after, info.context.api)
        model = info.context.services.model
        exact = identifier_keys(text, model, info.context.api.phone_regions)
        found = await blocking(
            info.context.reads.search, lucene_query(words), exact, labels or [], start, size + 1
        )
        drawn = [e for e in (info.context.entity(n) for n in found) if e is not None]
        return Connection.of(drawn[:size], start, len(drawn) > size)


def graph_query(types: GraphTypes) -> type[Any]:
    """The query fields reading the graph (`LookupQuery`'s, then those walking it).

    The walks filter by relationship type: their class is made for the enum of `types`.
    """
    RelType = types.RelType  # noqa: N806 - a GraphQL enum built from the model

    @strawberry.type
    class GraphQuery(LookupQuery):
        @strawberry.field(
            description=(
                "The entities and relationships within `depth` hops of one entity, nearest "
                "first. Hub identifiers are drawn but not expanded; undated relationships are "
                "kept by `since`/`until`, dated ones must overlap the window. A person in an "
                "identity is expanded from all the identity's records (`centre`)."
            )
        )
        async def neighbourhood(
            self,
            info: Info[Context, None],
            id: strawberry.ID,
            depth: int = 1,
            types: list[RelType] | None = None,  # type: ignore[valid-type]
            since: dt.datetime | None = None,
            until: dt.datetime | None = None,
            limit: int = 200,
        ) -> Subgraph | None:
            return await _neighbourhood(
                info, str(id), depth, _type_names(types), since, until, limit
            )

        @strawberry.field(
            description=(
                "Shortest connections between two entities (never through a hub), shortest "
                "first. timeRespecting: each dated hop no earlier than the one before it. A "
                "person in an identity is any of its records: a route may start or end at "
                "another record of the same human."
            )
        )
        async def paths(
            self,
            info: Info[Context, None],
            from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
            to: strawberry.ID,
            max_hops: int = 4,
            time_respecting: bool = False,
            types: list[RelType] | None = None,  # type: ignore[valid-type]
            first: int = 3,
        ) -> list[Route]:
            names = _type_names(types)
            return await _paths(info, str(from_), str(to), max_hops, time_respecting, names, first)

    return GraphQuery
