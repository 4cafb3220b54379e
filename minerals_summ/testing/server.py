"""The fake OpenAI-compatible server: real HTTP on loopback, answers from a script."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import secrets
import socket
import string
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Self

from minerals_summ.testing.batches import FakeBatches, Handled
from minerals_summ.testing.loopback import Answer, HTTPServer
from minerals_summ.testing.replies import (
    INVALID,
    RATE_DOCS,
    Draft,
    Reply,
    as_reply,
    error_body,
    openai_duration,
)

__all__ = ["MODEL_ID", "FakeChatServer", "RecordedRequest"]

MODEL_ID = "gpt-4o-mini"  # the one model listed by GET /v1/models
_WINDOW = 60.0
_MODEL = {"id": MODEL_ID, "object": "model", "created": 1721172741, "owned_by": "system"}
# Prompt caching as OpenAI reports it: a prefix of 1,024 tokens or more, in steps of 128, that an
# earlier request began with (tokens counted as 4 characters, as everywhere in this fake).
_CACHE_MIN, _CACHE_STEP = 1024 * 4, 128 * 4


def _rand(n: int) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(n))


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received: lower-case `headers`, JSON `body` (``{}`` if none)."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The chat ``messages`` the client sent."""
        return list(self.body.get("messages") or [])


class FakeChatServer:
    """A scripted OpenAI-compatible chat server on loopback; use it as a context manager.

    `exhausted` counts requests that found the script empty with no `default` (answered 500);
    `rate_limited` counts 429s sent by the ``rpm``/``tpm`` limiter (not scripted ones);
    `request_count` counts every request received. `batches` holds the ``/v1/files`` and
    ``/v1/batches`` endpoints (:class:`~minerals_summ.testing.batches.FakeBatches`), whose
    items are answered by the same chat logic; ``auto_batches=True`` moves a batch one step on
    each retrieve (validating, in_progress, finalizing, completed). Answers report
    ``usage.prompt_tokens_details.cached_tokens`` for a prompt prefix seen before, as OpenAI
    caches one (1,024 tokens and more, in steps of 128).

    ``record=False`` keeps no request (``requests`` then raises), for long runs such as
    benchmarks: a server holding thousands of parsed request bodies spends ever longer in
    Python's garbage collector (pauses of 100 ms and more after a few hundred large requests),
    which would land on whichever request is being served.
    """

    def __init__(
        self,
        script: Iterable[Draft | Reply] = (),
        *,
        default: Draft | Reply | None = None,
        rpm: int | None = None,
        tpm: int | None = None,
        latency: float = 0.0,
        record: bool = True,
        auto_batches: bool = False,
        port: int = 0,
    ) -> None:
        self._lock = threading.Lock()
        self._script: deque[Reply] = deque(as_reply(item) for item in script)
        self._default = None if default is None else as_reply(default)
        self.rpm, self.tpm, self.latency = rpm, tpm, latency
        self.port = port  # 0: a free one
        self.exhausted = 0
        self.rate_limited = 0
        self.request_count = 0
        self.record = record
        self._requests: list[RecordedRequest] = []
        self._window: deque[tuple[float, int]] = deque()  # (admitted at, tokens)
        self._closing = threading.Event()
        self._fingerprint = "fp_" + secrets.token_hex(5)
        self._prefixes: set[bytes] = set()  # digests of prompt prefixes seen (cached_tokens)
        self.batches = FakeBatches(self._lock, self._batch_answer, self._default)
        self.batches.auto = auto_batches
        self._httpd: HTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Bind a free loopback port and start serving (``with`` does this for you)."""
        if self._httpd is None:
            self._closing.clear()
            self._httpd = HTTPServer(self)
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, args=(0.02,), name="FakeChatServer", daemon=True
            )
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving, cut open connections and join every thread. Safe to call twice."""
        httpd, thread, self._httpd, self._thread = self._httpd, self._thread, None, None
        if httpd is None or thread is None:
            return
        self._closing.set()  # cuts short `latency` and `Reply.delay` waits
        httpd.shutdown()
        thread.join()
        with self._lock:
            connections = list(httpd.connections.items())
        for conn, _ in connections:
            with contextlib.suppress(OSError):  # wakes handlers idling on keep-alive reads
                conn.shutdown(socket.SHUT_RDWR)
        for _, worker in connections:
            worker.join(timeout=5)
        httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``, for ``openai.OpenAI(base_url=...)``."""
        if self._httpd is None:
            raise RuntimeError("FakeChatServer is not running; use it in a `with` block")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in arrival order (a snapshot)."""
        if not self.record:
            raise RuntimeError("this FakeChatServer keeps no requests (record=False)")
        with self._lock:
            return list(self._requests)

    @property
    def replies_left(self) -> int:
        """Script items not yet consumed."""
        with self._lock:
            return len(self._script)

    def add(self, *replies: Draft | Reply) -> None:
        """Append items to the script (thread-safe, also while serving)."""
        converted = [as_reply(item) for item in replies]
        with self._lock:
            self._script.extend(converted)

    def _answer(self, method: str, path: str, hdrs: dict[str, str], raw: bytes) -> Answer | None:
        """Answer one request (runs in its handler thread); None means drop the connection."""
        started = time.monotonic()
        if self._closing.is_set():
            return None
        target, path = path, path.split("?", 1)[0].rstrip("/")
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = None
        request = RecordedRequest(method, path, hdrs, body if isinstance(body, dict) else {})
        with self._lock:
            self.request_count += 1
            if self.record:
                self._requests.append(request)
            if method == "GET" and path.endswith("/models"):
                answer = Answer(200, {"object": "list", "data": [_MODEL]})
            elif path.startswith(("/v1/files", "/v1/batches")):
                answer = Answer(*self.batches.handle(method, target, hdrs, raw))
            elif method != "POST" or not path.endswith("/chat/completions"):
                answer = Answer(404, error_body(f"Invalid URL ({method} {path})", INVALID))
            elif not isinstance(body, dict):
                msg = "We could not parse the JSON body of your request."
                answer = Answer(400, error_body(msg, INVALID))
            elif body.get("stream"):
                msg = "FakeChatServer does not support stream=true"
                answer = Answer(400, error_body(msg, INVALID, None, "stream"))
            else:
                answer = self._complete(body, max(1, len(raw) // 4), started)
            if not answer.exact:
                answer.headers = {**self._limit_headers(started), **answer.headers}
        if self._closing.wait(self.latency + answer.delay_s) or answer.drop:
            return None
        answer.headers.setdefault("x-request-id", "req_" + secrets.token_hex(16))
        answer.headers["openai-processing-ms"] = str(round((time.monotonic() - started) * 1000))
        answer.headers["openai-version"] = "2020-10-01"
        return answer

    def _complete(self, body: dict[str, Any], prompt_tokens: int, now: float) -> Answer:
        """Render the next script item unless rate limits say no; the caller holds the lock."""
        reply = self._script[0] if self._script else self._default
        if reply is None:
            self.exhausted += 1
            msg = f"FakeChatServer script exhausted after {self.request_count - 1} requests"
            return Answer(500, error_body(msg, "server_error"))
        answer = self._render(reply, body, prompt_tokens)
        tokens = prompt_tokens + answer.tokens
        while self._window and self._window[0][0] <= now - _WINDOW:
            self._window.popleft()
        used_tokens = sum(spent for _, spent in self._window)
        if self.rpm is not None and len(self._window) >= self.rpm:
            wait = self._window[len(self._window) - self.rpm][0] + _WINDOW - now
            what, limit, used, asked = "requests per min (RPM)", self.rpm, len(self._window), 1
        elif self.tpm is not None and used_tokens + tokens > self.tpm:
            freed, wait = 0, _WINDOW  # a request larger than tpm is never admitted
            for admitted, spent in self._window:
                freed += spent
                if used_tokens - freed + tokens <= self.tpm:
                    wait = admitted + _WINDOW - now
                    break
            what, limit, used, asked = "tokens per min (TPM)", self.tpm, used_tokens, tokens
        else:
            if self._script:
                self._script.popleft()
            self._window.append((now, tokens))
            return answer
        self.rate_limited += 1
        msg = (
            f"Rate limit reached for {body.get('model')} in organization org-fake on {what}: Limit "
            f"{limit}, Used {used}, Requested {asked}. "
            f"Please try again in {openai_duration(wait)}. {RATE_DOCS}"
        )
        retry = {
            "retry-after": str(max(1, math.ceil(wait))),
            "retry-after-ms": str(math.ceil(wait * 1000)),
        }
        return Answer(429, error_body(msg, what.split()[0], "rate_limit_exceeded"), retry)

    def _limit_headers(self, now: float) -> dict[str, str]:
        rpm, tpm = self.rpm or 10_000, self.tpm or 30_000_000  # nominal when not enforced
        reset = openai_duration(self._window[0][0] + _WINDOW - now if self._window else 0.0)
        return {
            "x-ratelimit-limit-requests": str(rpm),
            "x-ratelimit-limit-tokens": str(tpm),
            "x-ratelimit-remaining-requests": str(max(0, rpm - len(self._window))),
            "x-ratelimit-remaining-tokens": str(max(0, tpm - sum(t for _, t in self._window))),
            "x-ratelimit-reset-requests": reset,
            "x-ratelimit-reset-tokens": reset,
        }

    def _batch_answer(self, reply: Reply, body: dict[str, Any]) -> Handled:
        """A batch item's answer, by the same logic as a live request's."""
        if reply.kind == "drop":
            return 500, {"error": {"message": "dropped", "type": "server_error"}}
        answer = self._render(reply, body, max(1, len(json.dumps(body)) // 4))
        return answer.status, answer.body

    def _cached_tokens(self, body: dict[str, Any]) -> int:
        """The longest prefix of this prompt that an earlier one began with, in tokens."""
        keys = ("tools", "tool_choice", "response_format", "messages")
        text = json.dumps([body.get(key) for key in keys], ensure_ascii=False).encode()
        cached = 0
        for end in range(_CACHE_MIN, len(text) + 1, _CACHE_STEP):
            digest = hashlib.blake2b(text[:end], digest_size=16).digest()
            if digest in self._prefixes:
                cached = end // 4
            self._prefixes.add(digest)
        return cached

    def _render(self, reply: Reply, body: dict[str, Any], prompt_tokens: int) -> Answer:
        headers, drop = dict(reply.headers), reply.kind == "drop"
        if reply.kind in ("raw", "drop"):
            return Answer(
                reply.status,
                reply.value,
                headers,
                0,
                reply.delay_s,
                drop,
                exact=True,
                trickle_s=reply.trickle_s,
                trickle_head=reply.trickle_head,
            )
        value = reply.value
        text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
        message: dict[str, Any] = {"role": "assistant", "content": None}
        tools, choice = body.get("tools") or [], body.get("tool_choice")
        finish = "length" if reply.kind == "truncated" else "stop"
        if reply.kind == "refusal":
            message["refusal"] = text
        elif tools and reply.kind in ("draft", "truncated"):
            chosen = choice.get("function") if isinstance(choice, dict) else None
            name = (chosen or tools[0].get("function") or {}).get("name", "tool")
            function = {"name": name, "arguments": text}
            call = {"id": "call_" + _rand(24), "type": "function", "function": function}
            message["tool_calls"] = [call]
            finish = "tool_calls" if reply.kind == "draft" else finish
        else:
            message["content"] = text
        message.setdefault("refusal", None)
        message["annotations"] = []
        tokens = max(1, len(text) // 4)
        cached = min(self._cached_tokens(body), prompt_tokens)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": tokens,
            "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
        }
        completion = {
            "id": "chatcmpl-" + _rand(29),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model") or MODEL_ID,
            "choices": [
                {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
            ],
            "usage": {**usage, "total_tokens": prompt_tokens + tokens},
            "system_fingerprint": self._fingerprint,
        }
        return Answer(
            200,
            completion,
            headers,
            tokens,
            reply.delay_s,
            trickle_s=reply.trickle_s,
            trickle_head=reply.trickle_head,
        )
