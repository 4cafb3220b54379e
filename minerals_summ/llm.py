"""The model adapter: everything that knows instructor and the shapes of openai's responses.

One summarise call runs through :func:`run` (or :func:`arun`) like this:

1. instructor builds the request for the mode (tool call, ``json_schema`` or ``json_object``)
   from :data:`RESPONSE_MODEL` and the rendered prompt, and calls our ``create``.
2. ``create`` sends the request through the caller's ``send`` (the SDK call with transport
   retries, :mod:`minerals_summ.retries`) and records the answer in the :class:`Exchange`:
   refusals and cut-off answers stop the run there, as typed errors.
3. instructor validates the answer as :data:`RESPONSE_MODEL`, whose validator runs the call's
   check (resolving the draft against its article, :func:`minerals_summ.resolve.resolve`); a
   failed check goes back to the model as a re-ask, at most ``max_attempts`` calls in all.
4. A failure comes out as a typed :class:`~minerals_summ.exceptions.MineralsSummError` that keeps
   every attempt's raw output and problems.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NoReturn, cast

import instructor
from instructor.core.exceptions import (
    IncompleteOutputException,
    InstructorRetryException,
    TokenBudgetError,
    TokenUsageUnavailableError,
)
from pydantic import ValidationError, create_model, model_validator

from minerals_summ.config import Config
from minerals_summ.exceptions import (
    Attempt,
    DraftProblems,
    ExtractionError,
    MineralsSummError,
    ModelRefusal,
    OutputTruncated,
    Problem,
    RunError,
)
from minerals_summ.prompting import compact_schema
from minerals_summ.records import Usage
from minerals_summ.retries import TransportStats
from minerals_summ.schema import ArticleDraft

__all__ = ["RESPONSE_MODEL", "Exchange", "arun", "raw_output", "run", "usage_of"]

log = logging.getLogger("minerals_summ")

_MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
}

# The check of the call under way (resolving the answer against its article). It reaches the
# validator through a context variable because instructor's own ``context=`` would make it
# render the messages, article included, as Jinja templates.
_CHECK: contextvars.ContextVar[Callable[[ArticleDraft], object] | None] = contextvars.ContextVar(
    "minerals_summ_check", default=None
)
# Set while one of our calls runs: instructor's ERROR log lines for failures we report
# ourselves (as typed errors) are dropped then, and only then.
_IN_CALL: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "minerals_summ_in_call", default=False
)


def _check_answer(draft: ArticleDraft) -> ArticleDraft:
    check = _CHECK.get()
    if check is not None:
        check(draft)
    return draft


# What instructor validates the model's answers as: ArticleDraft, named and documented the same
# (so the same schema and tool name), plus the check of the call under way. Only instructor
# validates this class, so a caller's own validation of ArticleDraft is never checked by it.
_ANSWER = create_model(
    "ArticleDraft",
    __base__=ArticleDraft,
    __doc__=ArticleDraft.__doc__,
    __module__=ArticleDraft.__module__,
    __validators__={"_check_answer": cast(Any, model_validator(mode="after")(_check_answer))},
)
# Wrapped once: given a plain model, instructor builds a new wrapper class, and so a new schema,
# on every call. The wrapper keeps the name the tool call is known by.
RESPONSE_MODEL = instructor.response_schema(_ANSWER)


class _HandledByUs(logging.Filter):
    """Drops instructor's ERROR lines for failures this library handles and reports itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (_IN_CALL.get() and record.levelno >= logging.ERROR)


_FILTER = _HandledByUs()


def _quiet_instructor() -> None:
    """Install the filter on instructor's retry logger, once, when a call first runs."""
    logger = logging.getLogger("instructor.v2.retry")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)


@contextlib.contextmanager
def _in_call(check: Callable[[ArticleDraft], object]) -> Iterator[None]:
    """This context (thread, or asyncio task) runs one call: instructor validates its answers
    with ``check``, and instructor's error lines for its failures are not logged."""
    _quiet_instructor()
    quiet, checked = _IN_CALL.set(True), _CHECK.set(check)
    try:
        yield
    finally:
        _CHECK.reset(checked)
        _IN_CALL.reset(quiet)


def raw_output(response: Any) -> str | None:
    """The text of an answer: the first tool call's arguments, or the message content."""
    message = response.choices[0].message if getattr(response, "choices", None) else None
    if message is None:
        return None
    calls = getattr(message, "tool_calls", None) or []
    if calls and getattr(calls[0], "function", None) is not None:
        return str(calls[0].function.arguments)
    return message.content if isinstance(message.content, str) else None


def usage_of(response: Any) -> Usage:
    """The token usage a response reports (zeros when it reports none).

    Prompt tokens served from the provider's cache are read where each server reports them:
    ``usage.prompt_tokens_details.cached_tokens`` (OpenAI, vLLM, llama.cpp's server),
    ``usage.prompt_cache_hit_tokens`` (DeepSeek), ``timings.cache_n`` (older llama.cpp).
    """
    usage = getattr(response, "usage", None)
    if usage is None:
        return Usage()
    prompt = int(getattr(usage, "prompt_tokens", 0) or 0)
    completion = int(getattr(usage, "completion_tokens", 0) or 0)
    total = int(getattr(usage, "total_tokens", 0) or 0) or prompt + completion
    details = getattr(usage, "prompt_tokens_details", None)
    if isinstance(details, dict):
        cached = details.get("cached_tokens")
    else:
        cached = getattr(details, "cached_tokens", None)
    if cached is None:
        cached = getattr(usage, "prompt_cache_hit_tokens", None)
    timings = getattr(response, "timings", None)
    if cached is None and isinstance(timings, dict):
        cached = timings.get("cache_n")
    if not isinstance(cached, int) or isinstance(cached, bool) or cached < 0:
        cached = 0
    return Usage(
        prompt_tokens=prompt,
        cached_tokens=min(cached, prompt),
        completion_tokens=completion,
        total_tokens=total,
    )


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
class Exchange:
    """The model traffic of one summarise call: what each model call returned, and its cost."""

    config: Config
    stats: TransportStats = field(default_factory=TransportStats)
    outputs: list[str | None] = field(default_factory=list)
    usages: list[Usage] = field(default_factory=list)

    @property
    def usage(self) -> Usage:
        return sum(self.usages, Usage())

    def request(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        """instructor's keyword arguments for the call."""
        config = self.config
        kwargs: dict[str, Any] = {
            "response_model": RESPONSE_MODEL,
            "messages": messages,
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
        """The request as sent: the schema in the system message compact (json mode), and in
        response_format when configured."""
        if self.config.mode == "json":
            request = {**request, "messages": compact_schema(request["messages"])}
        if self.config.json_object_schema:
            schema = ArticleDraft.model_json_schema()
            request = {**request, "response_format": {"type": "json_object", "schema": schema}}
        return request

    def seen(self, response: Any) -> Any:
        """Record a model answer; refusals and cut-off answers stop the run here."""
        self.outputs.append(raw_output(response))
        self.usages.append(usage_of(response))
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


def run(
    exchange: Exchange,
    messages: list[dict[str, str]],
    check: Callable[[ArticleDraft], object],
    send: Callable[..., Any],
) -> None:
    """Ask the model, re-asking until ``check`` passes or the attempts run out.

    ``send(**request)`` makes one HTTP request (the SDK call, with transport retries).
    Raises the typed error when no answer passes.
    """

    def create(*args: Any, **kwargs: Any) -> Any:
        return exchange.seen(send(*args, **exchange.adapt(kwargs)))

    patched = instructor.patch(create=create, mode=_MODES[exchange.config.mode])
    try:
        with _in_call(check):
            patched(**exchange.request(messages))
    except InstructorRetryException as exc:
        exchange.fail(exc)


async def arun(
    exchange: Exchange,
    messages: list[dict[str, str]],
    check: Callable[[ArticleDraft], object],
    send: Callable[..., Awaitable[Any]],
) -> None:
    """Async :func:`run`."""

    async def create(*args: Any, **kwargs: Any) -> Any:
        return exchange.seen(await send(*args, **exchange.adapt(kwargs)))

    patched = instructor.patch(create=create, mode=_MODES[exchange.config.mode])
    try:
        with _in_call(check):
            await patched(**exchange.request(messages))
    except InstructorRetryException as exc:
        exchange.fail(exc)
