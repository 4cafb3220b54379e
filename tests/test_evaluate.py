"""The scorer: perfect is 1.0, and each corruption costs exactly the field concerned."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from minerals_summ import ArticleSummary
from minerals_summ.evaluate import Counts, Score, normalise_name, score, score_many
from minerals_summ.gold import GoldArticle, load_gold_set
from minerals_summ.records import Agreement, Money, Party, PolicyScheme
from minerals_summ.resolve import resolve
from minerals_summ.vocabulary import (
    AgreementKind,
    Instrument,
    Mineral,
    PartyKind,
    Precision,
    Status,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def resolved(seed: GoldArticle) -> ArticleSummary:
    return resolve(seed.draft, seed.text, seed.published)


def assert_perfect(result: Score) -> None:
    for name, counts in result.rows():
        assert (counts.precision, counts.recall, counts.f1) == (1.0, 1.0, 1.0), name
    assert (result.precision, result.recall, result.f1) == (1.0, 1.0, 1.0)
    assert result.failures == []


def with_agreement(summary: ArticleSummary, i: int, **update: Any) -> ArticleSummary:
    records = list(summary.agreements)
    records[i] = records[i].model_copy(update=update)
    return summary.model_copy(update={"agreements": tuple(records)})


def with_scheme(summary: ArticleSummary, i: int, **update: Any) -> ArticleSummary:
    records = list(summary.policy_schemes)
    records[i] = records[i].model_copy(update=update)
    return summary.model_copy(update={"policy_schemes": tuple(records)})


def only_drops(result: Score, *names: str) -> None:
    """Every row but ``names`` (and micro) scores 1.0; every row in ``names`` scores less."""
    for name, counts in result.rows():
        if name in names:
            assert counts.f1 < 1.0, name
        elif name != "micro":
            assert (counts.precision, counts.recall, counts.f1) == (1.0, 1.0, 1.0), name
    assert result.f1 < 1.0


# --- Perfect -------------------------------------------------------------------------------


def test_gold_against_itself_is_perfect(seed: GoldArticle) -> None:
    result = score(seed.summary, seed.summary)
    assert_perfect(result)
    assert result.by_kind["agreement"] == Counts(tp=3)
    assert result.by_kind["policy_scheme"] == Counts(tp=1)
    assert result.by_field["agreement.parties"] == Counts(tp=6)
    assert result.by_field["policy_scheme.targets"] == Counts(tp=2)


def test_resolved_gold_draft_is_perfect(seed: GoldArticle, resolved: ArticleSummary) -> None:
    assert_perfect(score(resolved, seed.summary))
    assert_perfect(score(seed.summary, resolved))


def test_every_gold_file_against_itself_is_perfect() -> None:
    golds = load_gold_set(SEEDS)
    assert golds
    assert_perfect(score_many((g.summary, g.summary) for g in golds))


def test_empty_against_empty_is_perfect() -> None:
    empty = ArticleSummary(summary="")
    result = score(empty, empty)
    assert_perfect(result)
    assert result.micro == Counts()


# --- Corruptions ---------------------------------------------------------------------------


def test_wrong_amount_costs_only_the_budget(seed: GoldArticle) -> None:
    budget = seed.summary.policy_schemes[0].budget
    assert budget is not None
    wrong = budget.model_copy(update={"amount": Decimal("1500000000")})
    result = score(with_scheme(seed.summary, 0, budget=wrong), seed.summary)
    only_drops(result, "policy_scheme.budget")
    assert result.by_field["policy_scheme.budget"] == Counts(fp=1, fn=1)
    assert [(f.field, f.kind) for f in result.failures] == [("budget", "policy_scheme")]
    assert "1500000000" in result.failures[0].reason


def test_wrong_currency_costs_only_the_budget(seed: GoldArticle) -> None:
    budget = seed.summary.policy_schemes[0].budget
    assert budget is not None
    wrong = budget.model_copy(update={"currency": "USD"})
    only_drops(
        score(with_scheme(seed.summary, 0, budget=wrong), seed.summary), "policy_scheme.budget"
    )


def test_amount_compares_as_a_number(seed: GoldArticle) -> None:
    budget = seed.summary.policy_schemes[0].budget
    assert budget is not None
    same = budget.model_copy(update={"amount": Decimal("1.5E+10")})
    assert_perfect(score(with_scheme(seed.summary, 0, budget=same), seed.summary))


def test_value_where_gold_has_none_is_a_false_positive(seed: GoldArticle) -> None:
    value = Money(text="$1bn", amount=Decimal(10**9), currency="USD")
    result = score(with_agreement(seed.summary, 0, value=value), seed.summary)
    only_drops(result, "agreement.value")
    assert result.by_field["agreement.value"] == Counts(fp=1)


def test_missing_party_costs_only_parties(seed: GoldArticle) -> None:
    mou = seed.summary.agreements[0]
    result = score(with_agreement(seed.summary, 0, parties=mou.parties[:1]), seed.summary)
    only_drops(result, "agreement.parties")
    assert result.by_kind["agreement"] == Counts(tp=3)  # still matched
    assert result.by_field["agreement.parties"] == Counts(tp=5, fn=1)
    assert "U.S. Strategic Metals" in result.failures[0].reason


def test_wrong_party_country_costs_only_party_country(seed: GoldArticle) -> None:
    mou = seed.summary.agreements[0]
    parties = (mou.parties[0], mou.parties[1].model_copy(update={"country": "GB"}))
    result = score(with_agreement(seed.summary, 0, parties=parties), seed.summary)
    only_drops(result, "agreement.party_country")
    assert result.by_field["agreement.party_country"] == Counts(tp=5, fp=1, fn=1)


def test_extra_record_is_one_false_positive(seed: GoldArticle) -> None:
    perfect = score(seed.summary, seed.summary)
    extra = Agreement(
        title="Chile and Codelco lithium deal",
        kind=AgreementKind.JOINT_VENTURE,
        status=Status.SIGNED,
        parties=(
            Party(name="Codelco", kind=PartyKind.STATE_ENTITY, country="CL"),
            Party(name="SQM", kind=PartyKind.COMPANY, country="CL"),
        ),
        minerals=(Mineral.LITHIUM,),
        evidence=(),
    )
    predicted = seed.summary.model_copy(update={"agreements": (*seed.summary.agreements, extra)})
    result = score(predicted, seed.summary)
    only_drops(result, "agreement.records")
    assert result.by_kind["agreement"] == Counts(tp=3, fp=1)
    assert result.by_field == perfect.by_field
    assert [(f.record, f.field) for f in result.failures] == [(extra.title, None)]
    assert result.failures[0].reason.startswith("extra")


def test_duplicated_record_is_one_false_positive(seed: GoldArticle) -> None:
    agreements = seed.summary.agreements
    predicted = seed.summary.model_copy(update={"agreements": (*agreements, agreements[0])})
    result = score(predicted, seed.summary)
    assert result.by_kind["agreement"] == Counts(tp=3, fp=1)
    assert result.by_field == score(seed.summary, seed.summary).by_field


def test_wrong_date_precision_costs_only_the_date(seed: GoldArticle) -> None:
    date = seed.summary.agreements[0].date
    assert date is not None
    wrong = date.model_copy(update={"precision": Precision.MONTH})
    result = score(with_agreement(seed.summary, 0, date=wrong), seed.summary)
    only_drops(result, "agreement.date")
    assert result.by_field["agreement.date"] == Counts(tp=2, fp=1, fn=1)


def test_wrong_mineral_costs_only_minerals(seed: GoldArticle) -> None:
    minerals = (Mineral.ZINC, *seed.summary.agreements[0].minerals[1:])
    result = score(with_agreement(seed.summary, 0, minerals=minerals), seed.summary)
    only_drops(result, "agreement.minerals")
    assert result.by_field["agreement.minerals"] == Counts(tp=4, fp=1, fn=1)
    assert "zinc" in result.failures[0].reason
    assert "cobalt" in result.failures[0].reason


def test_missing_record_is_one_miss(seed: GoldArticle) -> None:
    predicted = seed.summary.model_copy(update={"policy_schemes": ()})
    result = score(predicted, seed.summary)
    only_drops(result, "policy_scheme.records")
    assert result.by_kind["policy_scheme"] == Counts(fn=1)
    assert result.by_kind["agreement"] == Counts(tp=3)
    assert [f.reason.split(":")[0] for f in result.failures] == ["missed"]


def test_missing_agreement_leaves_the_others_matched(seed: GoldArticle) -> None:
    predicted = seed.summary.model_copy(update={"agreements": seed.summary.agreements[1:]})
    result = score(predicted, seed.summary)
    only_drops(result, "agreement.records")
    assert result.by_kind["agreement"] == Counts(tp=2, fn=1)
    assert result.failures[0].record == seed.summary.agreements[0].title


# --- Matching rules ------------------------------------------------------------------------


def test_names_normalise() -> None:
    assert normalise_name("U.S. Strategic Metals") == normalise_name("US Strategic Metals")
    assert normalise_name("The Pakistan’s  Army") == "pakistan army"
    assert normalise_name("Société Générale") == "societe generale"


def test_party_matches_by_acronym_or_government_country(seed: GoldArticle) -> None:
    mou, trade = seed.summary.agreements[:2]
    fwo = Party(name="FWO", kind=PartyKind.MILITARY, country="PK")
    usa = Party(name="USA", kind=PartyKind.GOVERNMENT, country="US")
    predicted = with_agreement(seed.summary, 0, parties=(fwo, mou.parties[1]))
    predicted = with_agreement(predicted, 1, parties=(usa, trade.parties[1]))
    assert_perfect(score(predicted, seed.summary))


def test_same_parties_prefer_the_same_kind(seed: GoldArticle) -> None:
    trade = seed.summary.agreements[1]
    mou = trade.model_copy(
        update={"title": "MOU", "kind": AgreementKind.MEMORANDUM_OF_UNDERSTANDING}
    )
    gold = seed.summary.model_copy(update={"agreements": (trade, mou), "policy_schemes": ()})
    predicted = gold.model_copy(update={"agreements": (mou, trade)})
    assert_perfect(score(predicted, gold))


def test_schemes_match_by_country_and_similar_name(seed: GoldArticle) -> None:
    scheme = seed.summary.policy_schemes[0]
    renamed = with_scheme(seed.summary, 0, name="Critical mineral recycling incentive scheme")
    assert_perfect(score(renamed, seed.summary))
    elsewhere = score(with_scheme(seed.summary, 0, country="AU"), seed.summary)
    assert elsewhere.by_kind["policy_scheme"] == Counts(fp=1, fn=1)
    other = PolicyScheme(
        name="National Critical Mineral Mission",
        country=scheme.country,
        instrument=Instrument.STRATEGIC_PLAN_OR_MISSION,
        status=Status.APPROVED,
        evidence=(),
    )
    unrelated = score(seed.summary.model_copy(update={"policy_schemes": (other,)}), seed.summary)
    assert unrelated.by_kind["policy_scheme"] == Counts(fp=1, fn=1)


# --- Sums and rendering --------------------------------------------------------------------


def test_score_many_sums_counts(seed: GoldArticle) -> None:
    minerals = (Mineral.ZINC, *seed.summary.agreements[0].minerals[1:])
    corrupted = with_agreement(seed.summary, 0, minerals=minerals)
    one, two = score(seed.summary, seed.summary), score(corrupted, seed.summary)
    total = score_many([(seed.summary, seed.summary), (corrupted, seed.summary)])
    assert total.by_kind == {k: one.by_kind[k] + two.by_kind[k] for k in one.by_kind}
    assert total.by_field == {k: one.by_field[k] + two.by_field[k] for k in one.by_field}
    assert total.micro == one.micro + two.micro
    assert [f.article for f in total.failures] == ["1"]
    assert score_many([]).f1 == 1.0


def test_table_and_json_carry_the_figures(seed: GoldArticle) -> None:
    budget = seed.summary.policy_schemes[0].budget
    assert budget is not None
    wrong = budget.model_copy(update={"amount": Decimal(1)})
    result = score(with_scheme(seed.summary, 0, budget=wrong), seed.summary)
    table = str(result)
    assert table == result.table()
    budget_line = next(line for line in table.splitlines() if "policy_scheme.budget" in line)
    assert budget_line.split()[1:] == ["0", "1", "1", "0.000", "0.000", "0.000"]
    micro = result.micro
    micro_line = table.splitlines()[-1].split()
    assert micro_line[:4] == ["micro", str(micro.tp), str(micro.fp), str(micro.fn)]
    assert micro_line[-1] == f"{result.f1:.3f}"

    data = json.loads(result.to_json())
    assert data == result.to_dict()
    assert data["micro"]["f1"] == pytest.approx(result.f1)
    assert data["by_field"]["policy_scheme.budget"] == {
        "tp": 0, "fp": 1, "fn": 1, "precision": 0.0, "recall": 0.0, "f1": 0.0
    }  # fmt: skip
    assert data["by_kind"]["agreement"]["tp"] == 3
    assert data["failures"][0]["field"] == "budget"
    assert "budget" in str(result.failures[0])


def test_unresolved_dates_compare_equal(seed: GoldArticle) -> None:
    undated = resolve(seed.draft, seed.text, None)
    assert_perfect(score(undated, undated))
    result = score(undated, seed.summary)
    assert result.by_field["agreement.date"] == Counts(fn=3)  # unresolved: no date, not a wrong one
    assert result.by_kind["agreement"] == Counts(tp=3)
