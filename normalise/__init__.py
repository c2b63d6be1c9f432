"""Normalisers: turn raw source values into canonical, comparable values, or refuse.

Every normaliser is a pure function that either returns a canonical value or raises
:class:`NormaliseError` (a ``ValueError``) naming the kind, the raw value and the reason. None
of them guesses: anything that cannot be normalised with certainty is rejected.

Kinds:

* ``phone`` -- :func:`normalise_phone` -> :class:`Phone` (E.164 via libphonenumber)
* ``wallet`` -- :func:`normalise_wallet` -> :class:`Wallet` (btc / eth / tron, checksums verified)
* ``account`` -- :func:`normalise_account` -> :class:`Account` (platform + canonical handle)
* ``location`` -- :func:`normalise_location` -> :class:`Location` (coordinates or named place)
* ``name`` -- :func:`normalise_name` -> :class:`Name` (display form and matching key)
* ``datetime`` -- :func:`normalise_datetime` -> aware ``datetime`` in UTC
* ``date`` -- :func:`normalise_date` -> ``date``
* ``text`` -- :func:`normalise_text` -> ``str`` (NFKC, whitespace collapsed, non-empty)

:data:`NORMALISERS` maps each kind name to its function. The functions take the raw value
first and their own keyword options after it (e.g. ``region=`` for phone), except
``location``, which is keyword-only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from normalise.account import Account, normalise_account
from normalise.dates import normalise_date, normalise_datetime
from normalise.errors import NormaliseError
from normalise.location import Location, normalise_location
from normalise.names import Name, normalise_name
from normalise.phone import Phone, normalise_phone
from normalise.text import normalise_text
from normalise.wallet import Wallet, normalise_wallet

NORMALISERS: Mapping[str, Callable[..., object]] = MappingProxyType({
    "phone": normalise_phone,
    "wallet": normalise_wallet,
    "account": normalise_account,
    "location": normalise_location,
    "name": normalise_name,
    "datetime": normalise_datetime,
    "date": normalise_date,
    "text": normalise_text,
})  # fmt: skip

__all__ = [
    "NORMALISERS",
    "Account",
    "Location",
    "Name",
    "NormaliseError",
    "Phone",
    "Wallet",
    "normalise_account",
    "normalise_date",
    "normalise_datetime",
    "normalise_location",
    "normalise_name",
    "normalise_phone",
    "normalise_text",
    "normalise_wallet",
]
