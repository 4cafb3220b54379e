"""Linking decisions: which mentions report one real event, and which do not."""

from __future__ import annotations

import datetime as dt

import pytest

from minerals_summ.registry import Registry
from minerals_summ.registry.linking import THRESHOLD, compare
from minerals_summ.registry.names import name_keys, same_name
from minerals_summ.registry.profile import MoneyFact, Period, period
from tests.test_registry_support import (
    AU,
    FWO,
    US,
    USSM,
    agreement,
    article,
    gov,
    party,
    profile,
    scheme,
)


@pytest.fixture
def registry() -> Registry:
    return Registry(":memory:")


def test_acronym_and_long_form_are_one_party() -> None:
    assert same_name(name_keys("FWO"), name_keys("Frontier Works Organization"), "FWO", "x")
    assert same_name(
        name_keys("USSM"), name_keys("U.S. Strategic Metals"), "USSM", "U.S. Strategic Metals"
    )
    assert same_name(  # the article's own long form carries the acronym
        name_keys("KABIL"), name_keys("Khanij Bidesh India Ltd", "KABIL"), "KABIL", "x"
    )
    assert same_name(  # spelling
        name_keys("Frontier Works Organisation"),
        name_keys("Frontier Works Organization"),
        "Frontier Works Organisation",
        "Frontier Works Organization",
    )
    assert same_name(name_keys("Iluka"), name_keys("Iluka Resources"), "Iluka", "Iluka Resources")
    assert not same_name(name_keys("Tesla"), name_keys("Ford"), "Tesla", "Ford")


def test_acronym_only_mention_joins_the_long_form(registry: Registry) -> None:
    long_form = agreement("FWO and USSM MoU on critical minerals", [FWO, USSM], date="2025-09-08")
    short = agreement(
        "Pakistan's FWO signs MoU with USSM",
        [party("FWO", "PK", "military"), party("USSM", "US")],
        date="2025-09-08",
    )
    [first] = registry.add(article(long_form, published="2025-09-09"), article_id="a")
    [second] = registry.add(article(short, published="2025-09-09"), article_id="b")
    assert first == second


def test_talks_then_mou_then_signed_join_with_a_status_history(registry: Registry) -> None:
    codelco, sqm = party("Codelco", "CL", "state_entity"), party("SQM", "CL")
    stages = [
        ("cooperation_talks", "under_negotiation", "2023-05-29", "2023-05-30"),
        ("memorandum_of_understanding", "signed", "2023-12-27", "2023-12-27"),
        ("joint_venture", "in_force", "2024-05-31", "2024-06-01"),
    ]
    ids = set()
    for i, (kind, status, date, published) in enumerate(stages):
        record = agreement(
            "SQM-Codelco lithium partnership", [codelco, sqm], kind=kind, status=status, date=date
        )
        ids |= set(registry.add(article(record, published=published), article_id=f"s{i}"))
    [event_id] = ids
    event = registry.event(event_id)
    assert [c.status for c in event.status_history] == ["under_negotiation", "signed", "in_force"]
    assert event.status == "in_force"
    assert event.status_history[0].date == dt.date(2023, 5, 29)
    assert not event.conflicts  # stages' different dates and kinds are history, not conflict


def test_same_governments_different_month_do_not_join(registry: Registry) -> None:
    compact = agreement(
        "Climate, Critical Minerals and Clean Energy Transformation Compact",
        [AU, US],
        kind="framework_agreement",
        status="signed",
        date="2023-05-20",
    )
    framework = agreement(
        "Framework for securing supply of critical minerals and rare earths",
        [US, AU],
        kind="framework_agreement",
        status="signed",
        date="2023-07-28",
    )
    [a] = registry.add(article(compact, published="2023-05-22"), article_id="compact")
    [b] = registry.add(article(framework, published="2023-07-29"), article_id="framework")
    assert a != b
    reasons = compare(profile(compact), profile(framework)).reasons
    assert any("same stage" in r for r in reasons)


def test_another_counterpart_is_another_deal(registry: Registry) -> None:
    liontown = party("Liontown Resources", "AU")
    tesla = agreement(
        "Liontown offtake", [liontown, party("Tesla", "US")], kind="offtake_agreement"
    )
    ford = agreement(
        "Liontown offtake", [party("Ford Motor Company", "US"), liontown], kind="offtake_agreement"
    )
    assert compare(profile(tesla, "2022-06-06"), profile(ford, "2022-06-29")).score < THRESHOLD


def test_amounts_within_rounding_and_qualifiers() -> None:
    exact = MoneyFact(8_500_000_000, "USD", "exact")
    assert exact.agrees(MoneyFact(8_460_000_000, "USD", "exact"))  # "$8.5 billion" for 8.46
    assert exact.agrees(MoneyFact(1_000_000_000, "USD", "at_least")) is True
    assert exact.agrees(MoneyFact(3_000_000_000, "USD", "exact")) is False
    assert exact.agrees(MoneyFact(13_000_000_000, "AUD", "exact")) is None  # not a conflict
    assert exact.converts_to(MoneyFact(13_000_000_000, "AUD", "exact"))  # about US$8.6 billion
    assert not exact.converts_to(MoneyFact(3_000_000_000, "AUD", "exact"))


def test_rounded_amounts_link_and_unrounded_do_not_conflict(registry: Registry) -> None:
    full = scheme("National Critical Mineral Mission", "IN", budget="343000000000")
    rounded = scheme("National Critical Mineral Mission (NCMM)", "IN", budget="340000000000")
    [a] = registry.add(article(full, published="2025-01-29"), article_id="a")
    [b] = registry.add(article(rounded, published="2025-01-30"), article_id="b")
    assert a == b
    assert not registry.event(a).conflicts


def test_dates_agree_within_their_precision() -> None:
    october = period(dt.date(2025, 10, 1), "month")
    assert october == Period(dt.date(2025, 10, 1), dt.date(2025, 11, 1))
    assert october.gap_days(period(dt.date(2025, 10, 20), "day")) == 0
    assert period(dt.date(2025, 1, 1), "year").gap_days(period(dt.date(2025, 12, 31), "day")) == 0
    assert period(dt.date(2025, 9, 1), "week").gap_days(period(dt.date(2025, 9, 3), "day")) == 0
    assert period(dt.date(2025, 4, 30), "day").gap_days(period(dt.date(2025, 5, 1), "day")) == 1
    month = agreement("US-Australia framework", [US, AU], date="2025-10-01", precision="month")
    day = agreement("US-Australia framework", [US, AU], date="2025-10-20")
    assert any("dates agree" in r for r in compare(profile(month), profile(day)).reasons)


def test_a_scheme_under_a_programme_is_not_the_programme(registry: Registry) -> None:
    mission = scheme(
        "National Critical Mineral Mission", "IN", instrument="strategic_plan_or_mission"
    )
    recycling = scheme(
        "Incentive scheme for critical mineral recycling",
        "IN",
        parent="National Critical Mineral Mission",
        date="2025-09-03",
    )
    ids = registry.add(article(mission, recycling, published="2025-09-03"), article_id="a")
    mission_again = scheme("National Critical Mineral Mission (NCMM)", "IN", date="2025-01-29")
    [again] = registry.add(article(mission_again, published="2025-01-29"), article_id="b")
    assert ids[0] != ids[1]
    assert again == ids[0]


def test_records_of_different_kinds_or_countries_never_join(registry: Registry) -> None:
    a = agreement("Critical minerals deal", [US, gov("Japan", "JP")], date="2023-03-28")
    b = agreement("Critical minerals deal", [US, AU], date="2023-03-28")
    assert compare(profile(a), profile(b)).score < THRESHOLD  # another counterpart country
    c = agreement("Critical minerals deal", [gov("Japan", "JP"), gov("India", "IN")])
    assert compare(profile(b), profile(c)).veto == "no country in common"
    s = scheme("Critical minerals deal", "US")
    assert compare(profile(a), profile(s)).veto


def test_an_undated_mention_is_still_found(registry: Registry) -> None:
    dated = agreement("US-DRC Strategic Partnership Agreement", [US, gov("DRC", "CD")])
    undated = agreement(
        "US-DRC Strategic Partnership Agreement", [gov("US", "US"), gov("DRC", "CD")]
    )
    [a] = registry.add(article(undated), article_id="no-date")
    [b] = registry.add(article(dated, published="2025-12-04"), article_id="dated")
    assert a == b


@pytest.mark.parametrize(
    ("value", "precision", "start", "end"),
    [
        (dt.date(2025, 10, 1), "quarter", dt.date(2025, 10, 1), dt.date(2026, 1, 1)),
        (dt.date(2025, 7, 1), "quarter", dt.date(2025, 7, 1), dt.date(2025, 10, 1)),
        (dt.date(2025, 12, 1), "month", dt.date(2025, 12, 1), dt.date(2026, 1, 1)),
        (dt.date(2025, 1, 1), "year", dt.date(2025, 1, 1), dt.date(2026, 1, 1)),
        (dt.date(2025, 9, 8), "day", dt.date(2025, 9, 8), dt.date(2025, 9, 9)),
    ],
)
def test_a_date_stands_for_its_whole_period(
    value: dt.date, precision: str, start: dt.date, end: dt.date
) -> None:
    found = period(value, precision)
    assert (found.start, found.end) == (start, end)
