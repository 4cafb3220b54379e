"""summarise(): article text in, checked records out, through instructor and any OpenAI server.

One call runs like this:

1. The input is checked (:class:`InputError` for empty, binary or oversized text).
2. The versioned prompt is rendered with the article as a template variable, and instructor asks
   the model for an :class:`ArticleDraft` (tool call, ``json_schema`` or ``json_object`` mode).
3. Every answer passes through our ``create`` wrapper first: transient HTTP failures are retried
   there (:mod:`minerals_summ.transport`), refusals and truncated answers become typed errors, and
   the raw output and token usage of each model call are recorded.
4. The draft is validated and resolved against the article (:func:`minerals_summ.resolve.resolve`);
   its problems go back to the model as a re-ask, at most ``max_attempts`` model calls in all.
5. The records come back with their provenance, or the typed error with every attempt.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import hashlib
import json
import logging
import os
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, NoReturn, cast

import instructor
import openai
from instructor.core.exceptions import (
    IncompleteOutputException,
    InstructorRetryException,
    TokenBudgetError,
    TokenUsageUnavailableError,
)
from pydantic import ValidationError, create_model, model_validator

from minerals_summ import transport
from minerals_summ._instructor import skip_scan_for
from minerals_summ.exceptions import (
    Attempt,
    ConfigurationError,
    ExtractionError,
    InputError,
    MineralsSummError,
    ModelRefusal,
    OutputTruncated,
    Problem,
    RunError,
)
from minerals_summ.prompting import load_prompt
from minerals_summ.ratelimit import RateLimiter
from minerals_summ.resolve import DraftProblems, resolve
from minerals_summ.schema import ArticleDraft, ArticleSummary, Provenance, Usage, schema_version
from minerals_summ.transport import RetryPolicy, TransportStats
from minerals_summ.version import __version__

if TYPE_CHECKING:
    from minerals_summ.batch import Article, Outcome

__all__ = [
    "DEFAULT_MODEL",
    "Config",
    "Mode",
    "Summariser",
    "as_date",
    "asummarise",
    "check_article",
    "summarise",
]

log = logging.getLogger("minerals_summ")
log.addHandler(logging.NullHandler())

Mode = Literal["tools", "json_schema", "json"]
DEFAULT_MODEL = "gpt-4.1-mini"
# The check of the answer in hand (grounding against its article), for the call under way.
_CHECK: contextvars.ContextVar[Callable[[ArticleDraft], object] | None] = contextvars.ContextVar(
    "minerals_summ_check", default=None
)


def _check_answer(draft: ArticleDraft) -> ArticleDraft:
    check = _CHECK.get()
    if check is not None:
        check(draft)
    return draft


# What instructor validates the model's answers as: ArticleDraft, named and documented the same
# (so the same schema and tool name), plus the check of the call under way. The check comes
# through a context variable, not instructor's ``context=`` (given one, instructor renders the
# messages as templates, compiling them anew on every call). Only instructor validates this
# class, so a caller's own validation of ArticleDraft during a call is never checked by it.
_ANSWER = create_model(
    "ArticleDraft",
    __base__=ArticleDraft,
    __doc__=ArticleDraft.__doc__,
    __module__=ArticleDraft.__module__,
    __validators__={"_check_answer": cast(Any, model_validator(mode="after")(_check_answer))},
)
# Wrapped once: given a plain model, instructor builds a new wrapper class on every call and so
# regenerates its schema each time. The wrapper keeps the name the tool call is known by.
_RESPONSE_MODEL = instructor.response_schema(_ANSWER)
# instructor re-checks the model for async validators eight times a call: once is enough.
skip_scan_for(_RESPONSE_MODEL)

_MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
}


# --- configuration -------------------------------------------------------------------------


_DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True, kw_only=True)
class Config:
    """Everything that shapes a run. Frozen: build a new one with :func:`dataclasses.replace`."""

    model: str = DEFAULT_MODEL
    mode: Mode = "tools"
    max_attempts: int = 3
    retry: RetryPolicy = _DEFAULT_RETRY  # frozen: one default shared by every config
    timeout: float = 120.0
    max_chars: int = 200_000
    token_budget: int | None = None
    max_output_tokens: int | None = None
    temperature: float | None = None
    default_currency: str | None = None
    # mode="json" only: also send the draft schema inside response_format json_object, which
    # llama.cpp servers use to constrain decoding (OpenAI does not accept it).
    json_object_schema: bool = False

    def __post_init__(self) -> None:
        if self.mode not in _MODES:
            raise ConfigurationError(f"mode must be one of {', '.join(_MODES)}, not {self.mode!r}")
        if self.max_attempts < 1:
            raise ConfigurationError("max_attempts must be at least 1")
        if not self.model:
            raise ConfigurationError("no model: pass model= or set MINERALS_SUMM_MODEL")
        if self.max_chars < 1 or self.timeout <= 0:
            raise ConfigurationError("max_chars and timeout must be positive")
        if self.token_budget is not None and self.token_budget < 1:
            raise ConfigurationError("token_budget must be positive")
        if self.json_object_schema and self.mode != "json":
            raise ConfigurationError("json_object_schema needs mode='json'")

    @classmethod
    def from_env(cls, **options: Any) -> Config:
        """A config from keyword options, the model defaulting to ``MINERALS_SUMM_MODEL``."""
        options = {k: v for k, v in options.items() if v is not None}
        if "model" not in options:
            options["model"] = os.environ.get("MINERALS_SUMM_MODEL") or DEFAULT_MODEL
        try:
            return cls(**options)
        except TypeError as exc:
            raise ConfigurationError(str(exc)) from exc


def _env_endpoint() -> tuple[str | None, str | None]:
    """``OPENAI_API_KEY`` and ``OPENAI_BASE_URL``, or the error saying what to set."""
    key = os.environ.get("OPENAI_API_KEY")
    base_url = os.environ.get("OPENAI_BASE_URL")
    if not key and not base_url:
        raise ConfigurationError(
            "no OPENAI_API_KEY: set it, or OPENAI_BASE_URL for a local server, or pass client="
        )
    return key, base_url


def client_from_env(*, asynchronous: bool = False) -> openai.OpenAI | openai.AsyncOpenAI:
    """An SDK client from ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` (a local server needs no key)."""
    key, base_url = _env_endpoint()
    cls = openai.AsyncOpenAI if asynchronous else openai.OpenAI
    return cls(api_key=key or "not-needed", base_url=base_url)


# --- input ---------------------------------------------------------------------------------


# C0 control characters other than the white-space ones; many of them mean binary data. Counted
# in the UTF-8 bytes, where they are single bytes that no other character's encoding contains.
_CONTROL = bytes(range(0x00, 0x09)) + b"\x0b" + bytes(range(0x0E, 0x20))


def check_article(text: object, max_chars: int) -> str:
    """The article as a string, or :class:`InputError` saying what to do."""
    if isinstance(text, bytes | bytearray):
        raise InputError("the article is bytes; decode it first, e.g. data.decode('utf-8')")
    if not isinstance(text, str):
        raise InputError(f"the article must be a str, not {type(text).__name__}")
    if not text.strip():
        raise InputError("the article is empty; pass the article's text")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            "the article holds characters that are not valid Unicode (undecodable bytes?); "
            "decode it with the right encoding first"
        ) from exc
    controls = len(data) - len(data.translate(None, _CONTROL))
    if b"\x00" in data or controls > max(3, len(text) // 100):
        raise InputError("the article looks like binary data, not text; extract its text first")
    if len(text) > max_chars:
        raise InputError(
            f"the article has {len(text):,} characters, more than max_chars={max_chars:,}; "
            "split it into parts or raise max_chars"
        )
    return text


def as_date(published: dt.date | str | None) -> dt.date | None:
    if published is None or isinstance(published, dt.date):
        return published.date() if isinstance(published, dt.datetime) else published
    try:
        return dt.date.fromisoformat(published)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"published must be an ISO date like 2025-09-09, not {published!r}"
        ) from exc


# --- logging: retries we handle are not the caller's errors --------------------------------

_IN_CALL: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "minerals_summ_in_call", default=False
)


class _HandledByUs(logging.Filter):
    """Drops instructor's ERROR lines for failures this library handles and reports itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (_IN_CALL.get() and record.levelno >= logging.ERROR)


logging.getLogger("instructor.v2.retry").addFilter(_HandledByUs())


# The create function of the call under way. instructor wraps one dispatcher per mode, once,
# rather than a new closure on every call (patching took ~0.1 ms a call).
_CREATE: contextvars.ContextVar[Callable[..., Any]] = contextvars.ContextVar("minerals_summ_create")


def _create(*args: Any, **kwargs: Any) -> Any:
    return _CREATE.get()(*args, **kwargs)


async def _acreate(*args: Any, **kwargs: Any) -> Any:
    return await _CREATE.get()(*args, **kwargs)


@functools.cache
def _patched(mode: str, asynchronous: bool) -> Callable[..., Any]:
    """instructor's create for ``mode``, sending through the call under way's create."""
    return instructor.patch(create=_acreate if asynchronous else _create, mode=_MODES[mode])


@contextlib.contextmanager
def _in_call(check: Callable[[ArticleDraft], object], create: Callable[..., Any]) -> Iterator[None]:
    """This context (thread, or asyncio task) runs one call: instructor's requests go through
    ``create``, the answers it validates through ``check``, and its retry errors are not logged.
    """
    quiet, checked, sent = _IN_CALL.set(True), _CHECK.set(check), _CREATE.set(create)
    try:
        yield
    finally:
        _CREATE.reset(sent)
        _CHECK.reset(checked)
        _IN_CALL.reset(quiet)


# --- one call ------------------------------------------------------------------------------


def _raw_output(response: Any) -> str | None:
    message = response.choices[0].message if getattr(response, "choices", None) else None
    if message is None:
        return None
    calls = getattr(message, "tool_calls", None) or []
    if calls and getattr(calls[0], "function", None) is not None:
        return str(calls[0].function.arguments)
    return message.content if isinstance(message.content, str) else None


def _usage(response: Any) -> Usage:
    usage = getattr(response, "usage", None)
    if usage is None:
        return Usage()
    prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
    completion = int(getattr(usage, "completion_tokens", 0) or 0)
    total = int(getattr(usage, "total_tokens", 0) or 0) or prompt + completion
    return Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=total)


def _problems(exc: BaseException) -> tuple[Problem, ...]:
    """What was wrong with one answer, as the problems the model was told about."""
    if isinstance(exc, DraftProblems):
        return exc.problems
    if isinstance(exc, ValidationError):
        found: list[Problem] = []
        for error in exc.errors():
            cause = error.get("ctx", {}).get("error")
            if isinstance(cause, DraftProblems):
                found.extend(cause.problems)
                continue
            path = ".".join(str(part) for part in error["loc"])
            found.append(Problem(path, error["msg"], "schema"))
        return tuple(found)
    return (Problem("", f"{type(exc).__name__}: {exc}", "schema"),)


@dataclass
class _Call:
    """The state of one summarise call: what each model call returned, and the result."""

    config: Config
    article: str
    published: dt.date | None
    started: float = field(default_factory=time.perf_counter)
    stats: TransportStats = field(default_factory=TransportStats)
    outputs: list[str | None] = field(default_factory=list)
    usages: list[Usage] = field(default_factory=list)
    resolved: ArticleSummary | None = None

    @property
    def usage(self) -> Usage:
        if len(self.usages) == 1:
            return self.usages[0]
        return sum(self.usages, Usage())

    def check(self, draft: ArticleDraft) -> None:
        """Validation hook run by pydantic inside instructor; raises DraftProblems."""
        self.resolved = resolve(
            draft, self.article, self.published, default_currency=self.config.default_currency
        )

    def messages(self) -> list[dict[str, str]]:
        """The prompt, rendered with the article and the publication date as variables."""
        published = self.published.isoformat() if self.published else None
        return load_prompt().render(article=self.article, published=published)

    def request(self) -> dict[str, Any]:
        config = self.config
        kwargs: dict[str, Any] = {
            "response_model": _RESPONSE_MODEL,
            "messages": self.messages(),
            "max_retries": config.max_attempts - 1,  # instructor makes N + 1 calls
            "strict": False,
            "model": config.model,
        }
        if config.token_budget is not None:
            kwargs["token_budget"] = config.token_budget
        if config.max_output_tokens is not None:
            kwargs["max_tokens"] = config.max_output_tokens
        if config.temperature is not None:
            kwargs["temperature"] = config.temperature
        return kwargs

    def adapt(self, request: dict[str, Any]) -> dict[str, Any]:
        """The request as sent: with the schema in response_format when configured."""
        if self.config.json_object_schema:
            schema = ArticleDraft.model_json_schema()
            request = {**request, "response_format": {"type": "json_object", "schema": schema}}
        return request

    def seen(self, response: Any) -> Any:
        """Record a model answer; refusals and cut-off answers stop the run here."""
        self.outputs.append(_raw_output(response))
        self.usages.append(_usage(response))
        choice = response.choices[0] if getattr(response, "choices", None) else None
        refusal = getattr(choice.message, "refusal", None) if choice is not None else None
        if refusal:
            raise ModelRefusal(str(refusal), usage=self.usage)
        if choice is not None and choice.finish_reason == "length":
            raise OutputTruncated(
                "the answer was cut off at the output token limit "
                f"after {self.usages[-1].completion_tokens} tokens; raise max_output_tokens",
                raw_output=self.outputs[-1],
                usage=self.usage,
            )
        return response

    def failure(self, exc: InstructorRetryException) -> MineralsSummError:
        """The typed error for an instructor failure."""
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, RunError):
                cause.usage = self.usage
                return cause
            if isinstance(cause, MineralsSummError):
                return cause
            if isinstance(cause, IncompleteOutputException):
                return OutputTruncated(
                    "the answer was cut off at the output token limit",
                    raw_output=self.outputs[-1] if self.outputs else None,
                    usage=self.usage,
                )
            cause = cause.__cause__
        if not exc.failed_attempts:  # not a validation failure: something broke on the way
            cause = exc.__cause__ or exc
            return RunError(f"the call failed before any answer: {type(cause).__name__}: {cause}")
        failed = {f.attempt_number: f.exception for f in exc.failed_attempts}
        attempts = [
            Attempt(
                number=n,
                raw_output=output,
                problems=_problems(failed[n]) if n in failed else (),
                usage=usage,
            )
            for n, (output, usage) in enumerate(zip(self.outputs, self.usages, strict=True), 1)
        ]
        last = attempts[-1].errors if attempts else ()
        detail = "; ".join(last[:3]) + (f" (and {len(last) - 3} more)" if len(last) > 3 else "")
        budget = ""
        if isinstance(exc, TokenUsageUnavailableError):
            budget = " (the server reports no token usage, so the token budget cannot be kept)"
        elif isinstance(exc, TokenBudgetError):
            budget = f" (token budget of {self.config.token_budget:,} spent)"
        return ExtractionError(
            f"no valid answer after {len(attempts)} model call(s){budget}: {detail or exc}",
            attempts=attempts,
            usage=self.usage,
        )

    def fail(self, exc: InstructorRetryException) -> NoReturn:
        """Raise the typed error for ``exc``, keeping the SDK's exception as its cause."""
        error = self.failure(exc)
        log.warning("summarise failed: %s", error)
        if error.__cause__ is not None:
            raise error
        raise error from exc

    def summary(self) -> ArticleSummary:
        assert self.resolved is not None  # set by check() when validation passed
        provenance = Provenance(
            model=self.config.model,
            mode=self.config.mode,
            prompt_version=load_prompt().version,
            schema_version=schema_version(),
            library_version=__version__,
            attempts=len(self.outputs),
            transport_retries=self.stats.retries,
            usage=self.usage,
            article_sha256=hashlib.sha256(self.article.encode("utf-8")).hexdigest(),
            wall_time_s=round(time.perf_counter() - self.started, 4),
        )
        result = self.resolved.model_copy(update={"provenance": provenance})
        result._draft = self.resolved.draft
        result._article = self.article
        return result


# The SDK client derived from each caller's client, so that module-level summarise() calls
# with one client share one (deriving it takes ~0.1 ms). Keyed weakly: the caller's client
# going away drops it. It is made anew when the timeout or anything the caller's client holds
# has changed since (a new base URL, key, header, query parameter, HTTP client ...).
_AnyClient = openai.OpenAI | openai.AsyncOpenAI
_Settings = list[tuple[str, object]]
_DERIVED: weakref.WeakKeyDictionary[_AnyClient, tuple[float, _Settings, _AnyClient]] = (
    weakref.WeakKeyDictionary()
)


def _settings(client: _AnyClient) -> _Settings:
    """The client's own attributes (what ``with_options`` copies), its mappings copied too."""
    return [(k, dict(v) if isinstance(v, dict) else v) for k, v in vars(client).items()]


def _same_settings(before: _Settings, client: _AnyClient) -> bool:
    """Nothing replaced (compared by identity) and no mapping changed (compared by content)."""
    now = vars(client)
    if len(before) != len(now):
        return False
    for (k1, v1), (k2, v2) in zip(before, now.items(), strict=True):
        if k1 != k2 or (v1 != v2 if isinstance(v1, dict) else v1 is not v2):
            return False
    return True


def _with_our_options(client: _AnyClient, timeout: float) -> _AnyClient:
    """``client.with_options(max_retries=0, timeout=timeout)``, reused while nothing changed."""
    held = _DERIVED.get(client)
    if held is not None and held[0] == timeout and _same_settings(held[1], client):
        return held[2]
    derived = client.with_options(max_retries=0, timeout=timeout)
    _DERIVED[client] = (timeout, _settings(client), derived)
    return derived


# --- the public API ------------------------------------------------------------------------


class Summariser:
    """A frozen configuration and a client, reused across calls.

    ``client`` is an ``openai.OpenAI`` or ``openai.AsyncOpenAI`` the caller built (any
    ``base_url``); without one, each kind is built from the environment when first needed.
    The SDK's own retries are turned off: transport retries are this library's.
    """

    def __init__(
        self,
        *,
        client: openai.OpenAI | openai.AsyncOpenAI | None = None,
        config: Config | None = None,
        **options: Any,
    ) -> None:
        options = {k: v for k, v in options.items() if v is not None}
        try:
            if config is not None and options:
                config = replace(config, **options)
        except TypeError as exc:  # an unknown option
            raise ConfigurationError(str(exc)) from exc
        self.config = config or Config.from_env(**options)
        self._client = client
        self._with_options: openai.OpenAI | openai.AsyncOpenAI | None = None
        # Builds the async client when first needed (a batch's twin of a sync client): building
        # one costs ~50 ms (its TLS context), which a batch served from the cache never needs.
        self._make_async_client: Callable[[], openai.AsyncOpenAI] | None = None

    def _sync_client(self) -> openai.OpenAI:
        if self._client is None:
            self._client = client_from_env()
        if not isinstance(self._client, openai.OpenAI):
            raise ConfigurationError("summarise() needs an openai.OpenAI client; use asummarise()")
        return cast(openai.OpenAI, self._configured())

    def _async_client(self) -> openai.AsyncOpenAI:
        self._check_async_client()
        if self._client is None:
            make = self._make_async_client
            self._client = make() if make is not None else client_from_env(asynchronous=True)
        return cast(openai.AsyncOpenAI, self._configured())

    def _check_async_client(self) -> None:
        """Fail now on the wrong kind of client or no key, without building a client."""
        if self._client is None:
            if self._make_async_client is None:
                _env_endpoint()
        elif not isinstance(self._client, openai.AsyncOpenAI):
            raise ConfigurationError("asummarise() needs an openai.AsyncOpenAI client")

    def _configured(self) -> openai.OpenAI | openai.AsyncOpenAI:
        """The caller's client with the SDK's retries off and our timeout, made once."""
        if self._with_options is None:
            assert self._client is not None
            self._with_options = _with_our_options(self._client, self.config.timeout)
        return self._with_options

    def _start(self, text: object, published: dt.date | str | None) -> _Call:
        article = check_article(text, self.config.max_chars)
        return _Call(config=self.config, article=article, published=as_date(published))

    def summarise(self, text: str, *, published: dt.date | str | None = None) -> ArticleSummary:
        """Summarise one article; raises a :class:`MineralsSummError` subclass on failure."""
        call = self._start(text, published)
        client = self._sync_client()

        def create(*args: Any, **kwargs: Any) -> Any:
            kwargs = call.adapt(kwargs)
            response = transport.call(
                lambda: client.chat.completions.create(*args, **kwargs),
                self.config.retry,
                call.stats,
            )
            return call.seen(response)

        try:
            with _in_call(call.check, create):
                _patched(self.config.mode, False)(**call.request())
        except InstructorRetryException as exc:
            call.fail(exc)
        return call.summary()

    async def asummarise(
        self, text: str, *, published: dt.date | str | None = None
    ) -> ArticleSummary:
        """Async :meth:`summarise`, with an ``openai.AsyncOpenAI`` client."""
        return await self._asummarise(text, published, limiter=None)

    def summarise_many(self, articles: Iterable[Article | str], **options: Any) -> list[Outcome]:
        """Many articles, outcomes in input order; see :func:`minerals_summ.summarise_many`."""
        from minerals_summ import batch

        return batch.summarise_many(articles, summariser=self, **options)

    def asummarise_many(
        self, articles: Iterable[Article | str], **options: Any
    ) -> AsyncIterator[Outcome]:
        """Many articles, outcomes as they complete; see :func:`minerals_summ.asummarise_many`."""
        from minerals_summ import batch

        return batch.asummarise_many(articles, summariser=self, **options)

    async def _asummarise(
        self, text: str, published: dt.date | str | None, *, limiter: RateLimiter | None
    ) -> ArticleSummary:
        """One article; every HTTP request (re-asks, retries) passes through ``limiter``."""
        call = self._start(text, published)
        client = self._async_client()

        async def create(*args: Any, **kwargs: Any) -> Any:
            kwargs = call.adapt(kwargs)
            estimate = _estimate_tokens(kwargs, self.config.max_output_tokens)

            async def send() -> Any:
                if limiter is not None:
                    await limiter.acquire(estimate)
                try:
                    return await client.chat.completions.create(*args, **kwargs)
                except openai.RateLimitError as exc:
                    pause = transport.pause_for(exc, self.config.retry)
                    if limiter is not None and pause is not None:
                        limiter.pause(pause)
                    raise

            response = await transport.acall(send, self.config.retry, call.stats)
            if limiter is not None:
                limiter.settle(estimate, _usage(response).total_tokens)
            return call.seen(response)

        try:
            with _in_call(call.check, create):
                await _patched(self.config.mode, True)(**call.request())
        except InstructorRetryException as exc:
            call.fail(exc)
        return call.summary()


def _estimate_tokens(request: dict[str, Any], max_output_tokens: int | None) -> int:
    """A pre-call guess of a request's tokens (about four characters a token)."""
    chars = len(json.dumps(request.get("messages", []), ensure_ascii=False))
    chars += len(json.dumps(request.get("tools", []))) + len(
        json.dumps(request.get("response_format", {}))
    )
    return chars // 4 + (max_output_tokens or 1000)


def summarise(
    text: str,
    *,
    published: dt.date | str | None = None,
    client: openai.OpenAI | None = None,
    model: str | None = None,
    mode: Mode | None = None,
    max_attempts: int | None = None,
    **options: Any,
) -> ArticleSummary:
    """Summarise one article into checked records. See :class:`Config` for ``options``.

    ``mode`` defaults to "tools" and ``max_attempts`` to 3, unless a ``config=`` says otherwise.
    """
    summariser = Summariser(
        client=client, model=model, mode=mode, max_attempts=max_attempts, **options
    )
    return summariser.summarise(text, published=published)


async def asummarise(
    text: str,
    *,
    published: dt.date | str | None = None,
    client: openai.AsyncOpenAI | None = None,
    model: str | None = None,
    mode: Mode | None = None,
    max_attempts: int | None = None,
    **options: Any,
) -> ArticleSummary:
    """Async :func:`summarise`, with an ``openai.AsyncOpenAI`` client."""
    summariser = Summariser(
        client=client, model=model, mode=mode, max_attempts=max_attempts, **options
    )
    return await summariser.asummarise(text, published=published)
