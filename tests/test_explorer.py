"""The graph explorer in real headless Chromium, logged in through /login, on the demo
investigation in the real Neo4j: search, expand, provenance, networks, paths, timeline,
map, exports, limits, bad input, logout and CSRF. The run also writes the README's
screenshot (docs/img/explorer.png)."""

from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import phonenumbers
import pytest
from neo4j import Driver

from analytics.pipeline import run_analysis
from api.keys import ApiKeyStore
from api.roles import Role
from core.settings import Settings
from resolution.run import run_resolution
from resolution.settings import ResolutionSettings
from tests.api_server import api_server, ask, load_demo_graph
from tests.browser import chromium
from tests.explorer_page import DIST, READY, log_in

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((ROOT / "demo" / "data" / "truth.json").read_text())
SCREENSHOT = ROOT / "docs" / "img" / "explorer.png"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


@dataclass
class Explorer:
    """The API serving the demo, a viewer's key and the database to check against."""

    url: str
    token: str
    driver: Driver
    database: str

    def ask(self, query: str, **variables: Any) -> dict[str, Any]:
        """What the API answers a bearer key: the explorer must show the same."""
        data: dict[str, Any] = ask(self.url, self.token, query, **variables)
        return data

    def rows(self, cypher: str, **params: object) -> list[dict[str, Any]]:
        """Ground truth straight from Neo4j."""
        records, _, _ = self.driver.execute_query(cypher, params, database_=self.database)
        return [dict(r) for r in records]


@pytest.fixture(scope="module")
def explorer(
    driver: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Explorer]:
    """The demo loaded, resolved and analysed, a viewer's key, and the API serving the explorer."""
    assert (DIST / "index.html").is_file(), "the explorer is not built: run `make explorer`"
    database = settings.neo4j_database
    model = load_demo_graph(driver, settings, tmp_path_factory.mktemp("rejects"))
    # As `make demo` leaves it: people resolved, then analysed one per identity.
    run_resolution(driver, model, database, ResolutionSettings())
    run_analysis(driver, model, database)
    token = ApiKeyStore(driver, database).create("Explorer test", Role.VIEWER).token
    audit_log = tmp_path_factory.mktemp("audit") / "audit.jsonl"
    with api_server(audit_log) as url:
        yield Explorer(url, token, driver, database)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (WebGL through SwiftShader when there is no GPU), for the module."""
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def page(explorer: Explorer, browser: Any) -> Iterator[Any]:
    """One logged-in explorer page for the module's tests, each starting from an empty view."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A console error is a refused resource or a breach of the page's security policy.
    page.on("console", lambda line: errors.append(line.text) if line.type == "error" else None)
    log_in(page, explorer.url, explorer.token)
    yield page
    context.close()
    assert errors == [], errors


@pytest.fixture
def fresh(page: Any) -> Any:
    """The module's page with an empty view."""
    page.get_by_role("button", name="Clear the view").click()
    page.wait_for_function("() => window.linkgraphExplorer.view.graph.order === 0")
    return page


def drawn(page: Any) -> dict[str, Any]:
    """The drawing's nodes (with their attributes) and edges, as the page holds them."""
    result: dict[str, Any] = page.evaluate(
        """() => {
          const g = window.linkgraphExplorer.view.graph;
          return { nodes: Object.fromEntries(g.mapNodes((id, a) => [id, a])),
                   edges: g.edges(), visible: window.linkgraphExplorer.view.visibleEdges() };
        }"""
    )
    return result


def act(page: Any, trigger: Any) -> None:
    """Do something on the page (`trigger()`) and wait until the action it starts has ended."""
    before = int(page.evaluate("() => Number(document.body.dataset.done || 0)"))
    trigger()
    page.wait_for_function(
        "(n) => Number(document.body.dataset.done || 0) > n"
        " && !document.body.hasAttribute('aria-busy')",
        arg=before,
    )


def open_id(page: Any, entity: str) -> None:
    """Open an entity by the page's `#node=<id>` link, as a bookmark would."""
    page.evaluate("() => { window.location.hash = ''; }")
    act(page, lambda: page.evaluate("(id) => { window.location.hash = 'node=' + id; }", entity))


def message(page: Any) -> str:
    text: str = page.locator("#message").inner_text()
    return text


def search_and_open(page: Any, text: str, entity: str) -> None:
    """Search `text`, check `entity` is the first result, and open it."""
    page.get_by_label("Search", exact=True).fill(text)
    page.get_by_label("Search", exact=True).press("Enter")
    first = page.locator("#results button").first
    first.wait_for()
    assert first.get_attribute("data-id") == entity
    act(page, first.click)


def a_ph_phone(explorer: Explorer) -> str:
    """A Philippine mobile of the demo that is not a hub, with a few neighbours."""
    rows = explorer.rows(
        "MATCH (p:Phone)--(n) WHERE p.id STARTS WITH '+639' AND NOT coalesce(p.hub, false) "
        "WITH p, count(DISTINCT n) AS degree WHERE 3 <= degree <= 30 "
        "RETURN p.id AS id ORDER BY degree DESC, p.id LIMIT 1"
    )
    return str(rows[0]["id"])


def local_format(e164: str) -> str:
    number = phonenumbers.parse(e164)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


# -- search, expand, provenance ---------------------------------------------------------


def test_search_a_phone_in_local_format_and_expand_it(explorer: Explorer, fresh: Any) -> None:
    phone = a_ph_phone(explorer)
    written = local_format(phone)
    assert written.startswith("0")
    search_and_open(fresh, written, f"Phone:{phone}")
    view = drawn(fresh)
    neighbours = explorer.rows(
        "MATCH (:Phone {id: $id})--(n) RETURN DISTINCT labels(n)[0] + ':' + n.id AS id", id=phone
    )
    expected = {str(r["id"]) for r in neighbours}
    assert expected <= set(view["nodes"])
    assert f"Phone:{phone}" in view["nodes"]
    assert len(view["edges"]) >= len(expected)
    assert "new node" in message(fresh)
    # The details panel is the phone's, with its provenance.
    details = fresh.locator("#details")
    assert f"Phone: {phone}" in details.locator("h3").first.inner_text()
    assert "Provenance" in details.inner_text()


def test_an_edge_shows_its_provenance(explorer: Explorer, fresh: Any) -> None:
    phone = a_ph_phone(explorer)
    search_and_open(fresh, local_format(phone), f"Phone:{phone}")
    link = fresh.locator("#node-edges button").first
    edge = link.get_attribute("data-edge")
    act(fresh, link.click)
    stored = explorer.rows(
        "MATCH (e:Evidence) WHERE split(e.id, '\\u001f')[0] = $f "
        "RETURN split(e.record, ':')[0] AS dataset, e.record_no AS row, e.record AS record",
        f=edge,
    )
    assert stored, edge
    details = fresh.locator("#details")
    assert edge in details.inner_text()
    total = len(stored)
    assert f"Provenance: {total} source record" in details.inner_text()
    # Each row shown is one of the fact's records: dataset, file, row, record, seen.
    rows = details.locator("table tr")
    assert rows.count() == 1 + min(total, 10)
    known = {(str(r["dataset"]), str(r["row"]), str(r["record"])) for r in stored}
    for i in range(1, rows.count()):
        dataset, file, row, record, seen = rows.nth(i).locator("td").all_inner_texts()
        assert (dataset, row, record) in known
        assert file != "—"
        assert seen != "—" or record.startswith(dataset)


def test_expand_keeps_to_the_chosen_types_and_time_window(explorer: Explorer, fresh: Any) -> None:
    phone = a_ph_phone(explorer)
    boxes = fresh.locator("#rel-types input")
    for i in range(boxes.count()):
        if boxes.nth(i).get_attribute("value") != "CALLED":
            boxes.nth(i).uncheck()
    try:
        search_and_open(fresh, local_format(phone), f"Phone:{phone}")
        view = drawn(fresh)
        types = fresh.evaluate(
            "() => window.linkgraphExplorer.view.graph.mapEdges((e, a) => a.relType)"
        )
        assert types
        assert set(types) == {"CALLED"}
        # A window in which nothing of the phone's is dated: only undated ties remain.
        fresh.get_by_label("From", exact=True).fill("1990-01-01")
        fresh.get_by_label("Until", exact=True).fill("1990-12-31")
        fresh.get_by_role("button", name="Clear the view").click()
        search_and_open(fresh, local_format(phone), f"Phone:{phone}")
        assert len(drawn(fresh)["edges"]) < len(view["edges"])
    finally:
        for i in range(boxes.count()):
            boxes.nth(i).check()
        fresh.get_by_label("From", exact=True).fill("")
        fresh.get_by_label("Until", exact=True).fill("")


def test_every_control_has_a_label(fresh: Any) -> None:
    unlabelled = fresh.evaluate(
        """() => [...document.querySelectorAll('input, button, select, output')]
             .filter((el) => !el.hidden)
             .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                             && !el.textContent.trim())
             .map((el) => el.id || el.outerHTML.slice(0, 60))"""
    )
    assert unlabelled == []
    # The keyboard reaches the search box first, after the skip link.
    fresh.reload()
    fresh.wait_for_selector(READY)
    fresh.keyboard.press("Tab")
    fresh.keyboard.press("Tab")
    assert fresh.evaluate("() => document.activeElement.id") == "search-text"


# -- networks and paths --------------------------------------------------------------------


def test_the_top_network_opens_with_its_brokers_highlighted(explorer: Explorer, fresh: Any) -> None:
    act(fresh, fresh.get_by_role("button", name="Networks of the latest run").click)
    first = fresh.locator("#networks button[data-network]").first
    first.wait_for()
    network = first.get_attribute("data-network")
    assert fresh.locator("#networks details").first.locator("tr").count() >= 2  # breakdown
    act(fresh, first.click)
    truth = explorer.ask(
        "query($id: ID!) { network(id: $id) { rank members(first: 200) { nodes { id } } "
        "brokers(first: 20) { person { id } } } }",
        id=network,
    )["network"]
    assert truth["rank"] == 1
    view = drawn(fresh)
    members = {m["id"] for m in truth["members"]["nodes"]}
    assert members <= set(view["nodes"])
    brokers = {b["person"]["id"] for b in truth["brokers"]}
    assert brokers, "the demo's top network has brokers"
    marked = {i for i, a in view["nodes"].items() if a.get("mark") == "broker"}
    assert marked == brokers
    listed = set(fresh.locator("#brokers button").evaluate_all("bs => bs.map(b => b.dataset.id)"))
    assert listed == marked
    assert "broker" in message(fresh)
    # Relationships among the members are drawn, not only the members.
    assert len(view["edges"]) > len(members)


def test_a_path_between_two_people(explorer: Explorer, fresh: Any) -> None:
    members = [pid for m in TRUTH["networks"][0]["members"] for pid in m["person_ids"]]
    start, end = f"Person:{members[0]}", f"Person:{members[-1]}"
    for entity, button in ((start, "Path from here"), (end, "Path to here")):
        open_id(fresh, entity)
        fresh.get_by_role("button", name=button).click()
    assert members[0] in fresh.locator("#path-from").inner_text()
    assert members[-1] in fresh.locator("#path-to").inner_text()
    fresh.get_by_label("Time-respecting").check()
    try:
        act(fresh, fresh.get_by_role("button", name="Find paths").click)
    finally:
        fresh.get_by_label("Time-respecting").uncheck()
    routes = fresh.locator("#paths button")
    assert routes.count() >= 1
    view = drawn(fresh)
    on_path = {i for i, a in view["nodes"].items() if a.get("mark") == "path"}
    assert {start, end} <= on_path
    assert "time-respecting" in message(fresh)


# -- timeline, map, exports ------------------------------------------------------------------


def test_moving_the_timeline_filters_the_drawing(explorer: Explorer, fresh: Any) -> None:
    phone = a_ph_phone(explorer)
    search_and_open(fresh, local_format(phone), f"Phone:{phone}")
    before = drawn(fresh)
    assert len(before["visible"]) == len(before["edges"])
    start = fresh.locator("#time-from")
    low, high = int(start.get_attribute("min")), int(start.get_attribute("max"))
    assert high > low
    start.focus()
    # The keyboard moves the slider: the last day only.
    start.press("End")
    after = drawn(fresh)
    assert 0 < len(after["visible"]) < len(before["visible"]) or len(after["visible"]) == 0
    assert len(after["visible"]) < len(before["visible"])
    assert (
        f"of {len(before['edges'])} relationships drawn"
        in fresh.locator("#time-window").inner_text()
    )
    start.press("Home")
    assert len(drawn(fresh)["visible"]) == len(before["edges"])


def test_places_appear_on_the_offline_map(explorer: Explorer, fresh: Any) -> None:
    located = explorer.rows(
        "MATCH (l:Location)--(p:Person) WHERE l.coordinates IS NOT NULL "
        "RETURN 'Person:' + p.id AS person LIMIT 1"
    )
    assert located
    open_id(fresh, str(located[0]["person"]))
    view = drawn(fresh)
    places = [a for a in view["nodes"].values() if a["entity"] == "Location" and a["coordinates"]]
    assert places
    assert fresh.locator("#map svg path.land").count() == 1
    assert fresh.locator("#map circle.place").count() == len(places)
    assert "Natural Earth" in fresh.locator("#map-note").inner_text()


def _download(page: Any, button: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=button, exact=True).click()
    path = info.value.path()
    return Path(path).read_bytes()


def test_export_graphml_json_and_png(explorer: Explorer, fresh: Any) -> None:
    phone = a_ph_phone(explorer)
    search_and_open(fresh, local_format(phone), f"Phone:{phone}")
    view = drawn(fresh)

    # The file is the page's own export of data this test loaded.
    root = ET.fromstring(_download(fresh, "GraphML"))  # noqa: S314
    graph = root.find(f"{GRAPHML}graph")
    assert graph is not None
    nodes = {n.get("id") for n in graph.iter(f"{GRAPHML}node")}
    edges = {e.get("id"): e for e in graph.iter(f"{GRAPHML}edge")}
    assert nodes == set(view["nodes"])
    assert set(edges) == set(view["edges"])
    keys = {k.get("id"): k.get("attr.name") for k in root.iter(f"{GRAPHML}key")}
    some_edge = next(iter(edges.values()))
    types = [d.text for d in some_edge if keys[d.get("key")] == "type"]
    assert types
    assert types[0] in {
        "CALLED",
        "MESSAGED",
        "USES",
        "HOLDS",
        "OWNS",
        "TRANSFERRED",
        "SEEN_AT",
        "REGISTERED_TO",
        "ASSOCIATED_WITH",
    }

    exported = json.loads(_download(fresh, "JSON"))
    assert {n["key"] for n in exported["nodes"]} == set(view["nodes"])
    assert len(exported["edges"]) == len(view["edges"])

    png = _download(fresh, "PNG")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 400
    assert height >= 300


# -- limits and bad input --------------------------------------------------------------------


def test_a_hub_is_drawn_distinct_and_not_expanded(explorer: Explorer, fresh: Any) -> None:
    hub = f"{TRUTH['hub']['label']}:{TRUTH['hub']['id']}"
    open_id(fresh, hub)
    view = drawn(fresh)
    assert list(view["nodes"]) == [hub]
    assert view["nodes"][hub]["hub"] is True
    assert view["nodes"][hub]["color"] != drawn_colour_of_phone(fresh)
    assert "hub identifier" in message(fresh)
    assert fresh.get_by_role("button", name="Hub: not expanded").is_disabled()


def drawn_colour_of_phone(page: Any) -> str:
    colour: str = page.evaluate(
        "() => getComputedStyle(document.querySelector('#legend span:nth-child(2)'))"
        ".getPropertyValue('--swatch').trim()"
    )
    return colour


def test_a_large_neighbourhood_is_capped_with_show_more(explorer: Explorer, fresh: Any) -> None:
    busy = explorer.rows(
        "MATCH (p:Phone)--(n) WHERE NOT coalesce(p.hub, false) "
        "WITH p, count(DISTINCT n) AS degree WHERE degree > 12 "
        "RETURN p.id AS id, degree ORDER BY degree DESC LIMIT 1"
    )[0]
    fresh.get_by_label("Nodes per click").fill("5")
    try:
        open_id(fresh, f"Phone:{busy['id']}")
        assert "capped at 5" in message(fresh)
        assert len(drawn(fresh)["nodes"]) == 5
        more = fresh.get_by_role("button", name="Show more")
        assert more.is_visible()
        act(fresh, more.click)
        assert len(drawn(fresh)["nodes"]) == 10
    finally:
        fresh.get_by_label("Nodes per click").fill("40")


def test_an_unknown_id_says_so(explorer: Explorer, fresh: Any) -> None:
    open_id(fresh, "Phone:+10000000000")
    assert "No entity has the id “Phone:+10000000000”" in message(fresh)
    assert drawn(fresh)["nodes"] == {}
    open_id(fresh, "Nothing-like-an-id")
    assert "id" in message(fresh)
    assert drawn(fresh)["nodes"] == {}


def test_the_readme_screenshot(explorer: Explorer, fresh: Any) -> None:
    """The explorer on the demo's top network, as the README shows it."""
    act(fresh, fresh.get_by_role("button", name="Networks of the latest run").click)
    act(fresh, fresh.locator("#networks button[data-network]").first.click)
    fresh.wait_for_timeout(1000)  # the camera's reset animation
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    fresh.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 20_000


# -- the session ---------------------------------------------------------------------------


def test_an_expired_session_says_log_in_again(explorer: Explorer, browser: Any) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        log_in(page, explorer.url, explorer.token)
        context.clear_cookies()
        page.get_by_label("Search", exact=True).fill("Ramon")
        act(page, lambda: page.get_by_label("Search", exact=True).press("Enter"))
        assert "session has expired" in message(page)
        assert page.locator("#message a").get_attribute("href") == "/login?next=/explore/"
    finally:
        context.close()


def test_a_post_without_csrf_is_refused_and_logout_ends_the_session(
    explorer: Explorer, browser: Any
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        log_in(page, explorer.url, explorer.token)
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        session = cookies["lg_session"]
        # The page's own reads carry the CSRF header; the same POST without it fails.
        refused = page.evaluate(
            """async () => {
              const r = await fetch('/graphql', {method: 'POST', credentials: 'same-origin',
                headers: {'content-type': 'application/json'},
                body: JSON.stringify({query: '{ me { name } }'})});
              return [r.status, await r.text()];
            }"""
        )
        assert refused[0] == 403
        assert "x-csrf-token" in refused[1].lower()
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url("**/login**")
    finally:
        context.close()
    # The old cookie is refused by the API afterwards.
    answer = httpx.post(
        f"{explorer.url}/graphql",
        json={"query": "{ me { name } }"},
        cookies={"lg_session": session, "lg_csrf": cookies["lg_csrf"]},
        headers={"X-CSRF-Token": cookies["lg_csrf"]},
    )
    assert answer.status_code == 401
