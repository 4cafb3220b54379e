"""resolve_date: absolute and relative date expressions against a publication date."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minerals_summ.normalise.dates import resolve_date
from minerals_summ.records import DateRef
from minerals_summ.vocabulary import Precision

PUBLISHED = dt.date(2025, 9, 9)  # a Tuesday, as in seeds/us-pakistan-critical-minerals
D, W, M, Q, Y = Precision.DAY, Precision.WEEK, Precision.MONTH, Precision.QUARTER, Precision.YEAR


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        # the seed article's gold resolutions
        ("on Monday", "2025-09-08", D),
        ("On July 31", "2025-07-31", D),
        ("last month", "2025-08-01", M),
        ("Last week", "2025-09-01", W),
        # absolute
        ("31 July 2025", "2025-07-31", D),
        ("July 31, 2025", "2025-07-31", D),
        ("2025-07-31", "2025-07-31", D),
        ("Sept. 8, 2025", "2025-09-08", D),
        ("March 2024", "2024-03-01", M),
        ("2023", "2023-01-01", Y),
        ("in 2023", "2023-01-01", Y),
        ("as of June 2024", "2024-06-01", M),
        ("by 2030", "2030-01-01", Y),
        ("mid-2024", "2024-01-01", Y),
        ("Q3 2024", "2024-07-01", Q),
        # leading words that carry no date
        ("With effect from January 2027", "2027-01-01", M),
        ("w.e.f. 1 April 2025", "2025-04-01", D),
        ("towards the end of 2013", "2013-01-01", Y),
        # halves are their year, whatever the word for the half
        ("in the latter half of 2024", "2024-01-01", Y),
        ("the back half of the year", "2025-01-01", Y),
        ("in the latter half of last year", "2024-01-01", Y),
        # the calendar quarter that ends with the month named
        ("in the quarter ended March 2025", "2025-01-01", Q),
        ("the quarter ended June 30, 2024", "2024-04-01", Q),
        ("the three months ended September 30, 2024", "2024-07-01", Q),
        ("the quarter ended 30 June", "2025-04-01", Q),
        ("the quarter to June", "2025-04-01", Q),
        # without a year and without a pointer: the occurrence nearest publication
        ("on 8 September", "2025-09-08", D),
        ("on 9 September", "2025-09-09", D),
        ("on 10 September", "2025-09-10", D),
        ("in March", "2025-03-01", M),
        ("In October", "2025-10-01", M),
        ("since March", "2025-03-01", M),
        ("the end of March", "2025-03-01", M),
        # days
        ("today", "2025-09-09", D),
        ("yesterday", "2025-09-08", D),
        ("Monday", "2025-09-08", D),
        ("on Tuesday", "2025-09-09", D),  # news style: published on a Tuesday, "on Tuesday" = today
        ("Wednesday", "2025-09-03", D),
        ("on Sunday", "2025-09-07", D),
        ("last Tuesday", "2025-09-02", D),
        ("next Tuesday", "2025-09-16", D),
        ("Monday night", "2025-09-08", D),
        ("last night", "2025-09-08", D),
        ("3 days ago", "2025-09-06", D),
        ("3 hours ago", "2025-09-09", D),
        # weeks: represented by their Monday
        ("this week", "2025-09-08", W),
        ("earlier this week", "2025-09-08", W),
        ("two weeks ago", "2025-08-25", W),
        ("next week", "2025-09-15", W),
        ("the past week", "2025-09-01", W),
        # months and years
        ("earlier this month", "2025-09-01", M),
        ("this month", "2025-09-01", M),
        ("a month ago", "2025-08-01", M),
        ("next month", "2025-10-01", M),
        ("last year", "2024-01-01", Y),
        ("earlier this year", "2025-01-01", Y),
        ("this year", "2025-01-01", Y),
        ("next year", "2026-01-01", Y),
        # case, spacing and punctuation do not matter
        ("EARLIER THIS MONTH", "2025-09-01", M),
        ("  last   week, ", "2025-09-01", W),
    ],
)
def test_resolves_against_published(text: str, value: str, precision: Precision) -> None:
    ref = resolve_date(text, PUBLISHED)
    assert (ref.text, ref.value, ref.precision) == (text, dt.date.fromisoformat(value), precision)


@pytest.mark.parametrize(
    "published", [PUBLISHED, "2025-09-09", dt.datetime(2025, 9, 9, 23, 59), "2025-09-09T10:00:00Z"]
)
def test_published_forms(published: dt.date | str) -> None:
    assert resolve_date("last week", published).value == dt.date(2025, 9, 1)


def test_bad_published_raises() -> None:
    with pytest.raises(ValueError, match="'9/9/2025' is not an ISO date"):
        resolve_date("last week", "9/9/2025")


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("last month", M),
        ("Last week", W),
        ("on Monday", D),
        ("On July 31", D),
        ("today", D),
        ("this year", Y),
        ("in March", M),
    ],
)
def test_relative_without_published_keeps_precision(text: str, precision: Precision) -> None:
    assert resolve_date(text) == DateRef(text=text, value=None, precision=precision)


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("31 July 2025", "2025-07-31", D),
        ("March 2024", "2024-03-01", M),
        ("in 2023", "2023-01-01", Y),
    ],
)
def test_absolute_without_published(text: str, value: str, precision: Precision) -> None:
    ref = resolve_date(text)
    assert (ref.value, ref.precision) == (dt.date.fromisoformat(value), precision)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("banana", "'banana' is not a date expression"),
        ("", "'' holds no date"),
        ("   ", "holds no date"),
        ("on", "'on' is not a date expression"),
        ("5", "'5' is a bare number"),
        ("the 1990s", "'the 1990s' is a decade"),
        # a decade or a century in words gives no year: dateparser read "this decade" as 2012
        ("the coming decade", "is a decade or a century"),
        ("in the middle of this decade", "is a decade or a century"),
        ("the end of the decade", "is a decade or a century"),
        ("by mid-century", "is a decade or a century"),
        ("for two decades", "is a length of time"),
        ("2024-25", "'2024-25' is a range of years"),
        # a quarter that ends in another month is a company's fiscal quarter
        ("the quarter ended February 28, 2025", "is a fiscal quarter"),
        ("the three months to November", "is a fiscal quarter"),
    ],
)
def test_no_date_raises(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        resolve_date(text, PUBLISHED)
    assert "null" in str(info.value)  # every message says what to do instead


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset")
@pytest.mark.parametrize("tz", ["Pacific/Kiritimati", "America/Adak", "UTC"])
def test_machine_timezone_does_not_matter(tz: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        assert resolve_date("yesterday", PUBLISHED).value == dt.date(2025, 9, 8)
        assert resolve_date("last week", PUBLISHED).value == dt.date(2025, 9, 1)
    finally:
        monkeypatch.undo()
        time.tzset()


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


published_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))


@settings(max_examples=40, deadline=None)
@given(published=published_dates)
def test_last_week_is_the_monday_before(published: dt.date) -> None:
    ref = resolve_date("last week", published)
    assert ref.value == _monday(published) - dt.timedelta(days=7)
    assert ref.precision is Precision.WEEK


@settings(max_examples=40, deadline=None)
@given(published=published_dates)
def test_last_month_is_the_first_of_the_previous_month(published: dt.date) -> None:
    first = published.replace(day=1) - dt.timedelta(days=1)
    assert resolve_date("last month", published).value == first.replace(day=1)


@settings(max_examples=40, deadline=None)
@given(published=published_dates, weekday=st.sampled_from(["Monday", "Thursday", "Sunday"]))
def test_weekday_is_within_the_week_up_to_published(published: dt.date, weekday: str) -> None:
    value = resolve_date(f"on {weekday}", published).value
    assert value is not None
    assert value.strftime("%A") == weekday
    assert published - dt.timedelta(days=6) <= value <= published
