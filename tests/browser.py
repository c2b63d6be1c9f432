"""Headless Chromium for tests: Debian's `chromium` (installed by `make test`) under
Playwright, the fixtures of a browser and a page, and fetches made from a page.

A test module imports `browser_fixture` and `page_fixture` to use `browser` and `page`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed on exit; no browser is downloaded."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is missing: `make test` installs it"
    # Chromium's sandbox needs an unprivileged user; tests may run as root (CI).
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            yield browser
        finally:
            browser.close()


# A page with no content security policy of its own, to make the tests' fetches from.
FETCH_FROM = "/healthz"
# The page's CSRF token, as its scripts read it from the lg_csrf cookie.
CSRF_COOKIE_JS = (
    "() => decodeURIComponent((document.cookie.split('; ')"
    ".find((c) => c.startsWith('lg_csrf=')) || '=').split('=')[1])"
)
_POST = """
async ([path, body, token]) => {
  const headers = {'content-type': 'application/json'};
  if (token !== null) headers['X-CSRF-Token'] = token;
  const response = await fetch(path, {method: 'POST', headers, body, redirect: 'manual'});
  return {status: response.status, body: await response.text()};
}
"""


@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Browser]:
    """One headless Chromium for a test module; each test has its own context (cookies)."""
    with chromium() as launched:
        yield launched


@pytest.fixture(name="page")
def page_fixture(browser: Browser) -> Iterator[Page]:
    """A fresh page with no cookies; a script error on it fails the test."""
    context = browser.new_context()
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == []


def cookies(page: Page) -> dict[str, Any]:
    """The page's cookies by name."""
    return {cookie["name"]: cookie for cookie in page.context.cookies()}


def post_graphql(page: Page, query: str, csrf: str | None) -> dict[str, Any]:
    """POST `query` to /graphql from the page (its cookies go along), with `csrf` as the
    X-CSRF-Token header (none when None): the answer's status and body."""
    answer: dict[str, Any] = page.evaluate(_POST, ["/graphql", json.dumps({"query": query}), csrf])
    return answer
