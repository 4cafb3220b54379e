"""Dates resolved against publication without dateparser: periods, quarters, weekdays, and the
occurrence of a date without a year (see :mod:`.dates`).
"""

from __future__ import annotations

import datetime as dt
import re

from minerals_summ.normalise.refusal import Refusal
from minerals_summ.normalise.tense import Direction
from minerals_summ.vocabulary import Precision

__all__ = ["MONTH", "MONTHS", "WEEKDAYS", "Resolved", "forms", "occurrence", "snap"]

Resolved = tuple[dt.date, Precision, str]  # value, precision, rule

MONTHS = {
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
MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"

WEEKDAYS = {
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
_WEEKDAY = re.compile(rf"^(?:(last|past|previous|this|next|coming)\s+)?({'|'.join(WEEKDAYS)})$")

# "Q3 2024", "3Q24", "Q3 '24", "the third quarter of 2024", "the December 2024 quarter".
_QUARTER = re.compile(
    rf"^(?:q(?P<q>[1-4])|(?P<q2>[1-4])q|(?P<nth>first|second|third|fourth|1st|2nd|3rd|4th|last)"
    rf"\s+quarter|(?P<month>{MONTH})(?:\s+(?P<year1>\d{{4}}))?\s+quarter)"
    r"(?:\s*[-/',]?\s*'?(?P<yy>\d{2})|[,/-]?\s*(?:of\s+)?(?:cy\s?)?(?:(?P<year>\d{4})"
    r"|(?P<rel>this|last|next|the\s+previous|the\s+following)\s+year))?$"
)
# A half year is its year: "H1 2025", "2H 2025", "1H25".
_HALF = re.compile(r"^(?:h[12]|[12]h)\s*[-/',]?\s*(?:(?P<year>\d{4})|'?(?P<yy>\d{2}))$")
_NTH = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_NTH["last"] = 4  # "the last quarter of 2024"; "last quarter" alone is the previous quarter
# "the quarter ended March 2025", "three months to June 30", "the quarter ending 30 September".
_QUARTER_ENDED = re.compile(
    r"^(?:quarter|(?:three|3)[\s-]months?)\s+(?P<verb>ended|ending|to)\s+"
    rf"(?:(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<month>{MONTH})\.?"
    r"(?:\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?)?,?(?:\s+(?P<year>\d{4}))?$"
)
_RELATIVE_PERIOD = re.compile(r"^(?P<rel>this|current|last|previous|past|next)\s+quarter$")
_END_OF_PERIOD = re.compile(
    r"(?:^|\b)(?:(?:end|close)\s+of\s+(?:the\s+|this\s+)?(?P<a>month|quarter|year)"
    r"|(?P<b>month|quarter|year)[\s-]end|^(?:by\s+)?end[\s-](?P<c>month|quarter|year))$"
)
_MONTH_OF_YEAR = re.compile(  # "December last year", "on August 17 this year", "17 August ..."
    rf"^(?:(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<month>{MONTH})\.?"
    r"(?:\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?)?,?(?:\s+of)?\s+(?P<rel>last|this|next|previous"
    r"|the\s+previous|the\s+following|the\s+same)\s+year$"
)
_REL_MONTH = re.compile(rf"^(?P<rel>last|this|next|past|previous|coming)\s+(?P<month>{MONTH})$")


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def snap(day: dt.date, precision: Precision) -> dt.date:
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


def occurrence(
    month: int, day: int, precision: Precision, base: dt.date, pointed: Direction | None
) -> Resolved:
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


def _weekday(clean: str, base: dt.date, pointed: Direction | None) -> Resolved | None:
    """'Monday', 'last Friday', 'next Tuesday' against ``base``; None if not a weekday phrase."""
    match = _WEEKDAY.match(clean)
    if match is None:
        return None
    qualifier, name = match.groups()
    wanted = WEEKDAYS[name]
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


def _quarter_ended(clean: str, match: re.Match[str], base: dt.date) -> Resolved:
    """The calendar quarter that ends with the month named; a quarter ending in another month is
    a company's fiscal quarter, whose months this library cannot know: refused."""
    month = MONTHS[match["month"]]
    if month % 3:
        msg = (
            f"{clean!r} is a fiscal quarter (it ends in a month no calendar quarter ends in); set "
            "date to null, or copy only the date words from the article."
        )
        raise Refusal(msg, "fiscal_year")
    if match["year"]:
        return dt.date(int(match["year"]), month - 2, 1), Precision.QUARTER, "absolute"
    if match["verb"] == "ended":  # the last such quarter over by publication
        start = dt.date(base.year, month - 2, 1)
        if _period_end(start, Precision.QUARTER) > base:
            start = start.replace(year=base.year - 1)
        return start, Precision.QUARTER, "previous_occurrence"
    # "to" and "ending" say nothing of the quarter's direction
    return occurrence(month - 2, 1, Precision.QUARTER, base, None)


def forms(clean: str, normal: str, base: dt.date, pointed: Direction | None) -> Resolved | None:
    """The forms resolved here rather than by dateparser: periods, quarters, months of a year."""
    if match := _END_OF_PERIOD.search(normal):
        unit = match["a"] or match["b"] or match["c"]
        precision = {"month": Precision.MONTH, "quarter": Precision.QUARTER}.get(
            unit, Precision.YEAR
        )
        return snap(base, precision), precision, "end_of_period"
    match = _QUARTER.match(clean)
    if match and not (match["nth"] == "last" and not match["year"]):
        if match["q"] or match["q2"]:
            number = int(match["q"] or match["q2"])
        elif match["nth"]:
            number = _NTH[match["nth"]]
        else:
            number = (MONTHS[match["month"]] - 1) // 3 + 1
        year = match["year"] or match["year1"] or (match["yy"] and "20" + match["yy"])
        if year:
            return dt.date(int(year), 3 * number - 2, 1), Precision.QUARTER, "absolute"
        if match["rel"]:
            shift = {"last": -1, "previous": -1, "next": 1, "following": 1}
            year = base.year + shift.get(match["rel"].split()[-1], 0)
            return dt.date(year, 3 * number - 2, 1), Precision.QUARTER, "relative"
        return occurrence(3 * number - 2, 1, Precision.QUARTER, base, pointed)
    if match := _QUARTER_ENDED.match(clean):
        return _quarter_ended(clean, match, base)
    if match := _HALF.match(clean):
        year = match["year"] or "20" + match["yy"]
        return dt.date(int(year), 1, 1), Precision.YEAR, "absolute"
    if match := _RELATIVE_PERIOD.match(clean):
        start = snap(base, Precision.QUARTER)
        if match["rel"] in ("last", "previous", "past"):
            start = snap(start - dt.timedelta(days=1), Precision.QUARTER)
        elif match["rel"] == "next":
            start = _period_end(start, Precision.QUARTER) + dt.timedelta(days=1)
        return start, Precision.QUARTER, "relative"
    if match := _MONTH_OF_YEAR.match(clean):
        shift = {"last": -1, "previous": -1, "next": 1, "following": 1}
        year = base.year + shift.get(match["rel"].split()[-1], 0)
        day = match["day1"] or match["day2"]
        precision = Precision.DAY if day else Precision.MONTH
        try:
            value = dt.date(year, MONTHS[match["month"]], int(day or 1))
        except ValueError:
            return None
        return value, precision, "relative"
    if match := _REL_MONTH.match(clean):
        month, rel = MONTHS[match["month"]], match["rel"]
        year = base.year
        if rel in ("last", "past", "previous") and month >= base.month:
            year -= 1
        elif rel in ("next", "coming") and month <= base.month:
            year += 1
        return dt.date(year, month, 1), Precision.MONTH, "relative"
    return _weekday(clean, base, pointed)
