"""Coercing and validating a saved query's parameters from text or JSON values.

Identifiers go through the same normalisers as ingest, so `0917 123 4567` with
region PH finds the node loaded as `+639171234567`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from normalise import (
    NormaliseError,
    normalise_account,
    normalise_date,
    normalise_datetime,
    normalise_phone,
    normalise_wallet,
)
from normalise.account import canonical_platform
from normalise.wallet import canonical_chain
from queries.spec import ParamSpec, SavedQuery


class ParameterError(ValueError):
    """A parameter is missing, unknown, of the wrong type or out of range."""


def _one(name: str, spec: ParamSpec, raw: Any) -> Any:
    kind = spec.type
    try:
        if kind == "string":
            if not isinstance(raw, str):
                raise ValueError("expected text")
            return raw
        if kind == "int":
            if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                raise ValueError("expected a whole number")
            return _ranged(spec, int(raw))
        if kind == "float":
            if isinstance(raw, bool):
                raise ValueError("expected a number")
            return _ranged(spec, float(raw))
        if kind == "bool":
            return _bool(raw)
        if kind == "date":
            return raw if isinstance(raw, dt.date) else normalise_date(str(raw))
        if kind == "datetime":
            return normalise_datetime(raw if isinstance(raw, dt.datetime) else str(raw))
        if kind == "phone":
            return normalise_phone(str(raw), spec.region).e164
        if kind == "wallet":
            return _wallet(str(raw))
        return _account(str(raw), spec.region)
    except (NormaliseError, ValueError, TypeError) as error:
        raise ParameterError(f"parameter {name!r} ({kind}): {error}") from None


def _wallet(raw: str) -> str:
    # The node id as results show it (`eth:0x...`), or a bare address.
    chain, sep, address = raw.strip().partition(":")
    if sep and address.strip():
        try:
            known = canonical_chain(chain)
        except NormaliseError:
            known = None
        if known is not None:
            return normalise_wallet(address.strip(), known).id
    return normalise_wallet(raw).id


def _account(raw: str, region: str | None) -> str:
    # The node id as results show it (`telegram:handle`), a profile URL or an e-mail.
    platform, sep, handle = raw.strip().partition(":")
    if sep and handle.strip() and not handle.startswith("//") and platform.lower() != "mailto":
        try:
            known = canonical_platform(platform)
        except NormaliseError:
            known = None
        if known is not None:
            return normalise_account(handle.strip(), known, region=region).id
    return normalise_account(raw, region=region).id


def _ranged(spec: ParamSpec, value: float) -> Any:
    if spec.min is not None and value < spec.min:
        raise ValueError(f"{value} is below the minimum {spec.min:g}")
    if spec.max is not None and value > spec.max:
        raise ValueError(f"{value} is above the maximum {spec.max:g}")
    return value


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise ValueError("expected true or false")


def coerce_parameters(query: SavedQuery, given: Mapping[str, Any]) -> dict[str, Any]:
    """The Cypher parameters for `given` (text from a CLI or JSON from the API)."""
    unknown = sorted(set(given) - set(query.parameters))
    if unknown:
        raise ParameterError(
            f"{query.id} takes no parameter(s) {unknown}; it takes {sorted(query.parameters)}"
        )
    values: dict[str, Any] = {}
    for name, spec in query.parameters.items():
        if name not in given or given[name] is None:
            if spec.required:
                raise ParameterError(f"{query.id}: parameter {name!r} is required ({spec.type})")
            values[name] = spec.default
            continue
        raw = given[name]
        if spec.list:
            items = raw if isinstance(raw, list) else [i for i in str(raw).split(",") if i.strip()]
            values[name] = [
                _one(name, spec, item.strip() if isinstance(item, str) else item) for item in items
            ]
        else:
            values[name] = _one(name, spec, raw)
    return values
