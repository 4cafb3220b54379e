"""Transport retries: 429, 5xx, timeouts and dropped connections, kept apart from re-asks.

A transient failure is retried with exponential backoff and full jitter, or after exactly the
wait the server asks for (``retry-after-ms``, ``retry-after``, ``x-ratelimit-reset-*``; a wait
that is not a finite, non-negative number is ignored, and backoff applies). A 200 whose body is
not a chat completion (an HTML page, invalid JSON) is a transient fault too. These
retries run inside the single model call that instructor sees, so they never use up a validation
attempt; the SDK's own retries must be off (``max_retries=0``) so that nothing retries twice.
When the retries run out, the SDK's exception becomes a :class:`ProviderError` (or
:class:`RateLimited` for 429) with the status, the provider's message and code, and the request id.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)
from tenacity.stop import stop_base

from minerals_summ.exceptions import ConfigurationError, ProviderError, RateLimited

__all__ = [
    "RetryPolicy",
    "TransportStats",
    "acall",
    "call",
    "excerpt",
    "provider_error",
    "retry_after",
    "transient_status",
]

log = logging.getLogger("minerals_summ.retries")
T = TypeVar("T")

_RETRYABLE_STATUS = frozenset({408, 409, 429})


@dataclass(frozen=True)
class RetryPolicy:
    """How transient failures are retried. ``max_retries=0`` turns transport retries off."""

    max_retries: int = 4
    initial_delay: float = 0.5
    max_delay: float = 20.0
    max_server_wait: float = 120.0  # a longer Retry-After fails at once instead of hanging

    def __post_init__(self) -> None:
        if (
            isinstance(self.max_retries, bool)
            or not isinstance(self.max_retries, int)
            or self.max_retries < 0
        ):
            raise ConfigurationError(
                f"retry: max_retries must be a whole number >= 0, not {self.max_retries!r}"
            )
        for name in ("initial_delay", "max_delay", "max_server_wait"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                raise ConfigurationError(
                    f"retry: {name} must be a finite number >= 0, not {value!r}"
                )


@dataclass
class TransportStats:
    """Counts for one summarise call (shown in the provenance).

    ``requests``: HTTP requests sent; ``abandoned``: those given up at the timeout, whose
    tokens the server may have spent without reporting them; ``retries``: requests repeated.
    """

    retries: int = 0
    requests: int = 0
    abandoned: int = 0


_DURATION = re.compile(r"(?P<value>\d+(?:\.\d+)?)(?P<unit>ms|s|m|h)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def _seconds(value: str, scale: float = 1.0) -> float | None:
    """A wait in seconds, or None unless it is a finite, non-negative number."""
    try:
        seconds = float(value) * scale
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _parse_duration(value: str) -> float | None:
    """OpenAI's reset format: "1s", "6m0s", "20ms", "1h2m3.5s"."""
    parts = list(_DURATION.finditer(value.strip()))
    if not parts or "".join(p.group(0) for p in parts) != value.strip():
        return None
    return sum(float(p["value"]) * _UNIT_SECONDS[p["unit"]] for p in parts)


def retry_after(headers: Mapping[str, str], *, rate_limited: bool = False) -> float | None:
    """Seconds the server asks us to wait; ``None`` if it says nothing.

    ``retry-after-ms`` and ``retry-after`` (seconds or an HTTP date) count for any status;
    the ``x-ratelimit-reset-*`` headers only for a 429 (``rate_limited``): on other answers
    they describe the window, not a request to wait.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    if (ms := lower.get("retry-after-ms")) is not None and (
        wait := _seconds(ms, scale=0.001)
    ) is not None:
        return wait
    if value := lower.get("retry-after"):
        if (wait := _seconds(value)) is not None:
            return wait
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, OverflowError):
            when = None
        if when is not None:
            return max(when.timestamp() - time.time(), 0.0)
    if not rate_limited:
        return None
    # A reset counts only for the limit that ran out (remaining "0", or not stated).
    resets = [
        _parse_duration(lower[f"x-ratelimit-reset-{kind}"])
        for kind in ("requests", "tokens")
        if f"x-ratelimit-reset-{kind}" in lower
        and lower.get(f"x-ratelimit-remaining-{kind}", "0").strip() in {"0", ""}
    ]
    known = [r for r in resets if r is not None]
    return max(known) if known else None


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIResponseValidationError):  # a 200 that is not a completion
        return True
    if isinstance(exc, openai.APIStatusError):
        return transient_status(exc.status_code, _error_code(exc))
    return False


def transient_status(status_code: int, code: str | None = None) -> bool:
    """Whether an error answer with ``status_code`` (and OpenAI's error ``code``) is worth
    sending again: 408, 409, 429 and 5xx, but not a 429 for lack of credit."""
    if code == "insufficient_quota":
        return False  # out of credit: waiting will not help
    return status_code in _RETRYABLE_STATUS or status_code >= 500


def server_wait(exc: BaseException | None) -> float | None:
    """The wait an error response asks for, if any."""
    response = getattr(exc, "response", None)
    if response is None:
        return None
    return retry_after(response.headers, rate_limited=response.status_code == 429)


def _error_code(exc: openai.APIStatusError) -> str | None:
    body: Any = exc.body
    error = body.get("error", body) if isinstance(body, dict) else {}
    code = error.get("code") if isinstance(error, dict) else None
    return None if code is None else str(code)


def pause_for(exc: BaseException, policy: RetryPolicy) -> float | None:
    """How long every worker should hold back after this 429, or None to not pause at all.

    The server's wait, capped at the longest wait the policy makes; none when the request will
    not be retried (out of credit, or a wait past the policy's limit: it fails at once).
    """
    if not _is_transient(exc):
        return None
    asked = server_wait(exc)
    if asked is not None and asked > policy.max_server_wait:
        return None
    return asked if asked is not None else policy.initial_delay


EXCERPT_CHARS = 300  # the most of a server's body an error message quotes


def excerpt(text: object, limit: int = EXCERPT_CHARS) -> str:
    """``text`` on one line, white space collapsed, cut to ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def provider_error(exc: openai.OpenAIError, *, timeout: float | None = None) -> ProviderError:
    """The typed error for an SDK exception (chain it: ``raise provider_error(e) from e``).

    A server's own text is quoted to at most :data:`EXCERPT_CHARS` characters (a proxy's HTML
    page must not fill the error, or a results file).
    """
    if isinstance(exc, openai.APIStatusError):
        body: Any = exc.body
        error = body.get("error", body) if isinstance(body, dict) else {}
        message = error.get("message") if isinstance(error, dict) else None
        code = error.get("code") if isinstance(error, dict) else None
        cls = RateLimited if exc.status_code == 429 else ProviderError
        return cls(
            f"the server answered {exc.status_code}: {excerpt(message or exc.message)}",
            status_code=exc.status_code,
            code=None if code is None else excerpt(code, 80),
            request_id=exc.request_id,
        )
    if isinstance(exc, openai.APIResponseValidationError):
        return ProviderError(
            f"the server answered {exc.status_code} with {exc.message}",
            status_code=exc.status_code,
            request_id=exc.response.headers.get("x-request-id"),
        )
    if isinstance(exc, openai.APITimeoutError):
        limit = f" within timeout={timeout:g}s" if timeout is not None else ""
        return ProviderError(
            f"the request timed out: no complete answer{limit}; raise `timeout` or retry later"
        )
    if isinstance(exc, openai.APIConnectionError):
        return ProviderError(f"could not reach the server: {excerpt(exc)}")
    return ProviderError(excerpt(exc))


class _Wait:
    """Backoff with full jitter, or the server's own wait when it gives one."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.backoff = wait_random_exponential(
            multiplier=policy.initial_delay, max=policy.max_delay
        )

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = server_wait(exc)
        return asked if asked is not None else float(self.backoff(state))


def _before_sleep(policy: RetryPolicy, stats: TransportStats) -> Callable[[RetryCallState], None]:
    """Count and log a retry only when it really happens (tenacity computes waits before stops)."""

    def record(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        stats.retries += 1
        log.info(
            "transient failure (%s); retry %d of %d in %.2fs",
            type(exc).__name__,
            state.attempt_number,
            policy.max_retries,
            state.upcoming_sleep,
        )

    return record


class _StopOnLongWait(stop_base):
    """Give up at once when the server asks for a longer wait than we are willing to make."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.limit = policy.max_server_wait

    def __call__(self, retry_state: RetryCallState) -> bool:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        asked = server_wait(exc)
        return asked is not None and asked > self.limit


def _retry_kwargs(policy: RetryPolicy, stats: TransportStats) -> dict[str, Any]:
    return {
        "stop": stop_after_attempt(policy.max_retries + 1) | _StopOnLongWait(policy),
        "wait": _Wait(policy),
        "before_sleep": _before_sleep(policy, stats),
        "retry": retry_if_exception(_is_transient),
        "reraise": True,
    }


def call(
    fn: Callable[[], T],
    policy: RetryPolicy,
    stats: TransportStats,
    *,
    sleep: Callable[[float], None] = time.sleep,
    timeout: float | None = None,
) -> T:
    """Run ``fn`` with transport retries; SDK errors come out as :class:`ProviderError`."""
    try:
        return Retrying(sleep=sleep, **_retry_kwargs(policy, stats))(fn)
    except openai.OpenAIError as exc:
        raise provider_error(exc, timeout=timeout) from exc


async def acall(
    fn: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    stats: TransportStats,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    timeout: float | None = None,
) -> T:
    """Async :func:`call`."""
    try:
        return await AsyncRetrying(sleep=sleep, **_retry_kwargs(policy, stats))(fn)
    except openai.OpenAIError as exc:
        raise provider_error(exc, timeout=timeout) from exc
