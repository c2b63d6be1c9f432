"""`linkgraph resolve`: entity resolution, its review queue and analysts' judgements."""

from __future__ import annotations

import getpass
import json
import logging
from typing import Any

import click

from linkgraph.wiring import Wiring, pass_wiring
from resolution.clusters import Verdict
from resolution.judgements import JudgementError
from resolution.run import (
    judge as judge_pair,
)
from resolution.run import (
    review_queue,
    run_resolution,
    split,
    undo_merge,
)
from resolution.run import (
    undo as undo_judgement,
)
from resolution.settings import ResolutionSettings
from resolution.show import describe_identity


def _analyst() -> str:
    # The command line's analyst is the operating-system user (the API names the key).
    return f"cli:{getpass.getuser()}"


def _settings(merge: float | None = None, review: float | None = None) -> ResolutionSettings:
    # Options given on the command line override the environment's settings.
    given: dict[str, Any] = {"merge_probability": merge, "review_probability": review}
    return ResolutionSettings(**{k: v for k, v in given.items() if v is not None})


@click.group()
def resolve() -> None:
    """Entity resolution: which Person records are one human (docs/resolution.md)."""


@resolve.command("run")
@click.option("--merge", type=float, help="Merge automatically at or above this probability.")
@click.option("--review", type=float, help="Queue for review at or above this probability.")
@pass_wiring
def run(wiring: Wiring, /, merge: float | None, review: float | None) -> None:
    """Score candidate pairs anew, then rebuild the identities (judgements kept)."""
    # Splink reports untrained levels and the like as warnings: the run's record keeps
    # the model, so the command line shows only the summary.
    logging.getLogger("splink").setLevel(logging.ERROR)
    settings = _settings(merge, review)
    summary = run_resolution(
        wiring.driver,
        wiring.model,
        wiring.database,
        settings,
        say=lambda line: click.echo(line, err=True),
    )
    click.echo(summary.describe())


@resolve.command("candidates")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--skip", type=click.IntRange(0), default=0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per pair.")
@pass_wiring
def candidates(wiring: Wiring, /, limit: int, skip: int, as_json: bool) -> None:
    """The review queue: pairs waiting for a judgement, highest value first."""
    rows = review_queue(wiring.driver, wiring.model, wiring.database, limit, skip)
    if not rows:
        click.echo("the review queue is empty")
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        click.echo(
            f"{row['probability']:.3f}  value {row['value']:.2f}  {row['a']} ({row['a_name']})"
            f"  ~  {row['b']} ({row['b_name']})"
        )
        for part in row["explanation"]:
            click.echo(f"    {part['match_weight']:+7.2f}  {part['comparison']}: {part['level']}")


@resolve.command("judge")
@click.argument("a")
@click.argument("b")
@click.argument("verdict", type=click.Choice([v.value for v in Verdict]))
@click.option("--reason", required=True, help="Why, in the analyst's words (kept).")
@pass_wiring
def judge(wiring: Wiring, /, a: str, b: str, verdict: str, reason: str) -> None:
    """Judge whether records A and B are one human: same, different or unsure."""
    try:
        made = judge_pair(
            wiring.driver,
            wiring.model,
            wiring.database,
            _settings(),
            (a, b),
            Verdict(verdict),
            reason,
            _analyst(),
        )
    except JudgementError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"judgement {made.id}: {made.a} {made.verdict.value} {made.b}")


@resolve.command("undo")
@click.argument("target", nargs=-1, required=True)
@click.option("--reason", help="Why (needed to undo an automatic merge).")
@pass_wiring
def undo(wiring: Wiring, /, target: tuple[str, ...], reason: str | None) -> None:
    """Undo judgement TARGET (a judgement or split id), or the automatic merge of A B."""
    try:
        if len(target) == 1:
            undone = undo_judgement(
                wiring.driver, wiring.model, wiring.database, _settings(), target[0], _analyst()
            )
            for j in undone:
                click.echo(f"undone {j.id}: {j.a} {j.verdict.value} {j.b}")
            return
        if len(target) != 2:
            raise JudgementError("give one judgement id, or the two records of a merge")
        made = undo_merge(
            wiring.driver,
            wiring.model,
            wiring.database,
            _settings(),
            (target[0], target[1]),
            reason or "",
            _analyst(),
        )
    except JudgementError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"automatic merge undone by judgement {made.id}: {made.a} different {made.b}")


@resolve.command("split")
@click.argument("records", nargs=-1, required=True)
@click.option("--reason", required=True, help="Why these records are someone else.")
@pass_wiring
def split_identity(wiring: Wiring, /, records: tuple[str, ...], reason: str) -> None:
    """Take RECORDS out of their identity (undo with the split's batch id)."""
    try:
        made = split(
            wiring.driver,
            wiring.model,
            wiring.database,
            _settings(),
            list(records),
            reason,
            _analyst(),
        )
    except JudgementError as error:
        raise click.ClickException(str(error)) from error
    batch = made[0].batch or made[0].id
    click.echo(f"split {batch}: {len(made)} 'not same' judgements")


@resolve.command("show")
@click.argument("person")
@pass_wiring
def show(wiring: Wiring, /, person: str) -> None:
    """A person's identity: its records, names, identifiers, links and judgements."""
    try:
        text = describe_identity(wiring.driver, wiring.model, wiring.database, person)
    except JudgementError as error:
        raise click.ClickException(str(error)) from error
    click.echo(text)
