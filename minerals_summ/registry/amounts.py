"""Comparing the amounts two mentions give their deal.

A rule of :mod:`minerals_summ.registry.linking`: it adds points to a :class:`Comparison` with its
reason, or, as :class:`Rules` say, vetoes the pair.
"""

from __future__ import annotations

from minerals_summ.registry.comparison import Comparison
from minerals_summ.registry.profile import Profile
from minerals_summ.registry.rules import Rules

__all__ = ["amounts"]


def amounts(a: Profile, b: Profile, out: Comparison, rules: Rules) -> None:
    """Amounts that agree within rounding (or about, across currencies), or differ."""
    ma, mb = a.money_fact, b.money_fact
    if ma is None or mb is None:
        return
    agrees = ma.agrees(mb)
    converts = ma.converts_to(mb) if agrees is None else None
    if agrees:
        out.add(1.5, "amounts agree")
    elif converts:
        out.add(1.0, "amounts agree across currencies")
    elif converts is False and rules.amount_veto_fx:
        # The band is a third either way around rough rates: amounts outside it are not one
        # figure converted, and two figures of one deal (a total and a tranche) are reported in
        # one currency. (Vetoing amounts of one currency too lost the gold's recall: outlets
        # give a scheme's outlay and its total, a loan before and after it grew.)
        out.veto = "amounts differ beyond any exchange rate"
    elif agrees is False or converts is False:
        # Outlets report different figures of one deal (a pipeline, a first tranche): weak.
        out.add(-1.0, "amounts differ")
