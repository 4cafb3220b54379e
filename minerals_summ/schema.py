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
    """Drop what the model does not need: titles (they repeat names), null defaults,
    ``"type": "string"`` beside an ``enum`` of strings, and ``"additionalProperties": false``
    (validation forbids other keys all the same; constrained decoding, e.g. llama.cpp's, allows
    no other keys unless the schema asks); and write an optional plain value (``anyOf`` of a
    type and null) as ``"type": [type, "null"]``."""
    if isinstance(node, list):
        return [_compact(item, root=False) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: _compact(value, root=False)
        for key, value in node.items()
        if not (key == "title" and not root and isinstance(value, str))
        and not (key == "default" and value is None)
        and not (key == "additionalProperties" and value is False)
    }
    if "enum" in out and out.get("type") == "string":
        del out["type"]
    options = out.get("anyOf")
    if (
        isinstance(options, list)
        and len(options) == 2
        and options[1] == {"type": "null"}
        and list(options[0]) == ["type"]
        and isinstance(options[0]["type"], str)
    ):
        del out["anyOf"]
        out = {"type": [options[0]["type"], "null"], **out}
    return out


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
# included, as a Jinja template in JSON mode). Guidance that holds for several fields (copy the
# article's words, names as given, null when the article says nothing, status, date, minerals,
# evidence) is said once, in the prompt's system text (prompts/extract.toml), not here.


class MoneyDraft(_Draft):
    text: str


class QuantityDraft(_Draft):
    text: str = Field(description="with its unit")
    per_year: bool = Field(False, description="true for capacities and annual figures")


class DateDraft(_Draft):
    text: str


class PartyDraft(_Draft):
    name: str
    acronym: str | None = Field(None, description="only if the article gives one")
    kind: PartyKind
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 of home country; EU")


class PersonDraft(_Draft):
    name: str
    role: str | None = None
    organisation: str | None = None


class TargetDraft(_Draft):
    description: str = Field(description="what is targeted, in a few words")
    quantity: QuantityDraft | None = None


_EVIDENCE: Any = Field(min_length=1, max_length=3)


class AgreementDraft(_Draft):
    """A deal, accord, understanding or declared cooperation between two or more parties."""

    title: str = Field(description="a short title from the article's facts")
    kind: AgreementKind
    status: Status
    parties: list[PartyDraft] = Field(min_length=1)
    minerals: list[str] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    value: MoneyDraft | None = None
    date: DateDraft | None = None
    location: str | None = Field(None, description="where it was agreed")
    officials: list[PersonDraft] = Field(default_factory=list)
    evidence: list[str] = _EVIDENCE


class PolicySchemeDraft(_Draft):
    """A government measure with one jurisdiction: scheme, fund, tax credit, control, mission."""

    name: str = Field(description="as the article names or describes the measure")
    country: str = Field(description="jurisdiction: ISO 3166-1 alpha-2, or EU")
    instrument: Instrument
    status: Status
    approving_body: str | None = None
    parent_programme: str | None = Field(None, description="the programme it is part of")
    budget: MoneyDraft | None = None
    duration_years: int | None = Field(None, ge=1)
    date: DateDraft | None = None
    minerals: list[str] = Field(default_factory=list)
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
