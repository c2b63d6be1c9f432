"""The graph explorer's files at `/explore/`: the page `make explorer` builds into `explorer/dist`.

The explorer is a static page that reads the graph through `/graphql` alone, so this
module only serves its files, behind the same keys, sessions and audit as every
route. Without a build it answers 503 with a page saying how to make one.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

EXPLORER_PATH = "/explore"
# Where `make explorer` writes the bundle (next to the sources, gitignored).
DIST = Path(__file__).resolve().parent.parent / "explorer" / "dist"

# The page runs its own scripts only, talks to this server only, and draws its layout
# in a worker made from a blob (ForceAtlas2's); exports are blob and data URLs.
HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; worker-src blob:; img-src 'self' blob: data:; "
        "connect-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
}

_ENCODED = [(name.encode(), value.encode()) for name, value in HEADERS.items()]

_MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Explorer not built · linkgraph</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; margin: 2rem; color: #1b1f24">
<h1>The explorer is not built</h1>
<p>This server has no <code>explorer/dist</code>. Run <code>make explorer</code> (it needs
Node 20 and npm) and reload this page. The GraphQL API at <a href="/graphql">/graphql</a>
works without it.</p>
</body></html>
"""


class _ExplorerFiles(StaticFiles):
    """Static files with the explorer's security headers on every answer."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *_ENCODED]}
            await send(message)

        await super().__call__(scope, receive, send_with_headers)


def mount_explorer(app: FastAPI, dist: Path | None = None) -> None:
    """Serve the explorer built in `dist` (default: `DIST`) at `/explore/`, or a 503 page
    saying to build it."""
    dist = dist or DIST

    @app.get(EXPLORER_PATH, include_in_schema=False)
    async def explorer_root() -> RedirectResponse:
        """`/explore` is the folder `/explore/`: the page's relative links need the slash."""
        return RedirectResponse(f"{EXPLORER_PATH}/", 308)

    if (dist / "index.html").is_file():
        app.mount(EXPLORER_PATH, _ExplorerFiles(directory=dist, html=True), name="explorer")
        return

    @app.get(EXPLORER_PATH + "/{rest:path}", include_in_schema=False)
    async def explorer_missing(rest: str) -> HTMLResponse:
        """No build: say how to make one rather than answer 404."""
        return HTMLResponse(_MISSING, 503, headers={"cache-control": "no-store"})
