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

__all__ = [
    "Reading",
    "clean",
    "exact",
    "find_readings",
    "joined",
    "quote",
    "read_scales",
    "word_after",
]

SCALES: dict[str, Decimal] = {
    "hundred": Decimal(100),
    "thousand": Decimal(10**3),
    "k": Decimal(10**3),
    "lakh": Decimal(10**5),
    "lakhs": Decimal(10**5),
    "lac": Decimal(10**5),
    "lacs": Decimal(10**5),
    "million": Decimal(10**6),
    "millions": Decimal(10**6),
    "mn": Decimal(10**6),
    "mln": Decimal(10**6),
    "m": Decimal(10**6),
    "crore": Decimal(10**7),
    "crores": Decimal(10**7),
    "cr": Decimal(10**7),
    "billion": Decimal(10**9),
    "billions": Decimal(10**9),
    "bn": Decimal(10**9),
    "bln": Decimal(10**9),
    "b": Decimal(10**9),
    "trillion": Decimal(10**12),
    "tn": Decimal(10**12),
    "trn": Decimal(10**12),
    # Hindi (Devanagari), in NFC: the nukta of "करोड़" and "हज़ार" is a separate character.
    **{
        unicodedata.normalize("NFC", word): Decimal(value)
        for word, value in [
            ("हज़ार", 10**3),
            ("हजार", 10**3),
            ("लाख", 10**5),
            ("करोड़", 10**7),
            ("करोड", 10**7),
            ("अरब", 10**9),
            ("खरब", 10**11),
        ]
    },
}

_WORDS = (  # noqa: SIM905
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
NUMBER_WORDS: dict[str, int] = {word: value for value, word in enumerate(_WORDS)}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "a": 1, "an": 1})
_FRACTIONS = {"half": 2, "halves": 2, "quarter": 4, "quarters": 4, "third": 3, "thirds": 3}

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))

# Groups of three after a first group of one to three: "2,500,000", "1,50,00,000" (checked in
# _digits), "800 000"; a decimal point or comma after the whole part.
_DIGITS = re.compile(
    r"(?<!\d)(?<!\d[.,])(?P<int>\d{1,3}(?:,\d{2,3})+(?!\d|,\d)|\d{1,3}(?: \d{3})+(?!\d|,\d)|\d+)"
    r"(?P<frac>[.,]\d+)?(?!\d)"
)
_WORD_NUMBER = re.compile(
    r"(?<![\w-])(?P<word>" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_SCALE = re.compile(
    r"[\s-]*(?P<scale>" + "|".join(sorted(SCALES, key=len, reverse=True)) + r")(?![^\W\d_])",
    re.IGNORECASE,
)
_FRACTION = re.compile(
    r"(?<![\w-])(?:(?P<count>a|one|two|three)[\s-]+)?(?P<part>"
    + "|".join(_FRACTIONS)
    + r")(?:[\s-]+of)?[\s-]+$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\s-]*(?P<word>[^\W\d_][\w-]*)")


@dataclass(frozen=True)
class Reading:
    """A number with its scale words: ``value`` = number x scales, ``clean_text[start:end]``."""

    value: Decimal
    start: int
    number_end: int
    end: int
    scaled: bool
    in_words: bool


def clean(text: str) -> str:
    """The text as the parsers read it: no format characters, plain spaces and hyphens, NFC."""
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


def _digits(text: str, match: re.Match[str]) -> Decimal:
    whole, frac = match["int"], match["frac"] or ""
    if "," in whole:
        groups = whole.split(",")
        western = all(len(g) == 3 for g in groups[1:])
        indian = len(groups[-1]) == 3 and all(len(g) == 2 for g in groups[1:-1])
        if not (western or indian):
            msg = (
                f"{quote(text)} has a number with unusual digit grouping ({match[0]!r}). "
                "Copy the figure exactly as the article writes it, or null."
            )
            raise Refusal(msg, "digit_grouping")
    if frac.startswith(","):  # a decimal comma can only be one digit: "4,5"; "4,50" is unclear
        if len(frac) != 2:
            msg = (
                f"{quote(text)} has a number that may be grouped or decimal ({match[0]!r}). "
                "Copy the figure exactly as the article writes it, or null."
            )
            raise Refusal(msg, "digit_grouping")
        frac = "." + frac[1:]
    return Decimal(whole.replace(",", "").replace(" ", "") + frac)


def read_scales(work: str, pos: int) -> tuple[Decimal, int]:
    """Multiply the scale words starting at ``pos`` ("lakh crore" = 10^12); return factor, end."""
    factor = Decimal(1)
    while match := _SCALE.match(work, pos):
        factor *= SCALES[match["scale"].lower()]
        pos = match.end()
    return factor, pos


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
    a bare word ("five tonnes"); "a"/"an" count only before a scale word ("a billion").
    ``work`` is ``clean(text)``, if the caller has it already.
    """
    if work is None:
        work = clean(text)
    found: list[tuple[int, int, Decimal, bool]] = [
        (m.start(), m.end(), _digits(text, m), False) for m in _DIGITS.finditer(work)
    ]
    for m in _WORD_NUMBER.finditer(work):
        found.append((m.start(), m.end(), Decimal(NUMBER_WORDS[m["word"].lower()]), True))
    for start, number_end, number, in_words in sorted(found, key=lambda f: f[0]):
        factor, end = read_scales(work, number_end)
        word = work[start:number_end].lower()
        if in_words and word in {"a", "an"} and end == number_end:
            continue
        value, begin = number * factor, start
        if in_words and word in {"a", "an", "one"} and end > number_end:
            value, begin = _fraction(text, work, start, value)
        yield Reading(value, begin, number_end, end, end > number_end, in_words)


def word_after(work: str, pos: int) -> str | None:
    """The word right after ``pos`` (skipping spaces and hyphens), if one follows."""
    match = _WORD.match(work, pos)
    return match["word"] if match else None


@lru_cache(maxsize=16)
def _join_patterns(marker: str, between: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Another number after a reading, and before one, joined to it (see :func:`joined`)."""
    number = r"(?:\d|(?:" + "|".join(_WORDS) + r")\b)"
    connector = r"(?P<connector>-|\bto\b|\band\b|\bor\b|&)"
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

    "$1-2 billion", "Rs 500 to Rs 600 crore" and "between 2 and 3 million tonnes" are ranges;
    "2.6 and 6.0 million tons" and "$2 billion or $3 billion" are two values. ``after`` is where
    the reading (with its currency or unit) ends; ``marker`` is a regex for the currency or unit
    words that may stand next to the other number.
    """
    between = "between" in work.lower()
    following, preceding = _join_patterns(marker, between)
    match = (
        following.match(work, after)
        or following.match(work, reading.number_end)
        or preceding.search(work, 0, reading.start)
    )
    if match is None:
        return None
    connector = match["connector"].lower()
    return "range" if connector in {"-", "to"} or between else "two_values"
