"""``seized_contacts.jsonl`` and ``seized_messages.jsonl``: extractions of seized phones.

One family of files, written together: the address book of each phone (with the owner's
own SIMs and accounts) and its chats. Each device's contacts and messages are drawn in
turn, the contacts first, so the two files come from one pass over the devices.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from .cast import Cast
from .devices import Handle, devices
from .entities import Human, Phone
from .output import JsonLine, Output
from .spelling import e164_spaced, render


def handle(value: Handle) -> str:
    """A handle as an extraction report shows it (a phone-based one in + form)."""
    return e164_spaced(value) if isinstance(value, Phone) else value


def account_fields(handles: dict[str, str]) -> dict[str, str | None]:
    """The fixed set of per-app fields of a contact (None where absent)."""
    return {app: handles.get(app) for app in ("telegram", "whatsapp", "zalo", "line", "facebook")}


def write(cast: Cast, output: Output) -> None:
    """Contacts and messages extracted from three seized phones."""
    rng = cast.rng
    contacts_truth = output.entry(
        "seized_contacts.jsonl",
        "mappings/seized_contacts.yaml",
        "seized_devices",
        "Address-book entries and the device owner's own SIMs and accounts, extracted "
        "from three seized phones (JSON Lines, nested objects).",
    )
    messages_truth = output.entry(
        "seized_messages.jsonl",
        "mappings/seized_messages.yaml",
        "seized_devices",
        "Chat messages (Zalo, Telegram, WhatsApp, LINE) extracted from the same three "
        "phones; times with the device's UTC offset.",
    )
    contacts: list[JsonLine] = []
    messages: list[JsonLine] = []
    h = cast.humans
    for device, spec in devices(cast).items():
        owner = h[spec.owner]
        region = spec.region
        zone = ZoneInfo(spec.zone)
        accounts: dict[str, dict[str, str]] = {}
        own = {app: handle(v) for app, v in spec.owner_accounts.items()}
        accounts[owner.key] = own
        sims = list(owner.phones[:1])
        if owner.key == "N1-06":
            # The coordinator also uses the SIM registered to the ring's driver (a nominee).
            sims.append(cast.nominee_sim)
        entry = {
            "entry_id": f"{device}/owner",
            "device": device,
            "device_region": region,
            "kind": "device_owner",
            "name": owner.name,
            "saved_as": None,
            "phone": render(rng, sims[0], region),
            "phone2": render(rng, sims[1], region) if len(sims) > 1 else None,
            "accounts": account_fields(own),
        }
        contacts.append(((device, 0), entry, None))
        cast.note_id(owner, f"seized_devices:{device}/owner")
        entries: list[tuple[Human, str, dict[str, Handle], int]] = [
            (h[key], saved, apps, phone_index) for key, saved, apps, phone_index in spec.contacts
        ]
        leaf_words = {
            "VN": ("Mẹ", "Vợ", "Anh Hai"),
            "TH": ("แม่", "แฟน"),
            "CA": ("Mom", "Tina ❤️"),
        }[region]
        for i, leaf in enumerate(cast.leaves_of(owner.key)):
            app = spec.leaf_app
            value: Handle = leaf.phones[0]
            if app == "zalo":
                value = "0" + leaf.phones[0].nsn
            elif app == "line":
                value = f"{leaf.given.split()[0].lower()}.{leaf.birth.year % 100:02d}"
            entries.append((leaf, leaf_words[i % len(leaf_words)], {app: value}, 0))
        for number, (person, saved, apps, phone_index) in enumerate(entries, start=1):
            handles = {app: handle(v) for app, v in apps.items()}
            accounts[person.key] = handles
            entry = {
                "entry_id": f"{device}/c{number:03d}",
                "device": device,
                "device_region": region,
                "kind": "contact",
                "name": None,
                "saved_as": saved,
                "phone": render(rng, person.phones[phone_index], region),
                "phone2": None,
                "accounts": account_fields(handles),
            }
            contacts.append(((device, number), entry, None))
            cast.note_id(person, f"seized_devices:{device}/c{number:03d}")
        # A bad record: a USSD balance code saved as a contact.
        if region == "VN":
            bad = {
                "entry_id": f"{device}/c{len(entries) + 1:03d}",
                "device": device,
                "device_region": region,
                "kind": "contact",
                "name": None,
                "saved_as": "Kiểm tra tài khoản",
                "phone": "*101#",
                "phone2": None,
                "accounts": account_fields({}),
            }
            contacts.append(
                ((device, len(entries) + 1), bad, "USSD code *101# saved as a contact's phone")
            )
        # Messages between the owner and each contact.
        talk: dict[str, list[tuple[str, int]]] = dict(spec.talk)
        for leaf in cast.leaves_of(owner.key):
            talk[leaf.key] = [(spec.leaf_app, rng.randint(6, 14))]
        serial = 0
        for key, threads in talk.items():
            other = accounts[key]
            for app, n in threads:
                for _ in range(n):
                    serial += 1
                    when = rng.moment(spec.since, spec.seized, hours=(6, 23))
                    local = when.replace(tzinfo=zone)
                    outgoing = rng.random() < 0.5
                    me = {"handle": own[app], "name": owner.name}
                    them = {"handle": other[app], "name": None}
                    sender, recipient = (me, them) if outgoing else (them, me)
                    record = {
                        "message_id": f"{device}/m{serial:05d}",
                        "device": device,
                        "device_region": region,
                        "app": app,
                        "sent_at": local.isoformat(),
                        "from": sender,
                        "to": recipient,
                        "direction": "out" if outgoing else "in",
                        "attachments": rng.choice((0, 0, 0, 1, 2)),
                    }
                    messages.append(((local.astimezone(UTC), device, serial), record, None))
        if region == "VN":
            # A bad record: a message from a deleted Telegram account.
            when = datetime(2025, 8, 2, 23, 14, 9, tzinfo=zone)
            record = {
                "message_id": f"{device}/m{serial + 1:05d}",
                "device": device,
                "device_region": region,
                "app": "telegram",
                "sent_at": when.isoformat(),
                "from": {"handle": "Deleted Account", "name": "Deleted Account"},
                "to": {"handle": own["telegram"], "name": owner.name},
                "direction": "in",
                "attachments": 0,
            }
            messages.append(
                (
                    (when.astimezone(UTC), device, serial + 1),
                    record,
                    "sender is 'Deleted Account', not a Telegram username",
                )
            )
    output.write_jsonl(contacts_truth, contacts)
    output.write_jsonl(messages_truth, messages)
