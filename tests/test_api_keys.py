"""API keys against the real Neo4j: hashed storage, authentication, revocation; roles."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from neo4j import Driver
from starlette.types import Message, Receive, Scope, Send

from api.audit import AuditLog
from api.keys import (
    API_KEY_LABEL,
    AUTHENTICATE_CYPHER,
    ApiKeyError,
    ApiKeyInfo,
    ApiKeyStore,
    Principal,
)
from api.middleware import KeyAndAudit
from api.roles import Action, Role
from api.settings import ApiSettings
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model


@pytest.fixture
def store(empty_graph: Driver, settings: Settings) -> ApiKeyStore:
    apply_schema(empty_graph, load_model(settings.model_dir), settings.neo4j_database)
    return ApiKeyStore(empty_graph, settings.neo4j_database)


def test_the_model_declares_the_key_label_internal(settings: Settings) -> None:
    node = load_model(settings.model_dir).node(API_KEY_LABEL)
    assert node.internal
    assert {"key_id", "name", "role", "secret_hash", "created_at", "revoked_at"} <= set(
        node.properties
    )


@pytest.mark.neo4j
def test_create_list_and_authenticate(store: ApiKeyStore) -> None:
    viewer = store.create("Front end", Role.VIEWER)
    analyst = store.create("  Ana Analyst ", Role.ANALYST)
    admin = store.create("Ops", Role.ADMIN)
    assert viewer.token.startswith(f"lg_{viewer.id}_")
    assert len({viewer.token, analyst.token, admin.token}) == 3
    assert analyst.name == "Ana Analyst"

    assert store.authenticate(analyst.token) == Principal(analyst.id, "Ana Analyst", Role.ANALYST)
    assert store.authenticate(admin.token) == Principal(admin.id, "Ops", Role.ADMIN)

    store.flush()  # last-use times are written off the request's path
    listed = store.list()
    assert [(k.id, k.name, k.role) for k in listed] == [
        (viewer.id, "Front end", Role.VIEWER),
        (analyst.id, "Ana Analyst", Role.ANALYST),
        (admin.id, "Ops", Role.ADMIN),
    ]
    assert all(k.active and k.created_at is not None for k in listed)
    # Authentication recorded the use of these two keys only.
    used = {k.id for k in listed if k.last_used_at is not None}
    assert used == {analyst.id, admin.id}
    # A listing carries neither the token nor its hash, in any field.
    assert {f.name for f in dataclasses.fields(ApiKeyInfo)} == {
        "id",
        "name",
        "role",
        "created_at",
        "revoked_at",
        "last_used_at",
    }
    secret = analyst.token.split("_", 2)[2]
    for key in listed:
        for value in dataclasses.asdict(key).values():
            assert secret not in str(value)
            assert hashlib.sha256(secret.encode()).hexdigest() not in str(value)


@pytest.mark.neo4j
def test_tokens_are_not_stored_in_clear(store: ApiKeyStore, empty_graph: Driver) -> None:
    key = store.create("Ana", Role.ANALYST)
    secret = key.token.split("_", 2)[2]
    records, _, _ = empty_graph.execute_query(
        f"MATCH (k:`{API_KEY_LABEL}`) RETURN properties(k) AS props"
    )
    assert len(records) == 1
    props = records[0]["props"]
    assert props["id"] == props["key_id"] == key.id
    assert props["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    for value in props.values():
        assert secret not in str(value)
        assert key.token not in str(value)


@pytest.mark.neo4j
def test_wrong_and_malformed_tokens_fail(store: ApiKeyStore) -> None:
    key = store.create("Ana", Role.ANALYST)
    _, key_id, secret = key.token.split("_", 2)
    other = "A" if secret[0] != "A" else "B"
    wrong = [
        f"lg_{key_id}_{other}{secret[1:]}",  # one character of the secret changed
        f"lg_{'0' * 16}_{secret}",  # the right secret under an unknown key id
        f"lg_{key_id}_{secret}x",  # longer
        f"lg_{key_id}_{secret[:-1]}",  # shorter
        f"{key.token}\n",
        f"Bearer {key.token}",
        key_id,
        "",
        "lg_",
        "x" * 10_000,
    ]
    for token in wrong:
        assert store.authenticate(token) is None, token
    assert store.authenticate(key.token) is not None


@pytest.mark.neo4j
def test_a_revoked_key_fails_at_once(
    store: ApiKeyStore, empty_graph: Driver, settings: Settings
) -> None:
    keep = store.create("Keep", Role.VIEWER)
    gone = store.create("Gone", Role.ADMIN)
    # A second store (another API process) has authenticated the key before.
    elsewhere = ApiKeyStore(empty_graph, settings.neo4j_database)
    assert store.authenticate(gone.token) is not None
    assert elsewhere.authenticate(gone.token) is not None

    assert store.revoke(gone.id) is True
    assert store.authenticate(gone.token) is None
    assert elsewhere.authenticate(gone.token) is None
    assert store.authenticate(keep.token) is not None
    assert store.revoke(gone.id) is False  # already revoked
    by_id = {k.id: k for k in store.list()}
    assert not by_id[gone.id].active
    assert by_id[gone.id].revoked_at is not None
    assert by_id[keep.id].active
    with pytest.raises(ApiKeyError, match="no API key with id 'nope'"):
        store.revoke("nope")


@pytest.mark.neo4j
def test_authentication_is_one_unique_index_seek(store: ApiKeyStore, empty_graph: Driver) -> None:
    store.create("Ana", Role.ANALYST)
    _, summary, _ = empty_graph.execute_query(
        f"EXPLAIN {AUTHENTICATE_CYPHER}", id="0123456789abcdef"
    )
    operators: list[str] = []
    assert summary.plan is not None
    stack = [summary.plan]
    while stack:
        step = stack.pop()
        operators.append(step["operatorType"])
        stack.extend(step.get("children", []))
    assert any(op.startswith("NodeUniqueIndexSeek") for op in operators), operators
    assert not any("Scan" in op for op in operators), operators


@pytest.mark.neo4j
def test_a_key_needs_a_name(store: ApiKeyStore) -> None:
    with pytest.raises(ApiKeyError, match="name must be 1 to 200 characters"):
        store.create("   ", Role.VIEWER)


def test_roles_are_ordered_by_rank_not_by_spelling() -> None:
    assert sorted([Role.ADMIN, Role.VIEWER, Role.ANALYST]) == [
        Role.VIEWER,
        Role.ANALYST,
        Role.ADMIN,
    ]
    assert Role.VIEWER < Role.ANALYST < Role.ADMIN
    assert Role.ADMIN >= Role.ANALYST
    assert not Role.VIEWER >= Role.ANALYST
    allowed = {(have, need) for have in Role for need in Role if have.allows(need)}
    assert allowed == {
        (Role.VIEWER, Role.VIEWER),
        (Role.ANALYST, Role.VIEWER),
        (Role.ANALYST, Role.ANALYST),
        (Role.ADMIN, Role.VIEWER),
        (Role.ADMIN, Role.ANALYST),
        (Role.ADMIN, Role.ADMIN),
    }
    with pytest.raises(TypeError):
        assert Role.ADMIN < "viewer"


def test_what_each_role_may_do() -> None:
    assert Action.READ.needs is Role.VIEWER
    assert Action.RUN_SAVED_QUERY.needs is Role.ANALYST
    assert Action.RUN_ANALYSIS.needs is Role.ANALYST
    assert Action.MANAGE_KEYS.needs is Role.ADMIN
    assert not Role.VIEWER.allows(Action.RUN_SAVED_QUERY.needs)
    assert not Role.ANALYST.allows(Action.MANAGE_KEYS.needs)


@pytest.mark.neo4j
def test_a_request_failing_before_its_answer_is_still_audited(
    store: ApiKeyStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A keyed request whose handler raises before any answer: the client gets 500 with
    # an error id, the log holds the traceback under it, the trail says who asked what.
    key = store.create("Analyst", Role.ANALYST)
    log = AuditLog(tmp_path / "audit.jsonl")

    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("boom")

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    # Only the FastAPI app object is stood in for: the key store and the log are real.
    services = SimpleNamespace(keys=store, api=ApiSettings())
    app = SimpleNamespace(state=SimpleNamespace(services=services, audit=log, oidc=None))
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/reports",
        "headers": [(b"authorization", f"Bearer {key.token}".encode())],
        "app": app,
    }
    with caplog.at_level(logging.ERROR, logger="linkgraph.api"):
        asyncio.run(KeyAndAudit(broken)(scope, receive, send))
    store.flush()  # the key's last-use time, written in the background
    assert sent[0]["status"] == 500
    detail = json.loads(sent[1]["body"])["detail"]
    error_id = detail.rsplit(" ", 1)[-1]
    assert detail == f"internal error; quote error id {error_id}"
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)
    (record,) = log.search()
    assert record.key_id == key.id
    assert (record.outcome, record.message) == ("error", f"internal error {error_id}: RuntimeError")
    assert log.verify().ok
