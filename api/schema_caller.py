"""The caller: who holds the API key in use (`me`), and the role gates of fields."""

# No `from __future__ import annotations`, as in the other parts of the schema.

from typing import Any

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from api.context import Context
from api.roles import Action


def needs(action: Action) -> type[BasePermission]:
    """A field permission: the caller's role must allow `action`; denials are audited."""

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


@strawberry.type(description="Who the API key in use belongs to.")
class Me:
    key_id: str
    name: str
    role: str


@strawberry.type
class CallerQuery:
    """The query fields about the caller."""

    @strawberry.field(description="The API key in use: its id, holder and role.")
    def me(self, info: Info[Context, None]) -> Me:
        p = info.context.principal
        return Me(key_id=p.key_id, name=p.name, role=p.role.value)
