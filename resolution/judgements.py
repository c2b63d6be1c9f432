"""Analysts' judgements on pairs of records: stored, undone, and the ones in force.

A judgement is a node of its own, never an edit of the records: re-ingesting a source
or re-scoring the pairs leaves it in force. Undoing one marks it undone (it stays, with
who undid it and when), so the history of a decision is kept. On one pair, the latest
judgement not undone is the one in force.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, Query, RoutingControl

from graph_schema.loader import GraphModel
from resolution.clusters import InForce, Verdict
from resolution.graph import JUDGEMENT_LABEL, internal, person_labels

# Longest reason kept (a judgement's why, in the analyst's words).
MAX_REASON_CHARS = 2000


class JudgementError(ValueError):
    """A judgement that cannot be made or undone, with the reason."""


@dataclass(frozen=True, slots=True)
class Judgement:
    """One stored judgement."""

    id: str
    a: str
    b: str
    verdict: Verdict
    reason: str
    by: str
    at: datetime
    origin: str
    batch: str | None = None
    undone_at: datetime | None = None
    undone_by: str | None = None

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> Judgement:
        """The judgement a stored node holds."""
        return cls(
            id=node["id"],
            a=node["a"],
            b=node["b"],
            verdict=Verdict(node["verdict"]),
            reason=node.get("reason") or "",
            by=node.get("by") or "",
            at=node["at"].to_native(),
            origin=node.get("origin") or "judge",
            batch=node.get("batch"),
            undone_at=node["undone_at"].to_native() if node.get("undone_at") else None,
            undone_by=node.get("undone_by"),
        )


def new_id(now: datetime, prefix: str = "j") -> str:
    """A judgement (or batch) id: time first, so ids sort by when they were made."""
    return f"{prefix}-{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def _check_pairs(
    driver: Driver, model: GraphModel, database: str, pairs: list[tuple[str, str]]
) -> None:
    ids = sorted({x for pair in pairs for x in pair})
    records, _, _ = driver.execute_query(
        f"UNWIND $ids AS pid OPTIONAL MATCH (p:{person_labels(model)} {{id: pid}}) "
        "RETURN pid, p IS NOT NULL AS found",
        ids=ids,
        database_=database,
        routing_=RoutingControl.READ,
    )
    missing = [r["pid"] for r in records if not r["found"]]
    if missing:
        raise JudgementError(f"no person with id {', '.join(repr(m) for m in missing[:5])}")


def record(
    driver: Driver,
    model: GraphModel,
    database: str,
    pairs: list[tuple[str, str]],
    verdict: Verdict,
    reason: str,
    by: str,
    origin: str = "judge",
) -> list[Judgement]:
    """Store a judgement on each pair (one batch when several); returns them."""
    reason = reason.strip()
    if not reason:
        raise JudgementError("a judgement needs a reason (--reason)")
    if len(reason) > MAX_REASON_CHARS:
        raise JudgementError(f"the reason is over {MAX_REASON_CHARS} characters")
    ordered = []
    for a, b in pairs:
        if a == b:
            raise JudgementError(f"a record cannot be judged against itself ({a!r})")
        ordered.append((min(a, b), max(a, b)))
    if not ordered:
        raise JudgementError("no pair to judge")
    _check_pairs(driver, model, database, ordered)
    now = datetime.now(UTC)
    batch = new_id(now, "b") if len(ordered) > 1 else None
    made = [
        Judgement(new_id(now), a, b, verdict, reason, by, now, origin, batch) for a, b in ordered
    ]
    driver.execute_query(
        f"UNWIND $rows AS row CREATE (j:{internal(model, JUDGEMENT_LABEL)}) SET j = row",
        rows=[
            {
                "id": j.id,
                "judgement_id": j.id,
                "a": j.a,
                "b": j.b,
                "verdict": j.verdict.value,
                "reason": j.reason,
                "by": j.by,
                "at": j.at,
                "origin": j.origin,
                **({"batch": j.batch} if j.batch else {}),
            }
            for j in made
        ],
        database_=database,
    )
    return made


def undo(driver: Driver, model: GraphModel, database: str, target: str, by: str) -> list[Judgement]:
    """Undo the judgement `target` (or every judgement of batch `target`); returns them."""
    records, _, _ = driver.execute_query(
        f"MATCH (j:{internal(model, JUDGEMENT_LABEL)}) "
        "WHERE (j.id = $target OR j.batch = $target) AND j.undone_at IS NULL "
        "SET j.undone_at = $now, j.undone_by = $by RETURN properties(j) AS j",
        target=target,
        now=datetime.now(UTC),
        by=by,
        database_=database,
    )
    if not records:
        raise JudgementError(f"no judgement in force with id or batch {target!r}")
    return [Judgement.from_node(r["j"]) for r in records]


def in_force(driver: Driver, model: GraphModel, database: str) -> list[InForce]:
    """Per judged pair, the latest judgement not undone."""
    records, _, _ = driver.execute_query(
        f"MATCH (j:{internal(model, JUDGEMENT_LABEL)}) WHERE j.undone_at IS NULL "
        "WITH j ORDER BY j.at DESC, j.id DESC "
        "WITH j.a AS a, j.b AS b, collect(j)[0] AS latest "
        "RETURN a, b, latest.verdict AS verdict, latest.id AS id",
        database_=database,
        routing_=RoutingControl.READ,
    )
    return [InForce(r["a"], r["b"], Verdict(r["verdict"]), r["id"]) for r in records]


def history(
    driver: Driver,
    model: GraphModel,
    database: str,
    ids: list[str],
    timeout_s: float | None = None,
) -> list[Judgement]:
    """Every judgement (undone ones too) touching any of the records `ids`, newest first.

    `timeout_s` ends the transaction in the database (the API's request budget).
    """
    records, _, _ = driver.execute_query(
        Query(
            f"MATCH (j:{internal(model, JUDGEMENT_LABEL)}) WHERE j.a IN $ids OR j.b IN $ids "
            "RETURN properties(j) AS j ORDER BY j.at DESC, j.id DESC",
            timeout=timeout_s,
        ),
        ids=ids,
        database_=database,
        routing_=RoutingControl.READ,
    )
    return [Judgement.from_node(r["j"]) for r in records]
