"""summarise() against real recorded responses from OpenAI, OpenRouter, llama.cpp and Ollama.

Each test serves a response recorded by a public project (files in ``tests/wire/``, provenance
in ``tests/wire/SOURCES.md``) through `FakeChatServer` with ``Reply.raw``: the recorded status,
headers and body. Where a 200 body must carry a valid draft for our schema, the draft JSON is
put into exactly the field where the real server put its content or tool arguments; every other
field stays as recorded. The recorded request is never checked: only the response shape matters.
"""

from __future__ import annotations

import copy
import gzip
import json
import logging
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import openai
import pytest
import yaml

from minerals_summ import (
    ModelRefusal,
    OutputTruncated,
    ProviderError,
    RateLimited,
    RetryPolicy,
    summarise,
)
from minerals_summ.config import Mode
from minerals_summ.gold import GoldArticle
from minerals_summ.testing import FakeChatServer, Reply
from tests.test_seed_gold import comparable

WIRE = Path(__file__).resolve().parent / "wire"
MODES: list[Mode] = ["tools", "json_schema", "json"]
FAST = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.05)

# Headers about the recorded connection and its encoding, not about the answer: the fake server
# sends the decoded body with its own content-length, so these would misdescribe it.
_FRAMING = {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}

REFUSAL = "openllmetry__test_parsed_refused_completion__refusal_json_schema.yaml"
VISION = "openllmetry__test_vision__length_and_400.yaml"
PARALLEL = "openllmetry__test_open_ai_function_calls_tools_parallel__tool_calls.yaml"
JSON_SCHEMA = "openllmetry__test_chat_response_format__json_schema.yaml"
NATIVE = "pydantic-ai__test_openai_native_output__tool_calls_json_schema.yaml"
O1_400 = "pydantic-ai__test_openai_o1_mini_system_role[system]__400.yaml"
OPENROUTER_429 = "pydantic-ai__test_openrouter_errors_raised__429x3.yaml"
AUTOGPT = "autogpt-test-cassettes__test_write_file__429.yaml"
LLAMA_TOOL = "llmrb-llm__llamacpp__llm_function_class.yml"
LLAMA_SCHEMA = "llmrb-llm__llamacpp__llm_schema_object.yml"
LLAMA_STREAM_500 = "llmrb-llm__llamacpp__llm_chat_stream_tool.yml"
OLLAMA_SSE = "magentic__ollama_complete[Return True]__sse_tool_call.yaml"


# --- reading the recordings ----------------------------------------------------------------


@cache
def _interactions(name: str) -> list[dict[str, Any]]:
    # vcrpy and pydantic-ai files list `interactions`; Ruby VCR files `http_interactions`.
    data: dict[str, Any] = yaml.load((WIRE / name).read_bytes(), Loader=yaml.CSafeLoader)
    interactions: list[dict[str, Any]] = data.get("interactions") or data["http_interactions"]
    return interactions


def recorded(name: str, index: int) -> tuple[int, dict[str, str], str]:
    """Status, headers (framing dropped, repeated values joined) and decoded body text."""
    response = _interactions(name)[index]["response"]
    raw_headers = {k.lower(): v for k, v in response["headers"].items()}
    if "parsed_body" in response:  # pydantic-ai stores the body as parsed JSON
        text = json.dumps(response["parsed_body"])
    else:
        body = response["body"]["string"]
        if isinstance(body, bytes):  # vcrpy's !!binary: the gzip bytes as sent
            gzipped = "gzip" in raw_headers.get("content-encoding", [])
            body = (gzip.decompress(body) if gzipped else body).decode("utf-8")
        text = body
    headers = {k: ", ".join(v) for k, v in raw_headers.items() if k not in _FRAMING}
    return response["status"]["code"], headers, text


def recorded_json(name: str, index: int) -> tuple[int, dict[str, str], dict[str, Any]]:
    status, headers, text = recorded(name, index)
    return status, headers, json.loads(text)


def reply(name: str, index: int) -> Reply:
    """The recorded response exactly as recorded (body text sent verbatim)."""
    status, headers, text = recorded(name, index)
    return Reply.raw(status, text, headers)


def with_content(body: dict[str, Any], text: str) -> dict[str, Any]:
    """The body with ``choices[0].message.content`` replaced by `text`, all else as recorded."""
    body = copy.deepcopy(body)
    body["choices"][0]["message"]["content"] = text
    return body


def with_arguments(body: dict[str, Any], text: str, *, calls: int = 1) -> dict[str, Any]:
    """The body with its first ``calls`` tool calls, each calling ArticleDraft (what our request
    asks for) with ``text`` as its arguments; all else as recorded."""
    body = copy.deepcopy(body)
    message = body["choices"][0]["message"]
    message["tool_calls"] = message["tool_calls"][:calls]
    for call in message["tool_calls"]:
        call["function"]["name"] = "ArticleDraft"
        call["function"]["arguments"] = text
    return body


def sse_chunks(name: str, index: int) -> list[dict[str, Any]]:
    _, _, text = recorded(name, index)
    events = re.findall(r"^data: (.*)$", text, flags=re.MULTILINE)
    return [json.loads(event) for event in events if event.strip() != "[DONE]"]


def completion_from_chunks(chunks: list[dict[str, Any]]) -> dict[str, Any]:
    """The non-streamed ``chat.completion`` equivalent of recorded stream chunks.

    Takes id, created, model and system_fingerprint from the first chunk, joins the deltas'
    content, gathers the tool calls (with their recorded ids) and the last finish_reason. Only
    fields the chunks carry are set: no usage when no chunk had one.
    """
    first = chunks[0]
    message: dict[str, Any] = {"role": "assistant", "content": None}
    calls: list[dict[str, Any]] = []
    finish = None
    for chunk in chunks:
        for choice in chunk["choices"]:
            delta = choice.get("delta") or {}
            if delta.get("content") is not None:
                message["content"] = (message["content"] or "") + delta["content"]
            for part in delta.get("tool_calls") or []:
                slot = part.get("index", len(calls))
                if slot == len(calls):
                    calls.append({"id": None, "type": "function", "function": {}})
                call = calls[slot]
                call["id"] = part.get("id") or call["id"]
                call["type"] = part.get("type") or call["type"]
                for key, value in (part.get("function") or {}).items():
                    call["function"][key] = call["function"].get(key, "") + value
            finish = choice.get("finish_reason") or finish
    if calls:
        message["tool_calls"] = calls
    body = {key: first[key] for key in ("id", "created", "model", "system_fingerprint")}
    body["object"] = "chat.completion"
    body["choices"] = [{"index": 0, "message": message, "finish_reason": finish}]
    if usage := next((c["usage"] for c in chunks if c.get("usage")), None):
        body["usage"] = usage
    return body


# --- running the library -------------------------------------------------------------------


def draft_json(seed: GoldArticle) -> str:
    return json.dumps(seed.draft.model_dump(mode="json"))


@pytest.fixture(scope="module")
def sdk() -> Iterator[openai.OpenAI]:
    """One SDK client for the module: building one loads the CA bundle (~0.1 s), and a copy
    made with ``with_options`` shares its HTTP client."""
    client = openai.OpenAI(base_url="http://127.0.0.1:9/v1", api_key="test-key")
    yield client
    client.close()


def run(
    sdk: openai.OpenAI,
    seed: GoldArticle,
    server: FakeChatServer,
    mode: Mode = "tools",
    **options: Any,
) -> Any:
    client = sdk.with_options(base_url=server.base_url)
    return summarise(
        seed.text, published="2025-09-09", client=client, model="m", mode=mode, **options
    )


def transport_delays(caplog: pytest.LogCaptureFixture) -> list[float]:
    """The waits the transport logged before each retry."""
    found = [
        re.search(r" in (\d+\.\d+)s$", record.getMessage())
        for record in caplog.records
        if record.name == "minerals_summ.retries"
    ]
    return [float(match[1]) for match in found if match]


# --- refusals, truncation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "index"),
    [
        pytest.param("tools", 1, id="tools-2026"),
        pytest.param("json_schema", 1, id="json_schema-2026"),
        pytest.param("json", 1, id="json-2026"),
        # The 2024 recording of the same call: no `annotations` field.
        pytest.param("json_schema", 0, id="json_schema-2024-no-annotations"),
    ],
)
def test_recorded_refusal_raises_model_refusal_with_its_text(
    seed: GoldArticle, sdk: openai.OpenAI, mode: Mode, index: int
) -> None:
    # OpenAI (gpt-4o, json_schema request): content null, message.refusal set, finish "stop".
    _, _, body = recorded_json(REFUSAL, index)
    text = body["choices"][0]["message"]["refusal"]
    assert body["choices"][0]["message"]["content"] is None
    with FakeChatServer([reply(REFUSAL, index)]) as server, pytest.raises(ModelRefusal) as info:
        run(sdk, seed, server, mode)
    assert info.value.refusal == text == "I'm very sorry, but I can't assist with that request."
    assert len(server.requests) == 1
    assert info.value.usage is not None
    assert info.value.usage.total_tokens == body["usage"]["total_tokens"]


@pytest.mark.parametrize("mode", MODES)
def test_recorded_length_finish_raises_output_truncated(
    seed: GoldArticle, sdk: openai.OpenAI, mode: Mode
) -> None:
    # OpenAI (gpt-4-vision): finish_reason "length", cut-off prose content, no logprobs field.
    _, _, body = recorded_json(VISION, 0)
    assert body["choices"][0]["finish_reason"] == "length"
    with FakeChatServer([reply(VISION, 0)]) as server, pytest.raises(OutputTruncated) as info:
        run(sdk, seed, server, mode)
    assert len(server.requests) == 1
    assert info.value.raw_output == body["choices"][0]["message"]["content"]
    assert info.value.usage is not None
    assert info.value.usage.completion_tokens == body["usage"]["completion_tokens"]


# --- error statuses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "index", "code", "message"),
    [
        (
            VISION,
            2,
            "invalid_image_url",
            "Error while downloading https://source.unsplash.com/8xznAGy4HcY/800x400.",
        ),
        (
            O1_400,
            0,
            "unsupported_value",
            "Unsupported value: 'messages[0].role' does not support 'system' with this model.",
        ),
    ],
    ids=["openai-invalid_image_url", "openai-o1-unsupported_value"],
)
def test_recorded_400_raises_provider_error_with_message_and_code(
    seed: GoldArticle, sdk: openai.OpenAI, name: str, index: int, code: str, message: str
) -> None:
    assert recorded(name, index)[0] == 400
    with FakeChatServer([reply(name, index)]) as server, pytest.raises(ProviderError) as info:
        run(sdk, seed, server, retry=FAST)
    assert len(server.requests) == 1  # a 400 is not retried
    assert not isinstance(info.value, RateLimited)
    assert info.value.status_code == 400
    assert info.value.code == code
    assert message in str(info.value)
    assert isinstance(info.value.__cause__, openai.BadRequestError)


# The autogpt 429 is OpenAI's "model overloaded" answer: type server_error, code null, no
# Retry-After, rate-limit headers with plenty remaining. OpenRouter's has an integer code.
RATE_LIMITED = [
    pytest.param(AUTOGPT, [2, 2, 2], None, "That model is currently overloaded", id="openai-2023"),
    pytest.param(OPENROUTER_429, [0, 1, 2], "429", "Provider returned error", id="openrouter"),
]


@pytest.mark.parametrize(("name", "indexes", "code", "message"), RATE_LIMITED)
def test_recorded_429_is_retried_then_raises_rate_limited(
    seed: GoldArticle,
    sdk: openai.OpenAI,
    name: str,
    indexes: list[int],
    code: str | None,
    message: str,
) -> None:
    assert all(recorded(name, i)[0] == 429 for i in indexes)
    assert all("retry-after" not in recorded(name, i)[1] for i in indexes)
    script = [reply(name, i) for i in indexes]
    with FakeChatServer(script) as server, pytest.raises(RateLimited) as info:
        run(sdk, seed, server, retry=FAST)
    assert len(server.requests) == 3  # the first try and FAST's two retries
    assert info.value.status_code == 429
    assert info.value.code == code  # the recorded code as a string; autogpt recorded null
    assert message in str(info.value)
    assert isinstance(info.value.__cause__, openai.RateLimitError)


@pytest.mark.parametrize(
    ("name", "indexes"),
    [
        pytest.param(AUTOGPT, [2, 2, 2], id="openai-2023"),
        pytest.param(OPENROUTER_429, [0, 1, 2], id="openrouter"),
    ],
)
def test_recorded_429_without_retry_after_waits_by_backoff(
    seed: GoldArticle,
    sdk: openai.OpenAI,
    caplog: pytest.LogCaptureFixture,
    name: str,
    indexes: list[int],
) -> None:
    caplog.set_level(logging.INFO, logger="minerals_summ.retries")
    script = [reply(name, i) for i in indexes]
    with FakeChatServer(script) as server, pytest.raises(RateLimited):
        run(sdk, seed, server, retry=FAST)
    delays = transport_delays(caplog)[:2]  # the waits before retries 1 and 2
    assert len(delays) == 2
    assert all(delay <= FAST.max_delay for delay in delays), delays


def test_exhausted_429_retries_log_only_the_retries_made(
    seed: GoldArticle, sdk: openai.OpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="minerals_summ.retries")
    script = [reply(OPENROUTER_429, i) for i in (0, 1, 2)]
    with FakeChatServer(script) as server, pytest.raises(RateLimited):
        run(sdk, seed, server, retry=FAST)
    assert len(server.requests) == 3
    assert len(transport_delays(caplog)) == 2


def test_llamacpp_500_with_integer_code_is_retried_then_raises_provider_error(
    seed: GoldArticle,
    sdk: openai.OpenAI,
) -> None:
    # llama.cpp's answer to tools with stream=true: 500, {"error": {"code": 500, ...}}.
    script = [reply(LLAMA_STREAM_500, 0)] * 3
    with FakeChatServer(script) as server, pytest.raises(ProviderError) as info:
        run(sdk, seed, server, retry=FAST)
    assert len(server.requests) == 3
    assert not isinstance(info.value, RateLimited)
    assert info.value.status_code == 500
    assert info.value.code == "500"
    assert "Cannot use tools with stream" in str(info.value)


# --- answers that carry a draft ------------------------------------------------------------


def _ollama_rebuilt() -> tuple[int, dict[str, str], dict[str, Any]]:
    # Ollama streamed its tool call (the library does not stream): the same answer as one
    # non-streamed body built from the recorded chunks' fields (id chatcmpl-826, model llama3.1,
    # fp_ollama, call id call_kve3oltz, content "", finish_reason "stop" beside a tool call, no
    # usage), with the recorded headers but a JSON content-type instead of text/event-stream.
    status, headers, _ = recorded(OLLAMA_SSE, 0)
    body = completion_from_chunks(sse_chunks(OLLAMA_SSE, 0))
    return status, {**headers, "content-type": "application/json"}, body


TOOL_CALLS = [
    # OpenAI gpt-3.5-turbo, two parallel tool calls, no refusal/annotations fields (2024).
    pytest.param(lambda: recorded_json(PARALLEL, 0), id="openai-parallel-2024"),
    # The same call recorded again in 2026: refusal null, annotations, usage details.
    pytest.param(lambda: recorded_json(PARALLEL, 1), id="openai-parallel-2026"),
    # OpenAI gpt-4o answering a request with both tools and a json_schema response_format.
    pytest.param(lambda: recorded_json(NATIVE, 0), id="openai-tools+json_schema"),
    # llama.cpp (qwen3): random call id, no index, content "\n\n" beside the tool call,
    # reasoning_content, __verbose and timings.
    pytest.param(lambda: recorded_json(LLAMA_TOOL, 0), id="llamacpp"),
    pytest.param(_ollama_rebuilt, id="ollama-rebuilt-from-sse"),
]


@pytest.mark.parametrize("load", TOOL_CALLS)
def test_recorded_tool_call_with_draft_arguments_gives_gold_records(
    seed: GoldArticle, sdk: openai.OpenAI, load: Any
) -> None:
    status, headers, body = load()
    # The draft goes into function.arguments of the first recorded tool call, named ArticleDraft
    # (its id and every other field are kept).
    served = with_arguments(body, draft_json(seed))
    with FakeChatServer([Reply.raw(status, served, headers)]) as server:
        summary = run(sdk, seed, server, "tools")
    assert comparable(summary) == comparable(seed.summary)
    assert len(server.requests) == 1
    assert summary.provenance is not None
    assert summary.provenance.attempts == 1
    expected_tokens = (body.get("usage") or {}).get("total_tokens", 0)
    assert summary.provenance.usage.total_tokens == expected_tokens


def test_recorded_parallel_tool_calls_are_sent_back_as_a_problem(
    seed: GoldArticle, sdk: openai.OpenAI
) -> None:
    """Two calls in one answer (OpenAI's parallel tool calls): the model is told to make one;
    the second is never dropped without a word."""
    status, headers, body = recorded_json(PARALLEL, 1)
    both = with_arguments(body, draft_json(seed), calls=2)
    one = with_arguments(body, draft_json(seed))
    with FakeChatServer([Reply.raw(status, both, headers), Reply.raw(status, one)]) as server:
        summary = run(sdk, seed, server, "tools")
    assert comparable(summary) == comparable(seed.summary)
    _, second = server.requests
    tool_results = [m for m in second.messages if m["role"] == "tool"]
    assert len(tool_results) == 2  # one per call, as the API requires
    assert "makes 2 tool calls" in tool_results[0]["content"]
    assert summary.provenance is not None
    assert summary.provenance.attempts == 2


CONTENT = [
    # Each shape in the mode its recorded request used (json_schema, or plain JSON by prompt).
    # OpenAI gpt-4.1-nano json_schema answer (refusal null, annotations, service_tier).
    pytest.param(JSON_SCHEMA, 1, "json_schema", id="openai-json_schema"),
    # OpenAI gpt-4o json_schema answer to a request with tools too (pydantic-ai).
    pytest.param(NATIVE, 1, "json_schema", id="openai-tools+json_schema-content"),
    # OpenAI gpt-3.5-turbo-0301 in 2023: no logprobs, refusal or system_fingerprint fields.
    pytest.param(AUTOGPT, 0, "json", id="openai-2023"),
    # llama.cpp json_schema answer: pretty-printed JSON, __verbose, timings.
    pytest.param(LLAMA_SCHEMA, 0, "json_schema", id="llamacpp-json_schema"),
    # llama.cpp content answer ("\n\n"-prefixed prose recorded) with reasoning_content beside it.
    pytest.param(LLAMA_TOOL, 1, "json", id="llamacpp-reasoning_content"),
]


@pytest.mark.parametrize(("name", "index", "mode"), CONTENT)
def test_recorded_content_with_draft_gives_gold_records(
    seed: GoldArticle, sdk: openai.OpenAI, name: str, index: int, mode: Mode
) -> None:
    status, headers, body = recorded_json(name, index)
    original = body["choices"][0]["message"]["content"]
    draft = draft_json(seed)
    if original.startswith("{\n"):  # llama.cpp's pretty-printed JSON: keep its layout
        draft = json.dumps(json.loads(draft), indent=2) + "\n"
    # The draft replaces message.content; every other recorded field is kept.
    served = with_content(body, draft)
    with FakeChatServer([Reply.raw(status, served, headers)]) as server:
        summary = run(sdk, seed, server, mode)
    assert comparable(summary) == comparable(seed.summary)
    assert len(server.requests) == 1
    assert summary.provenance is not None
    assert summary.provenance.usage.total_tokens == body["usage"]["total_tokens"]
