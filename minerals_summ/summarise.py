"""The pipeline: article text in, checked records out. :func:`summarise`, :class:`Summariser`.

One call checks the article (:func:`minerals_summ.articles.check_article`), renders the versioned
prompt (:mod:`minerals_summ.prompting`), asks the model through the adapter
(:mod:`minerals_summ.llm`), which re-asks until the draft resolves against the article
(:func:`minerals_summ.resolve.resolve`), and returns the records with their provenance.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import weakref
from typing import Any

import openai

from minerals_summ import chunking, extraction, llm, retries, send
from minerals_summ.articles import Article, Document
from minerals_summ.chunking import Chunk
from minerals_summ.config import Config, Mode, async_client_for, client_from_env, endpoint_of
from minerals_summ.exceptions import ConfigurationError, RunError
from minerals_summ.ratelimit import RateLimiter
from minerals_summ.retries import RetryPolicy
from minerals_summ.summary import ArticleSummary

__all__ = ["Summariser", "asummarise", "summarise"]


def _estimate_tokens(request: dict[str, Any], max_output_tokens: int) -> int:
    """A pre-call guess of a request's tokens (about four characters a token), counting the
    output cap as OpenAI's own limiter does."""
    sent = {key: request.get(key) for key in ("messages", "tools", "response_format")}
    return len(json.dumps(sent, ensure_ascii=False)) // 4 + max_output_tokens


def _renamed(exc: Exception, call: extraction.ArticleCall, request: dict[str, Any]) -> bool:
    """After a server refused ``max_tokens``: send ``max_completion_tokens`` from now on."""
    if not send.refused_max_tokens(exc) or "max_tokens" not in request:
        return False
    call.exchange.output_field = "max_completion_tokens"
    request["max_completion_tokens"] = request.pop("max_tokens")
    return True


class Summariser:
    """A frozen :class:`Config` and an ``openai`` client, reused across calls.

    ``client`` is an ``openai.OpenAI`` (for :meth:`summarise`) or ``openai.AsyncOpenAI`` (for
    :meth:`asummarise`) the caller built, for any ``base_url``; without one, a client is built
    from ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` when first needed. The keyword options override
    ``config`` (or the default config, whose model comes from ``MINERALS_SUMM_MODEL``). The SDK's
    own retries are turned off: transport retries are this library's (``retry``).

    One Summariser may serve several threads and event loops at once: an ``AsyncOpenAI`` is
    used on the loop it was first used on, and each other loop gets a twin with its endpoint,
    key and headers (or a :class:`ConfigurationError` before any request, when the client has
    its own ``http_client`` and so cannot be copied).
    """

    def __init__(
        self,
        *,
        client: openai.OpenAI | openai.AsyncOpenAI | None = None,
        config: Config | None = None,
        model: str | None = None,
        mode: Mode | None = None,
        max_attempts: int | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | None = None,
        max_chars: int | None = None,
        max_article_tokens: int | None = None,
        token_budget: int | None = None,
        max_output_tokens: int | None = None,
        temperature: float | None = None,
        default_currency: str | None = None,
        json_object_schema: bool | None = None,
        max_records: int | None = None,
    ) -> None:
        if client is not None and not isinstance(client, openai.OpenAI | openai.AsyncOpenAI):
            raise ConfigurationError(
                "client must be an openai.OpenAI or openai.AsyncOpenAI, "
                f"not {type(client).__name__}"
            )
        if config is not None and not isinstance(config, Config):
            raise ConfigurationError(f"config must be a Config, not {type(config).__name__}")
        self.config = Config.from_options(
            config,
            model=model,
            mode=mode,
            max_attempts=max_attempts,
            retry=retry,
            timeout=timeout,
            max_chars=max_chars,
            max_article_tokens=max_article_tokens,
            token_budget=token_budget,
            max_output_tokens=max_output_tokens,
            temperature=temperature,
            default_currency=default_currency,
            json_object_schema=json_object_schema,
            max_records=max_records,
        )
        self.client = client
        self._sync: openai.OpenAI | None = None
        self._lock = threading.Lock()
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, openai.AsyncOpenAI] = (
            weakref.WeakKeyDictionary()
        )
        self._output_field = "max_tokens"

    @property
    def endpoint(self) -> str:
        """Where this summariser's requests go: the base URL without credentials."""
        return endpoint_of(self.client)

    def _calls(self, document: Document) -> list[tuple[Chunk, extraction.ArticleCall]]:
        """One extraction per chunk: one for an article that fits a request, several for a long
        one (:func:`minerals_summ.chunking.plan`), each with the same prompt and date."""
        chunks = chunking.plan(document.text, self.config.model, self.config.max_article_tokens)
        return [
            (
                chunk,
                extraction.ArticleCall(
                    self.config,
                    chunk.text,
                    document.published,
                    endpoint=self.endpoint,
                    output_field=self._output_field,
                ),
            )
            for chunk in chunks
        ]

    def _sync_client(self) -> openai.OpenAI:
        with self._lock:
            if self._sync is None:
                client = self.client if self.client is not None else client_from_env()
                if not isinstance(client, openai.OpenAI):
                    raise ConfigurationError(
                        "summarise() needs an openai.OpenAI client; use asummarise()"
                    )
                self._sync = client.with_options(max_retries=0)
            return self._sync

    def _async_client(self) -> openai.AsyncOpenAI:
        """The async client of the running event loop (one per loop: connections belong to
        the loop that opened them)."""
        if isinstance(self.client, openai.OpenAI):
            raise ConfigurationError("asummarise() needs an openai.AsyncOpenAI client")
        loop = asyncio.get_running_loop()
        with self._lock:
            client = self._loops.get(loop)
        if client is None:
            client = async_client_for(self.client)().with_options(max_retries=0)
            with self._lock:
                client = self._loops.setdefault(loop, client)
        return client

    def summarise(
        self, text: str | Article | Document, *, published: dt.date | str | None = None
    ) -> ArticleSummary:
        """Summarise one article; raises a :class:`MineralsSummError` subclass on failure.

        ``text`` is the article's text (plain, or an HTML page), or an :class:`Article` (text,
        file or URL, with its metadata). A long article is extracted in chunks and merged.
        """
        document = extraction.document(self.config, text, published)
        client = self._sync_client()
        calls = self._calls(document)
        for n, (_, call) in enumerate(calls):
            try:
                self._extract(call, client)
            except RunError as exc:
                extraction.spent(calls[:n], exc)
                raise
        return extraction.result(self.config, document, calls, calls[0][1])

    def _extract(self, call: extraction.ArticleCall, client: openai.OpenAI) -> None:
        stats, policy, timeout = call.exchange.stats, self.config.retry, self.config.timeout

        def post(*args: Any, **kwargs: Any) -> Any:
            def attempt() -> Any:
                try:
                    return send.send(client, kwargs, timeout=timeout, stats=stats)
                except openai.BadRequestError as exc:
                    if not _renamed(exc, call, kwargs):
                        raise
                    self._output_field = call.exchange.output_field
                    return send.send(client, kwargs, timeout=timeout, stats=stats)

            return retries.call(attempt, policy, stats, timeout=timeout)

        llm.run(call.exchange, call.messages(), call.check, post)

    async def asummarise(
        self,
        text: str | Article | Document,
        *,
        published: dt.date | str | None = None,
        client: openai.AsyncOpenAI | None = None,
        limiter: RateLimiter | None = None,
    ) -> ArticleSummary:
        """Async :meth:`summarise`.

        ``client`` overrides the summariser's own for this call (a batch passes the client of its
        event loop); every HTTP request (re-asks and retries included) waits for ``limiter``.
        """
        if isinstance(text, Article) and text.text is None:  # a file to read, a page to fetch
            document = await asyncio.to_thread(extraction.document, self.config, text, published)
        else:
            document = extraction.document(self.config, text, published)
        sdk = client.with_options(max_retries=0) if client is not None else self._async_client()
        calls = self._calls(document)
        for n, (_, call) in enumerate(calls):
            try:
                await self._aextract(call, sdk, limiter)
            except RunError as exc:
                extraction.spent(calls[:n], exc)
                raise
        return extraction.result(self.config, document, calls, calls[0][1])

    async def _aextract(
        self, call: extraction.ArticleCall, sdk: openai.AsyncOpenAI, limiter: RateLimiter | None
    ) -> None:
        stats, policy, timeout = call.exchange.stats, self.config.retry, self.config.timeout
        cap = call.exchange.output_cap

        async def post(*args: Any, **kwargs: Any) -> Any:
            estimate = _estimate_tokens(kwargs, cap)

            async def attempt() -> Any:
                if limiter is not None:
                    await limiter.acquire(estimate)
                try:
                    return await send.asend(sdk, kwargs, timeout=timeout, stats=stats)
                except openai.RateLimitError as exc:
                    pause = retries.pause_for(exc, policy)
                    if limiter is not None and pause is not None:
                        limiter.pause(pause)
                    raise
                except openai.BadRequestError as exc:
                    if not _renamed(exc, call, kwargs):
                        raise
                    self._output_field = call.exchange.output_field
                    return await send.asend(sdk, kwargs, timeout=timeout, stats=stats)

            response = await retries.acall(attempt, policy, stats, timeout=timeout)
            if limiter is not None:
                limiter.settle(estimate, llm.usage_of(response).total_tokens)
            return response

        await llm.arun(call.exchange, call.messages(), call.check, post)


def summarise(
    text: str | Article,
    *,
    published: dt.date | str | None = None,
    client: openai.OpenAI | None = None,
    config: Config | None = None,
    model: str | None = None,
    mode: Mode | None = None,
    max_attempts: int | None = None,
    retry: RetryPolicy | None = None,
    timeout: float | None = None,
    max_chars: int | None = None,
    max_article_tokens: int | None = None,
    token_budget: int | None = None,
    max_output_tokens: int | None = None,
    temperature: float | None = None,
    default_currency: str | None = None,
    json_object_schema: bool | None = None,
    max_records: int | None = None,
) -> ArticleSummary:
    """Summarise one article into checked records.

    ``published`` (a date or "YYYY-MM-DD") anchors relative dates ("last month"). The options are
    :class:`Config`'s; those left None keep ``config``'s value (or the default: mode "tools",
    3 attempts, the model from ``MINERALS_SUMM_MODEL``, else gpt-4.1-mini).
    """
    summariser = Summariser(
        client=client,
        config=config,
        model=model,
        mode=mode,
        max_attempts=max_attempts,
        retry=retry,
        timeout=timeout,
        max_chars=max_chars,
        max_article_tokens=max_article_tokens,
        token_budget=token_budget,
        max_output_tokens=max_output_tokens,
        temperature=temperature,
        default_currency=default_currency,
        json_object_schema=json_object_schema,
        max_records=max_records,
    )
    return summariser.summarise(text, published=published)


async def asummarise(
    text: str | Article,
    *,
    published: dt.date | str | None = None,
    client: openai.AsyncOpenAI | None = None,
    config: Config | None = None,
    model: str | None = None,
    mode: Mode | None = None,
    max_attempts: int | None = None,
    retry: RetryPolicy | None = None,
    timeout: float | None = None,
    max_chars: int | None = None,
    max_article_tokens: int | None = None,
    token_budget: int | None = None,
    max_output_tokens: int | None = None,
    temperature: float | None = None,
    default_currency: str | None = None,
    json_object_schema: bool | None = None,
    max_records: int | None = None,
) -> ArticleSummary:
    """Async :func:`summarise`, with an ``openai.AsyncOpenAI`` client."""
    summariser = Summariser(
        client=client,
        config=config,
        model=model,
        mode=mode,
        max_attempts=max_attempts,
        retry=retry,
        timeout=timeout,
        max_chars=max_chars,
        max_article_tokens=max_article_tokens,
        token_budget=token_budget,
        max_output_tokens=max_output_tokens,
        temperature=temperature,
        default_currency=default_currency,
        json_object_schema=json_object_schema,
        max_records=max_records,
    )
    return await summariser.asummarise(text, published=published)
