"""`linkgraph serve`, `linkgraph graphql-schema`, `linkgraph apikey create | list | revoke`
and `linkgraph audit verify | head | search`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import click

from api.audit import AuditLog, AuditRecord
from api.keys import ApiKeyError, ApiKeyStore
from api.roles import Role
from api.schema import sdl
from api.serve import serve_api
from linkgraph.wiring import Wiring, pass_wiring


def _store(wiring: Wiring) -> ApiKeyStore:
    return ApiKeyStore(wiring.driver, wiring.database)


@click.group()
def apikey() -> None:
    """API keys: bearer tokens for the GraphQL/REST API, each with a role."""


@apikey.command()
@click.option("--name", required=True, help="Who or what holds the key.")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    required=True,
    help="viewer reads; analyst also runs saved queries and analyses; admin manages keys.",
)
@pass_wiring
def create(wiring: Wiring, name: str, role: str) -> None:
    """Create a key and print its token (on stdout, this once only)."""
    try:
        key = _store(wiring).create(name, Role(role))
    except ApiKeyError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"created API key {key.id} for {key.name!r} (role {key.role})", err=True)
    click.echo("the token below is shown once and cannot be recovered; store it now:", err=True)
    click.echo(key.token)


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "-"


@apikey.command(name="list")
@pass_wiring
def list_keys(wiring: Wiring) -> None:
    """List keys (never their tokens or hashes)."""
    keys = _store(wiring).list()
    if not keys:
        click.echo("no API keys")
        return
    click.echo(f"{'id':<16}  {'role':<7}  {'created':<19}  {'last used':<19}  status  name")
    for key in keys:
        status = "active" if key.active else f"revoked {_when(key.revoked_at)}"
        click.echo(
            f"{key.id:<16}  {key.role.value:<7}  {_when(key.created_at):<19}  "
            f"{_when(key.last_used_at):<19}  {status}  {key.name}"
        )


@apikey.command()
@click.argument("key_id")
@pass_wiring
def revoke(wiring: Wiring, key_id: str) -> None:
    """Revoke key KEY_ID: it fails from the next request on."""
    try:
        revoked = _store(wiring).revoke(key_id)
    except ApiKeyError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"revoked {key_id}" if revoked else f"{key_id} was already revoked")


_LOG_OPTION = click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Audit log to read (default: LINKGRAPH_AUDIT_LOG, else <data dir>/audit/audit.jsonl).",
)


def _log(wiring: Wiring, log_path: Path | None) -> AuditLog:
    settings = wiring.settings
    return AuditLog(log_path or settings.audit_log_path, settings.audit_fsync)


@click.group()
def audit() -> None:
    """The API's audit trail: an append-only, hash-chained log of every request."""


def _head(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    seq, sep, digest = text.partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64:
        raise click.BadParameter(f"{text!r}: expected SEQ:HASH as `audit head` prints it")
    return int(seq), digest.lower()


@audit.command()
@_LOG_OPTION
@click.option(
    "--expect",
    metavar="SEQ:HASH",
    help="A head printed earlier by `audit head` and kept elsewhere: it must still match.",
)
@pass_wiring
def verify(wiring: Wiring, log_path: Path | None, expect: str | None) -> None:
    """Check the hash chain and the head anchor (exit 1 naming the first problem)."""
    log = _log(wiring, log_path)
    result = log.verify(_head(expect))
    if not result.ok:
        raise click.ClickException(f"{log.path}: {result.describe()}")
    click.echo(f"{log.path}: {result.describe()}")


@audit.command()
@_LOG_OPTION
@pass_wiring
def head(wiring: Wiring, log_path: Path | None) -> None:
    """Print the log's head (SEQ:HASH), to keep somewhere the log's host cannot rewrite."""
    found = _log(wiring, log_path).head()
    if found is None:
        raise click.ClickException("the audit log is empty (no head anchor)")
    click.echo(f"{found[0]}:{found[1]}")


def _moment(text: str | None, end_of_day: bool) -> dt.datetime | None:
    # A bare date means the whole day: --until 2026-05-01 includes that day.
    if text is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r}: expected an ISO date or date-time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    if end_of_day and len(text) == 10:
        moment += dt.timedelta(days=1, microseconds=-1)
    return moment


def _describe(record: AuditRecord) -> str:
    who = record.who
    person = f"{who['name']} ({who['key_id']}, {who['role']})" if isinstance(who, dict) else who
    # The operation: the GraphQL field or operation name, or a REST request's route
    # (GraphQL records hold a route too, always `POST /graphql`, which says nothing).
    what = record.operation
    outcome = record.outcome + (f": {record.message}" if record.message else "")
    return (
        f"{record.time}  seq {record.seq}  {person}  {record.channel} {what}  "
        f"{record.entity_count} entities  {record.duration_ms:g} ms  {outcome}"
    )


@audit.command()
@_LOG_OPTION
@click.option("--entity", help="Only requests that returned this entity id.")
@click.option("--who", help="Only requests by this key id or key holder ('anonymous' too).")
@click.option("--since", help="From this UTC date or date-time (ISO).")
@click.option("--until", help="Up to this UTC date (the whole day) or date-time (ISO).")
@click.option("--json", "as_json", is_flag=True, help="Print whole records as JSON Lines.")
@pass_wiring
def search(
    wiring: Wiring,
    log_path: Path | None,
    entity: str | None,
    who: str | None,
    since: str | None,
    until: str | None,
    as_json: bool,
) -> None:
    """Who looked up what, and when: records matching every filter given, oldest first."""
    start, end = _moment(since, False), _moment(until, True)
    found = 0
    for record in _log(wiring, log_path).search(entity=entity, who=who, since=start, until=end):
        found += 1
        if as_json:
            click.echo(json.dumps(dataclasses.asdict(record), ensure_ascii=False))
        else:
            click.echo(_describe(record))
    if not as_json:
        click.echo(f"{found} record(s)", err=True)


@click.command()
@click.option("--host", help="Interface to bind (default LINKGRAPH_API_HOST, 127.0.0.1).")
@click.option("--port", type=int, help="Port (default LINKGRAPH_API_PORT, 8000).")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Processes (default LINKGRAPH_API_WORKERS, 1)."
)
@pass_wiring
def serve(wiring: Wiring, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the GraphQL API (and /healthz, /readyz) for visual front ends."""
    serve_api(wiring.settings, host, port, workers)


@click.command("graphql-schema")
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file (default stdout).")
@pass_wiring
def graphql_schema(wiring: Wiring, out: Path | None) -> None:
    """Print (or write) the API's GraphQL schema (SDL), derived from the graph model."""
    text = sdl(wiring.model)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
