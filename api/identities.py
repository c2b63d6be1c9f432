"""GraphQL types of entity resolution: identities, the links that join them, judgements.

An identity is the layer resolution puts over Person records that are one human
(resolution/show.py reads it); these types show it. They build on api/entity.py only,
so that the per-label person types (api/graphtypes.py) can answer a person's
`identity` without importing the schema's parts, which import them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from functools import partial
from typing import Any
from weakref import WeakKeyDictionary

import strawberry
from anyio.to_thread import run_sync
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from api.entity import Entity
from graph_schema.provenance import IDENTITY_PROPERTY
from resolution.clusters import Verdict
from resolution.judgements import Judgement, JudgementError
from resolution.show import IdentityView, identity_view


@strawberry.enum(name="Verdict", description="What an analyst says of a pair of person records.")
class VerdictValue(enum.Enum):
    # The values are resolution's own, so a verdict converts by value both ways.
    SAME = Verdict.SAME.value
    DIFFERENT = Verdict.DIFFERENT.value
    UNSURE = Verdict.UNSURE.value

    def verdict(self) -> Verdict:
        """Resolution's verdict of the same value."""
        return Verdict(self.value)


@strawberry.type(
    name="Judgement",
    description=(
        "An analyst's judgement on a pair of person records. It is never deleted: "
        "undoing it marks it undone, with who undid it and when."
    ),
)
class JudgementInfo:
    id: strawberry.ID
    a: strawberry.ID = strawberry.field(description="One record (`Person:key`).")
    b: strawberry.ID = strawberry.field(description="The other record (`Person:key`).")
    verdict: VerdictValue
    reason: str
    by: str = strawberry.field(description="Who judged: the name of the API key or user.")
    at: dt.datetime
    origin: str = strawberry.field(
        description="How it was made: `judge`, `split` (one of a split's) or `undo-merge`."
    )
    batch: strawberry.ID | None = strawberry.field(
        description="The batch of a split's judgements; `undoJudgement` takes it whole."
    )
    undone_at: dt.datetime | None
    undone_by: str | None


@strawberry.type(description="What joins two records of an identity.")
class IdentityLink:
    a: strawberry.ID = strawberry.field(description="One record (`Person:key`).")
    b: strawberry.ID = strawberry.field(description="The other record (`Person:key`).")
    how: str = strawberry.field(
        description="`score` (an automatic merge) or `judgement` (an analyst said same)."
    )
    probability: float | None = strawberry.field(description="The match probability of a score.")
    judgement: strawberry.ID | None = strawberry.field(description="The judgement's id.")


async def _records(root: IdentityInfo, info: Info[Any, None]) -> list[Entity]:
    found = await info.context.loaders.nodes.load_many(root.record_ids)
    return [entity for entity in found if entity is not None]


@strawberry.type(
    name="Identity",
    description=(
        "One human as entity resolution sees them: the Person records that are the same "
        "person, never merged (each record stays as its source gave it)."
    ),
)
class IdentityInfo:
    id: strawberry.ID | None = strawberry.field(
        description="`identity:…`; null when the record stands alone."
    )
    name: str | None = strawberry.field(description="The name most records give.")
    names: list[str] = strawberry.field(description="Every name and alias the records give.")
    automatic: bool = strawberry.field(
        description="True when an automatic merge (no analyst's judgement) joins records."
    )
    identifiers: list[str] = strawberry.field(
        description="Phones, accounts and wallets the records hold (`Label:key`)."
    )
    documents: list[str] = strawberry.field(
        description="The records keyed by an identity document (`passport:PH:…`, `nid:…`)."
    )
    sources: list[str] = strawberry.field(description="The datasets the records come from.")
    links: list[IdentityLink] = strawberry.field(description="What joins the records.")
    judgements: list[JudgementInfo] = strawberry.field(
        description="Every judgement on the records, undone ones too, newest first."
    )
    record_ids: strawberry.Private[list[str]]
    records: list[Entity] = strawberry.field(
        resolver=_records, description="The person records, by key."
    )


def entity_id(person_label: str, key: str) -> strawberry.ID:
    """The API's id of a Person record (`Person:key`)."""
    return strawberry.ID(f"{person_label}:{key}")


def judgement_info(judgement: Judgement, person_label: str) -> JudgementInfo:
    """The GraphQL object of a stored judgement."""
    return JudgementInfo(
        id=strawberry.ID(judgement.id),
        a=entity_id(person_label, judgement.a),
        b=entity_id(person_label, judgement.b),
        verdict=VerdictValue(judgement.verdict.value),
        reason=judgement.reason,
        by=judgement.by,
        at=judgement.at,
        origin=judgement.origin,
        batch=strawberry.ID(judgement.batch) if judgement.batch else None,
        undone_at=judgement.undone_at,
        undone_by=judgement.undone_by,
    )


def is_document_key(record: dict[str, Any]) -> bool:
    """True when a record's key is an identity document (`passport:PH:P1066580H`).

    As resolution reads it: a key whose scheme is none of the record's datasets and
    that has a country and a number is a document, not a `dataset:ref`.
    """
    key = str(record["id"])
    return key.count(":") >= 2 and key.split(":", 1)[0] not in (record.get("datasets") or [])


def identity_info(view: IdentityView, person_label: str) -> IdentityInfo:
    """The GraphQL object of an identity as resolution shows it."""
    records = view.records
    return IdentityInfo(
        id=strawberry.ID(view.identity) if view.identity else None,
        name=view.name,
        names=view.names,
        automatic=view.automatic,
        identifiers=sorted({x for r in records for x in r.get("identifiers") or []}),
        documents=[str(r["id"]) for r in records if is_document_key(r)],
        sources=sorted({d for r in records for d in r.get("datasets") or []}),
        links=[
            IdentityLink(
                a=entity_id(person_label, link["a"]),
                b=entity_id(person_label, link["b"]),
                how=link["how"],
                probability=link.get("probability"),
                judgement=strawberry.ID(link["judgement"]) if link.get("judgement") else None,
            )
            for link in view.links
        ],
        judgements=[judgement_info(j, person_label) for j in view.judgements],
        record_ids=[entity_id(person_label, r["id"]) for r in records],
    )


def _views(context: Any, identities: Sequence[str]) -> list[IdentityInfo | None]:
    services = context.services
    out: list[IdentityInfo | None] = []
    for identity in identities:
        # Two round trips each (the records, their judgements).
        context.audit.trips.add()
        context.audit.trips.add()
        try:
            view = identity_view(
                services.driver, services.model, services.settings.neo4j_database, identity
            )
        except JudgementError:
            out.append(None)  # rebuilt away since the person was read
            continue
        out.append(identity_info(view, services.person_label))
    return out


# One loader per request (the context), so that the people of one page who are one
# identity read it once; it goes with the request.
_LOADERS: WeakKeyDictionary[Any, DataLoader[str, IdentityInfo | None]] = WeakKeyDictionary()


def identities(context: Any) -> DataLoader[str, IdentityInfo | None]:
    """The request's loader of identities by identity id."""
    loader = _LOADERS.get(context)
    if loader is None:

        async def load(ids: list[str]) -> list[IdentityInfo | None]:
            return await run_sync(partial(_views, context, ids))

        loader = DataLoader(load_fn=load)
        _LOADERS[context] = loader
    return loader


async def person_identity(root: Entity, info: Info[Any, None]) -> IdentityInfo | None:
    """A person record's identity; None when the record stands alone."""
    identity = getattr(root, IDENTITY_PROPERTY, None)
    if not identity:
        return None
    found: IdentityInfo | None = await identities(info.context).load(str(identity))
    return found
