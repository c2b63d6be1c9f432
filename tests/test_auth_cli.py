"""`linkgraph apikey ...` on the real Neo4j and `linkgraph audit ...` on a real log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from api.audit import AuditLog, Channel
from api.keys import ApiKeyStore, Principal
from api.roles import Role
from core.settings import Settings
from linkgraph.cli import main


def test_every_auth_command_has_help() -> None:
    runner = CliRunner()
    for args in (
        ["apikey"],
        ["apikey", "create"],
        ["apikey", "list"],
        ["apikey", "revoke"],
        ["audit"],
        ["audit", "verify"],
        ["audit", "head"],
        ["audit", "search"],
    ):
        result = runner.invoke(main, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)
        assert "Usage:" in result.output


@pytest.mark.neo4j
def test_apikey_create_list_revoke(empty_graph: Driver, settings: Settings) -> None:
    runner = CliRunner()
    created = runner.invoke(main, ["apikey", "create", "--name", "Ana", "--role", "analyst"])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert token.startswith("lg_")
    assert "\n" not in token  # stdout holds the token alone, for scripts
    assert "shown once" in created.stderr
    store = ApiKeyStore(empty_graph, settings.neo4j_database)
    principal = store.authenticate(token)
    assert principal is not None
    assert (principal.name, principal.role) == ("Ana", Role.ANALYST)

    listed = runner.invoke(main, ["apikey", "list"])
    assert listed.exit_code == 0
    assert principal.key_id in listed.output
    assert "analyst" in listed.output
    assert "active" in listed.output
    assert token.split("_", 2)[2] not in listed.output

    revoked = runner.invoke(main, ["apikey", "revoke", principal.key_id])
    assert revoked.exit_code == 0
    assert f"revoked {principal.key_id}" in revoked.output
    assert store.authenticate(token) is None
    again = runner.invoke(main, ["apikey", "revoke", principal.key_id])
    assert "already revoked" in again.output
    assert "revoked 20" in runner.invoke(main, ["apikey", "list"]).output

    unknown = runner.invoke(main, ["apikey", "revoke", "0000000000000000"])
    assert unknown.exit_code == 1
    assert "Error: no API key with id '0000000000000000'" in unknown.output
    bad_role = runner.invoke(main, ["apikey", "create", "--name", "X", "--role", "root"])
    assert bad_role.exit_code == 2
    assert "'root' is not one of 'viewer', 'analyst', 'admin'" in bad_role.output


def _log(tmp_path: Path) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl")
    ana = Principal("a1b2c3d4e5f60718", "Ana", Role.ANALYST)
    for i in range(1, 7):
        log.append(
            channel=Channel.GRAPHQL,
            operation="node",
            who=ana if i % 2 else None,
            variables={"id": f"+63917000000{i}"},
            entities=[f"+63917000000{i}"],
        )
    return log


def test_audit_verify_says_what_and_where(tmp_path: Path) -> None:
    log = _log(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(main, ["audit", "verify", "--log", str(log.path)])
    assert ok.exit_code == 0, ok.output
    assert "ok: 6 records, chain intact up to seq 6" in ok.output

    head = runner.invoke(main, ["audit", "head", "--log", str(log.path)])
    assert head.exit_code == 0
    assert head.output.startswith("6:")

    lines = log.path.read_text().splitlines(keepends=True)
    lines[2], lines[3] = lines[3], lines[2]
    log.path.write_text("".join(lines))
    bad = runner.invoke(main, ["audit", "verify", "--log", str(log.path)])
    assert bad.exit_code == 1
    assert "Error:" in bad.output
    assert "TAMPERED: line 3 (seq 4): reordered" in bad.output
    assert "Traceback" not in bad.output

    wrong = runner.invoke(main, ["audit", "verify", "--log", str(log.path), "--expect", "x"])
    assert wrong.exit_code == 2
    assert "expected SEQ:HASH" in wrong.output


def test_audit_verify_with_a_kept_head(tmp_path: Path) -> None:
    log = _log(tmp_path)
    runner = CliRunner()
    kept = runner.invoke(main, ["audit", "head", "--log", str(log.path)]).output.strip()
    lines = log.path.read_text().splitlines(keepends=True)
    log.path.write_text("".join(lines[:4]))
    log.anchor_path.write_text(f"{4:020d} {json.loads(lines[3])['hash']}\n")
    result = runner.invoke(main, ["audit", "verify", "--log", str(log.path), "--expect", kept])
    assert result.exit_code == 1
    assert "truncated" in result.output
    assert "2 record(s) removed from the end" in result.output


def test_audit_search(tmp_path: Path) -> None:
    log = _log(tmp_path)
    runner = CliRunner()
    found = runner.invoke(
        main, ["audit", "search", "--log", str(log.path), "--entity", "+639170000003"]
    )
    assert found.exit_code == 0, found.output
    assert "seq 3  Ana (a1b2c3d4e5f60718, analyst)  graphql node" in found.stdout
    assert "1 record(s)" in found.stderr

    anonymous = runner.invoke(
        main, ["audit", "search", "--log", str(log.path), "--who", "anonymous", "--json"]
    )
    records = [json.loads(line) for line in anonymous.stdout.splitlines()]
    assert [r["seq"] for r in records] == [2, 4, 6]

    today = records[0]["time"][:10]
    until = runner.invoke(main, ["audit", "search", "--log", str(log.path), "--until", today])
    assert "6 record(s)" in until.stderr  # a bare date includes the whole day
    since = runner.invoke(
        main, ["audit", "search", "--log", str(log.path), "--since", "2999-01-01"]
    )
    assert "0 record(s)" in since.stderr

    bad = runner.invoke(main, ["audit", "search", "--log", str(log.path), "--since", "May"])
    assert bad.exit_code == 2
    assert "'May': expected an ISO date or date-time" in bad.output
