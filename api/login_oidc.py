"""Signing in through the OIDC provider from the login page (when it is configured).

`GET /login/oidc?next=` sends the browser to the provider with a fresh `state`,
`nonce` and PKCE challenge, remembered in a short-lived HttpOnly cookie. The
provider sends the browser back to `GET /login/oidc/callback?code=&state=`: the
state must be the cookie's, the code is redeemed (with the PKCE verifier) for an ID
token, and the token must pass the checks of an OIDC bearer token (`api/oidc.py`:
signature, issuer, audience, expiry, a role claim) and carry the nonce sent. Then a
session opens as for an API key, named `oidc:<sub>` in the audit log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import asdict, dataclass
from html import escape
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from api.context import RequestAudit, Services, blocking
from api.login import PAGE_HEADERS, login_page, safe_next, set_session_cookies
from api.middleware import OIDC_CALLBACK_PATH, OIDC_LOGIN_PATH
from api.oidc import OidcSignIn

# The sign-in in flight; SameSite=Lax, because the provider's redirect back is a
# navigation from another site, which never carries a Strict cookie.
FLOW_COOKIE = "lg_oidc"
FLOW_TTL_S = 600

router = APIRouter()

# The session's cookies are Strict, so they are not sent on the rest of a redirect chain
# that began at the provider: this page moves on from this site itself.
_CONTINUE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={next}">
<title>Signed in · linkgraph</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; margin: 2rem; color: #1b1f24">
<p>Signed in. <a href="{next}">Continue</a>.</p>
</body></html>
"""


@dataclass(frozen=True)
class Flow:
    """One sign-in in flight: what the callback must see again, and where it leads."""

    state: str
    nonce: str
    verifier: str
    next: str

    def encoded(self) -> str:
        """The flow as a cookie value."""
        return base64.urlsafe_b64encode(json.dumps(asdict(self)).encode()).decode()

    @classmethod
    def decoded(cls, value: str | None) -> Flow | None:
        """The flow a cookie value holds, or None when it is absent or not one."""
        if not value:
            return None
        try:
            fields = json.loads(base64.urlsafe_b64decode(value.encode()))
            return cls(**{name: str(fields[name]) for name in cls.__dataclass_fields__})
        except (ValueError, KeyError, TypeError):
            return None


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _callback_url(request: Request) -> str:
    return f"{str(request.base_url).rstrip('/')}{OIDC_CALLBACK_PATH}"


def _sign_in(request: Request) -> OidcSignIn | None:
    sign_in: OidcSignIn | None = request.app.state.oidc_sign_in
    return sign_in


@router.get(OIDC_LOGIN_PATH, include_in_schema=False)
async def start_sign_in(
    request: Request, next_path: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    """Send the browser to the provider to sign in."""
    sign_in = _sign_in(request)
    request.state.audit.operation = "login oidc"
    if sign_in is None:
        return JSONResponse({"detail": "no OIDC provider is configured for signing in"}, 404)
    flow = Flow(
        state=secrets.token_urlsafe(24),
        nonce=secrets.token_urlsafe(24),
        verifier=secrets.token_urlsafe(48),
        next=safe_next(next_path),
    )
    target = sign_in.authorization(
        _callback_url(request), flow.state, flow.nonce, _challenge(flow.verifier)
    )
    response = RedirectResponse(target, 303, headers={"cache-control": "no-store"})
    response.set_cookie(
        FLOW_COOKIE,
        flow.encoded(),
        max_age=FLOW_TTL_S,
        path=OIDC_LOGIN_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )
    return response


@router.get(OIDC_CALLBACK_PATH, include_in_schema=False)
async def finish_sign_in(request: Request) -> Response:
    """Check the provider's answer; open a session and go on to `next`."""
    services: Services = request.app.state.services
    audit: RequestAudit = request.state.audit
    audit.operation = "login oidc"
    sign_in = _sign_in(request)
    if sign_in is None:
        return JSONResponse({"detail": "no OIDC provider is configured for signing in"}, 404)
    flow = Flow.decoded(request.cookies.get(FLOW_COOKIE))
    state = request.query_params.get("state", "")
    if flow is None or not hmac.compare_digest(state, flow.state):
        audit.outcome, audit.message = "refused", "login oidc: the state is not this browser's"
        message = "This sign-in expired or did not start here. Please sign in again."
        return _refused(request, "/explore/" if flow is None else flow.next, message, 403)
    if "error" in request.query_params or "code" not in request.query_params:
        reason = request.query_params.get("error", "no code")
        audit.outcome, audit.message = "denied", f"login oidc refused by the provider: {reason}"
        message = f"{sign_in.provider} did not sign you in ({reason})."
        return _refused(request, flow.next, message, 401)
    token = await blocking(
        sign_in.redeem, request.query_params["code"], flow.verifier, _callback_url(request)
    )
    claims = await blocking(sign_in.verifier.verified_claims, token) if token else None
    nonce = str(claims.get("nonce", "")) if claims is not None else ""
    principal = None
    if claims is not None and hmac.compare_digest(nonce, flow.nonce):
        principal = sign_in.verifier.principal(claims)
    if principal is None:
        # No token, a token that does not verify or replays another sign-in's nonce, or
        # a person the provider knows but who has no linkgraph role.
        audit.outcome, audit.message = "denied", "login oidc refused: no valid ID token with a role"
        message = (
            f"{sign_in.provider} signed you in, but gave no valid token with a linkgraph role."
        )
        return _refused(request, flow.next, message, 401)
    opened = await blocking(services.sessions.open, principal)
    request.state.principal = principal
    page = _CONTINUE.format(next=escape(flow.next))
    response = HTMLResponse(
        page,
        headers={
            **PAGE_HEADERS,
            "content-security-policy": (
                "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
            ),
        },
    )
    set_session_cookies(request, response, opened)
    response.delete_cookie(FLOW_COOKIE, path=OIDC_LOGIN_PATH)
    return response


def _refused(request: Request, next_path: str, message: str, status: int) -> Response:
    response = login_page(request, next_path, message, status)
    response.delete_cookie(FLOW_COOKIE, path=OIDC_LOGIN_PATH)
    return response
