"""The waits the transport layer reads from servers' headers."""

from __future__ import annotations

import email.utils
import time

import pytest

from minerals_summ.transport import RetryPolicy, retry_after


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
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(max_retries=-1)
