"""What a GraphQL request works with: the app's services, the caller, per-request loaders.

Every read goes through `GraphReads` (one counter of round trips per request) and
every entity handed to the client goes through `Context.entity`, which notes its
id for the audit record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from anyio import fail_after
from anyio.to_thread import run_sync
from neo4j import Driver
from neo4j.graph import Node
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from api.entity import Entity, EvidencePage
from api.entity import Evidence as EvidenceType
from api.graphtypes import GraphTypes
from api.keys import ApiKeyStore, Principal
from api.networks import Network, SharedIdentifier, network
from api.pagination import page_of
from api.prepared import Prepared, Preparer
from api.reads import GraphReads, RoundTrips
from api.sessions import SessionStore
from api.settings import ApiSettings
from core.settings import Settings
from core.values import native
from graph_schema.loader import GraphModel
from graph_schema.provenance import split_node_fact
from graph_schema.spec import KeyKind
from queries.library import Library

T = TypeVar("T")


@dataclass
class Services:
    """Process-wide parts, made once by the app's lifespan."""

    settings: Settings
    api: ApiSettings
    driver: Driver
    model: GraphModel
    types: GraphTypes
    library: Library
    keys: ApiKeyStore
    sessions: SessionStore
    person_label: str
    preparer: Preparer


@dataclass
class RequestAudit:
    """What the audit record of one request says beyond who and when."""

    operation: str | None = None
    query: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    entities: set[str] = field(default_factory=set)
    outcome: str = "ok"
    message: str | None = None
    trips: RoundTrips = field(default_factory=RoundTrips)


async def blocking(fn: Callable[..., T], *args: Any) -> T:
    """Run a blocking call (the sync driver) in a worker thread, off the event loop."""
    return await run_sync(partial(fn, *args))


async def within(seconds: float, fn: Callable[..., T], *args: Any) -> T:
    """`blocking`, given up after `seconds` (TimeoutError): a frozen Neo4j answers no
    transaction timeout, so the wait is bounded here; the thread is left to finish."""
    with fail_after(seconds):
        return await run_sync(partial(fn, *args), abandon_on_cancel=True)


class Loaders:
    """The request's DataLoaders: each batches what one level of a query asks for."""

    def __init__(self, context: Context) -> None:
        self._context = context
        self.nodes: DataLoader[str, Entity | None] = DataLoader(load_fn=self._nodes)
        self.networks: DataLoader[str, Network | None] = DataLoader(load_fn=self._networks)
        self.shared: DataLoader[str, list[SharedIdentifier]] = DataLoader(load_fn=self._shared)
        self._evidence: dict[int, DataLoader[str, EvidencePage]] = {}

    async def _nodes(self, ids: list[str]) -> list[Entity | None]:
        wanted = []
        for entity_id in ids:
            try:
                wanted.append(split_node_fact(entity_id))
            except ValueError:
                continue
        found = await blocking(self._context.reads.nodes, wanted) if wanted else {}
        out: list[Entity | None] = []
        for entity_id in ids:
            label, _, key = entity_id.partition(":")
            node = found.get((label, key))
            out.append(self._context.entity(node) if node is not None else None)
        return out

    async def _networks(self, ids: list[str]) -> list[Network | None]:
        rows = await blocking(self._context.reads.networks_by_id, self._context.network_label, ids)
        return [network(rows[i]) if i in rows else None for i in ids]

    async def _shared(self, ids: list[str]) -> list[list[SharedIdentifier]]:
        networks = await self.networks.load_many(ids)
        members = {str(n.id): n.member_ids for n in networks if n is not None}
        found = await blocking(self._context.reads.shared_identifiers, members)
        out = []
        for network_id in ids:
            shared = []
            for node, people in found.get(network_id, []):
                entity = self._context.entity(node)
                if entity is not None:
                    shared.append(SharedIdentifier(identifier=entity, people=people))
            out.append(shared)
        return out

    async def evidence(self, fact: str, first: int) -> EvidencePage:
        """The source records behind `fact` (batched per page size)."""
        page_of(first, None, self._context.api)
        if first not in self._evidence:

            async def load(facts: list[str]) -> list[EvidencePage]:
                found = await blocking(self._context.reads.evidence, facts, first)
                return [_page(*found.get(f, (0, []))) for f in facts]

            self._evidence[first] = DataLoader(load_fn=load)
        return await self._evidence[first].load(fact)


def _page(total: int, rows: list[dict[str, Any]]) -> EvidencePage:
    return EvidencePage(
        total_count=total,
        records=[
            EvidenceType(
                dataset=str(row.get("dataset")),
                file=row.get("file"),
                record_no=row.get("record_no"),
                record=str(row.get("record")),
                run=row.get("run"),
                seen=native(row.get("seen")),
            )
            for row in rows
        ],
    )


class Context(BaseContext):
    """One GraphQL request's context."""

    def __init__(
        self,
        services: Services,
        principal: Principal,
        audit: RequestAudit,
        prepared: Prepared | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.principal = principal
        self.audit = audit
        self.prepared = prepared  # parsed and validated off the event loop
        self.api = services.api
        self.types = services.types
        self.reads = GraphReads(
            services.driver,
            services.model,
            services.settings.neo4j_database,
            audit.trips,
            services.api.request_timeout_s,
        )
        self.network_label = services.model.node("Network").label
        self.loaders = Loaders(self)

    def entity(self, node: Node) -> Entity | None:
        """The GraphQL object of `node`, noted as returned to the caller."""
        built = self.types.entity(node)
        if built is not None:
            self.audit.entities.add(str(built.id))
        return built


def person_label(model: GraphModel) -> str:
    """The model's one label keyed as a person."""
    labels = [label for label, spec in model.entities.items() if spec.key.kind is KeyKind.PERSON]
    if len(labels) != 1:
        raise ValueError(f"the API needs exactly one person label in the model, found {labels}")
    return labels[0]
