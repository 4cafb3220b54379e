"""The linking failures the held-out set showed (seeds/linking/HELDOUT.md), one class a test.

Each test is built from small records of its own, not from the held-out lines: the rule, not the
example, is what is tested.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from minerals_summ.registry import Registry
from minerals_summ.registry.linking import THRESHOLD, compare
from minerals_summ.registry.names import country_words, name_keys
from minerals_summ.registry.profile import MoneyFact, Profile
from minerals_summ.registry.rules import NONE
from tests.test_registry_support import agreement, article, gov, party, profile, scheme


@pytest.fixture
def registry() -> Registry:
    return Registry(":memory:")


def _reasons(a: object, b: object, pa: str | None = None, pb: str | None = None) -> str:
    return "; ".join(compare(profile(a, pa), profile(b, pb)).reasons)


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
    assert profile(agreement("UK-Zambia Green Growth Compact", [gov("UK", "GB")])).label == (
        "zambia green growth compact"
    )


def test_different_numbers_or_ordinals_in_names_are_different_measures() -> None:
    forty_seven = scheme("List of 47 strategic projects", "EU", instrument="other")
    thirteen = scheme("List of 13 strategic projects outside the EU", "EU", instrument="other")
    # Two measures, whatever else they share: a veto (heldout4's programme phases showed that
    # points against were outweighed by the programme's name, shared by every phase).
    assert compare(profile(forty_seven), profile(thirteen)).veto == "different references"
    first = scheme("First tranche auction of critical minerals", "IN", instrument="other")
    fourth = scheme("4th tranche auction of critical minerals", "IN", instrument="other")
    assert compare(profile(first), profile(fourth)).veto == "different references"
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
    # Weak evidence against with the optional rules off; ruled out with the defaults
    # (tests/test_registry_rules.py).
    assert "amounts differ" in "; ".join(compare(profile(big), profile(small), NONE).reasons)
    assert compare(profile(big), profile(small)).veto


def test_a_date_after_publication_is_a_plan_not_the_stage(registry: Registry) -> None:
    # One outlet dates the quota regime by its announcement, another by the day it starts.
    announced = scheme(
        "Cobalt export quota system", "CD", instrument="export_restriction", status="announced",
        date="2025-09-20",
    )  # fmt: skip
    starts = scheme(
        "Cobalt export quota regime", "CD", instrument="export_restriction", status="announced",
        date="2025-10-15",
    )  # fmt: skip
    assert "same stage" not in _reasons(announced, starts, "2025-09-21", "2025-09-22")
    [a] = registry.add(article(announced, published="2025-09-21"), article_id="a")
    [b] = registry.add(article(starts, published="2025-09-22"), article_id="b")
    assert a == b
    # Without a publication date the plan cannot be told from the moment.
    assert "same stage" in _reasons(announced, starts)


def test_an_article_bounds_when_its_undated_record_happened() -> None:
    gm, lac = party("General Motors", "US"), party("Lithium Americas", "CA")
    old = agreement("GM investment in Lithium Americas", [gm, lac], kind="investment_agreement")
    new = agreement(
        "GM joint venture with Lithium Americas", [gm, lac], kind="joint_venture",
        date="2024-10-16",
    )  # fmt: skip
    # Signed news published twenty months before the other's signature: another signing.
    assert "same stage, reported 624 days before" in _reasons(old, new, "2023-01-31", "2024-10-16")
    talks = agreement("GM investment in Lithium Americas", [gm, lac], status="under_negotiation")
    # A signature reported before the talks it would follow: stages out of order.
    talks_dated = agreement(
        "GM talks with Lithium Americas", [gm, lac], status="under_negotiation", date="2024-01-10"
    )
    assert "a later stage reported" in _reasons(old, talks_dated, "2023-01-31", "2024-01-11")
    # Talks reported more than a year after a signature, both dated by their articles only.
    assert "an earlier stage reported more than a year after" in _reasons(
        talks, old, "2024-06-01", "2023-01-31"
    )
    # Recalled later at the same stage, or reported within days: no penalty.
    assert "reported" not in _reasons(old, new, "2024-12-01", "2024-10-16").replace(
        "reported within", ""
    )


def test_a_name_of_minerals_alone_says_nothing_of_a_longer_name() -> None:
    suspension = scheme(
        "Curbs on cobalt exports", "CD", instrument="export_restriction", minerals=("cobalt",)
    )
    quotas = scheme(
        "Cobalt export quota regime", "CD", instrument="export_restriction", minerals=("cobalt",)
    )
    assert "names" not in _reasons(suspension, quotas)  # no "similar names (100)"
    ga = scheme("Export controls on gallium and germanium", "CN", instrument="export_restriction")
    ga_again = scheme("Gallium, germanium export controls", "CN", instrument="export_restriction")
    assert "similar names" in _reasons(ga, ga_again)  # minerals alone on both sides: compared


def test_export_ban_suspension_and_halt_are_one_instrument_word() -> None:
    ban = scheme("Cobalt export ban", "CD", instrument="export_restriction")
    suspension = scheme(
        "Temporary suspension of cobalt exports", "CD", instrument="export_restriction"
    )
    assert profile(ban).label == "cobalt"
    assert "unrelated names" not in _reasons(ban, suspension)


def test_an_instrument_read_as_other_is_no_evidence() -> None:
    plan = scheme("47 strategic projects", "EU", instrument="strategic_plan_or_mission")
    other = scheme("List of 47 strategic projects", "EU", instrument="other")
    assert "instrument" not in _reasons(plan, other)
    grant = scheme("List of 47 strategic projects", "EU", instrument="grant_or_subsidy")
    assert "different instruments" in _reasons(plan, grant)


def test_a_government_lender_and_a_company_investor_are_other_counterparts() -> None:
    lac = party("Lithium Americas", "CA")
    loan = agreement(
        "DOE loan for Thacker Pass", [gov("U.S. Department of Energy", "US"), lac],
        kind="financing_agreement",
    )  # fmt: skip
    equity = agreement(
        "GM investment in Lithium Americas", [party("General Motors", "US"), lac],
        kind="investment_agreement",
    )  # fmt: skip
    assert "a government against a company" in _reasons(loan, equity)
    assert compare(profile(loan), profile(equity)).score < THRESHOLD
    # A government standing for its own state body is the same counterpart.
    ussm = party("U.S. Strategic Metals", "US")
    fwo = agreement("MoU", [party("Frontier Works Organization", "PK", "military"), ussm])
    pakistan = agreement("MoU", [gov("Pakistan", "PK"), ussm])
    assert "named parties match" in _reasons(fwo, pakistan)


def test_profiles_stored_before_the_party_kinds_still_load() -> None:
    record = agreement(
        "DOE loan", [gov("US Department of Energy", "US"), party("Lithium Americas", "CA")]
    )
    found = profile(record, "2024-03-14")
    assert found.states == ("US",)
    assert found.party_kinds == ("company",)
    old = json.loads(found.to_json())
    del old["states"], old["party_kinds"]
    assert Profile.from_json(json.dumps(old)) == replace(found, states=(), party_kinds=())
