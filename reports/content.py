"""The content of one report, for machines: the documented, versioned shape of report.json.

`SCHEMA_VERSION` changes whenever a field is removed or changes meaning (adding
a field does not). docs/reports.md describes every field; `ReportData.model_json_schema()`
is the JSON Schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

SCHEMA_VERSION = 1


class Person(BaseModel):
    """A person named in the report."""

    id: str
    name: str | None = None
    # The other names the person's records give (entity resolution joins records).
    aliases: list[str] = Field(default_factory=list)
    # How many source records are this person (1 when none was joined to another).
    records: int = 1


class MaybeSame(BaseModel):
    """Two key people whom a pair in the review queue may join into one human."""

    a: str
    b: str
    probability: float


class RunInfo(BaseModel):
    """An analysis run: what was computed, how, and with which versions."""

    run_id: str
    started_at: datetime | None = None
    ended_at: datetime | None = None
    engine: str | None = None
    algorithm: str | None = None
    objective: str | None = None
    resolution: float | None = None
    seed: int | None = None
    modularity: float | None = None
    persons: int = 0
    edges: int = 0
    communities: int = 0
    networks: int = 0
    parameters: dict[str, Any] = Field(default_factory=dict)
    versions: dict[str, str] = Field(default_factory=dict)


class ScoreComponent(BaseModel):
    """One component of a network's score: the raw figure, its 0..1 value, its weight."""

    figure: float
    value: float
    weight: float


class NetworkInfo(BaseModel):
    """One network of the current run and what happened to it since the baseline run."""

    id: str
    community: int
    rank: int
    score: float
    size: int
    status: str  # new, grew, merged, split, shrank, changed, unchanged
    previous: list[str] = Field(default_factory=list)
    previous_size: int = 0
    overlap: float = 0.0
    joined: list[Person] = Field(default_factory=list)
    left: list[Person] = Field(default_factory=list)
    components: dict[str, ScoreComponent] = Field(default_factory=dict)
    key_people: list[Person] = Field(default_factory=list)
    # Key people who may be one human: their records wait in the review queue.
    maybe_same: list[MaybeSame] = Field(default_factory=list)
    members: list[str] = Field(default_factory=list)


class Broker(BaseModel):
    """A person who ties groups together that reach each other only through them."""

    person: Person
    broker_score: float
    betweenness: float | None = None
    pagerank: float | None = None
    network_id: str | None = None
    network_rank: int | None = None
    # Networks of the groups the person ties together (one twice: both groups in it).
    bridges: list[str] = Field(default_factory=list)


class Connector(BaseModel):
    """A number several networks contact as a service (a taxi, a shop): not a broker."""

    person: Person
    networks: list[str] = Field(default_factory=list)


class Hub(BaseModel):
    """An identifier flagged by the hub policy (kept out of network building)."""

    label: str
    id: str
    reason: str | None = None


class WatchHit(BaseModel):
    """A watched identifier or person in new records, or in a network it was not in before."""

    kind: Literal["record", "network"]
    entry: str  # `Label:id` of the watched node
    label: str
    node_id: str
    reason: str
    records: int = 0
    datasets: list[str] = Field(default_factory=list)
    ingest_runs: list[str] = Field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    network_id: str | None = None
    network_rank: int | None = None
    network_status: str | None = None
    people: list[Person] = Field(default_factory=list)


class Watchlist(BaseModel):
    """Watchlist entries checked and the hits found."""

    entries: int = 0
    hits: list[WatchHit] = Field(default_factory=list)


class IngestRunInfo(BaseModel):
    """One ingest run in the period."""

    run_id: str
    dataset: str
    file: str | None = None
    status: str | None = None
    started_at: datetime | None = None
    records_read: int = 0
    records_loaded: int = 0
    records_rejected: int = 0
    records_filtered: int = 0
    rejects_file: str | None = None
    # The commonest reasons in the rejects file (reason -> records), when it is readable.
    reject_reasons: dict[str, int] = Field(default_factory=dict)
    error: str | None = None


class DataQuality(BaseModel):
    """Ingest runs of the period and their totals."""

    ingest_runs: list[IngestRunInfo] = Field(default_factory=list)
    records_read: int = 0
    records_loaded: int = 0
    records_rejected: int = 0
    failed_runs: int = 0


class RunPoint(BaseModel):
    """One analysis run in the history chart."""

    run_id: str
    started_at: datetime | None = None
    networks: int = 0
    people_in_networks: int = 0
    largest: int = 0


class Changes(BaseModel):
    """Network ids by what happened to them since the baseline run."""

    new: list[str] = Field(default_factory=list)
    grew: list[str] = Field(default_factory=list)
    merged: list[str] = Field(default_factory=list)
    split: list[str] = Field(default_factory=list)
    shrank: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    dissolved: list[str] = Field(default_factory=list)


class Methods(BaseModel):
    """How the report was made, so that a reader can reproduce it."""

    matching: str
    match_threshold: float
    match_min_shared: int
    scores: str
    reproduce: list[str] = Field(default_factory=list)


class Summary(BaseModel):
    """The first thing a reader sees: plain sentences and the counts behind them."""

    sentences: list[str] = Field(default_factory=list)
    networks: int = 0
    new_networks: int = 0
    grown_networks: int = 0
    merged_networks: int = 0
    split_networks: int = 0
    dissolved_networks: int = 0
    watch_hits: int = 0
    brokers: int = 0
    hubs: int = 0
    ingest_runs: int = 0
    records_loaded: int = 0
    records_rejected: int = 0


class ReportData(BaseModel):
    """Everything in one report (report.json)."""

    schema_version: int = SCHEMA_VERSION
    report_id: str
    created_at: datetime
    since: datetime | None = None
    analysis_run: RunInfo
    baseline_run: RunInfo | None = None
    summary: Summary
    changes: Changes
    networks: list[NetworkInfo] = Field(default_factory=list)
    baseline_network_sizes: list[int] = Field(default_factory=list)
    top_networks: list[str] = Field(default_factory=list)
    brokers: list[Broker] = Field(default_factory=list)
    connectors: list[Connector] = Field(default_factory=list)
    hubs: list[Hub] = Field(default_factory=list)
    hub_total: int = 0
    watchlist: Watchlist = Field(default_factory=Watchlist)
    data_quality: DataQuality = Field(default_factory=DataQuality)
    history: list[RunPoint] = Field(default_factory=list)
    methods: Methods

    def network(self, network_id: str) -> NetworkInfo:
        """One network of the report by id (KeyError when absent)."""
        for net in self.networks:
            if net.id == network_id:
                return net
        raise KeyError(network_id)
