"""Unit tests for normalise.account and the platform table."""

from __future__ import annotations

from pathlib import Path

import pytest

from normalise import Account, NormaliseError, normalise_account
from normalise.account import canonical_platform
from normalise.platforms import PLATFORM_ALIASES, PLATFORMS


def _id(raw: str, platform: str | None = None, region: str | None = None) -> str:
    return normalise_account(raw, platform, region=region).id


# --- the same account written many ways -------------------------------------------------------


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        (
            [
                ("https://www.facebook.com/john.doe", None),
                ("https://m.facebook.com/John.Doe/", None),
                ("facebook.com/johndoe?ref=bookmarks", None),
                ("John.Doe", "fb"),
                ("@johndoe", "facebook"),
                ("https://fb.com/john.doe", None),
            ],
            "facebook:johndoe",
        ),
        (
            [
                ("https://t.me/somehandle", None),
                ("https://t.me/SomeHandle/123", None),
                ("t.me/s/somehandle", None),
                ("https://telegram.me/somehandle", None),
                ("@SomeHandle", "telegram"),
                ("somehandle", "TG"),
            ],
            "telegram:somehandle",
        ),
        (
            [
                ("https://instagram.com/some_user/", None),
                ("https://www.instagram.com/Some_User/?hl=en", None),
                ("https://www.instagram.com/stories/some_user/3141592653/", None),
                ("@some_user", "ig"),
                ("Some_User", "Instagram"),
            ],
            "instagram:some_user",
        ),
        (
            [
                ("https://x.com/user?lang=en", None),
                ("https://twitter.com/User/status/1234567890", None),
                ("https://mobile.twitter.com/USER", None),
                ("@User", "twitter"),
                ("user", "X"),
            ],
            "x:user",
        ),
        (
            [
                ("https://www.tiktok.com/@user", None),
                ("https://www.tiktok.com/@User/video/7234567890123456789", None),
                ("@user", "tiktok"),
            ],
            "tiktok:user",
        ),
        (
            [
                ("https://wa.me/84912345678", None),
                ("wa.me/84912345678?text=hello", None),
                ("https://api.whatsapp.com/send?phone=84912345678&text=hi", None),
                ("+84 91 234 56 78", "whatsapp"),
                ("0084 91 234 56 78", "wa"),
            ],
            "whatsapp:+84912345678",
        ),
        (
            [
                ("John.Doe@Example.COM", None),
                ("mailto:john.doe@example.com", None),
                ("MAILTO:John.Doe@example.com?subject=hi", None),
                ("john.doe@example.com", "email"),
            ],
            "email:john.doe@example.com",
        ),
    ],
)
def test_forms_reduce_to_one_account(forms: list[tuple[str, str | None]], expected: str) -> None:
    assert {_id(raw, platform) for raw, platform in forms} == {expected}


def test_result_fields() -> None:
    raw = "https://t.me/SomeHandle"
    assert normalise_account(raw) == Account(
        platform="telegram", handle="somehandle", id="telegram:somehandle", raw=raw
    )


# --- per-platform rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "platform", "region", "expected"),
    [
        ("0917 123 4567", "whatsapp", "PH", "whatsapp:+639171234567"),
        ("+63 917 123 4567", "viber", None, "viber:+639171234567"),
        ("01712-345678", "viber", "BD", "viber:+8801712345678"),
        ("+84 91 234 56 78", "signal", None, "signal:+84912345678"),
        ("Alice.01", "signal", None, "signal:alice.01"),
        ("https://m.facebook.com/profile.php?id=100004123456789", None, None,
         "facebook:100004123456789"),
        ("https://www.facebook.com/people/Jane-Doe/100004123456789/", None, None,
         "facebook:100004123456789"),
        ("https://m.me/john.doe", None, None, "facebook:johndoe"),
        ("https://www.youtube.com/@SomeChannel", None, None, "youtube:@somechannel"),
        ("@SomeChannel", "yt", None, "youtube:@somechannel"),
        ("https://www.youtube.com/channel/UCuAXFkgsw1L7xaCfnd5JJOw", None, None,
         "youtube:UCuAXFkgsw1L7xaCfnd5JJOw"),
        ("UCuAXFkgsw1L7xaCfnd5JJOw", "youtube", None, "youtube:UCuAXFkgsw1L7xaCfnd5JJOw"),
        ("u/Some_User", "reddit", None, "reddit:some_user"),
        ("/u/Some_User", "reddit", None, "reddit:some_user"),
        ("https://old.reddit.com/user/Some_User/", None, None, "reddit:some_user"),
        ("https://www.reddit.com/u/Some_User", None, None, "reddit:some_user"),
        ("Some.User", "discord", None, "discord:some.user"),
        ("John Doe#1234", "discord", None, "discord:John Doe#1234"),
        ("https://discord.com/users/80351110224678912", None, None,
         "discord:80351110224678912"),
        ("line.me/ti/p/~My.Id", None, None, "line:My.Id"),
        ("https://line.me/R/ti/p/@abc1234", None, None, "line:abc1234"),
        ("My.Id", "LINE", None, "line:My.Id"),
        ("zalo.me/0912345678", None, None, "zalo:0912345678"),
        ("0912345678", "zalo", None, "zalo:0912345678"),
        ("SomeID_1", "wechat", None, "wechat:SomeID_1"),
        ("wxid_abc123def456", "weixin", None, "wechat:wxid_abc123def456"),
        ("live:abc_123", "skype", None, "skype:live:abc_123"),
        ("John.Smith", "skype", None, "skype:John.Smith"),
        ("KimCS", "kakao", None, "kakaotalk:KimCS"),
        ("https://vk.com/Durov", None, None, "vk:durov"),
        ("id1", "vk", None, "vk:id1"),
        ("snapchat.com/add/Some.User", None, None, "snapchat:some.user"),
        ("@Some.User", "snap", None, "snapchat:some.user"),
    ],
)  # fmt: skip
def test_platform_rules(raw: str, platform: str | None, region: str | None, expected: str) -> None:
    assert _id(raw, platform, region) == expected


@pytest.mark.parametrize(
    ("raw", "platform"),
    [("SomeHandle", "telegram"), ("Some_User", "instagram"), ("SomeUser", "x")],
)
def test_case_insensitive_platforms_fold(raw: str, platform: str) -> None:
    assert normalise_account(raw, platform).handle == raw.casefold()


@pytest.mark.parametrize(
    ("raw", "platform"),
    [("My.Id", "line"), ("SomeID_1", "wechat"), ("KimCS", "kakaotalk"), ("John.Smith", "skype")],
)
def test_unsure_platforms_keep_case(raw: str, platform: str) -> None:
    assert normalise_account(raw, platform).handle == raw


def test_email_keeps_provider_specific_parts() -> None:
    # Gmail ignores dots and "+tags", but other providers do not: never assume.
    assert _id("j.doe+tag@gmail.com") == "email:j.doe+tag@gmail.com"
    assert _id("jdoe@gmail.com") != _id("j.doe@gmail.com")


# --- rejections -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "platform", "reason"),
    [
        # platform
        ("someone", "myspace", "unknown platform 'myspace'"),
        ("someone", "bsky", "unknown platform"),
        ("@someone", None, "no platform given"),
        ("someone", None, "no platform given"),
        ("https://myspace.com/someone", None, "'myspace.com' is not a known platform"),
        ("https://t.me/somehandle", "facebook", "a telegram value, not facebook"),
        ("john@example.com", "telegram", "not a valid Telegram username"),
        ("ftp://t.me/somehandle", None, "unsupported URL scheme"),
        # telegram
        ("abc", "telegram", "not a valid Telegram username"),
        ("1abcde", "telegram", "not a valid Telegram username"),
        ("some-handle", "telegram", "not a valid Telegram username"),
        ("a" * 33, "telegram", "not a valid Telegram username"),
        ("https://t.me/joinchat/AAAAAEkk", None, "invite"),
        ("https://t.me/+AbCdEfGhIjK", None, "invite"),
        ("https://t.me/c/1234567890/12", None, "private channel"),
        ("https://t.me/", None, "no username"),
        # instagram / x / tiktok
        ("a" * 31, "instagram", "not a valid Instagram username"),
        ("some-user", "instagram", "not a valid Instagram username"),
        ("https://www.instagram.com/p/CxYz123/", None, "not a profile link"),
        ("a" * 16, "x", "not a valid X screen name"),
        ("some.user", "x", "not a valid X screen name"),
        ("https://x.com/i/web/status/1", None, "not a profile link"),
        ("https://twitter.com/search?q=x", None, "not a profile link"),
        ("https://www.tiktok.com/foryou", None, "not a TikTok profile link"),
        ("https://vm.tiktok.com/ZMabc123/", None, "not a TikTok profile link"),
        # facebook
        ("abcd", "facebook", "not a valid Facebook"),
        ("john_doe", "facebook", "not a valid Facebook"),
        ("https://www.facebook.com/groups/123456", None, "not a profile link"),
        ("https://www.facebook.com/profile.php", None, "without an id"),
        ("https://www.facebook.com/", None, "no username"),
        # phone-based
        ("0917 123 4567", "whatsapp", "no region given"),
        ("not a number", "whatsapp", "'not a number': not a phone number"),
        ("https://chat.whatsapp.com/AbCdEf", None, "group invite"),
        ("https://wa.me/", None, "no phone number"),
        ("https://wa.me/message/ABCDEF", None, "no phone number"),
        ("12345", "viber", "a Viber account is a phone number"),
        ("alice", "signal", "not a valid Signal username"),
        # youtube / reddit / line / discord / others
        ("somechannel", "youtube", "not a YouTube @handle"),
        ("https://www.youtube.com/c/SomeName", None, "legacy"),
        ("https://www.youtube.com/user/SomeName", None, "legacy"),
        ("https://youtu.be/dQw4w9WgXcQ", None, "not a YouTube channel link"),
        ("https://www.reddit.com/r/somesub", None, "not a Reddit user link"),
        ("https://line.me/ti/p/AbCdEfGh", None, "not a LINE ID link"),
        ("https://discord.gg/abcdef", None, "not a Discord user link"),
        ("a b", "discord", "not a valid Discord"),
        ("ab", "wechat", "not a valid WeChat ID"),
        ("1abcdef", "wechat", "not a valid WeChat ID"),
        ("ab", "snapchat", "not a valid Snapchat username"),
        # email
        ("john", "email", "not an email address"),
        ("@example.com", "email", "not an email address"),
        ("john doe@example.com", "email", "invalid email local part"),
        ("john..doe@example.com", "email", "invalid email local part"),
        ("john@localhost", "email", "invalid email domain"),
        ("john@-example.com", "email", "invalid email domain"),
        ("john@example.123", "email", "invalid email domain"),
        ("john@exa_mple.com", "email", "invalid email domain"),
        # empty
        ("", "telegram", "empty"),
        ("   ", None, "empty"),
    ],
)
def test_rejects(raw: str, platform: str | None, reason: str) -> None:
    with pytest.raises(NormaliseError, match=reason) as info:
        normalise_account(raw, platform)
    assert info.value.kind == "account"
    assert info.value.value == raw


def test_rejects_non_string() -> None:
    with pytest.raises(NormaliseError, match="expected a string"):
        normalise_account(12345, "telegram")  # type: ignore[arg-type]


# --- the table --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "platform"),
    [
        ("fb", "facebook"),
        ("Facebook", "facebook"),
        ("facebook.com", "facebook"),
        ("m.facebook.com", "facebook"),
        ("ig", "instagram"),
        ("instagram.com", "instagram"),
        ("tg", "telegram"),
        ("t.me", "telegram"),
        ("telegram.me", "telegram"),
        ("wa", "whatsapp"),
        ("wa.me", "whatsapp"),
        ("twitter", "x"),
        ("twitter.com", "x"),
        ("x.com", "x"),
        ("Kakao Talk", "kakaotalk"),
        ("  TikTok ", "tiktok"),
        ("e-mail", "email"),
    ],
)
def test_platform_aliases(alias: str, platform: str) -> None:
    assert canonical_platform(alias) == platform


def test_every_required_platform_is_known() -> None:
    required = {
        "facebook", "instagram", "telegram", "whatsapp", "viber", "line", "zalo", "wechat",
        "tiktok", "x", "email", "signal", "snapchat", "discord", "skype", "kakaotalk", "vk",
        "reddit", "youtube",
    }  # fmt: skip
    assert set(PLATFORMS) == required
    assert all(PLATFORM_ALIASES[name] == name for name in required)


def test_every_platform_with_hosts_reads_urls() -> None:
    for platform in PLATFORMS.values():
        assert (platform.from_url is None) == (not platform.hosts), platform.name


@pytest.mark.parametrize(
    ("raw", "platform", "expected"),
    [
        ("84901234567@s.whatsapp.net", "whatsapp", "whatsapp:+84901234567"),
        ("84901234567@s.whatsapp.net", None, "whatsapp:+84901234567"),  # not an e-mail
        ("84901234567:12@s.whatsapp.net", None, "whatsapp:+84901234567"),  # a linked device
        ("639171234567@c.us", "wa", "whatsapp:+639171234567"),
        ("https://wa.me/84901234567", None, "whatsapp:+84901234567"),
        ("wa.me/+84901234567", None, "whatsapp:+84901234567"),
        ("https://api.whatsapp.com/send?phone=84901234567", None, "whatsapp:+84901234567"),
    ],
)
def test_whatsapp_jids_and_links_are_e164(raw: str, platform: str | None, expected: str) -> None:
    # A JID's digits are international whatever the source's region.
    assert normalise_account(raw, platform, region="PH").id == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("120363025246125486@g.us", "a group JID (@g.us), not a phone number"),
        ("status@broadcast", "not a phone number (a WhatsApp account is one)"),
        ("12345678901234@lid", "a linked-device id JID (@lid), not a phone number"),
        # The real cause first: a username is no phone number, region or not.
        ("maria_701262", "not a phone number (a WhatsApp account is one)"),
    ],
)
def test_whatsapp_refusals_name_the_real_cause(raw: str, expected: str) -> None:
    for region in (None, "VN"):
        with pytest.raises(NormaliseError) as error:
            normalise_account(raw, "whatsapp", region=region)
        assert error.value.reason == expected


def test_every_platform_rule_is_in_the_ingest_docs() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "ingest.md").read_text()
    rows = {
        line.split("|")[1].strip(" `"): line
        for line in docs.splitlines()
        if line.startswith("| `") and line.count("|") == 6
    }
    for name, row in PLATFORMS.items():
        assert name in rows, f"{name} is not in docs/ingest.md's platform table"
        for alias in row.aliases:
            assert alias in rows[name], f"{name}'s alias {alias!r} is not in its row"
        for host in row.hosts:
            assert host in rows[name], f"{name}'s host {host!r} is not in its row"
