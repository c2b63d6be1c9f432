"""The GraphQL API over HTTP, served by a real uvicorn, on the demo investigation in the real
Neo4j: search, neighbourhood, paths with provenance, networks, saved queries, pagination,
limits, round trips, every authentication case, and the audit trail."""

from __future__ import annotations

import base64
import fcntl
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import phonenumbers
import pytest
from click.testing import CliRunner
from gql import gql
from gql.transport.exceptions import TransportQueryError, TransportServerError
from neo4j import Driver

from api.audit import AuditLog
from api.keys import ApiKeyStore
from api.roles import Role
from api.schema import ANALYSIS_LOCK_FILE, sdl
from core.settings import Settings
from graph_schema.loader import load_model
from linkgraph.cli import main
from linkgraph.demo import demo_api_key, demo_mappings
from queries.library import Library
from reports.job_runs import JobRunInfo, new_run_id, save_job_run
from reports.run import run_report
from tests.api_server import api_server, ask, ask_raw, client, free_port, load_demo_graph

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((ROOT / "demo" / "data" / "truth.json").read_text())


@dataclass
class Api:
    """The running API, its keys and its audit log."""

    url: str
    viewer: str
    analyst: str
    admin: str
    revoked: str
    audit_log: Path
    data_dir: Path
    driver: Driver
    database: str

    def one(self, cypher: str, **params: object) -> list[dict[str, object]]:
        """Ground truth straight from Neo4j, to compare the API with."""
        records, _, _ = self.driver.execute_query(cypher, params, database_=self.database)
        return [dict(r) for r in records]


@pytest.fixture(scope="module")
def api(
    driver: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """The demo investigation loaded and analysed, four keys, and the API serving it."""
    database = settings.neo4j_database
    model = load_demo_graph(driver, settings, tmp_path_factory.mktemp("rejects"))
    store = ApiKeyStore(driver, database)
    revoked = store.create("Former analyst", Role.ANALYST)
    store.revoke(revoked.id)
    audit_log = tmp_path_factory.mktemp("audit") / "audit.jsonl"
    data_dir = tmp_path_factory.mktemp("data")
    run_report(driver, model, database, data_dir / "reports")
    now = datetime.now(UTC)
    failed = JobRunInfo(new_run_id("nightly", now), "nightly", "report", "failed", now, now, "boom")
    save_job_run(driver, model, database, failed)
    # Two worker processes, as a deployment runs it: every test below also checks that
    # they share the audit log, the keys and the one analysis slot.
    with api_server(audit_log, LINKGRAPH_DATA_DIR=str(data_dir), LINKGRAPH_API_WORKERS="2") as url:
        yield Api(
            url=url,
            viewer=store.create("Viewer front end", Role.VIEWER).token,
            analyst=store.create("Analyst", Role.ANALYST).token,
            admin=store.create("Admin", Role.ADMIN).token,
            revoked=revoked.token,
            audit_log=audit_log,
            data_dir=data_dir,
            driver=driver,
            database=database,
        )


# -- authentication and roles ---------------------------------------------------------


def test_healthz_is_open_and_everything_else_needs_a_key(api: Api) -> None:
    assert httpx.get(f"{api.url}/healthz").json() == {"status": "alive"}
    assert httpx.get(f"{api.url}/readyz").status_code == 401
    ready = httpx.get(f"{api.url}/readyz", headers={"Authorization": f"Bearer {api.viewer}"})
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_graphiql_is_served_to_a_browser_with_a_key(api: Api) -> None:
    page = httpx.get(
        f"{api.url}/graphql",
        headers={"Authorization": f"Bearer {api.viewer}", "Accept": "text/html"},
    )
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    # Without a key, a browser is sent to the login form (tests/test_login.py).
    keyless = httpx.get(f"{api.url}/graphql", headers={"Accept": "text/html"})
    assert keyless.status_code == 303
    assert keyless.headers["location"] == "/login?next=%2Fgraphql"


@pytest.mark.parametrize(
    "token",
    [None, "not-a-key", "lg_0123456789abcdef_wrongsecretwrongsecretwrongsecret00000"],
)
def test_no_key_or_a_wrong_key_is_refused(api: Api, token: str | None) -> None:
    response = ask_raw(api.url, token, "{ me { name } }")
    assert response.status_code == 401
    assert "data" not in response.json()
    with client(api.url, token) as session, pytest.raises(TransportServerError):
        session.execute(gql("{ me { name } }"))


def test_a_revoked_key_is_refused(api: Api) -> None:
    assert ask_raw(api.url, api.revoked, "{ me { name } }").status_code == 401


def test_each_key_says_who_it_is(api: Api) -> None:
    assert ask(api.url, api.viewer, "{ me { name role } }")["me"] == {
        "name": "Viewer front end",
        "role": "viewer",
    }
    assert ask(api.url, api.admin, "{ me { role } }")["me"]["role"] == "admin"


def test_a_viewer_may_not_run_saved_queries_or_analyses(api: Api) -> None:
    with pytest.raises(TransportQueryError, match="needs analyst"):
        ask(api.url, api.viewer, '{ runSavedQuery(name: "hub_identifiers") { columns } }')
    with pytest.raises(TransportQueryError, match="needs analyst"):
        ask(api.url, api.viewer, "mutation { startAnalysis { id } }")


# -- search -------------------------------------------------------------------------


def test_search_finds_a_phone_written_in_any_format(api: Api) -> None:
    row = api.one(
        "MATCH (p:Phone) WHERE p.country = 'PH' AND p.id STARTS WITH '+639' "
        "RETURN p.id AS id ORDER BY p.id LIMIT 1"
    )[0]
    number = phonenumbers.parse(str(row["id"]))
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    written = [national, international, "00" + str(row["id"])[1:], str(row["id"])]
    for text in written:
        found = ask(
            api.url, api.viewer, "query($t: String!) { search(text: $t) { nodes { id } } }", t=text
        )
        assert found["search"]["nodes"][0]["id"] == f"Phone:{row['id']}", text


def test_search_finds_people_by_name_and_wallets_by_address(api: Api) -> None:
    person = api.one(
        "MATCH (p:Person) WHERE p.name IS NOT NULL RETURN p.id AS id, p.name AS name "
        "ORDER BY p.id LIMIT 1"
    )[0]
    found = ask(
        api.url,
        api.viewer,
        'query($t: String!) { search(text: $t, labels: ["Person"], first: 50) '
        "{ nodes { id label caption } } }",
        t=str(person["name"]),
    )["search"]["nodes"]
    assert f"Person:{person['id']}" in [n["id"] for n in found]
    assert {n["label"] for n in found} == {"Person"}
    wallet = api.one("MATCH (w:Wallet) RETURN w.id AS id, w.address AS address LIMIT 1")[0]
    hits = ask(
        api.url,
        api.viewer,
        "query($t: String!) { search(text: $t) { nodes { id } } }",
        t=str(wallet["address"]),
    )["search"]["nodes"]
    assert hits[0]["id"] == f"Wallet:{wallet['id']}"


def test_search_pages_do_not_overlap(api: Api) -> None:
    query = (
        'query($after: String) { search(text: "a", first: 5, after: $after) '
        "{ nodes { id } pageInfo { hasNextPage endCursor } } }"
    )
    first = ask(api.url, api.viewer, query)["search"]
    assert first["pageInfo"]["hasNextPage"]
    second = ask(api.url, api.viewer, query, after=first["pageInfo"]["endCursor"])["search"]
    ids1 = [n["id"] for n in first["nodes"]]
    ids2 = [n["id"] for n in second["nodes"]]
    assert len(ids1) == 5
    assert ids2
    assert not set(ids1) & set(ids2)


def test_a_bad_cursor_and_a_bad_id_are_clear_errors(api: Api) -> None:
    with pytest.raises(TransportQueryError, match="not a cursor"):
        ask(api.url, api.viewer, '{ search(text: "a", after: "zzz") { nodes { id } } }')
    with pytest.raises(TransportQueryError, match="unknown label"):
        ask(api.url, api.viewer, '{ node(id: "Vehicle:x") { id } }')


def test_bad_sizes_and_crafted_cursors_are_clear_errors_not_internal_ones(api: Api) -> None:
    # A cursor this API never writes (a negative offset) would reach Cypher's SKIP.
    crafted = base64.urlsafe_b64encode(b"offset:-5").decode()
    with pytest.raises(TransportQueryError, match="not a cursor"):
        ask(
            api.url,
            api.viewer,
            "query($a: String) { networks(after: $a) { totalCount } }",
            a=crafted,
        )
    person = TRUTH["broker"]["person_ids"][0]
    for field in ("evidence(first: -1) { totalCount }", "evidence(first: 201) { totalCount }"):
        with pytest.raises(TransportQueryError, match="first must be 1 to 200"):
            ask(api.url, api.viewer, f'{{ node(id: "Person:{person}") {{ {field} }} }}')
    with pytest.raises(TransportQueryError, match="first must be 1 to 200"):
        ask(api.url, api.viewer, "{ networks { nodes { brokers(first: -1) { score } } } }")
    with pytest.raises(TransportQueryError, match="params: give a JSON object"):
        ask(
            api.url,
            api.analyst,
            'query($p: JSON) { runSavedQuery(name: "hub_identifiers", params: $p) { columns } }',
            p=["min_people", 3],
        )


# -- neighbourhood ------------------------------------------------------------------

NEIGHBOURHOOD = """
query($id: ID!, $depth: Int!, $limit: Int!) {
  neighbourhood(id: $id, depth: $depth, limit: $limit) {
    truncated collapsedHubs
    nodes { id label hub }
    edges { id type source target }
  }
}"""


def test_neighbourhood_depth_one_is_exactly_the_direct_neighbours(api: Api) -> None:
    person = TRUTH["broker"]["person_ids"][0]
    truth = api.one(
        "MATCH (p:Person {id: $id})--(x) RETURN DISTINCT labels(x)[0] + ':' + x.id AS id", id=person
    )
    got = ask(api.url, api.viewer, NEIGHBOURHOOD, id=f"Person:{person}", depth=1, limit=500)
    hood = got["neighbourhood"]
    assert hood["nodes"][0]["id"] == f"Person:{person}"
    assert {n["id"] for n in hood["nodes"][1:]} == {r["id"] for r in truth}
    drawn = {n["id"] for n in hood["nodes"]}
    assert hood["edges"]
    assert all(e["source"] in drawn and e["target"] in drawn for e in hood["edges"])
    assert not hood["truncated"]


def test_neighbourhood_cut_by_its_limit_says_so(api: Api) -> None:
    person = TRUTH["broker"]["person_ids"][0]
    hood = ask(api.url, api.viewer, NEIGHBOURHOOD, id=f"Person:{person}", depth=2, limit=3)
    assert hood["neighbourhood"]["truncated"]
    assert len(hood["neighbourhood"]["nodes"]) == 3


def test_neighbourhood_draws_hubs_but_does_not_expand_them(api: Api) -> None:
    hub = f"Phone:{TRUTH['hub']['id']}"
    one_of_them = TRUTH["hub"]["person_ids"][-1]
    hood = ask(api.url, api.viewer, NEIGHBOURHOOD, id=f"Person:{one_of_them}", depth=3, limit=2000)
    nodes = {n["id"]: n for n in hood["neighbourhood"]["nodes"]}
    assert nodes[hub]["hub"] is True
    assert hub in hood["neighbourhood"]["collapsedHubs"]
    # Every node but the centre was reached through a node that is not a hub.
    centre = f"Person:{one_of_them}"
    adjacent: dict[str, set[str]] = {n: set() for n in nodes}
    for edge in hood["neighbourhood"]["edges"]:
        adjacent[edge["source"]].add(edge["target"])
        adjacent[edge["target"]].add(edge["source"])
    for node in nodes:
        if node != centre:
            assert any(m == centre or not nodes[m]["hub"] for m in adjacent[node]), node
    # The hub's other people are not pulled in through it.
    others = {f"Person:{p}" for p in TRUTH["hub"]["person_ids"]} - {centre}
    assert len(others - set(nodes)) >= len(others) // 2
    # Asked for directly, the hub is expanded: all of its people are there.
    around_hub = ask(api.url, api.viewer, NEIGHBOURHOOD, id=hub, depth=1, limit=2000)
    drawn = {n["id"] for n in around_hub["neighbourhood"]["nodes"]}
    assert {f"Person:{p}" for p in TRUTH["hub"]["person_ids"]} <= drawn


# -- paths ------------------------------------------------------------------------

PATHS = """
query($from: ID!, $to: ID!, $tr: Boolean!) {
  paths(from: $from, to: $to, maxHops: 6, timeRespecting: $tr, first: 3) {
    length
    nodes { id hub }
    hops { id type source target firstSeen lastSeen
           evidence(first: 5) { totalCount records { dataset record recordNo } } }
  }
}"""


def _two_people_of_one_network() -> tuple[str, str]:
    members = [pid for m in TRUTH["networks"][0]["members"] for pid in m["person_ids"]]
    return members[0], members[-1]


def test_paths_connect_the_ends_hop_by_hop_with_their_records(api: Api) -> None:
    a, b = _two_people_of_one_network()
    routes = ask(
        api.url, api.viewer, PATHS, **{"from": f"Person:{a}", "to": f"Person:{b}", "tr": False}
    )["paths"]
    assert routes
    lengths = [r["length"] for r in routes]
    assert lengths == sorted(lengths)
    for route in routes:
        ids = [n["id"] for n in route["nodes"]]
        assert ids[0] == f"Person:{a}"
        assert ids[-1] == f"Person:{b}"
        assert len(route["hops"]) == route["length"] == len(ids) - 1
        assert not any(n["hub"] for n in route["nodes"][1:-1])
        for step, hop in enumerate(route["hops"]):
            assert {hop["source"], hop["target"]} == {ids[step], ids[step + 1]}
            evidence = hop["evidence"]
            assert evidence["totalCount"] >= 1
            assert evidence["records"]
            # The records are the very Evidence of this fact in the database.
            stored = api.one(
                "MATCH (e:Evidence) WHERE split(e.id, '\\u001f')[0] = $f RETURN count(e) AS n",
                f=hop["id"],
            )
            assert stored[0]["n"] == evidence["totalCount"]


def test_time_respecting_paths_move_forward_in_time(api: Api) -> None:
    a, b = _two_people_of_one_network()
    ends = {"from": f"Person:{a}", "to": f"Person:{b}"}
    free = ask(api.url, api.viewer, PATHS, **ends, tr=False)["paths"]
    timed = ask(api.url, api.viewer, PATHS, **ends, tr=True)["paths"]
    # The demo's networks are connected forward in time: an empty answer is a failure.
    assert timed
    assert timed[0]["length"] >= free[0]["length"]
    for route in timed:
        clock = ""
        for hop in route["hops"]:
            if hop["firstSeen"] is None:
                continue
            assert hop["lastSeen"] >= clock
            clock = max(clock, hop["firstSeen"])


# -- networks, rankings, runs ----------------------------------------------------------

NETWORKS = """
query($after: String) {
  networks(first: 2, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { id rank score size runId
            scoreBreakdown { name value weight contribution }
            members(first: 200) { totalCount nodes { id } }
            keyPeople { id }
            sharedIdentifiers { people identifier { id label } } }
  }
}"""


def test_networks_are_ranked_paged_and_explained(api: Api) -> None:
    first = ask(api.url, api.viewer, NETWORKS)["networks"]
    assert first["pageInfo"]["hasNextPage"]
    second = ask(api.url, api.viewer, NETWORKS, after=first["pageInfo"]["endCursor"])["networks"]
    nets = first["nodes"] + second["nodes"]
    assert [n["rank"] for n in nets] == [1, 2, 3, 4]
    stored = api.one(
        "MATCH (n:Network {id: $id}) RETURN n.size AS size, n.members AS members",
        id=nets[0]["id"],
    )[0]
    top = nets[0]
    assert top["size"] == stored["size"] == top["members"]["totalCount"]
    assert {m["id"] for m in top["members"]["nodes"]} == {f"Person:{m}" for m in stored["members"]}
    assert sum(c["contribution"] for c in top["scoreBreakdown"]) == pytest.approx(
        top["score"], abs=0.01
    )
    assert {k["id"] for k in top["keyPeople"]} <= {m["id"] for m in top["members"]["nodes"]}
    assert all(s["people"] >= 2 for s in top["sharedIdentifiers"])
    assert ask(
        api.url, api.viewer, "query($id: ID!) { network(id: $id) { id rank } }", id=top["id"]
    )["network"] == {"id": top["id"], "rank": 1}


def test_rankings_are_in_order(api: Api) -> None:
    ranked = ask(
        api.url,
        api.viewer,
        "{ rankings(metric: PAGERANK, first: 10) { rank value person { id } } }",
    )["rankings"]
    values = [r["value"] for r in ranked]
    assert len(ranked) == 10
    assert values == sorted(values, reverse=True)
    best = api.one("MATCH (p:Person) RETURN p.id AS id ORDER BY p.pagerank DESC, p.id LIMIT 1")
    assert ranked[0]["person"]["id"] == f"Person:{best[0]['id']}"


def test_ingest_and_analysis_runs_are_listed(api: Api) -> None:
    runs = ask(
        api.url,
        api.viewer,
        "{ ingestRuns(first: 50) { nodes { dataset status "
        "recordsRead recordsLoaded recordsRejected } } analysisRuns { nodes { id status "
        "modularity } } }",
    )
    ingests = runs["ingestRuns"]["nodes"]
    assert len(ingests) == len(demo_mappings())
    assert all(r["recordsRead"] == r["recordsLoaded"] + r["recordsRejected"] for r in ingests)
    assert runs["analysisRuns"]["nodes"][0]["status"] == "completed"


# -- saved queries and the mutation ------------------------------------------------------


def test_saved_queries_are_listed_and_run_by_an_analyst(api: Api) -> None:
    library = Library.load()
    listed = ask(api.url, api.viewer, "{ savedQueries { id tags parameters { name example } } }")
    assert {q["id"] for q in listed["savedQueries"]} == set(library.queries)
    tag = next(iter(next(iter(library.queries.values())).tags))
    tagged = ask(
        api.url, api.viewer, "query($t: String) { savedQueries(tag: $t) { id tags } }", t=tag
    )["savedQueries"]
    assert tagged
    assert all(tag in q["tags"] for q in tagged)
    query = library.get("hub_identifiers")
    params = {name: spec.example for name, spec in query.parameters.items()}
    result = ask(
        api.url,
        api.analyst,
        "query($n: String!, $p: JSON) { runSavedQuery(name: $n, params: $p) "
        "{ queryId columns rows truncated } }",
        n=query.id,
        p=params,
    )["runSavedQuery"]
    assert result["queryId"] == query.id
    assert result["columns"]
    assert any(TRUTH["hub"]["id"] in json.dumps(row) for row in result["rows"])


def test_an_analyst_starts_an_analysis(api: Api) -> None:
    run = ask(api.url, api.analyst, "mutation { startAnalysis(seed: 7) { id status seed } }")
    assert run["startAnalysis"]["status"] == "completed"
    assert run["startAnalysis"]["seed"] == 7
    latest = ask(api.url, api.viewer, "{ analysisRuns(first: 1) { nodes { id } } }")
    assert latest["analysisRuns"]["nodes"][0]["id"] == run["startAnalysis"]["id"]


def test_one_analysis_at_a_time_whichever_worker_is_asked(api: Api) -> None:
    # Another process (a second worker, here this test) holds the server's analysis slot.
    with (api.data_dir / ANALYSIS_LOCK_FILE).open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        busy = ask_raw(api.url, api.analyst, "mutation { startAnalysis { id } }").json()
    assert busy["errors"][0]["message"] == (
        "an analysis is already running on this server; try again later"
    )
    assert busy["data"] is None


# -- reports and jobs ---------------------------------------------------------------


def test_reports_are_listed_and_their_files_served_to_keyed_users(api: Api) -> None:
    listed = ask(
        api.url, api.viewer, "{ reports { id analysisRun summary files { name bytes url } } }"
    )["reports"]
    assert len(listed) == 1
    files = {f["name"]: f for f in listed[0]["files"]}
    assert set(files) == {"report.html", "report.json", "summary.md"}
    page = httpx.get(
        api.url + files["report.json"]["url"], headers={"Authorization": f"Bearer {api.viewer}"}
    )
    assert page.status_code == 200
    assert len(page.content) == files["report.json"]["bytes"]
    assert page.json()["analysis_run"]["run_id"] == listed[0]["analysisRun"]
    assert httpx.get(api.url + files["report.html"]["url"]).status_code == 401
    escape = f"{api.url}/reports/{listed[0]['id']}/..%2F..%2Faudit.jsonl"
    headers = {"Authorization": f"Bearer {api.viewer}"}
    assert httpx.get(escape, headers=headers).status_code == 404


def test_job_runs_are_visible(api: Api) -> None:
    runs = ask(api.url, api.viewer, '{ jobRuns(job: "nightly") { job kind status error } }')
    assert runs["jobRuns"] == [
        {"job": "nightly", "kind": "report", "status": "failed", "error": "boom"}
    ]


# -- limits and round trips ------------------------------------------------------------


def test_depth_and_complexity_limits_answer_with_clear_errors(api: Api) -> None:
    deep = (
        "{ networks { nodes { members { nodes { ... on Person { network { members { nodes "
        "{ ... on Person { network { members { nodes { id } } } } } } } } } } } } }"
    )
    response = ask_raw(api.url, api.viewer, deep).json()
    assert "exceeds maximum operation depth" in response["errors"][0]["message"]
    wide = (
        "{ networks(first: 200) { nodes { members(first: 200) { nodes { id caption "
        "evidence(first: 50) { records { dataset record } } } } } } }"
    )
    response = ask_raw(api.url, api.viewer, wide).json()
    assert "too complex" in response["errors"][0]["message"]
    assert "data" not in response or response["data"] is None


NESTED = """
query($n: Int!) {
  networks(first: $n) {
    nodes { id
      members(first: 30) { nodes { id caption evidence(first: 2) { totalCount }
                                   ... on Person { network { id rank } } } }
      keyPeople { id }
      sharedIdentifiers { people identifier { id } } }
  }
}"""


def test_a_nested_query_costs_a_bounded_number_of_round_trips(api: Api) -> None:
    small = ask_raw(api.url, api.viewer, NESTED, n=1).json()
    large = ask_raw(api.url, api.viewer, NESTED, n=8).json()
    assert len(large["data"]["networks"]["nodes"]) == 8
    members = sum(len(n["members"]["nodes"]) for n in large["data"]["networks"]["nodes"])
    assert members > 8
    # One read per level (runs, networks, members, evidence, their networks, shared ids),
    # however many networks and members: not one per item.
    assert large["extensions"]["roundTrips"] == small["extensions"]["roundTrips"]
    assert large["extensions"]["roundTrips"] <= 8


# -- audit ----------------------------------------------------------------------------


def test_every_request_is_audited_and_tampering_is_detected(api: Api, tmp_path: Path) -> None:
    phone = f"Phone:{TRUTH['hub']['id']}"
    ask(api.url, api.viewer, "query($id: ID!) { node(id: $id) { id } }", id=phone)
    ask_raw(api.url, "wrong", "{ me { name } }")
    log = AuditLog(api.audit_log)
    assert log.verify().ok
    lookups = list(log.search(entity=phone))
    assert lookups
    assert lookups[-1].by("Viewer front end")
    assert lookups[-1].operation == "node"
    assert lookups[-1].channel == "graphql"
    # `audit search` names the GraphQL field looked up, not the route every query shares.
    shown = CliRunner().invoke(
        main, ["audit", "search", "--log", str(api.audit_log), "--entity", phone]
    )
    assert shown.exit_code == 0, shown.output
    assert "graphql node" in shown.stdout.splitlines()[-1]
    records = [json.loads(line) for line in api.audit_log.read_text().splitlines()]
    assert records[-1]["outcome"] == "denied"
    assert records[-1]["who"] == "anonymous"
    # Editing one record breaks the chain.
    copy = tmp_path / "audit.jsonl"
    head = api.audit_log.with_name(api.audit_log.name + ".head")
    copy.with_name(copy.name + ".head").write_text(head.read_text())
    lines = api.audit_log.read_text().splitlines()
    copy.write_text("\n".join(lines) + "\n")
    assert AuditLog(copy).verify().ok
    edited = json.loads(lines[1])
    edited["who"] = "anonymous"
    lines[1] = json.dumps(edited, sort_keys=True, separators=(",", ":"))
    copy.write_text("\n".join(lines) + "\n")
    assert not AuditLog(copy).verify().ok


def test_the_demo_key_is_kept_while_it_works(api: Api, settings: Settings, tmp_path: Path) -> None:
    local = settings.model_copy(update={"data_dir": tmp_path})
    token, path = demo_api_key(local)
    assert path.stat().st_mode & 0o777 == 0o600
    assert demo_api_key(local)[0] == token
    assert ask(api.url, token, "{ me { name role } }")["me"] == {"name": "demo", "role": "analyst"}
    ApiKeyStore(api.driver, api.database).revoke(token.split("_")[1])
    renewed, _ = demo_api_key(local)
    assert renewed != token
    assert ask(api.url, renewed, "{ me { role } }")["me"]["role"] == "analyst"


def test_without_neo4j_a_keyed_request_gets_503_and_is_audited(tmp_path: Path) -> None:
    # Keys are checked in Neo4j: with it gone, /readyz and every keyed route must say
    # so (503), not fail with an internal error, and the attempt is still recorded.
    audit_log = tmp_path / "audit.jsonl"
    nowhere = {"LINKGRAPH_NEO4J_URI": f"bolt://127.0.0.1:{free_port()}"}
    with api_server(audit_log, LINKGRAPH_NEO4J_PASSWORD="unused", **nowhere) as url:
        token = "lg_0123456789abcdef_" + "a" * 43
        began = time.monotonic()
        response = httpx.get(
            f"{url}/readyz", headers={"Authorization": f"Bearer {token}"}, timeout=120
        )
        waited = time.monotonic() - began
    assert response.status_code == 503
    # Told within seconds (LINKGRAPH_API_NEO4J_RETRY_S, 3 s), not after the driver's
    # 30 s of retries that batch jobs get.
    assert waited < 15
    assert "Neo4j is not reachable" in response.json()["detail"]
    (record,) = AuditLog(audit_log).search()
    assert (record.route, record.outcome, record.who) == ("GET /readyz", "error", "anonymous")
    assert AuditLog(audit_log).verify().ok


def test_the_committed_sdl_matches_the_code() -> None:
    committed = (ROOT / "docs" / "schema.graphql").read_text()
    assert committed == sdl(load_model()), "run `make docs` to regenerate docs/schema.graphql"
