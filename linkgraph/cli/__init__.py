"""The `linkgraph` command: one front door gathering every package's commands."""

from __future__ import annotations

import sys
import time
from typing import Any

import click
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable
from pydantic import ValidationError

from api.serve import serve_api
from core.db import ConfigurationError
from graph_schema.loader import ModelError
from linkgraph.cli.analytics import analyze
from linkgraph.cli.api import apikey, audit, graphql_schema, serve
from linkgraph.cli.ingest import explain, hubs, ingest, ingest_runs, mapping_group
from linkgraph.cli.queries import query
from linkgraph.cli.reports import report
from linkgraph.cli.resolve import resolve
from linkgraph.cli.scheduler import scheduler
from linkgraph.cli.schema import schema
from linkgraph.cli.watchlist import watchlist
from linkgraph.demo import demo_api_key, run_demo
from linkgraph.neo4j_local import LocalNeo4j, Neo4jLocalError
from linkgraph.wiring import Wiring, pass_wiring

# Failures a user can act on: shown as one clear message, exit status 1, no traceback.
EXPECTED_ERRORS = (
    ConfigurationError,
    ModelError,
    Neo4jLocalError,
    ServiceUnavailable,
    AuthError,
    Neo4jError,
    ValidationError,
)


class FrontDoor(click.Group):
    """A group that turns expected failures into clean errors."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report an expected failure as `Error: ...` and exit 1."""
        try:
            return super().invoke(ctx)
        except ServiceUnavailable as error:
            settings = ctx.ensure_object(Wiring).settings
            hint = " (start it with `linkgraph neo4j start`)" if settings.uses_local_neo4j else ""
            raise click.ClickException(
                f"Neo4j is not reachable at {settings.bolt_uri}{hint}: {error}"
            ) from error
        except EXPECTED_ERRORS as error:
            raise click.ClickException(str(error)) from error


@click.group(cls=FrontDoor)
@click.version_option(package_name="linkgraph")
@click.pass_context
def main(ctx: click.Context) -> None:
    """linkgraph: link analysis for investigators of smuggling and trafficking networks."""
    ctx.ensure_object(Wiring)  # made once; every command receives it


@main.group()
def neo4j() -> None:
    """The project's local Neo4j (neo4j-local/): start, stop, status."""


@neo4j.command()
@pass_wiring
def start(wiring: Wiring) -> None:
    """Start the local Neo4j; returns once Bolt answers."""
    server = LocalNeo4j(wiring.settings)
    if server.pid() is not None:
        click.echo(server.status().describe())
        return
    click.echo(f"starting Neo4j at {server.address} (home {server.home}) ...", err=True)
    began = time.monotonic()
    status = server.start()
    click.echo(f"{status.describe()}; ready in {time.monotonic() - began:.1f} s")


@neo4j.command()
@pass_wiring
def stop(wiring: Wiring) -> None:
    """Stop the local Neo4j cleanly (it checkpoints its stores first)."""
    server = LocalNeo4j(wiring.settings)
    click.echo("stopped" if server.stop() else "not running")


@neo4j.command()
@pass_wiring
def status(wiring: Wiring) -> None:
    """Say whether the local Neo4j runs, its version and address (exit 3 if stopped)."""
    state = LocalNeo4j(wiring.settings).status()
    click.echo(state.describe())
    if not state.running:
        sys.exit(3)


@main.command()
@click.option("--serve/--no-serve", default=True, help="End by serving the API on the demo data.")
@pass_wiring
def demo(wiring: Wiring, serve: bool) -> None:
    """Start the local Neo4j, load and analyse the demo investigation, report, serve the API."""
    settings = wiring.settings
    run_demo(settings, click.echo)
    click.echo(f"ready: Bolt at {settings.bolt_uri}, database {settings.neo4j_database!r}")
    if serve:
        token, path = demo_api_key(settings)
        click.echo(f"demo API key (role analyst) in {path}:\n  {token}")
        serve_api(settings)


main.add_command(schema)
main.add_command(ingest)
main.add_command(mapping_group)
main.add_command(explain)
main.add_command(ingest_runs)
main.add_command(hubs)
main.add_command(query)
main.add_command(resolve)
main.add_command(analyze)
main.add_command(apikey)
main.add_command(audit)
main.add_command(serve)
main.add_command(graphql_schema)
main.add_command(report)
main.add_command(watchlist)
main.add_command(scheduler)
