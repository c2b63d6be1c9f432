"""Keys, the edge and the audit of every request: one plain ASGI middleware in front of every route.

It authenticates the bearer token (an API key, or an OIDC token when configured)
of every request but `/healthz`, or, when no Authorization header is sent, the
browser session cookie a login at `/login` set (`api/sessions.py`). It refuses the
request with 401 when that fails (a browser asking for a page is sent to the login
page instead; 503 when Neo4j, which holds the keys, cannot be reached), refuses with
403 a state-changing request made with the session cookie whose `X-CSRF-Token` header
is not the session's CSRF token, screens a keyed request's
body at the edge (`api/edge.py`: size, encoding, document limits) and appends the
request's audit record when the response starts, that is once the answer is known
and before any of it leaves. If the record cannot be written, the client gets 503
instead of the answer: nothing is served that the trail does not hold. A fault of
the server is answered 500 with an error id that the log and the audit record
also carry. (A plain ASGI class, not Starlette's `BaseHTTPMiddleware`, which costs
a task group per request.)
"""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.audit import AuditError, Channel, Outcome
from api.context import RequestAudit, Services, blocking, within
from api.edge import (
    RefusedError,
    operation_label,
    read_json_body,
    read_query_string,
)
from api.errors import new_error_id
from api.keys import Principal
from api.oidc import authenticate_bearer
from api.sessions import CSRF_HEADER, SESSION_COOKIE, Session

GRAPHQL_PATH = "/graphql"
# Routes anyone may call: a liveness probe says nothing about the data.
OPEN_PATHS = frozenset({"/healthz"})
# Routes that answer with or without a session (the login form, logout) and audit
# what they do themselves.
LOGIN_PATH = "/login"
OIDC_LOGIN_PATH = "/login/oidc"
OIDC_CALLBACK_PATH = "/login/oidc/callback"
LOGIN_PATHS = frozenset({LOGIN_PATH, OIDC_LOGIN_PATH, OIDC_CALLBACK_PATH, "/logout"})
# Methods that change nothing: the only ones a session cookie alone may make, since a
# browser sends the cookie with whatever a page makes it send.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOG = logging.getLogger("linkgraph.api")


def bearer(header: bytes | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, None otherwise."""
    if not header:
        return None
    scheme, _, token = header.decode("latin-1").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def request_cookie(headers: dict[bytes, bytes], name: str) -> str | None:
    """The value of cookie `name` in a request's headers, None when absent or empty."""
    raw = headers.get(b"cookie")
    if not raw:
        return None
    return cookie_parser(raw.decode("latin-1")).get(name) or None


def wants_page(scope: Scope, headers: dict[bytes, bytes]) -> bool:
    """True for a browser asking to show a page (a GET whose Accept names HTML), which
    is sent to the login page rather than answered with JSON."""
    return scope["method"] in ("GET", "HEAD") and b"text/html" in headers.get(b"accept", b"")


def login_location(scope: Scope) -> str:
    """`/login?next=<the requested path and query>`."""
    target = scope["path"]
    query = scope.get("query_string", b"")
    if query:
        target += "?" + query.decode("latin-1")
    return f"{LOGIN_PATH}?{urlencode({'next': target})}"


async def _reply(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps({"detail": detail}).encode()
    start = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": start + headers})
    await send({"type": "http.response.body", "body": body})


class _Exchange:
    """One request's answer and its audit record, written before the answer leaves."""

    def __init__(self, scope: Scope, send: Send) -> None:
        self.scope, self.send = scope, send
        self.state = scope["app"].state
        self.audit = RequestAudit()
        self.route = f"{scope['method']} {scope['path']}"
        self.principal: Principal | None = None
        self.began = time.perf_counter()

    def record(self, status: int) -> None:
        """Append the request's audit record, its outcome settled by `status`."""
        audit = self.audit
        # The login route names the key it let in; every other route keeps the request's.
        who = self.scope.get("state", {}).get("principal", self.principal)
        if status >= 500 and audit.outcome in ("ok", "refused"):
            audit.outcome = "error"
        elif status >= 400 and audit.outcome == "ok":
            # A 4xx the route answered itself (a missing query, a wrong method).
            audit.outcome, audit.message = "refused", audit.message or f"HTTP {status}"
        graphql = self.scope["path"].startswith(GRAPHQL_PATH)
        self.state.audit.append(
            channel=Channel.GRAPHQL if graphql else Channel.REST,
            operation=audit.operation or self.route,
            who=who,
            query=audit.query,
            route=self.route,
            variables=audit.variables,
            entities=sorted(audit.entities),
            duration_ms=(time.perf_counter() - self.began) * 1000,
            outcome=Outcome(audit.outcome),
            message=audit.message,
        )

    async def answer(
        self, status: int, detail: str, extra: list[tuple[bytes, bytes]] | None = None
    ) -> None:
        """Record, then answer `detail` (503 instead, when the record cannot be written)."""
        try:
            self.record(status)
        except (AuditError, OSError) as error:
            status, detail, extra = 503, f"audit log unavailable: {error}", []
        await _reply(self.send, status, detail, extra or [])

    async def redirect(self, location: str) -> None:
        """Record, then send the browser to `location` (303; 503 when the record fails)."""
        try:
            self.record(303)
        except (AuditError, OSError) as error:
            await _reply(self.send, 503, f"audit log unavailable: {error}", [])
            return
        headers = [(b"location", location.encode("latin-1")), (b"content-length", b"0")]
        await self.send({"type": "http.response.start", "status": 303, "headers": headers})
        await self.send({"type": "http.response.body", "body": b""})

    async def end(self, outcome: str, message: str, status: int, detail: str) -> None:
        """End the request here with `outcome`, before the route runs."""
        self.audit.outcome, self.audit.message = outcome, message
        await self.answer(status, detail)


class KeyAndAudit:
    """Authenticate, screen, then audit, every HTTP request but the open ones."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request (lifespan and other scopes pass straight through)."""
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        exchange = _Exchange(scope, send)
        services: Services = exchange.state.services
        headers = dict(scope["headers"])
        token = bearer(headers.get(b"authorization"))
        # The cookie counts only without an Authorization header: a client that sends
        # a key means that key, and a bad one is not rescued by a cookie.
        cookie = None if b"authorization" in headers else request_cookie(headers, SESSION_COOKIE)
        session: Session | None = None
        try:
            if token:
                exchange.principal = await within(
                    services.api.request_timeout_s,
                    authenticate_bearer,
                    token,
                    services.keys,
                    exchange.state.oidc,
                )
            elif cookie:
                session = await within(
                    services.api.request_timeout_s, services.sessions.authenticate, cookie
                )
                exchange.principal = session.principal if session is not None else None
        except TimeoutError:
            seconds = services.api.request_timeout_s
            detail = f"Neo4j did not answer within {seconds:g} s, so no key can be checked"
            await exchange.end("error", detail, 503, f"{detail}; try again later")
            return
        except (ServiceUnavailable, SessionExpired, Neo4jError, OSError) as error:
            # Keys live in Neo4j: without it no key can be checked, and the caller
            # (a readiness probe among them) is told so, not handed an internal error.
            detail = "Neo4j is not reachable, so no key can be checked; try again later"
            await exchange.end("error", f"cannot check the key: {error}", 503, detail)
            return
        state = scope.setdefault("state", {})
        state["principal"], state["audit"], state["session"] = (
            exchange.principal,
            exchange.audit,
            session,
        )
        # The login form and logout answer with or without a session, and check their
        # CSRF tokens themselves.
        if scope["path"] not in LOGIN_PATHS:
            if exchange.principal is None:
                await _deny(exchange, headers, token, cookie)
                return
            if (
                session is not None
                and scope["method"] not in SAFE_METHODS
                and not session.csrf_matches(
                    headers.get(CSRF_HEADER.encode(), b"").decode("latin-1")
                )
            ):
                # Another site's page can make the browser send the cookie (SameSite
                # aside), but it cannot read the CSRF cookie to repeat it in a header.
                detail = (
                    f"a request made with the session cookie must send the {CSRF_HEADER} "
                    "header (the lg_csrf cookie)"
                )
                reason = f"missing or wrong {CSRF_HEADER} header"
                await exchange.end("refused", reason, 403, detail)
                return
        try:
            receive = await _screened(scope, headers, receive, services, exchange.audit)
        except RefusedError as refusal:
            await exchange.end("refused", refusal.reason, refusal.status, refusal.reason)
            return
        await self._route(scope, receive, exchange)

    async def _route(self, scope: Scope, receive: Receive, exchange: _Exchange) -> None:
        refused: list[Exception] = []
        started: list[bool] = []

        async def send_after_audit(message: Message) -> None:
            if refused:
                return  # the 503 went out instead; drop the answer's body
            if message["type"] == "http.response.start":
                started.append(True)
                try:
                    exchange.record(int(message["status"]))
                except (AuditError, OSError) as error:
                    refused.append(error)
                    await _reply(exchange.send, 503, f"audit log unavailable: {error}", [])
                    return
            await exchange.send(message)

        try:
            await self.app(scope, receive, send_after_audit)
        except RefusedError as refusal:
            # A body past the limit on a route that streams it (the edge counts as it reads).
            if started:
                raise
            await exchange.end("refused", refusal.reason, refusal.status, refusal.reason)
        except Exception as error:
            # A fault of the server before any answer: the client gets 500 and an id to
            # quote; the log holds the traceback under that id, the trail the request.
            if started:
                raise
            error_id = new_error_id()
            LOG.exception("internal error %s on %s", error_id, exchange.route)
            message = f"internal error {error_id}: {type(error).__name__}"
            await exchange.end("error", message, 500, f"internal error; quote error id {error_id}")


async def _deny(
    exchange: _Exchange, headers: dict[bytes, bytes], token: str | None, cookie: str | None
) -> None:
    """Refuse a request without valid credentials: a browser asking for a page is sent to
    the login page, any other caller gets 401 JSON."""
    if token:
        reason, detail = "invalid API key", "invalid API key: send `Authorization: Bearer <key>`"
    elif cookie:
        reason = "session expired or ended"
        detail = f"{reason}: log in again at {LOGIN_PATH}, or send `Authorization: Bearer <key>`"
    else:
        reason, detail = "no API key", "no API key: send `Authorization: Bearer <key>`"
    exchange.audit.outcome, exchange.audit.message = "denied", reason
    if b"authorization" not in headers and wants_page(exchange.scope, headers):
        await exchange.redirect(login_location(exchange.scope))
        return
    await exchange.answer(401, detail, [(b"www-authenticate", b"Bearer")])


async def _screened(
    scope: Scope,
    headers: dict[bytes, bytes],
    receive: Receive,
    services: Services,
    audit: RequestAudit,
) -> Receive:
    """The request's `receive` once its body has passed the edge; notes what it asks,
    and leaves its prepared document in the request's state."""
    api = services.api
    length = headers.get(b"content-length")
    if length is not None and length.isdigit() and int(length) > api.max_body_bytes:
        raise RefusedError(
            413, f"the body has {int(length)} bytes; the limit is {api.max_body_bytes}"
        )
    if scope["path"] != GRAPHQL_PATH:
        return _bounded(receive, api.max_body_bytes)
    if scope["method"] == "POST":
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if kind != b"application/json":
            raise RefusedError(415, "send the GraphQL request as application/json")
        body = await _read_body(receive, api.max_body_bytes)
        request = await blocking(read_json_body, body, api)
        receive = _replay(body, receive)
    else:
        request = read_query_string(scope.get("query_string", b""), api)
    # Noted before the limits are checked: a refused document is audited with its hash.
    audit.query, audit.variables = request.query, request.variables
    if request.query is not None:
        audit.operation = operation_label(request.query, request.operation)
    scope.setdefault("state", {})["prepared"] = await blocking(services.preparer.screen, request)
    return receive


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise RefusedError(400, "the client went away before sending its body")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise RefusedError(413, f"the body is larger than the limit of {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: a disconnect, when it comes
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _bounded(receive: Receive, limit: int) -> Receive:
    size = 0

    async def bounded() -> Message:
        nonlocal size
        message = await receive()
        size += len(message.get("body", b""))
        if size > limit:
            raise RefusedError(413, f"the body is larger than the limit of {limit} bytes")
        return message

    return bounded
