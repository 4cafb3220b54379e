"""Summarise many articles: bounded concurrency, rate limits, a cache, progress, no article lost.

Every input yields exactly one :class:`Outcome`, in input order from :func:`summarise_many` and
as they complete from :func:`asummarise_many`, whatever fails: the error is kept on the outcome.
Re-asks and transport retries pass through the same :class:`RateLimiter` as first calls.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
import json
import logging
import sys
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai

from minerals_summ.cache import SummaryCache, cache_key
from minerals_summ.exceptions import ConfigurationError, MineralsSummError, RunError
from minerals_summ.prompting import load_prompt
from minerals_summ.ratelimit import RateLimiter
from minerals_summ.schema import ArticleSummary, schema_version
from minerals_summ.summarise import Summariser, as_date
from minerals_summ.version import __version__

__all__ = ["Article", "CacheOption", "Outcome", "asummarise_many", "summarise_many"]

log = logging.getLogger("minerals_summ.batch")

CacheOption = bool | str | Path | SummaryCache


@dataclass(frozen=True, kw_only=True)
class Article:
    """One article of a batch. Plain strings are accepted too (their id is their position)."""

    id: str
    text: str
    published: dt.date | str | None = None
    url: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Outcome:
    """The result for one article: its summary, or the typed error that stopped it."""

    article_id: str
    index: int
    summary: ArticleSummary | None = None
    error: MineralsSummError | None = None
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    def result(self) -> ArticleSummary:
        """The summary, or raise the error."""
        if self.error is not None:
            raise self.error
        assert self.summary is not None
        return self.summary

    def to_json(self) -> dict[str, Any]:
        """One JSON-able object: the summary, or the error's type and message."""
        data: dict[str, Any] = {"id": self.article_id, "ok": self.ok}
        if self.summary is not None:
            data["summary"] = self.summary.model_dump(mode="json")
        if self.error is not None:
            data["error"] = {"type": type(self.error).__name__, "message": str(self.error)}
        return data


def as_articles(items: Iterable[Article | str]) -> list[Article]:
    articles = []
    for i, item in enumerate(items):
        if isinstance(item, Article):
            articles.append(item)
        else:  # a str, or anything else: the input check reports what is wrong with it
            articles.append(Article(id=str(i), text=item))
    return articles


def _cache(option: CacheOption) -> SummaryCache | None:
    if option is False:
        return None
    if option is True:
        return SummaryCache()
    if isinstance(option, SummaryCache):
        return option
    return SummaryCache(option)


class _Progress:
    """A tqdm bar (terminal or notebook) showing done, failed and rate; silent when off."""

    def __init__(self, total: int, enabled: bool | None) -> None:
        if enabled is None:
            enabled = sys.stderr.isatty()
        self.failed = 0
        self.bar: Any = None
        if enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, unit="article", desc="summarising")

    def update(self, outcome: Outcome) -> None:
        self.failed += not outcome.ok
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(failed=self.failed, refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _settings(summariser: Summariser) -> str:
    """Everything else that changes a summary: its options and the library version."""
    config = summariser.config
    return json.dumps(
        {
            "temperature": config.temperature,
            "max_output_tokens": config.max_output_tokens,
            "default_currency": config.default_currency,
            "json_object_schema": config.json_object_schema,
            "library": __version__,
        },
        sort_keys=True,
    )


async def _one(
    summariser: Summariser,
    article: Article,
    index: int,
    *,
    limiter: RateLimiter,
    cache: SummaryCache | None,
    settings: str,
) -> Outcome:
    config = summariser.config
    key = None
    try:
        if cache is not None and isinstance(article.text, str):
            published = as_date(article.published)
            key = cache_key(
                article.text,
                published=published,
                model=config.model,
                mode=config.mode,
                prompt_version=load_prompt().version,
                schema_version=schema_version(),
                settings=settings,
            )
            hit = cache.get(key)
            if hit is not None:
                hit._article = article.text
                return Outcome(article.id, index, summary=hit, cached=True)
        summary = await summariser._asummarise(article.text, article.published, limiter=limiter)
    except MineralsSummError as exc:
        return Outcome(article.id, index, error=exc)
    except Exception as exc:  # a bug must not lose the article: keep it on the outcome
        log.exception("unexpected error on article %s", article.id)
        error = RunError(f"unexpected {type(exc).__name__}: {exc}")
        error.__cause__ = exc
        return Outcome(article.id, index, error=error)
    if cache is not None and key is not None:
        cache.put(key, summary)
    return Outcome(article.id, index, summary=summary)


async def asummarise_many(
    articles: Iterable[Article | str],
    *,
    summariser: Summariser | None = None,
    client: openai.AsyncOpenAI | None = None,
    concurrency: int = 8,
    rpm: float | None = None,
    tpm: float | None = None,
    cache: CacheOption = True,
    progress: bool | None = None,
    **options: Any,
) -> AsyncIterator[Outcome]:
    """Yield one :class:`Outcome` per article as each completes.

    Pass a :class:`Summariser`, or ``client`` and the :class:`Config` options (``model``,
    ``mode``, ...) to build one. ``rpm``/``tpm`` pace requests and tokens per minute;
    ``cache`` is on by default (``False``, a path, or a :class:`SummaryCache`); ``progress``
    shows a bar (default: when stderr is a terminal).
    """
    summariser = summariser or Summariser(client=client, **options)
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    items = as_articles(articles)
    if items:
        summariser._check_async_client()  # no key, wrong client: fail now, not per article
    limiter = RateLimiter(rpm=rpm, tpm=tpm)
    store = _cache(cache)
    settings = _settings(summariser)
    queue: asyncio.Queue[Outcome] = asyncio.Queue()
    pending: Iterator[tuple[int, Article]] = iter(enumerate(items))
    bar = _Progress(len(items), progress)

    async def worker() -> None:
        for index, article in pending:
            outcome = await _one(
                summariser, article, index, limiter=limiter, cache=store, settings=settings
            )
            await queue.put(outcome)

    workers = [asyncio.create_task(worker()) for _ in range(min(concurrency, len(items)))]
    try:
        for _ in items:
            outcome = await queue.get()
            bar.update(outcome)
            yield outcome
    finally:
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        bar.close()


def _async_twin(client: openai.OpenAI) -> Callable[[], openai.AsyncOpenAI]:
    """What builds an async client with the same endpoint, key and options as a sync one.

    Refuses at once a client whose own HTTP client or query parameters it could not carry over
    (proxies, certificates, a mock transport, Azure's api-version): pass an AsyncOpenAI then.
    """
    from openai._base_client import SyncHttpxClientWrapper

    if not isinstance(client._client, SyncHttpxClientWrapper) or client._custom_query:
        raise ConfigurationError(
            "this openai.OpenAI client has its own http_client or default_query, which a batch "
            "cannot carry over to its async client; pass an openai.AsyncOpenAI built the same way"
        )
    if not client.api_key:  # a key provider (a callable), or credentials other than a key
        raise ConfigurationError(
            "this openai.OpenAI client has no plain api_key, which a batch would need to carry "
            "over to its async client; pass an openai.AsyncOpenAI built the same way"
        )
    return functools.partial(
        openai.AsyncOpenAI,
        api_key=client.api_key,
        organization=client.organization,
        project=client.project,
        base_url=client.base_url,
        timeout=client.timeout,
        default_headers=dict(client._custom_headers),
        max_retries=0,
    )


def summarise_many(
    articles: Iterable[Article | str],
    *,
    summariser: Summariser | None = None,
    client: openai.OpenAI | openai.AsyncOpenAI | None = None,
    concurrency: int = 8,
    rpm: float | None = None,
    tpm: float | None = None,
    cache: CacheOption = True,
    progress: bool | None = None,
    **options: Any,
) -> list[Outcome]:
    """All outcomes, in input order (see :func:`asummarise_many` for the options).

    Works when called from a running event loop (a notebook cell, an async handler): the batch
    then runs on its own loop in a helper thread, never on the caller's.
    """
    summariser = summariser or Summariser(client=client, **options)
    client = summariser._client
    if client is None or isinstance(client, openai.OpenAI):
        # A fresh async client per run: an async client is bound to the loop it first ran on.
        # It is built when an article first needs the model (never, when the cache has them all).
        runner = Summariser(config=summariser.config)
        if client is not None:
            runner._make_async_client = _async_twin(client)
    else:
        runner = summariser

    outcomes: list[Outcome] = []

    async def collect() -> None:
        # The outcomes go into a list, not the task's result: on the main thread, asyncio.run
        # formats a repr of its task (results included) when it restores the SIGINT handler.
        outcomes.extend(
            [
                outcome
                async for outcome in asummarise_many(
                    articles,
                    summariser=runner,
                    concurrency=concurrency,
                    rpm=rpm,
                    tpm=tpm,
                    cache=cache,
                    progress=progress,
                )
            ]
        )
        if runner is not summariser and isinstance(runner._client, openai.AsyncOpenAI):
            await runner._client.close()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(collect())
    else:  # called from a running loop (Jupyter, an async handler): never asyncio.run() on it
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, collect()).result()
    return sorted(outcomes, key=lambda o: o.index)
