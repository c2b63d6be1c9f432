"""Roles of API keys, ordered viewer < analyst < admin, and what each one may do."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

_RANKS = {"viewer": 0, "analyst": 1, "admin": 2}


class Role(StrEnum):
    """A key's role. Each role may do what the roles below it may do.

    The comparison operators compare ranks, not strings: as plain strings
    "admin" < "viewer", which would silently invert every `>=` check.
    """

    VIEWER = "viewer"  # reads the graph, runs, networks
    ANALYST = "analyst"  # also runs saved queries and analyses, and judges pairs of records
    ADMIN = "admin"  # also manages API keys

    @property
    def rank(self) -> int:
        """0 for viewer, 1 for analyst, 2 for admin."""
        return _RANKS[self.value]

    def allows(self, needed: Role) -> bool:
        """True when this role may do what `needed` may do."""
        return self.rank >= needed.rank

    def _other_rank(self, other: Any) -> int:
        if not isinstance(other, Role):
            raise TypeError(f"cannot compare a Role with {type(other).__name__}")
        return other.rank

    def __lt__(self, other: object) -> bool:
        return self.rank < self._other_rank(other)

    def __le__(self, other: object) -> bool:
        return self.rank <= self._other_rank(other)

    def __gt__(self, other: object) -> bool:
        return self.rank > self._other_rank(other)

    def __ge__(self, other: object) -> bool:
        return self.rank >= self._other_rank(other)


class Action(StrEnum):
    """What a request does, for the role check (`Role.allows(action.needs)`)."""

    READ = "read"  # queries of the graph, runs and networks
    RUN_SAVED_QUERY = "run_saved_query"
    RUN_ANALYSIS = "run_analysis"
    JUDGE = "judge"  # entity resolution: judge a pair, undo, split an identity
    MANAGE_KEYS = "manage_keys"

    @property
    def needs(self) -> Role:
        """The lowest role allowed to do this."""
        return _NEEDS[self]


_NEEDS = {
    Action.READ: Role.VIEWER,
    Action.RUN_SAVED_QUERY: Role.ANALYST,
    Action.RUN_ANALYSIS: Role.ANALYST,
    Action.JUDGE: Role.ANALYST,
    Action.MANAGE_KEYS: Role.ADMIN,
}
