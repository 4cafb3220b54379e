"""Batches, caches, threads and event loops under abuse (issue 17 items 3, 4, 6, 8, 9)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest

from minerals_summ import (
    Article,
    ConfigurationError,
    InputError,
    RetryPolicy,
    Summariser,
    asummarise_many,
    summarise_many,
)
from minerals_summ.gold import GoldArticle
from minerals_summ.testing import FakeChatServer

FAST = RetryPolicy(max_retries=3, initial_delay=0.01, max_delay=0.05)


def articles(seed: GoldArticle, n: int, start: int = 0) -> list[Article]:
    return [
        Article(id=f"a{i}", text=f"{seed.text}\nRef {i}.", published="2025-09-09")
        for i in range(start, start + n)
    ]


def sync_client(server: FakeChatServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="test-key")


# --- 3: the cache key includes the endpoint -------------------------------------------------


def test_another_server_never_gets_the_first_servers_cached_answers(
    seed: GoldArticle, tmp_path: Path
) -> None:
    cache = tmp_path / "cache.sqlite"
    with FakeChatServer(default=seed.draft) as first, FakeChatServer(default=seed.draft) as other:
        for server in (first, other):
            outcomes = summarise_many(
                articles(seed, 3), client=sync_client(server), model="m", cache=cache
            )
            assert len(server.requests) == 3
            assert not any(o.cached for o in outcomes)
        again = summarise_many(articles(seed, 3), client=sync_client(first), cache=cache, model="m")
        assert len(first.requests) == 3
        endpoint = first.base_url
    assert all(o.cached for o in again)
    provenance = again[0].result().provenance
    assert provenance is not None
    assert provenance.endpoint == endpoint


# --- 4: a cache that cannot be used says so; a directory holds the file ---------------------


def test_a_cache_directory_holds_the_database(seed: GoldArticle, tmp_path: Path) -> None:
    with FakeChatServer(default=seed.draft) as server, warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning: the directory is a fine cache
        for _ in range(2):
            outcomes = summarise_many(
                articles(seed, 2), client=sync_client(server), model="m", cache=tmp_path
            )
        assert len(server.requests) == 2
    assert all(o.cached for o in outcomes)
    assert (tmp_path / "summaries.sqlite").is_file()


def _unusable(tmp_path: Path) -> Iterator[Path]:
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database" * 200)
    yield garbage
    a_file = tmp_path / "file"
    a_file.write_text("x")
    yield a_file / "cache.sqlite"  # a path under a file


def test_an_unusable_cache_is_reported_once(seed: GoldArticle, tmp_path: Path) -> None:
    for path in _unusable(tmp_path):
        with FakeChatServer(default=seed.draft) as server:
            with pytest.warns(Warning, match="cache") as caught:
                outcomes = summarise_many(
                    articles(seed, 3), client=sync_client(server), model="m", cache=path
                )
            assert [o.ok for o in outcomes] == [True] * 3
        messages = [str(w.message) for w in caught if "cache" in str(w.message)]
        assert len(messages) == 1, messages
        assert "continuing without it" in messages[0]


def test_cache_none_or_another_type_is_refused(seed: GoldArticle) -> None:
    for value in (None, 3, ""):
        with pytest.raises(ConfigurationError, match="cache"):
            summarise_many(["x"], model="m", cache=value)  # type: ignore[arg-type]


# --- 6: lazy input --------------------------------------------------------------------------


def test_asummarise_many_pulls_its_input_lazily(seed: GoldArticle) -> None:
    pulled: list[int] = []

    def source() -> Iterator[Article]:
        for article in articles(seed, 50):
            pulled.append(1)
            yield article

    async def first_outcome(server: FakeChatServer) -> int:
        sdk = openai.AsyncOpenAI(base_url=server.base_url, api_key="k")
        stream = asummarise_many(source(), client=sdk, model="m", concurrency=4, cache=False)
        async for _ in stream:
            seen = len(pulled)
            await stream.aclose()
            return seen
        raise AssertionError("no outcome")

    with FakeChatServer(default=seed.draft, latency=0.05) as server:
        seen = asyncio.run(first_outcome(server))
    # At most ``concurrency`` in flight and as many finished outcomes waiting for the consumer.
    assert seen <= 2 * 4 + 1


@pytest.mark.parametrize("value", [None, "one article", 42])
def test_articles_that_are_no_iterable_of_articles_are_an_input_error(value: Any) -> None:
    with pytest.raises(InputError, match="articles must be"):
        summarise_many(value, model="m", cache=False)


# --- 8: a locked cache never freezes the event loop ------------------------------------------


def test_a_locked_cache_does_not_stall_the_event_loop(
    seed: GoldArticle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import minerals_summ.cache

    monkeypatch.setattr(minerals_summ.cache, "BUSY_TIMEOUT_S", 1.0, raising=False)
    path = tmp_path / "cache.sqlite"
    with FakeChatServer(default=seed.draft) as server:
        summarise_many(articles(seed, 1), client=sync_client(server), model="m", cache=path)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    gaps: list[float] = []

    async def run(server: FakeChatServer) -> list[Any]:
        async def ticker() -> None:
            last = time.monotonic()
            while True:
                await asyncio.sleep(0.02)
                now = time.monotonic()
                gaps.append(now - last)
                last = now

        tick = asyncio.create_task(ticker())
        sdk = openai.AsyncOpenAI(base_url=server.base_url, api_key="k")
        done = [o async for o in asummarise_many(articles(seed, 4, 10), client=sdk, cache=path)]
        tick.cancel()
        return done

    try:
        with FakeChatServer(default=seed.draft) as server, pytest.warns(Warning, match="locked"):
            outcomes = asyncio.run(run(server))
    finally:
        holder.rollback()
        holder.close()
    assert all(o.ok for o in outcomes)
    assert max(gaps) < 0.5


# --- 9: one Summariser, many threads and event loops ----------------------------------------


def test_one_summariser_with_an_async_client_serves_four_threads(seed: GoldArticle) -> None:
    with FakeChatServer(default=seed.draft, latency=0.01) as server:
        sdk = openai.AsyncOpenAI(base_url=server.base_url, api_key="k")
        summariser = Summariser(client=sdk, model="m", retry=FAST)
        results: dict[int, list[Any]] = {}

        def batch(n: int) -> None:
            outcomes = summarise_many(
                articles(seed, 40, 40 * n), summariser=summariser, concurrency=8, cache=False
            )
            results[n] = outcomes

        threads = [threading.Thread(target=batch, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert server.request_count == 160
    failures = [o.error for outcomes in results.values() for o in outcomes if not o.ok]
    assert failures == []
    assert sum(len(o) for o in results.values()) == 160


def test_an_async_client_with_its_own_http_client_is_refused_on_a_second_loop(
    seed: GoldArticle,
) -> None:
    import httpx2

    with FakeChatServer(default=seed.draft) as server:
        sdk = openai.AsyncOpenAI(
            base_url=server.base_url, api_key="k", http_client=httpx2.AsyncClient()
        )
        summariser = Summariser(client=sdk, model="m")
        first = summarise_many(articles(seed, 1), summariser=summariser, cache=False)
        assert first[0].ok
        with pytest.raises(ConfigurationError, match="another event loop"):  # before any request
            summarise_many(articles(seed, 1, 5), summariser=summariser, cache=False)
        assert len(server.requests) == 1
