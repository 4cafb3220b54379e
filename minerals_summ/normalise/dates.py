"""Date expressions from news text ("on Monday", "last month", "July 31, 2025") to :class:`DateRef`.

dateparser reads the words (English only, the publication date as ``RELATIVE_BASE``), with its
reported period giving the precision. Around it:

- leading words that carry no date are stripped ("on", "since", "effective", "dated", "starting",
  "by", "as of" ...), and times of day ("18:36 GMT");
- a date without a year ("Feb. 4", "in October", "the September quarter") is the occurrence its
  words and its sentence point to (:mod:`.tense`): the next one on or after publication when it
  lies ahead ("exports will resume on October 16", "effective December 1"), the previous one on
  or before publication when it is behind ("signed on July 31", "since March"), else the one
  nearest the publication date. Weekdays likewise, except that with no pointer "Monday" is the
  latest Monday on or before publication (news style: "said on Monday");
- quarters ("Q3 2024", "the December quarter of 2023") have precision quarter; halves ("H1
  2025") their year; "by the end of the month/quarter/year" and "year-end" are that period of
  publication; "in December last year" and "in August this year" are that month;
- each value is snapped to its precision: a week to its Monday, a month to its 1st, a quarter to
  its first day, a year to 1 January;
- refused: decades ("the 1990s"), bare numbers, ranges of years ("2024-25"), fiscal years
  ("FY25": their months differ by country), durations ("for six years").

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

from minerals_summ.normalise.invisible import visible
from minerals_summ.normalise.refusal import Refusal
from minerals_summ.normalise.tense import Direction, direction
from minerals_summ.values import DateRef
from minerals_summ.vocabulary import Precision

__all__ = ["resolve_date"]

_PROBE_BASE = dt.date(2001, 6, 15)  # any date: without publication only absolute values count

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ]
    )
    for name in names.split()
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_FILLER = re.compile(  # "in" stays before a count: "in two weeks" is forward
    r"^(?:on|in(?!\s+\S+\s+(?:days?|weeks?|months?|years?|fortnights?)$)|since|from|by|at|"
    r"as of|as at|during|until|till|through|around|about|of|before|"
    r"effective(?: from| on)?|dated|starting(?: from| on)?|beginning(?: on| in)?|commencing|"
    r"due(?: on| by| in)?|expected(?: on| by| in)?|scheduled(?: for)?|slated(?: for)?|"
    r"no later than|not later than|as early as|as late as|ahead of|up to|to|back in|back|so far|"
    rf"an?(?= {_MONTH}\b| \d)|"  # "A September 2009 report"
    r"published|posted|updated|released|"
    rf"last(?= {_MONTH}\.? \d)|"  # "last Sept. 14, 2009": the date itself, looking back
    r"the|earlier|later|early|mid|late|end of|end|close of|start of|beginning of|"
    r"h[12],?|(?:first|second) half(?: of)?)\s+"
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
_WEEKDAYS = {
    name: i
    for i, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}
_WEEKDAY = re.compile(rf"^(?:(last|past|previous|this|next|coming)\s+)?({'|'.join(_WEEKDAYS)})$")
_HAS_MONTH = re.compile(rf"\b{_MONTH}\b")
_HAS_YEAR = re.compile(r"\b(?:1[89]|2[01])\d{2}\b")
_QUARTER = re.compile(
    rf"^(?:q(?P<q>[1-4])|(?P<nth>first|second|third|fourth|1st|2nd|3rd|4th|last)\s+quarter"
    rf"|(?P<month>{_MONTH})(?:\s+(?P<year1>\d{{4}}))?\s+quarter)"
    r"(?:,?\s+(?:of\s+)?(?:(?:the\s+)?calendar\s+(?:year\s+)?|cy\s?)?"
    r"(?:(?P<year>\d{4})|(?P<rel>this|last|next|the\s+previous|the\s+following)\s+year))?$"
)
_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_NTH["last"] = 4  # "the last quarter of 2024"; "last quarter" alone is the previous quarter
_RELATIVE_PERIOD = re.compile(r"^(?P<rel>this|current|last|previous|past|next)\s+quarter$")
_END_OF_PERIOD = re.compile(
    r"(?:^|\b)(?:(?:end|close)\s+of\s+(?:the\s+|this\s+)?(?P<a>month|quarter|year)"
    r"|(?P<b>month|quarter|year)[\s-]end|^(?:by\s+)?end[\s-](?P<c>month|quarter|year))$"
)
_MONTH_OF_YEAR = re.compile(  # "December last year", "on August 17 this year", "17 August ..."
    rf"^(?:(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<month>{_MONTH})\.?"
    r"(?:\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?)?,?(?:\s+of)?\s+(?P<rel>last|this|next|previous"
    r"|the\s+previous|the\s+following|the\s+same)\s+year$"
)
_REL_MONTH = re.compile(rf"^(?P<rel>last|this|next|past|previous|coming)\s+(?P<month>{_MONTH})$")
_DECADE = re.compile(r"\b\d{3}0['’]?s\b")
_YEAR_RANGE = re.compile(r"\b(\d{4})\s*[-–/]\s*(\d{2,4})$|\b\d{4}\s+(?:to|and)\s+\d{4}$")
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

_Resolved = tuple[dt.date, Precision, str]


def _published_date(published: dt.date | str | None) -> dt.date | None:
    """A date from a date, a datetime (its date) or an ISO string."""
    if isinstance(published, dt.datetime):
        return published.date()
    if published is None or isinstance(published, dt.date):
        return published
    try:
        return dt.datetime.fromisoformat(published.strip()).date()
    except ValueError:
        raise ValueError(
            f"published {published!r} is not an ISO date; give it as YYYY-MM-DD "
            "(e.g. '2025-09-09')."
        ) from None


_SPACES = re.compile(r"\s+")
# Asides that are no part of the date: "(Reuters)", "/CNW/", "(GMT+09:00)".
_ASIDE = re.compile(r"\([^()\d]*\)|/[A-Za-z]+/|\(\s*(?:GMT|UTC)[^)]*\)", re.IGNORECASE)
# Words after the date's last number that are no date words: "A September 2009 report".
_TRAILING = re.compile(
    r"(?<=\d)(?:\s+(?!(?:quarters?|half|halves|days?|weeks?|months?|years?|ago|from|later|earlier"
    rf"|this|last|next|of|am|pm|a\.m|p\.m|gmt|utc|hrs?|hours?|{_MONTH}|{'|'.join(_WEEKDAYS)})\b)"
    r"[^\W\d_]+)+$"
)
_DATELINE = re.compile(rf"^(?![^,]*(?:\d|\b{_MONTH}\b))[^\W\d_][^,]{{0,30}},\s+(?=.*\d)")
_JOINED = re.compile(r"\b(mid|end)-")
_PAST_PERIOD = re.compile(r"\b(previous|past)\s+(week|month|year)$")


def _normal(text: str) -> str:
    """Lowercase, visible characters, single spaces, no surrounding punctuation or clock time;
    no asides without digits ("(Reuters)") and no dateline place ("Santiago, 4 de mayo 2020")."""
    s = _ASIDE.sub(" ", visible(text))
    s = _SPACES.sub(" ", s.strip().strip(" \t\"'“”‘’,.;:()").lower())
    s = _DATELINE.sub("", s)
    s = _TRAILING.sub("", s)
    s = _CLOCK.sub("", s)
    s = _JOINED.sub(r"\1 ", s)
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


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def _snap(day: dt.date, precision: Precision) -> dt.date:
    """A period as its first day: week -> Monday, month -> 1st, quarter -> first day, year."""
    if precision is Precision.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if precision is Precision.MONTH:
        return day.replace(day=1)
    if precision is Precision.QUARTER:
        return dt.date(day.year, 3 * _quarter(day) - 2, 1)
    if precision is Precision.YEAR:
        return day.replace(month=1, day=1)
    return day


def _period_end(start: dt.date, precision: Precision) -> dt.date:
    """The last day of the period that begins on ``start``."""
    months = {Precision.MONTH: 1, Precision.QUARTER: 3, Precision.YEAR: 12}.get(precision)
    if months is None:
        return start
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def _occurrence(
    month: int, day: int, precision: Precision, base: dt.date, pointed: Direction | None
) -> _Resolved:
    """The occurrence of a yearless date (or month, or quarter) its direction asks for."""
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:  # 29 February in a common year
            continue
    if pointed is Direction.AHEAD:
        after = [c for c in candidates if _period_end(c, precision) >= base]
        return after[0], precision, "next_occurrence"
    if pointed is Direction.BEHIND:
        before = [c for c in candidates if c <= base]
        return before[-1], precision, "previous_occurrence"

    def distance(c: dt.date) -> int:
        end = _period_end(c, precision)
        return max((c - base).days, (base - end).days, 0)

    return min(candidates, key=distance), precision, "nearest_occurrence"


def _weekday(clean: str, base: dt.date, pointed: Direction | None) -> _Resolved | None:
    """'Monday', 'last Friday', 'next Tuesday' against ``base``; None if not a weekday phrase."""
    match = _WEEKDAY.match(clean)
    if match is None:
        return None
    qualifier, name = match.groups()
    wanted = _WEEKDAYS[name]
    ahead = (wanted - base.weekday()) % 7
    back = (base.weekday() - wanted) % 7
    if qualifier in ("next", "coming"):
        return base + dt.timedelta(days=ahead or 7), Precision.DAY, "relative"
    if qualifier in ("last", "past", "previous"):
        return base - dt.timedelta(days=back or 7), Precision.DAY, "relative"
    if pointed is Direction.AHEAD:
        return base + dt.timedelta(days=ahead), Precision.DAY, "next_occurrence"
    rule = "previous_occurrence" if pointed is Direction.BEHIND else "weekday"
    return base - dt.timedelta(days=back), Precision.DAY, rule


def _forms(clean: str, normal: str, base: dt.date, pointed: Direction | None) -> _Resolved | None:
    """The forms resolved here rather than by dateparser: periods, quarters, months of a year."""
    if match := _END_OF_PERIOD.search(normal):
        unit = match["a"] or match["b"] or match["c"]
        precision = {"month": Precision.MONTH, "quarter": Precision.QUARTER}.get(
            unit, Precision.YEAR
        )
        return _snap(base, precision), precision, "end_of_period"
    match = _QUARTER.match(clean)
    if match and not (match["nth"] == "last" and not match["year"]):
        if match["q"]:
            number = int(match["q"])
        elif match["nth"]:
            number = _NTH[match["nth"]]
        else:
            number = (_MONTHS[match["month"]] - 1) // 3 + 1
        year = match["year"] or match["year1"]
        if year:
            return dt.date(int(year), 3 * number - 2, 1), Precision.QUARTER, "absolute"
        if match["rel"]:
            shift = {"last": -1, "previous": -1, "next": 1, "following": 1}
            year = base.year + shift.get(match["rel"].split()[-1], 0)
            return dt.date(year, 3 * number - 2, 1), Precision.QUARTER, "relative"
        return _occurrence(3 * number - 2, 1, Precision.QUARTER, base, pointed)
    if match := _RELATIVE_PERIOD.match(clean):
        start = _snap(base, Precision.QUARTER)
        if match["rel"] in ("last", "previous", "past"):
            start = _snap(start - dt.timedelta(days=1), Precision.QUARTER)
        elif match["rel"] == "next":
            start = _period_end(start, Precision.QUARTER) + dt.timedelta(days=1)
        return start, Precision.QUARTER, "relative"
    if match := _MONTH_OF_YEAR.match(clean):
        shift = {"last": -1, "previous": -1, "next": 1, "following": 1}
        year = base.year + shift.get(match["rel"].split()[-1], 0)
        day = match["day1"] or match["day2"]
        precision = Precision.DAY if day else Precision.MONTH
        try:
            value = dt.date(year, _MONTHS[match["month"]], int(day or 1))
        except ValueError:
            return None
        return value, precision, "relative"
    if match := _REL_MONTH.match(clean):
        month, rel = _MONTHS[match["month"]], match["rel"]
        year = base.year
        if rel in ("last", "past", "previous") and month >= base.month:
            year -= 1
        elif rel in ("next", "coming") and month <= base.month:
            year += 1
        return dt.date(year, month, 1), Precision.MONTH, "relative"
    return _weekday(clean, base, pointed)


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
    precision = _PERIODS[data.period]
    return _snap(data.date_obj.date(), precision), precision


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
    if _DURATION.match(normal) or _DURATION.match(clean):
        msg = f"{text!r} is a length of time, not a date; set date to null, or {_ASK}."
        raise Refusal(msg, "duration")


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
    base = _published_date(published)
    normal, clean = _normal(text), _clean(text)
    if not clean:
        msg = f"{text!r} holds no date; {_ASK}."
        raise Refusal(msg, "not_a_date")
    _reject(text, clean, normal)
    pointed = direction(text, context)
    absolute = bool(_HAS_YEAR.search(clean))
    found = _forms(clean, normal, base or _PROBE_BASE, pointed)
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
            found = _occurrence(value.month, value.day, precision, base or _PROBE_BASE, pointed)
    value, precision, rule = found
    if base is None and not (absolute and rule == "absolute"):
        return DateRef(text=text, value=None, precision=precision)
    return DateRef(text=text, value=value, precision=precision, rule=rule)
