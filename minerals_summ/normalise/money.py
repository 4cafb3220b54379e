"""Parse an amount of money copied from an article: "Rs 1,500-crore", "US$500-million", "€2.5bn".

The pipeline: find the numbers with their scale words (:mod:`._numbers`), look for a currency
marker just before ("A$", "Rs.", "USD $") or just after ("yuan", "euros", "crore rupees") each one,
take the first number that has a marker, and reject ranges, rates ("Rs 225 crore/GWh"), percentages
and counts ("4.35 crore shares"). When no number has a marker, ``default_currency`` applies to a
bare amount ("500 million"); a bare "$" or "dollars" means ``default_currency`` too, else USD.
"""

from __future__ import annotations

import re

from minerals_summ.normalise._numbers import (
    Reading,
    clean,
    exact,
    find_readings,
    is_range,
    quote,
    word_after,
)
from minerals_summ.records import Money

__all__ = ["parse_money"]

_ISO = (  # noqa: SIM905
    "USD AUD CAD NZD HKD SGD EUR GBP JPY CNY INR KRW CHF ZAR BRL IDR CLP MXN RUB SAR AED PKR "
    "PHP MYR THB VND NOK SEK DKK PLN TRY KZT ARS PEN NGN KES ZMW CDF TWD"
).split()

# (regex, ISO code); None is a bare dollar: default_currency, else USD. Codes are upper case.
_BEFORE: list[tuple[str, str | None]] = [
    (r"US\s?\$|U\.S\.\s?\$", "USD"),
    (r"A\$|AU\$", "AUD"),
    (r"C\$|CA\$|Can\$", "CAD"),
    (r"NZ\$", "NZD"),
    (r"HK\$", "HKD"),
    (r"S\$|SG\$", "SGD"),
    (r"€", "EUR"),
    (r"£", "GBP"),
    (r"¥|JP¥", "JPY"),
    (r"CN¥|RMB", "CNY"),
    (r"₹|(?<![A-Za-z])(?:Rs|RS|rs)\.?", "INR"),
    (r"₩", "KRW"),
    (r"R\$", "BRL"),
    (r"MX\$|Mex\$", "MXN"),
    (r"(?<![A-Za-z])\$", None),  # a bare dollar; "Z$" and other unknown dollars are not USD
    *((rf"(?<![A-Za-z]){code}", code) for code in _ISO),
]
_AFTER: list[tuple[str, str | None]] = [
    (r"(?i:US|U\.S\.|American)\s+dollars?", "USD"),
    (r"(?i:Australian)\s+dollars?", "AUD"),
    (r"(?i:Canadian)\s+dollars?", "CAD"),
    (r"(?i:New\s+Zealand)\s+dollars?", "NZD"),
    (r"(?i:Hong\s+Kong)\s+dollars?", "HKD"),
    (r"(?i:Singapore)\s+dollars?", "SGD"),
    (r"(?i:dollars?)", None),
    (r"(?i:euros?)", "EUR"),
    (r"(?i:pounds?(?:\s+sterling)?|sterling)", "GBP"),
    (r"(?i:yuan|renminbi)|RMB", "CNY"),
    (r"(?i:yen)", "JPY"),
    (r"(?i:won)", "KRW"),
    (r"(?i:rupees?)", "INR"),
    *((code, code) for code in _ISO),
]
_BEFORE_RE = [(re.compile(rf"(?:{p})\s*$"), code) for p, code in _BEFORE]
_AFTER_RE = [(re.compile(rf"[\s-]*(?:{p})(?![A-Za-z])"), code) for p, code in _AFTER]
_ANY_MARKER = "|".join(p for p, _ in _BEFORE)
# Scale words in other languages: refuse them rather than read "R$ 2 bilhões" as 2.
_FOREIGN_SCALE = re.compile(
    r"\b(?:bilh(?:ões|ão|oes|ao)|milh(?:ões|ão|oes|ao)|millones|mill[oó]n|milliards?|"
    r"miliard[oi]?|mrd|mio)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\s*(?:%|per\s?cent\b|percent\b|pct\b|percentage\b)", re.IGNORECASE)
_RATE = re.compile(
    r"\s*(?:/|\bper\b|\ba\b|\beach\b)\s*(?!annum|year|yr|month|quarter|cent)(?P<per>[^\W\d_]+)",
    re.IGNORECASE,
)
_RATE_UNITS = re.compile(
    r"GWh|MWh|kWh|t|tonnes?|tons?|kg|share|shares|unit|units|ha|hectares?|ounces?|oz|lb|barrel",
    re.IGNORECASE,
)
_ASK = (
    "Give a money value only when the article states a currency amount, copied exactly as "
    "written (e.g. 'Rs 1,500-crore'), or null."
)

_Marker = tuple[str | None, int]  # (ISO code or None for a bare dollar, position)


def _marker_before(work: str, pos: int) -> _Marker | None:
    """The currency marker ending just before ``pos``: the longest, then one before it ("USD $")."""
    found = [(m.start(), code) for p, code in _BEFORE_RE if (m := p.search(work, 0, pos))]
    if not found:
        return None
    start, code = min(found, key=lambda f: f[0])  # the longest: the one starting first
    if code is None:  # a bare dollar: a code just before it decides ("USD $", "US $")
        outer = _marker_before(work, start)
        if outer is not None and outer[0] is not None:
            return outer
    return code, start


def _marker_after(work: str, pos: int) -> tuple[str | None, int] | None:
    """The currency word right after ``pos`` ("yuan", "euros", "US dollars"): code and end."""
    found = [(m.end(), code) for p, code in _AFTER_RE if (m := p.match(work, pos))]
    if not found:
        return None
    end, code = max(found, key=lambda f: f[0])  # the longest
    return code, end


def _reject_unmarked(text: str, work: str, reading: Reading, default: str | None) -> None:
    """Explain why a number with no currency marker is not money, unless a default applies."""
    if _PERCENT.match(work, reading.number_end) or _PERCENT.match(work, reading.end):
        msg = f"{quote(text)} is a percentage, not an amount of money. {_ASK}"
        raise ValueError(msg)
    word = word_after(work, reading.end)
    if word is not None:
        msg = f"{quote(text)} is not an amount of money: it counts {word}. {_ASK}"
        raise ValueError(msg)
    if default is None:
        msg = f"{quote(text)} names no currency. {_ASK}"
        raise ValueError(msg)


def parse_money(text: str, *, default_currency: str | None = None) -> Money:
    """Parse ``text`` into :class:`Money` with ``amount`` in whole units of an ISO 4217 currency.

    The first amount counts ("A$1.2 billion (roughly $763 million)" is AUD 1,200,000,000).
    Raises ``ValueError``, with a message for the model that wrote ``text``, when it is not one
    amount of money: a range, a rate, a percentage, a count, or a number with no currency.
    """
    work = clean(text)
    if _FOREIGN_SCALE.search(work):
        msg = (
            f"{quote(text)} uses a scale word this library does not read. Copy an amount written "
            "with thousand, million, billion, trillion, lakh or crore, or null."
        )
        raise ValueError(msg)
    readings = list(find_readings(text, work))
    if not readings:
        msg = f"{quote(text)} contains no number. {_ASK}"
        raise ValueError(msg)
    chosen: tuple[Reading, str | None, int] | None = None
    for reading in readings:
        before = _marker_before(work, reading.start)
        after = _marker_after(work, reading.end)
        if reading.in_words and not (reading.scaled or after):
            continue
        if before is not None or after is not None:
            code = before[0] if before is not None else None
            if code is None and after is not None:
                code = after[0]
            chosen = (reading, code, after[1] if after is not None else reading.end)
            break
    if chosen is None:
        _reject_unmarked(text, work, readings[0], default_currency)
        chosen = (readings[0], default_currency, readings[0].end)
    reading, code, end = chosen
    if is_range(work, reading, end, _ANY_MARKER):
        msg = (
            f"{quote(text)} is a range, not a single amount. Copy one amount exactly as written "
            "(e.g. 'Rs 1,500-crore'), or null when the article gives no single figure."
        )
        raise ValueError(msg)
    rate = _RATE.match(work, end)
    if rate and _RATE_UNITS.fullmatch(rate["per"]):
        msg = (
            f"{quote(text)} is a rate per {rate['per']}, not an amount of money. Give a total "
            "amount only when the article states one, copied exactly as written, or null."
        )
        raise ValueError(msg)
    currency = code or default_currency or "USD"
    return Money(text=text, amount=exact(reading.value), currency=currency)
