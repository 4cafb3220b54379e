"""Date expressions from news text ("on Monday", "last month", "July 31, 2025") to :class:`DateRef`.

dateparser reads the words (English, else Spanish, Portuguese, Italian, French, German or
Indonesian; the publication date as ``RELATIVE_BASE``), with its reported period giving the
precision; dotted numeric dates are day first ("10.06.2024"). Around it:

- words that carry no date are stripped: leading ones ("on", "since", "effective", "dated",
  "starting", "by", "as of" ...), a dateline's place ("Santiago, 4 de mayo 2020"), asides
  ("(Reuters)", "/CNW/"), words after the last number ("A September 2009 report") and times of
  day ("18:36 GMT");
- a date without a year ("Feb. 4", "in October", "the September quarter") is the occurrence its
  words and its sentence point to (:mod:`.tense`): the next one on or after publication when it
  lies ahead ("exports will resume on October 16", "effective December 1"), the previous one on
  or before publication when it is behind ("signed on July 31", "since March"), else the one
  nearest the publication date. Weekdays likewise, except that with no pointer "Monday" is the
  latest Monday on or before publication (news style: "said on Monday");
- quarters ("Q3 2024", "the December quarter of 2023") have precision quarter; halves ("H1
  2025") their year; "by the end of the month/quarter/year" and "year-end" are that period of
  publication; "in December last year" and "in August this year" are that month;
- quarters, periods, months of a relative year and weekdays are resolved in :mod:`.periods`;
- each value is snapped to its precision: a week to its Monday, a month to its 1st, a quarter to
  its first day, a year to 1 January;
- refused: decades ("the 1990s", "this decade") and centuries, bare numbers, ranges of years
  ("2024-25"), fiscal years ("FY25": their months differ by country), durations ("for six
  years").

``DateRef.rule`` names what resolved the value: ``absolute`` (the words give the year),
``relative`` (to publication: "last month", "in December last year"), ``next_occurrence``,
``previous_occurrence``, ``nearest_occurrence``, ``weekday`` or ``end_of_period``. Without a
publication date only absolute expressions get a value; the others keep their precision.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from dateparser.date import DateDataParser

from minerals_summ.exceptions import InputError
from minerals_summ.normalise.invisible import visible
from minerals_summ.normalise.periods import MONTH, WEEKDAYS, forms, occurrence, snap
from minerals_summ.normalise.refusal import Refusal
from minerals_summ.normalise.tense import direction
from minerals_summ.records import DateRef
from minerals_summ.vocabulary import Precision

__all__ = ["published_date", "resolve_date"]

_PROBE_BASE = dt.date(2001, 6, 15)  # any date: without publication only absolute values count

_FILLER = re.compile(  # "in" stays before a count: "in two weeks" is forward
    r"^(?:on|in(?!\s+\S+\s+(?:days?|weeks?|months?|years?|fortnights?)$)|since|from|by|at|"
    r"as of|as at|during|until|till|through|around|about|of|before|"
    r"effective(?: from| on)?|with effect from|w\.?e\.?f\.?|dated|starting(?: from| on)?|"
    r"beginning(?: on| in)?|commencing|as soon as|towards?|"
    r"due(?: on| by| in)?|expected(?: on| by| in)?|scheduled(?: for)?|slated(?: for)?|"
    r"no later than|not later than|as early as|as late as|ahead of|up to|to|back in|"
    r"back(?! half)|so far|"
    rf"an?(?= {MONTH}\b| \d)|"  # "A September 2009 report"
    r"published|posted|updated|released|"
    rf"last(?= {MONTH}\.? \d)|"  # "last Sept. 14, 2009": the date itself, looking back
    r"the|earlier|later|early|mid|late|end of|end|close of|start of|beginning of|"
    r"h[12],?|(?:first|second|latter|former|back|front) half(?: of)?)\s+"
)
_SYNONYMS = {
    "year": "this year",  # "(the first half of) the year"
    "last night": "yesterday",
    "tonight": "today",
    "this morning": "today",
    "this afternoon": "today",
    "this evening": "today",
    "now": "today",
}
_TIMES_OF_DAY = ("morning", "afternoon", "evening", "night")
_TIME_OF_DAY = re.compile(rf"\s+(?:{'|'.join(_TIMES_OF_DAY)})$")
_CLOCK = re.compile(
    r"(?:\s*[-,]|\s+at)?\s+\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s+(?:gmt|utc|ist|[a-z]{2,3}t)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?)?$"
)
_HAS_MONTH = re.compile(rf"\b{MONTH}\b")
_HAS_YEAR = re.compile(r"\b(?:1[89]|2[01])\d{2}\b")
_DECADE = re.compile(r"\b\d{3}0['’]?s\b")
# "this decade", "early in the next decade", "by the end of the decade", "mid-century": no year.
_DECADE_WORDS = re.compile(r"\b(?:decades?|century|centuries)\b")
_YEAR_RANGE = re.compile(r"\b(\d{4})\s*[-–/]\s*(\d{2,4})$|\b\d{4}\s+(?:to|and)\s+\d{4}$")
_MONTH_RANGE = re.compile(rf"\b{MONTH}\.?\s*(?:[-–—/]|to|till|until|through|thru)\s*{MONTH}\b")
_FISCAL = re.compile(r"\b(?:fy|fiscal|financial\s+year|fiscal\s+year)\b|\bfy\s?'?\d{2,4}\b")
_DURATION = re.compile(
    r"^(?:(?:for|over|within|lasting)\s+)?(?:\d+|a|an|one|two|three|four|five|six|seven|eight"
    r"|nine|ten|several|a\s+few|few)[\s-]+(?:days?|weeks?|months?|years?|decades?)$"
)
_PERIODS = {
    "day": Precision.DAY,
    "time": Precision.DAY,
    "part_of_day": Precision.DAY,
    "week": Precision.WEEK,
    "month": Precision.MONTH,
    "year": Precision.YEAR,
}
_ASK = "copy only the date words from the article (e.g. 'on Monday', 'July 31, 2025'), or null"


def published_date(published: dt.date | str | None) -> dt.date | None:
    """A publication date from a date, a datetime (its date) or an ISO string; None stays None.

    The one parser of publication dates in the library. Raises :class:`InputError` (a
    ``ValueError``) for anything else.
    """
    if isinstance(published, dt.datetime):
        return published.date()
    if published is None or isinstance(published, dt.date):
        return published
    if not isinstance(published, str):
        raise InputError(
            f"published must be a date or an ISO date string like '2025-09-09', "
            f"not {type(published).__name__}"
        )
    try:
        return dt.datetime.fromisoformat(published.strip()).date()
    except ValueError:
        raise InputError(
            f"published {published!r} is not an ISO date; give it as YYYY-MM-DD "
            "(e.g. '2025-09-09')."
        ) from None


_SPACES = re.compile(r"\s+")
# Asides that are no part of the date: "(Reuters)", "/CNW/", "(GMT+09:00)".
_ASIDE = re.compile(r"\([^()\d]*\)|/[A-Za-z]+/|\(\s*(?:GMT|UTC)[^)]*\)", re.IGNORECASE)
# Words after the date's last number that are no date words: "A September 2009 report".
_TRAILING = re.compile(
    r"(?<=\d)(?:\s+(?!(?:quarters?|half|halves|days?|weeks?|months?|years?|ago|from|later|earlier"
    rf"|this|last|next|of|am|pm|a\.m|p\.m|gmt|utc|hrs?|hours?|{MONTH}|{'|'.join(WEEKDAYS)})\b)"
    r"[^\W\d_]+)+$"
)
# A dateline's places ("Santiago, 4 de mayo 2020", "BAKU, Azerbaijan, December 3", "(Lexology,
# London, 15 March 2021)") and a label before a colon ("Last Updated: 10 July 2018").
_DATELINE = re.compile(
    rf"^(?:(?![^,]*(?:\d|\b{MONTH}\b))[^\W\d_][^,]{{0,30}},\s+){{1,3}}(?=.*\d)"
    r"|^[^\W\d_][^\d:]{0,30}:\s+(?=.*\d)"
)
_CALENDAR = re.compile(r"\s*\bcalendar(?:\s+year)?\b")  # "the 2024 calendar year"
_JOINED = re.compile(r"\b(mid|end)-")
_SHORT_YEAR = re.compile(rf"\b({MONTH})\.?\s*['’](\d{{2}})\b")  # "Apr '25" is April 2025
_PAST_PERIOD = re.compile(r"\b(previous|past)\s+(week|month|year)$")


def _normal(text: str) -> str:
    """Lowercase, visible characters, single spaces, no surrounding punctuation or clock time;
    no asides without digits ("(Reuters)"), no dateline places ("Santiago, 4 de mayo 2020") and no
    label ("Updated: ...")."""
    s = _ASIDE.sub(" ", visible(text))
    s = _SPACES.sub(" ", s.strip().strip(" \t\"'“”‘’,.;:()").lower())
    s = _DATELINE.sub("", s)
    s = _CALENDAR.sub("", s)
    s = _TRAILING.sub("", s)
    s = _CLOCK.sub("", s)
    s = _JOINED.sub(r"\1 ", s)
    s = _SHORT_YEAR.sub(lambda m: f"{m[1]} {'19' if int(m[2]) >= 70 else '20'}{m[2]}", s)
    return _PAST_PERIOD.sub(r"last \2", s)


def _clean(text: str) -> str:
    """The normal form without filler words and time-of-day words."""
    s = _normal(text)
    previous = None
    while previous != s:
        previous = s
        s = _FILLER.sub("", s).strip()
        s = _SYNONYMS.get(s, s)
    if s not in _SYNONYMS.values() and s.endswith(_TIMES_OF_DAY):
        s = _TIME_OF_DAY.sub("", s)
    return s


_CLOCKLIKE = re.compile(
    r"\d[:.]\d|\b(?:[ap]\.?m\b|hours?|hrs?|minutes?|mins?|ago|noon|midnight|now|today|tonight)"
)
_DOTTED = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}$")  # "10.06.2024": day first, as in Europe
_OTHER_LANGUAGES = ["es", "pt", "it", "fr", "de", "id"]  # tried when English finds no date


@functools.lru_cache(maxsize=4096)
def _parse(clean: str, base: dt.date) -> tuple[dt.date, Precision] | None:
    """dateparser's reading of a cleaned expression against ``base``; None if it finds no date.

    Pure in its arguments, and dateparser takes milliseconds a call: memoised.
    """
    settings = {
        "RELATIVE_BASE": dt.datetime.combine(base, dt.time(12)),  # noon: "3 hours ago" is today
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_TIME_AS_PERIOD": True,
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if _DOTTED.match(clean):
        settings["DATE_ORDER"] = "DMY"
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(clean)
    if data.date_obj is None:
        parser = DateDataParser(languages=_OTHER_LANGUAGES, settings=settings)
        data = parser.get_date_data(clean)
    if data.date_obj is None or data.period not in _PERIODS:
        return None
    if data.period == "time" and not _CLOCKLIKE.search(clean):
        return None  # dateparser reads "2h 2025" as two hours ago
    precision = _PERIODS[data.period]
    return snap(data.date_obj.date(), precision), precision


def _reject(text: str, clean: str, normal: str) -> None:
    """Raise for expressions that are no single date, or that dateparser would misread."""
    if _DECADE.search(clean):
        msg = f"{text!r} is a decade, too vague to date a record; set date to null, or {_ASK}."
        raise Refusal(msg, "decade")
    if clean.isdigit() and len(clean) != 4:
        msg = f"{text!r} is a bare number, not a date; copy the whole date expression or null."
        raise Refusal(msg, "not_a_date")
    if _FISCAL.search(normal):
        msg = (
            f"{text!r} is a fiscal year, whose months differ by country and company; set date to "
            f"null, or {_ASK}."
        )
        raise Refusal(msg, "fiscal_year")
    match = _YEAR_RANGE.search(clean)
    if match and (match.group(1) is None or len(match.group(2)) == 4 or int(match.group(2)) > 12):
        msg = (
            f"{text!r} is a range of years; copy a single date expression (e.g. 'in 2024') or null."
        )
        raise Refusal(msg, "year_range")
    if _MONTH_RANGE.search(clean):
        msg = f"{text!r} is a range of months; copy a single date expression or null."
        raise Refusal(msg, "range")
    if _DURATION.match(normal) or _DURATION.match(clean):
        msg = f"{text!r} is a length of time, not a date; set date to null, or {_ASK}."
        raise Refusal(msg, "duration")
    if _DECADE_WORDS.search(clean):
        msg = (
            f"{text!r} is a decade or a century, too vague to date a record; set date to null, "
            f"or {_ASK}."
        )
        raise Refusal(msg, "decade")


def resolve_date(
    text: str, published: dt.date | str | None = None, *, context: str | None = None
) -> DateRef:
    """Resolve the article's date words against its publication date.

    ``published`` may be a date, a datetime (its date is used) or an ISO string. ``context`` is
    the sentence the words stand in: its verbs tell a coming date from a past one. Without a
    publication date, only expressions that give their year get a value. Raises
    :class:`~.refusal.Refusal` (a ``ValueError``, message meant for the model) when ``text``
    holds no single date.
    """
    base = published_date(published)
    normal, clean = _normal(text), _clean(text)
    if not clean:
        msg = f"{text!r} holds no date; {_ASK}."
        raise Refusal(msg, "not_a_date")
    _reject(text, clean, normal)
    pointed = direction(text, context)
    absolute = bool(_HAS_YEAR.search(clean))
    found = forms(clean, normal, base or _PROBE_BASE, pointed)
    if found is None:
        parsed = _parse(clean, base or _PROBE_BASE)
        if parsed is None:
            msg = f"{text!r} is not a date expression this library can resolve; {_ASK}."
            raise Refusal(msg, "not_a_date")
        value, precision = parsed
        found = (value, precision, "absolute" if absolute else "relative")
        if (
            not absolute
            and _HAS_MONTH.search(clean)
            and precision in (Precision.DAY, Precision.MONTH)
        ):
            found = occurrence(value.month, value.day, precision, base or _PROBE_BASE, pointed)
    value, precision, rule = found
    if base is None and not (absolute and rule == "absolute"):
        return DateRef(text=text, value=None, precision=precision)
    return DateRef(text=text, value=value, precision=precision, rule=rule)
