"""Explorer benchmark (not a timed test): the graph explorer in headless Chromium.

    .venv/bin/python -m bench.explorer [--nodes 5000] [--edges 20000] [--pan-s 3] [--clicks 8]

Runs its own Neo4j (home .linkgraph/bench-explorer-neo4j, port 7707) unless that
server already runs, loads and analyses the demo investigation, serves the API and
logs in to the explorer as a person would. Measures, each with a baseline of the same
run:

- drawing a generated `--nodes`/`--edges` view (sigma.js, WebGL) and laying it out
  with ForceAtlas2 in its web worker until it settles, against a 50-node view;
- frames per second while panning that view (sigma's renders counted over `--pan-s`
  seconds of camera moves, one per animation frame), against panning the small view;
- the latency of an expand click on the demo data (a click on a drawn node to its
  neighbourhood drawn and its details shown), against the neighbourhood request
  alone, sent by the page to the API.

Chromium draws WebGL with SwiftShader (a CPU renderer) when the machine has no GPU,
as here: frame rates are a floor for a desktop with a GPU.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from api.keys import ApiKeyStore
from api.roles import Role
from bench.ingest_methods import bench_settings
from core.db import open_driver
from linkgraph.neo4j_local import LocalNeo4j
from tests.api_server import api_server, load_demo_graph
from tests.browser import chromium
from tests.explorer_page import DIST, log_in

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / ".linkgraph" / "bench-explorer-neo4j"

# Nodes and edges made in the page by a seeded generator: a few hundred dense groups
# with ties between them, as investigations look, rather than a uniform random graph.
GENERATE = """([nodes, edges, seed]) => {
  const { view, changed } = window.linkgraphExplorer;
  let state = seed >>> 0;
  const random = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 4294967296);
  const labels = ["Person", "Phone", "Account", "Wallet", "Location"];
  view.clear();
  const began = performance.now();
  const group = 25;
  for (let i = 0; i < nodes; i++) {
    view.addNode({ id: `n${i}`, label: labels[i % 5], caption: `node ${i}`, hub: false,
                   firstSeen: null, lastSeen: null });
    const data = view.graph.getNodeAttributes(`n${i}`);
    data.x = random() * 100; data.y = random() * 100;
  }
  for (let e = 0; e < edges; e++) {
    const a = Math.floor(random() * nodes);
    const near = random() < 0.85;
    const b = near ? (Math.floor(a / group) * group + Math.floor(random() * group)) % nodes
                   : Math.floor(random() * nodes);
    if (a === b) continue;
    const day = 1704067200000 + Math.floor(random() * 365) * 86400000;
    view.addEdge({ id: `e${e}`, type: "CALLED", source: `n${a}`, target: `n${b}`,
                   directed: true, firstSeen: new Date(day).toISOString(), lastSeen: null });
  }
  changed({ layout: false });
  const drawn = performance.now();
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
    const shown = performance.now();
    view.runLayout().then((layout) => resolve({
      order: view.graph.order, size: view.graph.size,
      buildMs: drawn - began, firstFrameMs: shown - began, layoutMs: layout.ms,
      settled: layout.settled,
    }));
  })));
}"""

# Pan the camera a little every animation frame for `seconds`; count sigma's renders.
PAN = """(seconds) => new Promise((resolve) => {
  const { view } = window.linkgraphExplorer;
  const camera = view.renderer.getCamera();
  let renders = 0;
  const count = () => { renders += 1; };
  view.renderer.on("afterRender", count);
  const began = performance.now();
  const step = (now) => {
    const t = (now - began) / 1000;
    if (t >= seconds) {
      view.renderer.off("afterRender", count);
      resolve({ fps: renders / t, renders });
      return;
    }
    const state = camera.getState();
    camera.setState({ x: 0.5 + 0.2 * Math.sin(t * 2), y: 0.5 + 0.2 * Math.cos(t * 2),
                      ratio: state.ratio, angle: state.angle });
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})"""

# A drawn node that is neither expanded nor a hub, with its place on the screen.
CLICKABLE = """() => {
  const { view } = window.linkgraphExplorer;
  const { width, height } = view.renderer.getDimensions();
  const box = view.renderer.getContainer().getBoundingClientRect();
  const nodes = view.graph.filterNodes((id, a) => !a.expanded && !a.hub);
  for (const id of nodes) {
    // Sigma's viewport is its container; the mouse needs the page's coordinates.
    const point = view.renderer.graphToViewport(view.graph.getNodeAttributes(id));
    if (point.x > 20 && point.y > 20 && point.x < width - 20 && point.y < height - 20) {
      return { id, x: box.left + point.x, y: box.top + point.y };
    }
  }
  return null;
}"""

# The neighbourhood request alone, as the page sends it (cookie and CSRF header).
REQUEST = """async (id) => {
  const csrf = document.cookie.split("; ").find((c) => c.startsWith("lg_csrf="))?.slice(8) ?? "";
  const query = `query($id: ID!) { neighbourhood(id: $id, limit: 40) {
    nodes { id label caption hub firstSeen lastSeen } edges { id type source target } } }`;
  const began = performance.now();
  const response = await fetch("/graphql", { method: "POST", credentials: "same-origin",
    headers: { "content-type": "application/json", "X-CSRF-Token": decodeURIComponent(csrf) },
    body: JSON.stringify({ query, variables: { id } }) });
  await response.json();
  return performance.now() - began;
}"""


def _settle(page: Any) -> None:
    page.wait_for_function(
        "() => !document.body.hasAttribute('aria-busy') && !window.linkgraphExplorer.view.layout",
        timeout=60_000,
    )


def _act(page: Any, trigger: Any) -> None:
    before = int(page.evaluate("() => Number(document.body.dataset.done || 0)"))
    trigger()
    page.wait_for_function(
        "(n) => Number(document.body.dataset.done || 0) > n", arg=before, timeout=60_000
    )


def _view(page: Any, nodes: int, edges: int) -> dict[str, Any]:
    figures: dict[str, Any] = page.evaluate(GENERATE, [nodes, edges, 7])
    figures["pan"] = None
    return figures


def _clicks(page: Any, count: int, start: str) -> tuple[list[float], list[float]]:
    """`count` expand clicks on drawn demo nodes; their latencies and the bare requests'."""
    page.evaluate("() => window.linkgraphExplorer.view.clear()")
    _act(page, lambda: page.evaluate("(id) => { window.location.hash = 'node=' + id; }", start))
    _settle(page)
    clicks: list[float] = []
    requests: list[float] = []
    while len(clicks) < count:
        target = page.evaluate(CLICKABLE)
        if target is None:
            break
        done = len(page.evaluate("() => window.linkgraphExplorer.timings"))
        page.mouse.click(target["x"], target["y"])
        page.wait_for_function(
            "(n) => window.linkgraphExplorer.timings.length > n", arg=done, timeout=60_000
        )
        timing = page.evaluate("() => window.linkgraphExplorer.timings.at(-1)")
        clicks.append(float(timing["ms"]))
        print(f"  click {len(clicks)}: {timing['node']} {timing['ms']:.0f} ms", file=sys.stderr)
        requests.append(float(page.evaluate(REQUEST, timing["node"])))
        _settle(page)
    return clicks, requests


def _median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def run(args: argparse.Namespace) -> None:
    """Start what is needed, measure, print the figures."""
    if not (DIST / "index.html").is_file():
        sys.exit("the explorer is not built: run `make explorer`")
    # The demo is small: the benchmark's Neo4j needs no more memory than the tests'.
    settings = bench_settings(args.port, HOME).model_copy(
        update={"neo4j_heap": "1g", "neo4j_pagecache": "256m"}
    )
    server = LocalNeo4j(settings)
    started_here = server.pid() is None
    server.start()
    driver = open_driver(settings)
    try:
        began = time.perf_counter()
        with tempfile.TemporaryDirectory() as scratch:
            load_demo_graph(driver, settings, Path(scratch) / "rejects")
            seconds = time.perf_counter() - began
            print(f"demo loaded and analysed in {seconds:.0f} s", file=sys.stderr)
            token = ApiKeyStore(driver, settings.neo4j_database).create("bench", Role.VIEWER).token
            env = {"LINKGRAPH_NEO4J_HOME": str(HOME), "LINKGRAPH_NEO4J_PORT": str(args.port)}
            audit_log = Path(scratch) / "audit" / "audit.jsonl"
            with api_server(audit_log, **env) as url, chromium() as browser:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                log_in(page, url, token)
                report(page, args)
    finally:
        driver.close()
        if started_here:
            server.stop()


def report(page: Any, args: argparse.Namespace) -> None:
    """Measure in the logged-in page and print."""
    print("drawing the views...", file=sys.stderr)
    small = _view(page, 50, 200)
    small_pan = page.evaluate(PAN, args.pan_s)
    large = _view(page, args.nodes, args.edges)
    large_pan = page.evaluate(PAN, args.pan_s)
    print("expand clicks on the demo...", file=sys.stderr)
    start = "Person:passport:PH:P1066580H"
    clicks, requests = _clicks(page, args.clicks, start)
    gl = page.evaluate(
        """() => { const c = document.createElement('canvas').getContext('webgl2');
                   const i = c && c.getExtension('WEBGL_debug_renderer_info');
                   return i ? c.getParameter(i.UNMASKED_RENDERER_WEBGL) : 'unknown'; }"""
    )
    print(f"explorer benchmark: Chromium headless, WebGL renderer {gl}, {os.cpu_count()} cores")
    print()
    print(
        f"{'view':<34}{'nodes':>7}{'edges':>8}{'built':>10}{'1st frame':>11}"
        f"{'layout':>10}{'settled':>9}{'pan fps':>9}"
    )
    for name, figures, pan in (
        ("baseline: small view", small, small_pan),
        ("generated view", large, large_pan),
    ):
        print(
            f"{name:<34}{figures['order']:>7}{figures['size']:>8}"
            f"{figures['buildMs']:>8.0f}ms{figures['firstFrameMs']:>9.0f}ms"
            f"{figures['layoutMs']:>8.0f}ms{'yes' if figures['settled'] else 'no':>9}"
            f"{pan['fps']:>9.1f}"
        )
    draw = large["firstFrameMs"] + large["layoutMs"]
    print()
    print(
        f"draw + lay out {large['order']} nodes / {large['size']} edges: {draw / 1000:.2f} s "
        f"({draw / max(small['firstFrameMs'] + small['layoutMs'], 1):.1f}x the small view)"
    )
    print(
        f"panning it: {large_pan['fps']:.1f} frames/s "
        f"({large_pan['fps'] / max(small_pan['fps'], 1e-9):.2f}x the small view's "
        f"{small_pan['fps']:.1f})"
    )
    print(
        f"expand click on the demo ({len(clicks)} clicks): median {_median(clicks):.0f} ms, "
        f"max {max(clicks, default=float('nan')):.0f} ms; the neighbourhood request alone: "
        f"median {_median(requests):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=20000)
    parser.add_argument("--pan-s", type=float, default=3.0)
    parser.add_argument("--clicks", type=int, default=8)
    parser.add_argument("--port", type=int, default=7707)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
