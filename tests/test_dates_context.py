"""A date without a year is the occurrence its words and its sentence point to; new date forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from minerals_summ.gold import GoldArticle
from minerals_summ.normalise import resolve_date
from minerals_summ.normalise.refusal import Refusal
from minerals_summ.resolve import resolve
from minerals_summ.schema import ArticleDraft
from minerals_summ.vocabulary import Precision

D, M, Q, Y = Precision.DAY, Precision.MONTH, Precision.QUARTER, Precision.YEAR


@pytest.mark.parametrize(
    ("text", "published", "context", "value", "precision", "rule"),
    [
        ("Feb. 4", "2026-01-28", None, "2026-02-04", D, "nearest_occurrence"),
        ("on October 16", "2025-10-06", "exports will resume on October 16", "2025-10-16", D,
         "next_occurrence"),
        ("on October 16", "2025-10-20", "exports will resume on October 16", "2026-10-16", D,
         "next_occurrence"),
        ("On July 31", "2025-09-09", "On July 31, the US sealed a trade deal", "2025-07-31", D,
         "previous_occurrence"),
        ("in January", "2025-09-04", "The Cabinet approved the ₹16,300 crore Mission in January, "
         "with companies expected to invest more", "2025-01-01", M, "previous_occurrence"),
        ("effective December 1", "2025-10-06", None, "2025-12-01", D, "next_occurrence"),
        ("since March", "2025-09-09", None, "2025-03-01", M, "previous_occurrence"),
        ("until December 25", "2025-01-17", "inputs were not available until December 25",
         "2024-12-25", D, "nearest_occurrence"),
        ("until Oct. 31", "2022-09-20", "deferred the payment ... until Oct. 31", "2022-10-31",
         D, "nearest_occurrence"),
        ("on Monday", "2025-09-11", "The ministers will meet on Monday", "2025-09-15", D,
         "next_occurrence"),
        ("on Monday", "2025-09-11", "The ministers met on Monday", "2025-09-08", D,
         "previous_occurrence"),
        ("on Monday", "2025-09-11", None, "2025-09-08", D, "weekday"),
        ("on Tuesday", "2025-03-26", "The European Commission on Tuesday adopted its first list",
         "2025-03-25", D, "previous_occurrence"),
        # "as soon as" looks ahead: published on a Wednesday, the coming Tuesday
        ("as soon as Tuesday", "2025-03-05", "They could sign the deal as soon as Tuesday",
         "2025-03-11", D, "next_occurrence"),
        ("With effect from 1 April", "2025-03-01", None, "2025-04-01", D, "next_occurrence"),
        # a yearless quarter that "ended" lies behind; a quarter "to" June, the nearest
        ("the quarter ended 31 December", "2025-12-20", None, "2024-10-01", Q,
         "previous_occurrence"),
        ("the quarter to June", "2025-08-01", None, "2025-04-01", Q, "nearest_occurrence"),
        # a date that opens its clause has the verb after it: a past verb against "by" or "from"
        # leaves the nearest occurrence, a future one agrees
        ("by March 3", "2025-03-20", "Prices fell, but by March 3, they had recovered",
         "2025-03-03", D, "nearest_occurrence"),
        ("From June 1", "2025-07-10", "From June 1, exporters were required to hold a licence",
         "2025-06-01", D, "nearest_occurrence"),
        ("From June 1", "2025-05-10", "From June 1, exporters will need a licence",
         "2025-06-01", D, "next_occurrence"),
        ("Until May 15", "2025-02-10", "Until May 15, the mine will run at half capacity",
         "2025-05-15", D, "next_occurrence"),
    ],
)  # fmt: skip
def test_the_occurrence_the_words_point_to(
    text: str, published: str, context: str | None, value: str, precision: Precision, rule: str
) -> None:
    ref = resolve_date(text, published, context=context)
    assert (ref.value, ref.precision, ref.rule) == (dt.date.fromisoformat(value), precision, rule)


@pytest.mark.parametrize(
    ("text", "published", "value", "precision", "rule"),
    [
        ("dated December 31", "2026-01-10", "2025-12-31", D, "previous_occurrence"),
        ("starting Jan. 12, 2022", "2021-12-01", "2022-01-12", D, "absolute"),
        ("by the end of the month", "2025-09-09", "2025-09-01", M, "end_of_period"),
        ("by the end of the year", "2025-09-09", "2025-01-01", Y, "end_of_period"),
        ("by year-end", "2025-09-09", "2025-01-01", Y, "end_of_period"),
        ("by the end of the quarter", "2025-09-09", "2025-07-01", Q, "end_of_period"),
        ("by end-2016", "2015-04-01", "2016-01-01", Y, "absolute"),
        ("in December last year", "2025-09-09", "2024-12-01", M, "relative"),
        ("in August this year", "2025-09-09", "2025-08-01", M, "relative"),
        ("on August 17 this year", "2023-12-19", "2023-08-17", D, "relative"),
        ("the December quarter of 2023", "2024-01-10", "2023-10-01", Q, "absolute"),
        ("the June 2023 quarter", "2025-01-17", "2023-04-01", Q, "absolute"),
        ("Q1, 2024", "2023-12-20", "2024-01-01", Q, "absolute"),
        ("Q3 2024", "2025-09-09", "2024-07-01", Q, "absolute"),
        ("the first quarter of this year", "2025-12-30", "2025-01-01", Q, "relative"),
        ("the fourth quarter of calendar year 2025", "2025-11-12", "2025-10-01", Q, "absolute"),
        ("H1 2025", "2025-09-09", "2025-01-01", Y, "absolute"),
        ("2H 2025", "2025-09-09", "2025-01-01", Y, "absolute"),  # not "two hours ago"
        ("3Q24", "2025-09-09", "2024-07-01", Q, "absolute"),
        ("Q3-2024", "2025-09-09", "2024-07-01", Q, "absolute"),
        ("the 2024 calendar year", "2025-09-09", "2024-01-01", Y, "absolute"),
        ("the first half of the year", "2011-02-14", "2011-01-01", Y, "relative"),
        ("last December", "2025-09-09", "2024-12-01", M, "relative"),
        ("Back in August", "2022-09-29", "2022-08-01", M, "previous_occurrence"),
        ("18 February 2021 - 09:04", "2021-02-18", "2021-02-18", D, "absolute"),
        ("May 11, 2022 (Gmt+09:00)", "2022-05-11", "2022-05-11", D, "absolute"),
        ("Sept 16 (Reuters)", "2021-09-16", "2021-09-16", D, "nearest_occurrence"),
        ("April 11, 2022 /CNW/", "2022-04-11", "2022-04-11", D, "absolute"),
        ("10.06.2024 18:44:15", "2024-06-10", "2024-06-10", D, "absolute"),
        ("2 de febrero de 2033", "2023-02-03", "2033-02-02", D, "absolute"),
        ("Santiago, 4 de mayo 2020", "2020-05-04", "2020-05-04", D, "absolute"),
        # a dateline of several places, in brackets or not, and a label before a colon
        ("NEW DELHI, India, Jan. 5 (IANS)", "2025-01-05", "2025-01-05", D, "nearest_occurrence"),
        ("(Mining Weekly, Johannesburg, 2 June 2023)", "2023-06-02", "2023-06-02", D, "absolute"),
        ("Last modified: 14 March 2022", "2022-03-14", "2022-03-14", D, "absolute"),
        ("Release date: April 3, 2024", "2024-04-03", "2024-04-03", D, "absolute"),
        ("A September 2009 report", "2009-10-02", "2009-09-01", M, "absolute"),
        # a two-digit year after an apostrophe: dateparser read "Apr '25" as April 25
        ("Sept '24", "2025-03-06", "2024-09-01", M, "absolute"),
        ("in March \u201926", "2025-03-06", "2026-03-01", M, "absolute"),
        ("Dec. '99", "2025-03-06", "1999-12-01", M, "absolute"),
    ],
)
def test_date_forms(text: str, published: str, value: str, precision: Precision, rule: str) -> None:
    ref = resolve_date(text, published)
    assert (ref.value, ref.precision, ref.rule) == (dt.date.fromisoformat(value), precision, rule)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("FY25", "fiscal_year"),
        ("fiscal 2026", "fiscal_year"),
        ("2024-25", "year_range"),
        ("2025-2030", "year_range"),
        ("the 1990s", "decade"),
        ("this decade", "decade"),
        ("Jan-Mar 2025", "range"),  # dateparser read January
        ("Sept\u2013Dec", "range"),
        ("October through December 2024", "range"),
        ("for six years", "duration"),
        ("5", "not_a_date"),
    ],
)
def test_what_is_no_single_date_is_refused(text: str, category: str) -> None:
    with pytest.raises(Refusal) as info:
        resolve_date(text, "2025-09-09")
    assert info.value.category == category


def test_resolve_gives_the_date_its_sentence(seed: GoldArticle) -> None:
    """The article's sentence, not the date's words alone, decides the year."""
    article = seed.text + "\nExports of the concentrate will resume on January 15."

    def edit(d: dict[str, Any]) -> None:
        d["agreements"][1]["date"]["text"] = "on January 15"

    data = seed.draft.model_dump(mode="json")
    edit(data)
    resolved = resolve(ArticleDraft.model_validate(data), article, seed.published)
    date = resolved.agreements[1].date
    assert date is not None
    assert (date.value, date.rule) == (dt.date(2026, 1, 15), "next_occurrence")
