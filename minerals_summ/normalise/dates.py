"""Date expressions from news text ("on Monday", "last month", "July 31, 2025") to :class:`DateRef`.

The parsing is done by dateparser (English only, ``PREFER_DATES_FROM='past'``, the publication date
as ``RELATIVE_BASE``), with its reported period giving the precision. A thin layer around it:

- strips leading words that carry no date ("on", "since", "as of", "earlier", "early", "Q3"...);
- resolves weekdays itself: "Monday" is the most recent Monday on or before publication (news
  style: "said on Monday" in a Monday paper means that day); "last Monday" is strictly before;
- snaps each value to its precision: a week to its Monday, a month to its 1st, a year to 1 January;
  quarters and halves ("Q3 2024", "H1 2025") become their year, the coarser but true precision;
- rejects what dateparser would otherwise turn into nonsense: decades ("the 1990s" would become
  1990 seconds ago), bare numbers ("5" would become May), year ranges ("2024-25").

Without a publication date, relative expressions keep ``value=None`` but still get a precision. An
expression is relative when it resolves differently against two fixed, distant bases, so neither
today's date nor the machine's timezone is ever consulted.

dateparser is imported at module level: it costs about 0.15 s, under the 0.3 s budget.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from dateparser.date import DateDataParser

from minerals_summ.exceptions import InputError
from minerals_summ.records import DateRef
from minerals_summ.vocabulary import Precision

__all__ = ["published_date", "resolve_date"]

_PROBE_BASES = (dt.date(2001, 6, 15), dt.date(2037, 2, 11))

_FILLER = re.compile(  # "in" stays before a count: "in two weeks" is forward
    r"^(?:on|in(?!\s+\S+\s+(?:days?|weeks?|months?|years?|fortnights?)$)|since|from|by|at|"
    r"as of|as at|during|until|till|through|around|about|of|"
    r"the|earlier|later|early|mid|late|end of|start of|beginning of|"
    r"q[1-4]|h[12]|(?:first|second|third|fourth|last) (?:quarter|half)(?: of)?)\s+"
)
_SYNONYMS = {
    "last night": "yesterday",
    "tonight": "today",
    "this morning": "today",
    "this afternoon": "today",
    "this evening": "today",
    "now": "today",
}
_TIMES_OF_DAY = ("morning", "afternoon", "evening", "night")
_TIME_OF_DAY = re.compile(rf"\s+(?:{'|'.join(_TIMES_OF_DAY)})$")
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
_WEEKDAY = re.compile(
    rf"^(?:(last|past|previous|this|next)\s+)?({'|'.join(_WEEKDAYS)})$",
)
_DECADE = re.compile(r"\b\d{3}0['’]?s\b")
_YEAR_RANGE = re.compile(r"\b(\d{4})\s*[-–/]\s*(\d{2,4})$")
_PERIODS = {
    "day": Precision.DAY,
    "time": Precision.DAY,
    "part_of_day": Precision.DAY,
    "week": Precision.WEEK,
    "month": Precision.MONTH,
    "year": Precision.YEAR,
    "quarter": Precision.YEAR,
}

_Resolved = tuple[dt.date, Precision]


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
_MID = re.compile(r"\bmid-")
_PAST_PERIOD = re.compile(r"\b(previous|past)\s+(week|month|year)$")


def _clean(text: str) -> str:
    """Lowercase the text and strip punctuation, filler words and time-of-day words."""
    s = text.strip().strip(" \t\"'“”‘’,.;:()").lower()
    s = _SPACES.sub(" ", s)
    s = _MID.sub("mid ", s)
    s = _PAST_PERIOD.sub(r"last \2", s)
    previous = None
    while previous != s:
        previous = s
        s = _FILLER.sub("", s).strip()
        s = _SYNONYMS.get(s, s)
    if s not in _SYNONYMS.values():
        s = _TIME_OF_DAY.sub("", s)
    return s


def _snap(day: dt.date, precision: Precision) -> dt.date:
    """A period as its first day: a week as its Monday, a month as its 1st, a year as 1 January."""
    if precision is Precision.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if precision is Precision.MONTH:
        return day.replace(day=1)
    if precision is Precision.YEAR:
        return day.replace(month=1, day=1)
    return day


def _weekday(clean: str, base: dt.date) -> _Resolved | None:
    """'Monday', 'last Friday', 'next Tuesday' against ``base``; None if not a weekday phrase."""
    match = _WEEKDAY.match(clean)
    if match is None:
        return None
    qualifier, name = match.groups()
    wanted = _WEEKDAYS[name]
    if qualifier == "next":
        return base + dt.timedelta(days=(wanted - base.weekday()) % 7 or 7), Precision.DAY
    back = (base.weekday() - wanted) % 7
    if qualifier in ("last", "past", "previous") and back == 0:
        back = 7
    return base - dt.timedelta(days=back), Precision.DAY


@functools.lru_cache(maxsize=4096)
def _parse(clean: str, base: dt.date) -> _Resolved | None:
    """Resolve a cleaned expression against ``base``; None if there is no date in it.

    Pure in its arguments, and dateparser takes milliseconds a call: memoised.
    """
    found = _weekday(clean, base)
    if found is not None:
        return found
    settings = {
        "RELATIVE_BASE": dt.datetime.combine(base, dt.time(12)),  # noon: "3 hours ago" is today
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_TIME_AS_PERIOD": True,
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(clean)
    if data.date_obj is None or data.period not in _PERIODS:
        return None
    precision = _PERIODS[data.period]
    return _snap(data.date_obj.date(), precision), precision


def _reject(text: str, clean: str) -> None:
    """Raise for expressions dateparser would misread."""
    if _DECADE.search(clean):
        raise ValueError(
            f"{text!r} is a decade, too vague to date a record; set date to null, "
            "or copy a more precise date expression from the article."
        )
    if clean.isdigit() and len(clean) != 4:
        raise ValueError(
            f"{text!r} is a bare number, not a date; copy the whole date expression from the "
            "article (e.g. 'July 31, 2025', 'on Monday'), or set date to null."
        )
    match = _YEAR_RANGE.search(clean)
    if match and (len(match.group(2)) == 4 or int(match.group(2)) > 12):
        raise ValueError(
            f"{text!r} is a range of years; copy a single date expression from the article "
            "(e.g. 'in 2024'), or set date to null."
        )


def resolve_date(text: str, published: dt.date | str | None = None) -> DateRef:
    """Resolve the article's date words against its publication date.

    ``published`` may be a date, a datetime (its date is used) or an ISO string. Without it,
    relative expressions ("last month") get ``value=None`` and keep their precision.
    Raises ``ValueError`` (message meant for the model) when ``text`` holds no date.
    """
    base = published_date(published)
    clean = _clean(text)
    if not clean:
        raise ValueError(
            f"{text!r} holds no date; copy the date words from the article "
            "(e.g. 'on Monday', 'July 31, 2025', 'last month'), or set date to null."
        )
    _reject(text, clean)
    bases = (base,) if base is not None else _PROBE_BASES
    results = [_parse(clean, b) for b in bases]
    first = results[0]
    if first is None:
        raise ValueError(
            f"{text!r} is not a date expression this library can resolve; copy only the date "
            "words from the article (e.g. 'on Monday', 'July 31, 2025', 'last month'), "
            "or set date to null."
        )
    value, precision = first
    if any(r != first for r in results[1:]):  # relative, and no publication date to anchor it
        return DateRef(text=text, value=None, precision=precision)
    return DateRef(text=text, value=value, precision=precision)
