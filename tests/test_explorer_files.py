"""The explorer's files at /explore/ (api/explorer.py): served with their security
headers when built, a 503 page saying how to build them when not."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from fastapi import FastAPI

from api.explorer import mount_explorer


class _Client:
    """GETs answered by an app holding only the explorer's routes, in this process."""

    def __init__(self, dist: Path) -> None:
        self.app = FastAPI()
        mount_explorer(self.app, dist)

    def get(self, path: str, follow_redirects: bool = True) -> httpx.Response:
        async def fetch() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://test", follow_redirects=follow_redirects
            ) as client:
                return await client.get(path)

        return asyncio.run(fetch())


def test_a_built_explorer_is_served_with_its_policy(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>explorer</title>")
    (tmp_path / "explorer.js").write_text("console.log('hi')")
    client = _Client(tmp_path)
    page = client.get("/explore/")
    assert page.status_code == 200
    assert "<title>explorer</title>" in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    script = client.get("/explore/explorer.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    assert client.get("/explore/missing.js").status_code == 404
    # Nothing outside the folder is reachable through it.
    assert client.get("/explore/../pyproject.toml").status_code == 404
    moved = client.get("/explore", follow_redirects=False)
    assert moved.status_code == 308
    assert moved.headers["location"] == "/explore/"


def test_without_a_build_the_page_says_how_to_make_one(tmp_path: Path) -> None:
    client = _Client(tmp_path / "nothing")
    for path in ("/explore/", "/explore/explorer.js"):
        answer = client.get(path)
        assert answer.status_code == 503
        assert "make explorer" in answer.text
