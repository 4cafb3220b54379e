"""One HTTP request to the model, bounded by one deadline, its answer checked to be a completion.

The SDK's ``timeout`` bounds each read of the socket, not the request: a server trickling its
answer a byte at a time keeps a call alive for as long as it likes. Here the answer is streamed
and read against one deadline, ``timeout`` seconds after the request starts; past it the
request is abandoned (its connection closed) as an ``openai.APITimeoutError``, which the
transport retries retry like any timeout and count in :class:`TransportStats` as abandoned (the
server may go on generating, and spending tokens, for a request nobody reads any more).

A 200 whose body is not a chat completion (a proxy's HTML page, invalid JSON, JSON of another
shape, or more than :data:`MAX_BODY_BYTES`) is an ``openai.APIResponseValidationError``: a
transport fault, retried as one, and never an answer the model is re-asked about.

:func:`completion` is the one reader of a chat-completion body, for live calls and for bodies
read from elsewhere (a Batch API results file).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import httpx2
import openai
from openai.types.chat import ChatCompletion

from minerals_summ.retries import TransportStats, excerpt

__all__ = ["MAX_BODY_BYTES", "asend", "completion", "refused_max_tokens", "send"]

MAX_BODY_BYTES = 32 * 1024 * 1024  # far beyond any answer under an output cap


def _not_a_completion(response: httpx2.Response, body: bytes, why: str) -> Exception:
    text = body[:2000].decode("utf-8", errors="replace")
    message = f"a body that is not a chat completion ({why}): {excerpt(text)}"
    return openai.APIResponseValidationError(response, text, message=message)


def completion(data: Any, response: httpx2.Response | None = None) -> ChatCompletion:
    """A chat completion from its JSON body (bytes or str), its parsed dict, or an SDK object.

    Raises ``openai.APIResponseValidationError`` when it is not one (a response is made up
    when none is given, for the error to carry).
    """
    if isinstance(data, ChatCompletion):
        return data
    http = response or httpx2.Response(200, request=httpx2.Request("POST", "http://unknown/"))
    body = data if isinstance(data, bytes) else str(data).encode() if isinstance(data, str) else b""
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except ValueError:
            raise _not_a_completion(http, body, "not JSON") from None
    choices = data.get("choices") if isinstance(data, dict) else None
    first = choices[0] if isinstance(choices, list) and choices else None
    if not isinstance(first, dict) or not isinstance(first.get("message"), dict):
        shown = body or json.dumps(data, default=str).encode()
        raise _not_a_completion(http, shown, "no choices[0].message")
    return ChatCompletion.construct(**data)


def _timed_out(client: openai.OpenAI | openai.AsyncOpenAI) -> openai.APITimeoutError:
    url = str(client.base_url).rstrip("/") + "/chat/completions"
    return openai.APITimeoutError(request=httpx2.Request("POST", url))


def refused_max_tokens(exc: BaseException) -> bool:
    """Whether the server refused ``max_tokens`` (OpenAI's reasoning models want
    ``max_completion_tokens``)."""
    return isinstance(exc, openai.BadRequestError) and exc.param == "max_tokens"


@contextmanager
def _counted(stats: TransportStats) -> Iterator[None]:
    """Count one request; turn httpx's errors while reading the body into the SDK's."""
    stats.requests += 1
    try:
        yield
    except openai.APITimeoutError:
        stats.abandoned += 1
        raise
    except httpx2.TimeoutException as exc:
        stats.abandoned += 1
        raise openai.APITimeoutError(request=exc.request) from exc
    except httpx2.TransportError as exc:
        raise openai.APIConnectionError(request=exc.request) from exc


def _read(chunks: Iterator[bytes], deadline: float, client: openai.OpenAI) -> bytes:
    """The body, checking the deadline after each chunk (a trickle arrives in many)."""
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if time.monotonic() > deadline:
            raise _timed_out(client)
        if len(body) > MAX_BODY_BYTES:
            break
    return bytes(body)


def _post(client: openai.OpenAI, request: dict[str, Any], timeout: float) -> ChatCompletion:
    deadline = time.monotonic() + timeout
    stream = client.chat.completions.with_streaming_response.create(**request, timeout=timeout)
    with stream as response:
        return _checked(_read(response.iter_bytes(), deadline, client), response.http_response)


def send(
    client: openai.OpenAI, request: dict[str, Any], *, timeout: float, stats: TransportStats
) -> ChatCompletion:
    """POST one chat completion request; its whole answer within ``timeout`` seconds.

    The request runs in a thread of its own, so that the deadline holds even while the server
    trickles its status line and headers (which the body's own checks cannot see): at the
    deadline the call gives up, and the thread ends when the server lets it go.
    """
    done = threading.Event()
    result: list[tuple[bool, Any]] = []

    def work() -> None:
        try:
            result.append((True, _post(client, request, timeout)))
        except BaseException as exc:  # handed to the caller as it is
            result.append((False, exc))
        finally:
            done.set()

    with _counted(stats):
        threading.Thread(target=work, name="minerals-summ-request", daemon=True).start()
        if not done.wait(timeout):
            raise _timed_out(client)
        ok, value = result[0]
        if not ok:
            raise value
        return cast(ChatCompletion, value)


async def asend(
    client: openai.AsyncOpenAI, request: dict[str, Any], *, timeout: float, stats: TransportStats
) -> ChatCompletion:
    """Async :func:`send`; the deadline also bounds the wait for the answer's headers."""
    with _counted(stats):
        try:
            async with asyncio.timeout(timeout):
                stream = client.chat.completions.with_streaming_response.create(
                    **request, timeout=timeout
                )
                async with stream as response:
                    body = bytearray()
                    async for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > MAX_BODY_BYTES:
                            break
                    return _checked(bytes(body), response.http_response)
        except TimeoutError:
            raise _timed_out(client) from None


def _checked(body: bytes, response: httpx2.Response) -> ChatCompletion:
    if len(body) > MAX_BODY_BYTES:
        raise _not_a_completion(response, body, f"more than {MAX_BODY_BYTES:,} bytes")
    return completion(body, response)
