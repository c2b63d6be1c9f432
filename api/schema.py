"""The GraphQL schema: what visual front ends and analysts ask of the graph.

`build_schema(model, api)` derives the entity types from the graph model and puts
the query and mutation roots, the limits and the audit extension together.
"""

# No `from __future__ import annotations`: the query type refers to a relationship-type
# enum built from the model at run time, which string annotations could not name.

import datetime as dt
import enum
import fcntl
import pathlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Annotated, Any

import strawberry
from graphql import ASTValidationRule, specified_rules
from neo4j.graph import Node, Path, Relationship
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    QueryDepthLimiter,
)
from strawberry.permission import BasePermission
from strawberry.scalars import JSON
from strawberry.types import Info

from analytics.pipeline import run_analysis
from analytics.settings import AnalyticsSettings
from api.context import Context, blocking
from api.errors import UserError
from api.graphtypes import Edge, Entity, GraphTypes, json_safe
from api.limits import complexity_limit
from api.networks import (
    AnalysisRun,
    IngestRun,
    Network,
    analysis_run,
    ingest_run,
    network,
)
from api.outcomes import Outcomes, QuietSchema
from api.pagination import Connection, page_of
from api.prepared import Preparer, UsePrepared
from api.reads import MAX_DEPTH, MAX_HOPS, MAX_PATHS
from api.reports import JobRun, Report, job_run
from api.reports import reports as list_reports
from api.roles import Action
from api.search_terms import identifier_keys, lucene_query, search_words
from api.settings import ApiSettings
from graph_schema.loader import GraphModel
from graph_schema.provenance import split_node_fact
from queries.runner import run_saved_query
from queries.spec import SavedQuery
from reports.job_runs import job_runs


def _needs(action: Action) -> type[BasePermission]:
    class Allowed(BasePermission):
        message = f"your role may not {action.value.replace('_', ' ')} (needs {action.needs})"

        def has_permission(self, source: Any, info: Info[Context, None], **kwargs: Any) -> bool:
            allowed = info.context.principal.role.allows(action.needs)
            if not allowed:
                info.context.audit.outcome = "denied"
            return allowed

        def on_unauthorized(self) -> None:
            raise PermissionError(self.message)

    Allowed.__name__ = f"Can{action.value.title().replace('_', '')}"
    return Allowed


CanRunSavedQuery = _needs(Action.RUN_SAVED_QUERY)
CanRunAnalysis = _needs(Action.RUN_ANALYSIS)


@strawberry.type(description="Nodes and edges around a node, ready to draw.")
class Subgraph:
    nodes: list[Entity] = strawberry.field(description="Nearest first; the centre is first.")
    edges: list[Edge]
    truncated: bool = strawberry.field(description="True when `limit` cut the result.")
    collapsed_hubs: list[strawberry.ID] = strawberry.field(
        description="Hub identifiers drawn but not expanded (hub policy)."
    )


@strawberry.type(description="One connection between two entities: its nodes and hops in order.")
class Route:
    length: int
    nodes: list[Entity]
    hops: list[Edge] = strawberry.field(
        description="Each hop's relationship; its `evidence` lists the records asserting it."
    )


@strawberry.enum(description="How to order networks.")
class NetworkOrder(enum.Enum):
    RANK = "rank"
    SIZE = "size"


@strawberry.enum(description="Person measures of the latest analysis run.")
class RankingMetric(enum.Enum):
    PAGERANK = "pagerank"
    BETWEENNESS = "betweenness"
    BROKER_SCORE = "broker_score"
    CONNECTOR_SCORE = "connector_score"


@strawberry.type(description="A person's place in a ranking.")
class Ranked:
    rank: int
    value: float
    person: Entity


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


@strawberry.type(description="Who the API key in use belongs to.")
class Me:
    key_id: str
    name: str
    role: str


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


async def _latest_run(info: Info[Context, None]) -> str | None:
    rows = await blocking(info.context.reads.records, "AnalysisRun", 0, 1, "completed")
    return str(rows[0]["run_id"]) if rows else None


def _query_type(types: GraphTypes) -> type[Any]:
    RelType = types.RelType  # noqa: N806 - a GraphQL enum built from the model

    @strawberry.type(description="Reading the graph. Every field needs an API key.")
    class Query:
        @strawberry.field(description="The API key in use: its id, holder and role.")
        def me(self, info: Info[Context, None]) -> Me:
            p = info.context.principal
            return Me(key_id=p.key_id, name=p.name, role=p.role.value)

        @strawberry.field(description="One entity by id (`Label:key`, e.g. `Phone:+639171234567`).")
        async def node(self, info: Info[Context, None], id: strawberry.ID) -> Entity | None:
            label, _ = _entity_id(str(id))
            _check_label(info, label, "id")
            return await info.context.loaders.nodes.load(str(id))

        @strawberry.field(
            description=(
                "Find entities by name, handle, phone number in any format, or wallet address. "
                "Exact identifier matches come first, then full-text hits by relevance."
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

        @strawberry.field(
            description=(
                "The entities and relationships within `depth` hops of one entity, nearest "
                "first. Hub identifiers are drawn but not expanded; undated relationships are "
                "kept by `since`/`until`, dated ones must overlap the window."
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
            label, key = _entity_id(str(id))
            _check_label(info, label, "id")
            if not 1 <= depth <= MAX_DEPTH:
                raise UserError(f"depth must be 1 to {MAX_DEPTH}")
            cap = info.context.api.max_neighbourhood
            if not 1 <= limit <= cap:
                raise UserError(f"limit must be 1 to {cap}")
            found = await blocking(
                info.context.reads.neighbourhood,
                label,
                key,
                depth,
                _type_names(types),
                since,
                until,
                limit,
            )
            if found is None:
                return None
            drawn = _drawn(info, found.nodes)
            centre = f"{label}:{key}"
            collapsed = [e.id for e in drawn.values() if e.hub and str(e.id) != centre]
            return Subgraph(
                nodes=list(drawn.values()),
                edges=list(_edges(info, found.rels, drawn)),
                truncated=found.truncated,
                collapsed_hubs=collapsed,
            )

        @strawberry.field(
            description=(
                "Shortest connections between two entities (never through a hub), shortest "
                "first. timeRespecting: each dated hop no earlier than the one before it."
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
            source = _entity_id(str(from_))
            target = _entity_id(str(to))
            _check_label(info, source[0], "from")
            _check_label(info, target[0], "to")
            if not 1 <= max_hops <= MAX_HOPS:
                raise UserError(f"maxHops must be 1 to {MAX_HOPS}")
            if not 1 <= first <= MAX_PATHS:
                raise UserError(f"first must be 1 to {MAX_PATHS}")
            found: list[Path] = await blocking(
                info.context.reads.paths,
                source,
                target,
                max_hops,
                time_respecting,
                _type_names(types),
                first,
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

        @strawberry.field(
            description="Networks of an analysis run (default: the latest completed run)."
        )
        async def networks(
            self,
            info: Info[Context, None],
            run: str | None = None,
            min_size: int = 3,
            order_by: NetworkOrder = NetworkOrder.RANK,
            first: int = 20,
            after: str | None = None,
        ) -> Connection[Network]:
            start, size = page_of(first, after, info.context.api)
            run_id = run or await _latest_run(info)
            if run_id is None:
                return Connection.of([], 0, False, 0)
            rows = await blocking(
                info.context.reads.networks,
                info.context.network_label,
                run_id,
                min_size,
                order_by.value,
                start,
                size + 1,
            )
            return Connection.of([network(r) for r in rows[:size]], start, len(rows) > size)

        @strawberry.field(description="One network by id (`analysis run id:community`).")
        async def network(self, info: Info[Context, None], id: strawberry.ID) -> Network | None:
            return await info.context.loaders.networks.load(str(id))

        @strawberry.field(description="People ranked by a measure of the latest analysis run.")
        async def rankings(
            self, info: Info[Context, None], metric: RankingMetric, first: int = 20
        ) -> list[Ranked]:
            page_of(first, None, info.context.api)
            nodes = await blocking(info.context.reads.rankings, metric.value, first)
            out = []
            for number, node in enumerate(nodes, start=1):
                entity = info.context.entity(node)
                if entity is not None:
                    out.append(Ranked(rank=number, value=float(node[metric.value]), person=entity))
            return out

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
                label = next(
                    (lb for lb in node["labels"] if lb in info.context.types.entities), None
                )
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

        @strawberry.field(description="Ingest runs, newest first.")
        async def ingest_runs(
            self, info: Info[Context, None], first: int = 20, after: str | None = None
        ) -> Connection[IngestRun]:
            start, size = page_of(first, after, info.context.api)
            rows = await blocking(info.context.reads.records, "IngestRun", start, size + 1)
            return Connection.of([ingest_run(r) for r in rows[:size]], start, len(rows) > size)

        @strawberry.field(description="Network-detection reports, newest first.")
        async def reports(self, info: Info[Context, None], first: int = 20) -> list[Report]:
            page_of(first, None, info.context.api)
            found = await blocking(list_reports, info.context.services.settings.data_dir)
            return found[:first]

        @strawberry.field(description="Runs of scheduled jobs (of one job, or all), newest first.")
        async def job_runs(
            self, info: Info[Context, None], job: str | None = None, first: int = 50
        ) -> list[JobRun]:
            page_of(first, None, info.context.api)
            services = info.context.services
            info.context.audit.trips.add()
            runs = await blocking(
                partial(
                    job_runs,
                    services.driver,
                    services.settings.neo4j_database,
                    job,
                    first,
                    model=services.model,
                )
            )
            return [job_run(r) for r in runs]

        @strawberry.field(description="Analysis runs, newest first.")
        async def analysis_runs(
            self, info: Info[Context, None], first: int = 20, after: str | None = None
        ) -> Connection[AnalysisRun]:
            start, size = page_of(first, after, info.context.api)
            rows = await blocking(info.context.reads.records, "AnalysisRun", start, size + 1)
            return Connection.of([analysis_run(r) for r in rows[:size]], start, len(rows) > size)

    return Query


@strawberry.type(description="Changing what the graph holds. Role-gated.")
class Mutation:
    @strawberry.mutation(
        description=(
            "Run an analysis (analyst role) and return its run record once it completes; "
            "the API keeps serving meanwhile. Parameters default to the server's settings."
        ),
        permission_classes=[CanRunAnalysis],
    )
    async def start_analysis(
        self,
        info: Info[Context, None],
        engine: str | None = None,
        algorithm: str | None = None,
        resolution: float | None = None,
        seed: int | None = None,
    ) -> AnalysisRun:
        given = {
            k: v
            for k, v in {
                "engine": engine,
                "algorithm": algorithm,
                "resolution": resolution,
                "seed": seed,
            }.items()
            if v is not None
        }
        try:
            analytics = AnalyticsSettings(**given)  # type: ignore[arg-type]
        except ValueError as error:
            raise UserError(f"invalid analysis parameters: {error}") from None
        services = info.context.services
        with analysis_slot(services.settings.data_dir):
            info.context.audit.trips.add()
            summary = await blocking(
                run_analysis,
                services.driver,
                services.model,
                services.settings.neo4j_database,
                analytics,
            )
        return analysis_run(summary.run.properties() | {"run_id": summary.run.run_id})


# Beside the server's other files: the lock its worker processes share (analysis_slot).
ANALYSIS_LOCK_FILE = "analysis.lock"


@contextmanager
def analysis_slot(data_dir: pathlib.Path) -> Iterator[None]:
    """Hold the server's one analysis slot while the block runs; UserError when taken.

    An exclusive `flock` on `<data_dir>/analysis.lock`, so that the worker processes
    of one server (`LINKGRAPH_API_WORKERS`) run one analysis at a time between them.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / ANALYSIS_LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(
                "an analysis is already running on this server; try again later"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def validation_rules(api: ApiSettings) -> list[type[ASTValidationRule]]:
    """The rules added to GraphQL's own: depth and alias limits."""
    return [
        *QueryDepthLimiter(max_depth=api.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=api.max_aliases).validation_rules,
    ]


def build_schema(types: GraphTypes, api: ApiSettings) -> strawberry.Schema:
    """The API's schema for the model's `types`, with depth, alias and complexity limits.

    A request served through the middleware arrives parsed and validated
    (`UsePrepared`); the rules are added here too, so no other path runs without them.
    """
    return QuietSchema(
        query=_query_type(types),
        mutation=Mutation,
        types=types.classes,
        extensions=[
            UsePrepared,
            lambda: AddValidationRules(validation_rules(api)),
            complexity_limit(api.max_complexity),
            Outcomes,
        ],
    )


def preparer(schema: strawberry.Schema, api: ApiSettings) -> Preparer:
    """Parses and validates documents for `schema` as strawberry would, off the event loop."""
    return Preparer(schema._schema, (*specified_rules, *validation_rules(api)), api)


def sdl(model: GraphModel) -> str:
    """The schema as SDL text (committed as docs/schema.graphql)."""
    return build_schema(GraphTypes(model), ApiSettings()).as_str() + "\n"
