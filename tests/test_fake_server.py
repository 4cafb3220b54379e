"""FakeChatServer driven by the real `openai` client over loopback HTTP."""

from __future__ import annotations

import ast
import json
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import openai
import pytest
from pydantic import BaseModel

from minerals_summ import testing
from minerals_summ.testing import FakeChatServer, Reply

# `--block-network` also blocks loopback unless the host is allowed (pytest-recording 0.14 reads
# `allowed_hosts` from the `block_network` mark; the bare `allowed_hosts` mark is not consulted).
pytestmark = pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1$"])

MESSAGES: list[Any] = [{"role": "user", "content": "Summarise the article."}]
TOOL = {
    "type": "function",
    "function": {
        "name": "Agreement",
        "description": "An agreement",
        "parameters": {"type": "object", "properties": {"title": {"type": "string"}}},
    },
}
SCHEMA_FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "Agreement", "schema": {"type": "object"}, "strict": True},
}


class Agreement(BaseModel):
    title: str
    minerals: list[str]


DRAFT = Agreement(title="US-Pakistan MoU", minerals=["lithium", "copper"])


@pytest.fixture
def server() -> Iterator[FakeChatServer]:
    with FakeChatServer() as fake:
        yield fake


@pytest.fixture
def chat(server: FakeChatServer) -> Iterator[openai.OpenAI]:
    with client(server) as sdk:
        yield sdk


def client(server: FakeChatServer, **kwargs: Any) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="test-key", max_retries=0, **kwargs)


def create(chat: openai.OpenAI, **kwargs: Any) -> Any:
    return chat.chat.completions.create(model="gpt-4o", messages=MESSAGES, **kwargs)


def test_draft_in_tools_mode_is_a_tool_call(server: FakeChatServer, chat: openai.OpenAI) -> None:
    server.add(DRAFT)
    tool_choice: Any = {"type": "function", "function": {"name": "Agreement"}}
    completion = create(chat, tools=[TOOL], tool_choice=tool_choice)
    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    (call,) = choice.message.tool_calls
    assert call.id.startswith("call_")
    assert call.function.name == "Agreement"
    assert Agreement.model_validate_json(call.function.arguments) == DRAFT
    assert completion.id.startswith("chatcmpl-")
    assert completion.object == "chat.completion"
    assert completion.model == "gpt-4o"
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )


@pytest.mark.parametrize("response_format", [{"type": "json_object"}, SCHEMA_FORMAT])
def test_draft_in_json_modes_is_content(
    server: FakeChatServer, chat: openai.OpenAI, response_format: Any
) -> None:
    server.add({"title": "t", "minerals": []})
    choice = create(chat, response_format=response_format).choices[0]
    assert choice.finish_reason == "stop"
    assert choice.message.tool_calls is None
    assert json.loads(choice.message.content) == {"title": "t", "minerals": []}


def test_requests_are_recorded_with_body_and_headers(
    server: FakeChatServer, chat: openai.OpenAI
) -> None:
    server.add({"a": 1})
    raw = chat.chat.completions.with_raw_response.create(model="gpt-4o", messages=MESSAGES)
    assert raw.headers["content-type"] == "application/json"
    assert raw.headers["x-request-id"].startswith("req_")
    assert int(raw.headers["openai-processing-ms"]) >= 0
    assert int(raw.headers["x-ratelimit-remaining-requests"]) > 0
    (request,) = server.requests
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.headers["authorization"] == "Bearer test-key"
    assert request.body["model"] == "gpt-4o"
    assert request.messages == MESSAGES
    assert server.replies_left == 0


def test_rate_limited_carries_retry_after(server: FakeChatServer, chat: openai.OpenAI) -> None:
    server.add(Reply.rate_limited(retry_after=2, retry_after_ms=1500))
    with pytest.raises(openai.RateLimitError) as info:
        create(chat)
    assert info.value.status_code == 429
    assert info.value.response.headers["retry-after"] == "2"
    assert info.value.response.headers["retry-after-ms"] == "1500"
    assert info.value.code == "rate_limit_exceeded"
    assert server.rate_limited == 0  # scripted, not the limiter


def test_client_retry_honours_retry_after_then_succeeds() -> None:
    with FakeChatServer([Reply.rate_limited(None, retry_after_ms=50), {"ok": True}]) as server:
        chat = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=1)
        completion = chat.chat.completions.create(model="m", messages=MESSAGES)
    assert json.loads(completion.choices[0].message.content) == {"ok": True}
    assert len(server.requests) == 2


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors(server: FakeChatServer, chat: openai.OpenAI, status: int) -> None:
    server.add(Reply.server_error(status))
    with pytest.raises(openai.InternalServerError) as info:
        create(chat)
    assert info.value.status_code == status


def test_error_and_unknown_path(server: FakeChatServer, chat: openai.OpenAI) -> None:
    server.add(Reply.error(400, "bad role", code="unsupported_value", param="messages[0].role"))
    with pytest.raises(openai.BadRequestError) as info:
        create(chat)
    assert info.value.code == "unsupported_value"
    assert info.value.param == "messages[0].role"
    with pytest.raises(openai.NotFoundError):
        chat.embeddings.create(model="e", input="x")
    assert [m.id for m in chat.models.list()] == ["gpt-4o-mini"]


def test_drop_is_a_connection_error(server: FakeChatServer, chat: openai.OpenAI) -> None:
    server.add(Reply.drop(), {"after": "drop"})
    with pytest.raises(openai.APIConnectionError):
        create(chat)
    assert create(chat).choices[0].message.content == '{"after":"drop"}'


def test_delay_beyond_timeout_is_a_timeout(server: FakeChatServer, chat: openai.OpenAI) -> None:
    server.add(Reply.delay(1.0, {"late": True}), {"next": True})
    with pytest.raises(openai.APITimeoutError):
        create(chat.with_options(timeout=0.1))
    assert json.loads(create(chat).choices[0].message.content) == {"next": True}


def test_refusal_truncated_and_content(server: FakeChatServer, chat: openai.OpenAI) -> None:
    server.add(Reply.refusal("No."), Reply.truncated(), Reply.truncated(), Reply.content("\n\n"))
    refused = create(chat).choices[0]
    assert (refused.message.refusal, refused.message.content) == ("No.", None)
    assert refused.finish_reason == "stop"
    cut = create(chat).choices[0]
    assert cut.finish_reason == "length"
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut.message.content)
    cut_call = create(chat, tools=[TOOL]).choices[0]
    assert cut_call.finish_reason == "length"
    assert cut_call.message.tool_calls[0].function.arguments.startswith("{")
    assert create(chat, tools=[TOOL]).choices[0].message.content == "\n\n"


def test_raw_replays_exact_body(server: FakeChatServer, chat: openai.OpenAI) -> None:
    body = {"id": "chatcmpl-x", "object": "chat.completion", "created": 1, "model": "m"}
    server.add(Reply.raw(200, {**body, "choices": []}, headers={"X-Extra": "1"}))
    raw = chat.chat.completions.with_raw_response.create(model="m", messages=MESSAGES)
    assert raw.headers["x-extra"] == "1"
    assert json.loads(raw.content) == {**body, "choices": []}


def test_exhausted_script_answers_500_and_counts(
    server: FakeChatServer, chat: openai.OpenAI
) -> None:
    with pytest.raises(openai.InternalServerError) as info:
        create(chat)
    assert "FakeChatServer script exhausted" in info.value.message
    assert server.exhausted == 1


def test_default_answers_forever() -> None:
    with FakeChatServer(default={"x": 1}) as server, client(server) as chat:
        for _ in range(3):
            create(chat)
    assert server.exhausted == 0


def test_a_server_that_keeps_no_requests_still_counts_and_limits_them() -> None:
    with FakeChatServer(default={"x": 1}, rpm=3, record=False) as server, client(server) as chat:
        for _ in range(3):
            create(chat)
        with pytest.raises(openai.RateLimitError):
            create(chat)
    assert server.request_count == 4
    assert server.rate_limited == 1
    assert server._requests == []  # nothing kept, so nothing for the garbage collector to walk
    with pytest.raises(RuntimeError, match="keeps no requests"):
        server.requests  # noqa: B018


def test_request_count_counts_every_request(server: FakeChatServer, chat: openai.OpenAI) -> None:
    server.add(DRAFT)
    create(chat)
    with pytest.raises(openai.InternalServerError):
        create(chat)  # the script is empty: a 500, still a request
    assert server.request_count == len(server.requests) == 2


def test_rpm_limit_sixth_request_gets_429() -> None:
    with FakeChatServer(default={"x": 1}, rpm=5) as server, client(server) as chat:
        for _ in range(5):
            create(chat)
        with pytest.raises(openai.RateLimitError) as info:
            create(chat)
    headers = info.value.response.headers
    assert 1 <= int(headers["retry-after"]) <= 60
    assert 0 < int(headers["retry-after-ms"]) <= 60_000
    assert headers["x-ratelimit-limit-requests"] == "5"
    assert headers["x-ratelimit-remaining-requests"] == "0"
    assert server.rate_limited == 1


def test_tpm_limit() -> None:
    with FakeChatServer(default={"x": "y" * 400}, tpm=200) as server, client(server) as chat:
        create(chat)
        with pytest.raises(openai.RateLimitError) as info:
            create(chat)
    assert info.value.response.headers["x-ratelimit-limit-tokens"] == "200"
    assert "tokens per min" in info.value.message


def test_concurrent_requests_are_served_concurrently() -> None:
    with FakeChatServer(default={"x": 1}, latency=0.3) as server, client(server) as chat:
        create(chat)  # warm up the client's lazy imports
        started = time.monotonic()
        with ThreadPoolExecutor(10) as pool:
            list(pool.map(lambda _: create(chat), range(10)))
        elapsed = time.monotonic() - started
    assert elapsed < 1.0  # 10 x 0.3 s serially would be 3 s
    assert len(server.requests) == 11


def test_close_is_idempotent_and_leaves_no_threads() -> None:
    before = threading.active_count()
    server = FakeChatServer([{"first": 1}, Reply.delay(5, {"slow": True})]).start()
    chat = client(server)
    create(chat)  # leaves a keep-alive connection open
    errors: list[Exception] = []

    def stuck() -> None:
        try:
            create(chat)
        except openai.APIError as exc:
            errors.append(exc)

    pending = threading.Thread(target=stuck)
    pending.start()  # ... and one request waiting out a 5 s delay
    time.sleep(0.1)
    started = time.monotonic()
    server.close()
    server.close()
    assert time.monotonic() - started < 1.0
    pending.join()
    chat.close()
    assert [type(exc) for exc in errors] == [openai.APIConnectionError]
    assert threading.active_count() == before
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.base_url


def test_docstring_example_with_instructor() -> None:
    import instructor

    draft = {"title": "US-Pakistan MoU", "minerals": ["copper"]}
    with FakeChatServer([Reply.rate_limited(retry_after=0.1), draft]) as server:
        sdk = openai.OpenAI(base_url=server.base_url, api_key="test-key", max_retries=1)
        structured = instructor.from_openai(sdk, mode=instructor.Mode.TOOLS)
        record = structured.chat.completions.create(
            model="gpt-4o-mini", response_model=Agreement, messages=MESSAGES
        )
        sdk.close()
    assert record.model_dump() == draft
    assert len(server.requests) == 2
    assert server.requests[1].body["tools"][0]["function"]["name"] == "Agreement"
    assert server.exhausted == 0


@pytest.mark.parametrize(
    "module", ["__init__.py", "__main__.py", "batches.py", "replies.py", "server.py"]
)
def test_module_imports_only_stdlib_and_pydantic(module: str) -> None:
    tree = ast.parse((Path(testing.__file__).parent / module).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    third_party = {name.split(".")[0] for name in imported} - set(sys.stdlib_module_names)
    assert third_party <= {"__future__", "pydantic", "pydantic_core", "minerals_summ"}
    assert {name for name in imported if name.startswith("minerals_summ")} <= {
        "minerals_summ.testing.batches",
        "minerals_summ.testing.loopback",
        "minerals_summ.testing.replies",
        "minerals_summ.testing.server",
    }
