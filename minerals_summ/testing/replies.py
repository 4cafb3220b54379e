"""Scripted answers for :class:`~minerals_summ.testing.FakeChatServer`: drafts and faults."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

__all__ = ["Draft", "Reply", "as_reply", "error_body", "openai_duration"]

Draft: TypeAlias = Mapping[str, Any] | BaseModel
CUT_JSON = '{"title": "An example record", "items": [{"name": "first item", "note": "The qu'
RATE_DOCS = "Visit https://platform.openai.com/account/rate-limits to learn more."
INVALID = "invalid_request_error"
_SERVER_ERRORS: dict[int, tuple[str, str, int | None]] = {
    500: ("The server had an error while processing your request. Sorry about that!", "", None),
    502: ("Bad gateway.", "cf_bad_gateway", 502),
    503: ("The server is overloaded or not ready yet.", "", None),
}


def error_body(message: str, type_: str, code: Any = None, param: str | None = None) -> Any:
    """OpenAI's error body: ``{"error": {message, type, param, code}}``."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def openai_duration(value: float) -> str:
    """OpenAI's duration format: ``6ms``, ``1.2s``, ``1m0s``."""
    if value < 1:
        return f"{max(0, math.ceil(value * 1000))}ms"
    minutes, rest = divmod(round(value, 3), 60)
    return f"{int(minutes)}m{rest:g}s" if minutes else f"{rest:g}s"


def _lower(headers: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple((key.lower(), value) for key, value in (headers or {}).items())


@dataclass(frozen=True)
class Reply:
    """One scripted answer. Build it with the classmethods, not the constructor."""

    kind: Literal["draft", "content", "refusal", "truncated", "raw", "drop"]
    value: Any = field(default=None, hash=False)  # JSON-able draft, text, or exact HTTP body
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    delay_s: float = 0.0
    trickle_s: float = 0.0  # seconds between the body's bytes (0: all at once)
    trickle_head: bool = False  # the status line and headers a byte at a time too

    @classmethod
    def draft(cls, obj: Draft) -> Reply:
        """Answer with `obj` as a tool call (request has ``tools``) or else as JSON content."""
        dumped = obj.model_dump(mode="json") if isinstance(obj, BaseModel) else obj
        return cls("draft", to_jsonable_python(dumped))

    @classmethod
    def content(cls, text: str) -> Reply:
        """Answer with this exact assistant content string, even in tools mode."""
        return cls("content", text)

    @classmethod
    def refusal(cls, text: str = "I'm very sorry, but I can't assist with that request.") -> Reply:
        """``message.refusal`` set, ``content`` null, ``finish_reason`` "stop"."""
        return cls("refusal", text)

    @classmethod
    def truncated(cls, text: str | None = None) -> Reply:
        """``finish_reason`` "length" with cut-off content (or tool-call arguments)."""
        return cls("truncated", CUT_JSON if text is None else text)

    @classmethod
    def error(
        cls,
        status: int,
        message: str,
        *,
        type: str = INVALID,
        code: str | int | None = None,
        param: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """Any status with OpenAI's ``{"error": {message, type, param, code}}`` body."""
        return cls("raw", error_body(message, type, code, param), status, _lower(headers))

    @classmethod
    def server_error(cls, status: int = 500) -> Reply:
        """500, 502 or 503 with the body OpenAI sends (``openai.InternalServerError``)."""
        message, type_, code = _SERVER_ERRORS.get(status, (f"Server error {status}.", "", None))
        return cls("raw", error_body(message, type_ or "server_error", code), status)

    @classmethod
    def rate_limited(
        cls,
        retry_after: float | None = 1.0,
        *,
        retry_after_ms: int | None = None,
        code: str = "rate_limit_exceeded",
    ) -> Reply:
        """429 with ``retry-after``/``retry-after-ms`` headers (each omitted when None).

        ``code="insufficient_quota"`` gives OpenAI's out-of-credit 429 instead.
        """
        wait = retry_after if retry_after is not None else (retry_after_ms or 1000) / 1000
        headers = {"x-ratelimit-remaining-requests": "0"}
        headers["x-ratelimit-reset-requests"] = openai_duration(wait)
        if retry_after is not None:
            headers["retry-after"] = f"{retry_after:g}"
        if retry_after_ms is not None:
            headers["retry-after-ms"] = str(retry_after_ms)
        message = (
            "Rate limit reached in organization org-fake on requests per min (RPM): Limit 3, "
            f"Used 3, Requested 1. Please try again in {openai_duration(wait)}. {RATE_DOCS}"
        )
        type_ = "requests"
        if code == "insufficient_quota":
            message = "You exceeded your current quota, please check your plan and billing details."
            type_ = code
        return cls.error(429, message, type=type_, code=code, headers=headers)

    @classmethod
    def delay(cls, seconds: float, then: Draft | Reply) -> Reply:
        """Wait `seconds` (e.g. past the client's timeout), then answer `then`."""
        inner = as_reply(then)
        return replace(inner, delay_s=seconds + inner.delay_s)

    @classmethod
    def trickle(cls, interval: float, then: Draft | Reply, *, head: bool = False) -> Reply:
        """Send the headers at once (or with ``head``, a byte at a time too), then `then`'s
        body one byte every `interval` seconds: a server that never goes silent long enough
        for a read timeout."""
        return replace(as_reply(then), trickle_s=interval, trickle_head=head)

    @classmethod
    def drop(cls) -> Reply:
        """Close the connection without any response (``openai.APIConnectionError``)."""
        return cls("drop")

    @classmethod
    def raw(
        cls, status: int, body: Mapping[str, Any] | str, headers: Mapping[str, str] | None = None
    ) -> Reply:
        """Exactly this body (a dict is sent as JSON), e.g. a response from a recorded cassette."""
        return cls("raw", body if isinstance(body, str) else dict(body), status, _lower(headers))


def as_reply(item: Draft | Reply) -> Reply:
    return item if isinstance(item, Reply) else Reply.draft(item)
