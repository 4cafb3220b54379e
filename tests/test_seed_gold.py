"""The seed gold resolves through the core to exactly the values its annotator wrote."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from minerals_summ import ArticleSummary
from minerals_summ.gold import GoldArticle
from minerals_summ.resolve import resolve
from minerals_summ.vocabulary import Mineral, Precision


def comparable(summary: ArticleSummary) -> dict[str, Any]:
    """The records without what code derives beyond the annotation guide: offsets, provenance,
    date rules, inferred-country flags; for comparison with the gold."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: strip(v)
                for k, v in value.items()
                if k
                not in {"span", "start", "end", "provenance", "summary", "rule", "country_inferred"}
            }
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(summary.model_dump(mode="json"))  # type: ignore[no-any-return]


def test_seed_gold_resolves_to_itself(seed: GoldArticle) -> None:
    resolved = resolve(seed.draft, seed.text, seed.published)
    assert comparable(resolved) == comparable(seed.summary)


def test_seed_derived_values(seed: GoldArticle) -> None:
    resolved = resolve(seed.draft, seed.text, seed.published)
    scheme = resolved.policy_schemes[0]
    assert scheme.budget is not None
    assert scheme.budget.amount == Decimal("15000000000")
    assert scheme.budget.currency == "INR"
    assert scheme.country == "IN"
    assert scheme.duration_years == 6
    quantities = [t.quantity for t in scheme.targets]
    assert [(q.value, q.unit, q.per_year) for q in quantities if q] == [
        (Decimal("270000"), "t", True),
        (Decimal("40000"), "t", True),
    ]
    assert scheme.date is not None
    assert (scheme.date.value, scheme.date.precision) == (dt.date(2025, 9, 1), Precision.WEEK)
    dates = [(a.date.value, a.date.precision) for a in resolved.agreements if a.date]
    assert dates == [
        (dt.date(2025, 9, 8), Precision.DAY),
        (dt.date(2025, 7, 31), Precision.DAY),
        (dt.date(2025, 8, 1), Precision.MONTH),
    ]
    mou = resolved.agreements[0]
    assert [p.country for p in mou.parties] == ["PK", "US"]
    assert mou.minerals == (Mineral.COBALT, Mineral.NICKEL, Mineral.COPPER, Mineral.LITHIUM)


def test_every_offset_points_at_the_article(seed: GoldArticle) -> None:
    resolved = resolve(seed.draft, seed.text, seed.published)
    spans = []
    for record in resolved.records():
        for evidence in record.evidence:
            assert seed.text[evidence.start : evidence.end] == evidence.quote
            spans.append(evidence)
    money = resolved.policy_schemes[0].budget
    assert money is not None
    assert money.span is not None
    assert seed.text[money.span.start : money.span.end] == "Rs 1,500-crore"
    for agreement in resolved.agreements:
        for party in agreement.parties:
            assert party.span is not None
    assert len(spans) == 8


def test_without_publication_date_relative_dates_stay_unresolved(seed: GoldArticle) -> None:
    resolved = resolve(seed.draft, seed.text, None)
    by_text = {a.date.text: a.date for a in resolved.agreements if a.date}
    assert by_text["last month"].value is None
    assert by_text["on Monday"].value is None
