"""Analytics settings, read from the environment (``LINKGRAPH_ANALYTICS_*``) like the rest."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

Engine = Literal["python", "gds"]
Algorithm = Literal["leiden", "louvain", "python-louvain", "networkx-louvain", "wcc"]
Objective = Literal["modularity", "cpm"]


class AnalyticsSettings(BaseSettings):
    """Every knob of `linkgraph analyze`, one comment each (see docs/analytics.md)."""

    model_config = SettingsConfigDict(
        env_prefix="LINKGRAPH_ANALYTICS_", env_file=".env", extra="ignore", frozen=True
    )

    # Where the algorithms run: in this process (igraph/networkx) or inside Neo4j (GDS).
    engine: Engine = "python"
    # Community detection. Leiden (igraph) is the default: fastest at equal modularity.
    algorithm: Algorithm = "leiden"
    # Objective of Leiden: modularity (scale-free in the weights) or CPM.
    objective: Objective = "modularity"
    # Resolution (gamma). 1 is classic modularity; small cells are recovered by the
    # split below rather than by a higher gamma (see bench/analytics.py).
    resolution: float = Field(default=1.0, gt=0)
    # Communities larger than this are detected again on their own subgraph, which
    # lifts the resolution limit that merges small cells in large populations.
    # Cells are 5-30 people, one person often 2-3 Person nodes (one per source that
    # holds no shared document): 80 keeps a whole cell together. 0: never split.
    max_community_size: int = Field(default=80, ge=0)
    # Random seed: the same graph and seed give the same partition.
    seed: int = 42
    # Seconds any one algorithm may take before the run fails (rather than hangs).
    time_budget_s: float = Field(default=300.0, gt=0)

    # Person-graph weights (see analytics/projection.py): per shared identifier kind...
    weight_shared: float = Field(default=1.0, ge=0)
    # ...per link between two people's identifiers (calls, messages, transfers)...
    weight_link: float = Field(default=1.0, ge=0)
    # ...per co-sighting at one place within the window...
    weight_colocation: float = Field(default=0.5, ge=0)
    # ...and per association a source states directly.
    weight_association: float = Field(default=1.0, ge=0)
    # Two sightings at one place are a co-sighting when this close in time.
    colocation_window_h: float = Field(default=24.0, gt=0)

    # Smallest community reported (and scored) as a network.
    min_network_size: int = Field(default=3, ge=2)
    # Exact betweenness up to this many people; above, sampled from this many sources.
    # 32 sources rank people nearly as 128 do (Spearman 0.80 against 0.84, both against
    # 1024 sources; `bench.analytics --sampling`, docs/analytics.md) at a quarter of the time.
    betweenness_exact_max: int = Field(default=5000, ge=0)
    betweenness_samples: int = Field(default=32, ge=1)
    # Rows per write-back transaction (bench/analytics.py compares it with 5000).
    write_batch_size: int = Field(default=20000, ge=1)

    # Network score weights: how much each component counts (normalised to sum 1).
    score_size: float = Field(default=0.5, ge=0)
    score_density: float = Field(default=1.0, ge=0)
    score_cohesion: float = Field(default=2.0, ge=0)
    score_sharing: float = Field(default=1.5, ge=0)
    score_countries: float = Field(default=1.5, ge=0)
    score_money: float = Field(default=1.5, ge=0)
    score_brokers: float = Field(default=1.0, ge=0)
    score_growth: float = Field(default=0.5, ge=0)
