"""Value types parsed from the article's own words: money, quantities, dates, spans.

Each keeps the ``text`` it was parsed from, so a reader can always check the number against the
words. ``span`` is set when the text has been located in an article
(see :mod:`minerals_summ.grounding`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from minerals_summ.vocabulary import Precision, Qualifier

__all__ = ["DateRef", "Evidence", "Money", "Quantity", "Span"]

# Decimals travel as strings in JSON ("15000000000"), never as floats.
JsonDecimal = Annotated[Decimal, PlainSerializer(str, return_type=str, when_used="json")]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Value):
    """Character offsets ``[start, end)`` into the original article text."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Money(_Value):
    text: str
    amount: JsonDecimal
    currency: str = Field(description="ISO 4217 code")
    qualifier: Qualifier = Field(Qualifier.EXACT, description="'about', 'up to' ... in the text")
    span: Span | None = None


class Quantity(_Value):
    text: str
    value: JsonDecimal
    unit: str = Field(description="canonical unit: t, kg, GWh or ha")
    per_year: bool = False
    qualifier: Qualifier = Field(Qualifier.EXACT, description="'about', 'up to' ... in the text")
    span: Span | None = None


class DateRef(_Value):
    text: str
    value: dt.date | None = None
    precision: Precision | None = None
    rule: str | None = Field(
        None,
        description="how the value was found: absolute, relative, next_occurrence, "
        "previous_occurrence, nearest_occurrence, weekday or end_of_period",
    )
    span: Span | None = None


class Evidence(_Value):
    """A quote located in the article; ``article[start:end]`` is the article's own wording."""

    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
