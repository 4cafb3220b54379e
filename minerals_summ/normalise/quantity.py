"""Parse a physical quantity copied from an article: "270 kilo tonnes", "10 Mtpa", "50 GWh".

The pipeline: find the numbers with their scale words (:mod:`._numbers`), take the first one that
a known unit follows, convert to the canonical unit (``t``, ``kg``, ``GWh`` or ``ha``), and mark
``per_year`` for capacities and annual figures ("tpa", "per annum", "a year", "annual").

Ambiguous abbreviations, decided as follows:

- ``Mt`` (capital M, small t) is a million tonnes, the SI megatonne; ``MT``/``mt``/``MTs`` are
  metric tonnes, the usage of Indian and trade reporting ("50,000 MT").
- ``MTPA``/``Mtpa``/``mtpa`` and ``MMT``/``MMTPA`` are million tonnes (per annum): the industry
  convention, whatever the case.
- "ton"/"tons" are taken as metric tonnes; news on minerals rarely means short tons.
- "oz"/"ounces" are troy ounces (0.0311034768 kg), as for precious metals; "Moz"/"koz" scale them.
- ``LMT`` is a lakh metric tonnes (100,000 t).
- Dry and wet tonnes ("dry metric tonnes", ``dmt``, ``wmt``) are tonnes of the material as
  weighed; the value does not convert between them.
"""

from __future__ import annotations

import re
from decimal import Decimal

from minerals_summ.normalise._numbers import (
    Reading,
    clean,
    exact,
    find_readings,
    is_range,
    quote,
    read_scales,
    word_after,
)
from minerals_summ.normalise.money import parse_money
from minerals_summ.records import Quantity

__all__ = ["parse_quantity"]

_OZ = Decimal("0.0311034768")
_TONNES = r"(?:tonnes?|tons?)"
_WATT_HOURS = r"[\s-]?watt[\s-]?hours?"

# (regex, canonical unit, factor, per_year). The longest match wins.
_UNITS: list[tuple[str, str, Decimal, bool]] = [
    # "dry"/"wet" (metric) tonnes, dmt, wmt: concentrate shipped by weight, still tonnes.
    (rf"(?i:(?:(?:dry|wet)\s+)?(?:metric\s+)?{_TONNES}|[dw]mts?)|t|MTs?|mts?", "t", Decimal(1),
     False),
    (rf"(?i:kilo[\s-]?{_TONNES})|kts?|KTs?", "t", Decimal(10**3), False),
    (rf"Mt|(?i:mmt|mega[\s-]?{_TONNES})", "t", Decimal(10**6), False),
    (r"Gt", "t", Decimal(10**9), False),
    (r"(?i:lmt)", "t", Decimal(10**5), False),
    (r"(?i:tpa|tpy)", "t", Decimal(1), True),
    (r"(?i:ktpa|ktpy)", "t", Decimal(10**3), True),
    (r"(?i:mtpa|mmtpa|mtpy)", "t", Decimal(10**6), True),
    (r"(?i:kgs?|kilo(?:gram|gramme)?s?)", "kg", Decimal(1), False),
    (r"g|(?i:grams?|grammes?)", "kg", Decimal("0.001"), False),
    (r"oz|ozt|(?i:(?:troy\s+)?ounces?)", "kg", _OZ, False),
    (r"koz", "kg", _OZ * 1000, False),
    (r"Moz", "kg", _OZ * 10**6, False),
    (rf"[kK]Wh|(?i:kilo{_WATT_HOURS})", "GWh", Decimal("0.000001"), False),
    (rf"M[Ww][Hh]|(?i:mega{_WATT_HOURS})", "GWh", Decimal("0.001"), False),
    (rf"G[Ww][Hh]|(?i:giga{_WATT_HOURS})", "GWh", Decimal(1), False),
    (rf"T[Ww][Hh]|(?i:tera{_WATT_HOURS})", "GWh", Decimal(1000), False),
    (r"(?i:ha|hectares?|hectors?)", "ha", Decimal(1), False),
    (r"(?i:sq\.?\s*kms?|square\s+kilomet(?:re|er)s?|sq\.?\s*kilomet(?:re|er)s?|km2|km²)", "ha",
     Decimal(100), False),
    (r"(?i:acres?)", "ha", Decimal("0.40468564224"), False),
    (r"(?i:sq\.?\s*mi(?:les?)?|square\s+miles?)", "ha", Decimal("258.9988110336"), False),
]  # fmt: skip
_UNIT_RE = [
    (re.compile(rf"[\s-]*(?:{p})(?![A-Za-z\d²])"), unit, factor, per_year)
    for p, unit, factor, per_year in _UNITS
]
_ANY_UNIT = "|".join(p for p, *_ in _UNITS)

_YEAR = r"(?:annum|year|yr|y|a)\b"
_PER_OTHER = re.compile(
    r"\s*(?:/\s*|per\s+|a\s+|each\s+|every\s+)"
    r"(?:day|d|week|wk|month|mo|hour|hr|h|shift|quarter|qtr)\b",
    re.IGNORECASE,
)
_PER_YEAR_AFTER = re.compile(
    rf"\s*(?:/\s*{_YEAR}|per\s+{_YEAR}|p\.\s?a\.|pa\b|a\s+year\b|each\s+year\b|every\s+year\b"
    r"|annually\b|yearly\b|annual\b)",
    re.IGNORECASE,
)
_PER_YEAR_ANYWHERE = re.compile(
    r"\b(?:annual|annually|annualised|annualized|yearly|per\s+(?:annum|year))\b"
    r"|(?<!within )(?<!over )(?<!than )(?<!for )(?<!in )\b(?:a|each|every)\s+year\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"[\s-]*(?:%|per\s?cent\b|percent\b|pct\b)", re.IGNORECASE)
_ASK = "Copy a quantity with its unit exactly as written, e.g. '270 kilo tonnes', or null."


def _unit_at(work: str, pos: int) -> tuple[str, Decimal, bool, int] | None:
    """The unit right after ``pos``: canonical unit, factor, per_year, end of the unit.

    The longest match wins ("kilo tonnes" over "kilo").
    """
    best: tuple[str, Decimal, bool, int] | None = None
    for pattern, unit, factor, per_year in _UNIT_RE:
        match = pattern.match(work, pos)
        if match and (best is None or match.end() > best[3]):
            best = (unit, factor, per_year, match.end())
    return best


def _read(work: str, reading: Reading) -> tuple[Decimal, str, bool, int] | None:
    """Value in the canonical unit, unit, per_year and end, if a unit follows the number.

    The unit is tried right after the digits first, so "Mt" and "MT" are read as units rather
    than as the scale "M"; otherwise after the scale words ("1.5 million tonnes").
    """
    number = reading.value
    found = _unit_at(work, reading.number_end)
    if found is None:
        found = _unit_at(work, reading.end)
    elif reading.scaled:
        number /= read_scales(work, reading.number_end)[0]
    if found is None:
        return None
    unit, factor, per_year, end = found
    suffix = _PER_YEAR_AFTER.match(work, end)
    if suffix:
        per_year, end = True, suffix.end()
    return number * factor, unit, per_year, end


def _reject(text: str, work: str, reading: Reading) -> None:
    """Explain why the first number in ``text`` is not a quantity, always raising."""
    if _PERCENT.match(work, reading.end):
        msg = f"{quote(text)} is a percentage, not a quantity. {_ASK}"
        raise ValueError(msg)
    try:
        parse_money(text)
    except ValueError:
        pass
    else:
        msg = f"{quote(text)} is an amount of money, not a quantity. {_ASK}"
        raise ValueError(msg)
    if word_after(work, reading.end) is not None:
        msg = f"{quote(text)} has no unit of weight, energy or area after its number. {_ASK}"
        raise ValueError(msg)
    msg = f"{quote(text)} is a bare number with no unit. {_ASK}"
    raise ValueError(msg)


def parse_quantity(text: str) -> Quantity:
    """Parse ``text`` into a :class:`Quantity` in ``t``, ``kg``, ``GWh`` or ``ha``.

    The first number with a unit counts. Raises ``ValueError``, with a message for the model
    that wrote ``text``, for ranges, money, percentages, counts and bare numbers.
    """
    work = clean(text)
    readings = list(find_readings(text, work))
    if not readings:
        msg = f"{quote(text)} contains no number. {_ASK}"
        raise ValueError(msg)
    for reading in readings:
        parsed = _read(work, reading)
        if parsed is None:
            continue
        value, unit, per_year, end = parsed
        if is_range(work, reading, end, _ANY_UNIT):
            msg = (
                f"{quote(text)} is a range, not a single quantity. Copy one quantity with its "
                "unit exactly as written (e.g. '270 kilo tonnes'), or null when the article "
                "gives no single figure."
            )
            raise ValueError(msg)
        if not per_year and _PER_OTHER.match(work, end):
            msg = (
                f"{quote(text)} is a rate per day, week, month or hour, not a quantity or an "
                "annual figure. Copy a total or a per-year figure exactly as written, or null."
            )
            raise ValueError(msg)
        per_year = per_year or bool(_PER_YEAR_ANYWHERE.search(work))
        return Quantity(text=text, value=exact(value), unit=unit, per_year=per_year)
    _reject(text, work, readings[0])
    raise AssertionError  # pragma: no cover - _reject always raises
