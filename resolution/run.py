"""Resolution as the commands, the API and the scheduler use it.

`run_resolution` scores every candidate pair anew and rebuilds the identities;
`judge`, `undo`, `undo_merge` and `split` store an analyst's decision and rebuild the
identities from the stored scores and the judgements in force, without scoring again.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, Query, RoutingControl

from graph_schema.bookkeeping import save_record
from graph_schema.loader import GraphModel
from graph_schema.provenance import IDENTITY_PROPERTY
from resolution import judgements
from resolution.clusters import Clustering, Verdict, cluster
from resolution.graph import (
    CANDIDATE_LABEL,
    IDENTITY_LABEL,
    JUDGEMENT_LABEL,
    RUN_LABEL,
    internal,
    person_labels,
    read_automatic,
    read_records,
    write_candidates,
    write_identities,
)
from resolution.judgements import Judgement, JudgementError
from resolution.lock import WAIT_S, rebuilding
from resolution.scoring import score
from resolution.settings import ResolutionSettings


@dataclass(frozen=True)
class RunSummary:
    """What one resolution run did."""

    run_id: str
    records: int
    pairs_compared: int
    all_pairs: int
    candidates: int
    automatic: int
    identities: int
    persons_resolved: int
    refused: int
    seconds: dict[str, float]

    def describe(self) -> str:
        """A few lines for the command line."""
        share = self.pairs_compared / self.all_pairs if self.all_pairs else 0.0
        return (
            f"resolution run {self.run_id}: {self.records} person records; "
            f"{self.pairs_compared} pairs compared of {self.all_pairs} ({share:.2e} of all)\n"
            f"  {self.automatic} automatic merges, {self.candidates - self.automatic} pairs "
            f"to review; {self.identities} identities of {self.persons_resolved} records; "
            f"{self.refused} links held back by 'not same' judgements\n"
            f"  seconds: {json.dumps({k: round(v, 1) for k, v in self.seconds.items()})}"
        )


def new_run_id(now: datetime) -> str:
    """A run id: start time and a random suffix."""
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def run_resolution(
    driver: Driver,
    model: GraphModel,
    database: str,
    settings: ResolutionSettings,
    say: Callable[[str], None] = lambda _: None,
) -> RunSummary:
    """Score every candidate pair, store the candidates, rebuild the identities."""
    started = datetime.now(UTC)
    run_id = new_run_id(started)
    save_record(
        driver,
        model,
        RUN_LABEL,
        run_id,
        {"run_id": run_id, "status": "running", "started_at": started},
        database,
    )
    try:
        began = time.monotonic()
        records = read_records(driver, model, database)
        read_s = time.monotonic() - began
        say(f"read {len(records)} person records in {read_s:.1f} s; scoring")
        scored = score(records, settings)
        seconds = {"read": read_s, **scored.seconds}
        step = time.monotonic()
        # Held from the candidates on: a judgement in between would rebuild from half
        # this run's candidates.
        with rebuilding(driver, model, database):
            write_candidates(
                driver,
                model,
                database,
                run_id,
                scored.pairs,
                settings.merge_probability,
                settings.write_batch_size,
            )
            clustering = recluster(driver, model, database, settings, run_id)
        seconds["write"] = time.monotonic() - step
    except Exception as error:
        save_record(
            driver,
            model,
            RUN_LABEL,
            run_id,
            {
                "status": "failed",
                "error": f"{type(error).__name__}: {error}"[:2000],
                "ended_at": datetime.now(UTC),
            },
            database,
        )
        raise
    automatic = sum(1 for p in scored.pairs if p.probability >= settings.merge_probability)
    summary = RunSummary(
        run_id=run_id,
        records=scored.records,
        pairs_compared=scored.pairs_compared,
        all_pairs=scored.all_pairs,
        candidates=len(scored.pairs),
        automatic=automatic,
        identities=len(clustering.identities),
        persons_resolved=sum(len(x.members) for x in clustering.identities),
        refused=len(clustering.refused),
        seconds=seconds,
    )
    save_record(
        driver,
        model,
        RUN_LABEL,
        run_id,
        {
            "status": "completed",
            "ended_at": datetime.now(UTC),
            "records": summary.records,
            "pairs_compared": summary.pairs_compared,
            "all_pairs": summary.all_pairs,
            "candidates": summary.candidates,
            "automatic": summary.automatic,
            "identities": summary.identities,
            "persons_resolved": summary.persons_resolved,
            "parameters": json.dumps(scored.parameters, default=str),
            "thresholds": json.dumps(
                {
                    "merge_probability": settings.merge_probability,
                    "review_probability": settings.review_probability,
                }
            ),
            "versions": json.dumps(scored.versions),
            "seconds": json.dumps({k: round(v, 3) for k, v in seconds.items()}),
        },
        database,
    )
    return summary


def recluster(
    driver: Driver,
    model: GraphModel,
    database: str,
    settings: ResolutionSettings,
    run_id: str | None = None,
) -> Clustering:
    """Rebuild the identities from the stored automatic pairs and the judgements in force.

    The caller holds the identities' lease (resolution.lock.rebuilding).
    """
    clustering = cluster(
        read_automatic(driver, model, database), judgements.in_force(driver, model, database)
    )
    write_identities(
        driver, model, database, run_id, clustering.identities, settings.write_batch_size
    )
    return clustering


def judge(
    driver: Driver,
    model: GraphModel,
    database: str,
    settings: ResolutionSettings,
    pair: tuple[str, str],
    verdict: Verdict,
    reason: str,
    by: str,
    *,
    wait_s: float = WAIT_S,
) -> Judgement:
    """Judge one pair and rebuild the identities."""
    with rebuilding(driver, model, database, wait_s):
        made = judgements.record(driver, model, database, [pair], verdict, reason, by)
        recluster(driver, model, database, settings)
    return made[0]


def undo(
    driver: Driver,
    model: GraphModel,
    database: str,
    settings: ResolutionSettings,
    target: str,
    by: str,
    *,
    wait_s: float = WAIT_S,
) -> list[Judgement]:
    """Undo a judgement (or a split's batch of them) and rebuild the identities."""
    with rebuilding(driver, model, database, wait_s):
        undone = judgements.undo(driver, model, database, target, by)
        recluster(driver, model, database, settings)
    return undone


def undo_merge(
    driver: Driver,
    model: GraphModel,
    database: str,
    settings: ResolutionSettings,
    pair: tuple[str, str],
    reason: str,
    by: str,
    *,
    wait_s: float = WAIT_S,
) -> Judgement:
    """Undo an automatic merge: the pair is judged "not same" (itself undoable)."""
    a, b = min(pair), max(pair)
    found, _, _ = driver.execute_query(
        f"MATCH (c:{internal(model, CANDIDATE_LABEL)} {{a: $a, b: $b, status: 'auto'}}) "
        "RETURN count(c) AS n",
        a=a,
        b=b,
        database_=database,
        routing_=RoutingControl.READ,
    )
    if not found[0]["n"]:
        raise JudgementError(f"{a!r} and {b!r} are not an automatic merge")
    with rebuilding(driver, model, database, wait_s):
        made = judgements.record(
            driver, model, database, [(a, b)], Verdict.DIFFERENT, reason, by, origin="undo-merge"
        )
        recluster(driver, model, database, settings)
    return made[0]


def identity_of(driver: Driver, model: GraphModel, database: str, person: str) -> list[str]:
    """The members of `person`'s identity (just `person` when it has none)."""
    members = identities_of(driver, model, database, [person])
    if person not in members:
        raise JudgementError(f"no person with id {person!r}")
    return members[person]


def identities_of(
    driver: Driver, model: GraphModel, database: str, people: list[str]
) -> dict[str, list[str]]:
    """Per Person id of `people` that exists: the members of its identity (just itself
    when it has none)."""
    records, _, _ = driver.execute_query(
        f"UNWIND $ids AS pid MATCH (p:{person_labels(model)} {{id: pid}}) "
        f"OPTIONAL MATCH (i:{internal(model, IDENTITY_LABEL)} {{id: p.`{IDENTITY_PROPERTY}`}}) "
        "RETURN pid, coalesce(i.members, [pid]) AS members",
        ids=people,
        database_=database,
        routing_=RoutingControl.READ,
    )
    return {r["pid"]: list(r["members"]) for r in records}


def split(
    driver: Driver,
    model: GraphModel,
    database: str,
    settings: ResolutionSettings,
    records: list[str],
    reason: str,
    by: str,
    *,
    wait_s: float = WAIT_S,
) -> list[Judgement]:
    """Take `records` out of their identity: each is judged "not same" as the rest.

    The judgements share one batch id; undoing the batch undoes the split.
    """
    if not records:
        raise JudgementError("name the records to take out of the identity")
    # The identity is read under the lease, so no rebuild changes it before the split.
    with rebuilding(driver, model, database, wait_s):
        members = identity_of(driver, model, database, records[0])
        outside = [r for r in records if r not in members]
        if outside:
            raise JudgementError(f"{', '.join(outside)} not in the identity of {records[0]!r}")
        rest = [m for m in members if m not in records]
        if not rest:
            raise JudgementError("a split must leave at least one record in the identity")
        pairs = [(r, m) for r in records for m in rest]
        made = judgements.record(
            driver, model, database, pairs, Verdict.DIFFERENT, reason, by, origin="split"
        )
        recluster(driver, model, database, settings)
    return made


def review_queue(
    driver: Driver,
    model: GraphModel,
    database: str,
    limit: int = 20,
    skip: int = 0,
    timeout_s: float | None = None,
) -> list[dict[str, Any]]:
    """Pairs waiting for an analyst, highest value first.

    A pair waits when it scored between the review and merge thresholds, has no
    judgement in force and is not already one identity through other links. Its value
    is its probability times log2(2 + the facts the two records hold): a likely match
    between well-connected records changes the picture most. `timeout_s` ends the read
    in the database (the API's request budget).
    """
    cypher = (
        f"MATCH (c:{internal(model, CANDIDATE_LABEL)} {{status: 'review'}}) "
        f"MATCH (pa:{person_labels(model)} {{id: c.a}}), (pb:{person_labels(model)} {{id: c.b}}) "
        f"WHERE coalesce(pa.`{IDENTITY_PROPERTY}`, pa.id) "
        f"   <> coalesce(pb.`{IDENTITY_PROPERTY}`, pb.id) "
        f"AND NOT EXISTS {{ MATCH (j:{internal(model, JUDGEMENT_LABEL)}) "
        "   WHERE j.a = c.a AND j.b = c.b AND j.undone_at IS NULL } "
        "WITH c, pa, pb, COUNT { (pa)--() } + COUNT { (pb)--() } AS facts "
        "WITH c, pa, pb, facts, c.probability * log(2 + facts) / log(2) AS value "
        "RETURN c.a AS a, c.b AS b, coalesce(pa.name, pa.aliases[0]) AS a_name, "
        "coalesce(pb.name, pb.aliases[0]) AS b_name, "
        "c.probability AS probability, c.match_weight AS match_weight, "
        "c.explanation AS explanation, value, facts "
        "ORDER BY value DESC, c.a, c.b SKIP $skip LIMIT $limit"
    )
    records, _, _ = driver.execute_query(
        Query(cypher, timeout=timeout_s),
        skip=skip,
        limit=limit,
        database_=database,
        routing_=RoutingControl.READ,
    )
    return [{**r.data(), "explanation": json.loads(r["explanation"] or "[]")} for r in records]


@dataclass(frozen=True, slots=True)
class PendingPair:
    """Two people (given by one record each) whose records a review pair joins."""

    a: str
    b: str
    probability: float


def pending_between(
    driver: Driver, model: GraphModel, database: str, people: list[str]
) -> list[PendingPair]:
    """The pairs of `people` that may be one human: a pair in the review queue joins a
    record of one's identity to a record of the other's. Highest probability first.

    Each person is named by a Person id (a network's key person); a record standing
    alone is its own identity.
    """
    if len(people) < 2:
        return []
    owner = {
        rid: pid
        for pid, members in identities_of(driver, model, database, people).items()
        for rid in members
    }
    pairs, _, _ = driver.execute_query(
        f"MATCH (c:{internal(model, CANDIDATE_LABEL)}) "
        "WHERE c.a IN $ids AND c.b IN $ids AND c.status = 'review' "
        f"AND NOT EXISTS {{ MATCH (j:{internal(model, JUDGEMENT_LABEL)}) "
        "   WHERE j.a = c.a AND j.b = c.b AND j.undone_at IS NULL } "
        "RETURN c.a AS a, c.b AS b, c.probability AS probability",
        ids=list(owner),
        database_=database,
        routing_=RoutingControl.READ,
    )
    best: dict[tuple[str, str], float] = {}
    for row in pairs:
        a, b = sorted((owner[row["a"]], owner[row["b"]]))
        if a != b:
            best[(a, b)] = max(best.get((a, b), 0.0), float(row["probability"]))
    return [
        PendingPair(a, b, p) for (a, b), p in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
