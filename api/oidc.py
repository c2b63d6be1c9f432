"""OIDC/JWT bearer tokens, as an alternative to API keys, and the one bearer check.

A token is accepted only when its signature verifies against the issuer's
published keys (JWKS, fetched and cached by PyJWT), it names the configured issuer
and audience, it has not expired, and a role claim maps to a linkgraph role.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import jwt

from api.keys import TOKEN_PREFIX, ApiKeyStore, Principal
from api.roles import Role
from core.settings import Settings

# Asymmetric algorithms only: with an HMAC algorithm allowed, a token "signed" with
# the issuer's public key as a shared secret would verify.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA")
LEEWAY_S = 30  # clock skew tolerated on exp/nbf/iat


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

    def authenticate(self, token: str) -> Principal | None:
        """The principal a valid token stands for, or None (bad, expired, foreign, no role)."""
        try:
            key = self._jwks.get_signing_key_from_jwt(token)
            claims = jwt.decode(
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
        role = self.role_of(claims)
        if role is None:
            return None
        subject = str(claims["sub"])
        name = claims.get("preferred_username") or claims.get("email") or subject
        return Principal(key_id=f"oidc:{subject}", name=str(name), role=role)


def authenticate_bearer(
    token: str, keys: ApiKeyStore, oidc: OidcVerifier | None = None
) -> Principal | None:
    """Who a bearer token stands for: an API key (`lg_...`), else an OIDC JWT if configured."""
    if token.startswith(TOKEN_PREFIX):
        return keys.authenticate(token)
    if oidc is not None and token.count(".") == 2:
        return oidc.authenticate(token)
    return None
