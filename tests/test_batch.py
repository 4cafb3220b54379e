"""summarise_many: one outcome per article whatever fails, the cache, and running inside a loop."""

from __future__ import annotations

import asyncio
import re
import sqlite3
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import openai
import pytest

from minerals_summ import (
    Article,
    ConfigurationError,
    ExtractionError,
    InputError,
    RateLimited,
    RetryPolicy,
    Summariser,
    asummarise_many,
    summarise_many,
)
from minerals_summ.cache import CacheWarning, SummaryCache
from minerals_summ.gold import GoldArticle
from minerals_summ.ratelimit import RateLimiter
from minerals_summ.testing import FakeChatServer, Reply
from tests.test_seed_gold import comparable

FAST = RetryPolicy(max_retries=3, initial_delay=0.01, max_delay=0.05)


def summariser(server: FakeChatServer, **options: Any) -> Summariser:
    client = openai.OpenAI(base_url=server.base_url, api_key="test-key")
    return Summariser(client=client, model="m", retry=FAST, **options)


def articles(seed: GoldArticle, n: int) -> list[Article]:
    # The same event, each copy its own article (a distinct text, so a distinct cache key).
    return [
        Article(id=f"a{i}", text=f"{seed.text}\nRef {i}.", published="2025-09-09") for i in range(n)
    ]


def test_every_input_yields_one_outcome_under_faults(seed: GoldArticle, tmp_path: Path) -> None:
    good = seed.draft
    bad = seed.draft.model_dump(mode="json")
    bad["agreements"][0]["evidence"] = ["an invented quote"]
    items: list[Article | str] = [
        *articles(seed, 2),
        "",  # empty: an InputError, no request
        Article(id="never-valid", text=seed.text, published="2025-09-09"),
        Article(id="last", text=seed.text + "\nLast.", published="2025-09-09"),
    ]
    script = [
        Reply.server_error(500), good,  # a0: a 500, then the answer
        Reply.rate_limited(0.01), good,  # a1: a 429, then the answer
        bad, bad, bad,  # never-valid: fails validation every time
        Reply.server_error(503), good,  # last
    ]  # fmt: skip
    with FakeChatServer(script) as server:
        outcomes = summarise_many(
            items, summariser=summariser(server), concurrency=1, cache=False, progress=False
        )
    assert [o.article_id for o in outcomes] == ["a0", "a1", "2", "never-valid", "last"]
    assert [o.ok for o in outcomes] == [True, True, False, False, True]
    assert isinstance(outcomes[2].error, InputError)
    assert isinstance(outcomes[3].error, ExtractionError)
    assert len(outcomes[3].error.attempts) == 3
    assert comparable(outcomes[0].result()) == comparable(seed.summary)
    assert server.replies_left == 0
    assert server.exhausted == 0


def test_concurrent_batch_with_faults_loses_nothing(seed: GoldArticle) -> None:
    faults = [Reply.server_error(500), Reply.rate_limited(0.05), Reply.server_error(503)]
    with FakeChatServer(faults, default=seed.draft, latency=0.02) as server:
        outcomes = summarise_many(
            articles(seed, 12),
            summariser=summariser(server),
            concurrency=4,
            cache=False,
            progress=False,
        )
    assert [o.article_id for o in outcomes] == [f"a{i}" for i in range(12)]
    assert all(o.ok for o in outcomes)
    assert len(server.requests) == 15


def test_second_run_is_served_from_the_cache(seed: GoldArticle, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    with FakeChatServer(default=seed.draft) as server:
        first = summarise_many(
            articles(seed, 5), summariser=summariser(server), cache=cache, progress=False
        )
        assert len(server.requests) == 5
        second = summarise_many(
            articles(seed, 5), summariser=summariser(server), cache=cache, progress=False
        )
        assert len(server.requests) == 5
        # Another mode, another default currency: another key, no stale answers.
        for options in ({"mode": "json"}, {"default_currency": "AUD"}, {"temperature": 0.5}):
            before = len(server.requests)
            summarise_many(
                articles(seed, 1),
                summariser=summariser(server, **options),
                cache=cache,
                progress=False,
            )
            assert len(server.requests) == before + 1, options
    assert all(o.cached for o in second)
    assert [comparable(o.result()) for o in second] == [comparable(o.result()) for o in first]


def test_a_batch_served_from_the_cache_builds_no_async_client(
    seed: GoldArticle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building one costs ~50 ms (its TLS context); a fully cached run needs none."""
    built: list[object] = []
    real_init = openai.AsyncOpenAI.__init__

    def counting_init(self: openai.AsyncOpenAI, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(openai.AsyncOpenAI, "__init__", counting_init)
    cache = tmp_path / "cache.sqlite"
    with FakeChatServer(default=seed.draft) as server:
        s = summariser(server)
        summarise_many(articles(seed, 3), summariser=s, cache=cache, progress=False)
        first_run = len(built)  # the sync client's async twin (and its copy without retries)
        assert first_run > 0
        second = summarise_many(articles(seed, 3), summariser=s, cache=cache, progress=False)
        assert len(built) == first_run
        assert len(server.requests) == 3
    assert [o.cached for o in second] == [True, True, True]


def test_corrupt_or_unreadable_cache_is_a_miss(seed: GoldArticle, tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    with FakeChatServer(default=seed.draft) as server:
        summarise_many(articles(seed, 2), summariser=summariser(server), cache=path, progress=False)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE summaries SET json = '{not json'")
    with FakeChatServer(default=seed.draft) as server:
        outcomes = summarise_many(
            articles(seed, 2), summariser=summariser(server), cache=path, progress=False
        )
        assert len(server.requests) == 2
    assert all(o.ok and not o.cached for o in outcomes)

    not_a_db = tmp_path / "garbage.sqlite"
    not_a_db.write_bytes(b"this is not a database" * 100)
    with (
        FakeChatServer(default=seed.draft) as server,
        pytest.warns(CacheWarning, match="file is not a database"),
    ):
        outcomes = summarise_many(
            articles(seed, 1), summariser=summariser(server), cache=not_a_db, progress=False
        )
    assert outcomes[0].ok


def test_summarise_many_inside_a_running_loop(seed: GoldArticle) -> None:
    async def notebook_cell(server: FakeChatServer) -> list[Any]:
        return summarise_many(
            articles(seed, 3), summariser=summariser(server), cache=False, progress=False
        )

    with FakeChatServer(default=seed.draft) as server:
        outcomes = asyncio.run(notebook_cell(server))
    assert [o.ok for o in outcomes] == [True, True, True]


def test_asummarise_many_yields_as_completed(seed: GoldArticle) -> None:
    async def run(server: FakeChatServer) -> list[str]:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="test-key")
        ids = [
            outcome.article_id
            async for outcome in asummarise_many(
                articles(seed, 4), client=client, model="m", cache=False, progress=False
            )
        ]
        await client.close()
        return ids

    with FakeChatServer([Reply.delay(1.0, seed.draft)], default=seed.draft) as server:
        ids = asyncio.run(run(server))
    assert sorted(ids) == ["a0", "a1", "a2", "a3"]
    # The first request to arrive (any of the four: they start together) gets the slow answer,
    # and its article comes last.
    slow = re.search(r"\nRef (\d)\.", server.requests[0].messages[-1]["content"])
    assert slow is not None
    assert ids[-1] == f"a{slow.group(1)}"


def test_a_batch_keeps_its_summarisers_configuration(seed: GoldArticle) -> None:
    with FakeChatServer(default=seed.draft) as server:
        s = summariser(server, mode="json_schema")
        outcomes = summarise_many(articles(seed, 2), summariser=s, cache=False, progress=False)
        assert {r.body["response_format"]["type"] for r in server.requests} == {"json_schema"}
    assert all(o.result().provenance.mode == "json_schema" for o in outcomes)


def test_outcome_json_keeps_the_error() -> None:
    with FakeChatServer() as server:
        outcomes = summarise_many(["  "], summariser=summariser(server), cache=False)
    [outcome] = outcomes
    assert outcome.to_json() == {
        "id": "0",
        "ok": False,
        "error": {"type": "InputError", "message": "the article is empty; pass the article's text"},
    }


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_paces_requests_evenly() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rpm=600, clock=clock)  # ten a second
    waits = [limiter.reserve(tokens=100) for _ in range(30)]
    assert waits[0] == 0.0  # the first goes at once
    assert [round(b - a, 6) for a, b in pairwise(waits)] == [0.1] * 29  # then 0.1 s apart


@pytest.mark.parametrize("rpm", [1, 2, 60, 600])
def test_a_minute_never_holds_more_than_the_limit(rpm: int) -> None:
    limiter = RateLimiter(rpm=rpm, clock=FakeClock())
    send_times = [limiter.reserve(tokens=1) for _ in range(3 * rpm + 1)]
    for i, start in enumerate(send_times):
        in_window = [t for t in send_times[i:] if t < start + 60 - 1e-6]
        assert len(in_window) <= rpm


def test_rate_limiter_tokens_are_corrected_and_429_pauses_everyone() -> None:
    clock = FakeClock()
    limiter = RateLimiter(tpm=60_000, clock=clock)  # 1,000 tokens a second
    assert limiter.reserve(tokens=1_000) == 0.0
    limiter.settle(estimated=1_000, actual=3_000)  # spent 2,000 more than booked
    assert limiter.reserve(tokens=1_000) == pytest.approx(3.0)
    limiter.pause(10.0)
    assert limiter.reserve(tokens=1) >= 10.0
    with pytest.raises(ValueError, match="rpm"):
        RateLimiter(rpm=0)


def test_a_pause_holds_back_requests_already_waiting() -> None:
    async def run() -> float:
        limiter = RateLimiter(rpm=600)
        limiter.reserve(tokens=1)  # someone went first: the next waits 0.1 s
        waiting = asyncio.create_task(limiter.acquire(tokens=1))
        await asyncio.sleep(0.02)
        limiter.pause(0.3)  # a 429 arrives meanwhile
        started = time.monotonic()
        await waiting
        return time.monotonic() - started

    assert asyncio.run(run()) >= 0.25


def test_a_long_retry_after_fails_one_article_without_stalling_the_batch(
    seed: GoldArticle,
) -> None:
    policy = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.05, max_server_wait=1)
    with FakeChatServer([Reply.rate_limited(retry_after=30)], default=seed.draft) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test-key")
        started = time.monotonic()
        outcomes = summarise_many(
            articles(seed, 3),
            client=client,
            model="m",
            retry=policy,
            concurrency=1,
            rpm=6000,
            cache=False,
            progress=False,
        )
    assert time.monotonic() - started < 10
    assert [o.ok for o in outcomes] == [False, True, True]
    assert isinstance(outcomes[0].error, RateLimited)


def test_cache_api(tmp_path: Path, seed: GoldArticle) -> None:
    cache = SummaryCache(tmp_path / "c.sqlite")
    assert cache.get("nope") is None
    cache.put("k", seed.summary)
    assert comparable(cache.get("k")) == comparable(seed.summary)  # type: ignore[arg-type]
    cache.close()


def test_a_missing_key_fails_at_once_not_per_article(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        summarise_many(["an article", "another"], model="m", cache=False)


def test_a_sync_client_with_its_own_http_client_is_refused() -> None:
    import httpx2

    custom = openai.OpenAI(api_key="k", http_client=httpx2.Client())
    with pytest.raises(ConfigurationError, match="AsyncOpenAI"):
        summarise_many(["an article"], client=custom, model="m", cache=False)


def test_a_sync_client_with_a_key_provider_fails_at_once_not_per_article() -> None:
    keyed_by_callable = openai.OpenAI(api_key=lambda: "k", base_url="http://127.0.0.1:9/v1")
    with pytest.raises(ConfigurationError, match="no plain api_key"):
        summarise_many(["an article", "another"], client=keyed_by_callable, model="m", cache=False)
