"""Through the whole pipeline (a real client against a loopback server): a truncated amount,
invisible characters and empty evidence from the model end with the right value or a re-ask."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import openai
import pytest

from minerals_summ import ExtractionError, RetryPolicy, summarise
from minerals_summ.gold import GoldArticle
from minerals_summ.testing import FakeChatServer

PUBLISHED = "2025-09-09"


def answer(seed: GoldArticle, budget: str | None = None, evidence: str | None = None) -> Any:
    draft = seed.draft.model_dump(mode="json")
    if budget is not None:
        draft["policy_schemes"][0]["budget"]["text"] = budget
    if evidence is not None:
        draft["agreements"][0]["evidence"][0] = evidence
    return draft


def run(seed: GoldArticle, script: list[Any], article: str | None = None) -> Any:
    with FakeChatServer(script) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test-key")
        summary = summarise(
            article or seed.text,
            published=PUBLISHED,
            client=client,
            model="m",
            max_attempts=2,
            retry=RetryPolicy(max_retries=0),
        )
    return summary, server.requests


def test_a_truncated_amount_is_sent_back_and_the_whole_one_kept(seed: GoldArticle) -> None:
    summary, requests = run(seed, [answer(seed, budget="Rs 1,500"), answer(seed)])
    budget = summary.policy_schemes[0].budget
    assert (budget.amount, budget.currency) == (Decimal("15000000000"), "INR")
    reask = str(requests[1].messages[-1]["content"])
    assert "'Rs 1,500' is only part of the article's 'Rs 1,500-crore'" in reask


def test_a_truncated_amount_never_passes(seed: GoldArticle) -> None:
    with pytest.raises(ExtractionError) as info:
        run(seed, [answer(seed, budget="Rs 1,500"), answer(seed, budget="Rs 1,500")])
    assert all(
        p.path == "policy_schemes[0].budget.text" for a in info.value.attempts for p in a.problems
    )


@pytest.mark.parametrize("char", ["\u00ad", "\u200b", "\u200d", "\u2060", "\ufeff", "\u200e"])
def test_invisible_characters_on_either_side_keep_the_value(seed: GoldArticle, char: str) -> None:
    article = seed.text.replace("1,500-crore", f"1,5{char}00-crore")
    summary, requests = run(seed, [answer(seed, budget=f"Rs 1,{char}500-crore")], article)
    assert len(requests) == 1
    budget = summary.policy_schemes[0].budget
    assert budget.amount == Decimal("15000000000")
    assert article[budget.span.start : budget.span.end] == f"Rs 1,5{char}00-crore"


@pytest.mark.parametrize("evidence", [",", "-", "the", "a", "."])
def test_empty_evidence_is_sent_back(seed: GoldArticle, evidence: str) -> None:
    summary, requests = run(seed, [answer(seed, evidence=evidence), answer(seed)])
    assert len(requests) == 2
    assert "agreements[0].evidence[0]:" in str(requests[1].messages[-1]["content"])
    assert summary.agreements[0].evidence[0].quote != evidence
