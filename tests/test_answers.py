"""What the model is told, what the result says: re-asks, dropped records, output caps, provenance
(issue 17 items 3, 17, 18; issue 16's adapter side)."""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest

from minerals_summ import Config, ExtractionError, RetryPolicy, Summariser, summarise
from minerals_summ.gold import GoldArticle
from minerals_summ.testing import FakeChatServer, Reply
from tests.test_faults import completion, tool_calls
from tests.test_seed_gold import comparable

PUBLISHED = "2025-09-09"
BOILERPLATE = (
    "validation error for",
    "[type=",
    "errors.pydantic.dev",
    "Value error,",
    "input_value",
)


def client(server: FakeChatServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="test-key")


def gold_draft(seed: GoldArticle) -> dict[str, Any]:
    return seed.draft.model_dump(mode="json")


# --- issue 16: re-asks a model can act on ---------------------------------------------------


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json"])
@pytest.mark.parametrize("fault", ["ungrounded", "schema", "json"])
def test_a_reask_carries_only_plain_problem_lines(seed: GoldArticle, mode: str, fault: str) -> None:
    wrong: Any = gold_draft(seed)
    if fault == "ungrounded":
        wrong["agreements"][0]["evidence"] = ["an invented quote"]
    elif fault == "schema":
        del wrong["agreements"][0]["kind"]
    else:
        wrong = Reply.content('{"summary": "unfinished')
    with FakeChatServer([wrong, seed.draft]) as server:
        summarise(seed.text, published=PUBLISHED, client=client(server), model="m", mode=mode)
        sent = server.requests[1].messages
    reask = str(sent[-1]["content"])
    assert sent[-1]["role"] == ("tool" if mode == "tools" and fault != "json" else "user")
    assert not [b for b in BOILERPLATE if b in reask], reask
    expected = {
        "ungrounded": "agreements[0].evidence[0]: 'an invented quote' is not in the article",
        "schema": "agreements[0].kind: Field required",
        "json": "holds no call of ArticleDraft" if mode == "tools" else "Invalid JSON",
    }[fault]
    assert expected in reask
    assert "correct each record listed or leave it out" in reask


def test_rewrite_reask_fails_loudly_when_instructor_changes_its_shape() -> None:
    from minerals_summ.reask import rewrite_reask

    messages: list[dict[str, Any]] = [{"role": "user", "content": "article"}]
    with pytest.raises(RuntimeError, match="instructor's re-ask messages"):
        rewrite_reask([*messages, {"role": "user", "content": "x"}], 1, (), "tools")


def test_a_changed_reask_shape_stops_the_call_loudly(
    seed: GoldArticle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were instructor to append its re-ask otherwise, the call stops with that error (the
    attempts kept), never sending instructor's own text or passing for a model failure."""
    from minerals_summ import RunError, reask

    def changed(*args: Any) -> None:
        raise RuntimeError("instructor's re-ask messages are not shaped as expected")

    monkeypatch.setattr(reask, "rewrite_reask", changed)
    wrong = gold_draft(seed)
    wrong["agreements"][0]["evidence"] = ["an invented quote"]
    with FakeChatServer([wrong, seed.draft]) as server, pytest.raises(RunError) as info:
        summarise(seed.text, published=PUBLISHED, client=client(server), model="m")
    assert not isinstance(info.value, ExtractionError)
    assert "not shaped as expected" in str(info.value)
    assert len(info.value.attempts) == 1
    assert len(server.requests) == 1


# --- issue 16: nothing dropped without a word -----------------------------------------------


def test_a_record_rejected_then_left_out_is_reported(seed: GoldArticle) -> None:
    first = gold_draft(seed)
    first["agreements"][2]["evidence"] = ["an invented quote"]
    second = gold_draft(seed)
    del second["agreements"][2]
    with FakeChatServer([first, second]) as server:
        summary = summarise(seed.text, published=PUBLISHED, client=client(server), model="m")
    provenance = summary.provenance
    assert provenance is not None
    [dropped] = provenance.dropped_records
    assert dropped.label == seed.draft.agreements[2].title
    assert dropped.kind == "agreement"
    assert dropped.attempt == 1
    assert "an invented quote" in dropped.problems[0]
    assert (provenance.records_proposed, provenance.records_rejected) == (4, 1)


def test_a_valid_record_left_out_on_the_retry_is_reported_too(seed: GoldArticle) -> None:
    first = gold_draft(seed)
    first["policy_schemes"][0]["budget"]["text"] = "Rs 9 crore"
    second = gold_draft(seed)
    del second["agreements"][1]  # valid in the first answer, silently gone in the second
    with FakeChatServer([first, second]) as server:
        summary = summarise(seed.text, published=PUBLISHED, client=client(server), model="m")
    assert summary.provenance is not None
    [dropped] = summary.provenance.dropped_records
    assert dropped.label == seed.draft.agreements[1].title
    assert dropped.problems == ()


def test_extraction_error_lists_the_records_dropped(seed: GoldArticle) -> None:
    first = gold_draft(seed)
    first["agreements"][0]["evidence"] = ["an invented passage of text"]
    second = gold_draft(seed)
    second["agreements"] = second["agreements"][1:]
    second["policy_schemes"][0]["budget"]["text"] = "Rs 9 crore"
    with FakeChatServer([first, second]) as server, pytest.raises(ExtractionError) as info:
        summarise(seed.text, client=client(server), model="m", max_attempts=2)
    [dropped] = info.value.dropped_records
    assert dropped.label == seed.draft.agreements[0].title
    assert "'an invented passage of text' is not in the article" in dropped.problems[0]


# --- 3: provenance says what answered, where ------------------------------------------------


def test_provenance_records_the_served_model_and_the_endpoint(seed: GoldArticle) -> None:
    body = completion(tool_calls(("ArticleDraft", json.dumps(gold_draft(seed)))), model="other-7b")
    with FakeChatServer([Reply.raw(200, body)]) as server:
        url = server.base_url.replace("http://", "http://user:secret@") + "/"
        sdk = openai.OpenAI(base_url=url, api_key="k")
        summary = summarise(seed.text, published=PUBLISHED, client=sdk, model="gpt-4.1-mini")
        base = server.base_url
    provenance = summary.provenance
    assert provenance is not None
    assert (provenance.model, provenance.served_model) == ("gpt-4.1-mini", "other-7b")
    assert provenance.endpoint == base
    assert "secret" not in summary.model_dump_json()


# --- 18: the output cap and abandoned requests ----------------------------------------------


def test_a_default_output_cap_is_sent_derived_from_the_article(seed: GoldArticle) -> None:
    with FakeChatServer([seed.draft, seed.draft, seed.draft]) as server:
        summarise(seed.text, published=PUBLISHED, client=client(server), model="m")
        summarise(seed.text, client=client(server), model="m", max_output_tokens=300_000)
        summarise(seed.text * 30, client=client(server), model="m", max_article_tokens=100_000)
        caps = [r.body["max_tokens"] for r in server.requests]
    assert caps[0] == Config().output_cap(seed.text)
    assert 2_048 <= caps[0] < 16_384
    assert caps[1] == 300_000  # an explicit large cap is sent as given
    assert caps[2] == 16_384  # the ceiling


def test_a_server_refusing_max_tokens_gets_max_completion_tokens(seed: GoldArticle) -> None:
    refused = Reply.error(
        400, "Unsupported parameter: 'max_tokens'", code="unsupported_parameter", param="max_tokens"
    )
    with FakeChatServer([refused, seed.draft, seed.draft]) as server:
        summariser = Summariser(client=client(server), model="o4-mini")
        summariser.summarise(seed.text, published=PUBLISHED)
        summariser.summarise(seed.text, published=PUBLISHED)
        bodies = [r.body for r in server.requests]
    assert "max_tokens" in bodies[0]
    assert [("max_tokens" in b, "max_completion_tokens" in b) for b in bodies[1:]] == [
        (False, True),
        (False, True),  # remembered: no second refusal
    ]


def test_a_request_abandoned_at_the_timeout_is_reported(seed: GoldArticle) -> None:
    script = [Reply.delay(2.0, seed.draft), seed.draft]
    with FakeChatServer(script) as server:
        summary = summarise(
            seed.text,
            published=PUBLISHED,
            client=client(server),
            model="m",
            timeout=0.5,
            retry=RetryPolicy(max_retries=1, initial_delay=0.01),
        )
    provenance = summary.provenance
    assert provenance is not None
    assert (provenance.requests, provenance.abandoned_requests) == (2, 1)
    assert provenance.attempts == 1


# --- one reader of answers: live calls and answers from elsewhere ---------------------------


def test_an_answer_from_elsewhere_gets_the_checks_of_a_live_call(seed: GoldArticle) -> None:
    from minerals_summ.extraction import ArticleCall

    wrong = gold_draft(seed)
    wrong["agreements"][0]["evidence"] = ["an invented quote"]
    bodies = [
        completion(tool_calls(("ArticleDraft", json.dumps(wrong)))),
        completion(tool_calls(("ArticleDraft", "{"), ("other", "{}"))),
        completion({"role": "assistant", "content": "no call"}),
    ]
    replies = [Reply.raw(200, b) for b in bodies]
    with FakeChatServer(replies) as server, pytest.raises(ExtractionError) as info:
        summarise(seed.text, published=PUBLISHED, client=client(server), model="m")
    live = [a.problems for a in info.value.attempts]
    config = Config(model="m")
    offline = [ArticleCall(config, seed.text, PUBLISHED).answer(body) for body in bodies]
    assert offline == live
    good = completion(tool_calls(("ArticleDraft", json.dumps(gold_draft(seed)))))
    summary = ArticleCall(config, seed.text, PUBLISHED).answer(json.dumps(good))
    assert not isinstance(summary, tuple)
    assert comparable(summary) == comparable(seed.summary)


# --- 17: `make record-provider` reads tools-mode recordings ---------------------------------


class _Cassette:
    def __init__(self, bodies: list[dict[str, Any]]) -> None:
        self.responses = [{"body": {"string": json.dumps(b)}} for b in bodies]
        self.requests: list[Any] = []


class _Recording:
    def __init__(self, bodies: list[dict[str, Any]]) -> None:
        self.cassette = _Cassette(bodies)


def test_the_provider_contract_check_reads_tool_call_answers(seed: GoldArticle) -> None:
    from tests.test_local_model import OPTIONS, check_contract

    arguments = json.dumps(gold_draft(seed))
    body = completion(tool_calls(("ArticleDraft", arguments)), finish="tool_calls")
    options = {**OPTIONS, "mode": "tools", "max_output_tokens": None}
    with FakeChatServer([Reply.raw(200, body)]) as server:
        check_contract(
            _Recording([body]),  # type: ignore[arg-type]
            seed,
            client(server),
            model="m",
            options=options,
            rerecord="make record-provider",
        )
