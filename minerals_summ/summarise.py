"""The pipeline: article text in, checked records out. :func:`summarise`, :class:`Summariser`.

One call checks the article (:func:`minerals_summ.articles.check_article`), renders the versioned
prompt (:mod:`minerals_summ.prompting`), asks the model through the adapter
(:mod:`minerals_summ.llm`), which re-asks until the draft resolves against the article
(:func:`minerals_summ.resolve.resolve`), and returns the records with their provenance.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from typing import Any

import openai

from minerals_summ import llm, retries
from minerals_summ.articles import check_article
from minerals_summ.config import Config, Mode, client_from_env
from minerals_summ.exceptions import ConfigurationError
from minerals_summ.normalise import published_date
from minerals_summ.prompting import load_prompt
from minerals_summ.ratelimit import RateLimiter
from minerals_summ.records import Provenance
from minerals_summ.resolve import resolve
from minerals_summ.retries import RetryPolicy
from minerals_summ.schema import ArticleDraft, schema_version
from minerals_summ.summary import ArticleSummary
from minerals_summ.version import __version__

__all__ = ["Summariser", "asummarise", "summarise"]


class _Call:
    """One article's call: its text, its date, the model traffic, and the records once valid."""

    def __init__(self, config: Config, text: object, published: dt.date | str | None) -> None:
        self.config = config
        self.article = check_article(text, config.max_chars)
        self.published = published_date(published)
        self.exchange = llm.Exchange(config)
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

    def summary(self) -> ArticleSummary:
        assert self.resolved is not None  # set by check() when an answer passed
        exchange = self.exchange
        provenance = Provenance(
            model=self.config.model,
            mode=self.config.mode,
            prompt_version=load_prompt().version,
            schema_version=schema_version(),
            library_version=__version__,
            attempts=len(exchange.outputs),
            transport_retries=exchange.stats.retries,
            usage=exchange.usage,
            article_sha256=hashlib.sha256(self.article.encode("utf-8")).hexdigest(),
            wall_time_s=round(time.perf_counter() - self.started, 4),
        )
        result = self.resolved.model_copy(update={"provenance": provenance})
        result._draft = self.resolved.draft
        result._article = self.article
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

    def summarise(self, text: str, *, published: dt.date | str | None = None) -> ArticleSummary:
        """Summarise one article; raises a :class:`MineralsSummError` subclass on failure."""
        call = _Call(self.config, text, published)
        client = self._sync_client()
        stats, policy = call.exchange.stats, self.config.retry

        def send(*args: Any, **kwargs: Any) -> Any:
            return retries.call(
                lambda: client.chat.completions.create(*args, **kwargs), policy, stats
            )

        llm.run(call.exchange, call.messages(), call.check, send)
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
        call = _Call(self.config, text, published)
        sdk = self._with_our_options(client) if client is not None else self._async_client()
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
    )
    return await summariser.asummarise(text, published=published)
