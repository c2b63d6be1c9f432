"""`linkgraph schema ...`: check the model, apply it to Neo4j, write its reference."""

from __future__ import annotations

from pathlib import Path

import click

from graph_schema.apply import apply_schema, recorded_version
from graph_schema.docs import render_markdown
from linkgraph.wiring import Wiring, pass_wiring


@click.group()
def schema() -> None:
    """The graph model (graph_schema/model/*.yaml) and the database's schema."""


@schema.command()
@pass_wiring
def check(wiring: Wiring) -> None:
    """Validate the model files (no database needed)."""
    model = wiring.model
    click.echo(
        f"model {model.header.name} v{model.version}: {len(model.entities)} labels "
        f"(+{len(model.nodes) - len(model.entities)} internal), "
        f"{len(model.relationships)} relationship types, checksum {model.checksum[:12]}"
    )


@schema.command()
@pass_wiring
def apply(wiring: Wiring) -> None:
    """Create the model's constraints and indexes (idempotent) and record its version."""
    model = wiring.model
    result = apply_schema(wiring.driver, model, wiring.settings.neo4j_database)
    for name in result.dropped:
        click.echo(f"dropped {name}")
    for name in result.created:
        click.echo(f"created {name}")
    click.echo(f"schema v{model.version}: {result.summary()}")


@schema.command()
@pass_wiring
def status(wiring: Wiring) -> None:
    """Compare the model with the version recorded in the database."""
    model = wiring.model
    recorded = recorded_version(wiring.driver, model, wiring.settings.neo4j_database)
    if recorded is None:
        raise click.ClickException("the schema was never applied: run `linkgraph schema apply`")
    same = recorded["checksum"] == model.checksum
    click.echo(
        f"database: v{recorded['version']} applied {recorded['applied_at']}; "
        f"model: v{model.version} - {'up to date' if same else 'DIFFERS: run schema apply'}"
    )
    if not same:
        raise SystemExit(1)


@schema.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("docs/model.md"),
    show_default=True,
    help="Where to write the Markdown reference ('-' for stdout).",
)
@pass_wiring
def docs(wiring: Wiring, out: Path) -> None:
    """Write the Markdown reference of the model."""
    text = render_markdown(wiring.model)
    if str(out) == "-":
        click.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    click.echo(f"wrote {out}")
