"""The person records resolution compares, as read from the graph."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One Person node as resolution sees it.

    Attributes:
        id: the Person's id (`dataset:ref` or `scheme:CC:number`).
        names: the name first (when there is one), then the aliases, as stored.
        birth_date: ISO date, or None.
        nationality: ISO 3166-1 alpha-2, or None.
        gender: as the source gives it, or None.
        identifiers: `Label:id` of the phones, accounts and wallets the person holds,
            hubs left out.
        documents: identity documents the record carries, `scheme:CC:number` (or the
            number alone); placeholders are left out when compared.
        countries: countries the record is tied to besides its nationality: those of
            the phones it holds.
    """

    id: str
    names: tuple[str, ...] = ()
    birth_date: str | None = None
    nationality: str | None = None
    gender: str | None = None
    identifiers: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
