"""Cursor pagination: `first` and `after` on every list, opaque cursors, one page type."""

from __future__ import annotations

import base64
from typing import Generic, TypeVar

import strawberry

from api.settings import ApiSettings

T = TypeVar("T")

_PREFIX = "offset:"


class PageError(ValueError):
    """A malformed cursor or a page larger than allowed."""


def cursor(offset: int) -> str:
    """The opaque cursor of the item at `offset` (clients must not parse it)."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def page_of(first: int, after: str | None, limits: ApiSettings) -> tuple[int, int]:
    """(offset of the page's first item, page size) from `first` and `after`.

    Only the cursors `cursor` writes, up to `max_offset`, are accepted: a crafted
    "-5" or a 30-digit offset would otherwise reach Cypher's SKIP and fail there.
    """
    max_page, max_offset = limits.max_page, limits.max_offset
    if not 1 <= first <= max_page:
        raise PageError(f"first must be 1 to {max_page}")
    if after is None:
        return 0, first
    if len(after) > 64:
        raise PageError("after: not a cursor this API gave (too long)")
    try:
        text = base64.urlsafe_b64decode(after.encode("ascii")).decode("ascii")
    except (ValueError, UnicodeError):
        raise PageError("after: not a cursor this API gave") from None
    offset = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not offset.isascii() or not offset.isdigit():
        raise PageError("after: not a cursor this API gave")
    if int(offset) >= max_offset:
        raise PageError(f"after: lists are paged up to item {max_offset}; narrow the request")
    return int(offset) + 1, first


@strawberry.type(description="Where a page ends and whether another follows.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.type(description="One page of a list.")
class Connection(Generic[T]):
    nodes: list[T]
    page_info: PageInfo
    total_count: int | None = strawberry.field(
        description="Items in the whole list, when known without reading it all."
    )

    @classmethod
    def of(
        cls, nodes: list[T], start: int, has_next: bool, total: int | None = None
    ) -> Connection[T]:
        """A page of `nodes` that starts at offset `start`."""
        end = cursor(start + len(nodes) - 1) if nodes else None
        info = PageInfo(has_next_page=has_next, end_cursor=end)
        return cls(nodes=nodes, page_info=info, total_count=total)
