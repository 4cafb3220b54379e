"""Parse an amount of money copied from an article: "Rs 1,500-crore", "US$500-million", "€2.5bn".

The pipeline: find the numbers with their scale words (:mod:`._numbers`), look for a currency
marker just before ("A$", "Rs.", "USD $") or just after ("yuan", "euros", "crore rupees", "¢")
each one (:mod:`.currencies`), and take the first number that has one. The first amount counts:
"A$1.2 billion (US$763 million)" is AUD. An amount in a currency this library does not know is
refused, never answered with another amount of the phrase. Ranges, two amounts, prices per unit
("$110 per kilogram", "$10/lb"), weights in pounds, percentages and counts ("4.35 crore shares")
are refused too. When no number has a marker, ``default_currency`` applies to a bare amount
("500 million"); a bare "$" or "dollars" means ``default_currency`` too, else USD.
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
from minerals_summ.normalise.currencies import AFTER, ANY_BEFORE, BEFORE, UNCLEAR, After
from minerals_summ.normalise.qualifiers import qualifier
from minerals_summ.normalise.refusal import Refusal
from minerals_summ.normalise.scales import DECIMAL_COMMA_WORDS
from minerals_summ.normalise.units import PER_UNIT, PERIODS, material_after
from minerals_summ.records import Money

__all__ = ["parse_money"]

_PERCENT = re.compile(r"\s*(?:%|per\s?cent\b|percent\b|pct\b|percentage\b)", re.IGNORECASE)
# A letter prefix glued to the number ("N5bn", "KSh5bn") or to a dollar sign ("Z$100"): a
# currency code this library does not know.
_UNKNOWN_PREFIX = re.compile(r"(?<![A-Za-z])(?:[A-Z][A-Za-z]{0,3}|[A-Z]{1,3}\$\s?)$")
_PERIOD = r"(?:annum|year|yr|y|month|quarter|qtr|jahr|año|ano|anno|tahun|mes|monat)\b"
# A price: "per kilogram", "/lb", "-per-lb", "pro Pfund", "por tonelada" (any word after "per"),
# "an ounce", "$5-a-tonne", "la tonelada" (a unit after an article), "apiece", "each" (not "each
# year"); after the amount or its conversion ("(US$1.66)", "or US$1.66").
_PER = re.compile(
    rf"(?:\s*\([^)]*\)|\s+or\s+\S+)?(?:[\s-]*(?:/\s*|\b(?:per|pro|por|par|je)[\s-]+)"
    rf"(?!{_PERIOD}|cent\b)(?P<what>(?:(?:metric|short|long|dry|wet|troy)\s+)?\w[\w-]*)"
    rf"|[\s-]*\b(?:an?|each|la|el|le|il)[\s-]+(?P<unit>{PER_UNIT})(?![^\W\d_])"
    rf"|[\s-]*\b(?P<item>apiece|each)\b(?![\s-]+{_PERIOD}))",
    re.IGNORECASE,
)
# A rate per period shorter than a year, after the amount or its conversion: "R1,000 per month",
# "$2 million a week", "US$50,000/day", "$1m daily". An annual flow ("$500 million a year") is the
# amount.
_PER_PERIOD = re.compile(
    r"(?:\s*\([^)]*\)|\s+or\s+\S+)?[\s-]*(?:(?:/\s*|\b(?:per|pro|por|par|je|al|an?|each|every)"
    rf"[\s-]+)(?P<period>{PERIODS})\b|\b(?P<adverb>monthly|weekly|daily|hourly|fortnightly)\b)",
    re.IGNORECASE,
)
# Scale-like abbreviations this library cannot read for certain: "MM" (a million in US finance,
# a thousand million in Spanish), "bi"/"mi" (Brazilian), "mill", "Md", "thou", "grand".
_UNCLEAR_SCALE = re.compile(
    r"[\s-]?(?P<word>mm|bi|mi|mill|bill|md|mds|mns|bns|thou|grand|tri|trl)\.?(?![^\W\d_])",
    re.IGNORECASE,
)
# "mil" is a thousand in Spanish and Portuguese ("R$ 30 mil", "US$ 500 mil dólares") and a
# million in Malaysian English ("RM350mil"); after another currency, with no other word of those
# languages, it could be either.
_MIL = re.compile(r"[\s-]*mil\.?", re.IGNORECASE)
_THOUSAND_MIL = frozenset(
    "ARS BOB BRL CLP COP CRC DOP EUR GTQ MXN PEN PYG UYU VES".split()  # noqa: SIM905
)
_IBERIAN = re.compile(rf"\b(?:de|del|la|el|por|para|{DECIMAL_COMMA_WORDS})\b", re.IGNORECASE)
_ASK = (
    "Give a money value only when the article states a currency amount, copied exactly as "
    "written (e.g. 'Rs 1,500-crore'), or null."
)

_Marker = tuple[str | None, int]  # (ISO code, UNCLEAR, or None for a bare dollar; position)


def _marker_before(work: str, pos: int) -> _Marker | None:
    """The currency marker ending just before ``pos``: the longest, then one before it ("USD $")."""
    found = [(m.start(), b.code) for b in BEFORE if (m := b.pattern.search(work, 0, pos))]
    if not found:
        return None
    start, code = min(found, key=lambda f: f[0])  # the longest: the one starting first
    if code is None:  # a bare dollar: a code just before it decides ("USD $", "US $")
        outer = _marker_before(work, start)
        if outer is not None and outer[0] is not None:
            return outer
    return code, start


def _marker_after(work: str, pos: int) -> tuple[After, int] | None:
    """The currency word right after ``pos`` ("yuan", "euros", "US dollars"), and its end."""
    found = [(m.end(), a) for a in AFTER if (m := a.pattern.match(work, pos))]
    if not found:
        return None
    end, marker = max(found, key=lambda f: f[0])  # the longest
    return marker, end


def _unknown_currency(text: str, work: str, reading: Reading) -> Refusal:
    prefix = _UNKNOWN_PREFIX.search(work, max(0, reading.start - 6), reading.start)
    word = prefix[0].strip() if prefix else word_after(work, reading.end)
    named = f" ({word!r})" if word else ""
    msg = (
        f"{quote(text)} is an amount in a currency this library does not know{named}. Give "
        "null for this value; an amount in another currency elsewhere in the phrase is not "
        "the article's figure."
    )
    return Refusal(msg, "unknown_currency")


def _reject_unmarked(text: str, work: str, reading: Reading, default: str | None) -> None:
    """Explain why a number with no currency marker is not money, unless a default applies."""
    if _PERCENT.match(work, reading.number_end) or _PERCENT.match(work, reading.end):
        raise Refusal(
            f"{quote(text)} is a percentage, not an amount of money. {_ASK}", "percentage"
        )
    if _UNKNOWN_PREFIX.search(work, max(0, reading.start - 6), reading.start):
        raise _unknown_currency(text, work, reading)
    word = word_after(work, reading.end)
    if word is not None:
        msg = (
            f"{quote(text)} is not an amount of money: it counts {word}, which is not a "
            f"currency this library knows. {_ASK}"
        )
        raise Refusal(msg, "not_money")
    if default is None:
        raise Refusal(f"{quote(text)} names no currency. {_ASK}", "no_currency")


def _choose(text: str, work: str, readings: list[Reading]) -> tuple[Reading, int, str | None, int]:
    """The amount: its reading, where it starts, its currency code, where it ends.

    Raises when the first amount of the phrase has no currency this library knows.
    """
    unmarked: Reading | None = None
    for reading in (r.checked() for r in readings):
        before = _marker_before(work, reading.start)
        after = _marker_after(work, reading.end)
        if reading.in_words and not (reading.scaled or after):
            continue
        if before is None and after is None:
            unmarked = unmarked or reading
            continue
        # An earlier amount with no known currency ("5 billion leones ($900 million)", "N5bn
        # ($3m)") is the figure; this one is only a conversion of it.
        if unmarked is not None and (
            unmarked.scaled
            or "(" in work[unmarked.end : reading.start]
            or _UNKNOWN_PREFIX.search(work, max(0, unmarked.start - 6), unmarked.start)
        ):
            raise _unknown_currency(text, work, unmarked)
        code = before[0] if before is not None else None
        value, end = reading.value, reading.end
        if after is not None:
            marker, end = after
            code = code or marker.code
            if marker.cents:
                value /= 100
            factor, end = read_scales(work, end)  # "7,280 रुपये करोड़": the scale after the word
            value *= factor
            if marker.pounds and before is None and material_after(work, end):
                msg = (
                    f"{quote(text)} is a weight in pounds, not an amount of money. Copy it as a "
                    "quantity, or give null for the money value."
                )
                raise Refusal(msg, "not_money")
        if code == UNCLEAR:
            raise _unknown_currency(text, work, reading)
        start = before[1] if before is not None else reading.start
        chosen = Reading(value, reading.start, reading.number_end, end, reading.scaled, False)
        return chosen, start, code, end
    raise LookupError  # no marked amount: the caller explains


def _currency_at(work: str, reading: Reading, default: str | None) -> str | None:
    """The currency of another amount of the phrase, if it has a marker."""
    before = _marker_before(work, reading.start)
    after = _marker_after(work, reading.end)
    if before is None and after is None:
        return None
    code = before[0] if before is not None else None
    if code is None and after is not None:
        code = after[0].code
    return code or default or "USD"


def _second_amount(
    work: str, readings: list[Reading], end: int, code: str, default: str | None
) -> Reading | None:
    """A later amount of the phrase, outside brackets; in another currency it is a conversion
    ("A$5.2 or US$3.4 billion"), in the same currency a second figure ("Rs 16,300 crore, PSUs
    Rs 18,000 crore"). Returns the first such amount in the same currency, else None."""
    for other in readings:
        between = work[end : other.start]
        if other.start < end or between.count("(") > between.count(")"):
            continue
        if _currency_at(work, other, default) == code:
            return other
    return None


def _shared_scale(work: str, readings: list[Reading], reading: Reading, end: int) -> Decimal:
    """The scale a conversion gives an amount written without one: "A$5.2 or US$3.4 billion"."""
    if reading.scaled or not re.match(r"\s*or\b", work[end:]):
        return Decimal(1)
    following = [r for r in readings if r.start >= end]
    return following[0].factor if following else Decimal(1)


def _scale_check(text: str, work: str, reading: Reading, end: int, currency: str) -> Decimal:
    """The factor that corrects the amount's scale ("RM350mil": 1,000), or a refusal when its
    scale cannot be told."""
    unclear = _UNCLEAR_SCALE.match(work, end) if not reading.scaled else None
    mil = _MIL.fullmatch(work, reading.number_end, reading.end) is not None
    if mil and currency == "MYR":
        return Decimal(1000)
    if unclear or (mil and currency not in _THOUSAND_MIL and not _IBERIAN.search(work)):
        word = unclear["word"] if unclear else "mil"
        msg = (
            f"{quote(text)} has a scale word ({word!r}) that means a thousand, a million or a "
            "billion depending on the language. Copy an amount with its scale written out (e.g. "
            "'US$1.2 billion'), or null."
        )
        raise Refusal(msg, "unclear_scale")
    return Decimal(1)


def parse_money(text: str, *, default_currency: str | None = None) -> Money:
    """Parse ``text`` into :class:`Money` with ``amount`` in whole units of an ISO 4217 currency.

    The first amount counts ("A$1.2 billion (roughly $763 million)" is AUD 1,200,000,000).
    Raises :class:`~.refusal.Refusal` (a ``ValueError``), with a message for the model that
    wrote ``text``, when it is not one amount of money in a known currency.
    """
    work = clean(text)
    readings = list(find_readings(text, work))
    if not readings:
        raise Refusal(f"{quote(text)} contains no number. {_ASK}", "no_number")
    try:
        reading, start, code, end = _choose(text, work, readings)
    except LookupError:
        reading = readings[0].checked()
        _reject_unmarked(text, work, reading, default_currency)
        start, code, end = reading.start, default_currency, reading.end
    currency = code or default_currency or "USD"
    part_of(text, work, start)
    kind = joined(work, reading, end, ANY_BEFORE)
    if (
        kind == "two_values"
        and _second_amount(work, readings, end, currency, default_currency) is None
    ):
        kind = None  # a conversion into another currency: "$20 billion or around ₩25 trillion"
    elif kind is None and _second_amount(work, readings, end, currency, default_currency):
        kind = "two_values"
    if kind is not None:
        what = "a range" if kind == "range" else "two amounts"
        msg = (
            f"{quote(text)} is {what}, not a single amount. Copy one amount exactly as written "
            "(e.g. 'Rs 1,500-crore'), or null when the article gives no single figure."
        )
        raise Refusal(msg, kind)
    if rate := _PER_PERIOD.match(work, end):
        what = rate["adverb"] or f"per {rate['period']}"
        msg = (
            f"{quote(text)} is a rate ({what}), not an amount of money. Give a total or a yearly "
            "amount only when the article states one, copied exactly as written, or null."
        )
        raise Refusal(msg, "rate_per_period")
    per = _PER.match(work, end)
    if per:
        what = (
            f"an amount for each item ({per['item']!r})"
            if per["item"]
            else (f"a price per {per['what'] or per['unit']}")
        )
        msg = (
            f"{quote(text)} is {what}, not an amount of money. Give a total amount only when "
            "the article states one, copied exactly as written, or null."
        )
        raise Refusal(msg, "price_per_unit")
    scale = _scale_check(text, work, reading, end, currency)
    return Money(
        text=text,
        amount=exact(reading.value * scale * _shared_scale(work, readings, reading, end)),
        currency=currency,
        qualifier=qualifier(work, start, end),
    )
