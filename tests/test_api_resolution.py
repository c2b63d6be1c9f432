"""Entity resolution over the GraphQL API, served by a real uvicorn, on the demo investigation
resolved in the real Neo4j: the review queue and its explanations, identities, judging
(roles, same, different, undo, undo a merge, split), the audit of judgements, and search,
neighbourhood and paths through identities."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError
from neo4j import Driver

from api.keys import ApiKeyStore
from api.roles import Role
from api.schema_resolution import AUDIT_KEY, MAX_SPLIT_RECORDS
from core.settings import Settings
from graph_schema.loader import GraphModel
from resolution.judgements import MAX_REASON_CHARS
from resolution.run import run_resolution
from resolution.settings import ResolutionSettings
from tests.api_server import api_server, ask, load_demo_graph

pytestmark = pytest.mark.neo4j

# Ramon Dizon (demo/data/truth.json): a national id with his phones, and a passport
# with a wallet, that resolution merges automatically.
RAMON_NID = "nid:PH:5173745908136669"
RAMON_PASSPORT = "passport:PH:P1066580H"
RAMON_WALLET = "tron:THYwqFuvXWNME8dZnj2cxgJRbZuZxm7Gro"

IDENTITY = """
query($id: ID!) {
  identity(id: $id) {
    id name names automatic identifiers documents sources
    records { id key }
    links { a b how probability judgement }
    judgements { id a b verdict reason by origin batch undoneAt undoneBy }
  }
}"""

QUEUE = """
query($first: Int!, $after: String) {
  reviewQueue(first: $first, after: $after) {
    nodes {
      a { id key } b { id key }
      probability matchWeight value
      explanation { comparison level matchWeight }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""

JUDGE = """
mutation($a: ID!, $b: ID!, $verdict: Verdict!, $reason: String!) {
  judge(a: $a, b: $b, verdict: $verdict, reason: $reason) {
    id a b verdict reason by origin batch undoneAt undoneBy
  }
}"""

UNDO = "mutation($id: ID!) { undoJudgement(id: $id) { id a b verdict by undoneAt undoneBy } }"


@dataclass
class Resolved:
    """The running API on the resolved demo graph, its keys and its audit log."""

    url: str
    viewer: str
    analyst: str
    audit_log: Path
    driver: Driver
    database: str
    model: GraphModel

    def one(self, cypher: str, **params: object) -> list[dict[str, Any]]:
        """Ground truth straight from Neo4j, to compare the API with."""
        records, _, _ = self.driver.execute_query(cypher, params, database_=self.database)
        return [dict(r) for r in records]

    def identity(self, record: str) -> dict[str, Any]:
        """The API's identity of `record`."""
        found: dict[str, Any] = ask(self.url, self.viewer, IDENTITY, id=record)["identity"]
        return found

    def members(self, record: str) -> set[str]:
        """The keys of the records of `record`'s identity, as the API gives them."""
        return {r["key"] for r in self.identity(record)["records"]}

    def judge(self, a: str, b: str, verdict: str, reason: str = "test") -> dict[str, Any]:
        """Judge a pair as the analyst."""
        made: dict[str, Any] = ask(
            self.url, self.analyst, JUDGE, a=a, b=b, verdict=verdict, reason=reason
        )["judge"]
        return made

    def undo(self, target: str) -> list[dict[str, Any]]:
        """Undo a judgement or a batch as the analyst."""
        undone: list[dict[str, Any]] = ask(self.url, self.analyst, UNDO, id=target)["undoJudgement"]
        return undone

    def judgements(self) -> int:
        """Judgement nodes stored, undone ones too."""
        return int(self.one("MATCH (j:Judgement) RETURN count(j) AS n")[0]["n"])

    def automatic_pairs(self) -> list[tuple[str, str]]:
        """The automatic merges, most probable first."""
        rows = self.one(
            "MATCH (c:MatchCandidate {status: 'auto'}) "
            "RETURN c.a AS a, c.b AS b ORDER BY c.probability DESC, c.a, c.b"
        )
        return [(str(r["a"]), str(r["b"])) for r in rows]


@pytest.fixture(scope="module")
def res(
    driver: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Resolved]:
    """The demo investigation loaded, analysed and resolved; a viewer and an analyst key."""
    database = settings.neo4j_database
    model = load_demo_graph(driver, settings, tmp_path_factory.mktemp("rejects"))
    run_resolution(driver, model, database, ResolutionSettings())
    store = ApiKeyStore(driver, database)
    audit_log = tmp_path_factory.mktemp("audit") / "audit.jsonl"
    data_dir = tmp_path_factory.mktemp("data")
    with api_server(audit_log, LINKGRAPH_DATA_DIR=str(data_dir)) as url:
        yield Resolved(
            url=url,
            viewer=store.create("Viewer front end", Role.VIEWER).token,
            analyst=store.create("Analyst", Role.ANALYST).token,
            audit_log=audit_log,
            driver=driver,
            database=database,
            model=model,
        )


def _model_parameters(res: Resolved) -> dict[str, Any]:
    rows = res.one(
        "MATCH (r:ResolutionRun {status: 'completed'}) "
        "RETURN r.parameters AS p ORDER BY r.ended_at DESC LIMIT 1"
    )
    model: dict[str, Any] = json.loads(str(rows[0]["p"]))["model"]
    return model


# -- the review queue ------------------------------------------------------------------


def test_the_review_queue_explains_each_pair_and_puts_the_most_valuable_first(
    res: Resolved,
) -> None:
    pairs = ask(res.url, res.viewer, QUEUE, first=200)["reviewQueue"]["nodes"]
    assert pairs
    model = _model_parameters(res)
    comparisons = [c["output_column_name"] for c in model["comparisons"]]
    prior = float(model["probability_two_random_records_match"])
    prior_weight = math.log2(prior / (1 - prior))
    thresholds = ResolutionSettings()
    for pair in pairs:
        terms = pair["explanation"]
        assert [t["comparison"] for t in terms] == comparisons
        assert all(t["level"] for t in terms)
        # The weights of evidence add up: prior + each comparison = the pair's weight.
        explained = prior_weight + sum(t["matchWeight"] for t in terms)
        assert explained == pytest.approx(pair["matchWeight"], abs=0.05), pair
        assert thresholds.review_probability <= pair["probability"]
        assert pair["probability"] < thresholds.merge_probability
        assert pair["a"]["id"] == f"Person:{pair['a']['key']}"
        # Waiting pairs are never already one identity.
        assert pair["b"]["key"] not in res.members(pair["a"]["key"])
    values = [p["value"] for p in pairs]
    assert values == sorted(values, reverse=True)
    stored = res.one("MATCH (c:MatchCandidate {status: 'review'}) RETURN count(c) AS n")[0]["n"]
    assert 0 < len(pairs) <= stored


def test_review_queue_pages_do_not_overlap(res: Resolved) -> None:
    first = ask(res.url, res.viewer, QUEUE, first=3)["reviewQueue"]
    assert first["pageInfo"]["hasNextPage"]
    second = ask(res.url, res.viewer, QUEUE, first=3, after=first["pageInfo"]["endCursor"])
    keys = [(p["a"]["key"], p["b"]["key"]) for p in first["nodes"]]
    more = [(p["a"]["key"], p["b"]["key"]) for p in second["reviewQueue"]["nodes"]]
    assert len(keys) == 3
    assert more
    assert not set(keys) & set(more)
    whole = ask(res.url, res.viewer, QUEUE, first=6)["reviewQueue"]["nodes"]
    assert [(p["a"]["key"], p["b"]["key"]) for p in whole] == (keys + more)[:6]


# -- identities -------------------------------------------------------------------------


def test_the_identity_of_a_record_lists_every_record_of_that_human(res: Resolved) -> None:
    found = res.identity(RAMON_NID)
    assert str(found["id"]).startswith("identity:")
    keys = {r["key"] for r in found["records"]}
    assert {RAMON_NID, RAMON_PASSPORT} <= keys
    assert {r["id"] for r in found["records"]} == {f"Person:{k}" for k in keys}
    assert {RAMON_NID, RAMON_PASSPORT} <= set(found["documents"])
    assert "Ramon Dizon" in found["names"]
    assert found["name"] == "Ramon Dizon"
    assert found["automatic"] is True
    assert {"telco_subscribers", "exchange_kyc"} <= set(found["sources"])
    assert f"Wallet:{RAMON_WALLET}" in found["identifiers"]
    assert any(
        link["how"] == "score" and {link["a"], link["b"]} <= {f"Person:{k}" for k in keys}
        for link in found["links"]
    )
    # The same identity by the other record, by its API id, and by the identity's own id.
    assert res.identity(RAMON_PASSPORT)["id"] == found["id"]
    assert res.identity(f"Person:{RAMON_PASSPORT}")["id"] == found["id"]
    assert res.members(found["id"]) == keys
    stored = res.one(
        "MATCH (p:Person {id: $id}) MATCH (i:Identity {id: p.identity}) RETURN i.members AS m",
        id=RAMON_NID,
    )
    assert set(stored[0]["m"]) == keys


def test_a_person_shows_its_identity(res: Resolved) -> None:
    query = (
        "query($id: ID!) { node(id: $id) { ... on Person { identity { id records { key } } } } }"
    )
    got = ask(res.url, res.viewer, query, id=f"Person:{RAMON_PASSPORT}")["node"]["identity"]
    assert got["id"] == res.identity(RAMON_NID)["id"]
    assert RAMON_NID in {r["key"] for r in got["records"]}
    alone = res.one(
        "MATCH (p:Person) WHERE p.identity IS NULL RETURN p.id AS id ORDER BY p.id LIMIT 1"
    )[0]["id"]
    lone = ask(res.url, res.viewer, query, id=f"Person:{alone}")["node"]
    assert lone["identity"] is None
    shown = res.identity(str(alone))
    assert shown["id"] is None
    assert [r["key"] for r in shown["records"]] == [alone]
    for unknown in ["nid:XX:no-such-person", "", "Person:", "identity:nope", "\u0000" * 300]:
        assert ask(res.url, res.viewer, IDENTITY, id=unknown)["identity"] is None


# -- judging ---------------------------------------------------------------------------


def test_a_viewer_may_not_judge(res: Resolved) -> None:
    before = res.judgements()
    mutations: list[tuple[str, dict[str, Any]]] = [
        (JUDGE, {"a": RAMON_NID, "b": RAMON_PASSPORT, "verdict": "DIFFERENT", "reason": "x"}),
        (UNDO, {"id": "j-none"}),
        (
            'mutation($a: ID!, $b: ID!) { undoMerge(a: $a, b: $b, reason: "x") { id } }',
            {"a": RAMON_NID, "b": RAMON_PASSPORT},
        ),
        (
            'mutation($r: [ID!]!) { splitIdentity(records: $r, reason: "x") { id } }',
            {"r": [RAMON_NID]},
        ),
    ]
    for document, variables in mutations:
        with pytest.raises(TransportQueryError, match="needs analyst"):
            ask(res.url, res.viewer, document, **variables)
    assert res.judgements() == before
    assert RAMON_PASSPORT in res.members(RAMON_NID)


def test_judging_a_pair_the_same_joins_them_and_undoing_it_parts_them(res: Resolved) -> None:
    top = ask(res.url, res.viewer, QUEUE, first=1)["reviewQueue"]["nodes"][0]
    a, b = top["a"]["key"], top["b"]["key"]
    assert b not in res.members(a)
    made = res.judge(f"Person:{a}", b, "SAME", reason="same phone, same face on the KYC photo")
    assert made["verdict"] == "SAME"
    assert made["by"] == "Analyst"
    assert made["origin"] == "judge"
    assert {made["a"], made["b"]} == {f"Person:{a}", f"Person:{b}"}
    assert made["undoneAt"] is None
    joined = res.identity(a)
    assert {a, b} <= {r["key"] for r in joined["records"]}
    assert res.identity(b)["id"] == joined["id"]
    assert any(link["judgement"] == made["id"] for link in joined["links"])
    assert made["id"] in [j["id"] for j in joined["judgements"]]
    queue = ask(res.url, res.viewer, QUEUE, first=200)["reviewQueue"]["nodes"]
    assert (a, b) not in [(p["a"]["key"], p["b"]["key"]) for p in queue]

    (undone,) = res.undo(made["id"])
    assert undone["id"] == made["id"]
    assert undone["undoneBy"] == "Analyst"
    assert undone["undoneAt"] is not None
    assert b not in res.members(a)
    history = {j["id"]: j for j in res.identity(a)["judgements"]}
    assert history[made["id"]]["undoneBy"] == "Analyst"
    with pytest.raises(TransportQueryError, match="no judgement in force"):
        res.undo(made["id"])


def test_a_different_judgement_splits_an_automatic_merge_and_a_new_run_keeps_it(
    res: Resolved,
) -> None:
    a, b = next(p for p in res.automatic_pairs() if RAMON_NID not in p and RAMON_PASSPORT not in p)
    assert b in res.members(a)
    made = res.judge(a, b, "DIFFERENT", reason="different mothers' names on the two documents")
    try:
        assert made["verdict"] == "DIFFERENT"
        assert b not in res.members(a)
        # A new scoring run scores the pair as high as before, and still keeps them apart.
        run_resolution(res.driver, res.model, res.database, ResolutionSettings())
        assert (a, b) in res.automatic_pairs()
        assert b not in res.members(a)
        assert a not in res.members(b)
    finally:
        res.undo(made["id"])
    assert b in res.members(a)


def test_undoing_an_automatic_merge_is_itself_undoable(res: Resolved) -> None:
    a, b = [p for p in res.automatic_pairs() if RAMON_NID not in p and RAMON_PASSPORT not in p][1]
    query = (
        "mutation($a: ID!, $b: ID!, $r: String!) { undoMerge(a: $a, b: $b, reason: $r) "
        "{ id a b verdict origin by } }"
    )
    made = ask(res.url, res.analyst, query, a=f"Person:{b}", b=f"Person:{a}", r="two people")[
        "undoMerge"
    ]
    try:
        assert made["verdict"] == "DIFFERENT"
        assert made["origin"] == "undo-merge"
        assert made["by"] == "Analyst"
        assert b not in res.members(a)
    finally:
        res.undo(made["id"])
    assert b in res.members(a)
    review = ask(res.url, res.viewer, QUEUE, first=1)["reviewQueue"]["nodes"][0]
    with pytest.raises(TransportQueryError, match="not an automatic merge"):
        ask(res.url, res.analyst, query, a=review["a"]["id"], b=review["b"]["id"], r="x")


def test_splitting_an_identity_takes_records_out_in_one_undoable_batch(res: Resolved) -> None:
    rows = res.one(
        "MATCH (i:Identity) WHERE size(i.members) = 3 "
        "RETURN i.members AS members, i.links AS links ORDER BY i.id"
    )
    # A record whose two companions are joined without it: they stay one identity.
    members, out = next(
        (sorted(row["members"]), m)
        for row in rows
        for m in sorted(row["members"])
        if any(m not in (link["a"], link["b"]) for link in json.loads(row["links"]))
    )
    rest = [m for m in members if m != out]
    query = (
        'mutation($r: [ID!]!) { splitIdentity(records: $r, reason: "another man") '
        "{ id a b verdict origin batch by } }"
    )
    made = ask(res.url, res.analyst, query, r=[f"Person:{out}"])["splitIdentity"]
    assert len(made) == len(rest)
    assert {j["verdict"] for j in made} == {"DIFFERENT"}
    assert {j["origin"] for j in made} == {"split"}
    (batch,) = {j["batch"] for j in made}
    assert batch
    try:
        assert res.members(rest[0]) == set(rest)
        assert res.members(out) == {out}
        assert res.identity(out)["id"] is None
    finally:
        undone = res.undo(batch)
    assert len(undone) == len(rest)
    assert res.members(out) == set(members)


def test_judging_refusals_are_clear_errors(res: Resolved) -> None:
    before = res.judgements()
    split = (
        "mutation($r: [ID!]!, $why: String!) { splitIdentity(records: $r, reason: $why) { id } }"
    )
    too_many = [f"nid:XX:{n}" for n in range(MAX_SPLIT_RECORDS + 1)]
    with pytest.raises(TransportQueryError, match=f"a split may take out {MAX_SPLIT_RECORDS}"):
        ask(res.url, res.analyst, split, r=too_many, why="x")
    with pytest.raises(TransportQueryError, match="not in the identity"):
        ask(res.url, res.analyst, split, r=[RAMON_NID, "nid:TH:1345538526324"], why="x")
    with pytest.raises(TransportQueryError, match=f"a reason may have {MAX_REASON_CHARS}"):
        res.judge(RAMON_NID, RAMON_PASSPORT, "SAME", reason="x" * (MAX_REASON_CHARS + 1))
    with pytest.raises(TransportQueryError, match="needs a reason"):
        res.judge(RAMON_NID, RAMON_PASSPORT, "SAME", reason="   ")
    with pytest.raises(TransportQueryError, match="against itself"):
        res.judge(RAMON_NID, f"Person:{RAMON_NID}", "SAME")
    with pytest.raises(TransportQueryError, match="no person with id"):
        res.judge(RAMON_NID, "nid:XX:no-such-person", "SAME")
    assert res.judgements() == before


def test_the_audit_log_holds_who_judged_what(res: Resolved) -> None:
    a, b = RAMON_NID, RAMON_PASSPORT
    # Arguments written into the document, not sent as variables, are recorded too.
    document = (
        f'mutation {{ judge(a: "{a}", b: "{b}", verdict: UNSURE, reason: "audit check") {{ id }} }}'
    )
    made = ask(res.url, res.analyst, document)["judge"]
    # A client cannot put words in the record's mouth under the server's key.
    forged = {AUDIT_KEY: [{"field": "judge", "a": "someone else"}]}
    ask(res.url, res.analyst, UNDO, id=made["id"], **forged)
    records = [json.loads(line) for line in res.audit_log.read_text().splitlines()]
    judged = [r for r in records if r["operation"] == "judge" and r["outcome"] == "ok"]
    assert judged
    last = judged[-1]
    assert last["who"]["name"] == "Analyst"
    assert last["who"]["role"] == "analyst"
    noted = last["variables"][AUDIT_KEY]
    assert noted == [
        {"field": "judge", "a": a, "b": b, "verdict": "unsure", "reason": "audit check"}
    ]
    assert {f"Person:{a}", f"Person:{b}"} <= set(last["entities"])
    undone = [r for r in records if r["operation"] == "undoJudgement"][-1]
    assert undone["variables"]["id"] == made["id"]
    assert undone["variables"][AUDIT_KEY] == [{"field": "undoJudgement", "id": made["id"]}]
    denied = [r for r in records if r["outcome"] == "denied" and r["operation"] == "judge"]
    assert any(r["who"]["name"] == "Viewer front end" for r in denied)


# -- search, neighbourhood and paths through identities ---------------------------------


def test_search_finds_a_resolved_person_once(res: Resolved) -> None:
    identity = res.identity(RAMON_NID)["id"]
    # Both records match the words: without identities, the search would return both.
    matching = res.one(
        "CALL db.index.fulltext.queryNodes('lg_search', 'ramon* AND dizon*') YIELD node "
        "WHERE node.identity = $identity RETURN count(node) AS n",
        identity=identity,
    )
    assert matching[0]["n"] >= 2
    query = (
        "query($t: String!) { search(text: $t, first: 50) "
        "{ nodes { id ... on Person { identity { id } } } } }"
    )
    hits = ask(res.url, res.viewer, query, t="Ramon Dizon")["search"]["nodes"]
    ramon = [h for h in hits if (h.get("identity") or {}).get("id") == identity]
    assert len(ramon) == 1
    assert ramon[0]["id"] in {f"Person:{RAMON_NID}", f"Person:{RAMON_PASSPORT}"}
    # Found by one record's key, the identity is not found again by name.
    by_key = ask(res.url, res.viewer, query, t=RAMON_PASSPORT)["search"]["nodes"]
    assert by_key[0]["id"] == f"Person:{RAMON_PASSPORT}"
    assert [h["id"] for h in by_key].count(f"Person:{RAMON_NID}") == 0


def test_the_neighbourhood_of_a_record_is_that_of_its_identity(res: Resolved) -> None:
    def neighbours(key: str) -> set[str]:
        rows = res.one(
            "MATCH (:Person {id: $id})--(x) RETURN DISTINCT labels(x)[0] + ':' + x.id AS id",
            id=key,
        )
        return {str(r["id"]) for r in rows}

    keys = res.members(RAMON_NID)
    members = {f"Person:{k}" for k in keys}
    of_passport = neighbours(RAMON_PASSPORT) - members
    # The passport's record has neighbours the national id's record has not.
    assert of_passport - neighbours(RAMON_NID)
    query = (
        "query($id: ID!) { neighbourhood(id: $id, depth: 1, limit: 500) "
        "{ centre truncated nodes { id } edges { source target } } }"
    )
    hood = ask(res.url, res.viewer, query, id=f"Person:{RAMON_NID}")["neighbourhood"]
    ids = [n["id"] for n in hood["nodes"]]
    assert ids[0] == f"Person:{RAMON_NID}"
    assert set(hood["centre"]) == members
    assert set(ids[: len(members)]) == members
    assert len(ids) == len(set(ids))
    expected = set().union(*(neighbours(k) for k in keys)) - members
    assert set(ids) - members == expected
    drawn = set(ids)
    assert all(e["source"] in drawn and e["target"] in drawn for e in hood["edges"])
    assert not hood["truncated"]


def test_paths_start_from_any_record_of_the_identity(res: Resolved) -> None:
    wallet = f"Wallet:{RAMON_WALLET}"
    direct = res.one(
        "MATCH (:Person {id: $id})--(w:Wallet {id: $w}) RETURN count(*) AS n",
        id=RAMON_NID,
        w=RAMON_WALLET,
    )
    assert direct[0]["n"] == 0  # the national id's record does not hold the wallet
    query = (
        "query($from: ID!, $to: ID!) { paths(from: $from, to: $to, maxHops: 4, first: 3) "
        "{ length nodes { id } } }"
    )
    routes = ask(res.url, res.viewer, query, **{"from": f"Person:{RAMON_NID}", "to": wallet})[
        "paths"
    ]
    assert routes
    assert routes[0]["length"] == 1
    assert [n["id"] for n in routes[0]["nodes"]] == [f"Person:{RAMON_PASSPORT}", wallet]
    lengths = [r["length"] for r in routes]
    assert lengths == sorted(lengths)
    members = {f"Person:{k}" for k in res.members(RAMON_NID)}
    for route in routes:
        # Never through another record of the same human.
        assert not members & {n["id"] for n in route["nodes"][1:-1]}
