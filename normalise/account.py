"""Online accounts: a platform plus a canonical handle (the ``account`` kind)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from normalise.errors import NormaliseError
from normalise.platforms import (
    PLATFORM_ALIASES,
    PLATFORM_HOSTS,
    PLATFORMS,
    WHATSAPP_JID,
    HandleError,
    Platform,
)
from normalise.text import as_text, drop_format, json_type

_KIND = "account"

# Sub-domains that serve the same profiles as the bare domain.
_HOST_PREFIXES = ("www.", "m.", "mobile.", "web.", "mbasic.", "touch.", "vm.")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_BARE_URL_RE = re.compile(r"(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}/\S*")
_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True, slots=True)
class Account:
    """An account on a known platform.

    Attributes:
        platform: canonical platform name, e.g. ``"telegram"``.
        handle: canonical handle (case-folded only where the platform is case-insensitive;
            E.164 for phone-based platforms such as WhatsApp).
        id: ``f"{platform}:{handle}"``, the node key.
        raw: the input exactly as given.
    """

    platform: str
    handle: str
    id: str
    raw: str


def canonical_platform(platform: str) -> str:
    """Map a platform name or alias ("fb", "Twitter", "t.me", ...) to its canonical name.

    Raises:
        NormaliseError: for an unknown platform.
    """
    key = " ".join(platform.strip().casefold().split())
    if key not in PLATFORM_ALIASES:
        raise NormaliseError(_KIND, platform, f"unknown platform {platform!r}")
    return PLATFORM_ALIASES[key]


def normalise_account(
    raw: str, platform: str | None = None, *, region: str | None = None
) -> Account:
    """Normalise a handle, ``@handle`` or profile URL on a known platform.

    ``"@SomeUser"``, ``"someuser"`` and ``"https://t.me/SomeUser"`` all give the same account.
    With ``platform`` None the platform is read from a profile URL's host, or is ``email`` for
    an email address or ``mailto:`` link; a bare handle without a platform is rejected.
    ``region`` is the default phone region for phone-based platforms (WhatsApp, Viber, Signal
    numbers). Per-platform case and character rules are in :mod:`normalise.platforms`.

    Raises:
        NormaliseError: for an unknown platform, an unrecognised URL, or an invalid handle.
    """
    if not isinstance(raw, str):
        raise NormaliseError(_KIND, raw, f"expected a string, got {type(raw).__name__}")
    as_text(raw, _KIND)
    if platform is not None and not isinstance(platform, str):
        raise NormaliseError(
            _KIND, raw, f"the platform must be a string, not a JSON {json_type(platform)}"
        )
    wanted = None if platform is None or not platform.strip() else _platform_for(raw, platform)
    # Invisible characters (bidirectional controls...) would let one handle display as another.
    text = drop_format(unicodedata.normalize("NFKC", raw)).strip()
    if not text:
        raise NormaliseError(_KIND, raw, "empty")

    try:
        if text[:7].casefold() == "mailto:":
            row, handle = PLATFORMS["email"], unquote(text[7:].split("?", 1)[0])
        elif _SCHEME_RE.match(text) or _BARE_URL_RE.fullmatch(text):
            row, handle = _from_url(text)
        elif wanted is not None:
            row, handle = PLATFORMS[wanted], text
        elif WHATSAPP_JID.fullmatch(text):
            # Shaped like an e-mail address, but a WhatsApp account's own id.
            row, handle = PLATFORMS["whatsapp"], text
        elif _EMAIL_SHAPE.fullmatch(text):
            row, handle = PLATFORMS["email"], text
        else:
            raise HandleError("no platform given and none can be told from the value")

        if wanted is not None and row.name != wanted:
            raise HandleError(f"a {row.name} value, not {wanted}")
        if row.strip_at and handle.startswith("@"):
            handle = handle[1:]
        if row.name == "reddit":
            handle = handle.removeprefix("/").removeprefix("u/")
        canonical = row.handle(handle, region)
        if any(unicodedata.category(ch) == "Cc" for ch in canonical):
            # A percent-encoded URL path or a legacy Discord tag can carry one; an id with
            # a control character would break provenance's record separator (ingest.cypher).
            raise HandleError("contains a control character")
    except HandleError as exc:
        raise NormaliseError(_KIND, raw, str(exc)) from None
    return Account(platform=row.name, handle=canonical, id=f"{row.name}:{canonical}", raw=raw)


def _platform_for(raw: str, platform: str) -> str:
    """canonical_platform, but the error names the raw value being normalised."""
    try:
        return canonical_platform(platform)
    except NormaliseError as exc:
        raise NormaliseError(_KIND, raw, exc.reason) from None


def _from_url(text: str) -> tuple[Platform, str]:
    """Find the platform from the URL's host and read the handle from its path."""
    url = text if _SCHEME_RE.match(text) else "https://" + text
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        raise HandleError("malformed URL") from None
    if parts.scheme.casefold() not in ("http", "https"):
        raise HandleError(f"unsupported URL scheme {parts.scheme!r}")
    while host.startswith(_HOST_PREFIXES) and host not in PLATFORM_HOSTS:
        host = host.split(".", 1)[1]
    name = PLATFORM_HOSTS.get(host)
    if name is None:
        raise HandleError(f"URL host {host!r} is not a known platform")
    row = PLATFORMS[name]
    if row.from_url is None:  # every platform with hosts has a reader; keeps mypy honest
        raise HandleError(f"{name} profile URLs are not supported")
    segments = [unquote(seg) for seg in parts.path.split("/") if seg]
    return row, row.from_url(host, segments, parse_qs(parts.query))
