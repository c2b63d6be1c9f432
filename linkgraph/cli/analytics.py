"""`linkgraph analyze`: find the networks, rank them, write the results back."""

from __future__ import annotations

import click

from analytics.pipeline import run_analysis
from analytics.settings import AnalyticsSettings
from linkgraph.wiring import Wiring, pass_wiring


@click.command()
@click.option("--engine", type=click.Choice(["python", "gds"]), help="Where algorithms run.")
@click.option(
    "--algorithm",
    type=click.Choice(["leiden", "louvain", "python-louvain", "networkx-louvain", "wcc"]),
    help="Community detection algorithm (default leiden).",
)
@click.option("--objective", type=click.Choice(["modularity", "cpm"]), help="Leiden objective.")
@click.option("--resolution", type=float, help="Resolution (gamma) of the objective.")
@click.option("--max-community-size", type=int, help="Split communities larger than this.")
@click.option("--seed", type=int, help="Random seed: same graph and seed, same partition.")
@click.option("--time-budget", type=float, help="Seconds any one algorithm may take.")
@click.option("--top", type=int, default=5, show_default=True, help="Networks to list.")
@click.option("--dry-run", is_flag=True, help="Analyse but write nothing back.")
@pass_wiring
def analyze(
    wiring: Wiring, /, top: int, dry_run: bool, time_budget: float | None, **options: object
) -> None:
    """Detect networks of people, score and rank them, and write the results back."""
    given = {k: v for k, v in options.items() if v is not None}
    if time_budget is not None:
        given["time_budget_s"] = time_budget
    analytics = AnalyticsSettings(**given)  # type: ignore[arg-type]
    settings = wiring.settings
    summary = run_analysis(
        wiring.driver,
        wiring.model,
        settings.neo4j_database,
        analytics,
        say=lambda line: click.echo(line, err=True),
        write=not dry_run,
    )
    click.echo(summary.describe(top))
