"""The pipeline: article text in, checked records out. :func:`summarise`, :class:`Summariser`.

One call checks the article (:func:`minerals_summ.articles.check_article`), renders the versioned
prompt (:mod:`minerals_summ.prompting`), asks the model through the adapter
(:mod:`minerals_summ.llm`), which re-asks until the draft resolves against the article
(:func:`minerals_summ.resolve.resolve`), and returns the records with their provenance.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import time
from typing import Any

import openai

from minerals_summ import chunking, llm, retries
from minerals_summ.articles import Article, Document, prepare, warn_unresolved
from minerals_summ.chunking import Chunk
from minerals_summ.config import Config, Mode, client_from_env
from minerals_summ.costs import cost_of
from minerals_summ.exceptions import ConfigurationError, RunError
from minerals_summ.prompting import load_prompt
from minerals_summ.ratelimit import RateLimiter
from minerals_summ.records import Provenance, Usage
from minerals_summ.resolve import resolve
from minerals_summ.retries import RetryPolicy
from minerals_summ.schema import ArticleDraft, schema_version
from minerals_summ.summary import ArticleSummary
from minerals_summ.version import __version__

__all__ = ["Summariser", "asummarise", "summarise"]


class _Call:
    """One extraction: a text (the article, or one chunk of a long one), its date, the model
    traffic, and the records once valid."""

    def __init__(self, config: Config, text: str, published: dt.date | None) -> None:
        self.config = config
        self.article = text
        self.published = published
        self.exchange = llm.Exchange(config)
        self.resolved: ArticleSummary | None = None

    def messages(self) -> list[dict[str, str]]:
        published = self.published.isoformat() if self.published else None
        return load_prompt().render(article=self.article, published=published)

    def check(self, draft: ArticleDraft) -> None:
        """Resolve an answer against the article; its problems go back to the model."""
        self.resolved = resolve(
            draft, self.article, self.published, default_currency=self.config.default_currency
        )


def _document(
    config: Config, text: str | Article | Document, published: dt.date | str | None
) -> Document:
    if isinstance(text, Document):
        if published is not None:
            raise ConfigurationError("pass the publication date on the Document")
        return text
    return prepare(text, published=published, max_chars=config.max_chars)


def _calls(config: Config, document: Document) -> list[tuple[Chunk, _Call]]:
    """One extraction per chunk: one for an article that fits a request, several for a long one
    (:func:`minerals_summ.chunking.plan`), each with the same prompt and publication date."""
    chunks = chunking.plan(document.text, config.model, config.max_article_tokens)
    return [(chunk, _Call(config, chunk.text, document.published)) for chunk in chunks]


def _spent(done: list[tuple[Chunk, _Call]], error: RunError) -> RunError:
    """``error`` with the tokens of the chunks extracted before it too."""
    error.usage = sum((call.exchange.usage for _, call in done), error.usage or Usage())
    return error


def _result(
    config: Config, document: Document, calls: list[tuple[Chunk, _Call]], started: float
) -> ArticleSummary:
    """The records of every extraction (merged when the article took several), with provenance."""
    parts = [(chunk, call.resolved) for chunk, call in calls if call.resolved is not None]
    assert len(parts) == len(calls)  # set by check() when an answer passed
    summary = parts[0][1] if len(parts) == 1 else chunking.merge(parts)
    exchanges = [call.exchange for _, call in calls]
    usage = sum((exchange.usage for exchange in exchanges), Usage())
    provenance = Provenance(
        model=config.model,
        mode=config.mode,
        prompt_version=load_prompt().version,
        schema_version=schema_version(),
        library_version=__version__,
        attempts=sum(len(exchange.outputs) for exchange in exchanges),
        transport_retries=sum(exchange.stats.retries for exchange in exchanges),
        usage=usage,
        article_sha256=hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
        wall_time_s=round(time.perf_counter() - started, 4),
        cost_usd=cost_of(usage, config.model),
        chunks=len(calls),
        published_source=document.published_source,
        url=document.url,
        title=document.title,
        source=document.source,
    )
    result = summary.model_copy(update={"provenance": provenance})
    result._draft = summary.draft if len(parts) == 1 else None
    result._article = document.text
    warn_unresolved(result, document)
    return result


def _estimate_tokens(request: dict[str, Any], max_output_tokens: int | None) -> int:
    """A pre-call guess of a request's tokens (about four characters a token)."""
    sent = {key: request.get(key) for key in ("messages", "tools", "response_format")}
    return len(json.dumps(sent, ensure_ascii=False)) // 4 + (max_output_tokens or 1000)


class Summariser:
    """A frozen :class:`Config` and an ``openai`` client, reused across calls.

    ``client`` is an ``openai.OpenAI`` (for :meth:`summarise`) or ``openai.AsyncOpenAI`` (for
    :meth:`asummarise`) the caller built, for any ``base_url``; without one, a client is built
    from ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` when first needed. The keyword options override
    ``config`` (or the default config, whose model comes from ``MINERALS_SUMM_MODEL``). The SDK's
    own retries are turned off: transport retries are this library's (``retry``).
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
        )
        self.client = client
        self._sync: openai.OpenAI | None = None
        self._async: openai.AsyncOpenAI | None = None

    def _with_our_options(self, client: Any) -> Any:
        """The client with the SDK's retries off and our timeout."""
        return client.with_options(max_retries=0, timeout=self.config.timeout)

    def _sync_client(self) -> openai.OpenAI:
        if self._sync is None:
            client = self.client if self.client is not None else client_from_env()
            if not isinstance(client, openai.OpenAI):
                raise ConfigurationError(
                    "summarise() needs an openai.OpenAI client; use asummarise()"
                )
            self._sync = self._with_our_options(client)
        return self._sync

    def _async_client(self) -> openai.AsyncOpenAI:
        if self._async is None:
            client = self.client
            if client is None:
                client = client_from_env(asynchronous=True)
            if not isinstance(client, openai.AsyncOpenAI):
                raise ConfigurationError("asummarise() needs an openai.AsyncOpenAI client")
            self._async = self._with_our_options(client)
        return self._async

    def summarise(
        self, text: str | Article | Document, *, published: dt.date | str | None = None
    ) -> ArticleSummary:
        """Summarise one article; raises a :class:`MineralsSummError` subclass on failure.

        ``text`` is the article's text (plain, or an HTML page), or an :class:`Article` (text,
        file or URL, with its metadata). A long article is extracted in chunks and merged.
        """
        started = time.perf_counter()
        document = _document(self.config, text, published)
        client = self._sync_client()
        calls = _calls(self.config, document)
        for n, (_, call) in enumerate(calls):
            try:
                self._extract(call, client)
            except RunError as exc:
                _spent(calls[:n], exc)
                raise
        return _result(self.config, document, calls, started)

    def _extract(self, call: _Call, client: openai.OpenAI) -> None:
        stats, policy = call.exchange.stats, self.config.retry

        def send(*args: Any, **kwargs: Any) -> Any:
            return retries.call(
                lambda: client.chat.completions.create(*args, **kwargs), policy, stats
            )

        llm.run(call.exchange, call.messages(), call.check, send)

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
        started = time.perf_counter()
        if isinstance(text, Article) and text.text is None:  # a file to read, a page to fetch
            document = await asyncio.to_thread(_document, self.config, text, published)
        else:
            document = _document(self.config, text, published)
        sdk = self._with_our_options(client) if client is not None else self._async_client()
        calls = _calls(self.config, document)
        for n, (_, call) in enumerate(calls):
            try:
                await self._aextract(call, sdk, limiter)
            except RunError as exc:
                _spent(calls[:n], exc)
                raise
        return _result(self.config, document, calls, started)

    async def _aextract(
        self, call: _Call, sdk: openai.AsyncOpenAI, limiter: RateLimiter | None
    ) -> None:
        stats, policy = call.exchange.stats, self.config.retry
        max_output_tokens = self.config.max_output_tokens

        async def send(*args: Any, **kwargs: Any) -> Any:
            estimate = _estimate_tokens(kwargs, max_output_tokens)

            async def attempt() -> Any:
                if limiter is not None:
                    await limiter.acquire(estimate)
                try:
                    return await sdk.chat.completions.create(*args, **kwargs)
                except openai.RateLimitError as exc:
                    pause = retries.pause_for(exc, policy)
                    if limiter is not None and pause is not None:
                        limiter.pause(pause)
                    raise

            response = await retries.acall(attempt, policy, stats)
            if limiter is not None:
                limiter.settle(estimate, llm.usage_of(response).total_tokens)
            return response

        await llm.arun(call.exchange, call.messages(), call.check, send)


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
    )
    return await summariser.asummarise(text, published=published)
