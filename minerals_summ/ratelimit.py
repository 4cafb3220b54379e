"""Client-side pacing for requests and tokens per minute, shared by every worker of a batch.

Each limit is a GCRA pacer without burst: a request of cost ``c`` takes ``c / rate`` seconds of
the budget, so in any minute at most ``rpm`` requests (and about ``tpm`` tokens) go out, evenly,
instead of bursting into 429s. Tokens are estimated before a call and corrected with the usage
after it. A 429 pauses every worker, those already waiting too, until the time the server named
(``Retry-After``, ``x-ratelimit-reset-*``), so they do not stampede back together.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["RateLimiter"]


@dataclass
class _Pacer:
    per_minute: float
    tat: float | None = None  # when the budget booked so far is spent

    @property
    def rate(self) -> float:
        return self.per_minute / 60.0

    def reserve(self, cost: float, now: float) -> float:
        """Book ``cost`` and return the seconds to wait before spending it.

        The first request goes at once; each next one when the previous one's cost is paid,
        so a minute never holds more than the limit.
        """
        start = now if self.tat is None else max(self.tat, now)
        self.tat = start + cost / self.rate
        return start - now

    def adjust(self, delta: float) -> None:
        """Correct an estimate after the fact (positive: more was spent than booked)."""
        if self.tat is not None:
            self.tat += delta / self.rate


@dataclass
class RateLimiter:
    """Paces model requests to ``rpm`` requests and ``tpm`` tokens per minute (either optional).

    Safe to share between the tasks of one event loop. ``clock`` is injectable for tests.
    """

    rpm: float | None = None
    tpm: float | None = None
    clock: Callable[[], float] = time.monotonic
    _requests: _Pacer | None = field(init=False, default=None)
    _tokens: _Pacer | None = field(init=False, default=None)
    _paused_until: float = field(init=False, default=0.0)
    waited_s: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        for name, value in (("rpm", self.rpm), ("tpm", self.tpm)):
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive")
        if self.rpm:
            self._requests = _Pacer(self.rpm)
        if self.tpm:
            self._tokens = _Pacer(self.tpm)

    def reserve(self, tokens: int) -> float:
        """Book one request of about ``tokens`` tokens; the seconds to wait before sending."""
        now = self.clock()
        wait = max(0.0, self._paused_until - now)
        for pacer, cost in ((self._requests, 1.0), (self._tokens, float(tokens))):
            if pacer is not None:
                wait = max(wait, pacer.reserve(cost, now + wait))
        self.waited_s += wait
        return wait

    async def acquire(self, tokens: int) -> None:
        """Wait until a request of about ``tokens`` tokens may be sent.

        A pause that starts while this request waits (another worker got a 429) holds it too.
        """
        wait = self.reserve(tokens)
        while wait > 0:
            await asyncio.sleep(wait)
            wait = self._paused_until - self.clock()

    def settle(self, estimated: int, actual: int) -> None:
        """Correct the token booking once the response's usage is known."""
        if self._tokens is not None and actual > 0:
            self._tokens.adjust(float(actual - estimated))

    def pause(self, seconds: float) -> None:
        """Hold every worker back for ``seconds`` (after a 429)."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)
