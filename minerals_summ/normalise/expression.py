"""Whether a copied money, quantity or date text is the article's whole expression.

A model that copies "Rs 1,500" out of "Rs 1,500-crore", "270 kilo" out of "270 kilo tonnes" or
"July" out of "July 31" copies words that are in the article and parse, to another value. The
check: grow the copy word by word into the article around it, and re-parse; when a longer span
reads as a different value, the copy was cut short. A span that grows into a range ("$1" out of
"$1-2 billion"), a price ("$110" out of "$110 per kilogram"), a rate per day or a grade ("3.3
grams" out of "3.3 grams per tonne") is a cut too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from minerals_summ.normalise.refusal import Refusal

__all__ = ["DATE_WORDS", "Cut", "whole_expression"]

# Refusals of a longer span that show what the copy really is part of.
_TELLING = {
    "range": "a range",
    "year_range": "a range of years",
    "price_per_unit": "a price per unit",
    "rate_per_period": "a rate per day, week, month or hour",
    "per_unit": "a figure per unit (a grade, a yield or a ratio)",
    "part_of": "a share of a larger figure",
}
_RIGHT = re.compile(r"[^\S\n]*-?[^\S\n]*[^\s-]+")
_LEFT = re.compile(r"[^\s-]+[^\S\n]*-?[^\S\n]*\Z")
_GROWTH = 4  # rounds; each adds one or two words on one side
# Words a date may grow over ("July" + "31, 2025"); dateparser is slow, so it sees no others.
DATE_WORDS = re.compile(
    r"(?:\d{1,4}(?:st|nd|rd|th)?|'\d{2}|(?:january|february|march|april|may|june|july|august"
    r"|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
    r"|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|of|year|quarter|last"
    r"|next|this|early|mid|late|end|q[1-4]|h[12])[,.]?",
    re.IGNORECASE,
)
# A word that ends a sentence ("month." before "Last week"): a copy never grows back over it.
# Abbreviations end in a period too: a month's ("Sept."), initials ("U.S."), "No.", "St.".
_SENTENCE_END = re.compile(r".*[.!?]\Z", re.S)
_ABBREVIATION = re.compile(
    r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|no|st|mr|mrs|ms|dr|co|inc|ltd|corp"
    r"|(?:[a-z]\.)+[a-z]?)\.",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cut:
    """The article's whole expression around a copy, and what it is when it is no single value."""

    whole: str
    refused_as: str | None = None


def whole_expression(
    article: str,
    start: int,
    end: int,
    parse: Callable[[str], Hashable],
    *,
    value: Hashable | None,
    words: re.Pattern[str] | None = None,
) -> Cut | None:
    """The expression ``article[start:end]`` was cut from, or None when it is whole.

    ``parse`` turns a text into the value compared (raising ``ValueError`` when it is none);
    ``value`` is that of the copy itself (None when it has none); ``words``, if given, is the
    pattern a word must match for the span to grow over it (for dates, so that dateparser only
    sees date words).
    """
    grown = False
    for _ in range(_GROWTH):
        step = None
        for s, e in _steps(article, start, end, words):
            try:
                longer = parse(article[s:e])
            except Refusal as refusal:
                if refusal.category in _TELLING:
                    return Cut(article[s:e].strip(), _TELLING[refusal.category])
                continue
            except ValueError:
                continue
            if longer != value:
                step = (s, e, longer)
                break
        if step is None:
            break
        start, end, value = step
        grown = True
    return Cut(article[start:end].strip(" ,;:")) if grown else None


def _steps(
    article: str, start: int, end: int, words: re.Pattern[str] | None
) -> list[tuple[int, int]]:
    """The spans one or two words longer than ``[start, end)``, right side first."""
    steps: list[tuple[int, int]] = []
    e = end
    for _ in range(2):
        match = _RIGHT.match(article, e)
        if match is None or (words is not None and not words.fullmatch(match[0].strip(" -"))):
            break
        e = match.end()
        steps.append((start, e))
    s = start
    for _ in range(2):
        match = _LEFT.search(article, max(0, s - 40), s)
        if match is None or (words is not None and not words.fullmatch(match[0].strip(" -"))):
            break
        word = match[0].strip(" -")
        if _SENTENCE_END.match(word) and not _ABBREVIATION.fullmatch(word):
            break
        s = match.start()
        steps.append((s, end))
    return steps
