"""API keys: created with a one-time token, stored hashed in Neo4j, checked in one lookup.

A token reads `lg_<key id>_<secret>`. The key id is public (it names the key in
lists, revocations and the audit log); the secret is 32 random bytes from
`secrets` and only its SHA-256 is stored. A slow password KDF (bcrypt, argon2)
exists to slow down guessing of low-entropy human passwords; a 256-bit random
secret cannot be guessed, so a plain SHA-256 is as safe here and keeps every
request's check to microseconds.
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from neo4j import Driver, RoutingControl

from api.roles import Role
from core.values import native

# The model's internal label for keys (graph_schema/model/nodes/api_key.yaml).
API_KEY_LABEL = "ApiKey"
TOKEN_PREFIX = "lg_"  # noqa: S105 (a format marker, not a secret)
# Key ids are hex, so the `_` after them splits a token unambiguously even though
# url-safe secrets may themselves contain `_`.
_TOKEN = re.compile(r"lg_([0-9a-f]{16})_([A-Za-z0-9_-]{20,100})")
# last_used_at is written at most this often per key and process, and off the
# request's path: a write per request would cost a write transaction and lock the
# key's node under load.
LAST_USED_EVERY_S = 60.0

log = logging.getLogger(__name__)

# The one read per request: a seek in the unique index on `id` (lg_api_key_id).
AUTHENTICATE_CYPHER = (
    f"MATCH (k:`{API_KEY_LABEL}` {{id: $id}}) "
    "RETURN k.name AS name, k.role AS role, k.secret_hash AS hash, "
    "k.revoked_at IS NOT NULL AS revoked"
)


class ApiKeyError(ValueError):
    """A key operation cannot be done (unknown key, bad name...)."""


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: the key's id, its holder's name, and its role; `via` says
    how the key was presented when not as a bearer token ("session": a browser login)."""

    key_id: str
    name: str
    role: Role
    via: str | None = None


@dataclass(frozen=True)
class CreatedKey:
    """A new key. `token` is shown this once and cannot be recovered later."""

    id: str
    name: str
    role: Role
    token: str
    created_at: dt.datetime


@dataclass(frozen=True)
class ApiKeyInfo:
    """A key as listed: everything but its secret and hash."""

    id: str
    name: str
    role: Role
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    @property
    def active(self) -> bool:
        """False once the key is revoked."""
        return self.revoked_at is None


def secret_hash(secret: str) -> str:
    """The stored form of a token's secret: hex SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeyStore:
    """API keys in Neo4j: create, list, revoke, authenticate."""

    def __init__(self, driver: Driver, database: str) -> None:
        """Keys live in `database` of `driver`'s server."""
        self._driver = driver
        self._database = database
        self._last_used: dict[str, float] = {}
        self._last_used_lock = threading.Lock()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="apikey-last-used")
        self._pending: Future[None] | None = None

    def create(self, name: str, role: Role) -> CreatedKey:
        """Create a key for `name` with `role`; the returned token is its only copy."""
        name = name.strip()
        if not name or len(name) > 200:
            raise ApiKeyError("a key's name must be 1 to 200 characters")
        key_id = secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        records, _, _ = self._driver.execute_query(
            f"CREATE (k:`{API_KEY_LABEL}` {{id: $id, key_id: $id, name: $name, role: $role, "
            "secret_hash: $hash, created_at: datetime()}) RETURN k.created_at AS created_at",
            id=key_id,
            name=name,
            role=role.value,
            hash=secret_hash(secret),
            database_=self._database,
        )
        return CreatedKey(
            id=key_id,
            name=name,
            role=role,
            token=f"{TOKEN_PREFIX}{key_id}_{secret}",
            created_at=native(records[0]["created_at"]),
        )

    def list(self) -> builtins.list[ApiKeyInfo]:
        """Every key, oldest first, without secrets or hashes."""
        records, _, _ = self._driver.execute_query(
            f"MATCH (k:`{API_KEY_LABEL}`) RETURN k.id AS id, k.name AS name, k.role AS role, "
            "k.created_at AS created_at, k.revoked_at AS revoked_at, "
            "k.last_used_at AS last_used_at ORDER BY k.created_at, k.id",
            database_=self._database,
            routing_=RoutingControl.READ,
        )
        return [
            ApiKeyInfo(
                id=r["id"],
                name=r["name"],
                role=Role(r["role"]),
                created_at=native(r["created_at"]),
                revoked_at=native(r["revoked_at"]),
                last_used_at=native(r["last_used_at"]),
            )
            for r in records
        ]

    def revoke(self, key_id: str) -> bool:
        """Revoke `key_id` at once; False if it was already revoked, ApiKeyError if unknown."""
        records, _, _ = self._driver.execute_query(
            f"MATCH (k:`{API_KEY_LABEL}` {{id: $id}}) "
            "WITH k, k.revoked_at IS NULL AS was_active "
            "SET k.revoked_at = coalesce(k.revoked_at, datetime()) RETURN was_active",
            id=key_id,
            database_=self._database,
        )
        if not records:
            raise ApiKeyError(f"no API key with id {key_id!r}")
        return bool(records[0]["was_active"])

    def authenticate(self, token: str) -> Principal | None:
        """The principal `token` stands for, or None (malformed, unknown, wrong or revoked).

        One read of the key's node through the unique index on `id`, every time: no
        cache, so a revoked key fails on the very next request.
        """
        match = _TOKEN.fullmatch(token)
        if match is None:
            return None
        key_id, secret = match.groups()
        records, _, _ = self._driver.execute_query(
            AUTHENTICATE_CYPHER,
            id=key_id,
            database_=self._database,
            routing_=RoutingControl.READ,
        )
        # Compare even for an unknown key, so that timing tells nothing either way.
        stored = records[0]["hash"] if records else "0" * 64
        if not hmac.compare_digest(stored, secret_hash(secret)) or not records:
            return None
        if records[0]["revoked"]:
            return None
        self._note_use(key_id)
        return Principal(key_id=key_id, name=records[0]["name"], role=Role(records[0]["role"]))

    def _note_use(self, key_id: str) -> None:
        now = time.monotonic()
        with self._last_used_lock:
            last = self._last_used.get(key_id)
            if last is not None and now - last < LAST_USED_EVERY_S:
                return
            self._last_used[key_id] = now
            self._pending = self._writer.submit(self._write_last_used, key_id)

    def _write_last_used(self, key_id: str) -> None:
        try:
            self._driver.execute_query(
                f"MATCH (k:`{API_KEY_LABEL}` {{id: $id}}) SET k.last_used_at = datetime()",
                id=key_id,
                database_=self._database,
            )
        except Exception:  # a lost last-use time must never fail a request
            log.warning("could not record the last use of API key %s", key_id, exc_info=True)

    def flush(self) -> None:
        """Wait until every last-use time noted so far is written."""
        with self._last_used_lock:
            pending = self._pending
        if pending is not None:
            pending.result()

    def close(self) -> None:
        """Write the pending last-use times and stop the writer thread."""
        self._writer.shutdown(wait=True)
