"""Model version 3: Person nodes keyed by a document number with separators take the
id a load now gives them (graph_schema.person_keys).

Before version 3, `1119-5106-0496-9855` and `1119510604969855` keyed two Person
nodes. Each such node is renamed; where the new id is taken (the same document loaded
from a source that wrote it without separators), the node is merged into the one that
has it: properties the survivor lacks are added, provenance is combined (record
counts added, first and last seen widened, datasets joined), and each relationship
moves across, folded into an equal one (same type, ends and identity) when there is.
Undirected relationships are stored from the lower id to the higher, so one whose
order the new id changes is turned round. Everything that names the old id follows:
Evidence ids (so `explain` and a reload find the records), judgements, match
candidates, identities and watchlist entries. A judgement whose two records become
one node is marked undone by this migration; its history stays.

Ids whose first part is a dataset name are references (`dataset:ref`), never
documents, and are left alone. Each step is its own transaction, ordered so that
running the migration again, after a crash or not, completes it and changes nothing
more.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, RoutingControl

from graph_schema.bookkeeping import INGEST_RUN_LABEL
from graph_schema.loader import GraphModel
from graph_schema.person_keys import DOCUMENT_ID, document_id, document_number
from graph_schema.provenance import EVIDENCE, EVIDENCE_SEPARATOR, node_fact
from graph_schema.spec import KeyKind

# Who undid a judgement whose two records became one node.
MIGRATION_ACTOR = "model migration 3: one id per document number"
_FIRST, _LAST, _COUNT, _DATASETS = "first_seen", "last_seen", "record_count", "datasets"


@dataclass(frozen=True)
class _Rel:
    """One stored relationship as the migration reads it."""

    element_id: str
    type: str
    start: str  # element ids of the ends
    end: str
    start_id: str  # the ends' `id` values before the migration
    end_id: str
    props: dict[str, Any]


def rekey_document_ids(driver: Driver, database: str, model: GraphModel) -> None:
    """Re-key every document-keyed Person whose number keeps separators."""
    for label, node in model.entities.items():
        if node.key.kind is not KeyKind.PERSON:
            continue
        # In an order that a rerun after a crash completes: what names the old ids
        # first (the plan is read from the nodes, which still have them), the nodes
        # next, and last the direction of every undirected relationship.
        plan = _plan(driver, database, label)
        if plan:
            facts = _evidence_prefixes(driver, database, model, label, plan)
            _rewrite_evidence(driver, database, facts)
            _rewrite_references(driver, database, label, plan)
            _rename_and_merge(driver, database, model, label, node.key.properties, plan)
        _order_undirected(driver, database, model, label)


def _plan(driver: Driver, database: str, label: str) -> dict[str, str]:
    """Old id -> new id of every node of `label` keyed by a document with separators."""
    records, _, _ = driver.execute_query(
        f"OPTIONAL MATCH (r:`{INGEST_RUN_LABEL}`) WITH collect(DISTINCT r.dataset) AS datasets "
        f"MATCH (p:`{label}`) WHERE p.id =~ '(?s)[^:]+:[A-Z]{{2}}:.+' "
        "AND NOT split(p.id, ':')[0] IN datasets RETURN p.id AS id",
        database_=database,
        routing_=RoutingControl.READ,
    )
    plan = {}
    for record in records:
        old = record["id"]
        match = DOCUMENT_ID.fullmatch(old)
        if match is None:
            continue
        scheme, country, number = match.groups()
        new_number = document_number(number)
        if new_number and new_number != number:
            plan[old] = document_id(scheme, country, new_number)
    return plan


def _rels_of(driver: Driver, database: str, label: str, ids: list[str]) -> list[_Rel]:
    records, _, _ = driver.execute_query(
        f"UNWIND $ids AS pid MATCH (:`{label}` {{id: pid}})-[r]-() "
        "WITH DISTINCT r, startNode(r) AS s, endNode(r) AS e "
        "RETURN elementId(r) AS rid, type(r) AS type, elementId(s) AS start, "
        "elementId(e) AS end, s.id AS start_id, e.id AS end_id, properties(r) AS props",
        ids=ids,
        database_=database,
        routing_=RoutingControl.READ,
    )
    return [
        _Rel(r["rid"], r["type"], r["start"], r["end"], r["start_id"], r["end_id"], r["props"])
        for r in records
    ]


def _evidence_prefixes(
    driver: Driver, database: str, model: GraphModel, label: str, plan: dict[str, str]
) -> dict[str, str]:
    """Old fact name -> new fact name, for every fact that names an old id.

    Read before anything moves: a relationship's fact is `TYPE:start->end[identity]`
    in its stored direction, which for an undirected type is by id order.
    """
    facts = {node_fact(label, old): node_fact(label, new) for old, new in plan.items()}
    for rel in _rels_of(driver, database, label, sorted(plan)):
        spec = model.relationships.get(rel.type)
        if spec is None or spec.has_id:  # an event's fact is its own id
            continue
        start, end = plan.get(rel.start_id, rel.start_id), plan.get(rel.end_id, rel.end_id)
        if not spec.directed and end < start:
            start, end = end, start
        facts[f"{rel.type}:{rel.start_id}->{rel.end_id}"] = f"{rel.type}:{start}->{end}"
    return facts


def _rename_and_merge(
    driver: Driver,
    database: str,
    model: GraphModel,
    label: str,
    key_properties: list[str],
    plan: dict[str, str],
) -> None:
    """Give each planned node its new id; merge it where the id is taken."""
    by_new: dict[str, list[str]] = defaultdict(list)
    for old, new in sorted(plan.items()):
        by_new[new].append(old)
    keys = ", ".join(f"p.`{name}` = $new" for name in key_properties)
    for new, olds in by_new.items():
        taken, _, _ = driver.execute_query(
            f"MATCH (p:`{label}` {{id: $new}}) RETURN count(p) AS n",
            new=new,
            database_=database,
        )
        if not taken[0]["n"]:
            driver.execute_query(
                f"MATCH (p:`{label}` {{id: $old}}) SET p.id = $new" + (f", {keys}" if keys else ""),
                old=olds[0],
                new=new,
                database_=database,
            )
            olds = olds[1:]
        for old in olds:
            _merge_node(driver, database, model, label, old, new)


def _merge_node(
    driver: Driver, database: str, model: GraphModel, label: str, old: str, new: str
) -> None:
    """Fold node `old` into node `new`: properties, provenance, relationships."""
    records, _, _ = driver.execute_query(
        f"MATCH (o:`{label}` {{id: $old}}), (n:`{label}` {{id: $new}}) "
        "RETURN properties(o) AS old, properties(n) AS new, elementId(o) AS o, elementId(n) AS n",
        old=old,
        new=new,
        database_=database,
    )
    row = records[0]
    driver.execute_query(
        "MATCH (n) WHERE elementId(n) = $n SET n = $props",
        n=row["n"],
        props=_combined(row["new"], row["old"], []),
        database_=database,
    )
    for rel in _rels_of(driver, database, label, [old]):
        start = row["n"] if rel.start == row["o"] else rel.start
        end = row["n"] if rel.end == row["o"] else rel.end
        _put(driver, database, model, rel, start, end)
    driver.execute_query(
        "MATCH (o) WHERE elementId(o) = $o DETACH DELETE o", o=row["o"], database_=database
    )


def _put(driver: Driver, database: str, model: GraphModel, rel: _Rel, start: str, end: str) -> None:
    """Move `rel` to run from `start` to `end`, folded into an equal relationship there."""
    spec = model.relationships.get(rel.type)
    kind = f"`{rel.type}`"
    if spec is not None and not spec.has_id:
        identity = {name: rel.props.get(name) for name in spec.identity}
        found, _, _ = driver.execute_query(
            f"MATCH (a)-[x:{kind}]->(b) WHERE elementId(a) = $a AND elementId(b) = $b "
            "AND elementId(x) <> $rid AND all(k IN keys($identity) WHERE x[k] = $identity[k]) "
            "RETURN elementId(x) AS x, properties(x) AS props LIMIT 1",
            a=start,
            b=end,
            rid=rel.element_id,
            identity=identity,
            database_=database,
        )
        if found:
            driver.execute_query(
                "MATCH ()-[x]->() WHERE elementId(x) = $x SET x = $props "
                "WITH x MATCH ()-[r]->() WHERE elementId(r) = $rid DELETE r",
                x=found[0]["x"],
                props=_combined(found[0]["props"], rel.props, spec.summed),
                rid=rel.element_id,
                database_=database,
            )
            return
    if (start, end) == (rel.start, rel.end):
        return
    driver.execute_query(
        f"MATCH (a), (b) WHERE elementId(a) = $a AND elementId(b) = $b "
        f"CREATE (a)-[x:{kind}]->(b) SET x = $props "
        "WITH x MATCH ()-[r]->() WHERE elementId(r) = $rid DELETE r",
        a=start,
        b=end,
        props=rel.props,
        rid=rel.element_id,
        database_=database,
    )


def _combined(kept: dict[str, Any], folded: dict[str, Any], sums: list[str]) -> dict[str, Any]:
    """`kept`'s properties, with `folded`'s provenance added and its other properties
    filling the gaps (the kept node's own values win, as the latest load's would)."""
    out = {**folded, **kept}
    out[_COUNT] = (kept.get(_COUNT) or 0) + (folded.get(_COUNT) or 0)
    firsts = [v for v in (kept.get(_FIRST), folded.get(_FIRST)) if v is not None]
    lasts = [v for v in (kept.get(_LAST), folded.get(_LAST)) if v is not None]
    out[_FIRST] = min(firsts) if firsts else None
    out[_LAST] = max(lasts) if lasts else None
    datasets = list(kept.get(_DATASETS) or [])
    out[_DATASETS] = datasets + [d for d in folded.get(_DATASETS) or [] if d not in datasets]
    for name in sums:
        out[name] = (kept.get(name) or 0) + (folded.get(name) or 0)
    return {k: v for k, v in out.items() if v is not None}


def _order_undirected(driver: Driver, database: str, model: GraphModel, label: str) -> None:
    """Turn round each undirected relationship from a `label` node stored high to low."""
    for name, spec in model.relationships.items():
        if spec.directed or label not in spec.source:
            continue
        records, _, _ = driver.execute_query(
            f"MATCH (s:`{label}`)-[r:`{name}`]->(e) WHERE s.id > e.id "
            "RETURN elementId(r) AS rid, elementId(s) AS start, elementId(e) AS end, "
            "s.id AS start_id, e.id AS end_id, properties(r) AS props",
            database_=database,
            routing_=RoutingControl.READ,
        )
        for r in records:
            rel = _Rel(r["rid"], name, r["start"], r["end"], r["start_id"], r["end_id"], r["props"])
            _put(driver, database, model, rel, rel.end, rel.start)


def _rewrite_evidence(driver: Driver, database: str, facts: dict[str, str]) -> None:
    """Rename the Evidence of each old fact; a duplicate of an existing one goes."""
    rows = [{"old": old, "new": new} for old, new in facts.items() if old != new]
    driver.execute_query(
        "UNWIND $rows AS row UNWIND [$sep, '['] AS next "
        f"MATCH (e:`{EVIDENCE}`) WHERE e.id STARTS WITH row.old + next "
        "WITH e, row.new + substring(e.id, size(row.old)) AS id "
        f"OPTIONAL MATCH (d:`{EVIDENCE}` {{id: id}}) "
        "FOREACH (_ IN CASE WHEN d IS NULL THEN [1] ELSE [] END | SET e.id = id) "
        "FOREACH (_ IN CASE WHEN d IS NULL THEN [] ELSE [1] END | DETACH DELETE e)",
        rows=rows,
        sep=EVIDENCE_SEPARATOR,
        database_=database,
    )


def _renamed_pairs(
    driver: Driver, database: str, label: str, plan: dict[str, str]
) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(element id, a, b, properties) of each `label` node naming an old id as `a` or
    `b`, with the pair in the new ids, ordered as stored pairs are."""
    records, _, _ = driver.execute_query(
        f"MATCH (x:`{label}`) WHERE x.a IN $olds OR x.b IN $olds "
        "RETURN elementId(x) AS x, properties(x) AS props",
        olds=sorted(plan),
        database_=database,
    )
    out = []
    for r in records:
        props = r["props"]
        a, b = sorted((plan.get(props["a"], props["a"]), plan.get(props["b"], props["b"])))
        out.append((r["x"], a, b, props))
    return out


def _rewrite_references(driver: Driver, database: str, label: str, plan: dict[str, str]) -> None:
    """Judgements, match candidates, identities and watchlist entries name the new ids."""
    now = datetime.now(UTC)
    for element, a, b, props in _renamed_pairs(driver, database, "Judgement", plan):
        live = props.get("undone_at") is None
        undo = {"undone_at": now, "undone_by": MIGRATION_ACTOR} if a == b and live else {}
        driver.execute_query(
            "MATCH (j) WHERE elementId(j) = $j SET j.a = $a, j.b = $b, j += $undo",
            j=element,
            a=a,
            b=b,
            undo=undo,
            database_=database,
        )
    for element, a, b, _ in _renamed_pairs(driver, database, "MatchCandidate", plan):
        # One node now, or the pair is queued already: the next run scores it again.
        driver.execute_query(
            "MATCH (c) WHERE elementId(c) = $c "
            "OPTIONAL MATCH (d:MatchCandidate {a: $a, b: $b}) "
            "FOREACH (_ IN CASE WHEN $a = $b OR d IS NOT NULL THEN [1] ELSE [] END | "
            "DETACH DELETE c) "
            "FOREACH (_ IN CASE WHEN $a = $b OR d IS NOT NULL THEN [] ELSE [1] END | "
            "SET c.a = $a, c.b = $b, c.id = $a + ' ~ ' + $b)",
            c=element,
            a=a,
            b=b,
            database_=database,
        )
    records, _, _ = driver.execute_query(
        "MATCH (i:Identity) WHERE any(m IN i.members WHERE m IN $olds) "
        "RETURN elementId(i) AS i, i.members AS members, i.links AS links",
        olds=sorted(plan),
        database_=database,
    )
    for r in records:
        links = r["links"]
        for old, new in plan.items():
            if links:
                links = links.replace(
                    json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False)
                )
        driver.execute_query(
            "MATCH (i) WHERE elementId(i) = $i SET i.members = $members, i.links = $links",
            i=r["i"],
            members=sorted({plan.get(m, m) for m in r["members"]}),
            links=links,
            database_=database,
        )
    # An entry for the new id already there stands for both.
    driver.execute_query(
        "UNWIND $rows AS row MATCH (w:WatchEntry {label: $label, node_id: row.old}) "
        "OPTIONAL MATCH (d:WatchEntry {id: $label + ':' + row.new}) "
        "FOREACH (_ IN CASE WHEN d IS NULL THEN [1] ELSE [] END | "
        "SET w.node_id = row.new, w.id = $label + ':' + row.new) "
        "FOREACH (_ IN CASE WHEN d IS NULL THEN [] ELSE [1] END | DETACH DELETE w)",
        rows=[{"old": old, "new": new} for old, new in plan.items()],
        label=label,
        database_=database,
    )
