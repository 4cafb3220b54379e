"""The linker's optional rules: what cross-validation chooses.

Each field switches one rule of :mod:`minerals_summ.registry.linking` on or off. ``Rules()`` holds
the choices that ``benchmarks/linking_cv.py``'s procedure made on all the labelled mentions (both
linking sets); :data:`NONE` switches every rule off, the linker as it was before them.
``docs/registry.md`` gives the cross-validated figures of both.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT", "NONE", "Rules"]


@dataclass(frozen=True)
class Rules:
    """Switches of the linker's optional rules."""

    # Amounts in two currencies further apart than the rough rates' band rule the pair out
    # (A$200 million and US$9 million): no rate makes them one figure, and the parties that
    # made one deal in two currencies' news made two.
    amount_veto_fx: bool = True
    # A party named by a group's acronym or initials and more words is a part of that group
    # ("GE Renewable Energy" of "General Electric"): one party.
    divisions: bool = True
    # A trade agreement against a memorandum, framework or partnership of the same parties: two
    # documents (a trade deal and a minerals MoU signed the same day in one capital).
    trade_kind: bool = True
    # A mention that says when (a date, or its article's) joins an event holding such mentions
    # only on the strength of one of them: a timeless mention ("GM's investment in Lithium
    # Americas", no date, no publication date) matches both of two deals of the same parties,
    # and would otherwise carry the second deal into the first. A timeless mention joins its
    # best event but does not bridge two.
    anchored: bool = True
    # Two mentions whose moments (their dates, else their articles') are more than two years
    # apart report two events: news of one deal, from talks to its signature, spans less; the
    # same parties' next deal, or a programme's next round, comes years later. (An article
    # recalling an old event without its date is then left apart: a duplicate, not a merge.)
    years_apart: bool = True
    # Two scheme names of generic words only, alike once the jurisdiction is left out ("the UK's
    # critical minerals strategy", "UK critical minerals strategy"): weak evidence of one scheme.
    generic_names: bool = True
    # Two agreements' titles giving stakes that differ beyond rounding ("30% of Keliber", "its
    # Keliber stake to 80%") are two deals of the same parties.
    stakes: bool = True


DEFAULT = Rules()
NONE = Rules(
    amount_veto_fx=False,
    divisions=False,
    trade_kind=False,
    anchored=False,
    years_apart=False,
    generic_names=False,
    stakes=False,
)
