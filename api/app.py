"""The FastAPI app: GraphQL at /graphql, /healthz and /readyz, every request keyed and audited.

`create_app()` builds it; its lifespan opens the one Neo4j driver (and closes it),
loads the model and the saved-query library, and opens the audit log. One
middleware authenticates every request but `/healthz` (a bearer API key, or an
OIDC token when configured) and appends its audit record once the response is ready.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from neo4j.exceptions import Neo4jError, ServiceUnavailable
from strawberry.fastapi import GraphQLRouter

from api.audit import AuditError, AuditLog, Channel, Outcome
from api.context import Context, RequestAudit, Services, blocking, person_label
from api.graphtypes import GraphTypes
from api.keys import ApiKeyStore
from api.oidc import OidcVerifier, authenticate_bearer
from api.reports import router as reports_router
from api.schema import build_schema
from api.settings import ApiSettings
from graph_schema.apply import recorded_version
from graph_schema.loader import load_model
from linkgraph.db import close_driver, get_driver
from linkgraph.settings import Settings, get_settings
from queries.library import Library

GRAPHQL_PATH = "/graphql"
# Routes anyone may call: a liveness probe says nothing about the data.
OPEN_PATHS = frozenset({"/healthz"})


def _bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def create_app(settings: Settings | None = None, api: ApiSettings | None = None) -> FastAPI:
    """The API app; nothing touches Neo4j until the lifespan starts."""
    settings = settings or get_settings()
    api = api or ApiSettings()
    model = load_model(settings.model_dir)
    types = GraphTypes(model)
    schema = build_schema(types, api)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        driver = get_driver()
        app.state.services = Services(
            settings=settings,
            api=api,
            driver=driver,
            model=model,
            types=types,
            library=Library.load(settings.queries_dir),
            keys=ApiKeyStore(driver, settings.neo4j_database),
            person_label=person_label(model),
        )
        app.state.audit = AuditLog.from_settings(settings)
        app.state.oidc = OidcVerifier.from_settings(settings)
        try:
            yield
        finally:
            app.state.services.keys.close()
            app.state.audit.close()
            close_driver()

    app = FastAPI(
        title="linkgraph",
        description="Link analysis of smuggling and trafficking networks: GraphQL at /graphql.",
        lifespan=lifespan,
    )

    async def context_getter(request: Request) -> Context:
        return Context(request.app.state.services, request.state.principal, request.state.audit)

    app.include_router(
        GraphQLRouter(
            schema,
            path=GRAPHQL_PATH,
            context_getter=context_getter,
            graphql_ide="graphiql" if api.graphiql else None,
        )
    )

    app.include_router(reports_router)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        """Alive: the process answers (no key needed, nothing about the data)."""
        return {"status": "alive"}

    @app.get("/readyz")
    async def readyz(request: Request) -> Response:
        """Ready: Neo4j answers and holds the schema version this code expects."""
        services: Services = request.app.state.services
        try:
            recorded = await blocking(
                recorded_version, services.driver, model, settings.neo4j_database
            )
        except (ServiceUnavailable, Neo4jError, OSError) as error:
            return JSONResponse(
                {"status": "unavailable", "reason": f"Neo4j is not reachable: {error}"}, 503
            )
        expected = {"version": model.version, "checksum": model.checksum}
        if recorded is None or any(recorded.get(k) != v for k, v in expected.items()):
            found = {k: (recorded or {}).get(k) for k in expected}
            return JSONResponse(
                {
                    "status": "unavailable",
                    "reason": "the database's schema differs from the code's; "
                    "run `linkgraph schema apply`",
                    "expected": expected,
                    "found": found,
                },
                503,
            )
        return JSONResponse({"status": "ready", "model_version": model.version})

    @app.middleware("http")
    async def authenticate_and_audit(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.url.path in OPEN_PATHS:
            return await call_next(request)
        began = time.perf_counter()
        services: Services = request.app.state.services
        token = _bearer(request.headers.get("authorization"))
        principal = (
            await blocking(authenticate_bearer, token, services.keys, request.app.state.oidc)
            if token
            else None
        )
        audit = RequestAudit()
        if principal is None:
            audit.outcome = "denied"
            audit.message = "invalid API key" if token else "no API key"
            response: Response = JSONResponse(
                {"detail": f"{audit.message}: send `Authorization: Bearer <key>`"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        else:
            request.state.principal = principal
            request.state.audit = audit
            response = await call_next(request)
            if response.status_code >= 400 and audit.outcome == "ok":
                audit.outcome = "error"
        graphql = request.url.path.startswith(GRAPHQL_PATH)
        try:
            request.app.state.audit.append(
                channel=Channel.GRAPHQL if graphql else Channel.REST,
                operation=audit.operation or f"{request.method} {request.url.path}",
                who=principal,
                query=audit.query,
                route=f"{request.method} {request.url.path}",
                variables=audit.variables,
                entities=sorted(audit.entities),
                duration_ms=(time.perf_counter() - began) * 1000,
                outcome=Outcome(audit.outcome),
                message=audit.message,
            )
        except (AuditError, OSError) as error:
            # Nothing is served that the audit trail does not record.
            return JSONResponse({"detail": f"audit log unavailable: {error}"}, 503)
        return response

    return app


def app_factory() -> Any:
    """`uvicorn --factory api.app:app_factory`: the app with settings from the environment."""
    return create_app()
