"""The hub policy: identifiers shared by unusually many people are flagged, not deleted.

A phone, account, wallet or place that very many people touch (a shelter's phone,
an agency's address, a hotel, an exchange's wallet) would glue unrelated networks
into one. An identifier's number of distinct people (people linked to it directly:
USES, HOLDS, OWNS, SEEN_AT...) decides it: at or above the threshold it gets
`hub = true` with the reason, below it `hub = false`. Expansion, paths and
analytics leave flagged hubs out (or collapse them) by reading the flag.

Only a new link from a person changes an identifier's count, so a load checks the
identifiers its own batches link people to, in each batch's transaction: the cost
follows the file, not the graph, and a batch's flags are committed with its links.
The graph remembers the policy its flags follow (a HubPolicy node); a load under a
different policy, or `linkgraph hubs`, checks every identifier once more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, ManagedTransaction, RoutingControl

from graph_schema.bookkeeping import save_record
from graph_schema.loader import GraphModel
from graph_schema.provenance import HUB_PROPERTY
from graph_schema.spec import IDENTIFIER_KINDS, KeyKind
from ingest.collector import released

# The node that records the policy the graph's flags follow.
POLICY_LABEL = "HubPolicy"
POLICY_ID = "hub-policy"


@dataclass(frozen=True)
class HubPolicy:
    """When an identifier counts as a hub."""

    # Distinct people linked to one identifier at which it is flagged. Smuggling
    # cells are 5-30 people; a number shared by more than a dozen is rarely one
    # person's phone, and far more often a shelter, an agency or a call centre.
    min_people: int = 12


@dataclass(frozen=True)
class HubChanges:
    """Identifiers that became hubs, and hubs that no longer are."""

    flagged: int = 0
    cleared: int = 0

    def __add__(self, other: HubChanges) -> HubChanges:
        return HubChanges(self.flagged + other.flagged, self.cleared + other.cleared)


@dataclass(frozen=True)
class HubRule:
    """One identifier label, and the relationship types that link people to it."""

    label: str
    types: tuple[str, ...]
    people: tuple[str, ...]

    def links(self, rel_type: str, source: str, target: str) -> bool:
        """Whether a `rel_type` link from `source` to `target` counts for this rule."""
        return target == self.label and rel_type in self.types and source in self.people

    def statement(self, *, whole_graph: bool) -> str:
        """Cypher applying `$min` to every identifier of the label, or to those in `$ids`."""
        scope = (
            f"MATCH (x:`{self.label}`)"
            if whole_graph
            else f"UNWIND $ids AS id MATCH (x:`{self.label}` {{id: id}})"
        )
        pattern = "|".join(f"`{t}`" for t in self.types)
        person = "|".join(f"`{p}`" for p in self.people)
        return (
            f"{scope} "
            # The node's degree (read from its own record) caps its people: below the
            # threshold it settles the flag without visiting a single relationship.
            f"WITH x, COUNT {{ (x)<-[:{pattern}]-() }} AS links "
            "WITH x, CASE WHEN links < $min THEN links ELSE "
            f"COUNT {{ MATCH (x)<-[:{pattern}]-(p:{person}) RETURN DISTINCT p }} END AS n "
            "WITH x, n >= $min AS hub, "
            "     'linked to ' + n + ' people (hub policy: >= ' + $min + ')' AS why "
            "WITH x, hub, CASE WHEN hub THEN why END AS reason, coalesce(x.hub, false) AS was "
            # Write only what changes: re-applying the policy to a stable graph is free.
            "WHERE x.hub IS NULL OR x.hub <> hub "
            "   OR coalesce(x.hub_reason, '') <> coalesce(reason, '') "
            "SET x.hub = hub, x.hub_reason = reason "
            "RETURN count(CASE WHEN hub AND NOT was THEN 1 END) AS flagged, "
            "       count(CASE WHEN was AND NOT hub THEN 1 END) AS cleared"
        )


def hub_rules(model: GraphModel) -> list[HubRule]:
    """One rule per identifier label that has a hub flag and links from people."""
    people = tuple(
        label for label, node in model.entities.items() if node.key.kind is KeyKind.PERSON
    )
    rules = []
    for label, node in model.entities.items():
        if node.key.kind not in IDENTIFIER_KINDS or HUB_PROPERTY not in node.properties:
            continue
        types = tuple(
            sorted(
                rel_type
                for rel_type, rel in model.relationships.items()
                if label in rel.target and any(p in rel.source for p in people)
            )
        )
        if types and people:
            rules.append(HubRule(label, types, people))
    return rules


def flag_hubs(driver: Driver, model: GraphModel, policy: HubPolicy, database: str) -> HubChanges:
    """Apply the policy to every identifier in the graph, and record it as the graph's."""
    changes = HubChanges()
    for rule in hub_rules(model):
        records, _, _ = driver.execute_query(
            rule.statement(whole_graph=True), min=policy.min_people, database_=database
        )
        changes += HubChanges(records[0]["flagged"], records[0]["cleared"])
    record_policy(driver, model, policy, database)
    return changes


def flag_linked(
    tx: ManagedTransaction,
    rules: Sequence[HubRule],
    policy: HubPolicy,
    rels: Mapping[tuple[str, str, str], Sequence[Mapping[str, Any]]],
) -> HubChanges:
    """Apply the policy, in `tx`, to the identifiers that `rels` link people to.

    `rels` are one batch's relationship rows by (type, source label, target label),
    each with the `target` id.
    """
    changes = HubChanges()
    for rule in rules:
        ids = sorted(
            {
                row["target"]
                for (rel_type, source, target), rows in rels.items()
                if rule.links(rel_type, source, target)
                for row in rows
            }
        )
        if ids:
            with released(ids) as sent:
                result = tx.run(rule.statement(whole_graph=False), ids=sent, min=policy.min_people)
                counts = result.single(strict=True)
            changes += HubChanges(counts["flagged"], counts["cleared"])
    return changes


def graph_policy(driver: Driver, model: GraphModel, database: str) -> HubPolicy | None:
    """The policy the graph's flags follow; None when it has none yet.

    A graph with no identifier at all follows any policy: nothing in it is flagged.
    """
    label = model.node(POLICY_LABEL).label
    records, _, _ = driver.execute_query(
        f"OPTIONAL MATCH (h:`{label}` {{id: $id}}) RETURN h.min_people AS min_people",
        id=POLICY_ID,
        database_=database,
        routing_=RoutingControl.READ,
    )
    if records[0]["min_people"] is not None:
        return HubPolicy(records[0]["min_people"])
    return None


def has_identifiers(driver: Driver, model: GraphModel, database: str) -> bool:
    """Whether the graph holds any identifier a hub rule applies to."""
    for rule in hub_rules(model):
        records, _, _ = driver.execute_query(
            f"MATCH (x:`{rule.label}`) RETURN count(x) > 0 AS any",
            database_=database,
            routing_=RoutingControl.READ,
        )
        if records[0]["any"]:
            return True
    return False


def record_policy(driver: Driver, model: GraphModel, policy: HubPolicy, database: str) -> None:
    """Record `policy` as the one the graph's flags follow (a graph checked under it)."""
    props = {"name": POLICY_ID, "min_people": policy.min_people, "applied_at": datetime.now(UTC)}
    save_record(driver, model, POLICY_LABEL, POLICY_ID, props, database)
