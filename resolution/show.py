"""A person's identity as analysts read it: records, names, identifiers, links, judgements."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, Query, RoutingControl

from graph_schema.loader import GraphModel
from graph_schema.provenance import IDENTITY_PROPERTY
from resolution.graph import (
    IDENTITY_LABEL,
    attachment_types,
    internal,
    person_labels,
)
from resolution.judgements import Judgement, JudgementError, history


@dataclass
class IdentityView:
    """One human: the identity (None when the record stands alone) and its records."""

    identity: str | None
    name: str | None
    names: list[str]
    automatic: bool
    records: list[dict[str, Any]]
    links: list[dict[str, Any]] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)

    @property
    def record_ids(self) -> list[str]:
        """The Person ids of the records."""
        return [r["id"] for r in self.records]


def identity_view(
    driver: Driver,
    model: GraphModel,
    database: str,
    person: str,
    timeout_s: float | None = None,
) -> IdentityView:
    """The identity of Person `person` (or of the identity id `person`).

    `timeout_s` ends each read in the database (the API's request budget).
    """
    persons = person_labels(model)
    types = "|".join(f"`{t}`" for t in attachment_types(model))
    cypher = (
        f"OPTIONAL MATCH (i:{internal(model, IDENTITY_LABEL)} {{id: $id}}) "
        f"OPTIONAL MATCH (p:{persons} {{id: $id}}) "
        f"OPTIONAL MATCH (pi:{internal(model, IDENTITY_LABEL)} "
        f"  {{id: p.`{IDENTITY_PROPERTY}`}}) "
        "WITH coalesce(i, pi) AS identity, p "
        "WHERE identity IS NOT NULL OR p IS NOT NULL "
        "WITH identity, coalesce(identity.members, [p.id]) AS ids "
        f"UNWIND ids AS rid MATCH (r:{persons} {{id: rid}}) "
        "RETURN identity {.id, .name, .names, .links, .automatic} AS identity, "
        "r {.id, .name, .aliases, .datasets, .nationality, .first_seen, .last_seen, "
        "   birth_date: toString(r.birth_date), "
        f"  identifiers: [(r)-[:{types}]->(x) | labels(x)[0] + ':' + x.id]}} AS record "
        "ORDER BY r.id"
    )
    records, _, _ = driver.execute_query(
        Query(cypher, timeout=timeout_s),
        id=person,
        database_=database,
        routing_=RoutingControl.READ,
    )
    if not records:
        raise JudgementError(f"no person or identity with id {person!r}")
    identity = records[0]["identity"]
    rows = [dict(r["record"]) for r in records]
    names = sorted({n for r in rows for n in [r.get("name"), *(r.get("aliases") or [])] if n})
    view = IdentityView(
        identity=identity["id"] if identity else None,
        name=identity["name"] if identity else rows[0].get("name"),
        names=names,
        automatic=bool(identity and identity["automatic"]),
        records=rows,
        links=json.loads(identity["links"]) if identity and identity["links"] else [],
    )
    view.judgements = history(driver, model, database, view.record_ids, timeout_s)
    return view


def describe_identity(driver: Driver, model: GraphModel, database: str, person: str) -> str:
    """The identity as text, for the command line."""
    view = identity_view(driver, model, database, person)
    lines = [
        f"identity {view.identity or '(none: the record stands alone)'}"
        + (" (automatic merges in it)" if view.automatic else ""),
        f"  name: {view.name}",
        f"  names: {', '.join(view.names)}",
        f"  records ({len(view.records)}):",
    ]
    for r in view.records:
        lines.append(
            f"    {r['id']}  {r.get('name') or ', '.join(r.get('aliases') or [])}  "
            f"born {r.get('birth_date') or '?'}  "
            f"sources {', '.join(r.get('datasets') or [])}"
        )
        for ident in r["identifiers"]:
            lines.append(f"      holds {ident}")
    if view.links:
        lines.append("  joined by:")
        for link in view.links:
            how = (
                f"score {link['probability']:.3f}"
                if link["how"] == "score"
                else f"judgement {link['judgement']}"
            )
            lines.append(f"    {link['a']} = {link['b']}  ({how})")
    if view.judgements:
        lines.append("  judgements:")
        for j in view.judgements:
            state = f"undone {j.undone_at:%Y-%m-%d} by {j.undone_by}" if j.undone_at else "in force"
            lines.append(
                f"    {j.id}  {j.a} {j.verdict.value} {j.b}  by {j.by} {j.at:%Y-%m-%d %H:%M} "
                f"({j.origin}; {state}): {j.reason}"
            )
    return "\n".join(lines)
