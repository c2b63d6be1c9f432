"""Query complexity: refuse a document that asks for too many objects before running it.

The estimate multiplies down the selection tree: a field costs one, plus its
children's cost times the number of items it may return (its `first` or `limit`
argument; the largest page the API allows when that argument is a variable,
since validation runs before variables are known; one otherwise). Depth and
aliases are limited by strawberry's own extensions beside this one.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
)

_SIZE_ARGUMENTS = ("first", "limit")


def _multiplier(node: FieldNode, unknown: int) -> int:
    for argument in node.arguments or ():
        if argument.name.value in _SIZE_ARGUMENTS:
            if isinstance(argument.value, IntValueNode):
                return max(1, int(argument.value.value))
            if isinstance(argument.value, VariableNode):
                return unknown
    return 1


def selection_cost(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    unknown: int,
    seen: frozenset[str] = frozenset(),
) -> int:
    """Estimated objects a selection set asks for."""
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            children = selection_cost(selection.selection_set, fragments, unknown, seen)
            total += 1 + _multiplier(selection, unknown) * children
        elif isinstance(selection, InlineFragmentNode):
            total += selection_cost(selection.selection_set, fragments, unknown, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                total += selection_cost(
                    fragments[name].selection_set, fragments, unknown, seen | {name}
                )
    return total


def complexity_rule(max_cost: int, unknown: int) -> type[ValidationRule]:
    """A validation rule refusing operations whose estimated cost exceeds `max_cost`."""

    class Complexity(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            fragments = {
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            for definition in document.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                cost = selection_cost(definition.selection_set, fragments, unknown)
                if cost > max_cost:
                    name = definition.name.value if definition.name else "the operation"
                    context.report_error(
                        GraphQLError(
                            f"{name} is too complex: it may return about {cost} objects "
                            f"(the limit is {max_cost}); ask for smaller pages or fewer fields",
                            definition,
                        )
                    )

        def enter(self, *args: Any) -> None:
            return None

    return Complexity
