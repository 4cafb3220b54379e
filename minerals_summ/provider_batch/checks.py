"""Answers from a batch, checked exactly as a live call checks them: by running the live path.

The live path (:func:`minerals_summ.llm.run`: instructor builds the request, our adapter sends
it, instructor validates the answer with the call's check and builds the re-ask) runs here with
a ``send`` that answers from the responses a batch returned, in order. When they run out, the
next request the live path would send is captured instead (through the openai SDK, so the body
is byte for byte the one a live call sends): the first request of an article (nothing answered
yet) or the re-ask after an invalid answer, carrying the previous answer and the problems as
instructor formats them. With ``live``, the remaining calls go to the model instead.

The answers pass through the same adapter (:class:`minerals_summ.llm.Exchange`) as a live call's,
so they meet the same checks; :func:`minerals_summ.llm.check_response` does the same for one
answer without the re-ask.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx2
import openai
from openai.types.chat import ChatCompletion

from minerals_summ import llm, retries
from minerals_summ.articles import check_article, check_published
from minerals_summ.config import Config
from minerals_summ.exceptions import MineralsSummError
from minerals_summ.prompting import load_prompt
from minerals_summ.records import Provenance, Usage
from minerals_summ.resolve import resolve
from minerals_summ.schema import ArticleDraft, schema_version
from minerals_summ.summary import ArticleSummary
from minerals_summ.version import __version__

__all__ = ["Checked", "check_answers", "response_from"]


class _Captured(BaseException):
    """Carries the body of the request the live path would send next.

    A BaseException, as KeyboardInterrupt is: instructor and tenacity catch, wrap, log and retry
    every Exception raised by the create call, and let a BaseException through untouched.
    """

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__("captured")
        self.body = body


def _capture(request: httpx2.Request) -> httpx2.Response:
    raise _Captured(json.loads(request.content))


@functools.cache
def _capturing_client() -> openai.OpenAI:
    """An SDK client whose transport keeps the request instead of sending it."""
    http = httpx2.Client(transport=httpx2.MockTransport(_capture))
    return openai.OpenAI(
        api_key="not-sent", base_url="http://batch.invalid/v1", http_client=http, max_retries=0
    )


def response_from(body: dict[str, Any]) -> ChatCompletion:
    """A chat completion from a batch result's body, built as the SDK builds a live response."""
    return ChatCompletion.construct(**body)


@dataclass(frozen=True)
class Checked:
    """Where an article stands after its answers so far: exactly one of ``summary`` (an
    answer passed), ``request`` (the body of the next request: the first, or a re-ask) and
    ``error`` (the typed error that ends it: every attempt failed, a refusal, a cut-off)."""

    summary: ArticleSummary | None
    request: dict[str, Any] | None
    error: MineralsSummError | None
    usage: Usage  # over every answer, live ones included
    live_usage: Usage  # the part spent by live calls


def check_answers(
    config: Config,
    text: str,
    published: dt.date | str | None,
    responses: Sequence[dict[str, Any]],
    *,
    batch_id: str | None = None,
    live: openai.OpenAI | None = None,
    started: float | None = None,
) -> Checked:
    """Run the live path over ``responses`` (chat-completion bodies, oldest first).

    With a ``live`` client, the calls past the last response go to the model, as a live call
    makes them (transport retries, timeout). ``batch_id`` goes into the provenance of a summary
    whose final answer came from a batch; ``started`` (a ``time.time()``) dates its wall time.
    """
    article = check_article(text, config.max_chars)
    date = check_published(published)
    exchange = llm.Exchange(config, output_cap=config.output_cap(article))
    given = [response_from(body) for body in responses]
    live_calls: list[int] = []
    sdk = live.with_options(max_retries=0, timeout=config.timeout) if live is not None else None
    resolved: list[ArticleSummary] = []

    def check(draft: ArticleDraft) -> None:
        resolved[:] = [resolve(draft, article, date, default_currency=config.default_currency)]

    def send(*args: Any, **request: Any) -> Any:
        calls = len(exchange.outputs)
        if calls < len(given):
            return given[calls]
        if sdk is not None:
            live_calls.append(calls)
            create = sdk.chat.completions.create
            return retries.call(lambda: create(*args, **request), config.retry, exchange.stats)
        return _capturing_client().chat.completions.create(*args, **request)

    messages = load_prompt().render(article=article, published=date.isoformat() if date else None)
    request: dict[str, Any] | None = None
    error: MineralsSummError | None = None
    try:
        llm.run(exchange, messages, check, send)
    except _Captured as captured:
        request = captured.body
    except MineralsSummError as exc:
        error = exc
    live_usage = sum((exchange.usages[n] for n in live_calls if n < len(exchange.usages)), Usage())
    summary = None
    if request is None and error is None:
        final_from_batch = not live_calls or live_calls[-1] < len(given)
        summary = _with_provenance(
            resolved[0],
            config,
            article,
            exchange,
            batch_id=batch_id if final_from_batch else None,
            started=started,
        )
    return Checked(summary, request, error, exchange.usage, live_usage)


def _with_provenance(
    resolved: ArticleSummary,
    config: Config,
    article: str,
    exchange: llm.Exchange,
    *,
    batch_id: str | None,
    started: float | None,
) -> ArticleSummary:
    """The summary with its provenance, as a live call gives it, and the batch that answered."""
    provenance = Provenance(
        model=config.model,
        mode=config.mode,
        prompt_version=load_prompt().version,
        schema_version=schema_version(),
        library_version=__version__,
        attempts=len(exchange.outputs),
        transport_retries=exchange.stats.retries,
        usage=exchange.usage,
        article_sha256=hashlib.sha256(article.encode("utf-8")).hexdigest(),
        wall_time_s=round(time.time() - started, 4) if started is not None else 0.0,
        batch_id=batch_id,
    )
    result = resolved.model_copy(update={"provenance": provenance})
    result._draft = resolved.draft
    result._article = article
    return result
