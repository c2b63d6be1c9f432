"""Errors a request can meet, and the id that ties a server fault's answer to its log line."""

from __future__ import annotations

import secrets


class UserError(ValueError):
    """A request the API cannot answer as asked; its message goes back to the client."""


def new_error_id() -> str:
    """A short random id for one server fault: the client quotes it, the log holds it."""
    return secrets.token_hex(6)
