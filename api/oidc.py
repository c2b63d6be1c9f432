"""OIDC/JWT bearer tokens, as an alternative to API keys, and the one bearer check.

A token is accepted only when its signature verifies against the issuer's
published keys (JWKS, fetched and cached by PyJWT), it names the configured issuer
and audience, it has not expired, and a role claim maps to a linkgraph role.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field

import jwt

from api.keys import TOKEN_PREFIX, ApiKeyStore, Principal
from api.roles import Role
from api.settings import ApiSettings
from core.settings import Settings

# Asymmetric algorithms only: with an HMAC algorithm allowed, a token "signed" with
# the issuer's public key as a shared secret would verify.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA")
LEEWAY_S = 30  # clock skew tolerated on exp/nbf/iat
# What an OIDC principal's key id starts with: `oidc:<sub>`.
OIDC_PREFIX = "oidc:"


@dataclass(frozen=True)
class OidcVerifier:
    """Verifies an issuer's JWTs and maps a claim to a role."""

    issuer: str
    audience: str
    jwks_url: str
    role_claim: str = "roles"
    role_map: Mapping[str, str] = field(
        default_factory=lambda: {role.value: role.value for role in Role}
    )
    _jwks: jwt.PyJWKClient = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The client caches the key set and refetches it for an unknown `kid`, so a
        # key rotation at the issuer needs no restart.
        object.__setattr__(self, "_jwks", jwt.PyJWKClient(self.jwks_url, timeout=5))

    @classmethod
    def from_settings(cls, settings: Settings) -> OidcVerifier | None:
        """The verifier the settings describe, or None when OIDC is not configured."""
        if not (settings.oidc_issuer and settings.oidc_audience and settings.oidc_jwks_url):
            return None
        return cls(
            issuer=settings.oidc_issuer,
            audience=settings.oidc_audience,
            jwks_url=settings.oidc_jwks_url,
            role_claim=settings.oidc_role_claim,
            role_map=dict(settings.oidc_role_map),
        )

    def role_of(self, claims: Mapping[str, object]) -> Role | None:
        """The highest role the role claim maps to (None if none does)."""
        value = claims.get(self.role_claim)
        values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        roles = [
            Role(self.role_map[v]) for v in values if isinstance(v, str) and v in self.role_map
        ]
        return max(roles) if roles else None

    def verified_claims(self, token: str) -> dict[str, object] | None:
        """The claims of a token whose signature, issuer, audience and expiry check out."""
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims: dict[str, object] = jwt.decode(
                token,
                key.key,
                algorithms=list(ALGORITHMS),
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_S,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError:
            return None
        return claims

    def authenticate(self, token: str) -> Principal | None:
        """The principal a valid token stands for, or None (bad, expired, foreign, no role)."""
        claims = self.verified_claims(token)
        return self.principal(claims) if claims is not None else None

    def principal(self, claims: Mapping[str, object]) -> Principal | None:
        """Who verified `claims` name, or None when no role claim maps to a role."""
        role = self.role_of(claims)
        if role is None:
            return None
        subject = str(claims["sub"])
        name = claims.get("preferred_username") or claims.get("email") or subject
        return Principal(key_id=f"{OIDC_PREFIX}{subject}", name=str(name), role=role)


@dataclass(frozen=True)
class OidcSignIn:
    """The login page's "Sign in with <provider>": the authorization code flow with PKCE.

    The provider authenticates the person and hands back a code, which this server
    redeems at the token endpoint for an ID token; that token is then checked by the
    verifier like a bearer token, and its nonce against the one this sign-in sent.
    """

    verifier: OidcVerifier
    authorize_url: str
    token_url: str
    client_secret: str | None = None
    provider: str = "your identity provider"

    @classmethod
    def from_settings(cls, verifier: OidcVerifier | None, api: ApiSettings) -> OidcSignIn | None:
        """The sign-in the settings describe, or None unless OIDC and both endpoints are set."""
        if verifier is None or not (api.oidc_authorize_url and api.oidc_token_url):
            return None
        for url in (api.oidc_authorize_url, api.oidc_token_url):
            if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"the OIDC endpoint {url!r} is not an http(s) URL")
        return cls(
            verifier=verifier,
            authorize_url=api.oidc_authorize_url,
            token_url=api.oidc_token_url,
            client_secret=api.oidc_client_secret,
            provider=api.oidc_provider_name,
        )

    def authorization(self, redirect_uri: str, state: str, nonce: str, challenge: str) -> str:
        """The provider's URL that starts a sign-in (the PKCE challenge is S256)."""
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.verifier.audience,
                "redirect_uri": redirect_uri,
                "scope": "openid profile email",
                "state": state,
                "nonce": nonce,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        joiner = "&" if urllib.parse.urlsplit(self.authorize_url).query else "?"
        return f"{self.authorize_url}{joiner}{query}"

    def redeem(self, code: str, code_verifier: str, redirect_uri: str) -> str | None:
        """The ID token the provider gives for `code`, or None (refused, unreachable, no token)."""
        fields = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": self.verifier.audience,
            "code_verifier": code_verifier,
        }
        if self.client_secret:
            fields["client_secret"] = self.client_secret
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked to be http(s)
            self.token_url,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                answer = json.loads(response.read(1_000_000))
        except (urllib.error.URLError, OSError, ValueError):
            return None
        token = answer.get("id_token") if isinstance(answer, dict) else None
        return token if isinstance(token, str) else None


def authenticate_bearer(
    token: str, keys: ApiKeyStore, oidc: OidcVerifier | None = None
) -> Principal | None:
    """Who a bearer token stands for: an API key (`lg_...`), else an OIDC JWT if configured."""
    if token.startswith(TOKEN_PREFIX):
        return keys.authenticate(token)
    if oidc is not None and token.count(".") == 2:
        return oidc.authenticate(token)
    return None
