"""GraphQL types of analysis results and runs: networks, their scores, brokers, runs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any, TypeVar

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from analytics.writeback import PersonResult
from api.entity import Entity
from api.pagination import Connection, page_of
from core.values import plain

T = TypeVar("T")


@strawberry.type(description="One component of a network's score: the figure, 0..1, its weight.")
class ScoreComponent:
    name: str
    figure: float = strawberry.field(description="The raw figure (members, dollars, countries...).")
    value: float = strawberry.field(description="The figure mapped to 0..1.")
    weight: float = strawberry.field(description="Its weight in the score (configurable).")
    contribution: float = strawberry.field(description="weight × value / sum of weights.")


@strawberry.type(description="An identifier two or more members of a network link to.")
class SharedIdentifier:
    identifier: Entity
    people: int = strawberry.field(description="Members linked to it.")


@strawberry.type(
    description="A person who ties groups together that reach each other only through them."
)
class Broker:
    person: Entity
    score: float = strawberry.field(description="Broker score of the latest analysis run.")
    networks: list[str] = strawberry.field(
        description=(
            "Networks of the groups the person ties together (one network twice when two "
            "of the groups are in it)."
        )
    )


def components(raw: str | None) -> list[ScoreComponent]:
    """The stored score components (JSON), largest contribution first."""
    parsed: dict[str, dict[str, float]] = json.loads(raw) if raw else {}
    total_weight = sum(float(c.get("weight", 0)) for c in parsed.values()) or 1.0
    out = [
        ScoreComponent(
            name=name,
            figure=float(c.get("figure", 0)),
            value=float(c.get("value", 0)),
            weight=float(c.get("weight", 0)),
            contribution=round(
                float(c.get("weight", 0)) * float(c.get("value", 0)) / total_weight, 4
            ),
        )
        for name, c in parsed.items()
    ]
    return sorted(out, key=lambda c: (-c.contribution, c.name))


@strawberry.type(
    description=(
        "A network found by one analysis run: a community of people, its score with the "
        "score's components, its rank, key people and brokers."
    )
)
class Network:
    id: strawberry.ID = strawberry.field(description="`analysis run id:community`.")
    run_id: str
    community: int
    rank: int | None
    score: float | None
    size: int
    member_ids: strawberry.Private[list[str]]
    key_people_ids: strawberry.Private[list[str]]
    connector_ids: strawberry.Private[list[str]]

    @strawberry.field(description="Why it scores as it does, largest contribution first.")
    def score_breakdown(self) -> list[ScoreComponent]:
        return self.breakdown

    breakdown: strawberry.Private[list[ScoreComponent]]

    @strawberry.field(description="Members (people), in the order the run stored them.")
    async def members(
        self, info: Info[Any, None], first: int = 50, after: str | None = None
    ) -> Connection[Entity]:
        start, size = page_of(first, after, info.context.api)
        ids = [f"{info.context.services.person_label}:{pid}" for pid in self.member_ids]
        chosen = ids[start : start + size]
        nodes = [n for n in await info.context.loaders.nodes.load_many(chosen) if n is not None]
        return Connection.of(nodes, start, start + size < len(ids), len(ids))

    @strawberry.field(description="The people who hold it together (highest PageRank, brokers).")
    async def key_people(self, info: Info[Any, None]) -> list[Entity]:
        ids = [f"{info.context.services.person_label}:{pid}" for pid in self.key_people_ids]
        return [n for n in await info.context.loaders.nodes.load_many(ids) if n is not None]

    @strawberry.field(
        description=(
            "Members with a broker score, highest first. People carry the scores of the "
            "latest analysis run only: for an earlier run's network this is empty."
        )
    )
    async def brokers(self, info: Info[Any, None], first: int = 10) -> list[Broker]:
        page_of(first, None, info.context.api)
        ids = [f"{info.context.services.person_label}:{pid}" for pid in self.member_ids]
        people = [n for n in await info.context.loaders.nodes.load_many(ids) if n is not None]
        scored = [
            Broker(
                person=p,
                score=float(getattr(p, PersonResult.BROKER_SCORE, 0) or 0),
                networks=list(getattr(p, PersonResult.BROKER_NETWORKS, None) or []),
            )
            for p in people
            if getattr(p, PersonResult.ANALYSIS_RUN, None) == self.run_id
            and (getattr(p, PersonResult.BROKER_SCORE, 0) or 0) > 0
        ]
        scored.sort(key=lambda b: (-b.score, b.person.id))
        return scored[:first]

    @strawberry.field(
        description=(
            "Connectors its members contact (a taxi, a landlord, a money-transfer shop: "
            "contacted one way and for nothing else, from several networks). Not members, "
            "not brokers."
        )
    )
    async def connectors(self, info: Info[Any, None]) -> list[Entity]:
        ids = [f"{info.context.services.person_label}:{pid}" for pid in self.connector_ids]
        return [n for n in await info.context.loaders.nodes.load_many(ids) if n is not None]

    @strawberry.field(description="Identifiers shared by two or more members, most shared first.")
    async def shared_identifiers(self, info: Info[Any, None]) -> list[SharedIdentifier]:
        shared: list[SharedIdentifier] = await info.context.loaders.shared.load(str(self.id))
        return shared


def network(row: dict[str, Any]) -> Network:
    """The GraphQL object of a stored Network node."""
    return Network(
        id=strawberry.ID(str(row["id"])),
        run_id=str(row["run_id"]),
        community=int(row["community"]),
        rank=row.get("rank"),
        score=row.get("score"),
        size=int(row.get("size") or len(row.get("members") or [])),
        member_ids=list(row.get("members") or []),
        key_people_ids=list(row.get("key_people") or []),
        connector_ids=list(row.get("connectors") or []),
        breakdown=components(row.get("components")),
    )


def _json(raw: Any) -> Any:
    return json.loads(raw) if isinstance(raw, str) and raw else None


@strawberry.type(description="One run of `linkgraph analyze`, with its parameters and results.")
class AnalysisRun:
    id: strawberry.ID
    status: str | None
    error: str | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    engine: str | None
    algorithm: str | None
    objective: str | None
    resolution: float | None
    seed: int | None
    modularity: float | None
    persons: int | None
    edges: int | None
    communities: int | None
    networks: int | None
    parameters: JSON | None
    versions: JSON | None
    timings: JSON | None


def _from_record(cls: type[T], row: dict[str, Any], json_fields: tuple[str, ...] = ()) -> T:
    # Run types mirror their stored nodes: each field is the property of its name.
    values: dict[str, Any] = {
        field.name: _json(row.get(field.name))
        if field.name in json_fields
        else plain(row.get(field.name))
        for field in dataclasses.fields(cls)  # type: ignore[arg-type]
    }
    values["id"] = strawberry.ID(str(row.get("run_id") or row["id"]))
    return cls(**values)


def analysis_run(row: dict[str, Any]) -> AnalysisRun:
    """The GraphQL object of a stored AnalysisRun node."""
    return _from_record(AnalysisRun, row, ("parameters", "versions", "timings"))


@strawberry.type(description="One load of one source file through one mapping.")
class IngestRun:
    id: strawberry.ID
    dataset: str
    mapping: str | None
    file: str | None
    checksum: str | None
    status: str | None
    error: str | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    records_read: int | None
    records_loaded: int | None
    records_rejected: int | None
    records_filtered: int | None
    rejects_file: str | None


def ingest_run(row: dict[str, Any]) -> IngestRun:
    """The GraphQL object of a stored IngestRun node."""
    return _from_record(IngestRun, row)
