"""The draft the model fills, and the JSON Schema it sees.

The draft holds only what the model can copy or choose: the article's own words for money,
quantities and dates (``{"text": ...}``), enum values, names and quotes. The records
(:mod:`minerals_summ.records`) add what code computes from those words (amounts, tonnes, resolved
dates, ISO codes, canonical minerals, offsets into the article);
:func:`minerals_summ.resolve.resolve` turns one into the other.

Field names are shared with the gold files, the cassettes and the scorer: do not rename them.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from minerals_summ.vocabulary import Activity, AgreementKind, Instrument, PartyKind, Status

__all__ = [
    "AgreementDraft",
    "ArticleDraft",
    "DateDraft",
    "MoneyDraft",
    "PartyDraft",
    "PersonDraft",
    "PolicySchemeDraft",
    "QuantityDraft",
    "TargetDraft",
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


# Descriptions are what the model reads: short (they are sent with every request), drawn from
# docs/annotation.md, and free of `{{`/`{%` (instructor renders the system message, schema
# included, as a Jinja template in JSON mode).


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
    name: str = Field(description="as named in the article")
    role: str | None = Field(None, description="as the article gives it")
    organisation: str | None = Field(None, description="as the article gives it")


class TargetDraft(_Draft):
    description: str = Field(description="what is targeted, in a few words")
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

    title: str = Field(description="a short title from the article's facts")
    kind: AgreementKind
    status: Status = _STATUS
    parties: list[PartyDraft] = Field(min_length=1)
    minerals: list[str] = _MINERALS
    activities: list[Activity] = Field(default_factory=list)
    value: MoneyDraft | None = Field(None, description="the value the article states, or null")
    date: DateDraft | None = Field(None, description="the article's words for when")
    location: str | None = Field(None, description="where it was agreed, as named, or null")
    officials: list[PersonDraft] = Field(default_factory=list)
    evidence: list[str] = _EVIDENCE


class PolicySchemeDraft(_Draft):
    """A government measure with one jurisdiction: scheme, fund, tax credit, control, mission."""

    name: str = Field(description="as the article names or describes the measure")
    country: str = Field(description="jurisdiction: ISO 3166-1 alpha-2, or EU")
    instrument: Instrument
    status: Status = _STATUS
    approving_body: str | None = Field(None, description="who approved it, as named, or null")
    parent_programme: str | None = Field(None, description="the programme it is part of, or null")
    budget: MoneyDraft | None = Field(None, description="the budget the article states, or null")
    duration_years: int | None = Field(None, ge=1, description="only when the article states it")
    date: DateDraft | None = Field(None, description="the article's words for when")
    minerals: list[str] = _MINERALS
    targets: list[TargetDraft] = Field(default_factory=list)
    evidence: list[str] = _EVIDENCE


class ArticleDraft(_Draft):
    """Agreements and policy schemes reported in one article; empty lists when there are none."""

    summary: str = Field(description="one or two sentences of facts the article states")
    agreements: list[AgreementDraft] = Field(default_factory=list)
    policy_schemes: list[PolicySchemeDraft] = Field(default_factory=list)


def draft_json_schema() -> dict[str, Any]:
    """The JSON Schema the model sees."""
    return ArticleDraft.model_json_schema()


@functools.cache
def schema_version() -> str:
    """A short hash of the draft schema: changes whenever what the model sees changes."""
    compact = json.dumps(draft_json_schema(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(compact.encode()).hexdigest()[:12]
