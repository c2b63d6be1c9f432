"""`linkgraph query list | show | run`."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import click

from linkgraph.wiring import Wiring, pass_wiring
from normalise import NormaliseError
from queries.library import Library, LibraryError
from queries.params import ParameterError
from queries.runner import QueryRefusedError, QueryResult, run_saved_query

QUERY_ERRORS = (LibraryError, ParameterError, QueryRefusedError, NormaliseError)


def _library(wiring: Wiring) -> Library:
    return Library.load(wiring.settings.queries_dir)


@click.group()
def query() -> None:
    """The saved-query library: typed, validated, read-only Cypher."""


@query.command(name="list")
@click.option("--tag", help="Only queries with this tag.")
@click.option("--search", help="Only queries whose id, name or description contain this.")
@pass_wiring
def list_queries(wiring: Wiring, tag: str | None, search: str | None) -> None:
    """List saved queries by category."""
    try:
        found = _library(wiring).find(tag, search)
    except QUERY_ERRORS as error:
        raise click.ClickException(str(error)) from error
    category = None
    for saved in found:
        if saved.category != category:
            category = saved.category
            click.echo(f"{category}:")
        click.echo(f"  {saved.id:<36} {saved.name}")
    if not found:
        click.echo("no saved query matches")


@query.command()
@click.argument("name")
@pass_wiring
def show(wiring: Wiring, name: str) -> None:
    """Show a query: description, parameters, Cypher."""
    try:
        saved = _library(wiring).get(name)
    except QUERY_ERRORS as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{saved.id} (revision {saved.revision}): {saved.name}")
    click.echo(f"category: {saved.category}; tags: {', '.join(saved.tags) or '-'}")
    click.echo(f"row limit {saved.row_limit}; timeout {saved.timeout_s:g} s\n")
    click.echo(saved.description.strip() + "\n")
    for pname, spec in saved.parameters.items():
        kind = f"list of {spec.type}" if spec.list else spec.type
        need = "required" if spec.required else f"default {spec.default!r}"
        click.echo(
            f"  --param {pname}=...  {kind}, {need}: {spec.description} (e.g. {spec.example!r})"
        )
    click.echo("\n" + saved.cypher.strip())


def _render(result: QueryResult, fmt: str) -> str:
    if fmt == "json":
        payload: dict[str, Any] = {
            "query": result.query_id,
            "columns": result.columns,
            "rows": result.rows,
            "truncated": result.truncated,
            "graph": {
                "nodes": list(result.graph.nodes.values()),
                "edges": list(result.graph.edges.values()),
            },
        }
        return json.dumps(payload, default=str, ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow(
                [
                    json.dumps(row[c], default=str, ensure_ascii=False)
                    if isinstance(row[c], dict | list)
                    else row[c]
                    for c in result.columns
                ]
            )
        return out.getvalue().rstrip("\n")
    cells = [[_cell(row[c]) for c in result.columns] for row in result.rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    text = (
        json.dumps(value, default=str, ensure_ascii=False)
        if isinstance(value, dict | list)
        else str(value)
    )
    return text if len(text) <= 80 else text[:77] + "..."


@query.command()
@click.argument("name")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter; repeat for several. Lists are comma-separated.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.option(
    "--limit",
    type=click.IntRange(1, 100_000),
    default=None,
    help="Return at most this many rows (never more than the query's own limit).",
)
@pass_wiring
def run(wiring: Wiring, name: str, params: tuple[str, ...], fmt: str, limit: int | None) -> None:
    """Run a saved query (in a read-only transaction)."""
    given: dict[str, Any] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{item!r}: expected KEY=VALUE", param_hint="--param")
        given[key.strip()] = value
    settings = wiring.settings
    try:
        saved = _library(wiring).get(name)
        result = run_saved_query(wiring.driver, saved, given, settings.neo4j_database, limit)
    except QUERY_ERRORS as error:
        raise click.ClickException(str(error)) from error
    click.echo(_render(result, fmt))
    if fmt == "table":
        note = f"{len(result.rows)} row(s) in {result.seconds:.2f} s"
        if result.truncated:
            note += f"; cut at the row limit of {result.row_limit}: more rows exist"
        click.echo(note, err=True)
