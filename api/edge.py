"""The edge: a GraphQL request screened before anything parses it as GraphQL.

Parsing and validating a document costs time that grows with its size, and
validation compares fields pairwise, so one large document could hold the
process. Every request to `/graphql` is therefore checked here first, in an
order where each check bounds the cost of the next:

1. the body's size (`max_body_bytes`), before it is read;
2. UTF-8, then JSON, then the shape `{"query", "variables", "operationName"}`;
3. no lone surrogate (``"\\ud800"`` is valid JSON but not text) in any string, and
   no list or object nested deeper than `max_nesting`;
4. the document's length (`max_document_chars`), then its tokens (`max_tokens`)
   and brace nesting, counted by the lexer before the parser runs;
5. the fields it selects (`max_fields`), counted on the parsed document.

A request that breaks one is refused with a `RefusedError` naming the limit, which the
middleware answers (400, 413 or 415) and audits as `refused`. Checks 3 to 5 run in
a worker thread, with parsing and validation (`api/prepared.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLSyntaxError,
    InlineFragmentNode,
    Lexer,
    Source,
    TokenKind,
    parse,
)
from graphql.language.ast import ExecutableDefinitionNode

from api.settings import ApiSettings

_OPENING = frozenset({TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L})
_CLOSING = frozenset({TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R})


class RefusedError(Exception):
    """A request refused at the edge: the HTTP status and what is wrong."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Screened:
    """What a screened GraphQL request asks: its document, variables and operation."""

    query: str | None
    variables: dict[str, Any] = field(default_factory=dict)
    operation: str | None = None


def read_json_body(body: bytes, api: ApiSettings) -> Screened:
    """The request a JSON body holds, or `RefusedError` when it is not UTF-8 JSON of that
    shape (the body's size is the reader's to bound: the middleware stops at the limit)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RefusedError(400, f"the body is not UTF-8: byte {error.start} is invalid") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise RefusedError(
            400, f"the body is not JSON: {error.msg} at character {error.pos}"
        ) from None
    except RecursionError:
        raise RefusedError(400, f"the body nests deeper than {api.max_nesting} levels") from None
    if not isinstance(value, dict):
        raise RefusedError(400, "send one operation as a JSON object with a `query`")
    return _shaped(value.get("query"), value.get("variables"), value.get("operationName"))


def read_query_string(query_string: bytes, api: ApiSettings) -> Screened:
    """The request a GET's query string holds (`query`, `variables` as JSON, `operationName`)."""
    try:
        params = parse_qs(query_string.decode("latin-1"), errors="strict")
    except UnicodeDecodeError:
        raise RefusedError(400, "the query string is not UTF-8") from None
    variables: Any = None
    if "variables" in params:
        try:
            variables = json.loads(params["variables"][0])
        except json.JSONDecodeError as error:
            raise RefusedError(400, f"variables: not JSON: {error.msg}") from None
        except RecursionError:
            raise RefusedError(
                400, f"variables nest deeper than {api.max_nesting} levels"
            ) from None
    return _shaped(
        params.get("query", [None])[0], variables, params.get("operationName", [None])[0]
    )


def _shaped(query: Any, variables: Any, operation: Any) -> Screened:
    if query is not None and not isinstance(query, str):
        raise RefusedError(400, "query: give the GraphQL document as a string")
    if variables is not None and not isinstance(variables, dict):
        raise RefusedError(400, "variables: give a JSON object of variable names to values")
    if operation is not None and not isinstance(operation, str):
        raise RefusedError(400, "operationName: give the operation's name as a string")
    return Screened(query=query, variables=dict(variables or {}), operation=operation)


def check_value(value: Any, where: str, max_nesting: int) -> None:
    """`RefusedError` when a string in `value` holds a lone surrogate or it nests too deep.

    Iterative, so a deep value cannot exhaust the interpreter's stack.
    """
    stack: list[tuple[str, Any, int]] = [(where, value, 0)]
    while stack:
        path, item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item, path)
        elif isinstance(item, dict | list):
            if depth >= max_nesting:
                raise RefusedError(400, f"{path}: nested deeper than {max_nesting} levels")
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(key, str):
                    _check_text(key, f"{path} (a key)")
                stack.append(
                    (
                        f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]",
                        child,
                        depth + 1,
                    )
                )


def _check_text(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        raise RefusedError(
            400,
            f"{where}: character {error.start} is a lone surrogate (U+{code:04X}), "
            "which is not text; send UTF-8 text",
        ) from None


def check_document(query: str, api: ApiSettings) -> DocumentNode:
    """The parsed document, once its length, tokens, nesting and fields are within limits."""
    if len(query) > api.max_document_chars:
        raise RefusedError(
            400,
            f"the document has {len(query)} characters; the limit is {api.max_document_chars}",
        )
    lexer = Lexer(Source(query))
    tokens = depth = 0
    try:
        token = lexer.advance()
        while token.kind is not TokenKind.EOF:
            tokens += 1
            if tokens > api.max_tokens:
                raise RefusedError(400, f"the document has more than {api.max_tokens} tokens")
            if token.kind in _OPENING:
                depth += 1
                if depth > api.max_nesting:
                    raise RefusedError(
                        400, f"the document nests deeper than {api.max_nesting} levels"
                    )
            elif token.kind in _CLOSING:
                depth -= 1
            token = lexer.advance()
        # Bounded by the checks above: the parser's recursion cannot go deeper than
        # the nesting, nor its work past the token count.
        document = parse(query, no_location=True)
    except GraphQLSyntaxError as error:
        raise RefusedError(400, f"the document is not GraphQL: {error.message}") from None
    fields = count_fields(document)
    if fields > api.max_fields:
        raise RefusedError(
            400, f"the document selects {fields} fields; the limit is {api.max_fields}"
        )
    return document


def count_fields(document: DocumentNode) -> int:
    """Field selections written in the document (fragments counted once, where defined)."""
    count = 0
    stack = [
        d.selection_set for d in document.definitions if isinstance(d, ExecutableDefinitionNode)
    ]
    while stack:
        selection_set = stack.pop()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += 1
                if selection.selection_set is not None:
                    stack.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
    return count


def operation_label(query: str, operation: str | None) -> str:
    """What the audit calls an operation: its name, else its first field ("search")."""
    if operation:
        return operation
    body = query.split("{", 1)[1] if "{" in query else query
    words = body.replace("(", " ").replace("{", " ").split()
    return words[0] if words else "anonymous"
