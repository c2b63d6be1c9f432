"""Hostile requests against the real API on the demo data in the real Neo4j: every limit at
the edge refuses with a message that says what is wrong, the database and the other clients
keep answering, and every request has an audit record with its true outcome."""

from __future__ import annotations

import base64
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import hypothesis
import pytest
from hypothesis import given
from hypothesis import strategies as st
from neo4j import Driver

from api.keys import ApiKeyStore
from api.roles import Role
from api.settings import ApiSettings
from core.settings import Settings
from linkgraph.neo4j_local import LocalNeo4j
from tests.api_server import api_server, free_port, load_demo_graph

pytestmark = pytest.mark.neo4j

LIMITS = ApiSettings()
BUDGET_S = 5
SEARCH = (
    "query($text: String!, $after: String) { search(text: $text, after: $after) { nodes { id } } }"
)


@dataclass
class Hostile:
    """The running API, a viewer's and an analyst's key, and the audit log."""

    url: str
    viewer: str
    analyst: str
    audit_log: Path
    driver: Driver
    database: str

    def post(
        self, body: bytes | dict[str, Any], token: str | None = None, **kw: Any
    ) -> httpx.Response:
        """POST `body` (raw bytes, or a JSON object) to /graphql with the viewer's key."""
        headers = {
            "Authorization": f"Bearer {token or self.viewer}",
            "Content-Type": "application/json",
        }
        headers.update(kw.pop("headers", {}))
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return httpx.post(f"{self.url}/graphql", content=content, headers=headers, timeout=60, **kw)

    def records(self) -> list[dict[str, Any]]:
        """The audit log's records, oldest first."""
        if not self.audit_log.exists():
            return []
        # JSON Lines end at "\n" only: str.splitlines would also split a record at a
        # U+2028 the fuzzed variables put in (the log keeps text as given, unescaped).
        text = self.audit_log.read_text(encoding="utf-8")
        return [json.loads(line) for line in text.split("\n") if line]

    def last(self) -> dict[str, Any]:
        """The newest audit record (the API appends it before answering)."""
        return self.records()[-1]

    def database_answers(self) -> bool:
        """True when Neo4j still runs a query."""
        records, _, _ = self.driver.execute_query("RETURN 1 AS one", database_=self.database)
        return bool(records[0]["one"] == 1)


@pytest.fixture(scope="module")
def hostile(
    driver: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Hostile]:
    """The demo investigation loaded and analysed, and the API serving it with one worker."""
    database = settings.neo4j_database
    load_demo_graph(driver, settings, tmp_path_factory.mktemp("rejects"))
    store = ApiKeyStore(driver, database)
    audit_log = tmp_path_factory.mktemp("audit") / "audit.jsonl"
    # A short budget, so that the frozen-database test waits seconds, not the default 20.
    with api_server(audit_log, LINKGRAPH_API_REQUEST_TIMEOUT_S=str(BUDGET_S)) as url:
        yield Hostile(
            url=url,
            viewer=store.create("Viewer", Role.VIEWER).token,
            analyst=store.create("Analyst", Role.ANALYST).token,
            audit_log=audit_log,
            driver=driver,
            database=database,
        )


def _errors(response: httpx.Response) -> str:
    return "; ".join(e["message"] for e in response.json().get("errors", []))


# -- 1, 3: a huge search and a huge body ------------------------------------------------------


def test_a_search_of_millions_of_words_is_refused_and_neo4j_keeps_answering(
    hostile: Hostile,
) -> None:
    began = time.monotonic()
    response = hostile.post({"query": SEARCH, "variables": {"text": "a " * 2_600_000}})
    assert response.status_code == 413
    assert f"the limit is {LIMITS.max_body_bytes}" in response.json()["detail"]
    assert time.monotonic() - began < 10
    record = hostile.last()
    assert record["outcome"] == "refused"
    assert "bytes" in record["message"]
    assert hostile.database_answers()
    # Within the body limit, the search text's own limit says what to change.
    text = "ab " * 200
    response = hostile.post({"query": SEARCH, "variables": {"text": text}})
    assert f"a search may have {LIMITS.max_search_chars}" in _errors(response)
    ok = hostile.post({"query": SEARCH, "variables": {"text": "Dizon"}})
    assert ok.status_code == 200
    assert ok.json()["data"]["search"]["nodes"]


def test_a_body_over_the_limit_is_refused_unread(hostile: Hostile) -> None:
    body = json.dumps({"query": "{ me { name } }", "pad": "x" * 5_000_000}).encode()
    response = hostile.post(body)
    assert response.status_code == 413
    assert hostile.last()["outcome"] == "refused"


# -- 2: a 5 MB document does not hold the event loop -------------------------------------------


def test_a_huge_document_is_refused_while_healthz_keeps_answering(hostile: Hostile) -> None:
    document = "query { " + "me { name } " * 436_906 + "}"
    answers: list[httpx.Response] = []
    sender = threading.Thread(
        target=lambda: answers.append(hostile.post({"query": document})), daemon=True
    )
    sender.start()
    slowest = 0.0
    while sender.is_alive():
        began = time.monotonic()
        assert httpx.get(f"{hostile.url}/healthz", timeout=5).status_code == 200
        slowest = max(slowest, time.monotonic() - began)
        time.sleep(0.05)
    sender.join()
    assert answers[0].status_code == 413
    assert slowest < 1.0
    # Under the body limit, the document's own limits refuse it before parsing.
    for count, limit in ((2_500, "characters"), (1_200, "tokens")):
        document = "query{" + "me{name}" * count + "}"
        began = time.monotonic()
        response = hostile.post({"query": document})
        assert response.status_code == 400, response.text
        assert limit in response.json()["detail"]
        assert time.monotonic() - began < 2


def test_many_fields_are_refused_before_validation(hostile: Hostile) -> None:
    fields = LIMITS.max_fields + 1
    document = "{" + "me{name}" * (fields // 2 + 1) + "}"
    response = hostile.post({"query": document})
    assert response.status_code == 400
    assert f"the limit is {LIMITS.max_fields}" in response.json()["detail"]


# -- 4: lone surrogates and bodies that are not UTF-8 -----------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        rb'{"query": "query($id: ID!) { node(id: $id) { id } }", '
        rb'"variables": {"id": "\ud800x\udfff"}}',
        rb'{"query": "{ node(id: \"\ud800\") { id } }"}',
        rb'{"query": "query($t: String!) { search(text: $t) { nodes { id } } }", '
        rb'"variables": {"t": "\udfff"}}',
    ],
)
def test_lone_surrogates_are_refused_and_audited(hostile: Hostile, body: bytes) -> None:
    before = len(hostile.records())
    response = hostile.post(body)
    assert response.status_code == 400, response.text
    assert "lone surrogate" in response.json()["detail"]
    records = hostile.records()
    assert len(records) == before + 1
    assert records[-1]["outcome"] == "refused"


def test_a_body_that_is_not_utf8_is_refused_and_audited(hostile: Hostile) -> None:
    before = len(hostile.records())
    response = hostile.post(b'{"query": "{ me { name } }", "x": "\xff\xfe"}')
    assert response.status_code == 400
    assert "not UTF-8" in response.json()["detail"]
    assert len(hostile.records()) == before + 1
    assert hostile.last()["outcome"] == "refused"


# -- 5: errors about the request say what is wrong --------------------------------------------


def test_a_malformed_datetime_says_so(hostile: Hostile) -> None:
    query = 'query($s: DateTime) { neighbourhood(id: "Person:x", since: $s) { nodes { id } } }'
    response = hostile.post({"query": query, "variables": {"s": "yesterday-ish"}})
    message = _errors(response)
    assert "DateTime" in message
    assert "Unexpected" not in message
    assert hostile.last()["outcome"] == "refused"


def test_a_crafted_cursor_says_so(hostile: Hostile) -> None:
    after = base64.urlsafe_b64encode(b"offset:99999999999999999999999").decode()
    response = hostile.post({"query": SEARCH, "variables": {"text": "Dizon", "after": after}})
    message = _errors(response)
    assert message.startswith("after:")
    assert "Unexpected" not in message


@pytest.mark.parametrize(
    ("text", "said"),
    [(" ".join(["ab"] * 2_000), "characters"), ("ab " * 20, "words"), ("x" * 5_000, "characters")],
)
def test_searches_past_lucene_limits_say_so(hostile: Hostile, text: str, said: str) -> None:
    response = hostile.post({"query": SEARCH, "variables": {"text": text}})
    message = _errors(response)
    assert said in message
    assert "Unexpected" not in message
    assert hostile.database_answers()


def test_a_long_word_says_so(hostile: Hostile) -> None:
    response = hostile.post({"query": SEARCH, "variables": {"text": "x" * 100}})
    assert f"a word may have {LIMITS.max_search_term_chars}" in _errors(response)


# -- 6: runSavedQuery's row limit --------------------------------------------------------------


def test_a_negative_row_limit_is_refused(hostile: Hostile) -> None:
    query = 'query($n: Int) { runSavedQuery(name: "hub_identifiers", rowLimit: $n) { rowLimit } }'
    response = hostile.post({"query": query, "variables": {"n": -5}}, token=hostile.analyst)
    assert "row limit must be at least 1" in _errors(response)
    assert response.json()["data"] is None
    assert hostile.last()["outcome"] == "refused"


# -- 7: refused documents are audited as refused, with what they asked ------------------------


def _nested(depth: int) -> str:
    # The depth limit counts levels as written, before fields are checked against the schema.
    return "query Deep { " + "me { " * depth + "name" + " }" * depth + " }"


def _aliased(count: int) -> str:
    return "query Aliased { " + " ".join(f"a{i}: me {{ name }}" for i in range(count)) + " }"


@pytest.mark.parametrize(
    ("document", "said"),
    [
        (_nested(LIMITS.max_depth + 1), "exceeds maximum operation depth"),
        (_nested(50), "nests deeper than"),
        (_aliased(5_000), "characters"),
        (_aliased(30), "aliases"),
    ],
)
def test_refused_documents_are_audited_as_refused_with_their_hash(
    hostile: Hostile, document: str, said: str
) -> None:
    response = hostile.post({"query": document, "variables": {"id": "Person:none"}})
    record = hostile.last()
    assert record["outcome"] == "refused"
    assert record["query_sha256"] is not None
    assert record["variables"] == {"id": "Person:none"}
    message = _errors(response) if response.status_code == 200 else response.json()["detail"]
    assert said in message
    assert said in record["message"]


# -- every request, one record ------------------------------------------------------------------


def test_every_request_has_one_audit_record_with_its_true_outcome(hostile: Hostile) -> None:
    viewer = {"Authorization": f"Bearer {hostile.viewer}"}
    sent: list[tuple[str, httpx.Response]] = []
    before = len(hostile.records())
    sent.append(("ok", hostile.post({"query": "{ me { name } }"})))
    sent.append(("ok", hostile.post({"query": SEARCH, "variables": {"text": "Dizon"}})))
    sent.append(("refused", hostile.post({"query": SEARCH, "variables": {"text": "x" * 300}})))
    sent.append(("refused", hostile.post(b"not json at all")))
    sent.append(
        (
            "refused",
            hostile.post(b'{"query": "{ me { name } }"}', headers={"Content-Type": "text/plain"}),
        )
    )
    sent.append(
        ("refused", hostile.post(rb'{"query": "{ me { name } }", "variables": {"x": "\ud800"}}'))
    )
    sent.append(("refused", hostile.post({"query": "{ me { name "})))
    sent.append(("denied", hostile.post({"query": "mutation { startAnalysis { id } }"})))
    sent.append(("denied", httpx.post(f"{hostile.url}/graphql", json={"query": "{ me { name } }"})))
    sent.append(("denied", hostile.post({"query": "{ me { name } }"}, token="lgk_not_a_key")))
    sent.append(
        (
            "refused",
            httpx.get(
                f"{hostile.url}/graphql", params={"query": "{ me {", "x": "1"}, headers=viewer
            ),
        )
    )
    sent.append(("ok", httpx.get(f"{hostile.url}/readyz", headers=viewer)))
    # The same log served by an API whose Neo4j is gone: the request fails, and says so.
    gone = {
        "LINKGRAPH_NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",
        "LINKGRAPH_API_NEO4J_RETRY_S": "0.5",
        "LINKGRAPH_NEO4J_PASSWORD": "unused",
    }
    with api_server(hostile.audit_log, **gone) as broken:
        sent.append(
            (
                "error",
                httpx.post(f"{broken}/graphql", json={"query": "{ me { name } }"}, headers=viewer),
            )
        )
    records = hostile.records()[before:]
    assert len(records) == len(sent)
    outcomes = [record["outcome"] for record in records]
    assert outcomes == [expected for expected, _ in sent], [r.status_code for _, r in sent]
    for record in records:
        assert record["outcome"] == "ok" or record["message"]


def test_the_local_neo4j_bounds_one_transactions_memory(hostile: Hostile) -> None:
    records, _, _ = hostile.driver.execute_query(
        "SHOW SETTINGS YIELD name, value WHERE name = 'db.memory.transaction.max' RETURN value",
        database_=hostile.database,
    )
    assert records
    assert records[0]["value"] not in ("0", "0B", "0.00B")


# -- fuzz: arbitrary arguments and documents, on the real stack -------------------------------

# Every code point, surrogates included: JSON can carry them as escapes.
ANY_TEXT = st.lists(st.integers(0, 0x10FFFF).map(chr), max_size=40).map("".join)
IDS = st.one_of(
    ANY_TEXT,
    st.sampled_from(["Person:", ":", "Phone:+63", "Nope:x", "Person:nid:PH:5173"]),
    ANY_TEXT.map(lambda t: f"Person:{t}"),
)
INTS = st.one_of(st.integers(-5, 300), st.integers(-(2**70), 2**70))
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), INTS, st.floats(allow_nan=False), ANY_TEXT),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(ANY_TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)
CURSORS = st.one_of(
    st.none(),
    ANY_TEXT,
    INTS.map(lambda n: base64.urlsafe_b64encode(f"offset:{n}".encode()).decode()),
)
DATES = st.one_of(
    st.none(),
    ANY_TEXT,
    st.sampled_from(["2026-01-01T00:00:00Z", "2026-13-40", "0000-01-01T00:00:00"]),
)

OPERATIONS: dict[str, tuple[str, dict[str, st.SearchStrategy[Any]]]] = {
    "node": ("query($id: ID!) { node(id: $id) { id } }", {"id": IDS}),
    "search": (
        "query($t: String!, $n: Int!, $c: String, $l: [String!]) "
        "{ search(text: $t, first: $n, after: $c, labels: $l) { nodes { id } } }",
        {"t": ANY_TEXT, "n": INTS, "c": CURSORS, "l": st.none() | st.lists(ANY_TEXT, max_size=3)},
    ),
    "neighbourhood": (
        "query($id: ID!, $d: Int!, $s: DateTime, $u: DateTime, $l: Int!) "
        "{ neighbourhood(id: $id, depth: $d, since: $s, until: $u, limit: $l) { nodes { id } } }",
        {"id": IDS, "d": INTS, "s": DATES, "u": DATES, "l": INTS},
    ),
    "paths": (
        "query($a: ID!, $b: ID!, $h: Int!, $n: Int!) "
        "{ paths(from: $a, to: $b, maxHops: $h, first: $n) { length } }",
        {"a": IDS, "b": IDS, "h": INTS, "n": INTS},
    ),
    "networks": (
        "query($m: Int!, $n: Int!, $c: String, $r: String) "
        "{ networks(minSize: $m, first: $n, after: $c, run: $r) { nodes { id } } }",
        {"m": INTS, "n": INTS, "c": CURSORS, "r": st.none() | ANY_TEXT},
    ),
    "savedQuery": (
        "query($q: String!, $p: JSON, $r: Int) "
        "{ runSavedQuery(name: $q, params: $p, rowLimit: $r) { rowLimit } }",
        {
            "q": st.one_of(ANY_TEXT, st.sampled_from(["hub_identifiers", "person_identifiers"])),
            "p": st.one_of(st.none(), JSON_VALUES),
            "r": st.none() | INTS,
        },
    ),
}


@st.composite
def operations(draw: st.DrawFn) -> dict[str, Any]:
    """One of the schema's reads with arbitrary variables."""
    name = draw(st.sampled_from(sorted(OPERATIONS)))
    document, arguments = OPERATIONS[name]
    variables = {key: draw(strategy) for key, strategy in arguments.items()}
    return {"query": document, "variables": variables}


def _answered_without_fault(response: httpx.Response) -> None:
    assert response.status_code in (200, 400, 413, 415), response.text
    if response.status_code == 200:
        for error in response.json().get("errors") or []:
            assert "Unexpected error" not in error["message"], error


@hypothesis.settings(max_examples=120, deadline=None, derandomize=True, database=None)
@given(request=operations())
def test_fuzzed_arguments_are_answered_and_audited(
    hostile: Hostile, request: dict[str, Any]
) -> None:
    before = len(hostile.records())
    body = json.dumps(request, ensure_ascii=True).encode()  # surrogates travel as escapes
    _answered_without_fault(hostile.post(body, token=hostile.analyst))
    assert len(hostile.records()) == before + 1


@hypothesis.settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    body=st.one_of(
        st.binary(max_size=300),
        ANY_TEXT.map(lambda t: json.dumps({"query": t}).encode()),
        st.lists(
            st.sampled_from(["{", "}", "me", "name", "(", ")", "$", ":", "...", "query", '"']),
            max_size=60,
        ).map(lambda parts: json.dumps({"query": " ".join(parts)}).encode()),
        JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    )
)
def test_fuzzed_bodies_are_refused_or_answered_never_failed(hostile: Hostile, body: bytes) -> None:
    before = len(hostile.records())
    response = hostile.post(body)
    _answered_without_fault(response)
    assert len(hostile.records()) == before + 1
    assert hostile.records()[-1]["outcome"] in ("ok", "refused")


def test_after_the_fuzzing_the_database_and_the_api_still_answer(hostile: Hostile) -> None:
    assert hostile.database_answers()
    assert httpx.get(f"{hostile.url}/healthz", timeout=5).status_code == 200
    ok = hostile.post({"query": "{ me { name } }"})
    assert ok.json()["data"]["me"]["name"] == "Viewer"


def test_a_frozen_database_gets_503_within_the_budget_not_a_hang(
    hostile: Hostile, neo4j_server: LocalNeo4j | None
) -> None:
    if neo4j_server is None or (pid := neo4j_server.pid()) is None:
        pytest.skip("needs the project's own local Neo4j, to freeze it")
    viewer = {"Authorization": f"Bearer {hostile.viewer}"}
    os.kill(pid, signal.SIGSTOP)  # up, connected, answering nothing
    try:
        began = time.monotonic()
        response = hostile.post({"query": "{ me { name } }"})
        took = time.monotonic() - began
        ready = httpx.get(f"{hostile.url}/readyz", headers=viewer, timeout=60)
        alive = httpx.get(f"{hostile.url}/healthz", timeout=5)
    finally:
        os.kill(pid, signal.SIGCONT)
    assert response.status_code == 503
    assert f"did not answer within {BUDGET_S} s" in response.json()["detail"]
    assert took < BUDGET_S + 5
    assert ready.status_code == 503
    assert alive.status_code == 200
    assert hostile.last()["outcome"] == "error"
    # Thawed, the database and the API answer again.
    deadline = time.monotonic() + 60
    while hostile.post({"query": "{ me { name } }"}).status_code != 200:
        assert time.monotonic() < deadline, "the API did not recover after Neo4j thawed"
        time.sleep(1)
    assert hostile.database_answers()
