"""Hostile answers and transport faults (issue 17), each against a real loopback server."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from typing import Any

import openai
import pytest

from minerals_summ import (
    Config,
    ConfigurationError,
    ExtractionError,
    InputError,
    OutputTruncated,
    ProviderError,
    RetryPolicy,
    asummarise,
    summarise,
)
from minerals_summ.gold import GoldArticle
from minerals_summ.retries import retry_after
from minerals_summ.testing import FakeChatServer, Reply

NO_RETRY = RetryPolicy(max_retries=0)
FAST = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.05)
PUBLISHED = "2025-09-09"


def client(server: FakeChatServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="test-key")


def gold_draft(seed: GoldArticle) -> dict[str, Any]:
    return seed.draft.model_dump(mode="json")


def completion(
    message: dict[str, Any], *, model: str = "m", finish: str = "stop"
) -> dict[str, Any]:
    """A chat completion body around ``message``, as a server sends it."""
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
    }


def tool_calls(*calls: tuple[str, str]) -> dict[str, Any]:
    """An assistant message calling each ``(name, arguments)``."""
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": f"call_{i}", "type": "function", "function": {"name": n, "arguments": a}}
            for i, (n, a) in enumerate(calls)
        ],
    }


def reask(request: Any) -> str:
    return str(request.messages[-1]["content"])


# --- 7: one deadline per request ------------------------------------------------------------


@pytest.mark.parametrize("head", [False, True], ids=["body", "headers-too"])
def test_a_trickling_answer_is_cut_off_at_the_timeout_and_named_a_timeout(
    seed: GoldArticle, head: bool
) -> None:
    trickle = Reply.trickle(0.05, seed.draft, head=head)  # ~11 KB at 20 bytes/s: ten minutes
    with FakeChatServer([trickle]) as server:
        started = time.monotonic()
        with pytest.raises(ProviderError) as info:
            summarise(seed.text, client=client(server), model="m", timeout=1, retry=NO_RETRY)
        took = time.monotonic() - started
    assert took < 3
    assert "timed out" in str(info.value)
    assert "timeout=1s" in str(info.value)
    assert "could not reach" not in str(info.value)
    assert info.value.abandoned_requests == 1


@pytest.mark.parametrize("head", [False, True], ids=["body", "headers-too"])
def test_async_trickle_is_cut_off_too(seed: GoldArticle, head: bool) -> None:
    async def run(server: FakeChatServer) -> None:
        sdk = openai.AsyncOpenAI(base_url=server.base_url, api_key="k")
        await asummarise(seed.text, client=sdk, model="m", timeout=1, retry=NO_RETRY)

    with FakeChatServer([Reply.trickle(0.05, seed.draft, head=head)]) as server:
        started = time.monotonic()
        with pytest.raises(ProviderError, match="timed out"):
            asyncio.run(run(server))
    assert time.monotonic() - started < 3


# --- 10: bounds on an answer ----------------------------------------------------------------


def _agreement(title: str, evidence: str) -> dict[str, Any]:
    return {
        "title": title,
        "kind": "memorandum_of_understanding",
        "status": "signed",
        "parties": [{"name": "Pakistan", "kind": "government"}],
        "evidence": [evidence],
    }


def test_ten_thousand_invalid_records_make_a_small_reask(seed: GoldArticle) -> None:
    flood = {
        "summary": "s",
        "agreements": [_agreement(f"deal {i}", f"invented {i}") for i in range(10_000)],
    }
    with FakeChatServer([flood, gold_draft(seed)]) as server:
        summary = summarise(seed.text, published=PUBLISHED, client=client(server), model="m")
        second = server.requests[1]
    assert len(json.dumps(second.body)) < 100_000  # the answer is not echoed back whole
    assert "10,000 records; at most 200" in reask(second)
    assert len(summary.agreements) == 3


def test_identical_records_are_merged(seed: GoldArticle) -> None:
    draft = gold_draft(seed)
    draft["agreements"] = [draft["agreements"][0]] * 10_000
    with FakeChatServer([draft]) as server:
        summary = summarise(seed.text, published=PUBLISHED, client=client(server), model="m")
    assert len(summary.agreements) == 1


def test_a_reask_lists_thirty_problems_and_counts_the_rest(seed: GoldArticle) -> None:
    wrong = {"summary": "s", "agreements": [_agreement(f"d{i}", f"no {i}") for i in range(45)]}
    with FakeChatServer([wrong, gold_draft(seed)]) as server:
        summarise(seed.text, published=PUBLISHED, client=client(server), model="m")
        text = reask(server.requests[1])
    assert "'no 29'" in text
    assert "'no 30'" not in text
    assert "(and 15 more problems, not listed)" in text


# --- 11: Retry-After that is not a finite, non-negative number ------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-5", "NaN"])
def test_a_wait_that_is_no_number_of_seconds_is_ignored(value: str) -> None:
    assert retry_after({"retry-after": value}) is None
    assert retry_after({"retry-after-ms": value}) is None
    assert retry_after({"retry-after-ms": value, "retry-after": "2"}) == 2.0


def test_retry_after_nan_falls_back_to_backoff_sync_and_async(seed: GoldArticle) -> None:
    nan = Reply.error(429, "slow down", code="rate_limit_exceeded", headers={"retry-after": "nan"})
    with FakeChatServer([nan, seed.draft]) as server:
        summary = summarise(seed.text, published=PUBLISHED, client=client(server), retry=FAST)
    assert summary.provenance is not None
    assert summary.provenance.transport_retries == 1

    async def run(server: FakeChatServer) -> Any:
        sdk = openai.AsyncOpenAI(base_url=server.base_url, api_key="k")
        return await asyncio.wait_for(
            asummarise(seed.text, published=PUBLISHED, client=sdk, model="m", retry=FAST), 10
        )

    ms = Reply.error(429, "slow", headers={"retry-after-ms": "nan"})
    with FakeChatServer([ms, seed.draft]) as server:
        assert asyncio.run(run(server)).provenance.transport_retries == 1


# --- 12: a 200 that is no chat completion ---------------------------------------------------

HTML = "<html><head><title>502 Bad Gateway</title></head><body>" + "x" * 5000 + "</body></html>"


@pytest.mark.parametrize(
    "reply",
    [
        Reply.raw(200, HTML, {"content-type": "text/html"}),
        Reply.raw(200, '{"choices": [', {"content-type": "application/json"}),
        Reply.raw(200, {"status": "ok"}),
    ],
    ids=["html", "invalid-json", "other-json"],
)
def test_a_200_that_is_no_completion_is_a_transport_fault(seed: GoldArticle, reply: Reply) -> None:
    with FakeChatServer([reply] * 3) as server, pytest.raises(ProviderError) as info:
        summarise(seed.text, client=client(server), model="m", retry=FAST)
    assert len(server.requests) == 3  # retried as a transport fault, never re-asked
    assert all("tool" not in str(r.messages[-1].get("role")) for r in server.requests)
    assert not isinstance(info.value, ExtractionError)
    assert "not a chat completion" in str(info.value)
    assert len(str(info.value)) < 500


def test_a_502_html_page_is_quoted_in_a_few_hundred_characters(seed: GoldArticle) -> None:
    page = Reply.raw(502, HTML, {"content-type": "text/html"})
    with FakeChatServer([page]) as server, pytest.raises(ProviderError) as info:
        summarise(seed.text, client=client(server), model="m", retry=NO_RETRY)
    assert info.value.status_code == 502
    assert len(str(info.value)) < 400


# --- 14: arguments --------------------------------------------------------------------------


@pytest.mark.parametrize("published", [dt.date(1, 1, 1), dt.date(9999, 12, 31), "1066-10-14"])
def test_an_impossible_publication_date_is_an_input_error_before_any_call(
    seed: GoldArticle, published: Any
) -> None:
    with FakeChatServer([seed.draft]) as server, pytest.raises(InputError, match="published"):
        summarise(seed.text, published=published, client=client(server), model="m")
    assert server.requests == []


@pytest.mark.parametrize(
    ("build", "named"),
    [
        (lambda: RetryPolicy(max_retries=None), "max_retries"),  # type: ignore[arg-type]
        (lambda: RetryPolicy(initial_delay=float("nan")), "initial_delay"),
        (lambda: Config(max_attempts=None), "max_attempts"),  # type: ignore[arg-type]
        (lambda: Config(timeout=None), "timeout"),  # type: ignore[arg-type]
        (lambda: Config(max_records=0), "max_records"),
        (lambda: Config(json_object_schema="yes"), "json_object_schema"),  # type: ignore[arg-type]
    ],
)
def test_every_bad_option_is_a_configuration_error_naming_it(build: Any, named: str) -> None:
    with pytest.raises(ConfigurationError, match=named):
        build()


# --- 15: the envelope -----------------------------------------------------------------------


def test_a_call_to_another_function_is_sent_back(seed: GoldArticle) -> None:
    other = completion(tool_calls(("get_weather", json.dumps(gold_draft(seed)))))
    with FakeChatServer([Reply.raw(200, other), seed.draft]) as server:
        summary = summarise(seed.text, published=PUBLISHED, client=client(server), model="m")
        text = reask(server.requests[1])
    assert "calls the function 'get_weather'; call ArticleDraft instead" in text
    assert summary.provenance is not None
    assert summary.provenance.attempts == 2


def test_two_calls_are_sent_back_even_when_the_first_is_valid(seed: GoldArticle) -> None:
    arguments = json.dumps(gold_draft(seed))
    two = completion(tool_calls(("ArticleDraft", arguments), ("ArticleDraft", '{"summary": ""}')))
    with FakeChatServer([Reply.raw(200, two)] * 2) as server, pytest.raises(ExtractionError) as e:
        summarise(seed.text, client=client(server), model="m", max_attempts=2)
    assert [p.message for p in e.value.attempts[0].problems] == [
        "the answer makes 2 tool calls; make exactly one call of ArticleDraft holding every record"
    ]


# --- 19: control characters inside JSON strings ---------------------------------------------


def test_a_raw_newline_inside_a_json_string_is_accepted_as_text(seed: GoldArticle) -> None:
    draft = json.dumps(gold_draft(seed))
    raw = draft.replace(json.dumps(seed.draft.summary), '"line one\nline two\ttab"')
    with FakeChatServer([Reply.content(raw)]) as server:
        summary = summarise(seed.text, published=PUBLISHED, client=client(server), mode="json")
    assert summary.summary == "line one\nline two\ttab"
    assert len(server.requests) == 1


# --- 20: truncation -------------------------------------------------------------------------


def test_a_full_context_is_told_from_the_output_cap(seed: GoldArticle) -> None:
    cut = json.dumps(gold_draft(seed))[:400]  # about 100 tokens, far under the default cap
    with FakeChatServer([Reply.truncated(cut)]) as server, pytest.raises(OutputTruncated) as info:
        summarise(seed.text, client=client(server), model="m", mode="json")
    assert info.value.limit == "context"
    assert "context window" in str(info.value)
    assert "raise max_output_tokens" not in str(info.value)

    with FakeChatServer([Reply.truncated(cut)]) as server, pytest.raises(OutputTruncated) as info:
        summarise(seed.text, client=client(server), model="m", mode="json", max_output_tokens=50)
    assert info.value.limit == "output"
    assert "raise max_output_tokens" in str(info.value)


@pytest.mark.parametrize(
    ("ending", "error"),
    [
        (Reply.truncated(), OutputTruncated),
        (Reply.error(400, "Bad request"), ProviderError),
        (Reply.refusal(), Exception),
    ],
)
def test_every_error_keeps_every_attempt(seed: GoldArticle, ending: Reply, error: type) -> None:
    wrong = gold_draft(seed)
    wrong["agreements"][0]["evidence"] = ["an invented quote"]
    with FakeChatServer([wrong, ending]) as server, pytest.raises(error) as info:
        summarise(seed.text, client=client(server), model="m", retry=NO_RETRY)
    attempts = info.value.attempts
    assert attempts[0].number == 1
    assert "an invented quote" in attempts[0].errors[0]
    assert json.loads(attempts[0].raw_output or "") == wrong
    assert info.value.usage.total_tokens > 0
