"""When two mentions happened, and whether their stages can be one event moving on.

Dates decide between "a later stage of the same deal" and "another deal between the same
parties": two mentions at the same stage (both signed, say) whose dates are weeks apart report two
events; an earlier stage dated before a later one (talks in May, a signed agreement in December)
is the same event moving on.
"""

from __future__ import annotations

from minerals_summ.registry.comparison import Comparison
from minerals_summ.registry.profile import Profile

__all__ = ["compare_dates"]

# A signing reported in Kyiv on 1 May and in Washington on 30 April is one day: time zones and
# "yesterday" resolved against a late edition.
_SAME_DAY_SLACK = 1
# Same stage, further apart than this: another meeting, another document, another event.
_SAME_STAGE_DAYS = 20
# A deal moving from talks to a signature rarely takes longer than this.
_PROGRESSION_DAYS = 730
# A record without a date, and another dated (or published) within this many days.
_SAME_NEWS_DAYS = 7


def compare_dates(a: Profile, b: Profile, out: Comparison) -> None:
    """Points for the two records' moments: agreeing dates, a stage moving on, or another event."""
    pa, pb = a.period, b.period
    if pa is None or pb is None:
        # A record without a date of its own is dated by its article: news of a signing is
        # published within days of it, and same-stage news years apart is of another event.
        wa, wb = a.when, b.when
        days = abs((wa - wb).days) if wa and wb else None
        if days is not None and days <= _SAME_NEWS_DAYS:
            out.add(1.0, "reported within a week")
        elif days is not None and a.stage == b.stage and days > 365:
            out.add(-2.0, "reported more than a year apart")
        return
    gap = pa.gap_days(pb)
    if gap <= _SAME_DAY_SLACK:
        exact = a.date and b.date and a.date[1] == b.date[1] == "day"
        out.add(2.0 if exact else 1.0, "dates agree")
    elif a.stage == b.stage:
        if gap > _SAME_STAGE_DAYS:
            out.add(-4.0, f"same stage, {gap} days apart")
        else:
            out.add(-1.0, f"same stage, {gap} days apart")
    else:
        earlier, later = (a, b) if pa.start <= pb.start else (b, a)
        if earlier.stage < later.stage and gap <= _PROGRESSION_DAYS:
            out.add(0.0, f"a later stage {gap} days on")
        else:
            out.add(-3.0, f"stages out of order or {gap} days apart")
