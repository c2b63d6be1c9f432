"""From a node's raw key inputs to its canonical id and key properties, per key kind.

Each key kind has one normaliser (normalise). Besides the id, a normaliser
yields named outputs (a phone's country, a place's coordinates...); the loader
keeps the outputs that the node's label declares as properties.

A list or object is never a key input: it is refused with a reason, never turned
into its Python repr. An opaque id (a person ref or document number, a text key)
may be any JSON scalar, by its spelling; a phone number, handle or address is a
string or an integer's digits (a fraction's "." would read as a separator).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from neo4j.spatial import WGS84Point

from graph_schema.person_keys import document_id
from graph_schema.spec import KeyKind
from normalise import (
    NormaliseError,
    normalise_account,
    normalise_location,
    normalise_phone,
    normalise_text,
    normalise_wallet,
)
from normalise.documents import normalise_document
from normalise.location import normalise_country
from normalise.text import as_scalar_text, as_text

Inputs = dict[str, Any]
KeyResult = tuple[str, dict[str, Any]]


def _phone(inputs: Inputs, region: str | None, dataset: str) -> KeyResult:
    phone = normalise_phone(as_text(inputs["number"], "phone"), inputs.get("region") or region)
    return phone.e164, {"e164": phone.e164, "country": phone.region}


def _wallet(inputs: Inputs, region: str | None, dataset: str) -> KeyResult:
    wallet = normalise_wallet(as_text(inputs["address"], "wallet"), inputs.get("chain"))
    return wallet.id, {"chain": wallet.chain, "address": wallet.address}


def _account(inputs: Inputs, region: str | None, dataset: str) -> KeyResult:
    account = normalise_account(
        as_text(inputs["handle"], "account"),
        inputs.get("platform"),
        region=inputs.get("region") or region,
    )
    return account.id, {"platform": account.platform, "handle": account.handle}


def _location(inputs: Inputs, region: str | None, dataset: str) -> KeyResult:
    place = normalise_location(
        lat=inputs.get("lat"),
        lon=inputs.get("lon"),
        name=inputs.get("name"),
        country=inputs.get("country"),
    )
    outputs: dict[str, Any] = {"place_key": place.id, "name": place.name, "country": place.country}
    if place.lat is not None and place.lon is not None:
        outputs["coordinates"] = WGS84Point((place.lon, place.lat))
    return place.id, outputs


# A scope names where person references are unique, as a dataset name does.
_SCOPE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,79}")


def _person(inputs: Inputs, region: str | None, dataset: str) -> KeyResult:
    if "ref" in inputs:
        # A reference is unique only where its source says: by default its dataset, or a
        # `scope` several sources share (one investigation's case numbers, say).
        scope = dataset
        if inputs.get("scope") is not None:
            scope = normalise_text(as_text(inputs["scope"], "person", integers=False))
            if not _SCOPE.fullmatch(scope):
                raise NormaliseError(
                    "person", scope, "a scope is written as a dataset name: [a-z0-9][a-z0-9_.-]*"
                )
        ref = f"{scope}:{normalise_text(as_scalar_text(inputs['ref'], 'person'))}"
    else:
        number = normalise_document(as_scalar_text(inputs["document"], "person"))
        scheme = normalise_text(as_text(inputs["document_type"], "person", integers=False)).lower()
        if not scheme.isidentifier():
            raise NormaliseError("person", scheme, "document_type must be a word, e.g. passport")
        country = normalise_country(as_text(inputs["country"], "person", integers=False))
        ref = document_id(scheme, country, number)
    return ref, {"ref": ref}


def _text(inputs: Inputs, region: str | None, dataset: str) -> KeyResult:
    value = normalise_text(as_scalar_text(inputs["value"], "text"))
    return value, {}  # the label's one key property is set from the id


KEY_NORMALISERS: dict[KeyKind, Callable[[Inputs, str | None, str], KeyResult]] = {
    KeyKind.PHONE: _phone,
    KeyKind.WALLET: _wallet,
    KeyKind.ACCOUNT: _account,
    KeyKind.LOCATION: _location,
    KeyKind.PERSON: _person,
    KeyKind.TEXT: _text,
}
