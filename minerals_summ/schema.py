"""The two shapes of an extraction: the draft the model fills, and the records users get.

The draft holds only what the model can copy or choose: the article's own words for money,
quantities and dates (``{"text": ...}``), enum values, names and quotes. The records add what code
computes from those words (amounts, tonnes, resolved dates, ISO codes, canonical minerals, offsets
into the article). :func:`minerals_summ.resolve.resolve` turns one into the other.

Field names are shared with the gold files, the cassettes and the scorer: do not rename them.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator

from minerals_summ.values import DateRef, Evidence, Money, Quantity, Span
from minerals_summ.vocabulary import (
    Activity,
    AgreementKind,
    Instrument,
    Mineral,
    PartyKind,
    Status,
)

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = [
    "Agreement",
    "AgreementDraft",
    "ArticleDraft",
    "ArticleSummary",
    "DateDraft",
    "MoneyDraft",
    "Party",
    "PartyDraft",
    "Person",
    "PersonDraft",
    "PolicyScheme",
    "PolicySchemeDraft",
    "Provenance",
    "QuantityDraft",
    "Target",
    "TargetDraft",
    "Usage",
    "draft_json_schema",
    "schema_version",
]


def _compact(node: Any, *, root: bool = True) -> Any:
    """Drop what the model does not need: titles (they repeat names) and null defaults."""
    if isinstance(node, dict):
        return {
            key: _compact(value, root=False)
            for key, value in node.items()
            if not (key == "title" and not root and isinstance(value, str))
            and not (key == "default" and value is None)
        }
    if isinstance(node, list):
        return [_compact(item, root=False) for item in node]
    return node


_SCHEMAS: dict[tuple[Any, ...], dict[str, Any]] = {}


class _Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The schema the model sees, compacted (instructor builds its requests from this).

        Built once per class and arguments (it takes tens of milliseconds); callers get a copy.
        """
        key = (cls, args, tuple(sorted(kwargs.items())))
        if key not in _SCHEMAS:
            _SCHEMAS[key] = _compact(super().model_json_schema(*args, **kwargs))
        return copy.deepcopy(_SCHEMAS[key])


# Descriptions are what the model reads: short, drawn from ANNOTATION.md, and free of `{{`/`{%`
# (instructor renders the system message, schema included, as a Jinja template in JSON mode).


class MoneyDraft(_Draft):
    text: str = Field(description="amount exactly as written, e.g. 'Rs 1,500-crore'")


class QuantityDraft(_Draft):
    text: str = Field(description="quantity with unit exactly as written, e.g. '270 kilo tonnes'")
    per_year: bool = Field(False, description="true for capacities and annual figures")


class DateDraft(_Draft):
    text: str = Field(description="the article's own words, e.g. 'On July 31', 'last month'")


class PartyDraft(_Draft):
    name: str = Field(description="as named in the article")
    acronym: str | None = Field(None, description="only if the article gives one")
    kind: PartyKind
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 of home country; EU")


class PersonDraft(_Draft):
    name: str
    role: str | None = None
    organisation: str | None = None


class TargetDraft(_Draft):
    description: str
    quantity: QuantityDraft | None = None


_EVIDENCE: Any = Field(
    min_length=1,
    max_length=3,
    description="1-3 short exact quotes from the article supporting the record",
)
_MINERALS: Any = Field(
    default_factory=list,
    description="specific minerals the article links to the record; not 'critical minerals'",
)
_STATUS: Any = Field(description="strongest status the article states, no stronger")


class AgreementDraft(_Draft):
    """A deal, accord, understanding or declared cooperation between two or more parties."""

    title: str
    kind: AgreementKind
    status: Status = _STATUS
    parties: list[PartyDraft] = Field(min_length=1)
    minerals: list[str] = _MINERALS
    activities: list[Activity] = Field(default_factory=list)
    value: MoneyDraft | None = None
    date: DateDraft | None = None
    location: str | None = None
    officials: list[PersonDraft] = Field(default_factory=list)
    evidence: list[str] = _EVIDENCE


class PolicySchemeDraft(_Draft):
    """A government measure with one jurisdiction: scheme, fund, tax credit, control, mission."""

    name: str
    country: str = Field(description="jurisdiction: ISO 3166-1 alpha-2, or EU")
    instrument: Instrument
    status: Status = _STATUS
    approving_body: str | None = None
    parent_programme: str | None = None
    budget: MoneyDraft | None = None
    duration_years: int | None = Field(None, ge=1)
    date: DateDraft | None = None
    minerals: list[str] = _MINERALS
    targets: list[TargetDraft] = Field(default_factory=list)
    evidence: list[str] = _EVIDENCE


class ArticleDraft(_Draft):
    """Agreements and policy schemes reported in one article; empty lists when there are none."""

    summary: str = Field(description="one or two sentences")
    agreements: list[AgreementDraft] = Field(default_factory=list)
    policy_schemes: list[PolicySchemeDraft] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_against_article(self, info: ValidationInfo) -> ArticleDraft:
        """Run the caller's check (``context={"check": fn}``), e.g. grounding in the article.

        The check raises ``ValueError`` with a message for the model; instructor re-asks with it.
        """
        check = info.context.get("check") if isinstance(info.context, dict) else None
        if callable(check):
            check(self)
        return self


def draft_json_schema() -> dict[str, Any]:
    """The JSON Schema the model sees."""
    return ArticleDraft.model_json_schema()


@functools.cache
def schema_version() -> str:
    """A short hash of the draft schema: changes whenever what the model sees changes."""
    compact = json.dumps(draft_json_schema(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(compact.encode()).hexdigest()[:12]


# --- Records -------------------------------------------------------------------------------


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Party(_Record):
    name: str
    acronym: str | None = None
    kind: PartyKind
    country: str | None = Field(None, description="ISO 3166-1 alpha-2, or EU")
    country_inferred: bool = Field(False, description="the article names no sign of the country")
    span: Span | None = None


class Person(_Record):
    name: str
    role: str | None = None
    organisation: str | None = None
    span: Span | None = None


class Target(_Record):
    description: str
    quantity: Quantity | None = None


class Agreement(_Record):
    title: str
    kind: AgreementKind
    status: Status
    parties: tuple[Party, ...]
    minerals: tuple[Mineral, ...] = ()
    activities: tuple[Activity, ...] = ()
    value: Money | None = None
    date: DateRef | None = None
    location: str | None = None
    officials: tuple[Person, ...] = ()
    evidence: tuple[Evidence, ...]


class PolicyScheme(_Record):
    name: str
    country: str
    country_inferred: bool = Field(False, description="the article names no sign of the country")
    instrument: Instrument
    status: Status
    approving_body: str | None = None
    parent_programme: str | None = None
    budget: Money | None = None
    duration_years: int | None = None
    date: DateRef | None = None
    minerals: tuple[Mineral, ...] = ()
    targets: tuple[Target, ...] = ()
    evidence: tuple[Evidence, ...]


class Usage(_Record):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


class Provenance(_Record):
    """Where a summary came from: enough to reproduce it and to know what it cost."""

    model: str
    mode: str
    prompt_version: str
    schema_version: str
    library_version: str
    attempts: int = Field(description="model calls, re-asks included")
    transport_retries: int = Field(description="calls repeated after 429, 5xx or timeouts")
    usage: Usage
    article_sha256: str
    wall_time_s: float


class ArticleSummary(_Record):
    summary: str
    agreements: tuple[Agreement, ...] = ()
    policy_schemes: tuple[PolicyScheme, ...] = ()
    published: dt.date | None = None
    provenance: Provenance | None = None

    _draft: ArticleDraft | None = PrivateAttr(default=None)
    _article: str | None = PrivateAttr(default=None)  # the article text, for _repr_html_

    @property
    def draft(self) -> ArticleDraft | None:
        """The draft these records were resolved from, when known."""
        return self._draft

    def records(self) -> tuple[Agreement | PolicyScheme, ...]:
        return (*self.agreements, *self.policy_schemes)

    def _repr_html_(self) -> str:
        """Jupyter's view: :func:`minerals_summ.html.summary_html`, with the article if known."""
        from minerals_summ.html import summary_html

        return summary_html(self, getattr(self, "_article", None))

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per record: :func:`minerals_summ.html.to_records`."""
        from minerals_summ.html import to_records

        return to_records(self)

    def to_dataframe(self) -> pandas.DataFrame:
        """The records as a pandas DataFrame (needs ``pip install 'minerals-summ[pandas]'``)."""
        from minerals_summ.html import to_dataframe

        return to_dataframe(self)
