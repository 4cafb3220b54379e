"""A fake OpenAI chat-completions server for tests: real HTTP on loopback, scripted answers.

`FakeChatServer` listens on ``127.0.0.1`` (a free port) in a background thread and answers
``POST /v1/chat/completions`` with the bodies and headers api.openai.com sends, so the real
``openai`` client (and ``instructor`` on top of it) runs its whole stack: HTTP, retries,
timeouts, error mapping, parsing. Each request takes the next item of the *script*:

* a draft (a dict or a pydantic model) is answered the way the request asks: as one tool call
  when the request has ``tools`` (instructor's TOOLS mode), else as JSON message content;
* a `Reply` describes anything else: ``Reply.rate_limited()``, ``Reply.server_error(503)``,
  ``Reply.error(400, ...)``, ``Reply.delay(5, draft)``, ``Reply.trickle(0.4, draft)``,
  ``Reply.drop()``, ``Reply.refusal()``, ``Reply.truncated()``, ``Reply.content("not json")``,
  ``Reply.raw(status, body)``.

Example::

    import instructor, openai
    from minerals_summ.testing import FakeChatServer, Reply

    def test_retries_after_429():
        draft = {"title": "US-Pakistan MoU", "minerals": ["copper"]}
        with FakeChatServer([Reply.rate_limited(retry_after=0.1), draft]) as server:
            client = instructor.from_openai(
                openai.OpenAI(base_url=server.base_url, api_key="test-key", max_retries=1),
                mode=instructor.Mode.TOOLS,
            )
            messages = [{"role": "user", "content": "Summarise: ..."}]
            record = client.chat.completions.create(
                model="gpt-4o-mini", response_model=Agreement, messages=messages
            )
        assert record.title == "US-Pakistan MoU"
        assert len(server.requests) == 2  # each with .method, .path, .headers, .body, .messages
        assert server.exhausted == 0  # no request found the script empty

It also serves OpenAI's Files and Batch endpoints (``/v1/files``, ``/v1/batches``): each batch
item is answered by the same chat logic, from replies scripted per ``custom_id``
(``server.batches.script(custom_id, ...)``) or the ``default``, and the test moves the batch on
(``server.batches.complete(batch_id, missing=..., malformed=...)``, ``expire``, ``fail``;
:mod:`minerals_summ.testing.batches`). ``python -m minerals_summ.testing`` runs one from a shell.

``default=`` answers the same item forever once the script is used up (for benchmarks);
``rpm=``/``tpm=`` add OpenAI-style rate limits over a sliding 60 s window; ``latency=`` delays
every answer. Requests are served concurrently. pytest-recording's ``--block-network`` also
blocks loopback; allow it with ``pytest.mark.block_network(allowed_hosts=[r"127\\.0\\.0\\.1$"])``.
"""

from minerals_summ.testing.replies import Reply
from minerals_summ.testing.server import MODEL_ID, FakeChatServer, RecordedRequest

__all__ = ["MODEL_ID", "FakeChatServer", "RecordedRequest", "Reply"]
