"""Parse a physical quantity copied from an article: "270 kilo tonnes", "10 Mtpa", "50 GWh".

The pipeline: find the numbers with their scale words (:mod:`._numbers`), take the first one that
a known unit follows (:mod:`.units`), convert to the canonical unit (``t``, ``kg``, ``GWh`` or
``ha``), mark ``per_year`` for capacities and annual figures ("tpa", "per annum", "a year",
"annual"), and keep the words that qualify the figure ("at least", "about": :mod:`.qualifiers`).

Refused: ranges and two values in one phrase ("2.6 and 6.0 million tons"), rates per day, week,
month or hour, money, percentages, counts and bare numbers.
"""

from __future__ import annotations

import re
from decimal import Decimal

from minerals_summ.normalise._numbers import (
    Reading,
    clean,
    exact,
    find_readings,
    joined,
    part_of,
    quote,
    read_scales,
    word_after,
)
from minerals_summ.normalise.minerals import is_mineral_name
from minerals_summ.normalise.money import parse_money
from minerals_summ.normalise.qualifiers import qualifier
from minerals_summ.normalise.refusal import Refusal
from minerals_summ.normalise.units import ANY_UNIT, PERIODS, Unit, unit_at
from minerals_summ.records import Quantity

__all__ = ["parse_quantity"]

_YEAR = r"(?:annum|year|yr|y|an?)\b"
_OF_WHAT = r"(?:\s+of\s+[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*)?)?"  # "tonnes of ore per day"
# A label between the unit and what it is per: a word glued to a slash ("30 kt LCE/yr", "2 Mt
# ore/a", "2.5 g Au/t") or anything in brackets ("3,000 t (ore)/yr", "1,000 tonnes (ore) per day").
_GLUED_LABEL = re.compile(r"\s+[^\W\d_][\w-]*(?=/)|\s*\([^()]{1,40}\)")
_PER_OTHER = re.compile(
    rf"{_OF_WHAT}(?:{_GLUED_LABEL.pattern})?[\s-]*(?:/\s*|per[\s-]+|an?[\s-]+|each[\s-]+"
    r"|every[\s-]+)(?:day|d|week|wk|month|mo|hour|hr|h|shift|quarter|qtr)\b",
    re.IGNORECASE,
)
# Any other "per" or "/" after the unit, in any language: a rate ("800k tonnes / mois"), a grade
# ("3.33 grams per tonne", "g/t"), a figure per head or per hectare. None is a quantity.
_YEAR_WORDS = r"(?:annum|year|yr|y|a|an|ann[ée]e|año|ano|anno|tahun|jahr)\b"
_PER_ANY = re.compile(
    rf"{_OF_WHAT}(?:{_GLUED_LABEL.pattern})?[\s-]*(?:/\s*|\b(?:per|par|por|pro|je)[\s-]+)"
    rf"(?!{_YEAR_WORDS}|cent\b)(?P<what>[^\W\d_][\w-]*)",
    re.IGNORECASE,
)
_PERIOD_WORDS = re.compile(PERIODS, re.IGNORECASE)
_PER_PERIOD_UNIT = re.compile(r"[\s-]*(?:[mk]?t(?:pd|ph)|t/[dh])\b", re.IGNORECASE)
# A year in other languages: "anuales", "annuali", "per tahun", "pro Jahr", "प्रति वर्ष", "年間".
_FOREIGN_YEARLY = (
    r"anua(?:l|les)|annual[ei]|annu[ao]|al\s+año|por\s+año|ao\s+ano|por\s+ano|per\s+tahun"
    r"|pro\s+jahr|jährlich|par\s+an\b|par\s+ann[ée]e|annuel(?:le)?s?|प्रति\s+वर्ष|सालाना|年間|每年"
    r"|年产|/年"
)
_PER_YEAR_AFTER = re.compile(
    rf"[\s-]*(?:/\s*{_YEAR}|per[\s-]+{_YEAR}|p\.\s?a\.|pa\b|a[\s-]+year\b|each[\s-]+year\b"
    rf"|every[\s-]+year\b|annually\b|yearly\b|annual\b|{_FOREIGN_YEARLY})",
    re.IGNORECASE,
)
_PER_YEAR_ANYWHERE = re.compile(
    r"\b(?:annual|annually|annualised|annualized|yearly|per[\s-]+(?:annum|year))\b"
    r"|(?<!within )(?<!over )(?<!than )(?<!for )(?<!in )\b(?:a|each|every)[\s-]+year\b"
    rf"|{_FOREIGN_YEARLY}",
    re.IGNORECASE,
)
# A label between the number and its unit: "38,900 PGM ounces", "2 Mt LCE" is after it.
_LABEL = re.compile(r"\s+(?P<word>(?=\w{2})[A-Z0-9]*[A-Z][A-Z0-9]*|[^\W\d_]+)(?=\s)")
# The unit spelled out in brackets after an abbreviation: "6,000 MTPA (metric tonne per annum)",
# "1.5 MTPA (million tonnes per annum)".
_SPELLED = re.compile(r"\s*\((?P<inner>[^)]+)\)")
# Another figure in the same phrase: "30,000 tons of nickel and 2,600 tons of cobalt".
_ANOTHER = re.compile(r"\b(?:and|against|versus|vs\.?|while|compared\s+(?:with|to))\b|,", re.I)
_PERCENT = re.compile(r"[\s-]*(?:%|per\s?cent\b|percent\b|pct\b)", re.IGNORECASE)
_ASK = "Copy a quantity with its unit exactly as written, e.g. '270 kilo tonnes', or null."


def _read(work: str, reading: Reading) -> tuple[Decimal, Unit] | None:
    """The value in the canonical unit, and the unit, if a unit follows the number.

    The unit is tried right after the digits first, so "Mt" and "MT" are read as units rather
    than as the scale "M"; otherwise after the scale words ("1.5 million tonnes").
    """
    number = reading.value
    found = _unit(work, reading.number_end)
    if found is None:
        found = _unit(work, reading.end) or _labelled_unit(work, reading.end)
    elif reading.scaled:
        number /= reading.factor
    if found is None:
        return None
    spelled = _SPELLED.match(work, found.end)
    if spelled:  # its scale words count: "1.5 MTPA (million tonnes per annum)"
        scale, at = read_scales(spelled["inner"], 0)
        inner = _unit(spelled["inner"], at)
        written = len(work[reading.end : found.end].strip())
        whole = inner is not None and inner.end == len(spelled["inner"].rstrip())
        if inner is not None and whole and inner.end > written:
            found = Unit(inner.unit, inner.factor * scale, inner.per_year, spelled.end())
    return number * found.factor, found


def _unit(work: str, pos: int) -> Unit | None:
    """The unit at ``pos`` with a per-year suffix ("tonnes a year", "kt/year"), if any."""
    found = unit_at(work, pos)
    if found is None:
        return None
    suffix = _PER_YEAR_AFTER.match(work, found.end)
    if suffix is None and (label := _GLUED_LABEL.match(work, found.end)):
        suffix = _PER_YEAR_AFTER.match(work, label.end())
    if suffix:
        return Unit(found.unit, found.factor, True, suffix.end())
    return found


def _labelled_unit(work: str, pos: int) -> Unit | None:
    """The unit after one or two labels (an acronym or a mineral): "38,900 PGM ounces"."""
    for _ in range(2):
        label = _LABEL.match(work, pos)
        if label is None:
            return None
        word = label["word"]
        if not (word.isupper() or is_mineral_name(word)):
            return None
        pos = label.end()
        found = _unit(work, pos)
        if found is not None:
            return found
    return None


def _reject(text: str, work: str, reading: Reading) -> None:
    """Explain why the first number in ``text`` is not a quantity, always raising."""
    if _PERCENT.match(work, reading.end):
        raise Refusal(f"{quote(text)} is a percentage, not a quantity. {_ASK}", "percentage")
    if _PER_PERIOD_UNIT.match(work, reading.end):
        msg = (
            f"{quote(text)} is a rate per day or hour, not a quantity or an annual figure. Copy "
            "a total or a per-year figure exactly as written, or null."
        )
        raise Refusal(msg, "rate_per_period")
    try:
        parse_money(text)
    except ValueError:
        pass
    else:
        msg = f"{quote(text)} is an amount of money, not a quantity. {_ASK}"
        raise Refusal(msg, "not_a_quantity")
    if word_after(work, reading.end) is not None:
        msg = f"{quote(text)} has no unit of weight, energy or area after its number. {_ASK}"
        raise Refusal(msg, "not_a_quantity")
    raise Refusal(f"{quote(text)} is a bare number with no unit. {_ASK}", "not_a_quantity")


def _another_figure(work: str, readings: list[Reading], reading: Reading, end: int) -> bool:
    """Whether another quantity follows, joined by "and", "against" ... (not in brackets)."""
    for other in readings:
        between = work[end : other.start]
        if other.start < end or between.count("(") > between.count(")"):
            continue
        if _ANOTHER.search(between) and _read(work, other) is not None:
            return True
    return False


def parse_quantity(text: str) -> Quantity:
    """Parse ``text`` into a :class:`Quantity` in ``t``, ``kg``, ``GWh`` or ``ha``.

    The first number with a unit counts. Raises :class:`~.refusal.Refusal` (a ``ValueError``),
    with a message for the model that wrote ``text``, for what is not one quantity.
    """
    work = clean(text)
    readings = list(find_readings(text, work))
    if not readings:
        raise Refusal(f"{quote(text)} contains no number. {_ASK}", "no_number")
    for reading in (r.checked() for r in readings):
        parsed = _read(work, reading)
        if parsed is None:
            continue
        value, unit = parsed
        part_of(text, work, reading.start)
        kind = joined(work, reading, unit.end, ANY_UNIT)
        if kind == "range":
            msg = (
                f"{quote(text)} is a range, not a single quantity. Copy one quantity with its "
                "unit exactly as written (e.g. '270 kilo tonnes'), or null when the article "
                "gives no single figure."
            )
            raise Refusal(msg, "range")
        if kind is None and _another_figure(work, readings, reading, unit.end):
            kind = "two_values"
        if kind == "two_values":
            msg = (
                f"{quote(text)} holds two quantities. Copy the one the field is about, with its "
                "number and unit, exactly as written, or null."
            )
            raise Refusal(msg, "two_values")
        per = _PER_ANY.match(work, unit.end)
        if (not unit.per_year and _PER_OTHER.match(work, unit.end)) or (
            per and _PERIOD_WORDS.fullmatch(per["what"])
        ):
            msg = (
                f"{quote(text)} is a rate per day, week, month or hour, not a quantity or an "
                "annual figure. Copy a total or a per-year figure exactly as written, or null."
            )
            raise Refusal(msg, "rate_per_period")
        if per:
            msg = (
                f"{quote(text)} is a figure per {per['what']} (a grade, a ratio or a rate), not a "
                f"quantity. {_ASK}"
            )
            raise Refusal(msg, "per_unit")
        return Quantity(
            text=text,
            value=exact(value),
            unit=unit.unit,
            per_year=unit.per_year or bool(_PER_YEAR_ANYWHERE.search(work)),
            qualifier=qualifier(work, reading.start, unit.end),
        )
    _reject(text, work, readings[0].checked())
    raise AssertionError  # pragma: no cover - _reject always raises
