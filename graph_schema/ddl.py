"""The Neo4j constraints and indexes a model asks for, as named, comparable items.

Every item is named `lg_...` so that `apply` can tell linkgraph's own schema from
anything else in the database, and recognise a model change by comparing each
item's signature with what `SHOW CONSTRAINTS` / `SHOW INDEXES` report.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph_schema.loader import GraphModel
from graph_schema.spec import ID_PROPERTY, IndexKind, snake_case

PREFIX = "lg_"
SEARCH_INDEX = f"{PREFIX}search"


@dataclass(frozen=True)
class Signature:
    """What identifies a constraint or index regardless of its name."""

    kind: str  # UNIQUENESS, RELATIONSHIP_UNIQUENESS, RANGE, TEXT, POINT, FULLTEXT
    entity: str  # NODE or RELATIONSHIP
    labels: tuple[str, ...]
    properties: tuple[str, ...]


@dataclass(frozen=True)
class SchemaItem:
    """One constraint or index: its name, signature and the Cypher that creates it."""

    name: str
    signature: Signature
    create: str


def drop_statement(name: str, signature: Signature) -> str:
    """The Cypher that removes the constraint or index `name`."""
    what = "CONSTRAINT" if signature.kind.endswith("UNIQUENESS") else "INDEX"
    return f"DROP {what} {name} IF EXISTS"


def _quote(name: str) -> str:
    # Names come from the validated model (identifier patterns), never from users;
    # backticks keep Cypher keywords usable as labels anyway.
    return f"`{name}`"


def schema_items(model: GraphModel) -> list[SchemaItem]:
    """Every constraint and index the model needs, in a stable order."""
    items: list[SchemaItem] = []
    fulltext_labels: list[str] = []
    fulltext_props: list[str] = []
    for label, node in sorted(model.nodes.items()):
        base = f"{PREFIX}{snake_case(label)}"
        items.append(
            SchemaItem(
                name=f"{base}_id",
                signature=Signature("UNIQUENESS", "NODE", (label,), (ID_PROPERTY,)),
                create=(
                    f"CREATE CONSTRAINT {base}_id IF NOT EXISTS "
                    f"FOR (n:{_quote(label)}) REQUIRE n.{ID_PROPERTY} IS UNIQUE"
                ),
            )
        )
        for prop, spec in sorted(node.properties.items()):
            if spec.indexed is IndexKind.FULLTEXT:
                if label not in fulltext_labels:
                    fulltext_labels.append(label)
                if prop not in fulltext_props:
                    fulltext_props.append(prop)
            elif spec.indexed is not IndexKind.NONE:
                items.append(_property_index(f"{base}_{prop}", "NODE", label, prop, spec.indexed))
    for rel_type, rel in sorted(model.relationships.items()):
        base = f"{PREFIX}{snake_case(rel_type)}"
        if rel.has_id:
            items.append(
                SchemaItem(
                    name=f"{base}_id",
                    signature=Signature(
                        "RELATIONSHIP_UNIQUENESS", "RELATIONSHIP", (rel_type,), (ID_PROPERTY,)
                    ),
                    create=(
                        f"CREATE CONSTRAINT {base}_id IF NOT EXISTS "
                        f"FOR ()-[r:{_quote(rel_type)}]-() REQUIRE r.{ID_PROPERTY} IS UNIQUE"
                    ),
                )
            )
        for prop, spec in sorted(rel.properties.items()):
            if spec.indexed not in (IndexKind.NONE, IndexKind.FULLTEXT):
                items.append(
                    _property_index(f"{base}_{prop}", "RELATIONSHIP", rel_type, prop, spec.indexed)
                )
    if fulltext_labels:
        labels = "|".join(_quote(label) for label in fulltext_labels)
        props = ", ".join(f"n.{prop}" for prop in fulltext_props)
        items.append(
            SchemaItem(
                name=SEARCH_INDEX,
                signature=Signature(
                    "FULLTEXT",
                    "NODE",
                    tuple(sorted(fulltext_labels)),
                    tuple(sorted(fulltext_props)),
                ),
                create=(
                    f"CREATE FULLTEXT INDEX {SEARCH_INDEX} IF NOT EXISTS "
                    f"FOR (n:{labels}) ON EACH [{props}]"
                ),
            )
        )
    return items


def _property_index(name: str, entity: str, target: str, prop: str, kind: IndexKind) -> SchemaItem:
    pattern = f"(n:{_quote(target)})" if entity == "NODE" else f"()-[n:{_quote(target)}]-()"
    keyword = kind.value.upper()
    return SchemaItem(
        name=name,
        signature=Signature(keyword, entity, (target,), (prop,)),
        create=f"CREATE {keyword} INDEX {name} IF NOT EXISTS FOR {pattern} ON (n.{prop})",
    )
