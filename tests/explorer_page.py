"""The explorer in headless Chromium (Debian's `chromium`, installed by `make chromium`).

Shared by the explorer's tests and its benchmark: launching the browser with WebGL
(SwiftShader, a software GPU: the machine may have none), and logging in through
the login page as a person would.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
DIST = Path(__file__).resolve().parent.parent / "explorer" / "dist"
# sigma.js draws with WebGL; without a GPU Chromium offers it through SwiftShader.
WEBGL_ARGS = ["--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
READY = "body[data-ready=true]"


def launch(playwright: Playwright) -> Browser:
    """Headless Chromium able to draw WebGL."""
    # Chromium's sandbox needs an unprivileged user; tests may run as root (CI).
    sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=WEBGL_ARGS + sandbox)


def log_in(page: Page, url: str, token: str) -> None:
    """Open the explorer, get sent to the login form, sign in with `token`, and wait
    until the explorer has said who is logged in."""
    page.goto(f"{url}/explore/")
    page.wait_for_url("**/login?next=%2Fexplore%2F")
    page.get_by_label("API key").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/explore/")
    page.wait_for_selector(READY, timeout=30_000)
