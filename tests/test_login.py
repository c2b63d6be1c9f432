"""The browser login in real headless Chromium, against the API serving the demo data on
the real Neo4j: log in, GraphiQL after login, CSRF, logout, expiry, revocation, `next`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import httpx
import phonenumbers
import pytest
from neo4j import Driver

from api.keys import ApiKeyStore, CreatedKey
from api.login import DEFAULT_NEXT, safe_next
from api.roles import Role
from core.settings import Settings
from tests.api_server import api_server, load_demo_graph
from tests.browser import (  # noqa: F401 (the fixtures)
    CSRF_COOKIE_JS,
    FETCH_FROM,
    browser_fixture,
    cookies,
    page_fixture,
    post_graphql,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.neo4j

WRONG_KEY = "lg_0123456789abcdef_" + "x" * 43
# A query typed into GraphiQL on one line (its editor closes brackets as they are typed).
SEARCH = '{ search(text: "%s") { nodes { id } } }'


@dataclass
class Site:
    """The running API, its keys, its audit log and the database behind it."""

    url: str
    analyst: CreatedKey
    viewer: CreatedKey
    store: ApiKeyStore
    audit_log: Path
    driver: Driver
    database: str
    phone: str  # a demo phone's id (E.164)
    phone_national: str  # the same number as a person in the Philippines writes it

    def records(self) -> list[dict[str, Any]]:
        """The audit log's records, oldest first."""
        return [json.loads(line) for line in self.audit_log.read_text().splitlines()]

    def session_node(self, token: str) -> dict[str, Any] | None:
        """The stored session a cookie's token opens (None when there is none)."""
        records, _, _ = self.driver.execute_query(
            "MATCH (s:ApiSession {id: $id}) RETURN s.key_id AS key_id, "
            "s.created_at AS created_at, s.expires_at AS expires_at, properties(s) AS all",
            id=hashlib.sha256(token.encode()).hexdigest(),
            database_=self.database,
        )
        return dict(records[0]) if records else None


@pytest.fixture(scope="module")
def site(
    driver: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The demo investigation, two keys, and the API serving it."""
    database = settings.neo4j_database
    load_demo_graph(driver, settings, tmp_path_factory.mktemp("rejects"))
    store = ApiKeyStore(driver, database)
    records, _, _ = driver.execute_query(
        "MATCH (p:Phone) WHERE p.country = 'PH' AND p.id STARTS WITH '+639' "
        "RETURN p.id AS id ORDER BY p.id LIMIT 1",
        database_=database,
    )
    phone = str(records[0]["id"])
    national = phonenumbers.format_number(
        phonenumbers.parse(phone), phonenumbers.PhoneNumberFormat.NATIONAL
    )
    audit_log = tmp_path_factory.mktemp("audit") / "audit.jsonl"
    with api_server(audit_log) as url:
        yield Site(
            url=url,
            analyst=store.create("Ana (analyst)", Role.ANALYST),
            viewer=store.create("Vic (viewer)", Role.VIEWER),
            store=store,
            audit_log=audit_log,
            driver=driver,
            database=database,
            phone=phone,
            phone_national=national,
        )


def log_in(page: Page, site: Site, token: str, next_path: str | None = None) -> int:
    """Fill in and send the login form; the status of the form's answer."""
    query = f"?{urlencode({'next': next_path})}" if next_path is not None else ""
    page.goto(f"{site.url}/login{query}")
    page.get_by_label("API key").fill(token)
    with page.expect_response(
        lambda r: r.url == f"{site.url}/login" and r.request.method == "POST"
    ) as answer:
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return answer.value.status


# -- the login form and redirects -------------------------------------------------------


def test_a_browser_without_a_session_is_sent_to_the_login_form(site: Site) -> None:
    page_request = httpx.get(f"{site.url}/graphql", headers={"Accept": "text/html"})
    assert page_request.status_code == 303
    assert page_request.headers["location"] == "/login?next=%2Fgraphql"
    home = httpx.get(f"{site.url}/?x=1", headers={"Accept": "text/html"})
    assert home.headers["location"] == "/login?next=%2F%3Fx%3D1"
    # An API client (no HTML asked for) keeps its JSON answer.
    api_request = httpx.post(f"{site.url}/graphql", json={"query": "{ me { name } }"})
    assert api_request.status_code == 401
    assert api_request.json() == {"detail": "no API key: send `Authorization: Bearer <key>`"}
    # With a key, `/` is the explorer.
    keyed = httpx.get(f"{site.url}/", headers={"Authorization": f"Bearer {site.viewer.token}"})
    assert keyed.status_code == 303
    assert keyed.headers["location"] == DEFAULT_NEXT
    form = httpx.get(f"{site.url}/login?next=/graphql")
    assert form.status_code == 200
    assert '<label for="key">API key</label>' in form.text
    assert 'name="next" value="/graphql"' in form.text
    assert form.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in form.headers["content-security-policy"]
    assert "Sign in with" not in form.text  # no OIDC provider configured here
    csrf = form.cookies["lg_login_csrf"]
    assert f'name="csrf" value="{csrf}"' in form.text
    assert "lg_csrf" not in form.cookies  # a session's token is another cookie


def test_log_in_sets_a_strict_http_only_session_cookie(page: Page, site: Site) -> None:
    page.goto(f"{site.url}/graphql")
    assert page.url == f"{site.url}/login?next=%2Fgraphql"

    assert log_in(page, site, WRONG_KEY, "/graphql") == 401
    alert = page.get_by_role("alert")
    assert "That API key is not valid" in alert.inner_text()
    assert "lg_session" not in cookies(page)

    before = dt.datetime.now(dt.UTC)
    assert log_in(page, site, site.analyst.token, "/graphql") == 303
    assert page.url == f"{site.url}/graphql"
    jar = cookies(page)
    session, csrf = jar["lg_session"], jar["lg_csrf"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Strict"
    assert session["secure"] is False  # plain HTTP here: Secure only over TLS
    assert session["path"] == "/"
    # Max-Age is the session's lifetime (8 h by default), and the server holds the same.
    lifetime = dt.datetime.fromtimestamp(session["expires"], dt.UTC) - before
    assert abs(lifetime.total_seconds() - 8 * 3600) < 60
    assert csrf["httpOnly"] is False
    assert csrf["sameSite"] == "Strict"
    stored = site.session_node(session["value"])
    assert stored is not None
    assert stored["key_id"] == site.analyst.id
    assert (stored["expires_at"].to_native() - stored["created_at"].to_native()) == dt.timedelta(
        hours=8
    )
    # Only hashes are stored: neither token appears in the node.
    assert session["value"] not in json.dumps(stored["all"], default=str)
    assert csrf["value"] not in json.dumps(stored["all"], default=str)

    logins = [r for r in site.records() if r["operation"] == "login"]
    assert logins[-2]["outcome"] == "denied"
    assert logins[-2]["who"] == "anonymous"
    assert logins[-2]["message"] == "login refused: invalid API key"
    assert logins[-1]["outcome"] == "ok"
    assert logins[-1]["who"]["key_id"] == site.analyst.id


def test_the_cookies_are_secure_when_the_api_is_reached_over_tls(site: Site) -> None:
    # A TLS-terminating proxy on this machine says so in X-Forwarded-Proto.
    tls = {"X-Forwarded-Proto": "https"}
    form = httpx.get(f"{site.url}/login", headers=tls)
    assert "secure" in form.headers["set-cookie"].lower()
    csrf = form.cookies["lg_login_csrf"]
    answer = httpx.post(
        f"{site.url}/login",
        data={"key": site.viewer.token, "csrf": csrf, "next": "/graphql"},
        headers={**tls, "Cookie": f"lg_login_csrf={csrf}"},
    )
    assert answer.status_code == 303
    set_cookies = {
        line.split("=", 1)[0]: line.lower() for line in answer.headers.get_list("set-cookie")
    }
    assert "; secure" in set_cookies["lg_session"]
    assert "; httponly" in set_cookies["lg_session"]
    assert "samesite=strict" in set_cookies["lg_session"]
    assert "; secure" in set_cookies["lg_csrf"]
    assert "httponly" not in set_cookies["lg_csrf"]
    # Over plain HTTP (as in every other test here) they are not marked Secure.
    plain = httpx.get(f"{site.url}/login")
    assert "secure" not in plain.headers["set-cookie"].lower()


def test_graphiql_runs_a_typed_query_after_login(page: Page, site: Site) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(site.url) else None,
    )
    log_in(page, site, site.analyst.token, "/graphql")
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    editor.wait_for()
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(SEARCH % site.phone_national)
    page.keyboard.press("Escape")  # close any completion list
    page.locator(".graphiql-execute-button").click()
    response = page.locator(".graphiql-response")
    response.get_by_text(f"Phone:{site.phone}").wait_for()
    assert '"data"' in response.inner_text()
    # React, GraphiQL and their styles all came from this server.
    assert outside == []
    # The audit names the person's key, and that it came through a browser session.
    searched = [
        r
        for r in site.records()
        if r["operation"] == "search" and f"Phone:{site.phone}" in (r["entities"] or [])
    ]
    assert searched
    assert searched[-1]["who"] == {
        "key_id": site.analyst.id,
        "name": "Ana (analyst)",
        "role": "analyst",
        "via": "session",
    }
    assert searched[-1]["variables"] == {}


# -- CSRF ------------------------------------------------------------------------------


def test_a_post_without_the_csrf_token_is_refused(page: Page, site: Site) -> None:
    log_in(page, site, site.analyst.token, FETCH_FROM)
    query = "{ me { name role } }"
    missing = post_graphql(page, query, None)
    assert missing["status"] == 403
    assert "x-csrf-token" in json.loads(missing["body"])["detail"]
    assert post_graphql(page, query, "not-the-token")["status"] == 403
    # Showing the login form again leaves the session's token as it was.
    page.goto(f"{site.url}/login")
    page.goto(f"{site.url}{FETCH_FROM}")
    token = page.evaluate(CSRF_COOKIE_JS)
    allowed = post_graphql(page, query, token)
    assert allowed["status"] == 200
    assert json.loads(allowed["body"])["data"]["me"] == {"name": "Ana (analyst)", "role": "analyst"}
    refused = [r for r in site.records() if r["message"] == "missing or wrong x-csrf-token header"]
    assert len(refused) >= 2
    assert refused[-1]["outcome"] == "refused"
    assert refused[-1]["who"]["key_id"] == site.analyst.id
    # A GET changes nothing and needs no token; a bearer key needs none either.
    read = page.evaluate(
        "async () => (await fetch('/graphql?query=' + encodeURIComponent('{ me { name } }')))"
        ".status"
    )
    assert read == 200
    keyed = httpx.post(
        f"{site.url}/graphql",
        json={"query": query},
        headers={"Authorization": f"Bearer {site.viewer.token}"},
    )
    assert keyed.json()["data"]["me"]["role"] == "viewer"


def test_a_login_form_from_another_site_is_refused(site: Site) -> None:
    # A page elsewhere can post the form, but cannot read or set the lg_csrf cookie.
    forged = httpx.post(
        f"{site.url}/login",
        data={"key": site.analyst.token, "csrf": "guessed", "next": "/graphql"},
    )
    assert forged.status_code == 403
    assert "lg_session" not in forged.cookies
    assert "expired or was sent from another site" in forged.text
    assert site.records()[-1]["outcome"] == "refused"


def test_roles_apply_to_a_session(page: Page, site: Site) -> None:
    log_in(page, site, site.viewer.token, FETCH_FROM)
    token = page.evaluate(CSRF_COOKIE_JS)
    answer = post_graphql(page, '{ runSavedQuery(name: "hub_identifiers") { columns } }', token)
    assert "needs analyst" in answer["body"]
    assert site.records()[-1]["outcome"] == "denied"
    assert site.records()[-1]["who"]["role"] == "viewer"


# -- the end of a session ---------------------------------------------------------------


def test_log_out_ends_the_session(page: Page, site: Site) -> None:
    log_in(page, site, site.analyst.token, FETCH_FROM)
    old = cookies(page)
    token = old["lg_csrf"]["value"]
    # Logout too needs the token: another site cannot log a person out.
    refused = page.evaluate(
        "async () => (await fetch('/logout', {method: 'POST', redirect: 'manual'})).status"
    )
    assert refused == 403
    assert site.session_node(old["lg_session"]["value"]) is not None

    landed = page.evaluate(
        "async (token) => { const r = await fetch('/logout', "
        "{method: 'POST', headers: {'X-CSRF-Token': token}}); return [r.status, r.url]; }",
        token,
    )
    assert landed == [200, f"{site.url}/login"]
    assert "lg_session" not in cookies(page)
    assert site.session_node(old["lg_session"]["value"]) is None
    # The old cookie, replayed with its CSRF token, is refused.
    replayed = httpx.post(
        f"{site.url}/graphql",
        json={"query": "{ me { name } }"},
        cookies={"lg_session": old["lg_session"]["value"], "lg_csrf": token},
        headers={"X-CSRF-Token": token},
    )
    assert replayed.status_code == 401
    assert replayed.json()["detail"].startswith("session expired or ended")
    assert site.records()[-1]["outcome"] == "denied"
    assert site.records()[-1]["message"] == "session expired or ended"
    page.goto(f"{site.url}/graphql")
    assert page.url == f"{site.url}/login?next=%2Fgraphql"


def test_an_expired_session_is_refused(page: Page, site: Site) -> None:
    log_in(page, site, site.analyst.token, "/graphql")
    session = cookies(page)["lg_session"]["value"]
    assert post_graphql(page, "{ me { name } }", page.evaluate(CSRF_COOKIE_JS))["status"] == 200
    # The browser still holds the cookie; the server's expiry is what counts.
    site.driver.execute_query(
        "MATCH (s:ApiSession {id: $id}) SET s.expires_at = datetime() - duration('PT1S')",
        id=hashlib.sha256(session.encode()).hexdigest(),
        database_=site.database,
    )
    answer = post_graphql(page, "{ me { name } }", page.evaluate(CSRF_COOKIE_JS))
    assert answer["status"] == 401
    assert "session expired or ended" in answer["body"]
    page.goto(f"{site.url}/graphql")
    assert page.url == f"{site.url}/login?next=%2Fgraphql"


def test_revoking_the_key_ends_its_sessions(page: Page, site: Site) -> None:
    key = site.store.create("Temporary desk", Role.ANALYST)
    log_in(page, site, key.token, FETCH_FROM)
    assert post_graphql(page, "{ me { name } }", page.evaluate(CSRF_COOKIE_JS))["status"] == 200
    assert site.store.revoke(key.id)
    answer = post_graphql(page, "{ me { name } }", page.evaluate(CSRF_COOKIE_JS))
    assert answer["status"] == 401
    assert log_in(page, site, key.token) == 401
    assert "That API key is not valid" in page.get_by_role("alert").inner_text()


# -- where a login leads -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("/graphql", "/graphql"),
        ("/explore/?focus=Phone%3A%2B639171234567#x", "/explore/?focus=Phone%3A%2B639171234567#x"),
        ("https://evil.example/", DEFAULT_NEXT),
        ("//evil.example/path", DEFAULT_NEXT),
        ("/\\evil.example", DEFAULT_NEXT),
        ("javascript:alert(1)", DEFAULT_NEXT),
        ("graphql", DEFAULT_NEXT),
        ("/\ngraphql", DEFAULT_NEXT),
        ("", DEFAULT_NEXT),
        (None, DEFAULT_NEXT),
    ],
)
def test_next_is_a_path_of_this_site_or_the_explorer(given: str | None, kept: str) -> None:
    assert safe_next(given) == kept


@pytest.mark.parametrize(
    "next_path", ["https://evil.example/", "//evil.example/x", "/\\evil.example/"]
)
def test_a_login_never_leads_to_another_site(page: Page, site: Site, next_path: str) -> None:
    assert log_in(page, site, site.viewer.token, next_path) == 303
    page.wait_for_url(f"{site.url}/explore/**")
    assert page.url.startswith(f"{site.url}/explore/")
