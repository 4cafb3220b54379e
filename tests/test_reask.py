"""The re-ask a model gets: one plain line per problem, merged, capped, asking for a decision."""

from __future__ import annotations

from typing import Any

import pytest

from minerals_summ.exceptions import MAX_LISTED, DraftProblems, Problem
from minerals_summ.gold import GoldArticle
from minerals_summ.resolve import resolve
from minerals_summ.schema import ArticleDraft


def problems(seed: GoldArticle, edit: Any) -> DraftProblems:
    data = seed.draft.model_dump(mode="json")
    edit(data)
    with pytest.raises(DraftProblems) as info:
        resolve(ArticleDraft.model_validate(data), seed.text, seed.published)
    return info.value


def test_one_plain_line_per_problem_after_the_request() -> None:
    error = DraftProblems(
        [
            Problem("agreements[0].evidence[0]", "'x y' is not in the article;\n quote it.", "q"),
            Problem("agreements[1].title", "'Joshi' is not in the article.", "t"),
        ]
    )
    head, *lines = str(error).split("\n")
    assert head.startswith("The answer has 2 problems against the article.")
    assert "empty list" not in head
    assert "leave that record out on purpose" in head
    assert lines == [
        "1. agreements[0].evidence[0]: 'x y' is not in the article; quote it.",
        "2. agreements[1].title: 'Joshi' is not in the article.",
    ]
    assert "pydantic" not in str(error)
    assert "http" not in str(error)


def test_the_same_message_at_several_paths_is_one_line() -> None:
    same = "'Rs 1,600-crore' is not in the article; copy the amount exactly as written."
    error = DraftProblems(
        [
            Problem("policy_schemes[0].budget.text", same, "ungrounded_text"),
            Problem("policy_schemes[1].budget.text", same, "ungrounded_text"),
            Problem("policy_schemes[1].budget.text", same, "ungrounded_text"),
        ]
    )
    assert str(error).split("\n")[1:] == [
        f"1. policy_schemes[0].budget.text, policy_schemes[1].budget.text: {same}"
    ]
    assert len(error.problems) == 3  # every problem is kept for the caller


def test_a_long_list_is_capped() -> None:
    error = DraftProblems(
        [
            Problem(f"agreements[{i}].title", f"'Name{i}' is not in the article.", "t")
            for i in range(45)
        ]
    )
    lines = str(error).split("\n")[1:]
    assert len(lines) == MAX_LISTED + 1
    assert lines[-1] == "... and 15 more problems of the same kinds."


def test_one_message_per_field(seed: GoldArticle) -> None:
    """A text that is not in the article is not also reported as unparseable."""

    def edit(d: dict[str, Any]) -> None:
        d["policy_schemes"][0]["budget"]["text"] = "between Rs 1,500 and Rs 1,600 crore"

    [problem] = problems(seed, edit).problems
    assert problem.path == "policy_schemes[0].budget.text"
    assert "not in the article" in problem.message


def test_a_cut_amount_names_the_whole_expression(seed: GoldArticle) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["policy_schemes"][0]["budget"]["text"] = "Rs 1,500"
        d["policy_schemes"][0]["targets"][0]["quantity"]["text"] = "270 kilo"
        d["agreements"][1]["date"]["text"] = "July"

    found = {p.path: p.message for p in problems(seed, edit).problems}
    assert (
        "copy the whole amount as the article writes it" in found["policy_schemes[0].budget.text"]
    )
    assert "'Rs 1,500-crore'" in found["policy_schemes[0].budget.text"]
    assert "'270 kilo tonnes'" in found["policy_schemes[0].targets[0].quantity.text"]
    assert (
        "'On July 31'" in found["agreements[1].date.text"]
        or "'July 31'" in found["agreements[1].date.text"]
    )
