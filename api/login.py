"""The browser login: a form at `/login` that turns an API key into a session cookie, and logout.

`GET /login` shows the form with a CSRF token, set also as the `lg_login_csrf`
cookie; `POST /login` checks that the two match (a form posted from another site
carries neither), checks the key, opens a session (`api/sessions.py`) and sends the browser
on to `next`, a path of this site only. `POST /logout` ends the session. The
middleware audits each of them, with the outcome and the key these routes name.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from html import escape
from typing import Annotated
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from api.context import RequestAudit, Services, blocking
from api.keys import ApiKeyError
from api.middleware import LOGIN_PATH, OIDC_LOGIN_PATH
from api.oidc import OidcSignIn
from api.sessions import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, OpenedSession, Session

# Where a login without a (valid) `next` lands: the explorer.
DEFAULT_NEXT = "/explore/"
MAX_NEXT_CHARS = 2_000
FORM_TYPE = "application/x-www-form-urlencoded"
# The form's own CSRF token, apart from a session's `lg_csrf`: showing the form to a
# person already logged in must not change the token their open pages send.
LOGIN_CSRF_COOKIE = "lg_login_csrf"
# Pages of the login: never cached, never framed (clickjacking), no script at all.
PAGE_HEADERS = {
    "cache-control": "no-store",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "content-security-policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}

router = APIRouter()

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · linkgraph</title>
<style>
  body {{ font: 16px/1.5 system-ui, sans-serif; background: #f4f5f7; color: #1b1f24;
         margin: 0; display: flex; min-height: 100vh; align-items: center;
         justify-content: center; }}
  main {{ background: #fff; padding: 2rem 2.5rem; border-radius: 8px; width: min(26rem, 90vw);
         box-shadow: 0 1px 4px rgba(0, 0, 0, .15); }}
  h1 {{ font-size: 1.4rem; margin: 0 0 1rem; }}
  label {{ display: block; font-weight: 600; margin-bottom: .3rem; }}
  input[type=password] {{ width: 100%; box-sizing: border-box; padding: .55rem;
         font: inherit; border: 1px solid #58606b; border-radius: 4px; }}
  button {{ margin-top: 1rem; padding: .55rem 1.4rem; font: inherit; font-weight: 600;
         color: #fff; background: #0b5cad; border: 0; border-radius: 4px; cursor: pointer; }}
  :focus-visible {{ outline: 3px solid #e08600; outline-offset: 2px; }}
  .error {{ color: #a4161a; font-weight: 600; }}
  .hint {{ color: #4a525c; font-size: .9rem; }}
  .provider {{ margin-top: 1.5rem; border-top: 1px solid #d5d9de; padding-top: 1rem; }}
  a {{ color: #0b5cad; font-weight: 600; }}
</style>
</head>
<body>
<main>
<h1>Sign in to linkgraph</h1>
{message}
<form method="post" action="{action}">
  <input type="hidden" name="csrf" value="{csrf}">
  <input type="hidden" name="next" value="{next}">
  <label for="key">API key</label>
  <input type="password" id="key" name="key" required autocomplete="off"
         spellcheck="false" aria-describedby="key-hint{error_ref}" autofocus>
  <p id="key-hint" class="hint">The key you were given (<code>lg_…</code>); create one with
  <code>linkgraph apikey create</code>.</p>
  <button type="submit">Sign in</button>
</form>
{provider}
</main>
</body>
</html>
"""


@dataclass(frozen=True)
class LoginForm:
    """The fields of a posted login form (empty when absent)."""

    key: str
    csrf: str
    next: str


def safe_next(value: str | None) -> str:
    """`value` when it is a path of this site, else `DEFAULT_NEXT`.

    Only a relative path starting with a single "/" is kept: "//evil.example" and
    "/\\evil.example" are read by browsers as another host, and a scheme
    ("https:", "javascript:") is another site or a script.
    """
    if not value or len(value) > MAX_NEXT_CHARS:
        return DEFAULT_NEXT
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return DEFAULT_NEXT
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return DEFAULT_NEXT
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return DEFAULT_NEXT
    return value


def _secure(request: Request) -> bool:
    # Secure cookies whenever the API itself is reached over TLS.
    return request.url.scheme == "https"


def login_page(request: Request, next_path: str, message: str | None, status: int) -> Response:
    """The form, with a fresh CSRF token in a hidden field and in the `lg_login_csrf` cookie."""
    csrf = secrets.token_urlsafe(32)
    shown = ""
    if message:
        shown = f'<p id="login-error" class="error" role="alert">{escape(message)}</p>'
    provider = ""
    sign_in: OidcSignIn | None = request.app.state.oidc_sign_in
    if sign_in is not None:
        href = f"{OIDC_LOGIN_PATH}?{urlencode({'next': next_path})}"
        provider = (
            f'<p class="provider"><a href="{escape(href)}">'
            f"Sign in with {escape(sign_in.provider)}</a></p>"
        )
    body = _PAGE.format(
        message=shown,
        provider=provider,
        action=LOGIN_PATH,
        csrf=escape(csrf),
        next=escape(next_path),
        error_ref=" login-error" if message else "",
    )
    response = HTMLResponse(body, status, headers=PAGE_HEADERS)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        csrf,
        path=LOGIN_PATH,
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    return response


async def _form(request: Request) -> LoginForm:
    """The posted form's fields; a body of another type counts as an empty form."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fields: dict[str, list[str]] = {}
    if kind == FORM_TYPE:
        text = (await request.body()).decode("utf-8", "replace")
        fields = parse_qs(text, max_num_fields=20)

    def field(name: str) -> str:
        return fields.get(name, [""])[0]

    return LoginForm(key=field("key").strip(), csrf=field("csrf"), next=field("next"))


def set_session_cookies(request: Request, response: Response, opened: OpenedSession) -> None:
    """Give the browser the session's cookie (HttpOnly) and its CSRF token (readable)."""
    age = request.app.state.services.api.session_ttl_s
    secure = _secure(request)
    response.set_cookie(
        SESSION_COOKIE,
        opened.token,
        max_age=age,
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )
    response.set_cookie(
        CSRF_COOKIE, opened.csrf, max_age=age, path="/", secure=secure, samesite="strict"
    )


@router.get(LOGIN_PATH, response_class=HTMLResponse)
async def show_login(
    request: Request, next_path: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    """The login form; after it, the browser goes on to `next` (a path of this site)."""
    return login_page(request, safe_next(next_path), None, 200)


@router.post(LOGIN_PATH)
async def log_in(request: Request) -> Response:
    """Check the form's CSRF token and API key; open a session and go on to `next`."""
    services: Services = request.app.state.services
    audit: RequestAudit = request.state.audit
    audit.operation = "login"
    form = await _form(request)
    next_path = safe_next(form.next)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not (form.csrf and expected and hmac.compare_digest(form.csrf, expected)):
        audit.outcome, audit.message = "refused", "login: the form's CSRF token is not its cookie's"
        message = "This form has expired or was sent from another site. Please sign in again."
        return login_page(request, next_path, message, 403)
    principal = await blocking(services.keys.authenticate, form.key) if form.key else None
    if principal is None:
        # Every failed login is in the audit log: a run of them is someone guessing.
        request.state.principal = None
        audit.outcome, audit.message = "denied", "login refused: invalid API key"
        message = "That API key is not valid: it is unknown, mistyped or revoked."
        return login_page(request, next_path, message, 401)
    try:
        opened = await blocking(services.sessions.open, principal)
    except ApiKeyError:  # revoked between the two reads
        audit.outcome, audit.message = "denied", "login refused: the key was just revoked"
        return login_page(request, next_path, "That API key has been revoked.", 401)
    request.state.principal = principal
    response = RedirectResponse(next_path, 303, headers={"cache-control": "no-store"})
    set_session_cookies(request, response, opened)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    return response


@router.post("/logout")
async def log_out(request: Request) -> Response:
    """End the session (CSRF token in the header or the form's `csrf`), clear its cookies
    and go to the login page."""
    services: Services = request.app.state.services
    audit: RequestAudit = request.state.audit
    audit.operation = "logout"
    session: Session | None = request.state.session
    if session is not None:
        given = request.headers.get(CSRF_HEADER) or (await _form(request)).csrf
        if not session.csrf_matches(given):
            audit.outcome, audit.message = "refused", f"logout: missing or wrong {CSRF_HEADER}"
            detail = f"log out with the session's CSRF token (the {CSRF_HEADER} header)"
            return JSONResponse({"detail": detail}, 403)
        await blocking(services.sessions.close, session.session_id)
    response = RedirectResponse(LOGIN_PATH, 303, headers={"cache-control": "no-store"})
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", secure=_secure(request), samesite="strict")
    return response


@router.get("/")
async def home() -> RedirectResponse:
    """The explorer is the API's front page."""
    return RedirectResponse(DEFAULT_NEXT, 303)
