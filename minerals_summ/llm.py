"""The model adapter: everything that knows instructor and the shapes of openai's responses.

One summarise call runs through :func:`run` (or :func:`arun`) like this:

1. instructor builds the request for the mode (tool call, ``json_schema`` or ``json_object``)
   from :data:`RESPONSE_MODEL` and the rendered prompt, and calls our ``create``.
2. ``create`` puts this library's re-ask text in place of instructor's
   (:func:`minerals_summ.reask.rewrite_reask`), sends the request through the caller's ``send``
   (one HTTP request under one deadline, with transport retries) and reads the answer in the
   :class:`Exchange` (:meth:`Exchange.seen`): refusals and cut-off answers stop the run there,
   as typed errors; control characters in JSON strings are let through; the envelope (one
   call of ``ArticleDraft``) is checked.
3. instructor validates the answer as :data:`RESPONSE_MODEL`, whose validator merges identical
   records, bounds their number (``Config.max_records``) and runs the call's check (resolving
   the draft against its article); a failed answer is recorded as an
   :class:`~minerals_summ.exceptions.Attempt` (through instructor's ``parse:error`` hook) and
   goes back to the model as a re-ask, at most ``max_attempts`` calls in all.
4. A failure comes out as a typed :class:`~minerals_summ.exceptions.MineralsSummError` that keeps
   every rejected attempt's raw output and problems, whichever error ended the run.

:func:`check_response` runs one answer obtained elsewhere (a Batch API results file) through
exactly the same reading and checks, without instructor's loop.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar, cast

import instructor
from instructor.core.exceptions import (
    IncompleteOutputException,
    InstructorRetryException,
    ResponseParsingError,
    TokenBudgetError,
    TokenUsageUnavailableError,
)
from instructor.core.hooks import Hooks
from pydantic import ValidationError, create_model, model_validator

from minerals_summ import answers, reask
from minerals_summ.answers import TOOL_NAME, raw_output, usage_of
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
from minerals_summ.records import DroppedRecord, Usage
from minerals_summ.retries import TransportStats
from minerals_summ.schema import ArticleDraft
from minerals_summ.send import completion
from minerals_summ.validator_scan import scan_once

__all__ = [
    "RESPONSE_MODEL",
    "Exchange",
    "arun",
    "check_response",
    "raw_output",
    "run",
    "usage_of",
]

log = logging.getLogger("minerals_summ")
E = TypeVar("E", bound=RunError)

_MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
}

# The check of the call under way. It reaches the validator through a context variable because
# instructor's own ``context=`` would make it render the messages, article included, as Jinja
# templates.
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
assert RESPONSE_MODEL.__name__ == TOOL_NAME


class _HandledByUs(logging.Filter):
    """Drops instructor's ERROR lines for failures this library handles and reports itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (_IN_CALL.get() and record.levelno >= logging.ERROR)


_FILTER = _HandledByUs()


def _quiet_instructor() -> None:
    """When a call first runs: the filter on instructor's retry logger, and instructor's scan
    of the response model done once (:mod:`minerals_summ.validator_scan`)."""
    logger = logging.getLogger("instructor.v2.retry")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
        scan_once(RESPONSE_MODEL)


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


@dataclass
class Exchange:
    """The model traffic of one summarise call: each answer, what was wrong with it, its cost.

    ``output_cap`` is the ``max_tokens`` sent (``Config.output_cap`` of the article);
    ``output_field`` the request field it travels in (``max_completion_tokens`` for servers that
    refuse ``max_tokens``).
    """

    config: Config
    output_cap: int
    output_field: str = "max_tokens"
    stats: TransportStats = field(default_factory=TransportStats)
    outputs: list[str | None] = field(default_factory=list)
    usages: list[Usage] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)  # the rejected answers, in order
    drafts: dict[int, ArticleDraft] = field(default_factory=dict)  # attempt -> its records
    served_model: str | None = None
    _pending: list[Problem] = field(default_factory=list)  # the envelope's, this answer
    _sent: int = 0  # messages in the request before
    _rejection: BaseException | None = None  # what instructor rejected the last answer for

    @property
    def usage(self) -> Usage:
        return sum(self.usages, Usage())

    def request(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        """instructor's keyword arguments for the call."""
        config = self.config
        hooks = Hooks()
        hooks.on("parse:error", self.rejected)
        kwargs: dict[str, Any] = {
            "response_model": RESPONSE_MODEL,
            "messages": messages,
            "max_retries": config.max_attempts - 1,  # instructor makes N + 1 calls
            "strict": False,
            "hooks": hooks,
            "model": config.model,
            "max_tokens": self.output_cap,
        }
        if config.token_budget is not None:
            kwargs["token_budget"] = config.token_budget
        if config.temperature is not None:
            kwargs["temperature"] = config.temperature
        return kwargs

    def adapt(self, request: dict[str, Any]) -> dict[str, Any]:
        """The request as sent: our re-ask text, the schema compact in the system message (json
        mode) and in response_format when configured."""
        messages = request["messages"]
        if self.attempts and self.attempts[-1].number == len(self.outputs) and self._sent:
            reask.rewrite_reask(messages, self._sent, self.attempts[-1].problems, self.config.mode)
        self._sent = len(messages)
        request = dict(request)
        if self.config.mode == "json":
            request["messages"] = compact_schema(messages)
        if self.config.json_object_schema:
            schema = ArticleDraft.model_json_schema()
            request["response_format"] = {"type": "json_object", "schema": schema}
        if self.output_field != "max_tokens" and "max_tokens" in request:
            request[self.output_field] = request.pop("max_tokens")
        return request

    def seen(self, response: Any) -> Any:
        """Read a model answer; refusals and cut-off answers stop the run here."""
        self.outputs.append(raw_output(response))
        self.usages.append(usage_of(response))
        self.served_model = answers.served_model(response) or self.served_model
        answers.lenient_json(response)
        self._pending = answers.envelope_problems(response, self.config.mode)
        choices = getattr(response, "choices", None) or [None]
        refusal = getattr(getattr(choices[0], "message", None), "refusal", None)
        if refusal:
            self._stop(ModelRefusal(str(refusal)), Problem("", "the model refused", "refusal"))
        if answers.finish_reason(response) == "length":
            self._stop(*answers.truncation(self.usages[-1], self.output_cap, self.outputs[-1]))
        return response

    def _stop(self, error: RunError, problem: Problem) -> NoReturn:
        self.attempts.append(
            Attempt(len(self.outputs), self.outputs[-1], (problem,), self.usages[-1])
        )
        raise self._filled(error)

    def check(self, check: Callable[[ArticleDraft], object]) -> Callable[[ArticleDraft], None]:
        """The validator's check of one answer: identical records merged, the records bounded,
        then ``check``; every problem (the envelope's too) raised together."""

        def checked(draft: ArticleDraft) -> None:
            unique = answers.merged(draft)
            self.drafts[len(self.outputs)] = unique
            problems = list(self._pending)
            count = len(unique.agreements) + len(unique.policy_schemes)
            if count > self.config.max_records:
                problems.append(
                    Problem(
                        "",
                        f"the answer has {count:,} records; at most {self.config.max_records} "
                        "are accepted: give each agreement and policy scheme the article "
                        "reports once",
                        "schema",
                    )
                )
            else:
                try:
                    check(unique)
                except DraftProblems as exc:
                    problems.extend(exc.problems)
            if problems:
                raise DraftProblems(problems)

        return checked

    def rejected(self, error: Exception, **_: Any) -> None:
        """instructor's ``parse:error`` hook: record the rejected answer and its problems."""
        problems = tuple(dict.fromkeys([*self._pending, *answers.problems_of(error)]))
        self._rejection = error
        number = len(self.outputs)
        self.attempts.append(Attempt(number, self.outputs[-1], problems, self.usages[-1]))

    def tally(self, final: ArticleDraft | None) -> tuple[int, int, tuple[DroppedRecord, ...]]:
        """Records proposed, rejected and dropped (:func:`minerals_summ.reask.record_tally`)."""
        return reask.record_tally(self.drafts, self.attempts, final)

    def _filled(self, error: E) -> E:
        """``error`` with the attempts so far, the usage and the request counts."""
        error.usage = self.usage
        error.attempts = tuple(self.attempts)
        error.requests = self.stats.requests
        error.abandoned_requests = self.stats.abandoned
        return error

    def failure(self, exc: InstructorRetryException) -> MineralsSummError:
        """The typed error for an instructor failure."""
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, RunError):
                return self._filled(cause)
            if isinstance(cause, MineralsSummError):
                return cause
            if isinstance(cause, IncompleteOutputException):  # seen() stops these first
                return self._filled(OutputTruncated("the answer was cut off", raw_output=None))
            cause = cause.__cause__
        if exc.__cause__ is None or exc.__cause__ is not self._rejection:
            # Not the rejection of the last answer: something broke on the way.
            cause = exc.__cause__ or exc
            return self._filled(RunError(f"the call failed: {type(cause).__name__}: {cause}"))
        last = self.attempts[-1].errors
        detail = "; ".join(last[:3]) + (f" (and {len(last) - 3} more)" if len(last) > 3 else "")
        budget = ""
        if isinstance(exc, TokenUsageUnavailableError):
            budget = " (the server reports no token usage, so the token budget cannot be kept)"
        elif isinstance(exc, TokenBudgetError):
            budget = f" (token budget of {self.config.token_budget:,} spent)"
        _, _, dropped = self.tally(self.drafts.get(len(self.outputs)))
        error = ExtractionError(
            f"no valid answer after {len(self.outputs)} model call(s){budget}: {detail or exc}",
            attempts=self.attempts,
            dropped_records=dropped,
        )
        return self._filled(error)

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

    ``send(**request)`` makes one HTTP request (with transport retries) and returns the chat
    completion. Raises the typed error when no answer passes.
    """

    def create(*args: Any, **kwargs: Any) -> Any:
        return exchange.seen(send(*args, **exchange.adapt(kwargs)))

    patched = instructor.patch(create=create, mode=_MODES[exchange.config.mode])
    try:
        with _in_call(exchange.check(check)):
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
        with _in_call(exchange.check(check)):
            await patched(**exchange.request(messages))
    except InstructorRetryException as exc:
        exchange.fail(exc)


def check_response(
    exchange: Exchange, response: Any, check: Callable[[ArticleDraft], object]
) -> tuple[Problem, ...]:
    """Run one answer obtained elsewhere through exactly the checks of a live call.

    ``response`` is a chat completion: its JSON body as a dict, bytes or str (a Batch API
    results line), or an SDK object. It is read as :meth:`Exchange.seen` reads a live answer
    (a refusal or a cut-off answer raises the typed error), its text validated as
    :data:`RESPONSE_MODEL` with ``check`` as instructor would, and the problems returned, as the
    attempt recorded in ``exchange``: empty when the answer passed (``check`` then holds what it
    resolved). Raises ``openai.APIResponseValidationError`` for a body that is no completion.
    """
    answer = exchange.seen(completion(response))
    text = answers.answer_text(answer, exchange.config.mode)
    if text is None:  # what instructor raises when a tools-mode answer calls nothing
        exchange.rejected(ResponseParsingError("no tool call", mode="TOOLS", raw_response=answer))
        return exchange.attempts[-1].problems
    try:
        with _in_call(exchange.check(check)):
            RESPONSE_MODEL.model_validate_json(text, strict=False)
    except ValidationError as exc:
        exchange.rejected(exc)
        return exchange.attempts[-1].problems
    return ()
