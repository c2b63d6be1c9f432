"""Analysis results and running an analysis: networks, rankings, `startAnalysis`.

A server runs one analysis at a time between its worker processes (`analysis_slot`).
"""

# No `from __future__ import annotations`, as in the other parts of the schema.

import enum
import fcntl
import pathlib
from collections.abc import Iterator
from contextlib import contextmanager

import strawberry
from strawberry.types import Info

from analytics.pipeline import run_analysis
from analytics.settings import AnalyticsSettings
from analytics.writeback import PersonResult
from api.context import Context, blocking
from api.entity import Entity
from api.errors import UserError
from api.networks import AnalysisRun, Network, analysis_run, network
from api.pagination import Connection, page_of
from api.roles import Action
from api.schema_caller import needs

CanRunAnalysis = needs(Action.RUN_ANALYSIS)

# Beside the server's other files: the lock its worker processes share (analysis_slot).
ANALYSIS_LOCK_FILE = "analysis.lock"


@strawberry.enum(description="How to order networks.")
class NetworkOrder(enum.Enum):
    RANK = "rank"
    SIZE = "size"


@strawberry.enum(description="Person measures of the latest analysis run.")
class RankingMetric(enum.Enum):
    # Each value is the person property the analysis writes the measure to.
    PAGERANK = PersonResult.PAGERANK.value
    BETWEENNESS = PersonResult.BETWEENNESS.value
    BROKER_SCORE = PersonResult.BROKER_SCORE.value
    CONNECTOR_SCORE = PersonResult.CONNECTOR_SCORE.value


@strawberry.type(description="A person's place in a ranking.")
class Ranked:
    rank: int
    value: float
    person: Entity


async def _latest_run(info: Info[Context, None]) -> str | None:
    rows = await blocking(info.context.reads.records, "AnalysisRun", 0, 1, "completed")
    return str(rows[0]["run_id"]) if rows else None


@strawberry.type
class AnalysisQuery:
    """The query fields reading analysis results."""

    @strawberry.field(
        description="Networks of an analysis run (default: the latest completed run)."
    )
    async def networks(
        self,
        info: Info[Context, None],
        run: str | None = None,
        min_size: int = 3,
        order_by: NetworkOrder = NetworkOrder.RANK,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Network]:
        start, size = page_of(first, after, info.context.api)
        run_id = run or await _latest_run(info)
        if run_id is None:
            return Connection.of([], 0, False, 0)
        rows = await blocking(
            info.context.reads.networks,
            info.context.network_label,
            run_id,
            min_size,
            order_by.value,
            start,
            size + 1,
        )
        return Connection.of([network(r) for r in rows[:size]], start, len(rows) > size)

    @strawberry.field(description="One network by id (`analysis run id:community`).")
    async def network(self, info: Info[Context, None], id: strawberry.ID) -> Network | None:
        return await info.context.loaders.networks.load(str(id))

    @strawberry.field(description="People ranked by a measure of the latest analysis run.")
    async def rankings(
        self, info: Info[Context, None], metric: RankingMetric, first: int = 20
    ) -> list[Ranked]:
        page_of(first, None, info.context.api)
        nodes = await blocking(info.context.reads.rankings, metric.value, first)
        out = []
        for number, node in enumerate(nodes, start=1):
            entity = info.context.entity(node)
            if entity is not None:
                out.append(Ranked(rank=number, value=float(node[metric.value]), person=entity))
        return out


@strawberry.type
class AnalysisMutation:
    """The mutation running an analysis."""

    @strawberry.mutation(
        description=(
            "Run an analysis (analyst role) and return its run record once it completes; "
            "the API keeps serving meanwhile. Parameters default to the server's settings."
        ),
        permission_classes=[CanRunAnalysis],
    )
    async def start_analysis(
        self,
        info: Info[Context, None],
        engine: str | None = None,
        algorithm: str | None = None,
        resolution: float | None = None,
        seed: int | None = None,
    ) -> AnalysisRun:
        given = {
            k: v
            for k, v in {
                "engine": engine,
                "algorithm": algorithm,
                "resolution": resolution,
                "seed": seed,
            }.items()
            if v is not None
        }
        try:
            analytics = AnalyticsSettings(**given)  # type: ignore[arg-type]
        except ValueError as error:
            raise UserError(f"invalid analysis parameters: {error}") from None
        services = info.context.services
        with analysis_slot(services.settings.data_dir):
            info.context.audit.trips.add()
            summary = await blocking(
                run_analysis,
                services.driver,
                services.model,
                services.settings.neo4j_database,
                analytics,
            )
        return analysis_run(summary.run.properties() | {"run_id": summary.run.run_id})


@contextmanager
def analysis_slot(data_dir: pathlib.Path) -> Iterator[None]:
    """Hold the server's one analysis slot while the block runs; UserError when taken.

    An exclusive `flock` on `<data_dir>/analysis.lock`, so that the worker processes
    of one server (`LINKGRAPH_API_WORKERS`) run one analysis at a time between them.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / ANALYSIS_LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(
                "an analysis is already running on this server; try again later"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
