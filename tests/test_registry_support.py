"""Builders of small records for the registry tests (no tests here)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from minerals_summ import (
    Agreement,
    ArticleSummary,
    DateRef,
    Evidence,
    Money,
    Party,
    PolicyScheme,
)
from minerals_summ.registry.profile import Profile
from minerals_summ.vocabulary import (
    AgreementKind,
    Instrument,
    Mineral,
    PartyKind,
    Precision,
    Status,
)

EVIDENCE = (Evidence(quote="a quote", start=0, end=7),)


def profile(record: Agreement | PolicyScheme, published: str | None = None) -> Profile:
    """The linker's profile of a record, as of an article published that day (or undated)."""
    return Profile.of(record, dt.date.fromisoformat(published) if published else None)


def party(
    name: str, country: str | None, kind: str = "company", acronym: str | None = None
) -> Party:
    return Party(name=name, acronym=acronym, kind=PartyKind(kind), country=country)


def gov(name: str, country: str) -> Party:
    return party(name, country, "government")


def when(value: str | None, precision: str = "day") -> DateRef | None:
    if value is None:
        return None
    return DateRef(text=value, value=dt.date.fromisoformat(value), precision=Precision(precision))


def money(amount: str | None, currency: str) -> Money | None:
    if amount is None:
        return None
    return Money(text=f"{currency} {amount}", amount=Decimal(amount), currency=currency)


def agreement(
    title: str,
    parties: list[Party],
    *,
    kind: str = "memorandum_of_understanding",
    status: str = "signed",
    date: str | None = None,
    precision: str = "day",
    value: str | None = None,
    currency: str = "USD",
    minerals: tuple[str, ...] = (),
) -> Agreement:
    return Agreement(
        title=title,
        kind=AgreementKind(kind),
        status=Status(status),
        parties=tuple(parties),
        minerals=tuple(Mineral(m) for m in minerals),
        value=money(value, currency),
        date=when(date, precision),
        evidence=EVIDENCE,
    )


def scheme(
    name: str,
    country: str,
    *,
    instrument: str = "grant_or_subsidy",
    status: str = "approved",
    date: str | None = None,
    precision: str = "day",
    budget: str | None = None,
    currency: str = "INR",
    parent: str | None = None,
    minerals: tuple[str, ...] = (),
) -> PolicyScheme:
    return PolicyScheme(
        name=name,
        country=country,
        instrument=Instrument(instrument),
        status=Status(status),
        parent_programme=parent,
        budget=money(budget, currency),
        date=when(date, precision),
        minerals=tuple(Mineral(m) for m in minerals),
        evidence=EVIDENCE,
    )


def article(*records: Agreement | PolicyScheme, published: str | None = None) -> ArticleSummary:
    return ArticleSummary(
        summary="test",
        agreements=tuple(r for r in records if isinstance(r, Agreement)),
        policy_schemes=tuple(r for r in records if isinstance(r, PolicyScheme)),
        published=dt.date.fromisoformat(published) if published else None,
    )


FWO = party("Frontier Works Organization", "PK", "military", "FWO")
USSM = party("U.S. Strategic Metals", "US", "company", "USSM")
US = gov("United States", "US")
AU = gov("Australia", "AU")
