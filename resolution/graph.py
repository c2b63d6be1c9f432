"""Resolution's reads and writes in Neo4j: person records in; candidates and identities out.

Labels and relationship types come from the model: people are the labels keyed as
persons, identifiers those keyed as phones, accounts and wallets (places are not
identifiers of a person), and the internal labels hold candidates, judgements,
identities and runs.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from neo4j import Driver, RoutingControl

from graph_schema.loader import GraphModel
from graph_schema.provenance import HUB_PROPERTY, IDENTITY_PROPERTY
from graph_schema.spec import HELD_KINDS, KeyKind
from resolution.clusters import Identity
from resolution.records import PersonRecord
from resolution.scoring import ScoredPair, explanation_json

T = TypeVar("T")

IDENTITY_LABEL = "Identity"
CANDIDATE_LABEL = "MatchCandidate"
JUDGEMENT_LABEL = "Judgement"
RUN_LABEL = "ResolutionRun"


def person_labels(model: GraphModel) -> str:
    """`A|B` of the labels keyed as persons."""
    labels = sorted(lb for lb, n in model.entities.items() if n.key.kind is KeyKind.PERSON)
    return "|".join(f"`{lb}`" for lb in labels)


def internal(model: GraphModel, label: str) -> str:
    """An internal label of the model, checked (so Cypher labels come from the model)."""
    node = model.node(label)
    if not node.internal:
        raise ValueError(f"{label} is not an internal label")
    return f"`{node.label}`"


def attachment_types(model: GraphModel) -> list[str]:
    """Types by which a person holds an identifier (USES, HOLDS, OWNS)."""
    persons = {lb for lb, n in model.entities.items() if n.key.kind is KeyKind.PERSON}
    held = {lb for lb, n in model.entities.items() if n.key.kind in HELD_KINDS}
    return sorted(
        t
        for t, rel in model.relationships.items()
        if set(rel.source) <= persons and set(rel.target) & held
    )


def holding_types(model: GraphModel) -> list[str]:
    """Types from one identifier to another that its holder holds too (REGISTERED_TO)."""
    return sorted(t for t, rel in model.relationships.items() if rel.implies_holding)


def read_records(driver: Driver, model: GraphModel, database: str) -> list[PersonRecord]:
    """Every person record, with the identifiers it holds (hubs left out).

    A record holds what it is attached to, and what those are registered to: the phone
    number of a WhatsApp account it holds is a number it uses.
    """
    types = "|".join(f"`{t}`" for t in attachment_types(model))
    implied = "|".join(f"`{t}`" for t in holding_types(model))
    hub = "coalesce({}.`" + HUB_PROPERTY + "`, false)"
    through = (
        f"[(p)-[:{types}]->(a)-[:{implied}]->(x) WHERE NOT {hub.format('a')} | x]"
        if implied
        else "[]"
    )
    # A hub is no evidence of who holds it, but its country still is.
    query = (
        f"MATCH (p:{person_labels(model)}) "
        f"WITH p, [(p)-[:{types}]->(x) | x] + {through} AS held "
        "RETURN p.id AS id, p.name AS name, p.aliases AS aliases, "
        "toString(p.birth_date) AS birth, p.nationality AS nationality, p.gender AS gender, "
        f"p.datasets AS datasets, [x IN held WHERE NOT {hub.format('x')} "
        "| labels(x)[0] + ':' + x.id] AS held, "
        "[x IN held WHERE x.country IS NOT NULL | x.country] AS countries"
    )
    records = []
    with driver.session(database=database, default_access_mode="READ") as session:
        for row in session.run(query):  # streamed: a national file does not fit one list
            records.append(_record(row))
    return records


# The country of a document key: ISO 3166 alpha-2, as the person key normaliser writes it.
_COUNTRY = re.compile(r"[A-Z]{2}")


def _record(row: Any) -> PersonRecord:
    pid: str = row["id"]
    names = [n for n in [row["name"], *(row["aliases"] or [])] if isinstance(n, str) and n]
    # A document key is `scheme:CC:number` (`passport:PH:P1066580H`); a reference is
    # `scope:ref`, its scope one of the record's datasets or a scope sources share, and
    # a ref may hold colons too. Documents are compared across schemes and sources.
    parts = pid.split(":", 2)
    is_document = (
        len(parts) == 3
        and _COUNTRY.fullmatch(parts[1]) is not None
        and parts[0] not in (row["datasets"] or [])
    )
    documents = (pid,) if is_document else ()
    return PersonRecord(
        id=pid,
        names=tuple(dict.fromkeys(names)),
        birth_date=row["birth"],
        nationality=row["nationality"],
        gender=row["gender"],
        identifiers=tuple(sorted(set(row["held"]))),
        documents=documents,
        countries=tuple(sorted(set(row["countries"]))),
    )


def _batches(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def write_candidates(
    driver: Driver,
    model: GraphModel,
    database: str,
    run_id: str,
    pairs: Sequence[ScoredPair],
    merge_probability: float,
    batch_size: int,
) -> None:
    """Replace the stored candidates with this run's pairs (automatic or review)."""
    label = internal(model, CANDIDATE_LABEL)
    rows = [
        {
            "a": p.a,
            "b": p.b,
            "probability": p.probability,
            "match_weight": p.match_weight,
            "explanation": explanation_json(p),
            "status": "auto" if p.probability >= merge_probability else "review",
        }
        for p in pairs
    ]
    for batch in _batches(rows, batch_size):
        driver.execute_query(
            f"UNWIND $rows AS row MERGE (c:{label} {{a: row.a, b: row.b}}) "
            "SET c += row, c.id = row.a + ' ~ ' + row.b, c.resolution_run = $run",
            rows=list(batch),
            run=run_id,
            database_=database,
        )
    # Pairs this run no longer scores that high leave the queue (judgements stay).
    # CALL ... IN TRANSACTIONS needs an auto-commit transaction: session.run.
    with driver.session(database=database) as session:
        session.run(
            f"MATCH (c:{label}) WHERE c.resolution_run <> $run "
            "CALL (c) { DETACH DELETE c } IN TRANSACTIONS OF 10000 ROWS",
            run=run_id,
        ).consume()


def read_automatic(
    driver: Driver, model: GraphModel, database: str
) -> list[tuple[str, str, float]]:
    """The stored automatic pairs: (a, b, probability)."""
    records, _, _ = driver.execute_query(
        f"MATCH (c:{internal(model, CANDIDATE_LABEL)} {{status: 'auto'}}) "
        "RETURN c.a AS a, c.b AS b, c.probability AS p",
        database_=database,
        routing_=RoutingControl.READ,
    )
    return [(r["a"], r["b"], float(r["p"])) for r in records]


def write_identities(
    driver: Driver,
    model: GraphModel,
    database: str,
    run_id: str | None,
    identities: Sequence[Identity],
    batch_size: int,
) -> None:
    """Make the stored identities these: write each, drop the others, mark the members.

    A Person's `identity` is set for the members of an identity and removed from every
    other record, so a split or an undone merge leaves no stale mark.
    """
    label = internal(model, IDENTITY_LABEL)
    persons = person_labels(model)
    names = _names(driver, model, database, [m for x in identities for m in x.members])
    rows = [
        {
            "id": x.id,
            "identity_id": x.id,
            "members": x.members,
            "names": sorted({n for m in x.members for n in names.get(m, [])}),
            "name": _display_name([n for m in x.members for n in names.get(m, [])[:1]]),
            "links": json.dumps([link.as_json() for link in x.links], ensure_ascii=False),
            "automatic": x.automatic,
        }
        for x in identities
    ]
    for batch in _batches(rows, batch_size):
        driver.execute_query(
            f"UNWIND $rows AS row MERGE (i:{label} {{id: row.id}}) SET i += row, "
            "i.resolution_run = coalesce($run, i.resolution_run) "
            f"WITH i, row UNWIND row.members AS member MATCH (p:{persons} {{id: member}}) "
            f"SET p.`{IDENTITY_PROPERTY}` = row.id",
            rows=list(batch),
            run=run_id,
            database_=database,
        )
    keep = [x.id for x in identities]
    driver.execute_query(
        f"MATCH (i:{label}) WHERE NOT i.id IN $keep DETACH DELETE i",
        keep=keep,
        database_=database,
    )
    member_of = {m: x.id for x in identities for m in x.members}
    stale, _, _ = driver.execute_query(
        f"MATCH (p:{persons}) WHERE p.`{IDENTITY_PROPERTY}` IS NOT NULL "
        f"RETURN p.id AS id, p.`{IDENTITY_PROPERTY}` AS identity",
        database_=database,
        routing_=RoutingControl.READ,
    )
    gone = [r["id"] for r in stale if member_of.get(r["id"]) != r["identity"]]
    for batch in _batches(gone, batch_size):
        driver.execute_query(
            f"UNWIND $ids AS pid MATCH (p:{persons} {{id: pid}}) REMOVE p.`{IDENTITY_PROPERTY}`",
            ids=list(batch),
            database_=database,
        )


def _names(
    driver: Driver, model: GraphModel, database: str, ids: list[str]
) -> dict[str, list[str]]:
    """Each record's name (first) and aliases."""
    records, _, _ = driver.execute_query(
        f"UNWIND $ids AS pid MATCH (p:{person_labels(model)} {{id: pid}}) "
        "RETURN p.id AS id, [n IN [p.name] + coalesce(p.aliases, []) WHERE n IS NOT NULL] "
        "AS names",
        ids=ids,
        database_=database,
        routing_=RoutingControl.READ,
    )
    return {r["id"]: list(r["names"]) for r in records}


def _display_name(names: list[str]) -> str | None:
    """The name most members give; ties to the longest, then the first in order."""
    if not names:
        return None
    counts = Counter(names)
    return sorted(counts, key=lambda n: (-counts[n], -len(n), n))[0]
