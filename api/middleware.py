"""Keys and audit for every request: one plain ASGI middleware in front of every route.

It authenticates the bearer token (an API key, or an OIDC token when configured)
of every request but `/healthz`, refuses the request with 401 when that fails (503
when Neo4j, which holds the keys, cannot be reached), and appends the request's
audit record when the response starts, that is once the answer is known and
before any of it leaves. If the record cannot be written, the
client gets 503 instead of the answer: nothing is served that the trail does not
hold. (A plain ASGI class, not Starlette's `BaseHTTPMiddleware`, which costs a
task group per request.)
"""

from __future__ import annotations

import json
import time
from contextlib import suppress
from typing import Any

from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.audit import AuditError, Channel, Outcome
from api.context import RequestAudit, Services, blocking
from api.keys import Principal
from api.oidc import authenticate_bearer

GRAPHQL_PATH = "/graphql"
# Routes anyone may call: a liveness probe says nothing about the data.
OPEN_PATHS = frozenset({"/healthz"})


def bearer(header: bytes | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, None otherwise."""
    if not header:
        return None
    scheme, _, token = header.decode("latin-1").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def _reply(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps({"detail": detail}).encode()
    start = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": start + headers})
    await send({"type": "http.response.body", "body": body})


class KeyAndAudit:
    """Authenticate, then audit, every HTTP request but the open ones."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request (lifespan and other scopes pass straight through)."""
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        state = scope["app"].state
        services: Services = state.services
        token = bearer(dict(scope["headers"]).get(b"authorization"))
        audit = RequestAudit()
        route = f"{scope['method']} {scope['path']}"
        principal: Principal | None = None

        def record(status: int) -> None:
            if status >= 400 and audit.outcome == "ok":
                audit.outcome = "error"
            state.audit.append(
                channel=Channel.GRAPHQL if scope["path"].startswith(GRAPHQL_PATH) else Channel.REST,
                operation=audit.operation or route,
                who=principal,
                query=audit.query,
                route=route,
                variables=audit.variables,
                entities=sorted(audit.entities),
                duration_ms=(time.perf_counter() - began) * 1000,
                outcome=Outcome(audit.outcome),
                message=audit.message,
            )

        try:
            if token:
                principal = await blocking(authenticate_bearer, token, services.keys, state.oidc)
        except (ServiceUnavailable, SessionExpired, Neo4jError, OSError) as error:
            # Keys live in Neo4j: without it no key can be checked, and the caller
            # (a readiness probe among them) is told so, not handed an internal error.
            audit.outcome, audit.message = "error", f"cannot check the key: {error}"
            detail = "Neo4j is not reachable, so no key can be checked; try again later"
            try:
                record(503)
            except (AuditError, OSError) as audit_error:
                detail = f"audit log unavailable: {audit_error}"
            await _reply(send, 503, detail, [])
            return

        if principal is None:
            audit.outcome = "denied"
            audit.message = "invalid API key" if token else "no API key"
            try:
                record(401)
            except (AuditError, OSError) as error:
                await _reply(send, 503, f"audit log unavailable: {error}", [])
                return
            challenge = [(b"www-authenticate", b"Bearer")]
            await _reply(
                send, 401, f"{audit.message}: send `Authorization: Bearer <key>`", challenge
            )
            return

        scope.setdefault("state", {})
        scope["state"]["principal"] = principal
        scope["state"]["audit"] = audit
        refused: dict[str, Any] = {}
        started: list[bool] = []

        async def send_after_audit(message: Message) -> None:
            if refused:
                return  # the 503 went out instead; drop the answer's body
            if message["type"] == "http.response.start":
                started.append(True)
                try:
                    record(int(message["status"]))
                except (AuditError, OSError) as error:
                    refused["error"] = error
                    await _reply(send, 503, f"audit log unavailable: {error}", [])
                    return
            await send(message)

        try:
            await self.app(scope, receive, send_after_audit)
        except Exception as error:
            # A failure before any answer: the server's error handler replies 500, and
            # the trail still holds the request (who asked what), marked failed.
            if not started:
                audit.outcome, audit.message = "error", f"internal error: {type(error).__name__}"
                with suppress(AuditError, OSError):  # the original error is the one to raise
                    record(500)
            raise
