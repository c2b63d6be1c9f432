"""`linkgraph watchlist add | remove | list`."""

from __future__ import annotations

import getpass

import click

from linkgraph.wiring import Wiring, pass_wiring
from watchlist.entries import KINDS, WatchlistError, add_entry, list_entries, remove_entry

_KIND = click.Choice(sorted(KINDS))


def _options(func: click.decorators.FC) -> click.decorators.FC:
    for option in (
        click.option("--region", help="Region for national phone formats (e.g. PH)."),
        click.option("--chain", help="Wallet chain (btc, eth, tron) when not detectable."),
        click.option("--platform", help="Account platform (telegram, facebook...)."),
    ):
        func = option(func)
    return func


@click.group()
def watchlist() -> None:
    """Phones, wallets, accounts and people to watch; hits appear in reports."""


@watchlist.command()
@click.argument("kind", type=_KIND)
@click.argument("value")
@click.option("--reason", required=True, help="Why it is watched (shown with every hit).")
@_options
@pass_wiring
def add(
    wiring: Wiring,
    kind: str,
    value: str,
    reason: str,
    region: str | None,
    chain: str | None,
    platform: str | None,
) -> None:
    """Watch VALUE (normalised as at ingest)."""
    settings = wiring.settings
    try:
        entry = add_entry(
            wiring.driver,
            wiring.model,
            settings.neo4j_database,
            kind,
            value,
            reason,
            region=region,
            chain=chain,
            platform=platform,
            added_by=getpass.getuser(),
        )
    except WatchlistError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"watching {entry.id} ({entry.reason})")


@watchlist.command()
@click.argument("kind", type=_KIND)
@click.argument("value")
@_options
@pass_wiring
def remove(
    wiring: Wiring,
    kind: str,
    value: str,
    region: str | None,
    chain: str | None,
    platform: str | None,
) -> None:
    """Stop watching VALUE."""
    settings = wiring.settings
    try:
        entry = remove_entry(
            wiring.driver,
            wiring.model,
            settings.neo4j_database,
            kind,
            value,
            region=region,
            chain=chain,
            platform=platform,
        )
    except WatchlistError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"no longer watching {entry.id}")


@watchlist.command("list")
@pass_wiring
def list_command(wiring: Wiring) -> None:
    """Every watched phone, wallet, account and person, with the reason."""
    settings = wiring.settings
    entries = list_entries(wiring.driver, wiring.model, settings.neo4j_database)
    if not entries:
        click.echo("the watchlist is empty")
    for e in entries:
        added = f"{e.added_at:%Y-%m-%d}" if e.added_at else "?"
        click.echo(f"{e.id}\t{e.reason}\tadded {added} by {e.added_by or '?'}")
