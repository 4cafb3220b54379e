"""The transport layer: the waits it reads from servers' headers, and what it retries."""

from __future__ import annotations

import asyncio
import email.utils
import time

import httpx2
import openai
import pytest

from minerals_summ.exceptions import ConfigurationError, ProviderError, RateLimited
from minerals_summ.retries import RetryPolicy, TransportStats, acall, call, retry_after


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "2"}, 2.0),
        ({"Retry-After": "0.5"}, 0.5),
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
        ({"retry-after-ms": "junk", "retry-after": "3"}, 3.0),
        ({}, None),
        ({"retry-after": "soon"}, None),
    ],
)
def test_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after(headers) == expected


def test_retry_after_http_date() -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    wait = retry_after({"retry-after": when})
    assert wait is not None
    assert 25 <= wait <= 31


@pytest.mark.parametrize(
    ("reset", "expected"),
    [("1s", 1.0), ("6m0s", 360.0), ("20ms", 0.02), ("1h2m3.5s", 3723.5)],
)
def test_rate_limit_reset_counts_only_for_429(reset: str, expected: float) -> None:
    headers = {"x-ratelimit-reset-requests": reset}
    assert retry_after(headers, rate_limited=True) == expected
    assert retry_after(headers) is None


def test_the_longer_of_the_two_resets() -> None:
    headers = {"x-ratelimit-reset-requests": "1s", "x-ratelimit-reset-tokens": "2.5s"}
    assert retry_after(headers, rate_limited=True) == 2.5


def test_policy_rejects_negative_values() -> None:
    with pytest.raises(ConfigurationError, match=">= 0"):
        RetryPolicy(max_retries=-1)


# --- call() and acall() ---------------------------------------------------------------------


def _status_error(status: int, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    request = httpx2.Request("POST", "http://server.test/v1/chat/completions")
    response = httpx2.Response(status, headers=headers or {}, request=request)
    cls = openai.RateLimitError if status == 429 else openai.APIStatusError
    return cls(f"status {status}", response=response, body=None)


class Script:
    """Raises the scripted errors in turn, then answers "ok"; counts calls."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"

    async def acall(self) -> str:
        return self()


POLICY = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.02, max_server_wait=5)
CASES = [
    # errors, outcome, calls, sleeps (None: any backoff)
    ((), "ok", 1, []),
    ((_status_error(500),), "ok", 2, [None]),
    ((_status_error(429, {"retry-after": "3"}),), "ok", 2, [3.0]),
    ((_status_error(503), _status_error(429, {"retry-after-ms": "40"})), "ok", 3, [None, 0.04]),
    ((_status_error(500), _status_error(500), _status_error(500)), ProviderError, 3, [None, None]),
    ((_status_error(400),), ProviderError, 1, []),
    ((_status_error(429, {"retry-after": "60"}),), RateLimited, 1, []),  # past max_server_wait
    ((KeyError("not the SDK's"),), KeyError, 1, []),
]


def _check(script: Script, result: object, sleeps: list[float], case: tuple[object, ...]) -> None:
    _, outcome, calls, expected_sleeps = case
    assert script.calls == calls
    assert len(sleeps) == len(expected_sleeps)  # type: ignore[arg-type]
    for slept, expected in zip(sleeps, expected_sleeps, strict=True):  # type: ignore[call-overload]
        if expected is None:
            assert 0 <= slept <= POLICY.max_delay
        else:
            assert slept == pytest.approx(expected, abs=0.5)
    if outcome == "ok":
        assert result == "ok"
    else:
        assert isinstance(result, outcome)  # type: ignore[arg-type]


@pytest.mark.parametrize("case", CASES)
def test_call_retries_transient_failures_only(case: tuple[object, ...]) -> None:
    script, sleeps, stats = Script(*case[0]), [], TransportStats()  # type: ignore[misc]
    try:
        result: object = call(script, POLICY, stats, sleep=sleeps.append)
    except Exception as exc:  # the outcome under test
        result = exc
    _check(script, result, sleeps, case)
    assert stats.retries == len(sleeps)


@pytest.mark.parametrize("case", CASES)
def test_acall_retries_transient_failures_only(case: tuple[object, ...]) -> None:
    script, sleeps, stats = Script(*case[0]), [], TransportStats()  # type: ignore[misc]

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def run() -> object:
        try:
            return await acall(script.acall, POLICY, stats, sleep=sleep)
        except Exception as exc:  # the outcome under test
            return exc

    _check(script, asyncio.run(run()), sleeps, case)
    assert stats.retries == len(sleeps)


def test_a_failure_after_the_first_attempt_keeps_its_own_cause() -> None:
    """The first attempt's error does not turn up as the context of a later one."""
    first, last = _status_error(500), _status_error(400)
    with pytest.raises(ProviderError) as info:
        call(Script(first, last), POLICY, TransportStats(), sleep=lambda _: None)
    assert info.value.__cause__ is last
    assert last.__context__ is None
