"""The explorer in headless Chromium (`tests/browser.py`), shared by its tests and its
benchmark: logging in through the login page as a person would."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

# What `make explorer` builds and the API serves at /explore/.
DIST = Path(__file__).resolve().parent.parent / "explorer" / "dist"
# Set by the page once it knows who is logged in and has drawn what its link names.
READY = "body[data-ready=true]"


def log_in(page: Page, url: str, token: str) -> None:
    """Open the explorer, get sent to the login form, sign in with `token`, and wait
    until the explorer has said who is logged in."""
    page.goto(f"{url}/explore/")
    page.wait_for_url("**/login?next=%2Fexplore%2F")
    page.get_by_label("API key").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/explore/")
    page.wait_for_selector(READY, timeout=30_000)
