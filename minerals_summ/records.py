"""The records users get, and the values in them, checked against their article.

Every value here was computed by code from the article's own words (amounts, tonnes, dates, ISO
codes, canonical minerals) or located in the article (names, quotes, with offsets). Each value
keeps the ``text`` it was parsed from, so a reader can always check the number against the words.
Field names are shared with the gold files, the cassettes and the scorer. What each record and
field means, with examples: ``docs/annotation.md``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from minerals_summ.vocabulary import (
    Activity,
    AgreementKind,
    Instrument,
    Mineral,
    PartyKind,
    Precision,
    Qualifier,
    Status,
)

__all__ = [
    "Agreement",
    "DateRef",
    "DroppedRecord",
    "Evidence",
    "Money",
    "Party",
    "Person",
    "PolicyScheme",
    "Provenance",
    "Quantity",
    "Span",
    "Target",
    "Usage",
]

# Decimals travel as strings in JSON ("15000000000"), never as floats.
JsonDecimal = Annotated[Decimal, PlainSerializer(str, return_type=str, when_used="json")]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Record):
    """Character offsets ``[start, end)`` into the original article text."""

    start: int = Field(ge=0, description="offset of the first character")
    end: int = Field(ge=0, description="offset just past the last character")


_TEXT_SPAN = Field(None, description="where the text is in the article: offsets [start, end)")


class Money(_Record):
    """An amount of money, parsed from the article's words ("Rs 1,500-crore")."""

    text: str = Field(description="the amount as the article writes it")
    amount: JsonDecimal = Field(description="in whole units of the currency (a string in JSON)")
    currency: str = Field(description="ISO 4217 code")
    qualifier: Qualifier = Field(
        Qualifier.EXACT, description="what the text says of the amount: 'about', 'up to' ..."
    )
    span: Span | None = _TEXT_SPAN


class Quantity(_Record):
    """A physical quantity, parsed from the article's words ("270 kilo tonnes")."""

    text: str = Field(description="the quantity as the article writes it")
    value: JsonDecimal = Field(description="in the canonical unit (a string in JSON)")
    unit: str = Field(description="canonical unit: t, kg, GWh or ha")
    per_year: bool = Field(False, description="true for capacities and annual figures")
    qualifier: Qualifier = Field(
        Qualifier.EXACT, description="what the text says of the value: 'about', 'up to' ..."
    )
    span: Span | None = _TEXT_SPAN


class DateRef(_Record):
    """A date, in the article's words ("last month") and resolved against publication."""

    text: str = Field(description="the article's own words for the date")
    value: dt.date | None = Field(
        None,
        description="the date it resolves to (a week is its Monday, a month its 1st, a year "
        "1 January); None when it is relative and the publication date is unknown",
    )
    precision: Precision | None = Field(None, description="day, week, month, quarter or year")
    rule: str | None = Field(
        None,
        description="how the value was found: absolute, relative, next_occurrence, "
        "previous_occurrence, nearest_occurrence, weekday or end_of_period",
    )
    span: Span | None = _TEXT_SPAN


class Evidence(_Record):
    """A quote located in the article; ``article[start:end]`` is the article's own wording."""

    quote: str = Field(description="the article's words")
    start: int = Field(ge=0, description="offset of the first character")
    end: int = Field(ge=0, description="offset just past the last character")


_SPAN = Field(None, description="where the article names it: offsets [start, end)")
_EVIDENCE = Field(
    description="the article's quotes supporting the record, each with its offsets [start, end)"
)
_MINERALS = Field(
    (),
    description="canonical minerals the article links to the record (USGS 2025 list, plus "
    "rare_earth_elements and platinum_group_metals)",
)
_STATUS = Field(description="the strongest status the article states, no stronger")
_DATE = Field(None, description="when the event happened, in the article's words and resolved")


class Party(_Record):
    """One party to an agreement, named as the article names it."""

    name: str = Field(description="the party's name as the article gives it")
    acronym: str | None = Field(None, description="its acronym, only if the article gives one")
    kind: PartyKind = Field(description="government, state_entity, company, military, ...")
    country: str | None = Field(
        None, description="ISO 3166-1 alpha-2 code of its home country ('EU' for the EU)"
    )
    country_inferred: bool = Field(
        False, description="true when the article names no sign of that country"
    )
    span: Span | None = _SPAN


class Person(_Record):
    """An official the article names in connection with a record."""

    name: str = Field(description="the person's name as the article gives it")
    role: str | None = Field(None, description="their role, as the article gives it")
    organisation: str | None = Field(
        None, description="their organisation, as the article gives it"
    )
    span: Span | None = _SPAN


class Target(_Record):
    """A goal a policy scheme sets: what, and how much when the article says."""

    description: str = Field(description="what the target is, e.g. 'annual recycling capacity'")
    quantity: Quantity | None = Field(None, description="the amount targeted, with its unit")


class Agreement(_Record):
    """A deal, accord, understanding or declared cooperation between two or more parties.

    It need not be signed: declared talks count, with a status that says so.
    """

    title: str = Field(description="a short title for the agreement")
    kind: AgreementKind = Field(description="memorandum_of_understanding, trade_agreement, ...")
    status: Status = _STATUS
    parties: tuple[Party, ...] = Field(description="the parties, as the article names them")
    minerals: tuple[Mineral, ...] = _MINERALS
    activities: tuple[Activity, ...] = Field(
        (), description="what the agreement covers: exploration, processing, trade, ..."
    )
    value: Money | None = Field(None, description="the agreement's stated value, if any")
    date: DateRef | None = _DATE
    location: str | None = Field(None, description="where it was signed or agreed, as named")
    officials: tuple[Person, ...] = Field((), description="people named in connection with it")
    evidence: tuple[Evidence, ...] = _EVIDENCE


class PolicyScheme(_Record):
    """A government measure with one jurisdiction: a scheme, fund, tax credit, export control,
    tariff, stockpile, national mission or strategy, or regulation."""

    name: str = Field(description="the scheme's name, as the article gives or describes it")
    country: str = Field(description="the jurisdiction: ISO 3166-1 alpha-2 code, or 'EU'")
    country_inferred: bool = Field(
        False, description="true when the article names no sign of that country"
    )
    instrument: Instrument = Field(description="grant_or_subsidy, export_restriction, ...")
    status: Status = _STATUS
    approving_body: str | None = Field(None, description="who approved it, as the article names")
    parent_programme: str | None = Field(
        None, description="the programme it belongs to, as the article names it"
    )
    budget: Money | None = Field(None, description="its stated budget or size, if any")
    duration_years: int | None = Field(None, description="its duration, when the article states")
    date: DateRef | None = _DATE
    minerals: tuple[Mineral, ...] = _MINERALS
    targets: tuple[Target, ...] = Field((), description="the targets it sets")
    evidence: tuple[Evidence, ...] = _EVIDENCE


class Usage(_Record):
    """Tokens spent, summed over the model calls counted."""

    prompt_tokens: int = Field(0, description="tokens sent")
    cached_tokens: int = Field(
        0, description="prompt tokens the provider served from its cache (billed at a discount)"
    )
    completion_tokens: int = Field(0, description="tokens answered")
    total_tokens: int = Field(0, description="both together")

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            cached_tokens=self.cached_tokens + other.cached_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


class DroppedRecord(_Record):
    """A record the model proposed in an earlier attempt and left out of its final answer."""

    kind: str = Field(description="agreement or policy_scheme")
    label: str = Field(description="its title (agreement) or name (policy scheme) as proposed")
    attempt: int = Field(description="the last attempt that proposed it")
    problems: tuple[str, ...] = Field(
        (), description="what was wrong with it then; empty when it was valid and still left out"
    )


class Provenance(_Record):
    """Where a summary came from: enough to reproduce it and to know what it cost."""

    model: str = Field(description="the model asked")
    served_model: str | None = Field(
        None, description="the model the server says answered (its response's `model`)"
    )
    endpoint: str | None = Field(
        None, description="the server's base URL, without credentials or query"
    )
    mode: str = Field(description="how it answered: tools, json_schema or json")
    prompt_version: str = Field(description="the prompt's version and a hash of its file")
    schema_version: str = Field(description="a hash of the draft schema the model saw")
    library_version: str = Field(description="the minerals-summ version")
    attempts: int = Field(description="model calls, re-asks included")
    transport_retries: int = Field(description="calls repeated after 429, 5xx or timeouts")
    requests: int = Field(0, description="HTTP requests sent, retries and abandoned ones included")
    abandoned_requests: int = Field(
        0,
        description="requests given up at the timeout: the server may have spent tokens on them "
        "that no usage reports",
    )
    usage: Usage = Field(description="tokens reported over every model call")
    records_proposed: int = Field(
        0, description="distinct records the model proposed over every attempt"
    )
    records_rejected: int = Field(
        0, description="distinct records that failed a check in some attempt"
    )
    dropped_records: tuple[DroppedRecord, ...] = Field(
        (),
        description="records proposed in an earlier attempt and absent from the final answer, "
        "with their problems",
    )
    article_sha256: str = Field(description="sha256 of the article text, UTF-8")
    wall_time_s: float = Field(description="seconds from the call to its result")
    cost_usd: JsonDecimal | None = Field(
        None,
        description="what every model call cost, in US dollars (a string in JSON); None when "
        "the model's price is unknown",
    )
    chunks: int = Field(1, ge=1, description="model extractions the article took (long ones)")
    published_source: Literal["given", "page", "none"] = Field(
        "none",
        description="where the publication date came from: given by the caller, the web page's "
        "metadata, or nowhere",
    )
    url: str | None = Field(None, description="the article's address, when known")
    title: str | None = Field(None, description="the article's title, when known")
    source: str | None = Field(
        None, description="where the article came from: a file, a feed, a publication"
    )
    batch_id: str | None = Field(None, description="the provider batch that answered, if any")
