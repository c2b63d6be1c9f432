"""The FastAPI app: GraphQL at /graphql, /healthz and /readyz, the browser login, every
request keyed and audited.

`create_app(settings)` builds it (the composition root, `linkgraph/wiring.py`, calls
it); its lifespan opens the process's Neo4j driver (and closes it), loads the model
and the saved-query library, and opens the audit log. Keys, sessions and the audit
record of each request are the middleware's (`api/middleware.py`); the login form
is `api/login.py`, GraphiQL's page `api/ide.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from api.audit import AuditLog
from api.context import Context, Services, person_label, within
from api.explorer import mount_explorer
from api.graphtypes import GraphTypes
from api.ide import BrowserGraphQLRouter, graphiql_files
from api.ide import router as graphiql_router
from api.keys import ApiKeyStore
from api.login import router as login_router
from api.login_oidc import router as oidc_login_router
from api.middleware import GRAPHQL_PATH, KeyAndAudit
from api.oidc import OidcSignIn, OidcVerifier
from api.reports import router as reports_router
from api.schema import build_schema, preparer
from api.sessions import SessionStore
from api.settings import ApiSettings
from core.db import open_driver
from core.settings import Settings
from graph_schema.apply import recorded_version
from graph_schema.loader import load_model
from queries.library import Library


def create_app(settings: Settings, api: ApiSettings | None = None) -> FastAPI:
    """The API app; nothing touches Neo4j until the lifespan starts."""
    api = api or ApiSettings()
    model = load_model(settings.model_dir)
    types = GraphTypes(model)
    schema = build_schema(types, api)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        driver = open_driver(settings, api.neo4j_retry_s)
        app.state.services = Services(
            settings=settings,
            api=api,
            driver=driver,
            model=model,
            types=types,
            library=Library.load(settings.queries_dir),
            keys=ApiKeyStore(driver, settings.neo4j_database),
            sessions=SessionStore(driver, settings.neo4j_database, api.session_ttl_s),
            person_label=person_label(model),
            preparer=preparer(schema, api),
        )
        app.state.audit = AuditLog.from_settings(settings)
        app.state.oidc = OidcVerifier.from_settings(settings)
        app.state.oidc_sign_in = OidcSignIn.from_settings(app.state.oidc, api)
        try:
            yield
        finally:
            app.state.services.keys.close()
            app.state.audit.close()
            driver.close()

    app = FastAPI(
        title="linkgraph",
        description="Link analysis of smuggling and trafficking networks: GraphQL at /graphql.",
        lifespan=lifespan,
    )

    async def context_getter(request: Request) -> Context:
        state = request.state
        prepared = getattr(state, "prepared", None)
        return Context(request.app.state.services, state.principal, state.audit, prepared)

    app.include_router(
        BrowserGraphQLRouter(
            schema,
            path=GRAPHQL_PATH,
            context_getter=context_getter,
            graphql_ide="graphiql" if api.graphiql else None,
        )
    )

    app.state.graphiql_files = graphiql_files(api.graphiql_dir)
    app.include_router(graphiql_router)
    app.include_router(login_router)
    app.include_router(oidc_login_router)
    app.include_router(reports_router)
    mount_explorer(app, api.explorer_dir)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        """Alive: the process answers (no key needed, nothing about the data)."""
        return {"status": "alive"}

    @app.get("/readyz")
    async def readyz(request: Request) -> Response:
        """Ready: Neo4j answers and holds the schema version this code expects."""
        services: Services = request.app.state.services
        try:
            recorded = await within(
                api.request_timeout_s,
                recorded_version,
                services.driver,
                model,
                settings.neo4j_database,
            )
        except TimeoutError:
            reason = f"Neo4j did not answer within {api.request_timeout_s:g} s"
            return JSONResponse({"status": "unavailable", "reason": reason}, 503)
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

    app.add_middleware(KeyAndAudit)

    return app
