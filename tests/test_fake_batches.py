"""The fake server's /v1/files and /v1/batches, through the openai client."""

from __future__ import annotations

import json

import openai
import pytest

from minerals_summ.provider_batch.requests import request_line
from minerals_summ.testing import FakeChatServer, Reply

BODY = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}


def upload(client: openai.OpenAI, *ids: str) -> str:
    data = b"".join(request_line(custom_id, BODY) for custom_id in ids)
    return client.files.create(file=("in.jsonl", data), purpose="batch").id


def create(client: openai.OpenAI, file_id: str) -> str:
    batch = client.batches.create(
        input_file_id=file_id, endpoint="/v1/chat/completions", completion_window="24h"
    )
    return batch.id


def test_files_round_trip_and_unknown_ids_are_404() -> None:
    with FakeChatServer() as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        file_id = upload(client, "a", "b")
        info = client.files.retrieve(file_id)
        assert (info.purpose, info.filename, info.status) == ("batch", "in.jsonl", "processed")
        content = client.files.content(file_id).content
        assert [json.loads(line)["custom_id"] for line in content.splitlines()] == ["a", "b"]
        with pytest.raises(openai.NotFoundError):
            client.files.retrieve("file-nope")
        with pytest.raises(openai.NotFoundError):
            client.batches.retrieve("batch_nope")
        with pytest.raises(openai.BadRequestError):
            client.batches.create(
                input_file_id="file-nope", endpoint="/v1/chat/completions", completion_window="24h"
            )


def test_items_are_answered_by_the_chat_logic_with_their_faults() -> None:
    draft = {"summary": "s"}
    with FakeChatServer(default=draft) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        batch_id = create(client, upload(client, "ok", "bad", "gone", "cut"))
        server.batches.script("bad", Reply.error(400, "no"))
        assert client.batches.retrieve(batch_id).status == "validating"
        server.batches.start(batch_id)
        assert client.batches.retrieve(batch_id).status == "in_progress"
        server.batches.complete(batch_id, missing={"gone"}, malformed={"cut"})
        batch = client.batches.retrieve(batch_id)
        assert batch.status == "completed"
        assert batch.request_counts is not None
        assert batch.request_counts.model_dump() == {"total": 4, "completed": 2, "failed": 1}
        assert batch.output_file_id
        assert batch.error_file_id
        output = client.files.content(batch.output_file_id).text.splitlines()
        errors = client.files.content(batch.error_file_id).text.splitlines()
    ok = json.loads(output[0])
    assert ok["custom_id"] == "ok"
    assert ok["response"]["status_code"] == 200
    assert json.loads(ok["response"]["body"]["choices"][0]["message"]["content"]) == draft
    with pytest.raises(json.JSONDecodeError):
        json.loads(output[1])  # the malformed line
    bad = json.loads(errors[0])
    assert (bad["custom_id"], bad["response"]["status_code"]) == ("bad", 400)


def test_cancel_list_and_auto_steps() -> None:
    with FakeChatServer(default={"summary": "s"}, auto_batches=True) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        ids = [create(client, upload(client, f"x{i}")) for i in range(3)]
        assert [b.id for b in client.batches.list(limit=2)] == ids[::-1]  # newest first, paged
        page = client.batches.list(limit=2)
        assert page.has_more
        assert client.batches.cancel(ids[0]).status == "cancelling"
        cancelled = client.batches.retrieve(ids[0])
        assert cancelled.status == "cancelled"
        assert cancelled.error_file_id is not None
        line = json.loads(client.files.content(cancelled.error_file_id).text)
        assert line["error"]["code"] == "batch_cancelled"
        with pytest.raises(openai.ConflictError):
            client.batches.cancel(ids[0])
        steps = [client.batches.retrieve(ids[1]).status for _ in range(3)]
        assert steps == ["in_progress", "completed", "completed"]
        server.batches.expire(ids[2], undone={"x2"})
        expired = client.batches.retrieve(ids[2])
        assert expired.status == "expired"
        assert expired.error_file_id is not None
        line = json.loads(client.files.content(expired.error_file_id).text)
    assert line["error"]["code"] == "batch_expired"
