"""`linkgraph schema ...`: check the model, apply it to Neo4j, write its reference."""

from __future__ import annotations

from pathlib import Path

import click

from core.db import get_driver
from core.settings import get_settings
from graph_schema.apply import apply_schema, recorded_version
from graph_schema.docs import render_markdown
from graph_schema.loader import GraphModel, load_model


def current_model() -> GraphModel:
    """The model in force: `LINKGRAPH_MODEL_DIR`, else the shipped one."""
    return load_model(get_settings().model_dir)


@click.group()
def schema() -> None:
    """The graph model (graph_schema/model/*.yaml) and the database's schema."""


@schema.command()
def check() -> None:
    """Validate the model files (no database needed)."""
    model = current_model()
    click.echo(
        f"model {model.header.name} v{model.version}: {len(model.entities)} labels "
        f"(+{len(model.nodes) - len(model.entities)} internal), "
        f"{len(model.relationships)} relationship types, checksum {model.checksum[:12]}"
    )


@schema.command()
def apply() -> None:
    """Create the model's constraints and indexes (idempotent) and record its version."""
    model = current_model()
    result = apply_schema(get_driver(), model, get_settings().neo4j_database)
    for name in result.dropped:
        click.echo(f"dropped {name}")
    for name in result.created:
        click.echo(f"created {name}")
    click.echo(f"schema v{model.version}: {result.summary()}")


@schema.command()
def status() -> None:
    """Compare the model with the version recorded in the database."""
    model = current_model()
    recorded = recorded_version(get_driver(), model, get_settings().neo4j_database)
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
def docs(out: Path) -> None:
    """Write the Markdown reference of the model."""
    text = render_markdown(current_model())
    if str(out) == "-":
        click.echo(text, nl=False)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    click.echo(f"wrote {out}")
