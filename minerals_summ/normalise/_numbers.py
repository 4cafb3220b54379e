"""Reading numbers as news articles write them, shared by the money and quantity parsers.

A *reading* is a number (digits with western "2,500,000", Indian "1,50,00,000" or space
"800 000" grouping, a decimal point or a lone decimal comma "4,5", or a small number word such as
"two") followed by any scale words ("million", "bn", "crore", "lakh crore", "करोड़"), possibly
hyphenated ("1,500-crore"); "half a billion" and "a quarter of a billion" are fractions of their
scale. The parsers decide what may follow it (a currency, a unit). All positions refer to
:func:`clean` text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from minerals_summ.normalise.invisible import visible
from minerals_summ.normalise.qualifiers import QUALIFIER_WORDS
from minerals_summ.normalise.refusal import Refusal
from minerals_summ.normalise.scales import (
    DECIMAL_COMMA,
    DECIMAL_COMMA_WORDS,
    NUMBER_WORDS,
    SCALES,
)

__all__ = [
    "Reading",
    "clean",
    "exact",
    "find_readings",
    "joined",
    "part_of",
    "quote",
    "read_scales",
    "word_after",
]

_FRACTIONS = {"half": 2, "halves": 2, "quarter": 4, "quarters": 4, "third": 3, "thirds": 3}

_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-") | dict.fromkeys("\uff5e\u301c", "~")
)

# Digits with their separators, read by _digits: "2,500,000", "1,50,00,000", "2.000.000",
# "1.234,5", "4,5", "800 000" (groups of three after a space), ".718".
_DIGITS = re.compile(
    r"(?<!\d)(?<!\d[.,])(?:\d{1,3}(?: \d{3})+(?![\d.,]\d)|\d+(?:[.,]\d+)*)|(?<![\w.,])\.\d+"
)
_WORD_NUMBER = re.compile(
    r"(?<![\w-])(?P<word>" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
# "de"/"di" join scale words in Spanish and Italian: "miles de millones"; "Mio." has a period.
_SCALE = re.compile(
    r"[\s-]*(?:(?:de|di)\s+)?(?P<scale>"
    + "|".join(sorted(SCALES, key=len, reverse=True))
    + r")(?:(?<=[万萬億亿兆])|(?![^\W\d_]))\.?",  # no space after Chinese and Japanese words
    re.IGNORECASE,
)
# A number in words with its digits in brackets, or the reverse, as contracts and government
# releases write it: "Fifty (50) GWh", "two (2) million tonnes", "50 (fifty)". One number.
_SPELLED_OUT = "|".join(sorted((w for w in NUMBER_WORDS if len(w) > 2), key=len, reverse=True))
_DOUBLED = re.compile(
    rf"(?<![\w-])(?:(?P<word>{_SPELLED_OUT})\s*\(\s*(?P<digits>\d+)\s*\)"
    rf"|(?P<digits2>\d+)\s*\(\s*(?P<word2>{_SPELLED_OUT})\s*\))(?![\w-])",
    re.IGNORECASE,
)
_DECIMAL_COMMA_WORD = re.compile(rf"[\s-]*(?:{DECIMAL_COMMA_WORDS})(?![^\W\d_])", re.IGNORECASE)
_FRACTION = re.compile(
    r"(?<![\w-])(?:(?P<count>a|one|two|three)[\s-]+)?(?P<part>"
    + "|".join(_FRACTIONS)
    + r")(?:[\s-]+of)?[\s-]+$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\s-]*(?P<word>[^\W\d_][\w-]*)")


@dataclass(frozen=True)
class Reading:
    """A number with its scale words: ``value`` = number x scales, ``clean_text[start:end]``.

    ``problem`` is the refusal of digits that read as no number ("1,50 million"); ``value`` is
    then 0. It is raised by :meth:`checked` only when the parser comes to read this number: a
    conversion after the figure ("US$200-million (R1,45-billion)") is not the figure.
    """

    value: Decimal
    start: int
    number_end: int
    end: int
    scaled: bool
    in_words: bool
    factor: Decimal = Decimal(1)  # the scale words' product
    problem: Refusal | None = None

    def checked(self) -> Reading:
        """This reading, or its problem raised."""
        if self.problem is not None:
            raise self.problem
        return self


def clean(text: str) -> str:
    """The text as the parsers read it: no format characters, plain spaces, hyphens and tildes,
    NFC."""
    return unicodedata.normalize("NFC", visible(text).translate(_DASHES))


def quote(text: str) -> str:
    """The text as it appears in a message: in single quotes, trimmed if long, on one line."""
    text = " ".join(visible(text).split())
    short = text if len(text) <= 120 else text[:117] + "..."
    return "'" + short.replace("'", "\u2019") + "'"


def exact(value: Decimal) -> Decimal:
    """An exact Decimal without exponent: ``1.5E+9`` -> ``1500000000``, ``2.750`` -> ``2.75``."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _grouping(text: str, digits: str) -> Refusal:
    msg = (
        f"{quote(text)} has a number with unusual digit grouping ({digits!r}). Copy the figure "
        "exactly as the article writes it, or null."
    )
    return Refusal(msg, "digit_grouping")


def _digits(text: str, digits: str, decimal_comma: bool, scaled: bool) -> Decimal:
    """The value of ``digits`` as written, grouping and decimal mark told apart.

    A comma before exactly three digits groups them ("1,500"; "1,50,00,000" in Indian style); a
    comma before one digit ("4,5"), or before two after a decimal-comma scale word ("11,83
    miliar"), is a decimal mark. A dot is a decimal mark, except in "2.000.000", before a decimal
    comma ("1.234,5"), after a decimal-comma scale word ("6.300 millones"), and before three
    digits ending in "00" with no scale word ("56.700tpa", "2.000 tpa": no one writes 2.5 as
    2.500).
    """
    digits = digits.replace(" ", "")
    if "," in digits and "." in digits:  # the last mark is the decimal one
        decimal = "," if digits.rindex(",") > digits.rindex(".") else "."
        grouping = "." if decimal == "," else ","
        whole, _, frac = digits.rpartition(decimal)
        if decimal in whole:
            raise _grouping(text, digits)
        return Decimal(_whole(text, whole, grouping) + "." + frac)
    if "," in digits:
        groups = digits.split(",")
        if len(groups) == 2 and (len(groups[1]) == 1 or (len(groups[1]) == 2 and decimal_comma)):
            return Decimal(groups[0] + "." + groups[1])
        return Decimal(_whole(text, digits, ","))
    if "." in digits:
        groups = digits.split(".")
        thousands = len(groups) > 2 or (
            len(groups[1]) == 3
            and groups[0].lstrip("0") != ""
            and (decimal_comma or (not scaled and groups[1].endswith("00")))
        )
        return Decimal(_whole(text, digits, ".") if thousands else "0" + digits)
    return Decimal(digits)


def _whole(text: str, digits: str, mark: str) -> str:
    """``digits`` grouped by ``mark`` in western or Indian style, without the marks."""
    groups = digits.split(mark)
    western = all(len(g) == 3 for g in groups[1:])
    indian = len(groups[-1]) == 3 and all(len(g) == 2 for g in groups[1:-1])
    if not (western or indian) or not groups[0]:
        raise _grouping(text, digits)
    return "".join(groups)


def read_scales(work: str, pos: int) -> tuple[Decimal, int]:
    """Multiply the scale words starting at ``pos`` ("lakh crore" = 10^12); return factor, end."""
    factor = Decimal(1)
    while match := _SCALE.match(work, pos):
        factor *= SCALES[match["scale"].lower()]
        pos = match.end()
    return factor, pos


def _decimal_comma(work: str, pos: int) -> bool:
    """Whether the words at ``pos`` are of a language that writes a decimal comma."""
    match = _SCALE.match(work, pos)
    if match is not None:
        return match["scale"].lower() in DECIMAL_COMMA
    return _DECIMAL_COMMA_WORD.match(work, pos) is not None


def _fraction(text: str, work: str, start: int, value: Decimal) -> tuple[Decimal, int]:
    """``value`` times a fraction written before ``start`` ("half a", "a quarter of a")."""
    match = _FRACTION.search(work, max(0, start - 30), start)
    if match is None or match.end() != start:
        return value, start
    part = Fraction(NUMBER_WORDS.get((match["count"] or "a").lower(), 1))
    part /= _FRACTIONS[match["part"].lower()]
    scaled = Fraction(value) * part
    if scaled.denominator != 1:
        msg = (
            f"{quote(text)} is a fraction that gives no exact figure. Copy a figure written in "
            "digits, or null."
        )
        raise Refusal(msg, "inexact")
    return Decimal(scaled.numerator), match.start()


def find_readings(text: str, work: str | None = None) -> Iterator[Reading]:
    """Every number in ``text`` in order of position, each with the scale words that follow it.

    Number words count only when a scale word follows ("two million"), or when the caller accepts
    a bare word ("five tonnes"); "a"/"an" count only before a scale word ("a billion"). Numbers
    told in parts are one number: "1 million 300 thousand", "7 thousand 280 crore".
    ``work`` is ``clean(text)``, if the caller has it already.
    """
    if work is None:
        work = clean(text)
    found: list[tuple[int, int, str, bool]] = [
        (m.start(), m.end(), m[0], False) for m in _DIGITS.finditer(work)
    ]
    found += [(m.start(), m.end(), m["word"], True) for m in _WORD_NUMBER.finditer(work)]
    for m in _DOUBLED.finditer(work):
        word, digits = (m["word"] or m["word2"]).lower(), m["digits"] or m["digits2"]
        if NUMBER_WORDS[word] == int(digits):
            found = [f for f in found if not m.start() <= f[0] < m.end()]
            found.append((m.start(), m.end(), digits, False))
    readings: list[Reading] = []
    for start, number_end, written, in_words in sorted(found, key=lambda f: f[0]):
        factor, end = read_scales(work, number_end)
        word = written.lower()
        if in_words and word in {"a", "an"} and end == number_end:
            continue
        problem = None
        if in_words:
            number = Decimal(NUMBER_WORDS[word])
        else:
            try:
                number = _digits(text, written, _decimal_comma(work, number_end), end > number_end)
            except Refusal as refusal:
                number, problem = Decimal(0), refusal
        value, begin = number * factor, start
        if in_words and word in {"a", "an", "one"} and end > number_end:
            value, begin = _fraction(text, work, start, value)
        reading = Reading(
            value, begin, number_end, end, end > number_end, in_words, factor, problem
        )
        previous = readings[-1] if readings else None
        if (
            previous
            and previous.scaled
            and reading.scaled
            and not work[previous.end : start].strip()
        ):
            readings[-1] = _joined_parts(previous, reading)
        else:
            readings.append(reading)
    yield from readings


def _joined_parts(first: Reading, second: Reading) -> Reading:
    """One number told in two parts: "1 million 300 thousand", "7 thousand 280 crore"."""
    if second.factor < first.factor:
        value = first.value + second.value
    else:  # the larger scale applies to all of it
        value = (first.value + second.value / second.factor) * second.factor
    return Reading(
        value,
        first.start,
        second.number_end,
        second.end,
        True,
        first.in_words,
        second.factor,
        first.problem or second.problem,
    )


# A share of a larger figure written before it: "10% of $2 billion", "half of the 20,000 tonnes",
# "a 30 per cent stake of". The larger figure is not the article's figure.
_PART_OF = re.compile(
    r"(?:\b(?:half|halves|thirds?|quarters?|fifths?|tenths?)|%|\bper\s?cent|\bpercent|\bpct)"
    r"(?:\s+(?:share|stake|portion|part|interest))?\s+of\s+(?:(?:the|a|an|its|their)\s+)?$",
    re.IGNORECASE,
)


def part_of(text: str, work: str, start: int) -> None:
    """Refuse a figure starting at ``start`` that a share of it precedes ("10% of $2 billion")."""
    match = _PART_OF.search(work, max(0, start - 60), start)
    if match is not None:
        msg = (
            f"{quote(text)} is a share ({match[0].strip()!r}) of a larger figure, not the figure "
            "itself. Copy a figure the article states, exactly as written, or null."
        )
        raise Refusal(msg, "part_of")


def word_after(work: str, pos: int) -> str | None:
    """The word right after ``pos`` (skipping spaces and hyphens), if one follows."""
    match = _WORD.match(work, pos)
    return match["word"] if match else None


_RANGE_CONNECTORS = frozenset({"-", "~", "to", "hasta", "até", "bis"})


@lru_cache(maxsize=16)
def _join_patterns(marker: str, between: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Another number after a reading, and before one, joined to it (see :func:`joined`)."""
    number = r"(?:\.?\d|(?:" + "|".join(w for w in NUMBER_WORDS if len(w) > 2) + r")\b)"
    connector = (  # English, and "y"/"e"/"und"/"et"/"dan", "hasta"/"até"/"bis"; "40,000~50,000"
        r"(?P<connector>-|~|\b(?:to|hasta|até|bis)\b|\b(?:and|y|e|und|et|dan)\b|\bor\b|&)"
    )
    following = re.compile(
        r"\s*" + connector + r"\s*(?:(?:" + QUALIFIER_WORDS + r")\s+)?"
        r"(?:(?:" + marker + r")\s*)?" + number,
        re.IGNORECASE,
    )
    preceding = re.compile(
        r"\d(?:[\s-]*[^\W\d_]+)?\s*" + connector + r"\s*(?:(?:" + QUALIFIER_WORDS + r")\s+)?"
        r"(?:(?:" + marker + r")\s*)?$",
        re.IGNORECASE,
    )
    return following, preceding


def joined(work: str, reading: Reading, after: int, marker: str) -> str | None:
    """Whether the reading is one of two figures: ``"range"`` or ``"two_values"``, else None.

    "$1-2 billion", "40,000~50,000 tons", "Rs 500 to Rs 600 crore" and "between 2 and 3 million
    tonnes" are ranges;
    "2.6 and 6.0 million tons" and "$2 billion or $3 billion" are two values. ``after`` is where
    the reading (with its currency or unit) ends; ``marker`` is a regex for the currency or unit
    words that may stand next to the other number.
    """
    between = re.search(r"\b(?:between|entre|zwischen|tra|fra|antara)\b", work, re.I) is not None
    following, preceding = _join_patterns(marker, between)
    match = (
        following.match(work, after)
        or following.match(work, reading.number_end)
        or preceding.search(work, 0, reading.start)
    )
    if match is None:
        return None
    connector = match["connector"].lower()
    return "range" if connector in _RANGE_CONNECTORS or between else "two_values"
