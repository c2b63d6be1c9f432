"""Settings, read from the environment (``LINKGRAPH_*``) and an optional ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of linkgraph, one comment each."""

    model_config = SettingsConfigDict(
        env_prefix="LINKGRAPH_", env_file=".env", extra="ignore", frozen=True
    )

    # "production" refuses to run without an explicit Neo4j password.
    environment: Literal["development", "test", "production"] = "development"

    # Bolt URI of the Neo4j to use. Unset: the project's local Neo4j on `neo4j_port`.
    neo4j_uri: str | None = None
    # Neo4j user name.
    neo4j_user: str = "neo4j"
    # Neo4j password. Unset: read from the local Neo4j's generated password file.
    neo4j_password: SecretStr | None = None
    # Database to use (Community Edition has one user database, `neo4j`).
    neo4j_database: str = "neo4j"

    # Where the local Neo4j keeps its configuration, data, logs and password file.
    neo4j_home: Path = Path(".linkgraph/neo4j")
    # Bolt port of the local Neo4j (loopback only).
    neo4j_port: int = Field(default=7687, ge=1, le=65535)
    # Whether the local Neo4j requires authentication (tests may turn it off).
    neo4j_auth: bool = True
    # JVM heap of the local Neo4j; small by default so tests and a demo fit together.
    neo4j_heap: str = "1g"
    # Page cache of the local Neo4j (the on-disk store kept in memory).
    neo4j_pagecache: str = "512m"
    # Most heap one transaction of the local Neo4j may use (db.memory.transaction.max):
    # a runaway query is ended with an error instead of running the server out of
    # memory. Empty: half the heap, which the analytics' one-pass projection fits in.
    neo4j_transaction_memory: str = ""
    # Transaction logs the local Neo4j keeps after a checkpoint (Neo4j's
    # db.tx_log.rotation.retention_policy). Neo4j's own default keeps two days of them,
    # which repeated loads turn into tens of gigabytes on a workstation.
    neo4j_tx_log_retention: str = "1G size"
    # Seconds `neo4j start` waits for Bolt to answer before giving up.
    neo4j_start_timeout: float = Field(default=180.0, gt=0)
    # The Maven build that lays out the Neo4j jars (`lib/`, `plugins/` under target/).
    neo4j_dist: Path = Path(__file__).resolve().parent.parent / "neo4j-local"

    # Folder of the graph model (YAML). Unset: the model shipped in graph_schema/.
    model_dir: Path | None = None

    # Where runs write their files (rejects, reports) by default.
    data_dir: Path = Path(".linkgraph")
    # Records per ingest write transaction (see bench/ingest for the trade-off).
    ingest_batch_size: int = Field(default=2000, ge=1, le=100_000)
    # Write transactions an ingest runs at once: more can pay on a server with cores to
    # spare (not on 2 cores: bench/README.md), but a property that records of different
    # batches set differently keeps the value of the batch committed last, not of the
    # record read last (docs/ingest.md, "Parallel writers").
    ingest_writers: int = Field(default=1, ge=1, le=16)
    # Longest cell (a CSV field, a JSON string) an ingest reads, in characters; a record
    # with a longer one is rejected (docs/ingest.md, "Limits").
    ingest_max_cell: int = Field(default=1_000_000, ge=1, le=100_000_000)
    # Deepest nesting of objects and lists in a JSON Lines record; a deeper line is
    # rejected. Bounded well below Python's recursion limit, which parsing runs into.
    ingest_max_depth: int = Field(default=64, ge=1, le=256)
    # Analysts' own saved queries (`<category>/<id>.yaml`), loaded beside the built-in ones.
    queries_dir: Path | None = None
    # Hub policy: distinct people linked to one identifier at which it is a hub.
    hub_min_people: int = Field(default=12, ge=2)
    # The API's hash-chained audit log (JSON Lines); unset: <data_dir>/audit/audit.jsonl.
    audit_log: Path | None = None
    # fsync the audit log after each record: survives a power cut, costs a flush per request.
    audit_fsync: bool = False
    # OIDC bearer tokens: the issuer (`iss`) they must name. Unset: only API keys are accepted.
    oidc_issuer: str | None = None
    # OIDC: the audience (`aud`) tokens must be meant for (this API's client id).
    oidc_audience: str | None = None
    # OIDC: the issuer's signing keys (JWKS URL), fetched over HTTPS and cached.
    oidc_jwks_url: str | None = None
    # OIDC: the claim holding the user's roles or groups (a string or a list).
    oidc_role_claim: str = "roles"
    # OIDC: claim value -> linkgraph role (JSON); the highest role matched wins.
    oidc_role_map: dict[str, Literal["viewer", "analyst", "admin"]] = {
        "viewer": "viewer",
        "analyst": "analyst",
        "admin": "admin",
    }

    @model_validator(mode="after")
    def _no_implicit_secrets_in_production(self) -> Settings:
        # In production the password must be given explicitly, never read from a
        # file a development run left behind.
        if self.environment == "production" and self.neo4j_auth and not self.neo4j_password:
            raise ValueError("LINKGRAPH_NEO4J_PASSWORD must be set when environment=production")
        return self

    @model_validator(mode="after")
    def _oidc_complete(self) -> Settings:
        # Half an OIDC configuration would accept tokens meant for another service.
        if self.oidc_issuer and not (self.oidc_audience and self.oidc_jwks_url):
            raise ValueError(
                "LINKGRAPH_OIDC_ISSUER needs LINKGRAPH_OIDC_AUDIENCE and LINKGRAPH_OIDC_JWKS_URL"
            )
        return self

    @property
    def bolt_uri(self) -> str:
        """The Bolt URI in force: the configured one or the local Neo4j's."""
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.neo4j_port}"

    @property
    def uses_local_neo4j(self) -> bool:
        """True when linkgraph talks to the Neo4j that `linkgraph neo4j` runs."""
        return self.neo4j_uri is None

    @property
    def audit_log_path(self) -> Path:
        """The audit log in force: `audit_log`, else `<data_dir>/audit/audit.jsonl`."""
        return self.audit_log or self.data_dir / "audit" / "audit.jsonl"

    @property
    def password_file(self) -> Path:
        """The local Neo4j's generated password (mode 0600)."""
        return self.neo4j_home / "password"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
