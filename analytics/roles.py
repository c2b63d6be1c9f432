"""What each label and relationship type means to analytics, derived from the graph model.

Nothing here names a label or type: people are the labels keyed as persons,
identifiers the labels keyed as phones, accounts, wallets or places, and the
relationship types are classified by the labels at their ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph_schema.loader import GraphModel
from graph_schema.spec import IDENTIFIER_KINDS, KeyKind, PropertyType

# Places link people only when they are there at about the same time.
PLACE_KINDS = frozenset({KeyKind.LOCATION})
# Relationship property holding a value in dollars (money flows for the scores).
MONEY_PROPERTY = "amount_usd"
# Node property holding an ISO country (phones' regions, places).
COUNTRY_PROPERTY = "country"
# The strength a source states for a tie between two people (0..1; none given is 1).
WEIGHT_PROPERTY = "weight"


@dataclass(frozen=True)
class Roles:
    """The model seen by analytics."""

    persons: tuple[str, ...]
    identifiers: tuple[str, ...]
    places: tuple[str, ...]
    # (type, identifier label) a person is attached by: USES Phone, OWNS Wallet...
    attachments: tuple[tuple[str, str], ...]
    # Types between two people (ASSOCIATED_WITH).
    associations: tuple[str, ...]
    # Those of them with a stated tie strength (a float `weight`, 0..1).
    weighted_associations: tuple[str, ...]
    # Types between two identifiers (CALLED, MESSAGED, TRANSFERRED, REGISTERED_TO).
    links: tuple[str, ...]
    # The same, with the identifier labels at each end: (type, sources, targets).
    link_ends: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]
    # Types into a place carrying a time (SEEN_AT): (type, time property).
    sightings: tuple[tuple[str, str], ...]
    # Link types carrying a dollar value.
    money_links: tuple[str, ...]
    # Identifier labels that carry a country.
    with_country: tuple[str, ...]

    def label_union(self, labels: tuple[str, ...]) -> str:
        """`A|B` for a Cypher pattern; labels come from the model only."""
        return "|".join(f"`{label}`" for label in labels)


def roles_of(model: GraphModel) -> Roles:
    """Classify the model's entity labels and relationship types for analytics."""
    entities = model.entities
    persons = tuple(sorted(lb for lb, n in entities.items() if n.key.kind is KeyKind.PERSON))
    identifiers = tuple(sorted(lb for lb, n in entities.items() if n.key.kind in IDENTIFIER_KINDS))
    places = tuple(lb for lb in identifiers if entities[lb].key.kind in PLACE_KINDS)
    attachments: list[tuple[str, str]] = []
    associations, weighted, links, money = [], [], [], []
    link_ends: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    sightings: list[tuple[str, str]] = []
    for rel_type, rel in sorted(model.relationships.items()):
        ends_p = set(rel.source) <= set(persons), set(rel.target) <= set(persons)
        if all(ends_p):
            associations.append(rel_type)
            weight = rel.properties.get(WEIGHT_PROPERTY)
            if weight is not None and weight.type is PropertyType.FLOAT:
                weighted.append(rel_type)
            continue
        if any(t in places for t in rel.target):
            times = [
                name for name in rel.identity if rel.properties[name].type is PropertyType.DATETIME
            ]
            if times:
                sightings.append((rel_type, times[0]))
            continue
        if ends_p[0]:
            attachments.extend((rel_type, t) for t in rel.target if t in identifiers)
        elif set(rel.source) <= set(identifiers) and set(rel.target) <= set(identifiers):
            links.append(rel_type)
            link_ends.append((rel_type, tuple(rel.source), tuple(rel.target)))
            if MONEY_PROPERTY in rel.properties:
                money.append(rel_type)
    with_country = tuple(lb for lb in identifiers if COUNTRY_PROPERTY in entities[lb].properties)
    return Roles(
        persons=persons,
        identifiers=identifiers,
        places=places,
        attachments=tuple(attachments),
        associations=tuple(associations),
        weighted_associations=tuple(weighted),
        links=tuple(links),
        link_ends=tuple(link_ends),
        sightings=tuple(sightings),
        money_links=tuple(money),
        with_country=with_country,
    )
