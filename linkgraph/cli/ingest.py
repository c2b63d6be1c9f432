"""`linkgraph ingest`, `linkgraph mapping check`, `linkgraph explain`, `linkgraph ingest-runs`
and `linkgraph hubs`."""

from __future__ import annotations

from pathlib import Path

import click

from graph_schema.spec import KeyKind
from ingest.check import check_file
from ingest.hubs import HubPolicy, flag_hubs
from ingest.loader import Loader
from ingest.mapping import MappingError
from ingest.provenance import explain as explain_fact
from ingest.readers import ReaderError, ReaderLimits
from ingest.runs import list_runs
from linkgraph.wiring import Wiring, pass_wiring
from normalise import NormaliseError
from resolution.show import describe_identity

INGEST_ERRORS = (MappingError, ReaderError, NormaliseError)
REJECTS_DIR = click.option(
    "--rejects-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the rejects file goes (default: <data dir>/rejects).",
)


@click.command()
@click.argument("mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--file",
    "data",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Data file to load (default: the mapping's source.path).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Map and check every record; write nothing (no database needed): `mapping check`.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, 100_000),
    default=None,
    help="Records per write transaction (default: LINKGRAPH_INGEST_BATCH_SIZE).",
)
@click.option(
    "--writers",
    type=click.IntRange(1, 16),
    default=None,
    help="Write transactions at once (default: LINKGRAPH_INGEST_WRITERS, 1).",
)
@REJECTS_DIR
@pass_wiring
def ingest(
    wiring: Wiring,
    mapping: Path,
    data: Path | None,
    dry_run: bool,
    batch_size: int | None,
    writers: int | None,
    rejects_dir: Path | None,
) -> None:
    """Load a source file through MAPPING (YAML; see docs/ingest.md)."""
    settings = wiring.settings
    if dry_run:
        # Before anything opens the driver: a check needs no database, nor its password.
        _check(wiring, mapping, data, rejects_dir, show=5)
        return
    if writers is not None:
        settings = settings.model_copy(update={"ingest_writers": writers})
    loader = Loader.from_settings(wiring.driver, wiring.model, settings, batch_size)
    bar = click.progressbar(length=1, label="loading", show_pos=False, file=None)
    shown = 0

    def advance(bytes_read: int, size: int) -> None:
        nonlocal shown
        bar.length = max(size, 1)
        bar.update(bytes_read - shown)
        shown = bytes_read

    try:
        with bar:
            summary = loader.load(
                mapping,
                data,
                rejects_dir=rejects_dir or settings.data_dir / "rejects",
                progress=advance,
            )
    except INGEST_ERRORS as error:
        raise click.ClickException(str(error)) from error
    click.echo(summary.describe())


@click.group(name="mapping")
def mapping_group() -> None:
    """Mappings: check one on its data before loading it."""


@mapping_group.command(name="check")
@click.argument("mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--file",
    "data",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Data file to check it on (default: the mapping's source.path).",
)
@click.option("--show", type=click.IntRange(0, 1000), default=5, show_default=True)
@REJECTS_DIR
@pass_wiring
def mapping_check(
    wiring: Wiring, mapping: Path, data: Path | None, show: int, rejects_dir: Path | None
) -> None:
    """Validate MAPPING and map its data without a database: the first mapped records
    (`--show`), the counts, and the first rejects with their reasons."""
    _check(wiring, mapping, data, rejects_dir, show)


def _check(
    wiring: Wiring, mapping: Path, data: Path | None, rejects_dir: Path | None, show: int
) -> None:
    settings = wiring.settings
    try:
        result = check_file(
            mapping,
            wiring.model,
            data,
            rejects_dir=rejects_dir or settings.data_dir / "rejects",
            limits=ReaderLimits(settings.ingest_max_cell, settings.ingest_max_depth),
            show=show,
        )
    except INGEST_ERRORS as error:
        raise click.ClickException(str(error)) from error
    click.echo(result.describe())


@click.command()
@click.argument("fact")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@pass_wiring
def explain(wiring: Wiring, fact: str, limit: int) -> None:
    """List the source records behind FACT.

    FACT is `Label:id` for a node (e.g. `Phone:+639171234567`), `TYPE:source->target`
    for an aggregated relationship (`CALLED:+84912345678->+84987654321`), or
    `TYPE:id` for an event (a transfer, a sighting).
    """
    total, rows = explain_fact(wiring.driver, fact, wiring.settings.neo4j_database, limit)
    if total == 0:
        raise click.ClickException(f"no source record asserts {fact!r}")
    click.echo(f"{fact}: asserted by {total} source record(s)")
    for row in rows:
        where = f"{row.file}#{row.record_no}" if row.file else row.record
        click.echo(f"  {row.seen or '-'}  {row.dataset}  {where}  ({row.record}; run {row.run})")
    if total > len(rows):
        click.echo(f"  ... and {total - len(rows)} more (raise --limit)")
    label, _, key = fact.partition(":")
    if label in wiring.model.entities and wiring.model.entities[label].key.kind is KeyKind.PERSON:
        # A person is also the other records resolution found to be the same human.
        view = describe_identity(wiring.driver, wiring.model, wiring.database, key)
        if not view.startswith("identity (none"):
            click.echo(view)


@click.command(name="ingest-runs")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@pass_wiring
def ingest_runs(wiring: Wiring, limit: int) -> None:
    """List the latest ingest runs and their counts."""
    for run in list_runs(wiring.driver, wiring.model, wiring.settings.neo4j_database, limit):
        click.echo(
            f"{run['id']}  {run.get('status')}  read {run.get('records_read', 0)} = loaded "
            f"{run.get('records_loaded', 0)} + rejected {run.get('records_rejected', 0)}  "
            f"{run.get('file')}"
        )


@click.command()
@pass_wiring
def hubs(wiring: Wiring) -> None:
    """Check every identifier against the hub policy (LINKGRAPH_HUB_MIN_PEOPLE).

    Each load flags the identifiers it links people to, and checks them all when
    the policy changed since the last full check; this runs that full check now.
    """
    settings = wiring.settings
    policy = HubPolicy(settings.hub_min_people)
    changes = flag_hubs(wiring.driver, wiring.model, policy, settings.neo4j_database)
    click.echo(
        f"hub policy (>= {policy.min_people} people) applied to every identifier: "
        f"{changes.flagged} flagged, {changes.cleared} no longer hubs"
    )
