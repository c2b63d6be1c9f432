"""API settings, read from the environment (``LINKGRAPH_API_*``) like the rest."""

from __future__ import annotations

from pathlib import Path

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
    # Most bytes a request body may have; a larger one is refused with 413 unread.
    max_body_bytes: int = Field(default=1_048_576, ge=1_024)
    # Most characters a GraphQL document may have, checked before it is parsed.
    max_document_chars: int = Field(default=20_000, ge=1_000)
    # Most lexical tokens in a document, counted by the lexer before the parser runs.
    max_tokens: int = Field(default=4_000, ge=100)
    # Most fields a document may select: validation compares fields pairwise, so its
    # cost grows with their square (api/edge.py; bench/soak.py measures it).
    max_fields: int = Field(default=200, ge=50)
    # Deepest nesting of braces in a document or of lists and objects in its variables.
    max_nesting: int = Field(default=24, ge=4)
    # Most characters of a `search` text, and most words (Lucene refuses a query of
    # more than 1,024 clauses; each word is one).
    max_search_chars: int = Field(default=256, ge=16)
    max_search_terms: int = Field(default=16, ge=1, le=1_000)
    # Longest single word of a search: longer ones match nothing a person typed.
    max_search_term_chars: int = Field(default=64, ge=8)
    # Highest offset a cursor may name: paging past it is refused, not sent to Neo4j.
    max_offset: int = Field(default=100_000, ge=1_000)
    # Seconds one request may keep Neo4j busy: every read transaction the API starts
    # carries it as its timeout, so the database ends the work, not just the client.
    request_timeout_s: float = Field(default=20.0, gt=0, le=600)
    # Regions a phone number typed in national format is tried in by `search`.
    phone_regions: list[str] = ["BD", "CA", "PH", "SG", "TH", "VN"]
    # Folder of the built explorer served at /explore/ (`make explorer`); unset: the
    # repository's explorer/dist. An image that installs the package sets it.
    explorer_dir: Path | None = None
    # Serve GraphiQL at /graphql (an IDE in the browser; it still needs a key or a login).
    graphiql: bool = True
    # Folder of GraphiQL's page files and their npm packages (`make graphiql`); unset:
    # the repository's api/graphiql. An image that installs the package sets it.
    graphiql_dir: Path | None = None
    # Seconds a browser session lasts after logging in at /login (default 8 h, a
    # working day); it is not extended by use, so a stolen cookie ages out.
    session_ttl_s: int = Field(default=8 * 3600, ge=60, le=30 * 24 * 3600)
    # "Sign in with <provider>" on the login page, when OIDC is configured
    # (LINKGRAPH_OIDC_ISSUER, _AUDIENCE as the client id, _JWKS_URL) and both of the
    # provider's endpoints below are set: the authorization code flow with PKCE.
    oidc_authorize_url: str | None = None
    oidc_token_url: str | None = None
    # Only for a provider that treats linkgraph as a confidential client.
    oidc_client_secret: str | None = None
    # The provider's name on the button.
    oidc_provider_name: str = "your identity provider"
