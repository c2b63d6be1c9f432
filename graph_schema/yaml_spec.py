"""Strict YAML files read into pydantic specs, with errors that name the file and key.

The graph model, ingest mappings and saved queries are all such files; this is
the one way they are read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

SpecT = TypeVar("SpecT", bound=BaseModel)


def read_spec(
    path: Path, spec: type[SpecT], error: type[Exception], missing: str = "no such file"
) -> SpecT:
    """`path` validated as `spec`; `error` (one line per problem) when it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: {missing}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as problem:
        raise error(f"{path}: not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise error(f"{path}: expected a mapping at the top level")
    try:
        # JSON mode is strict about types (no "1" for 1, no "yes" for true) while
        # enum members are still plain strings in the YAML.
        return spec.model_validate_json(json.dumps(data, default=str))
    except ValidationError as problem:
        lines = key_lines(text)
        raise error(
            "\n".join(
                f"{path}: key {where}: {message}{at_line(lines, where)}"
                for where, message in _problems(problem, spec)
            )
        ) from None


Lines = dict[tuple[str, ...], int]


def key_lines(text: str) -> Lines:
    """The line (from 1) of every key and list item in a YAML text, by its path.

    A path is the keys and list indexes leading to the value, as strings
    (`("relationships", "0", "type")`). Empty for a text that is not YAML.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    found: Lines = {}

    def walk(node: yaml.Node | None, path: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                inner = (*path, str(key.value))
                found.setdefault(inner, key.start_mark.line + 1)
                walk(value, inner)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                inner = (*path, str(index))
                found.setdefault(inner, item.start_mark.line + 1)
                walk(item, inner)

    walk(root, ())
    return found


def at_line(lines: Lines, where: str | Sequence[str]) -> str:
    """` (line N)` for the deepest key of `where` (dotted, or parts) that the text has."""
    parts = tuple(where.split(".") if isinstance(where, str) else where)
    while parts:
        if parts in lines:
            return f" (line {lines[parts]})"
        parts = parts[:-1]
    return ""


def _problems(problem: ValidationError, spec: type[BaseModel]) -> Iterator[tuple[str, str]]:
    fields = set(spec.model_fields)
    for item in problem.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = item["msg"]
        if not where:
            # A check of the whole spec names its key first ("cypher: ...").
            key, sep, rest = message.removeprefix("Value error, ").partition(": ")
            where, message = (key, rest) if sep and key in fields else ("(top level)", message)
        yield where, message
