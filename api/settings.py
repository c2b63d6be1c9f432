"""API settings, read from the environment (``LINKGRAPH_API_*``) like the rest."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    """Every knob of `linkgraph serve`, one comment each (see docs/api.md)."""

    model_config = SettingsConfigDict(
        env_prefix="LINKGRAPH_API_", env_file=".env", extra="ignore", frozen=True
    )

    # Interface uvicorn binds; loopback by default, a deployment sets 0.0.0.0 behind TLS.
    host: str = "127.0.0.1"
    # Port of the API.
    port: int = Field(default=8000, ge=1, le=65535)
    # uvicorn worker processes, each with its own driver and interpreter lock: one
    # process's Python runs on one core at a time (bench/api.py measures 1 against 2).
    workers: int = Field(default=1, ge=1, le=64)
    # Seconds a request's Neo4j work is retried (Neo4j restarting, a transient error)
    # before the client is told 503: someone is waiting on the other end.
    neo4j_retry_s: float = Field(default=3.0, gt=0)
    # Deepest selection set a GraphQL document may have (fields inside fields).
    max_depth: int = Field(default=8, ge=2)
    # Most estimated objects a GraphQL document may ask for (see api/limits.py).
    max_complexity: int = Field(default=50_000, ge=100)
    # Most aliases in one document: aliases multiply work without deepening it.
    max_aliases: int = Field(default=20, ge=1)
    # Nodes a neighbourhood returns at most, whatever `limit` asks for.
    max_neighbourhood: int = Field(default=2_000, ge=10)
    # Items one page of a list returns at most (`first`).
    max_page: int = Field(default=200, ge=10)
    # Regions a phone number typed in national format is tried in by `search`.
    phone_regions: list[str] = ["BD", "CA", "PH", "SG", "TH", "VN"]
    # Serve GraphiQL at /graphql (an IDE in the browser; it still needs a key).
    graphiql: bool = True
