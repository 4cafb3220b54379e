"""Evidence that proves something, names with letters, free text the article supports, and
country codes the article gives a sign of."""

from __future__ import annotations

from typing import Any

import pytest

from minerals_summ.exceptions import DraftProblems
from minerals_summ.gold import GoldArticle
from minerals_summ.normalise.countries import mentions_country
from minerals_summ.normalise.free_text import MAX_QUOTE, ArticleFacts
from minerals_summ.resolve import resolve
from minerals_summ.schema import ArticleDraft


def outcome(seed: GoldArticle, edit: Any, article: str | None = None) -> Any:
    data = seed.draft.model_dump(mode="json")
    edit(data)
    try:
        return resolve(ArticleDraft.model_validate(data), article or seed.text, seed.published)
    except DraftProblems as error:
        return error


@pytest.mark.parametrize("quote", [",", "a", ".", "-", "—", "the", "US", "1,500", "  "])
def test_evidence_that_proves_nothing_is_sent_back(seed: GoldArticle, quote: str) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["agreements"][0]["evidence"] = [quote]

    error = outcome(seed, edit)
    assert isinstance(error, DraftProblems)
    [problem] = error.problems
    assert problem.path == "agreements[0].evidence[0]"
    assert "quote" in problem.message  # says what to copy instead


def test_the_whole_article_is_no_evidence(seed: GoldArticle) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["agreements"][0]["evidence"] = [seed.text]

    error = outcome(seed, edit)
    assert isinstance(error, DraftProblems)
    [problem] = error.problems
    assert f"at most {MAX_QUOTE} characters" in problem.message


@pytest.mark.parametrize("name", ["-", "§", ".", "1,500"])
def test_a_name_without_a_letter_is_sent_back(seed: GoldArticle, name: str) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["agreements"][0]["parties"][1].update(name=name, acronym=None)

    error = outcome(seed, edit)
    assert isinstance(error, DraftProblems)
    assert [p.path for p in error.problems] == ["agreements[0].parties[1].name"]


@pytest.mark.parametrize(
    ("field", "text", "named"),
    [
        ("summary", "The MoU was published on 2023-12-05 at 18:36 GMT, PM Joshi said.", "Joshi"),
        ("summary", "Pakistan signed a US$500 million deal.", "500"),
        ("title", "Elon Musk and Pakistan deal", "Elon"),
        ("title", "FWO deal signed by PM Joshi", "Joshi"),
        ("role", "Minister of Finance", "Finance"),
        ("organisation", "World Bank", "World"),
    ],
)
def test_free_text_may_state_only_what_the_article_does(
    seed: GoldArticle, field: str, text: str, named: str
) -> None:
    def edit(d: dict[str, Any]) -> None:
        if field == "summary":
            d["summary"] = text
        elif field == "title":
            d["agreements"][0]["title"] = text
        else:
            d["agreements"][0]["officials"][0][field] = text

    error = outcome(seed, edit)
    assert isinstance(error, DraftProblems)
    [problem] = error.problems
    assert problem.path.endswith(field)
    assert f"'{named}'" in problem.message


def test_invented_stamps_are_named() -> None:
    facts = ArticleFacts("The Cabinet approved the scheme on Monday in New Delhi.")
    assert facts.unsupported("Published on 2023-12-05 at 18:36, the Cabinet approved it.") == [
        "2023-12-05",
        "18:36",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "India's Cabinet approved a Rs 1,500-crore scheme.",  # possessive, grouping
        "The US-Pakistan MOU covers six minerals.",  # acronym, number word
        "An MoU on lithium was signed under the FY25 plan.",  # acronym of words, fiscal year
        "The Chilean state holds 80.1 Mt at 1.44% Li2O.",  # demonym, unit, formula
        "Minerals Security Partnership talks.",  # title case of the article's words
    ],
)
def test_the_article_own_forms_are_allowed(text: str) -> None:
    article = (
        "India's Union Cabinet approved a Rs 1,500-crore scheme. The memorandum of understanding "
        "between the United States and Pakistan covers six minerals, including lithium oxide, "
        "in the 2025 financial year plan. Chile's Codelco reported 80.1 million tonnes at 1.44%. "
        "The Minerals Security Partnership met."
    )
    assert ArticleFacts(article).unsupported(text) == []


def test_computed_codes_and_years_are_allowed() -> None:
    facts = ArticleFacts("The deal was signed in March by the two governments.")
    assert facts.unsupported("IN-AU deal of 2022", frozenset({"IN", "AU", "2022"})) == []
    assert facts.unsupported("IN-AU deal of 2022") == ["2022", "IN", "AU"]
    capitals = ArticleFacts("The deal was signed in March by Canberra and New Delhi.")
    assert capitals.unsupported("IN-AU deal") == []  # codes of countries the article names


@pytest.mark.parametrize(
    ("code", "text", "found"),
    [
        ("US", "the U.S. Embassy", True),
        ("US", "they told us", False),
        ("IN", "New Delhi said", True),
        ("IN", "Indian officials", True),
        ("IN", "the Union Cabinet approved Rs 1,500 crore", False),
        ("CD", "in the DRC", True),
        ("CD", "talks in Kinshasa", True),
        ("CN", "Beijing said", True),
        ("CN", "the Congo", False),
        ("EU", "Brussels hopes", True),
    ],
)
def test_a_country_is_mentioned_by_name_demonym_capital_or_short_form(
    code: str, text: str, found: bool
) -> None:
    assert mentions_country(code, text) is found


def test_a_country_the_article_gives_no_sign_of_is_marked_inferred(seed: GoldArticle) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["agreements"][0]["parties"][1]["country"] = "CN"
        d["policy_schemes"][0]["country"] = "CN"

    resolved = outcome(seed, edit)
    assert resolved.agreements[0].parties[1].country == "CN"
    assert resolved.agreements[0].parties[1].country_inferred is True
    assert resolved.agreements[0].parties[0].country_inferred is False  # Pakistan is named
    assert resolved.policy_schemes[0].country_inferred is True


def test_gold_articles_that_never_name_india_have_inferred_codes() -> None:
    from minerals_summ.gold import load_gold
    from tests.conftest import SEEDS

    gold = load_gold(SEEDS / "mines-ministry-prism-startup-grants-lakh.gold.json")
    resolved = resolve(gold.draft, gold.text, gold.published)
    assert {s.country_inferred for s in resolved.policy_schemes} == {True}
    seed = load_gold(SEEDS / "us-pakistan-critical-minerals.gold.json")
    resolved = resolve(seed.draft, seed.text, seed.published)
    assert not any(p.country_inferred for a in resolved.agreements for p in a.parties)
