"""What resolve() tells the model when a draft does not hold up against the article."""

from __future__ import annotations

from typing import Any

import pytest

from minerals_summ.exceptions import DraftProblems
from minerals_summ.gold import GoldArticle
from minerals_summ.normalise.free_text import states_duration as _states_duration
from minerals_summ.resolve import resolve
from minerals_summ.schema import ArticleDraft


def draft_with(seed: GoldArticle, edit: Any) -> ArticleDraft:
    data = seed.draft.model_dump(mode="json")
    edit(data)
    return ArticleDraft.model_validate(data)


def problems(seed: GoldArticle, edit: Any) -> DraftProblems:
    with pytest.raises(DraftProblems) as info:
        resolve(draft_with(seed, edit), seed.text, seed.published)
    return info.value


def test_invented_quote_is_named_with_its_path(seed: GoldArticle) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["agreements"][0]["evidence"][1] = "the deal is worth $2 billion"

    error = problems(seed, edit)
    [problem] = error.problems
    assert problem.kind == "ungrounded_quote"
    assert problem.path == "agreements[0].evidence[1]"
    assert "'the deal is worth $2 billion' is not in the article" in str(error)


def test_reformatted_amount_is_refused_with_the_article_wording(seed: GoldArticle) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["policy_schemes"][0]["budget"]["text"] = "Rs 1,500 crore"

    error = problems(seed, edit)
    [problem] = error.problems
    assert problem.kind == "ungrounded_text"
    assert problem.path == "policy_schemes[0].budget.text"
    assert "'Rs 1,500 crore' is not in the article" in problem.message
    assert "'Rs 1,500-crore'" in problem.message


def test_changed_number_gets_no_misleading_hint(seed: GoldArticle) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["policy_schemes"][0]["budget"]["text"] = "Rs 1,600-crore"

    [problem] = problems(seed, edit).problems
    assert "'Rs 1,600-crore' is not in the article" in problem.message
    assert "1,500" not in problem.message


def test_invented_party_and_official(seed: GoldArticle) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["agreements"][0]["parties"][1] = {
            "name": "Acme Lithium Corp",
            "acronym": None,
            "kind": "company",
            "country": "US",
        }
        d["agreements"][0]["officials"][0]["name"] = "John Smith"

    found = problems(seed, edit).problems
    assert [(p.path, p.kind) for p in found] == [
        ("agreements[0].parties[1].name", "ungrounded_name"),
        ("agreements[0].officials[0].name", "ungrounded_name"),
    ]
    assert "Acme Lithium Corp" in found[0].message
    assert "John Smith" in found[1].message


def test_a_name_of_punctuation_alone_is_a_problem_not_a_crash(seed: GoldArticle) -> None:
    """A name with no word in it (found by review: the word-window search failed on it)."""

    def edit(d: dict[str, Any]) -> None:
        d["agreements"][0]["parties"][1]["name"] = "§"
        d["agreements"][0]["parties"][1]["acronym"] = None
        d["agreements"][0]["location"] = "@@"

    found = problems(seed, edit).problems
    assert [(p.path, p.kind) for p in found] == [
        ("agreements[0].location", "ungrounded_name"),
        ("agreements[0].parties[1].name", "ungrounded_name"),
    ]


def test_party_found_by_name_or_acronym(seed: GoldArticle) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["agreements"][0]["parties"][1]["name"] = "USSM Holdings"

    resolved = resolve(draft_with(seed, edit), seed.text, seed.published)
    span = resolved.agreements[0].parties[1].span
    assert span is not None
    assert seed.text[span.start : span.end] == "USSM"

    def invent_both(d: dict[str, Any]) -> None:
        d["agreements"][0]["parties"][1].update(name="USSM Holdings", acronym="USSMH")

    found = problems(seed, invent_both).problems
    assert [p.path for p in found] == [
        "agreements[0].parties[1].name",
        "agreements[0].parties[1].acronym",
    ]

    def rename(d: dict[str, Any]) -> None:
        d["agreements"][0]["parties"][1]["name"] = "US Strategic Metals"

    resolved = resolve(draft_with(seed, rename), seed.text, seed.published)
    assert resolved.agreements[0].parties[1].name == "US Strategic Metals"


def test_codes_and_duration(seed: GoldArticle) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["agreements"][0]["minerals"].append("oil")
        d["agreements"][1]["parties"][1]["country"] = "Atlantis"
        d["policy_schemes"][0]["duration_years"] = 7

    found = problems(seed, edit).problems
    kinds = {p.path: p.kind for p in found}
    assert kinds == {
        "agreements[0].minerals[4]": "unknown_code",
        "agreements[1].parties[1].country": "unknown_code",
        "policy_schemes[0].duration_years": "ungrounded_text",
    }
    messages = " ".join(p.message for p in found)
    assert "'oil'" in messages
    assert "'Atlantis'" in messages


@pytest.mark.parametrize(
    ("article", "years", "stated"),
    [
        ("a six-year package", 6, True),
        ("over 6 years", 6, True),
        ("a six\u2011year plan", 6, True),
        ("for 16 years", 6, False),
        ("sixty years", 6, False),
        ("6 yearly reviews", 6, False),
        ("a 30-yr lease", 30, True),
    ],
)
def test_states_duration(article: str, years: int, stated: bool) -> None:
    assert _states_duration(article, years) is stated


def test_every_problem_is_reported_at_once(seed: GoldArticle) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["agreements"][0]["evidence"] = ["invented one", "invented two"]
        d["agreements"][1]["date"]["text"] = "On August 31"
        d["policy_schemes"][0]["targets"][0]["quantity"]["text"] = "270 tonnes"

    error = problems(seed, edit)
    assert len(error.problems) == 4
    assert str(error).startswith("The answer has 4 problems against the article")
    assert "4. policy_schemes[0].targets[0].quantity.text: '270 tonnes'" in str(error)


def test_names_tolerate_punctuation(seed: GoldArticle) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["agreements"][0]["parties"][1]["name"] = "US Strategic Metals"
        d["policy_schemes"][0]["approving_body"] = "union cabinet"

    resolved = resolve(draft_with(seed, edit), seed.text, seed.published)
    span = resolved.agreements[0].parties[1].span
    assert span is not None
    assert seed.text[span.start : span.end] == "US Strategic Metals"
    assert resolved.policy_schemes[0].approving_body == "union cabinet"


def test_empty_quote_is_named_as_empty(seed: GoldArticle) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["agreements"][0]["evidence"] = ["  "]

    [problem] = problems(seed, edit).problems
    assert problem.message.startswith("an evidence quote is empty")


def test_part_of_a_larger_amount_is_not_grounded() -> None:
    from minerals_summ.gold import load_gold
    from tests.conftest import SEEDS

    iluka = load_gold(SEEDS / "iluka-eneabba-refinery-loan.gold.json")

    def drop_the_a(d: dict[str, Any]) -> None:
        d["agreements"][0]["value"]["text"] = "$1.25 billion"  # the article says A$1.25 billion

    [problem] = problems(iluka, drop_the_a).problems
    assert "e.g. 'A$1.25 billion'" in problem.message


def test_tail_of_a_space_grouped_number_is_not_grounded(seed: GoldArticle) -> None:
    article = seed.text + "\nIt will produce 1 500 tonnes of lithium hydroxide a year."

    def edit(d: dict[str, Any]) -> None:
        d["policy_schemes"][0]["targets"][0]["quantity"]["text"] = "500 tonnes of lithium hydroxide"

    with pytest.raises(DraftProblems) as info:
        resolve(draft_with(seed, edit), article, seed.published)
    [problem] = info.value.problems
    assert "only part of the article's '1 500 tonnes of lithium hydroxide'" in problem.message
