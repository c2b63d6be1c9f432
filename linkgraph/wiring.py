"""The composition root's wiring: what every command and the API's processes are built from.

`Wiring` is made once per process (per command line run, per uvicorn worker) from
the environment's settings; the driver, the model and each area's settings are
made on first use and shared from then on. Code below `linkgraph/` never reads
the environment: it is handed what it needs from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import click
from fastapi import FastAPI
from neo4j import Driver

from analytics.settings import AnalyticsSettings
from api.app import create_app
from api.settings import ApiSettings
from core.db import get_driver
from core.settings import Settings, get_settings
from graph_schema.loader import GraphModel, load_model
from scheduler.settings import SchedulerSettings


@dataclass
class Wiring:
    """Settings, the driver, the model and each area's settings, each made once."""

    settings: Settings = field(default_factory=get_settings)

    @property
    def database(self) -> str:
        """The Neo4j database every part works in."""
        return self.settings.neo4j_database

    @cached_property
    def driver(self) -> Driver:
        """The process's one driver (opened on first use, closed at exit)."""
        return get_driver()

    @cached_property
    def model(self) -> GraphModel:
        """The graph model the settings name."""
        return load_model(self.settings.model_dir)

    @cached_property
    def api(self) -> ApiSettings:
        """The API's settings (`LINKGRAPH_API_*`)."""
        return ApiSettings()

    @cached_property
    def analytics(self) -> AnalyticsSettings:
        """The analytics' settings (`LINKGRAPH_ANALYTICS_*`)."""
        return AnalyticsSettings()

    @cached_property
    def scheduler(self) -> SchedulerSettings:
        """The scheduler's settings (`LINKGRAPH_SCHEDULER_*`)."""
        return SchedulerSettings()


# Click commands take the run's Wiring with `@pass_wiring`; the root group makes it.
pass_wiring = click.make_pass_decorator(Wiring, ensure=True)


def app_factory() -> FastAPI:
    """`uvicorn --factory linkgraph.wiring:app_factory`: the API of each worker process."""
    wiring = Wiring()
    return create_app(wiring.settings, wiring.api)
