"""Errors raised by minerals-summ, all rooted at :class:`MineralsSummError`.

::

    MineralsSummError
    ├── ConfigurationError      you configured it wrong: no key, no model, a bad option
    │   └── ReplayError         no usable recorded answer for --replay
    ├── InputError              the article cannot be sent: empty, not text, too long
    └── RunError                the run failed
        ├── ExtractionError     every attempt failed validation (.attempts, .usage)
        ├── ModelRefusal        the model refused (.refusal)
        ├── OutputTruncated     the answer was cut off (finish_reason "length")
        └── ProviderError       the server answered with an error (.status_code, .code, .request_id)
            └── RateLimited     429s persisted after every transport retry

The original exception, when there is one, is chained (``raise ... from exc``).

:class:`DraftProblems` is not one of them: it is the ``ValueError`` a draft's check raises inside
pydantic validation, whose message instructor sends back to the model as the re-ask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minerals_summ.records import DroppedRecord, Usage

__all__ = [
    "Attempt",
    "ConfigurationError",
    "DraftProblems",
    "ExtractionError",
    "InputError",
    "MineralsSummError",
    "ModelRefusal",
    "OutputTruncated",
    "Problem",
    "ProviderError",
    "RateLimited",
    "ReplayError",
    "RunError",
]


class MineralsSummError(Exception):
    """Root of every error this library raises."""


class ConfigurationError(MineralsSummError):
    """The library was configured wrongly (missing key or model, invalid option)."""


class ReplayError(ConfigurationError):
    """No usable recording: missing, unreadable, or recorded against another prompt or schema."""


class InputError(MineralsSummError, ValueError):
    """The article text cannot be summarised as given."""


class RunError(MineralsSummError):
    """A run against the model failed.

    ``usage`` holds the tokens reported before it failed; ``attempts`` every model call whose
    answer was rejected (raw output and problems), whatever error ended the run;
    ``requests`` the HTTP requests sent and ``abandoned_requests`` those given up at the timeout
    (the server may have spent tokens on them that no usage reports).
    """

    def __init__(
        self,
        message: str,
        *,
        usage: Usage | None = None,
        attempts: Sequence[Attempt] = (),
        requests: int = 0,
        abandoned_requests: int = 0,
    ) -> None:
        super().__init__(message)
        self.usage = usage
        self.attempts = tuple(attempts)
        self.requests = requests
        self.abandoned_requests = abandoned_requests


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a model's answer: where, what to do, and which kind of failure.

    ``kind`` is one of ``ungrounded_quote``, ``ungrounded_text`` (a money, quantity or date text
    not in the article), ``ungrounded_name``, ``unparseable`` (a text that is not an amount,
    quantity or date), ``unknown_code`` (mineral or country), ``schema`` (wrong shape or JSON,
    two tool calls, another function, too many records); the attempt that ended a run also says
    ``truncated`` or ``refusal``.
    """

    path: str
    message: str
    kind: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


MAX_LISTED = 30  # problems listed in one re-ask; a longer list is more than a model acts on


class DraftProblems(ValueError):
    """A draft that does not hold up against its article. ``problems`` lists every failure.

    ``str()`` is the re-ask: one line per problem (the same message at several paths once),
    at most :data:`MAX_LISTED` of them.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        paths: dict[str, list[str]] = {}
        for p in self.problems:
            message = " ".join(p.message.split())
            paths.setdefault(message, [])
            if p.path not in paths[message]:
                paths[message].append(p.path)
        lines = [f"{', '.join(filter(None, at))}: {m}" if any(at) else m for m, at in paths.items()]
        listed = [f"{i}. {line}" for i, line in enumerate(lines[:MAX_LISTED], 1)]
        if len(lines) > MAX_LISTED:
            listed.append(f"... and {len(lines) - MAX_LISTED} more problems of the same kinds.")
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"The answer has {count} {noun} against the article. Answer again in full: correct "
            "each field listed below by copying the article's own words; where a record cannot "
            "be corrected because the article does not support it, leave that record out on "
            "purpose, and keep every record that has no problem as it was.\n" + "\n".join(listed)
        )


@dataclass(frozen=True)
class Attempt:
    """One model call whose answer failed validation: its raw output and what was wrong."""

    number: int
    raw_output: str | None
    problems: tuple[Problem, ...] = field(default_factory=tuple)
    usage: Usage | None = None

    @property
    def errors(self) -> tuple[str, ...]:
        """The validation messages, as sent back to the model."""
        return tuple(str(p) for p in self.problems)


class ExtractionError(RunError):
    """Every attempt failed validation; ``attempts`` holds each raw output and its errors.

    ``dropped_records`` lists the records proposed in an earlier attempt and absent from the
    last one, each with the problems it had (none: it was valid, and the model left it out).
    """

    def __init__(
        self,
        message: str,
        *,
        attempts: Sequence[Attempt],
        usage: Usage | None = None,
        dropped_records: Sequence[DroppedRecord] = (),
    ) -> None:
        super().__init__(message, usage=usage, attempts=attempts)
        self.dropped_records = tuple(dropped_records)


class ModelRefusal(RunError):
    """The model declined to answer; ``refusal`` is its own text."""

    def __init__(self, refusal: str, *, usage: Usage | None = None) -> None:
        super().__init__(f"the model refused: {refusal}", usage=usage)
        self.refusal = refusal


class OutputTruncated(RunError):
    """The answer stopped at a token limit (finish_reason "length") before it was complete.

    ``limit`` says which: ``"output"`` (the answer reached ``max_output_tokens``),
    ``"context"`` (prompt and answer together filled the model's context window), or None when
    the server's usage does not tell.
    """

    def __init__(
        self,
        message: str,
        *,
        raw_output: str | None = None,
        usage: Usage | None = None,
        limit: str | None = None,
    ) -> None:
        super().__init__(message, usage=usage)
        self.raw_output = raw_output
        self.limit = limit


class ProviderError(RunError):
    """The server answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message, usage=usage)
        self.status_code = status_code
        self.code = code
        self.request_id = request_id


class RateLimited(ProviderError):
    """The server kept answering 429 after every transport retry."""
