"""GraphiQL at `GET /graphql` in a browser, working after a login, with no file from a CDN.

strawberry's own GraphiQL page loads React and GraphiQL from a CDN (unreachable from
an investigation's network) and sends a CSRF header of its own naming. This page
loads them from this server instead, `/graphiql/<file>`: the pinned npm packages
`make graphiql` installs into `api/graphiql/node_modules`, and `api/graphiql/page.js`,
which sends each query with the session's CSRF token (an image that installs the
package names the folder in `LINKGRAPH_API_GRAPHIQL_DIR`). Like every route but
`/healthz`, both need a key or a session.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from strawberry.fastapi import GraphQLRouter

from api.context import Context

ASSETS_PATH = "/graphiql"
# The folder with package.json, page.js and (once installed) node_modules.
GRAPHIQL_DIR = Path(__file__).resolve().parent / "graphiql"
# The files the page loads, by the name it loads them under, within that folder.
ASSETS = {
    "react.js": "node_modules/react/umd/react.production.min.js",
    "react-dom.js": "node_modules/react-dom/umd/react-dom.production.min.js",
    "graphiql.js": "node_modules/graphiql/graphiql.min.js",
    "graphiql.css": "node_modules/graphiql/graphiql.min.css",
    "page.js": "page.js",
}
# GraphiQL's editor styles elements inline and its icons are data URLs; everything
# else comes from this server, and only this server is talked to.
HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "cache-control": "no-cache",
}

_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>GraphiQL · linkgraph</title>
<link rel="stylesheet" href="{ASSETS_PATH}/graphiql.css">
<style>body {{ margin: 0; }} #graphiql {{ height: 100vh; }}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="{ASSETS_PATH}/react.js"></script>
<script src="{ASSETS_PATH}/react-dom.js"></script>
<script src="{ASSETS_PATH}/graphiql.js"></script>
<script src="{ASSETS_PATH}/page.js"></script>
</body>
</html>
"""

_MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GraphiQL not installed · linkgraph</title>
</head><body style="font: 16px/1.5 system-ui, sans-serif; margin: 2rem; color: #1b1f24">
<h1>GraphiQL is not installed</h1>
<p>This server has no <code>api/graphiql/node_modules</code>. Run <code>make graphiql</code>
(it needs npm) and reload this page. The GraphQL API itself works without it.</p>
</body></html>
"""


def graphiql_files(folder: Path | None) -> dict[str, Path]:
    """The page's files in `folder` (default: `api/graphiql`), by the name it loads them under."""
    return {name: (folder or GRAPHIQL_DIR) / relative for name, relative in ASSETS.items()}


def _files(request: Request) -> dict[str, Path]:
    files: dict[str, Path] = request.app.state.graphiql_files
    return files


class BrowserGraphQLRouter(GraphQLRouter[Context, None]):
    """strawberry's GraphQL router with this module's GraphiQL page."""

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """The page, or a 503 page saying how to install its files."""
        if not all(path.is_file() for path in _files(request).values()):
            return HTMLResponse(_MISSING, 503, headers={"cache-control": "no-store"})
        return HTMLResponse(_PAGE, headers=HEADERS)


router = APIRouter()


@router.get(ASSETS_PATH + "/{name}", include_in_schema=False)
async def asset(request: Request, name: str) -> Response:
    """One file of the GraphiQL page."""
    path = _files(request).get(name)
    if path is None:
        return JSONResponse({"detail": f"no GraphiQL file named {name!r}"}, 404)
    if not path.is_file():
        return JSONResponse({"detail": "GraphiQL is not installed: run `make graphiql`"}, 503)
    return FileResponse(path, headers=HEADERS)
