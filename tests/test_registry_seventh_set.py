"""The linking failure classes the seventh held-out set showed (seeds/linking/HELDOUT7.md).

Built from small records of their own, not from the set's lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from minerals_summ.registry import Registry
from minerals_summ.registry.linking import compare
from minerals_summ.registry.rules import DEFAULT, NONE, Rules
from tests.test_registry_support import agreement, article, party, profile

MINER = party("Nordic Lithium Oy", "FI")
BUYER = party("Southern Platinum Ltd", "ZA")


def _deal(title: str, date: str | None, status: str = "signed") -> object:
    return agreement(
        title,
        [BUYER, MINER],
        kind="investment_agreement",
        status=status,
        date=date,
        minerals=("lithium",),
    )


def test_two_deals_for_different_stakes_are_two_deals() -> None:
    # The first deal as a later article reports it, without its own date; the second offered.
    first = profile(
        _deal("Southern Platinum takes 30% of Nordic Lithium", None, "in_force"), "2021-02-24"
    )
    control = profile(
        _deal(
            "Southern Platinum's move to raise its Nordic Lithium stake to 80%",
            "2022-06-30",
            "announced",
        )
    )
    assert compare(first, control).veto == "different stakes"
    # Without the rule the parties, minerals and kind carry the pair over the threshold.
    assert compare(first, control, NONE).veto is None
    assert compare(first, control, NONE).score >= 2.5


def test_stakes_within_a_rounding_or_a_range_agree() -> None:
    pairs = [
        (
            "Buyer to take a 24.68% stake in Nordic Lithium",
            "Buyer buys about 25% of Nordic Lithium",
        ),
        ("Talks to buy 24% of Nordic Lithium", "Purchase of 23.77% of Nordic Lithium completed"),
        ("Offer for 15% of Nordic Lithium", "Buyer poised to buy 10%-20% of Nordic Lithium"),
        ("Purchase of 95 pct of Nordic Lithium", "Buyer acquires 95% of Nordic Lithium"),
        ("A 19,9% stake in Nordic Lithium", "Buyer takes 19.9 per cent of Nordic Lithium"),
    ]
    for a, b in pairs:
        comparison = compare(profile(_deal(a, "2021-02-23")), profile(_deal(b, "2021-02-24")))
        assert comparison.veto is None, (a, b)
    # A title without a stake says nothing of it.
    plain = compare(
        profile(_deal("Buyer invests in Nordic Lithium", "2021-02-23")),
        profile(_deal("Buyer buys 30% of Nordic Lithium", "2021-02-23")),
    )
    assert plain.veto is None


def test_only_stakes_are_compared_not_other_percentages() -> None:
    held = profile(_deal("Southern Platinum takes 19.9% of Nordic Lithium", "2021-02-23"))
    others = [
        "Southern Platinum secures 50% of Nordic Lithium's spodumene output",
        "Southern Platinum invests in Nordic Lithium, gets 5% royalty",
        "Nordic Lithium shares jump 40% on Southern Platinum deal",
        "Southern Platinum buys a further 20% of Nordic Lithium",  # an increment, not the holding
        "Southern Platinum deal with Nordic Lithium despite a 25% tariff",
        "Southern Platinum's 1,500% return on Nordic Lithium",
    ]
    for title in others:
        comparison = compare(held, profile(_deal(title, "2021-02-24")))
        assert comparison.veto is None, title


def test_a_stake_raised_from_one_level_to_another_holds_the_second() -> None:
    first = profile(_deal("Southern Platinum takes 30% of Nordic Lithium", "2021-02-23"))
    raised = profile(
        _deal("Southern Platinum raises Nordic Lithium stake from 30% to 80%", "2021-03-01")
    )
    assert compare(first, raised).veto == "different stakes"
    same = profile(_deal("Southern Platinum to hold 80 Per Cent of Nordic Lithium", "2021-03-02"))
    assert compare(raised, same).veto is None  # any case; "per cent" as "%"
    assert compare(first, same).veto == "different stakes"


def _events(rules: Rules) -> int:
    with Registry(":memory:", rules=rules) as registry:
        registry.add(
            article(_deal("Buyer takes 30% of Nordic Lithium", None, "in_force")),
            article_id="first",
            published=dt.date(2021, 2, 24),
        )
        registry.add(
            article(
                _deal(
                    "Buyer offers to raise its Nordic Lithium stake to 80%",
                    "2022-06-30",
                    "announced",
                )
            ),
            article_id="control",
            published=dt.date(2022, 7, 1),
        )
        return len(registry.events())


def test_a_registry_keeps_two_stakes_of_the_same_parties_apart() -> None:
    assert DEFAULT.stakes
    assert not NONE.stakes
    assert _events(DEFAULT) == 2
    assert _events(replace(DEFAULT, stakes=False)) == 1
