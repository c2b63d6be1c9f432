"""The fixed table of messaging / social platforms known to the ``account`` kind.

Each platform says how a bare handle is validated and canonicalised, and how a handle is
read out of a profile URL. Case rules, per platform:

==========  ==================  =========================================================
platform    case                why
==========  ==================  =========================================================
facebook    folded, dots drop   Facebook: "periods and capitalization don't count" in usernames
instagram   folded              usernames are case-insensitive (stored lower-case)
telegram    folded              usernames are case-insensitive
whatsapp    n/a (E.164)         the account is a phone number (or its JID, 8490…@s.whatsapp.net)
viber       n/a (E.164)         the account is a phone number
line        kept                unsure whether LINE IDs are case-insensitive
zalo        kept                opaque: phone numbers and numeric IDs are both used
wechat      kept                unsure whether WeChat IDs are case-insensitive
tiktok      folded              usernames are case-insensitive (stored lower-case)
x           folded              X/Twitter screen names are case-insensitive
email       folded (all)        domains are case-insensitive; local parts are in practice
signal      folded / E.164      usernames are case-insensitive; or a +phone number
snapchat    folded              usernames are case-insensitive (stored lower-case)
discord     folded / kept       new usernames are lower-case; legacy name#1234 tags kept
skype       kept                unsure
kakaotalk   kept                unsure
vk          folded              screen names are case-insensitive
reddit      folded              usernames are case-insensitive
youtube     folded / kept       @handles are case-insensitive; UC… channel IDs are not
==========  ==================  =========================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from normalise.errors import NormaliseError
from normalise.phone import normalise_phone

# Canonicalise a bare handle (leading "@" already removed where it is mere notation).
# Arguments: handle, default phone region. Raises HandleError.
HandleFn = Callable[[str, str | None], str]
# Read a bare handle out of a profile URL. Arguments: host (lower-case, "www." etc. removed),
# non-empty path segments, query parameters. Raises HandleError.
UrlFn = Callable[[str, list[str], Mapping[str, list[str]]], str]


class HandleError(ValueError):
    """A handle or URL is not acceptable for a platform; ``str(err)`` is the reason."""


@dataclass(frozen=True, slots=True)
class Platform:
    """One row of the platform table."""

    name: str
    aliases: tuple[str, ...]
    hosts: tuple[str, ...]
    case_insensitive: bool
    handle: HandleFn
    from_url: UrlFn | None
    strip_at: bool = True


# --- handle canonicalisers ------------------------------------------------------------------


def _matching(pattern: str, what: str, *, fold: bool) -> HandleFn:
    """Build a canonicaliser that full-matches ``pattern`` and optionally case-folds."""
    compiled = re.compile(pattern)

    def canon(handle: str, region: str | None) -> str:
        if not compiled.fullmatch(handle):
            raise HandleError(f"not a valid {what}")
        return handle.casefold() if fold else handle

    return canon


def _phone(platform: str) -> HandleFn:
    def canon(handle: str, region: str | None) -> str:
        if not _PHONE_LIKE.fullmatch(handle):
            # The real cause first: a username is no phone number, whatever the region.
            raise HandleError(f"not a phone number (a {platform} account is one)")
        try:
            return normalise_phone(handle, region).e164
        except NormaliseError as exc:
            raise HandleError(f"a {platform} account is a phone number: {exc.reason}") from None

    return canon


# A WhatsApp JID: the full international number without "+" (a linked device adds
# ":n"), at s.whatsapp.net (the app's own) or c.us (WhatsApp Web's).
WHATSAPP_JID = re.compile(r"\+?([0-9]{6,15})(?::[0-9]{1,3})?@(?:s\.whatsapp\.net|c\.us)")
# Other WhatsApp JIDs are no person's number: groups, broadcast lists, linked-device ids.
_WHATSAPP_OTHER = re.compile(r"[0-9-]+@(g\.us|broadcast|lid|newsletter)")


def _whatsapp(handle: str, region: str | None) -> str:
    jid = WHATSAPP_JID.fullmatch(handle)
    if jid is not None:
        # A JID's digits are always the international number: no region applies.
        return _phone("WhatsApp")("+" + jid.group(1), None)
    other = _WHATSAPP_OTHER.fullmatch(handle)
    if other is not None:
        what = {"g.us": "a group", "broadcast": "a broadcast list", "lid": "a linked-device id"}
        raise HandleError(
            f"{what.get(other.group(1), 'a channel')} JID (@{other.group(1)}), not a phone number"
        )
    return _phone("WhatsApp")(handle, region)


def _facebook(handle: str, region: str | None) -> str:
    if not re.fullmatch(r"[A-Za-z0-9.]{5,50}", handle) or not handle.strip("."):
        raise HandleError("not a valid Facebook username or numeric ID")
    # Facebook treats john.smith55, John.Smith55 and johnsmith55 as the same username.
    return handle.replace(".", "").casefold()


_PHONE_LIKE = re.compile(r"\+?[0-9 ()./-]+")
_signal_username = _matching(
    r"[A-Za-z_][A-Za-z0-9_]{2,31}\.[0-9]{2,9}", "Signal username (name.01)", fold=True
)


def _signal(handle: str, region: str | None) -> str:
    # A Signal account is a phone number or, since 2024, a username with a numeric suffix;
    # the two never look alike, so choosing by shape is not a guess.
    if _PHONE_LIKE.fullmatch(handle):
        return _phone("Signal")(handle, region)
    return _signal_username(handle, region)


def _discord(handle: str, region: str | None) -> str:
    if re.fullmatch(r"[^@#:]{2,32}#[0-9]{4}", handle):
        return handle  # legacy tag: case rules of the old system are unsure, keep as given
    if not re.fullmatch(r"[A-Za-z0-9_.]{2,32}", handle):
        raise HandleError("not a valid Discord username, user ID or legacy name#1234 tag")
    return handle.casefold()


def _youtube(handle: str, region: str | None) -> str:
    if re.fullmatch(r"UC[A-Za-z0-9_-]{22}", handle):
        return handle  # channel IDs are case-sensitive
    if re.fullmatch(r"@[A-Za-z0-9._-]{3,30}", handle):
        return handle.casefold()
    # A bare name could be an @handle or a legacy /c/ or /user/ name: different namespaces.
    raise HandleError("not a YouTube @handle or UC… channel ID")


_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_EMAIL_LABEL = re.compile(r"(?!-)[^\W_](?:[^\W_]|-){0,62}(?<!-)")


def _email(handle: str, region: str | None) -> str:
    local, at, domain = handle.rpartition("@")
    if not at or not local or not domain:
        raise HandleError("not an email address (no local@domain)")
    if len(local) > 64 or not _EMAIL_LOCAL.fullmatch(local):
        raise HandleError("invalid email local part")
    labels = domain.rstrip(".").split(".")
    if len(labels) < 2 or not all(_EMAIL_LABEL.fullmatch(label) for label in labels):
        raise HandleError("invalid email domain")
    if labels[-1].isdigit():
        raise HandleError("invalid email domain")
    address = f"{local}@{'.'.join(labels)}"
    if len(address) > 254:
        raise HandleError("email address too long")
    # Domains are case-insensitive by standard; local parts are by every major provider, and
    # treating "John@" and "john@" as two people would split one suspect in two. Provider
    # tricks (Gmail dots, "+tags") are NOT removed: that would be a guess about the provider.
    return address.casefold()


# --- URL readers ----------------------------------------------------------------------------


# First path segments that are site sections, not usernames.
_FACEBOOK_RESERVED = frozenset({
    "groups", "pages", "events", "watch", "photo", "photo.php", "story.php", "permalink.php",
    "share", "sharer", "sharer.php", "hashtag", "marketplace", "login", "help", "policies",
    "p", "reel", "stories", "people",
})  # fmt: skip
_INSTAGRAM_RESERVED = frozenset({
    "p", "reel", "reels", "explore", "accounts", "tv", "direct", "stories",
})  # fmt: skip
_X_RESERVED = frozenset({
    "home", "i", "search", "hashtag", "intent", "share", "explore", "settings", "messages",
    "notifications", "compose", "login", "signup", "tos", "privacy",
})  # fmt: skip


def _first(segments: list[str], reserved: frozenset[str], what: str) -> str:
    if not segments:
        raise HandleError(f"URL has no {what}")
    if segments[0].casefold() in reserved:
        raise HandleError(f"URL is not a profile link (/{segments[0]}/)")
    return segments[0]


def _facebook_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    if segments and segments[0] == "profile.php":
        ids = query.get("id", [])
        if len(ids) != 1:
            raise HandleError("profile.php URL without an id")
        return ids[0]
    if host == "facebook.com" and len(segments) >= 3 and segments[0] == "people":
        return segments[2]  # /people/Display-Name/<numeric id>
    return _first(segments, _FACEBOOK_RESERVED, "username")


def _instagram_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    if len(segments) >= 2 and segments[0] == "stories":
        return segments[1]
    return _first(segments, _INSTAGRAM_RESERVED, "username")


def _telegram_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    if segments and segments[0] == "s" and len(segments) >= 2:
        return segments[1]  # public channel preview: t.me/s/<channel>
    if segments and (segments[0].startswith("+") or segments[0] == "joinchat"):
        raise HandleError("an invite or phone link, not a username")
    if segments and segments[0] == "c":
        raise HandleError("a private channel link, not a username")
    return _first(segments, frozenset({"addstickers", "share", "proxy", "socks"}), "username")


def _whatsapp_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    if host == "chat.whatsapp.com":
        raise HandleError("a group invite link, not an account")
    if host == "wa.me" and segments:
        digits = segments[0]
    elif segments[:1] == ["send"] and len(query.get("phone", [])) == 1:
        digits = query["phone"][0]
    else:
        raise HandleError("URL has no phone number")
    if not digits.lstrip("+").isdigit():
        raise HandleError("URL has no phone number")
    # Click-to-chat links always carry the full international number without "+".
    return "+" + digits.lstrip("+")


def _line_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    # line.me/ti/p/~<id> (personal ID) and line.me/R/ti/p/@<id> (official account).
    # line.me/ti/p/<token> without "~" is an opaque QR token, not the ID.
    path = segments[1:] if segments[:1] == ["R"] else segments
    if len(path) >= 3 and path[:2] == ["ti", "p"] and path[2][:1] in ("~", "@"):
        return path[2][1:]
    raise HandleError("not a LINE ID link (line.me/ti/p/~id)")


def _zalo_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    return _first(segments, frozenset({"g", "s"}), "account")


def _tiktok_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    if segments and segments[0].startswith("@") and len(segments[0]) > 1:
        return segments[0][1:]
    raise HandleError("not a TikTok profile link (tiktok.com/@user)")


def _x_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    return _first(segments, _X_RESERVED, "screen name")


def _snapchat_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    if len(segments) >= 2 and segments[0] == "add":
        return segments[1]
    if segments and segments[0].startswith("@") and len(segments[0]) > 1:
        return segments[0][1:]
    raise HandleError("not a Snapchat profile link (snapchat.com/add/user)")


def _discord_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    if host != "discord.gg" and len(segments) >= 2 and segments[0] == "users":
        return segments[1]
    raise HandleError("not a Discord user link (discord.com/users/<id>)")


def _vk_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    return _first(segments, frozenset({"wall", "feed", "im", "search", "video", "audio"}), "name")


def _reddit_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    if len(segments) >= 2 and segments[0] in ("user", "u"):
        return segments[1]
    raise HandleError("not a Reddit user link (reddit.com/user/<name>)")


def _youtube_url(host: str, segments: list[str], query: Mapping[str, list[str]]) -> str:
    if host != "youtu.be" and segments:
        if segments[0].startswith("@"):
            return segments[0]
        if segments[0] == "channel" and len(segments) >= 2:
            return segments[1]
        if segments[0] in ("c", "user"):
            raise HandleError("a legacy /c/ or /user/ URL, not a handle or channel ID")
    raise HandleError("not a YouTube channel link (youtube.com/@handle)")


# --- the table ------------------------------------------------------------------------------

_ROWS = (
    Platform(
        "facebook",
        ("fb", "facebook.com", "m.facebook.com", "messenger"),
        ("facebook.com", "fb.com", "m.me"),
        True,
        _facebook,
        _facebook_url,
    ),
    Platform(
        "instagram",
        ("ig", "insta", "instagram.com"),
        ("instagram.com", "instagr.am"),
        True,
        _matching(r"[A-Za-z0-9._]{1,30}", "Instagram username", fold=True),
        _instagram_url,
    ),
    Platform(
        "telegram",
        ("tg", "t.me", "telegram.me"),
        ("t.me", "telegram.me", "telegram.dog"),
        True,
        # 5-32 normally; 4-character collectible usernames are sold on Fragment.
        _matching(r"[A-Za-z][A-Za-z0-9_]{3,31}", "Telegram username", fold=True),
        _telegram_url,
    ),
    Platform(
        "whatsapp",
        ("wa", "wa.me", "whatsapp.com"),
        ("wa.me", "whatsapp.com", "api.whatsapp.com", "chat.whatsapp.com"),
        False,
        _whatsapp,
        _whatsapp_url,
    ),
    Platform("viber", (), (), False, _phone("Viber"), None),
    Platform(
        "line",
        ("line.me", "line app"),
        ("line.me",),
        False,
        _matching(r"[A-Za-z0-9._-]{4,20}", "LINE ID", fold=False),
        _line_url,
    ),
    Platform(
        "zalo",
        ("zalo.me",),
        ("zalo.me",),
        False,
        _matching(r"[A-Za-z0-9._-]{1,64}", "Zalo account", fold=False),
        _zalo_url,
    ),
    Platform(
        "wechat",
        ("weixin", "wx"),
        (),
        False,
        _matching(r"[A-Za-z][A-Za-z0-9_-]{5,19}|wxid_[A-Za-z0-9]{6,24}", "WeChat ID", fold=False),
        None,
    ),
    Platform(
        "tiktok",
        ("tik tok", "tiktok.com"),
        ("tiktok.com",),
        True,
        _matching(r"[A-Za-z0-9._]{2,24}", "TikTok username", fold=True),
        _tiktok_url,
    ),
    Platform(
        "x",
        ("twitter", "twitter.com", "x.com"),
        ("x.com", "twitter.com"),
        True,
        _matching(r"[A-Za-z0-9_]{1,15}", "X screen name", fold=True),
        _x_url,
    ),
    Platform("email", ("e-mail", "mail"), (), True, _email, None, strip_at=False),
    Platform("signal", (), (), True, _signal, None),
    Platform(
        "snapchat",
        ("snap", "snapchat.com"),
        ("snapchat.com",),
        True,
        _matching(r"[A-Za-z][A-Za-z0-9._-]{2,14}", "Snapchat username", fold=True),
        _snapchat_url,
    ),
    Platform(
        "discord",
        ("discord.com", "discordapp"),
        ("discord.com", "discordapp.com", "discord.gg"),
        True,
        _discord,
        _discord_url,
    ),
    Platform(
        "skype",
        (),
        (),
        False,
        _matching(
            r"live:[A-Za-z0-9._-]{1,64}|[A-Za-z][A-Za-z0-9.,_-]{5,31}", "Skype name", fold=False
        ),
        None,
    ),
    Platform(
        "kakaotalk",
        ("kakao", "kakao talk", "kakaotalk"),
        (),
        False,
        _matching(r"[A-Za-z0-9._-]{2,20}", "KakaoTalk ID", fold=False),
        None,
    ),
    Platform(
        "vk",
        ("vkontakte", "vk.com"),
        ("vk.com", "vk.ru"),
        True,
        _matching(r"[A-Za-z0-9_.]{2,32}", "VK screen name", fold=True),
        _vk_url,
    ),
    Platform(
        "reddit",
        ("reddit.com",),
        ("reddit.com", "old.reddit.com", "new.reddit.com"),
        True,
        _matching(r"[A-Za-z0-9_-]{3,20}", "Reddit username", fold=True),
        _reddit_url,
    ),
    Platform(
        "youtube",
        ("yt", "youtube.com"),
        ("youtube.com", "youtu.be"),
        True,
        _youtube,
        _youtube_url,
        strip_at=False,
    ),
)

PLATFORMS: Mapping[str, Platform] = MappingProxyType({row.name: row for row in _ROWS})

PLATFORM_ALIASES: Mapping[str, str] = MappingProxyType(
    {alias: row.name for row in _ROWS for alias in (row.name, *row.aliases)}
)

PLATFORM_HOSTS: Mapping[str, str] = MappingProxyType(
    {host: row.name for row in _ROWS for host in row.hosts}
)
