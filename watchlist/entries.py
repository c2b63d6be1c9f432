"""Watchlist entries, kept in the graph as `WatchEntry` nodes.

A value is normalised by the very normaliser ingest uses for its kind
(normalise/keys.py), so `+63 917 123 4567`, `0917 123 4567` (region PH) and
`0063 917 123 4567` are one entry whose id is the phone node's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import Driver, RoutingControl

from core.values import native
from graph_schema.bookkeeping import save_record
from graph_schema.loader import GraphModel
from graph_schema.spec import KeyKind
from normalise import NormaliseError, normalise_text
from normalise.keys import KEY_NORMALISERS
from normalise.location import normalise_country

ENTRY_LABEL = "WatchEntry"
# What can be watched, and the key kind (so the normaliser) of each.
KINDS: dict[str, KeyKind] = {
    "phone": KeyKind.PHONE,
    "wallet": KeyKind.WALLET,
    "account": KeyKind.ACCOUNT,
    "person": KeyKind.PERSON,
}
# The dataset name handed to the key normalisers: only person references use it,
# and a watched person is given by its full id, never a bare reference.
_NO_DATASET = ""


class WatchlistError(ValueError):
    """A watchlist value cannot be normalised, or an entry is missing."""


@dataclass(frozen=True)
class WatchEntry:
    """One watched node and why it is watched."""

    kind: str
    label: str
    node_id: str
    reason: str
    raw: str | None = None
    added_at: datetime | None = None
    added_by: str | None = None

    @property
    def id(self) -> str:
        """`Label:node id`: also the node's fact name in provenance."""
        return f"{self.label}:{self.node_id}"


def label_for(model: GraphModel, kind: str) -> str:
    """The investigative label keyed by `kind`'s normaliser (Phone for phone...)."""
    if kind not in KINDS:
        raise WatchlistError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    labels = sorted(lb for lb, n in model.entities.items() if n.key.kind is KINDS[kind])
    if not labels:
        raise WatchlistError(f"the graph model has no label keyed as {kind}")
    return labels[0]


def normalise_value(
    kind: str,
    value: str,
    *,
    region: str | None = None,
    chain: str | None = None,
    platform: str | None = None,
) -> str:
    """The node id `value` has at ingest; WatchlistError when it is not valid."""
    if kind not in KINDS:
        raise WatchlistError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    inputs: dict[str, Any]
    if kind == "phone":
        inputs = {"number": value, "region": region}
    elif kind == "wallet":
        inputs = {"address": value, "chain": chain}
    elif kind == "account":
        inputs = {"handle": value, "platform": platform, "region": region}
    else:
        return _person_id(value)
    try:
        node_id, _ = KEY_NORMALISERS[KINDS[kind]](inputs, region, _NO_DATASET)
    except (NormaliseError, KeyError) as error:
        raise WatchlistError(f"{kind} {value!r}: {error}") from None
    return node_id


def _person_id(value: str) -> str:
    """A person id as ingest writes it: `passport:CC:NUMBER` or `dataset:reference`."""
    try:
        parts = value.split(":")
        if len(parts) == 3 and parts[0].strip().lower().isidentifier():
            try:
                country = normalise_country(parts[1])
            except NormaliseError:
                country = None
            if country is not None:
                document = {
                    "document": parts[2],
                    "document_type": parts[0],
                    "country": country,
                }
                node_id, _ = KEY_NORMALISERS[KeyKind.PERSON](document, None, _NO_DATASET)
                return node_id
        dataset, sep, ref = value.partition(":")
        if not sep or not dataset.strip() or not ref.strip():
            raise WatchlistError(
                f"person {value!r}: give the person id, `dataset:reference` or "
                "`passport:CC:NUMBER` (as `linkgraph explain` and reports show it)"
            )
        return f"{normalise_text(dataset)}:{normalise_text(ref)}"
    except NormaliseError as error:
        raise WatchlistError(f"person {value!r}: {error}") from None


def add_entry(
    driver: Driver,
    model: GraphModel,
    database: str,
    kind: str,
    value: str,
    reason: str,
    *,
    region: str | None = None,
    chain: str | None = None,
    platform: str | None = None,
    added_by: str | None = None,
) -> WatchEntry:
    """Normalise `value` and watch it (adding it again updates its reason)."""
    if not reason.strip():
        raise WatchlistError("a reason is required: say why it is watched")
    node_id = normalise_value(kind, value, region=region, chain=chain, platform=platform)
    entry = WatchEntry(
        kind=kind,
        label=label_for(model, kind),
        node_id=node_id,
        reason=reason.strip(),
        raw=value,
        added_at=datetime.now(UTC),
        added_by=added_by,
    )
    props = {
        "kind": entry.kind,
        "label": entry.label,
        "node_id": entry.node_id,
        "reason": entry.reason,
        "raw": entry.raw,
        "added_at": entry.added_at,
        "added_by": entry.added_by,
    }
    save_record(driver, model, ENTRY_LABEL, entry.id, props, database)
    return entry


def remove_entry(
    driver: Driver,
    model: GraphModel,
    database: str,
    kind: str,
    value: str,
    *,
    region: str | None = None,
    chain: str | None = None,
    platform: str | None = None,
) -> WatchEntry:
    """Stop watching `value` (normalised first); WatchlistError when it is not watched."""
    node_id = normalise_value(kind, value, region=region, chain=chain, platform=platform)
    label = model.node(ENTRY_LABEL).label
    records, _, _ = driver.execute_query(
        f"MATCH (w:`{label}` {{id: $id}}) WITH w, w {{.*}} AS entry DELETE w RETURN entry",
        id=f"{label_for(model, kind)}:{node_id}",
        database_=database,
    )
    if not records:
        raise WatchlistError(f"{kind} {node_id} is not on the watchlist")
    return _entry(dict(records[0]["entry"]))


def list_entries(driver: Driver, model: GraphModel, database: str) -> list[WatchEntry]:
    """Every entry, oldest first."""
    label = model.node(ENTRY_LABEL).label
    records, _, _ = driver.execute_query(
        f"MATCH (w:`{label}`) RETURN w {{.*}} AS entry ORDER BY w.added_at, w.id",
        database_=database,
        routing_=RoutingControl.READ,
    )
    return [_entry(dict(r["entry"])) for r in records]


def _entry(row: dict[str, Any]) -> WatchEntry:
    added = row.get("added_at")
    return WatchEntry(
        kind=row["kind"],
        label=row["label"],
        node_id=row["node_id"],
        reason=row["reason"],
        raw=row.get("raw"),
        added_at=native(added),
        added_by=row.get("added_by"),
    )
