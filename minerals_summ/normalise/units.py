"""Units of weight, energy and area as news articles write them, with their canonical units.

Canonical units are ``t``, ``kg``, ``GWh`` and ``ha``. Ambiguous abbreviations, decided as follows:

- ``Mt`` (capital M, small t) is a million tonnes, the SI megatonne; ``MT``/``mt``/``MTs`` are
  metric tonnes, the usage of Indian and trade reporting ("50,000 MT").
- ``Mtpa``/``mtpa`` and ``MMT``/``MMTPA`` are million tonnes (per annum); ``MTPA`` follows
  ``MT``: metric tonnes per annum ("6,000 MTPA (metric tonne per annum)").
- "ton"/"tons" are metric tonnes; "short tons" (0.90718474 t) and "long tons" (1.0160469088 t)
  say so.
- "oz"/"ounces" are troy ounces (0.0311034768 kg), as for precious metals; "Moz"/"koz" scale them.
- "lb"/"lbs"/"Mlbs" and "pounds" are avoirdupois pounds (0.45359237 kg). For money, "pounds"
  is sterling unless a material follows (:func:`material_after`: "pounds of copper", "pounds
  U3O8").
- ``LMT`` is a lakh metric tonnes (100,000 t).
- Dry and wet tonnes ("dry metric tonnes", ``dmt``, ``wmt``) are tonnes of the material as
  weighed; the value does not convert between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from minerals_summ.normalise.minerals import is_mineral_name

__all__ = ["ANY_UNIT", "PERIODS", "PER_UNIT", "Unit", "material_after", "unit_at"]

OUNCE = Decimal("0.0311034768")
POUND = Decimal("0.45359237")
SHORT_TON = Decimal("0.90718474")
LONG_TON = Decimal("1.0160469088")
_TONNES = r"(?:tonnes?|tons?)"
_METRIC = r"(?:metric[\s-]+)"
_WATT_HOURS = r"[\s-]?watt[\s-]?hours?"


@dataclass(frozen=True)
class Unit:
    """A unit found in a text: canonical unit, factor to it, whether it is per year, its end."""

    unit: str
    factor: Decimal
    per_year: bool
    end: int


_FOREIGN_TONNES = r"toneladas?|tonnellat[ae]|tonnen|टन|టన్నుల|టన్నులు|トン|吨|톤"

# (regex, canonical unit, factor, per_year). The longest match wins.
_UNITS: list[tuple[str, str, Decimal, bool]] = [
    (rf"(?i:(?:(?:dry|wet)\s+)?{_METRIC}?{_TONNES}|[dw]mts?|{_FOREIGN_TONNES})|t|T|tU|MTs?|mts?",
     "t", Decimal(1), False),
    (rf"(?i:(?:dry\s+)?short[\s-]+{_TONNES})", "t", SHORT_TON, False),
    (rf"(?i:long[\s-]+{_TONNES})", "t", LONG_TON, False),
    (rf"(?i:kilo[\s-]?{_TONNES})|[kK]ts?|KTs?", "t", Decimal(10**3), False),
    (rf"Mt|M[wd]m?t|(?i:mmt|mega[\s-]?{_TONNES})", "t", Decimal(10**6), False),
    (r"Gt", "t", Decimal(10**9), False),
    (r"(?i:lmt)", "t", Decimal(10**5), False),
    # "MT" is metric tonnes, so "MTPA" is metric tonnes a year (the usage of Indian government
    # releases: "6,000 metric tonnes per annum (MTPA)"); "Mtpa", "mtpa" are millions.
    (r"(?i:tpa|tpy)|MTPA|MTPY", "t", Decimal(1), True),
    (r"(?i:ktpa|ktpy)", "t", Decimal(10**3), True),
    (r"Mtpa|Mtpy|mtpa|mtpy|(?i:mmtpa)", "t", Decimal(10**6), True),
    (r"(?i:(?:(?:dry|wet)\s+)?(?:kgs?|kilo(?:gram|gramme)?s?))", "kg", Decimal(1), False),
    (r"g|(?i:grams?|grammes?)", "kg", Decimal("0.001"), False),
    (r"oz|ozt|(?i:(?:troy\s+)?ounces?|onzas?|onças?)", "kg", OUNCE, False),
    (r"koz|kozs", "kg", OUNCE * 1000, False),
    (r"Moz|Mozs", "kg", OUNCE * 10**6, False),
    (r"lbs?|Lbs?|(?i:pounds?|pfund)", "kg", POUND, False),
    (r"[Mm]lbs?|MMlbs?", "kg", POUND * 10**6, False),
    (rf"[kK]\s?Wh|(?i:kilo{_WATT_HOURS})", "GWh", Decimal("0.000001"), False),
    (rf"M[Ww]\s?[Hh]|(?i:mega{_WATT_HOURS})", "GWh", Decimal("0.001"), False),
    (rf"G[Ww]\s?[Hh]|(?i:giga{_WATT_HOURS})", "GWh", Decimal(1), False),
    (rf"T[Ww]\s?[Hh]|(?i:tera{_WATT_HOURS})", "GWh", Decimal(1000), False),
    (r"(?i:ha|hectares?|hectors?|hect[áa]reas?|ettari)", "ha", Decimal(1), False),
    (r"(?i:(?:sq\.?|square)\s*(?:kms?|kilomet(?:re|er)s?)|km2|km²)", "ha", Decimal(100), False),
    (r"(?i:acres?)", "ha", Decimal("0.40468564224"), False),
    (r"(?i:sq\.?\s*mi(?:les?)?|square\s+miles?)", "ha", Decimal("258.9988110336"), False),
]  # fmt: skip
_UNIT_RE = [  # "de"/"di" before the unit in Spanish and Italian: "millones de toneladas"
    (re.compile(rf"[\s-]*(?:(?:de|di)\s+)?(?:{p})(?![A-Za-z\d²])"), unit, factor, per_year)
    for p, unit, factor, per_year in _UNITS
]
ANY_UNIT = "|".join(p for p, *_ in _UNITS)

# What makes an amount of money a price: "per kilogram", "a tonne", "/lb", "per share".
PER_UNIT = (
    rf"(?:(?:dry|wet|troy|metric|short|long)[\s-]+)?(?:{_TONNES}|t|mt|dmt|dmtu|mtu|kg"
    r"|kilo(?:gram|gramme)?s?|grams?|g|pounds?|lbs?|ounces?|oz|barrels?|bbl|shares?|units?"
    r"|[kMGT]Wh|megawatt[\s-]?hours?|kilowatt[\s-]?hours?|hectares?|ha|acres?|carats?|litres?"
    r"|liters?|gallons?|vehicles?|cars?|pieces?|toneladas?|tonnellat[ae]|tonnen|libras?|onzas?|pfund)"
)

# Periods shorter than a year, in English, French, Spanish, Portuguese, German, Indonesian and
# Italian: a figure per one of them is a rate ("1,000 tonnes per day", "R1,000 per month").
PERIODS = (
    r"day|d|week|wk|month|mo|hour|hr|h|shift|quarter|qtr|fortnight|jour|semaine|mois|heure"
    r"|d[íi]a|semana|mes|hora|tag|woche|monat|stunde|hari|minggu|bulan|jam|giorno|settimana|mese|ora"
)

_MATERIAL = re.compile(r"\s+(?:(?P<of>of)\s|(?P<word>[\w-]+))")
_MATERIAL_WORDS = frozenset({"concentrate", "concentrates", "ore", "yellowcake", "metal"})


def material_after(work: str, pos: int) -> bool:
    """Whether a material follows ``pos``: "of ...", a formula ("U3O8") or a mineral ("copper")."""
    match = _MATERIAL.match(work, pos)
    if match is None:
        return False
    if match["of"]:
        return True
    word = match["word"]
    return (
        any(c.isdigit() for c in word) or word.lower() in _MATERIAL_WORDS or is_mineral_name(word)
    )


def unit_at(work: str, pos: int) -> Unit | None:
    """The unit right after ``pos``; the longest match wins ("kilo tonnes" over "kilo")."""
    best: Unit | None = None
    for pattern, unit, factor, per_year in _UNIT_RE:
        match = pattern.match(work, pos)
        if match is not None and (best is None or match.end() > best.end):
            best = Unit(unit, factor, per_year, match.end())
    return best
