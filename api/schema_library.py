"""The saved-query library: listing its reviewed queries and running one."""

# No `from __future__ import annotations`, as in the other parts of the schema.

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.context import Context, blocking
from api.errors import UserError
from api.roles import Action
from api.schema_caller import needs
from core.values import json_safe
from queries.runner import run_saved_query
from queries.spec import SavedQuery

CanRunSavedQuery = needs(Action.RUN_SAVED_QUERY)


@strawberry.type(description="One typed parameter of a saved query.")
class SavedQueryParameter:
    name: str
    type: str
    description: str
    list: bool
    required: bool
    default: JSON | None
    example: JSON | None


@strawberry.type(description="A saved, reviewed, read-only Cypher query of the library.")
class SavedQueryInfo:
    id: strawberry.ID
    name: str
    category: str
    tags: list[str]
    description: str
    revision: int
    row_limit: int
    cypher: str
    parameters: list[SavedQueryParameter]


def _saved(query: SavedQuery) -> SavedQueryInfo:
    return SavedQueryInfo(
        id=strawberry.ID(query.id),
        name=query.name,
        category=query.category,
        tags=list(query.tags),
        description=" ".join(query.description.split()),
        revision=query.revision,
        row_limit=query.row_limit,
        cypher=query.cypher,
        parameters=[
            SavedQueryParameter(
                name=name,
                type=spec.type,
                description=spec.description,
                list=spec.list,
                required=spec.required,
                default=json_safe(spec.default),
                example=json_safe(spec.example),
            )
            for name, spec in query.parameters.items()
        ],
    )


@strawberry.type(description="What a saved query returned (read-only, bounded in rows and time).")
class SavedQueryResult:
    query_id: str
    parameters: JSON
    columns: list[str]
    rows: JSON
    truncated: bool = strawberry.field(description="True when the row limit cut the result.")
    row_limit: int
    seconds: float
    graph: JSON = strawberry.field(description="Nodes and edges found in the rows, to draw.")


@strawberry.type
class LibraryQuery:
    """The query fields of the saved-query library."""

    @strawberry.field(description="The saved-query library, filtered by tag and/or words.")
    def saved_queries(
        self, info: Info[Context, None], tag: str | None = None, search: str | None = None
    ) -> list[SavedQueryInfo]:
        words = (search or "").lower().split()
        out = []
        for query in info.context.services.library.queries.values():
            if tag and tag not in query.tags:
                continue
            text = f"{query.id} {query.name} {query.description} {' '.join(query.tags)}"
            if all(word in text.lower() for word in words):
                out.append(_saved(query))
        return sorted(out, key=lambda q: (q.category, q.id))

    @strawberry.field(
        description="Run a saved query (analyst role): read-only, bounded in rows and time.",
        permission_classes=[CanRunSavedQuery],
    )
    async def run_saved_query(
        self,
        info: Info[Context, None],
        name: str,
        params: JSON | None = None,
        row_limit: int | None = None,
    ) -> SavedQueryResult:
        services = info.context.services
        if params is not None and not isinstance(params, dict):
            raise UserError("params: give a JSON object of parameter names to values")
        try:
            query = services.library.get(name)
        except ValueError as error:
            raise UserError(str(error)) from None
        info.context.audit.trips.add()
        result = await blocking(
            run_saved_query,
            services.driver,
            query,
            dict(params or {}),
            services.settings.neo4j_database,
            row_limit,
            info.context.api.request_timeout_s,
        )
        for node in result.graph.nodes.values():
            label = next((lb for lb in node["labels"] if lb in info.context.types.entities), None)
            if label is not None:
                info.context.audit.entities.add(f"{label}:{node.get('id')}")
        return SavedQueryResult(
            query_id=result.query_id,
            parameters=json_safe(result.parameters),
            columns=result.columns,
            rows=json_safe(result.rows),
            truncated=result.truncated,
            row_limit=result.row_limit,
            seconds=round(result.seconds, 4),
            graph=json_safe(
                {
                    "nodes": list(result.graph.nodes.values()),
                    "edges": list(result.graph.edges.values()),
                }
            ),
        )
