"""The hub policy: identifiers shared by unusually many people are flagged, not deleted.

A phone, account, wallet or place that very many people touch (a shelter's phone,
an agency's address, a hotel, an exchange's wallet) would glue unrelated networks
into one. After every load, each identifier's number of distinct people is counted
(people linked to it directly: USES, HOLDS, OWNS, SEEN_AT...); at or above the
threshold it gets `hub = true` with the reason, below it `hub = false`. Expansion,
paths and analytics leave flagged hubs out (or collapse them) by reading the flag.
"""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import Driver

from graph_schema.loader import GraphModel
from graph_schema.spec import IDENTIFIER_KINDS, KeyKind

# The flag every layer reads: expansion, paths and analytics leave flagged hubs out.
HUB_PROPERTY = "hub"


@dataclass(frozen=True)
class HubPolicy:
    """When an identifier counts as a hub."""

    # Distinct people linked to one identifier at which it is flagged. Smuggling
    # cells are 5-30 people; a number shared by more than a dozen is rarely one
    # person's phone, and far more often a shelter, an agency or a call centre.
    min_people: int = 12


def flag_hubs(driver: Driver, model: GraphModel, policy: HubPolicy, database: str) -> int:
    """Apply the policy to every identifier label; returns how many are hubs now."""
    people = [label for label, node in model.entities.items() if node.key.kind is KeyKind.PERSON]
    total = 0
    for label, node in model.entities.items():
        if node.key.kind not in IDENTIFIER_KINDS or HUB_PROPERTY not in node.properties:
            continue
        types = sorted(
            rel_type
            for rel_type, rel in model.relationships.items()
            if label in rel.target and any(p in rel.source for p in people)
        )
        if not types or not people:
            continue
        pattern = "|".join(f"`{t}`" for t in types)
        person = "|".join(f"`{p}`" for p in people)
        driver.execute_query(
            f"MATCH (x:`{label}`) "
            f"WITH x, COUNT {{ MATCH (x)<-[:{pattern}]-(p:{person}) RETURN DISTINCT p }} AS n "
            "WITH x, n >= $min AS hub, "
            "     'linked to ' + n + ' people (hub policy: >= ' + $min + ')' AS why "
            "WITH x, hub, CASE WHEN hub THEN why END AS reason "
            # Write only what changes: re-applying the policy to a stable graph is free.
            "WHERE x.hub IS NULL OR x.hub <> hub "
            "   OR coalesce(x.hub_reason, '') <> coalesce(reason, '') "
            "SET x.hub = hub, x.hub_reason = reason",
            min=policy.min_people,
            database_=database,
        )
        counted, _, _ = driver.execute_query(
            f"MATCH (x:`{label}` {{hub: true}}) RETURN count(x) AS n", database_=database
        )
        total += counted[0]["n"]
    return total
