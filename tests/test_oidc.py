"""OIDC bearer tokens against a real JWKS endpoint on a loopback port; the bearer dispatch."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from neo4j import Driver

from api.keys import ApiKeyStore, Principal
from api.oidc import OidcVerifier, authenticate_bearer
from api.roles import Role
from core.settings import Settings

ISSUER = "https://idp.example.org/realms/unit"
AUDIENCE = "linkgraph-api"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return _key()


@pytest.fixture(scope="module")
def jwks_url(signing_key: rsa.RSAPrivateKey) -> Iterator[str]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/certs"
    server.shutdown()
    server.server_close()


@pytest.fixture
def verifier(jwks_url: str) -> OidcVerifier:
    return OidcVerifier(
        issuer=ISSUER,
        audience=AUDIENCE,
        jwks_url=jwks_url,
        role_claim="groups",
        role_map={"lg-readers": "viewer", "lg-analysts": "analyst", "lg-admins": "admin"},
    )


def _token(key: Any, kid: str = "k1", algorithm: str = "RS256", **claims: Any) -> str:
    now = int(time.time())
    body = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "u-42",
        "preferred_username": "ana.reyes",
        "iat": now,
        "exp": now + 300,
        "groups": ["lg-analysts", "staff"],
        **claims,
    }
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode(body, key, algorithm=algorithm, headers={"kid": kid})


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def _forged(algorithm: str, secret: bytes) -> str:
    # Made by hand: PyJWT itself refuses to sign these (an HMAC keyed with a public
    # key, the classic algorithm-confusion attack; and an unsigned token).
    header = _b64(json.dumps({"alg": algorithm, "kid": "k1", "typ": "JWT"}).encode())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "u-42", "exp": int(time.time()) + 300}
    signing_input = header + b"." + _b64(json.dumps({**claims, "groups": ["lg-admins"]}).encode())
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest() if secret else b""
    return (signing_input + b"." + _b64(signature)).decode()


def test_a_valid_token_maps_to_its_highest_role(
    verifier: OidcVerifier, signing_key: rsa.RSAPrivateKey
) -> None:
    assert verifier.authenticate(_token(signing_key)) == Principal(
        "oidc:u-42", "ana.reyes", Role.ANALYST
    )
    both = _token(signing_key, groups=["lg-readers", "lg-admins"])
    assert verifier.authenticate(both) == Principal("oidc:u-42", "ana.reyes", Role.ADMIN)
    single = _token(signing_key, groups="lg-readers", preferred_username=None, email="a@x.org")
    assert verifier.authenticate(single) == Principal("oidc:u-42", "a@x.org", Role.VIEWER)


def test_bad_tokens_are_refused(verifier: OidcVerifier, signing_key: rsa.RSAPrivateKey) -> None:
    public_pem = signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    refused = {
        "another audience": _token(signing_key, aud="other-service"),
        "another issuer": _token(signing_key, iss="https://evil.example.org"),
        "expired": _token(signing_key, exp=int(time.time()) - 120),
        "no expiry": _token(signing_key, exp=None),
        "no subject": _token(signing_key, sub=None),
        "no mapped group": _token(signing_key, groups=["staff"]),
        "no group claim": _token(signing_key, groups=None),
        "signed by another key": _token(_key()),
        "an unknown key id": _token(_key(), kid="k2"),
        "HMAC with the public key": _forged("HS256", public_pem),
        "unsigned": _forged("none", b""),
        "not a JWT": "a.b.c",
    }
    for why, token in refused.items():
        assert verifier.authenticate(token) is None, why


def test_oidc_is_off_unless_fully_configured(jwks_url: str) -> None:
    assert OidcVerifier.from_settings(Settings()) is None
    configured = Settings(oidc_issuer=ISSUER, oidc_audience=AUDIENCE, oidc_jwks_url=jwks_url)
    verifier = OidcVerifier.from_settings(configured)
    assert verifier is not None
    assert verifier.role_claim == "roles"
    with pytest.raises(ValueError, match="LINKGRAPH_OIDC_ISSUER needs LINKGRAPH_OIDC_AUDIENCE"):
        Settings(oidc_issuer=ISSUER)


@pytest.mark.neo4j
def test_bearer_tokens_go_to_keys_or_oidc(
    empty_graph: Driver,
    settings: Settings,
    verifier: OidcVerifier,
    signing_key: rsa.RSAPrivateKey,
) -> None:
    keys = ApiKeyStore(empty_graph, settings.neo4j_database)
    key = keys.create("Front end", Role.VIEWER)
    token = _token(signing_key)
    assert authenticate_bearer(key.token, keys, verifier) == Principal(
        key.id, "Front end", Role.VIEWER
    )
    assert authenticate_bearer(token, keys, verifier) == Principal(
        "oidc:u-42", "ana.reyes", Role.ANALYST
    )
    assert authenticate_bearer(token, keys, None) is None  # OIDC not configured
    assert authenticate_bearer("garbage", keys, verifier) is None
