"""Summarise many articles: bounded concurrency, rate limits, a cache, progress, no article lost.

Every input yields exactly one :class:`Outcome`, in input order from :func:`summarise_many` and
as they complete from :func:`asummarise_many`, whatever fails: the error is kept on the outcome.
Re-asks and transport retries pass through the same :class:`RateLimiter` as first calls. The
input is consumed lazily: a worker takes the next article when it is free, so at most
``concurrency`` articles are in flight and as many finished outcomes wait for the consumer. The
cache is read and written in a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sized
from dataclasses import dataclass
from typing import Any

import openai

from minerals_summ.articles import (
    Article,
    Document,
    article_metadata,
    from_cache,
    prepare,
)
from minerals_summ.cache import CacheOption, SummaryCache, summary_cache, summary_key
from minerals_summ.config import Config, Mode, async_client_for
from minerals_summ.exceptions import ConfigurationError, InputError, MineralsSummError, RunError
from minerals_summ.progress import progress_bar
from minerals_summ.ratelimit import RateLimiter
from minerals_summ.retries import RetryPolicy
from minerals_summ.summarise import Summariser
from minerals_summ.summary import ArticleSummary

__all__ = ["CacheOption", "Outcome", "asummarise_many", "summarise_many"]

log = logging.getLogger("minerals_summ.batch")


@dataclass(frozen=True)
class Outcome:
    """The result for one article: its summary, or the typed error that stopped it."""

    article_id: str
    index: int
    summary: ArticleSummary | None = None
    error: MineralsSummError | None = None
    cached: bool = False
    article: Article | None = None  # kept on failures, for the article's metadata

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
            data |= article_metadata(self.article)
        return data


def as_articles(items: Iterable[Article | str]) -> Iterator[tuple[int, Article]]:
    """``(position, Article)`` for each item, lazily; a str gets its position as its id."""
    if items is None or isinstance(items, str | bytes) or not isinstance(items, Iterable):
        what = "one string" if isinstance(items, str | bytes) else type(items).__name__
        raise InputError(
            f"articles must be an iterable of Article or str, not {what}; "
            "for one article use summarise()"
        )
    for i, item in enumerate(items):
        if isinstance(item, Article):
            yield i, item
        else:  # a str, or anything else: the input check reports what is wrong with it
            yield i, Article(id=str(i), text=item)


class _Progress:
    """A tqdm bar (terminal or notebook, :mod:`minerals_summ.progress`) showing done, failed
    and rate; silent when off."""

    def __init__(self, total: int | None, enabled: bool | None) -> None:
        self.failed = 0
        self.bar: Any = progress_bar(total, enabled=enabled)

    def update(self, outcome: Outcome) -> None:
        self.failed += not outcome.ok
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(failed=self.failed, refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class _Run:
    """What the articles of one batch share: the summariser, the limiter, the cache, and the
    async client, built when the first article needs the model (never, when the cache has
    them all)."""

    def __init__(
        self,
        summariser: Summariser,
        make_client: Callable[[], openai.AsyncOpenAI],
        limiter: RateLimiter,
        cache: SummaryCache | None,
    ) -> None:
        self.summariser = summariser
        self.make_client = make_client
        self.client: openai.AsyncOpenAI | None = None
        self.limiter = limiter
        self.cache = cache
        self.endpoint = summariser.endpoint

    def key(self, document: Document) -> str | None:
        if self.cache is None:
            return None
        return summary_key(self.summariser.config, document.text, document.published, self.endpoint)

    async def one(self, article: Article, index: int) -> Outcome:
        """The outcome of one article: from the cache, from the model, or its error."""
        key = None
        try:
            document = await self.document(article)
            key = self.key(document)
            if self.cache is not None and key is not None:
                hit = await asyncio.to_thread(self.cache.get, key)
                if hit is not None:
                    return Outcome(
                        article.id, index, summary=from_cache(hit, document), cached=True
                    )
            if self.client is None:
                self.client = self.make_client()
            summary = await self.summariser.asummarise(
                document, client=self.client, limiter=self.limiter
            )
        except MineralsSummError as exc:
            return Outcome(article.id, index, error=exc, article=article)
        except Exception as exc:  # a bug must not lose the article: keep it on the outcome
            log.exception("unexpected error on article %s", article.id)
            error = RunError(f"unexpected {type(exc).__name__}: {exc}")
            error.__cause__ = exc
            return Outcome(article.id, index, error=error, article=article)
        if self.cache is not None and key is not None:
            await asyncio.to_thread(self.cache.put, key, summary)
        return Outcome(article.id, index, summary=summary)

    async def document(self, article: Article) -> Document:
        """The article's document; a file is read and a page fetched in a worker thread."""
        max_chars = self.summariser.config.max_chars
        if article.text is None:
            return await asyncio.to_thread(prepare, article, max_chars=max_chars)
        return prepare(article, max_chars=max_chars)


def _summariser(
    summariser: Summariser | None,
    client: openai.OpenAI | openai.AsyncOpenAI | None,
    options: dict[str, Any],
) -> Summariser:
    if summariser is None:
        return Summariser(client=client, **options)
    if client is not None or any(value is not None for value in options.values()):
        raise ConfigurationError(
            "pass either summariser= or the client and options to build one, not both"
        )
    return summariser


def _check_concurrency(concurrency: object) -> int:
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ConfigurationError(f"concurrency must be a whole number >= 1, not {concurrency!r}")
    return concurrency


def _limiter(rpm: float | None, tpm: float | None) -> RateLimiter:
    for name, value in (("rpm", rpm), ("tpm", tpm)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or not value > 0
        ):
            raise ConfigurationError(f"{name} must be a positive number or None, not {value!r}")
    return RateLimiter(rpm=rpm, tpm=tpm)


def _check_progress(progress: object) -> bool | None:
    if progress is not None and not isinstance(progress, bool):
        raise ConfigurationError(f"progress must be True, False or None, not {progress!r}")
    return progress


async def asummarise_many(
    articles: Iterable[Article | str],
    *,
    summariser: Summariser | None = None,
    client: openai.OpenAI | openai.AsyncOpenAI | None = None,
    concurrency: int = 8,
    rpm: float | None = None,
    tpm: float | None = None,
    cache: CacheOption = True,
    progress: bool | None = None,
    config: Config | None = None,
    model: str | None = None,
    mode: Mode | None = None,
    max_attempts: int | None = None,
    retry: RetryPolicy | None = None,
    timeout: float | None = None,
    max_output_tokens: int | None = None,
    temperature: float | None = None,
    default_currency: str | None = None,
    json_object_schema: bool | None = None,
) -> AsyncIterator[Outcome]:
    """Yield one :class:`Outcome` per article as each completes.

    Pass a :class:`Summariser`, or ``client`` and the :class:`Config` options (``model``,
    ``mode``, ...) to build one. ``rpm``/``tpm`` pace requests and tokens per minute;
    ``cache`` is on by default (``False`` turns it off; a file path, a directory for
    ``summaries.sqlite``, or a :class:`SummaryCache`; ``None`` is refused); ``progress`` shows a
    bar (default: when stderr is a terminal). ``articles`` is read lazily, as workers free up.
    """
    options: dict[str, Any] = {
        "config": config,
        "model": model,
        "mode": mode,
        "max_attempts": max_attempts,
        "retry": retry,
        "timeout": timeout,
        "max_output_tokens": max_output_tokens,
        "temperature": temperature,
        "default_currency": default_currency,
        "json_object_schema": json_object_schema,
    }
    summariser = _summariser(summariser, client, options)
    concurrency = _check_concurrency(concurrency)
    limiter, store, show = _limiter(rpm, tpm), summary_cache(cache), _check_progress(progress)
    items = as_articles(articles)
    first = next(items, None)
    if first is None:
        return
    # No key, or a client that cannot be carried over: fail now, not once per article.
    run = _Run(summariser, async_client_for(summariser.client), limiter, store)
    pending = itertools.chain([first], items)
    bar = _Progress(len(articles) if isinstance(articles, Sized) else None, show)
    queue: asyncio.Queue[Outcome | None] = asyncio.Queue(maxsize=concurrency)

    async def worker() -> None:
        for index, article in pending:  # the next article only when this worker is free
            await queue.put(await run.one(article, index))

    async def close() -> None:
        try:
            await asyncio.gather(*workers)
        finally:
            await queue.put(None)

    workers = [asyncio.create_task(worker()) for _ in range(concurrency)]
    closer = asyncio.create_task(close())
    try:
        while (outcome := await queue.get()) is not None:
            bar.update(outcome)
            yield outcome
        await closer  # raises what the input iterable itself raised, if anything
    finally:
        for task in [*workers, closer]:
            task.cancel()
        await asyncio.gather(*workers, closer, return_exceptions=True)
        bar.close()
        # A client this run built is bound to this event loop: close it with the loop.
        if run.client is not None and run.client is not summariser.client:
            await run.client.close()


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
    config: Config | None = None,
    model: str | None = None,
    mode: Mode | None = None,
    max_attempts: int | None = None,
    retry: RetryPolicy | None = None,
    timeout: float | None = None,
    max_output_tokens: int | None = None,
    temperature: float | None = None,
    default_currency: str | None = None,
    json_object_schema: bool | None = None,
) -> list[Outcome]:
    """All outcomes, in input order (see :func:`asummarise_many` for the options).

    Works when called from a running event loop (a notebook cell, an async handler): the batch
    then runs on its own loop in a helper thread, never on the caller's.
    """
    outcomes: list[Outcome] = []

    async def collect() -> None:
        # The outcomes go into a list, not the task's result: on the main thread, asyncio.run
        # formats a repr of its task (results included) when it restores the SIGINT handler.
        async for outcome in asummarise_many(
            articles,
            summariser=summariser,
            client=client,
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
            cache=cache,
            progress=progress,
            config=config,
            model=model,
            mode=mode,
            max_attempts=max_attempts,
            retry=retry,
            timeout=timeout,
            max_output_tokens=max_output_tokens,
            temperature=temperature,
            default_currency=default_currency,
            json_object_schema=json_object_schema,
        ):
            outcomes.append(outcome)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(collect())
    else:  # called from a running loop (Jupyter, an async handler): never asyncio.run() on it
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, collect()).result()
    return sorted(outcomes, key=lambda o: o.index)
