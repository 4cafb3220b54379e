"""The gold set covers what the evaluation needs (kinds, instruments, places, money, dates)."""

from __future__ import annotations

import re
from collections import Counter

from minerals_summ.gold import load_gold_set
from minerals_summ.resolve import resolve
from minerals_summ.vocabulary import AgreementKind, Instrument, Precision
from tests.conftest import SEEDS

GOLD = load_gold_set(SEEDS)
RESOLVED = {g.name: resolve(g.draft, g.text, g.published) for g in GOLD}
RECORDS = [r for s in RESOLVED.values() for r in s.records()]
AGREEMENTS = [a for s in RESOLVED.values() for a in s.agreements]
SCHEMES = [p for s in RESOLVED.values() for p in s.policy_schemes]


def test_size() -> None:
    assert len(GOLD) >= 20  # the README says 20; more is welcome, fewer is a loss


def test_every_agreement_kind_but_other() -> None:
    assert {a.kind for a in AGREEMENTS} >= set(AgreementKind) - {AgreementKind.OTHER}


def test_six_instruments() -> None:
    required = {
        Instrument.GRANT_OR_SUBSIDY,
        Instrument.TAX_INCENTIVE,
        Instrument.PUBLIC_FINANCING_OR_FUND,
        Instrument.EXPORT_RESTRICTION,
        Instrument.STOCKPILING,
        Instrument.STRATEGIC_PLAN_OR_MISSION,
    }
    assert {s.instrument for s in SCHEMES} >= required
    assert len({s.instrument for s in SCHEMES}) >= 8


def test_jurisdictions_and_currencies() -> None:
    places = {s.country for s in SCHEMES} | {
        p.country for a in AGREEMENTS for p in a.parties if p.country
    }
    assert len(places) >= 17
    money = [m for m in [*(a.value for a in AGREEMENTS), *(s.budget for s in SCHEMES)] if m]
    assert len({m.currency for m in money}) >= 5
    assert any(re.search(r"crore", m.text) for m in money)
    assert any(re.search(r"lakh", m.text) for m in money)


def test_quantities_and_relative_dates() -> None:
    quantities = [t.quantity for s in SCHEMES for t in s.targets if t.quantity]
    assert any(q.unit == "t" for q in quantities)
    assert any(q.per_year for q in quantities)
    relative = [
        r.date
        for r in RECORDS
        if r.date and not re.search(r"\d{4}", r.date.text)  # resolving needs the publication date
    ]
    assert len(relative) >= 5
    assert {d.precision for d in relative} >= {Precision.DAY, Precision.WEEK, Precision.MONTH}


def test_two_events_of_the_same_kind_in_one_article() -> None:
    def kinds(name: str) -> Counter[str]:
        summary = RESOLVED[name]
        return Counter(
            [f"agreement:{a.kind}" for a in summary.agreements]
            + [f"scheme:{s.instrument}" for s in summary.policy_schemes]
        )

    assert any(max(kinds(name).values(), default=0) >= 2 for name in RESOLVED)


def test_negatives_and_an_article_with_instructions_for_the_model() -> None:
    negatives = [name for name, s in RESOLVED.items() if not s.records()]
    assert len(negatives) >= 3
    injected = [
        g for g in GOLD if re.search(r"(?i)ignore (all |any )?previous instructions", g.text)
    ]
    assert injected
    for gold in injected:  # the injected claims are in no record
        for record in RESOLVED[gold.name].records():
            assert not any("ignore" in e.quote.lower() for e in record.evidence)
