"""Browser sessions: logging in with an API key at `/login` opens one, kept hashed in Neo4j.

A browser cannot send `Authorization: Bearer`, so after a login it sends a cookie
instead: `lg_session`, an opaque 256-bit random token. Only its SHA-256 is stored, on
an `ApiSession` node (an internal label of the model) that names the key the session
acts for and when it expires; the session's CSRF token is stored the same way. Every
request checks the session and its key in one read, so a session ends at once, in
every API process, when it expires, when the person logs out or when its key is
revoked (`linkgraph apikey revoke`): there is no cache to outlive either.

A session opened by signing in through the OIDC provider has no key: it names the
person (`oidc:<sub>`) and keeps the name and role the provider's token gave, until
it expires or its person logs out.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from dataclasses import dataclass

from neo4j import Driver, RoutingControl

from api.keys import API_KEY_LABEL, ApiKeyError, Principal, secret_hash
from api.oidc import OIDC_PREFIX
from api.roles import Role
from core.values import native

# The model's internal label for sessions (graph_schema/model/nodes/api_session.yaml).
SESSION_LABEL = "ApiSession"
SESSION_COOKIE = "lg_session"
# Readable by the page's scripts, which repeat it in the header (double submit).
CSRF_COOKIE = "lg_csrf"
CSRF_HEADER = "x-csrf-token"
# What `secrets.token_urlsafe(32)` makes; anything else is not looked up at all.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")

# Whether session `s` may act for its key `k` (optionally matched): the key exists and
# is not revoked, or the session is an OIDC sign-in's, which has no key.
_KEY_LIVE = (
    "((k IS NOT NULL AND k.revoked_at IS NULL) "
    f"OR (k IS NULL AND s.key_id STARTS WITH '{OIDC_PREFIX}'))"
)
# The one read per request: a seek in the unique index on the session's id, then
# one on the key's; an expired session or a revoked key returns nothing.
AUTHENTICATE_CYPHER = (
    f"MATCH (s:`{SESSION_LABEL}` {{id: $id}}) WHERE s.expires_at > datetime() "
    f"OPTIONAL MATCH (k:`{API_KEY_LABEL}` {{id: s.key_id}}) "
    f"WITH s, k WHERE {_KEY_LIVE} "
    "RETURN s.key_id AS key_id, coalesce(k.name, s.name) AS name, "
    "coalesce(k.role, s.role) AS role, s.csrf_hash AS csrf_hash"
)


@dataclass(frozen=True)
class OpenedSession:
    """A new session: its cookie's token and its CSRF token, shown to the browser only."""

    token: str
    csrf: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class Session:
    """A live session: who it acts as, its id (the token's hash) and its CSRF token's hash."""

    principal: Principal
    session_id: str
    csrf_hash: str

    def csrf_matches(self, csrf: str | None) -> bool:
        """True when `csrf` is this session's CSRF token (compared in constant time)."""
        if not csrf:
            return False
        return hmac.compare_digest(secret_hash(csrf), self.csrf_hash)


class SessionStore:
    """Browser sessions in Neo4j: open, authenticate, close."""

    def __init__(self, driver: Driver, database: str, ttl_s: int) -> None:
        """Sessions live in `database` of `driver`'s server and last `ttl_s` seconds."""
        self._driver = driver
        self._database = database
        self._ttl_s = ttl_s

    def open(self, principal: Principal) -> OpenedSession:
        """Open a session for `principal`'s API key (or OIDC sign-in); ApiKeyError if the
        key is revoked or gone.

        Sessions that can never authenticate again (expired, or of a revoked key) are
        deleted first: a login is rare, so this keeps the label small at no cost to reads.
        """
        self._driver.execute_query(
            f"MATCH (s:`{SESSION_LABEL}`) OPTIONAL MATCH (k:`{API_KEY_LABEL}` {{id: s.key_id}}) "
            f"WITH s, k WHERE s.expires_at <= datetime() OR NOT {_KEY_LIVE} DELETE s",
            database_=self._database,
        )
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        # A key's session reads the key's name and role on every request; an OIDC
        # sign-in has no key, so its session keeps what the provider's token said.
        records, _, _ = self._driver.execute_query(
            f"OPTIONAL MATCH (k:`{API_KEY_LABEL}` {{id: $key_id}}) "
            f"WITH k, {{key_id: $key_id}} AS s WHERE {_KEY_LIVE} "
            f"CREATE (n:`{SESSION_LABEL}` {{id: $id, session_id: $id, key_id: $key_id, "
            "name: CASE WHEN k IS NULL THEN $name END, "
            "role: CASE WHEN k IS NULL THEN $role END, "
            "csrf_hash: $csrf_hash, created_at: datetime(), "
            "expires_at: datetime() + duration({seconds: $ttl})}) "
            "RETURN n.expires_at AS expires_at",
            key_id=principal.key_id,
            name=principal.name,
            role=principal.role.value,
            id=secret_hash(token),
            csrf_hash=secret_hash(csrf),
            ttl=self._ttl_s,
            database_=self._database,
        )
        if not records:
            raise ApiKeyError(f"no active API key with id {principal.key_id!r}")
        return OpenedSession(token=token, csrf=csrf, expires_at=native(records[0]["expires_at"]))

    def authenticate(self, token: str) -> Session | None:
        """The live session `token` opens, or None (malformed, unknown, expired, logged
        out, or its key revoked). One read, every time: no cache."""
        if _TOKEN.fullmatch(token) is None:
            return None
        records, _, _ = self._driver.execute_query(
            AUTHENTICATE_CYPHER,
            id=secret_hash(token),
            database_=self._database,
            routing_=RoutingControl.READ,
        )
        if not records:
            return None
        row = records[0]
        return Session(
            principal=Principal(row["key_id"], row["name"], Role(row["role"]), via="session"),
            session_id=secret_hash(token),
            csrf_hash=row["csrf_hash"],
        )

    def close(self, session_id: str) -> bool:
        """End the session at once (logout); False if it was already gone."""
        records, _, _ = self._driver.execute_query(
            f"MATCH (s:`{SESSION_LABEL}` {{id: $id}}) DELETE s RETURN count(*) AS closed",
            id=session_id,
            database_=self._database,
        )
        return bool(records and records[0]["closed"])
