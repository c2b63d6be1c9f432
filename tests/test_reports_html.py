"""report.html opened in headless Chromium (Debian's `chromium`, installed by `make test`):
the summary, the charts and the network drawings are rendered, with no network access."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from core.settings import Settings
from tests.test_reports import WATCHED, Scenario, build_scenario

pytestmark = pytest.mark.neo4j

CHROMIUM = Path("/usr/bin/chromium")

# Each image: loaded, its natural and drawn size, and how many distinct colours it
# has once painted into a canvas (a blank or broken image has one or none).
IMAGES = """
() => Array.from(document.images).map((img) => {
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const g = canvas.getContext('2d');
  let colours = 0;
  if (img.complete && img.naturalWidth > 0) {
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set();
    for (let i = 0; i < px.length; i += 4 * 97) seen.add(px[i] + ',' + px[i+1] + ',' + px[i+2]);
    colours = seen.size;
  }
  const box = img.getBoundingClientRect();
  return {id: img.id, complete: img.complete, naturalWidth: img.naturalWidth,
          naturalHeight: img.naturalHeight, width: box.width, height: box.height, colours};
})
"""


@pytest.fixture(scope="module")
def scenario(
    driver: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Scenario:
    """The two-ingest scenario and its report."""
    return build_scenario(driver, settings, tmp_path_factory.mktemp("html"))


def test_report_renders_in_headless_chromium(scenario: Scenario) -> None:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is missing: `make test` installs it"
    page_path = scenario.result.folder / "report.html"
    requests: list[str] = []
    # Chromium's sandbox needs an unprivileged user; tests may run as root (CI).
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_path.as_uri(), wait_until="load")
            summary = page.locator("#summary")
            box = summary.bounding_box()
            text = summary.inner_text()
            images: list[dict[str, Any]] = page.evaluate(IMAGES)
            first_heading = page.locator("h2").first.inner_text()
        finally:
            browser.close()
    # Only the page itself was fetched: no network, images are inline.
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert first_heading == "Summary"
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 100
    new = scenario.data.network(scenario.data.changes.new[0])
    assert f"New: network #{new.rank} (3 people)" in text
    assert f"Watched phone {WATCHED} appears in 2 new records" in text
    by_id = {img["id"]: img for img in images}
    expected = ["chart-size", "chart-growth", "chart-scores"] + [
        f"drawing-{scenario.data.network(n).rank}" for n in scenario.data.top_networks
    ]
    assert sorted(by_id) == sorted(expected)
    for name in expected:
        img = by_id[name]
        assert img["complete"], name
        assert img["naturalWidth"] > 200, name
        assert img["naturalHeight"] > 100, name
        assert img["width"] > 200, name  # laid out on the page, not hidden
        assert img["colours"] >= 5, name  # something was drawn
