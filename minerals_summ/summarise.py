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
import threading
import time
import weakref
from typing import Any

import openai

from minerals_summ import llm, retries, send
from minerals_summ.articles import check_article
from minerals_summ.config import Config, Mode, async_client_for, client_from_env, endpoint_of
from minerals_summ.exceptions import ConfigurationError, InputError, Problem
from minerals_summ.normalise import published_date
from minerals_summ.prompting import load_prompt
from minerals_summ.ratelimit import RateLimiter
from minerals_summ.records import Provenance
from minerals_summ.resolve import resolve
from minerals_summ.retries import RetryPolicy
from minerals_summ.schema import ArticleDraft, schema_version
from minerals_summ.summary import ArticleSummary
from minerals_summ.version import __version__

__all__ = ["ArticleCall", "Summariser", "asummarise", "check_published", "summarise"]

EARLIEST_PUBLISHED = dt.date(1900, 1, 1)


def check_published(published: dt.date | str | None) -> dt.date | None:
    """The publication date, or :class:`InputError` when it is not one an article can have:
    not a date, before :data:`EARLIEST_PUBLISHED`, or more than a year from today."""
    date = published_date(published)
    latest = dt.date.today() + dt.timedelta(days=366)
    if date is not None and not EARLIEST_PUBLISHED <= date <= latest:
        raise InputError(
            f"published {date.isoformat()} is not a possible publication date (from "
            f"{EARLIEST_PUBLISHED.isoformat()} to a year from today); give the article's own date"
        )
    return date


class ArticleCall:
    """One article's call: its text, its date, the model traffic, and the records once valid.

    Made before any request (the text and date are checked then). :meth:`answer` runs an answer
    obtained elsewhere (a Batch API results file) through the checks of a live call.
    """

    def __init__(
        self,
        config: Config,
        text: object,
        published: dt.date | str | None,
        *,
        endpoint: str | None = None,
        output_field: str = "max_tokens",
    ) -> None:
        self.config = config
        self.article = check_article(text, config.max_chars)
        self.published = check_published(published)
        self.endpoint = endpoint
        self.exchange = llm.Exchange(
            config, output_cap=config.output_cap(self.article), output_field=output_field
        )
        self.resolved: ArticleSummary | None = None
        self.started = time.perf_counter()

    def messages(self) -> list[dict[str, str]]:
        published = self.published.isoformat() if self.published else None
        return load_prompt().render(article=self.article, published=published)

    def check(self, draft: ArticleDraft) -> None:
        """Resolve an answer against the article; its problems go back to the model."""
        self.resolved = resolve(
            draft, self.article, self.published, default_currency=self.config.default_currency
        )

    def answer(self, response: Any) -> ArticleSummary | tuple[Problem, ...]:
        """One chat completion (a dict, bytes or SDK object) checked as a live answer is
        (:func:`minerals_summ.llm.check_response`): the summary, or the problems found."""
        problems = llm.check_response(self.exchange, response, self.check)
        return problems or self.summary()

    def summary(self) -> ArticleSummary:
        assert self.resolved is not None  # set by check() when an answer passed
        exchange = self.exchange
        proposed, rejected, dropped = exchange.tally(exchange.drafts.get(len(exchange.outputs)))
        provenance = Provenance(
            model=self.config.model,
            served_model=exchange.served_model,
            endpoint=self.endpoint,
            mode=self.config.mode,
            prompt_version=load_prompt().version,
            schema_version=schema_version(),
            library_version=__version__,
            attempts=len(exchange.outputs),
            transport_retries=exchange.stats.retries,
            requests=exchange.stats.requests,
            abandoned_requests=exchange.stats.abandoned,
            usage=exchange.usage,
            records_proposed=proposed,
            records_rejected=rejected,
            dropped_records=dropped,
            article_sha256=hashlib.sha256(self.article.encode("utf-8")).hexdigest(),
            wall_time_s=round(time.perf_counter() - self.started, 4),
        )
        result = self.resolved.model_copy(update={"provenance": provenance})
        result._draft = self.resolved.draft
        result._article = self.article
        return result


def _estimate_tokens(request: dict[str, Any], max_output_tokens: int) -> int:
    """A pre-call guess of a request's tokens (about four characters a token), counting the
    output cap as OpenAI's own limiter does."""
    sent = {key: request.get(key) for key in ("messages", "tools", "response_format")}
    return len(json.dumps(sent, ensure_ascii=False)) // 4 + max_output_tokens


def _renamed(exc: Exception, call: ArticleCall, request: dict[str, Any]) -> bool:
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

    def _call(self, text: object, published: dt.date | str | None) -> ArticleCall:
        return ArticleCall(
            self.config,
            text,
            published,
            endpoint=self.endpoint,
            output_field=self._output_field,
        )

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

    def summarise(self, text: str, *, published: dt.date | str | None = None) -> ArticleSummary:
        """Summarise one article; raises a :class:`MineralsSummError` subclass on failure."""
        call = self._call(text, published)
        client = self._sync_client()
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
        return call.summary()

    async def asummarise(
        self,
        text: str,
        *,
        published: dt.date | str | None = None,
        client: openai.AsyncOpenAI | None = None,
        limiter: RateLimiter | None = None,
    ) -> ArticleSummary:
        """Async :meth:`summarise`.

        ``client`` overrides the summariser's own for this call (a batch passes the client of its
        event loop); every HTTP request (re-asks and retries included) waits for ``limiter``.
        """
        call = self._call(text, published)
        sdk = client.with_options(max_retries=0) if client is not None else self._async_client()
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
        return call.summary()


def summarise(
    text: str,
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
        token_budget=token_budget,
        max_output_tokens=max_output_tokens,
        temperature=temperature,
        default_currency=default_currency,
        json_object_schema=json_object_schema,
        max_records=max_records,
    )
    return summariser.summarise(text, published=published)


async def asummarise(
    text: str,
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
        token_budget=token_budget,
        max_output_tokens=max_output_tokens,
        temperature=temperature,
        default_currency=default_currency,
        json_object_schema=json_object_schema,
        max_records=max_records,
    )
    return await summariser.asummarise(text, published=published)
