"""The GraphQL schema: what visual front ends and analysts ask of the graph.

`build_schema(types, api)` puts the query and mutation roots together from the
schema's parts, with the entity types derived from the graph model, the limits and
the audit extension:

- api/schema_caller.py: `me`, and the role gates of fields
- api/schema_graph.py: one entity, search, neighbourhood, paths
- api/schema_analysis.py: networks, rankings, `startAnalysis`
- api/schema_resolution.py: the review queue, identities, judging pairs of records
- api/schema_library.py: saved queries, running one
- api/schema_runs.py: ingest, analysis and job runs, reports
"""

from collections.abc import Sequence
from typing import Any

import strawberry
from graphql import ASTValidationRule, specified_rules
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    QueryDepthLimiter,
)

from api.graphtypes import GraphTypes
from api.limits import complexity_limit
from api.outcomes import Outcomes, QuietSchema
from api.prepared import Preparer, UsePrepared
from api.schema_analysis import ANALYSIS_LOCK_FILE, AnalysisMutation, AnalysisQuery
from api.schema_caller import CallerQuery
from api.schema_graph import graph_query
from api.schema_library import LibraryQuery
from api.schema_resolution import ResolutionMutation, ResolutionQuery
from api.schema_runs import RunsQuery
from api.settings import ApiSettings
from graph_schema.loader import GraphModel

__all__ = ["ANALYSIS_LOCK_FILE", "build_schema", "preparer", "sdl", "validation_rules"]


def _root(name: str, description: str, parts: Sequence[type[Any]]) -> type[Any]:
    """A root type with the fields of `parts`, the first part's fields first."""
    fields = [field.name for part in parts for field in part.__strawberry_definition__.fields]
    clashes = sorted({field for field in fields if fields.count(field) > 1})
    if clashes:
        # A later part's field would silently hide an earlier one of the same name.
        raise ValueError(f"{name}: fields defined by more than one part: {', '.join(clashes)}")
    # What `strawberry.tools.merge_types` does, with the root's description.
    return strawberry.type(type(name, tuple(parts), {}), name=name, description=description)


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
    query = _root(
        "Query",
        "Reading the graph. Every field needs an API key.",
        [CallerQuery, graph_query(types), AnalysisQuery, ResolutionQuery, LibraryQuery, RunsQuery],
    )
    mutation = _root(
        "Mutation",
        "Changing what the graph holds. Role-gated.",
        [AnalysisMutation, ResolutionMutation],
    )
    return QuietSchema(
        query=query,
        mutation=mutation,
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
