"""Signing in through an OIDC provider from the login page, in headless Chromium: a real
provider on a loopback port (authorization code with PKCE, signed ID tokens, JWKS), the
real API and the real Neo4j."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from neo4j import Driver

from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from tests.api_server import api_server
from tests.browser import (  # noqa: F401 (the fixtures)
    CSRF_COOKIE_JS,
    FETCH_FROM,
    browser_fixture,
    cookies,
    page_fixture,
    post_graphql,
)
from tests.conftest import wipe

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.neo4j

ISSUER = "https://idp.example.org/realms/investigations"
CLIENT_ID = "linkgraph-browser"
PROVIDER = "Test IdP"


@dataclass
class Provider:
    """An OIDC provider that signs in whoever `person` says, at once (no form)."""

    key: rsa.RSAPrivateKey
    url: str = ""
    person: dict[str, Any] = field(default_factory=dict)
    # code -> (PKCE challenge, nonce, redirect URI) of the sign-ins it started
    codes: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    redeemed: list[str] = field(default_factory=list)

    def id_token(self, nonce: str) -> str:
        """A signed ID token for `person`, carrying `nonce`."""
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": CLIENT_ID, "iat": now, "exp": now + 300, "nonce": nonce}
        return jwt.encode({**claims, **self.person}, self.key, "RS256", headers={"kid": "k1"})


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
    jwks = {"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}

    class Handler(BaseHTTPRequestHandler):
        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == "/certs":
                self._json(200, jwks)
                return
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            assert parts.path == "/authorize"
            assert query["client_id"] == CLIENT_ID
            assert query["response_type"] == "code"
            assert query["code_challenge_method"] == "S256"
            code = secrets.token_urlsafe(16)
            provider.codes[code] = (query["code_challenge"], query["nonce"], query["redirect_uri"])
            back = urlencode({"code": code, "state": query["state"]})
            self.send_response(302)
            self.send_header("Location", f"{query['redirect_uri']}?{back}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            started = provider.codes.pop(form.get("code", ""), None)
            if started is None or form.get("client_id") != CLIENT_ID:
                self._json(400, {"error": "invalid_grant"})
                return
            challenge, nonce, redirect_uri = started
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            proof = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if proof != challenge or form.get("redirect_uri") != redirect_uri:
                self._json(400, {"error": "invalid_grant"})
                return
            provider.redeemed.append(form["code"])
            self._json(200, {"id_token": provider.id_token(nonce), "token_type": "Bearer"})

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    """The provider, serving on a loopback port."""
    running = Provider(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(running))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    running.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield running
    server.shutdown()
    server.server_close()


@dataclass
class Site:
    """The API, configured to sign in through the provider, and its audit log."""

    url: str
    audit_log: Path

    def records(self) -> list[dict[str, Any]]:
        """The audit log's records, oldest first."""
        return [json.loads(line) for line in self.audit_log.read_text().splitlines()]


@pytest.fixture(scope="module")
def site(
    driver: Driver,
    settings: Settings,
    provider: Provider,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Site]:
    """An empty graph with the schema, and the API signing in through the provider."""
    wipe(driver, settings.neo4j_database)
    apply_schema(driver, load_model(settings.model_dir), settings.neo4j_database)
    audit_log = tmp_path_factory.mktemp("audit") / "audit.jsonl"
    environment = {
        "LINKGRAPH_OIDC_ISSUER": ISSUER,
        "LINKGRAPH_OIDC_AUDIENCE": CLIENT_ID,
        "LINKGRAPH_OIDC_JWKS_URL": f"{provider.url}/certs",
        "LINKGRAPH_OIDC_ROLE_CLAIM": "groups",
        "LINKGRAPH_OIDC_ROLE_MAP": json.dumps({"lg-analysts": "analyst"}),
        "LINKGRAPH_API_OIDC_AUTHORIZE_URL": f"{provider.url}/authorize",
        "LINKGRAPH_API_OIDC_TOKEN_URL": f"{provider.url}/token",
        "LINKGRAPH_API_OIDC_PROVIDER_NAME": PROVIDER,
    }
    with api_server(audit_log, **environment) as url:
        yield Site(url=url, audit_log=audit_log)


def sign_in(page: Page, site: Site) -> None:
    """Open the login form and follow "Sign in with" through the provider and back."""
    page.goto(f"{site.url}/login?{urlencode({'next': FETCH_FROM})}")
    page.get_by_role("link", name=f"Sign in with {PROVIDER}").click()
    page.wait_for_load_state()


def test_sign_in_through_the_provider_opens_a_session(
    page: Page, site: Site, provider: Provider
) -> None:
    provider.person = {"sub": "u-42", "preferred_username": "ana.reyes", "groups": ["lg-analysts"]}
    sign_in(page, site)
    page.wait_for_url(f"{site.url}{FETCH_FROM}")
    assert len(provider.redeemed) == 1  # the code was redeemed once, with its PKCE verifier
    jar = cookies(page)
    assert jar["lg_session"]["httpOnly"] is True
    assert jar["lg_session"]["sameSite"] == "Strict"
    assert "lg_oidc" not in jar  # the sign-in's own cookie is gone
    answer = post_graphql(page, "{ me { name role } }", page.evaluate(CSRF_COOKIE_JS))
    assert json.loads(answer["body"])["data"]["me"] == {"name": "ana.reyes", "role": "analyst"}
    records = site.records()
    signed_in = [r for r in records if r["operation"] == "login oidc" and r["outcome"] == "ok"]
    assert signed_in[-1]["who"] == {"key_id": "oidc:u-42", "name": "ana.reyes", "role": "analyst"}
    assert records[-1]["who"]["via"] == "session"
    # Logout ends it like any session.
    old = jar["lg_session"]["value"]
    page.evaluate(
        "async (t) => fetch('/logout', {method: 'POST', headers: {'X-CSRF-Token': t}})",
        jar["lg_csrf"]["value"],
    )
    replayed = httpx.post(
        f"{site.url}/graphql",
        json={"query": "{ me { name } }"},
        cookies={"lg_session": old},
        headers={"X-CSRF-Token": jar["lg_csrf"]["value"]},
    )
    assert replayed.status_code == 401


def test_a_person_without_a_linkgraph_role_is_refused(
    page: Page, site: Site, provider: Provider
) -> None:
    provider.person = {"sub": "u-7", "preferred_username": "guest", "groups": ["staff"]}
    with page.expect_response(lambda r: "/login/oidc/callback" in r.url) as answer:
        sign_in(page, site)
    assert answer.value.status == 401
    assert "gave no valid token with a linkgraph role" in page.get_by_role("alert").inner_text()
    assert "lg_session" not in cookies(page)
    assert site.records()[-1]["outcome"] == "denied"
    assert site.records()[-1]["message"] == "login oidc refused: no valid ID token with a role"


def test_a_callback_this_browser_did_not_start_is_refused(page: Page, site: Site) -> None:
    # Someone else's code and state, handed to this browser (login CSRF).
    response = page.goto(f"{site.url}/login/oidc/callback?code=stolen&state=theirs")
    assert response is not None
    assert response.status == 403
    assert "did not start here" in page.get_by_role("alert").inner_text()
    assert "lg_session" not in cookies(page)
    assert site.records()[-1]["outcome"] == "refused"
