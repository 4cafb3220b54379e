"""The linker's optional rules (``minerals_summ.registry.rules``), each on and off.

``Rules()`` is what cross-validation chose (benchmarks/linking_cv.py); ``NONE`` is the linker
before these rules. Small records of their own, not the linking sets' lines.
"""

from __future__ import annotations

from minerals_summ.registry import Registry
from minerals_summ.registry.linking import compare
from minerals_summ.registry.names import core, division_of, name_keys
from minerals_summ.registry.profile import Profile
from minerals_summ.registry.rules import DEFAULT, NONE, Rules
from tests.test_registry_support import agreement, article, party


def _profile(record: object) -> Profile:
    return Profile.of(record, None)  # type: ignore[arg-type]


LYNAS = party("Lynas Rare Earths", "AU")
JARE = party("Japan Australia Rare Earths", "JP", acronym="JARE")


def _investment(value: str, currency: str) -> object:
    return agreement(
        "JARE investment in Lynas",
        [JARE, LYNAS],
        kind="investment_agreement",
        value=value,
        currency=currency,
        minerals=("rare_earth_elements",),
    )


def test_amounts_beyond_any_exchange_rate_rule_the_pair_out() -> None:
    big, small = _investment("200000000", "AUD"), _investment("9000000", "USD")
    assert compare(_profile(big), _profile(small)).veto == "amounts differ beyond any exchange rate"
    # Off, the same figures are weak evidence only, outweighed by the same parties and title.
    off = compare(_profile(big), _profile(small), NONE)
    assert off.veto is None
    assert "-1 amounts differ" in off.reasons
    # Within the band they are one figure converted (A$200 million is about US$134.7 million).
    converted = compare(_profile(big), _profile(_investment("134700000", "USD")))
    assert converted.veto is None
    assert "+1 amounts agree across currencies" in converted.reasons
    # Amounts in one currency that differ are still weak evidence, not a veto: outlets give one
    # scheme's outlay and its total, a loan before and after it grew.
    one_currency = compare(_profile(_investment("1050000000", "AUD")), _profile(big))
    assert one_currency.veto is None
    assert "-1 amounts differ" in one_currency.reasons


def test_the_veto_keeps_two_deals_of_the_same_parties_apart_in_a_registry() -> None:
    def linked(rules: Rules) -> int:
        with Registry(":memory:", rules=rules) as registry:
            registry.add(article(_investment("9000000", "USD")), article_id="a")
            registry.add(article(_investment("200000000", "AUD")), article_id="b")
            return len(registry.clusters())

    assert linked(DEFAULT) == 2
    assert linked(NONE) == 1


def test_a_division_named_by_its_groups_initials_is_the_group() -> None:
    group = core("General Electric")
    assert division_of(core("GE Renewable Energy"), group, name_keys("General Electric"))
    # Not a name that merely starts with a word of the other's, nor a one-word group.
    lithium = core("Lithium Americas")
    assert not division_of(core("Lithium Nevada Corp."), lithium, name_keys("Lithium Americas"))
    assert not division_of(core("GE Vernova"), "ge", name_keys("GE"))
    arafura = party("Arafura Resources", "AU")
    mou = agreement("Arafura NdPr offtake MoU", [party("GE Renewable Energy", "US"), arafura])
    other = agreement("rare earths agreement", [party("General Electric", "US"), arafura])
    assert "+3 named parties match" in compare(_profile(mou), _profile(other)).reasons
    assert "+3 named parties match" not in compare(_profile(mou), _profile(other), NONE).reasons


def test_the_defaults_are_the_rules_on_and_none_the_rules_off() -> None:
    assert Rules(amount_veto_fx=True, divisions=True) == DEFAULT
    assert not any(vars(NONE).values())
    assert Registry(":memory:").rules == DEFAULT
