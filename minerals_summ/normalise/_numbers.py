"""Reading numbers as news articles write them, shared by the money and quantity parsers.

A *reading* is a number (digits with western "2,500,000" or Indian "1,50,00,000" grouping, or a
small number word such as "two") followed by any scale words ("million", "bn", "crore",
"lakh crore"), possibly hyphenated ("1,500-crore"). The parsers decide what may follow it (a
currency, a unit). All positions refer to :func:`clean` text, which has the length of the input so
offsets carry back to the original words for error messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

__all__ = [
    "QUALIFIER",
    "Reading",
    "clean",
    "exact",
    "find_readings",
    "is_range",
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
}

_WORDS = (  # noqa: SIM905
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
NUMBER_WORDS: dict[str, int] = {word: value for value, word in enumerate(_WORDS)}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "a": 1, "an": 1})

# Words that may stand between a range connector and the second number ("to more than 300,000").
QUALIFIER = (
    r"(?:more\s+than|less\s+than|over|under|about|around|nearly|almost|up\s+to|some|roughly"
    r"|approximately|approx\.?|at\s+least|as\s+much\s+as|an\s+estimated)"
)

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
_SPACES = str.maketrans(dict.fromkeys("\u00a0\u2007\u2009\u202f\t\n\r", " "))

_DIGITS = re.compile(r"(?<!\d)(?<!\d[.,])(?P<int>\d{1,3}(?:,\d{2,3})+|\d+)(?P<frac>\.\d+)?(?!\d)")
_WORD_NUMBER = re.compile(
    r"(?<![\w-])(?P<word>" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_SCALE = re.compile(
    r"[\s-]*(?P<scale>" + "|".join(sorted(SCALES, key=len, reverse=True)) + r")(?![A-Za-z])",
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
    """Unify dashes and spaces, one character for one, so offsets still point into ``text``."""
    return text.translate(_DASHES).translate(_SPACES)


def quote(text: str) -> str:
    """The text as it appears in an error message: in single quotes, trimmed if very long."""
    short = text if len(text) <= 120 else text[:117] + "..."
    return "'" + short.replace("'", "\u2019") + "'"


def exact(value: Decimal) -> Decimal:
    """An exact Decimal without exponent: ``1.5E+9`` -> ``1500000000``, ``2.750`` -> ``2.75``."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _digits(text: str, match: re.Match[str]) -> Decimal:
    whole = match["int"]
    if "," in whole:
        groups = whole.split(",")
        western = all(len(g) == 3 for g in groups[1:])
        indian = len(groups[-1]) == 3 and all(len(g) == 2 for g in groups[1:-1])
        if not (western or indian):
            msg = (
                f"{quote(text)} has a number with unusual digit grouping ({match[0]!r}). "
                "Copy the amount exactly as the article writes it, or null."
            )
            raise ValueError(msg)
    return Decimal(whole.replace(",", "") + (match["frac"] or ""))


def read_scales(work: str, pos: int) -> tuple[Decimal, int]:
    """Multiply the scale words starting at ``pos`` ("lakh crore" = 10^12); return factor, end."""
    factor = Decimal(1)
    while match := _SCALE.match(work, pos):
        factor *= SCALES[match["scale"].lower()]
        pos = match.end()
    return factor, pos


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
        if in_words and work[start:number_end].lower() in {"a", "an"} and end == number_end:
            continue
        yield Reading(number * factor, start, number_end, end, end > number_end, in_words)


def word_after(work: str, pos: int) -> str | None:
    """The word right after ``pos`` (skipping spaces and hyphens), if one follows."""
    match = _WORD.match(work, pos)
    return match["word"] if match else None


@lru_cache(maxsize=16)
def _range_patterns(marker: str, between: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The other end of a range after a reading, and before one, for ``marker`` (see is_range)."""
    number = r"(?:\d|(?:" + "|".join(_WORDS) + r")\b)"
    connector = r"(?:-|\bto\b|\band\b)" if between else r"(?:-|\bto\b)"
    following = re.compile(
        r"\s*" + connector + r"\s*(?:" + QUALIFIER + r"\s+)?(?:(?:" + marker + r")\s*)?" + number,
        re.IGNORECASE,
    )
    preceding = re.compile(
        r"\d(?:[\s-]*[^\W\d_]+)?\s*" + connector + r"\s*(?:" + QUALIFIER + r"\s+)?"
        r"(?:(?:" + marker + r")\s*)?$",
        re.IGNORECASE,
    )
    return following, preceding


def is_range(work: str, reading: Reading, after: int, marker: str) -> bool:
    """Whether the reading is one end of a range ("$1-2 billion", "Rs 500 to Rs 600 crore").

    ``after`` is where the reading (with its currency or unit) ends; ``marker`` is a regex for the
    currency or unit words that may stand next to the other number. "and" joins a range only
    when "between" is in the text.
    """
    following, preceding = _range_patterns(marker, "between" in work.lower())
    if following.match(work, after) or following.match(work, reading.number_end):
        return True
    return bool(preceding.search(work, 0, reading.start))
