"""When two mentions happened, and whether their stages can be one event moving on.

Dates decide between "a later stage of the same deal" and "another deal between the same
parties": two mentions at the same stage (both signed, say) whose dates are weeks apart report two
events; an earlier stage dated before a later one (talks in May, a signed agreement in December)
is the same event moving on. A record without a date of its own is dated by its article, which
bounds when its stage was reached; a record dated after its article states a plan, not the
moment of its stage.
"""

from __future__ import annotations

import datetime as dt

from minerals_summ.registry.comparison import Comparison
from minerals_summ.registry.profile import Period, Profile, period

__all__ = ["compare_dates", "days_apart", "latest_year"]

# A signing reported in Kyiv on 1 May and in Washington on 30 April is one day: time zones and
# "yesterday" resolved against a late edition.
_SAME_DAY_SLACK = 1
# Same stage, further apart than this: another meeting, another document, another event.
_SAME_STAGE_DAYS = 20
# A deal moving from talks to a signature rarely takes longer than this.
_PROGRESSION_DAYS = 730
# A record without a date, and another dated (or published) within this many days.
_SAME_NEWS_DAYS = 7
# News of one stage this far apart is of two events; so is an earlier stage reported this long
# after a later one.
_YEAR = 365
# The same stage reached twice more than a year apart: another deal of the same parties (GM's
# two investments in Lithium Americas), or a copy misdated by a year. Weeks apart (-4) is often
# one deal signed in two documents (a term sheet, then the full agreement).
_FAR_POINTS = -6.0


def _same_stage_points(days: int) -> float:
    """Two reports of one stage this many days apart: a year or more, weeks, or a few days."""
    if days > _YEAR:
        return _FAR_POINTS
    return -4.0 if days > _SAME_STAGE_DAYS else -1.0


def compare_dates(a: Profile, b: Profile, out: Comparison) -> None:
    """Points for the two records' moments: agreeing dates, a stage moving on, or another event."""
    pa, pb = _moment(a), _moment(b)
    if pa is None or pb is None:
        _reported_dates(a, pa, b, pb, out)
        return
    gap = pa.gap_days(pb)
    if gap <= _SAME_DAY_SLACK:
        exact = a.date and b.date and a.date[1] == b.date[1] == "day"
        out.add(2.0 if exact else 1.0, "dates agree")
    elif a.stage == b.stage:
        out.add(_same_stage_points(gap), f"same stage, {gap} days apart")
    else:
        earlier, later = (a, b) if pa.start <= pb.start else (b, a)
        if earlier.stage < later.stage and gap <= _PROGRESSION_DAYS:
            out.add(0.0, f"a later stage {gap} days on")
        else:
            out.add(-3.0, f"stages out of order or {gap} days apart")


def _reported_dates(
    a: Profile, pa: Period | None, b: Profile, pb: Period | None, out: Comparison
) -> None:
    """At least one record dated only by its article, which bounds when its stage was reached.

    News of a signing is published within days of it. A stage reported before the other record
    says that stage (or an earlier one) was reached is of another event; so are same-stage news
    more than a year apart, and an earlier stage (talks, an announcement) reported more than a
    year after a later one: an article may recall an old event, but at the stage it reached.
    """
    wa, wb = _reported(a, pa), _reported(b, pb)
    if wa is None or wb is None:
        return
    if abs((wa - wb).days) <= _SAME_NEWS_DAYS:
        out.add(1.0, "reported within a week")
        return
    if pa is None and pb is not None and _reported_before(a, wa, b, pb, out):
        return
    if pb is None and pa is not None and _reported_before(b, wb, a, pa, out):
        return
    if a.stage == b.stage:
        if abs((wa - wb).days) > _YEAR:
            out.add(-2.0, "reported more than a year apart")
        return
    (early, p_early), (late, p_late) = sorted(((a, pa), (b, pb)), key=lambda x: x[0].stage)
    early_at = _reported(early, p_early)
    late_at = p_late.end if p_late else _reported(late, None)
    if early_at is None or late_at is None:
        return
    days = (late_at - early_at).days
    if -days > _YEAR:
        out.add(-2.0, "an earlier stage reported more than a year after a later one")
    elif days > _PROGRESSION_DAYS:
        # As for two dated records: a deal moving on takes less than two years.
        out.add(-3.0, f"a later stage reported {days} days after an earlier one")


def _reported_before(
    undated: Profile, published: dt.date, dated: Profile, moment: Period, out: Comparison
) -> bool:
    """An article reporting a stage before the other record says it (or an earlier one) was
    reached: as two dated records would be, same-stage news weeks apart or stages out of order.
    """
    days = (moment.start - published).days
    if days <= _SAME_DAY_SLACK or undated.stage < dated.stage:
        return False
    if undated.stage > dated.stage:
        out.add(-3.0, f"a later stage reported {days} days before the earlier one")
    else:
        points = _same_stage_points(days)
        out.add(points, f"same stage, reported {days} days before the other's date")
    return True


def _moment(profile: Profile) -> Period | None:
    """When the record's stage was reached: its date, unless that lies after its article.

    A date after publication is a plan ("exports resume on 16 October", "to be signed at the
    forum"), not the moment of the stage the record states.
    """
    period = profile.period
    if period is None or profile.published is None:
        return period
    published = dt.date.fromisoformat(profile.published)
    return None if (period.start - published).days > _SAME_DAY_SLACK else period


def _reported(profile: Profile, moment: Period | None) -> dt.date | None:
    """The record's moment, else its article's publication date."""
    if moment is not None:
        return moment.start
    return dt.date.fromisoformat(profile.published) if profile.published else None


def _when(profile: Profile) -> Period | None:
    """The record's moment (its date, unless a plan), else its article's day."""
    moment = _moment(profile)
    if moment is not None:
        return moment
    day = _reported(profile, None)
    return None if day is None else period(day, "day")


def days_apart(a: Profile, b: Profile) -> int | None:
    """Days between two mentions' moments, each its date (within its precision, a plan not
    counted) or else its article's day; None when either does not say when."""
    wa, wb = _when(a), _when(b)
    return None if wa is None or wb is None else wa.gap_days(wb)


def latest_year(profile: Profile) -> int | None:
    """The last year the mention's moment (as in :func:`days_apart`) may fall in."""
    when = _when(profile)
    return None if when is None else (when.end - dt.timedelta(days=1)).year
