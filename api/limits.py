"""Query complexity: refuse a document that asks for too many objects before running it.

The estimate multiplies down the selection tree: a field costs one, plus its
children's cost times the number of items it may return (its `first` or `limit`
argument, read from the request's variables when given as one; one otherwise).
It runs once variables are known, just before execution. Depth and aliases are
limited by strawberry's own validation extensions beside this one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from strawberry.extensions import SchemaExtension

_SIZE_ARGUMENTS = ("first", "limit")


# What `first`/`limit` count as when a variable for them is not sent (the
# argument's default then applies; no list field defaults to more).
DEFAULT_PAGE = 200


def _multiplier(node: FieldNode, variables: dict[str, Any]) -> int:
    for argument in node.arguments or ():
        if argument.name.value in _SIZE_ARGUMENTS:
            if isinstance(argument.value, IntValueNode):
                return max(1, int(argument.value.value))
            if isinstance(argument.value, VariableNode):
                given = variables.get(argument.value.name.value)
                return max(1, given) if isinstance(given, int) else DEFAULT_PAGE
    return 1


def selection_cost(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
    seen: frozenset[str] = frozenset(),
) -> int:
    """Estimated objects a selection set asks for."""
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            children = selection_cost(selection.selection_set, fragments, variables, seen)
            total += 1 + _multiplier(selection, variables) * children
        elif isinstance(selection, InlineFragmentNode):
            total += selection_cost(selection.selection_set, fragments, variables, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                total += selection_cost(
                    fragments[name].selection_set, fragments, variables, seen | {name}
                )
    return total


def complexity_limit(max_cost: int) -> type[SchemaExtension]:
    """An extension refusing, before execution, operations that cost more than `max_cost`."""

    class ComplexityLimit(SchemaExtension):
        def on_execute(self) -> Iterator[None]:
            context = self.execution_context
            document = context.graphql_document
            if document is not None:
                fragments = {
                    d.name.value: d
                    for d in document.definitions
                    if isinstance(d, FragmentDefinitionNode)
                }
                variables = dict(context.variables or {})
                for definition in document.definitions:
                    if not isinstance(definition, OperationDefinitionNode):
                        continue
                    cost = selection_cost(definition.selection_set, fragments, variables)
                    if cost > max_cost:
                        name = definition.name.value if definition.name else "the operation"
                        error = GraphQLError(
                            f"{name} is too complex: it may return about {cost} objects "
                            f"(the limit is {max_cost}); ask for smaller pages or fewer fields"
                        )
                        # A result set here means strawberry does not execute at all.
                        context.result = ExecutionResult(data=None, errors=[error])
            yield

    return ComplexityLimit
