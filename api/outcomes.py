"""How a GraphQL operation ended, for the client and for the audit record.

One extension sorts every error of a result:

- an error about the request (its document, a variable, an id, a page, a role,
  a limit) keeps its message, and the request is audited as `refused` (or
  `denied`, when a role was too low);
- a fault of the server (a bug, a database failure) reaches the client as
  "Unexpected error" with an error id; the traceback is logged under that id and
  the request is audited as `error` with it.

It also reports the request's round trips to Neo4j in the response's `extensions`.
`QuietSchema` keeps strawberry from logging each error a second time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from api.context import Context
from api.errors import UserError, new_error_id
from api.pagination import PageError
from queries.params import ParameterError
from queries.runner import QueryRefusedError

LOG = logging.getLogger("linkgraph.api")

# Errors raised by resolvers whose message is meant for the client.
CLIENT_ERRORS = (UserError, PageError, PermissionError, ParameterError, QueryRefusedError)


def server_fault(error: GraphQLError) -> bool:
    """True for an error the client did not cause: raised in a resolver, of no client kind.

    Errors without a path come from parsing, validation or variable coercion
    (a malformed DateTime, say): the request's own fault, whatever raised them.
    """
    original = error.original_error
    return (
        original is not None and error.path is not None and not isinstance(original, CLIENT_ERRORS)
    )


class Outcomes(SchemaExtension):
    """Masks server faults behind an error id and notes the outcome for the audit."""

    def on_operation(self) -> Iterator[None]:
        """Sort the finished operation's errors."""
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        context = self.execution_context.context
        audit = context.audit if isinstance(context, Context) else None
        shown: list[GraphQLError] = []
        notes: list[str] = []
        faulted = False
        for error in result.errors:
            if server_fault(error):
                faulted = True
                error_id = new_error_id()
                original = error.original_error
                LOG.error(
                    "internal error %s in %s",
                    error_id,
                    ".".join(str(p) for p in error.path or ()),
                    exc_info=(type(original), original, original.__traceback__)
                    if original is not None
                    else None,
                )
                notes.append(f"internal error {error_id}: {type(original).__name__}")
                shown.append(
                    GraphQLError(
                        f"Unexpected error; quote error id {error_id}",
                        nodes=error.nodes,
                        path=error.path,
                        extensions={"errorId": error_id},
                    )
                )
            else:
                notes.append(error.message)
                shown.append(error)
        result.errors = shown
        if audit is not None:
            if faulted:
                audit.outcome = "error"
            elif audit.outcome != "denied":
                audit.outcome = "refused"
            audit.message = "; ".join(notes)  # capped by the log

    def get_results(self) -> dict[str, Any]:
        """`extensions.roundTrips`: reads this request sent to Neo4j."""
        context = self.execution_context.context
        if isinstance(context, Context):
            return {"roundTrips": context.audit.trips.count}
        return {}


class QuietSchema(strawberry.Schema):
    """A schema that leaves logging to `Outcomes`: strawberry would log every error with
    a traceback, so each refused request (a bad cursor, a limit) would flood the log;
    refusals are in the audit, and faults are logged once, under their error id."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Note refusals at debug level; `Outcomes` logs server faults."""
        for error in errors:
            if not server_fault(error):
                LOG.debug("refused: %s", error.message)
