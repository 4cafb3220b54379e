"""The linking failures the held-out set showed (seeds/linking/HELDOUT.md), one class a test.

Each test is built from small records of its own, not from the held-out lines: the rule, not the
example, is what is tested.
"""

from __future__ import annotations

import datetime as dt

import pytest

from minerals_summ.registry import Registry
from minerals_summ.registry.linking import THRESHOLD, compare
from minerals_summ.registry.names import country_words, name_keys
from minerals_summ.registry.profile import MoneyFact, Profile
from tests.test_registry_support import agreement, gov, party, scheme


@pytest.fixture
def registry() -> Registry:
    return Registry(":memory:")


def _profile(record: object, published: str | None = None) -> Profile:
    day = dt.date.fromisoformat(published) if published else None
    return Profile.of(record, day)  # type: ignore[arg-type]


def _reasons(a: object, b: object, pa: str | None = None, pb: str | None = None) -> str:
    return "; ".join(compare(_profile(a, pa), _profile(b, pb)).reasons)


def test_a_schemes_jurisdiction_is_not_part_of_its_name() -> None:
    drop = country_words("GB")
    assert {"uk", "britain", "british", "kingdom"} <= drop
    assert name_keys("UK critical minerals strategy", drop=drop) & name_keys(
        "Critical Minerals Strategy", drop=drop
    )
    assert "critical minerals strategy" in name_keys(
        "the UK's Critical Minerals Strategy", drop=drop
    )
    uk = scheme("UK critical minerals strategy", "GB", instrument="strategic_plan_or_mission")
    plain = scheme("Critical Minerals Strategy", "GB", instrument="strategic_plan_or_mission")
    assert "same name" in _reasons(uk, plain)
    # Nor an agreement's country part of its title: "UK-Zambia compact" is not "UK" plus words.
    assert _profile(agreement("UK-Zambia Green Growth Compact", [gov("UK", "GB")])).label == (
        "zambia green growth compact"
    )


def test_different_numbers_or_ordinals_in_names_are_different_measures() -> None:
    forty_seven = scheme("List of 47 strategic projects", "EU", instrument="other")
    thirteen = scheme("List of 13 strategic projects outside the EU", "EU", instrument="other")
    assert "different references" in _reasons(forty_seven, thirteen)
    assert compare(_profile(forty_seven), _profile(thirteen)).score < THRESHOLD
    first = scheme("First tranche auction of critical minerals", "IN", instrument="other")
    fourth = scheme("4th tranche auction of critical minerals", "IN", instrument="other")
    assert "different references" in _reasons(first, fourth)
    # A count and an ordinal are not the same kind of number: no evidence either way.
    twenty = scheme("Auction of 20 critical mineral blocks", "IN", instrument="other")
    assert "references" not in _reasons(first, twenty)
    assert "same references (1st)" in _reasons(first, scheme("first tranche", "IN"))


def test_amounts_far_apart_in_other_currencies_differ() -> None:
    assert (
        MoneyFact(200_000_000, "AUD", "exact").converts_to(MoneyFact(9e6, "USD", "exact")) is False
    )
    assert MoneyFact(200_000_000, "AUD", "exact").converts_to(MoneyFact(1.3e8, "USD", "exact"))
    assert MoneyFact(1, "XYZ", "exact").converts_to(MoneyFact(1, "USD", "exact")) is None
    lynas = party("Lynas Rare Earths", "AU")
    big = agreement("Investment in Lynas", [lynas], value="200000000", currency="AUD")
    small = agreement("Investment in Lynas", [lynas], value="9000000", currency="USD")
    assert "amounts differ" in _reasons(big, small)
