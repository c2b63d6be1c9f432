"""A GraphQL document parsed and validated in a worker thread, before strawberry runs.

Strawberry parses and validates on the event loop, and validation compares fields
pairwise: a document within the edge's limits can still take hundreds of
milliseconds, during which no other request (`/healthz` included) is answered.
So the middleware does both in a worker thread, through `Preparer` (checked
against the edge's limits first, cached per document text, as a front end sends
the same few documents over and over), and `UsePrepared` hands strawberry the
result, which then neither parses nor validates again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from graphql import ASTValidationRule, DocumentNode, GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from api.edge import Screened, check_document, check_value
from api.settings import ApiSettings

# Distinct documents kept: front ends send a few queries over and over; the bound
# keeps unique texts from growing memory.
CACHED_DOCUMENTS = 256


@dataclass(frozen=True)
class Prepared:
    """One document: its text, its parse, and what validation found wrong with it."""

    query: str
    document: DocumentNode
    errors: tuple[GraphQLError, ...]


class Preparer:
    """Checks, parses and validates documents against one schema and rule set."""

    def __init__(
        self, schema: GraphQLSchema, rules: Sequence[type[ASTValidationRule]], api: ApiSettings
    ) -> None:
        """Validation by `rules` (beside strawberry's own) within `api`'s limits."""
        self._schema = schema
        self._rules = tuple(rules)
        self._api = api
        self.prepare = lru_cache(maxsize=CACHED_DOCUMENTS)(self._prepare)

    def screen(self, request: Screened) -> Prepared | None:
        """The request's document prepared, once every string and value in it passed
        the edge (`RefusedError` otherwise); None when it has no document."""
        for where, value in (
            ("query", request.query),
            ("variables", request.variables),
            ("operationName", request.operation),
        ):
            check_value(value, where, self._api.max_nesting)
        return None if request.query is None else self.prepare(request.query)

    def _prepare(self, query: str) -> Prepared:
        # RefusedError (from the edge's checks) is raised, not cached.
        document = check_document(query, self._api)
        errors = validate_document(self._schema, document, self._rules)
        return Prepared(query=query, document=document, errors=tuple(errors))


class UsePrepared(SchemaExtension):
    """Gives strawberry the request's prepared document and validation, when it has one."""

    def _prepared(self) -> Prepared | None:
        prepared = getattr(self.execution_context.context, "prepared", None)
        if isinstance(prepared, Prepared) and prepared.query == self.execution_context.query:
            return prepared
        return None

    def on_parse(self) -> Iterator[None]:
        """Skip parsing: the document was parsed in the worker thread."""
        prepared = self._prepared()
        if prepared is not None:
            self.execution_context.graphql_document = prepared.document
        yield

    def on_validate(self) -> Iterator[None]:
        """Skip validation: its errors (none, or some) were found in the worker thread."""
        prepared = self._prepared()
        if prepared is not None:
            self.execution_context.pre_execution_errors = list(prepared.errors)
        yield
