"""Reading one model answer: its text, its usage, the model that wrote it, its envelope.

Everything here takes a chat completion as the SDK returns it or as a plain dict (a recorded or
batch-file body), so every path reads answers the same way.

The *envelope* is what wraps the draft: in tools mode exactly one call of the ``ArticleDraft``
function is expected, and :func:`envelope_problems` names anything else (two calls, a call to
another function), as problems for the model. :func:`lenient_json` lets control characters
inside JSON strings through (llama.cpp's schema grammar allows a raw newline in a string, which
strict JSON parsers reject): they are kept as text.
"""

from __future__ import annotations

import json
from typing import Any

from instructor.core.exceptions import ResponseParsingError
from pydantic import ValidationError

from minerals_summ.exceptions import DraftProblems, OutputTruncated, Problem
from minerals_summ.records import Usage
from minerals_summ.schema import ArticleDraft

__all__ = [
    "TOOL_NAME",
    "answer_text",
    "envelope_problems",
    "finish_reason",
    "lenient_json",
    "merged",
    "problems_of",
    "raw_output",
    "served_model",
    "truncation",
    "usage_of",
]

TOOL_NAME = "ArticleDraft"  # the function the model is asked to call (the draft's class name)


def _get(obj: Any, name: str) -> Any:
    """``obj.name`` for SDK objects, ``obj[name]`` for dicts, None when absent."""
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _message(response: Any) -> Any:
    choices = _get(response, "choices")
    return _get(choices[0], "message") if choices else None


def _calls(message: Any) -> list[Any]:
    return list(_get(message, "tool_calls") or [])


def raw_output(response: Any) -> str | None:
    """The text of an answer: the first tool call's arguments, or the message content."""
    message = _message(response)
    if message is None:
        return None
    calls = _calls(message)
    if calls and _get(calls[0], "function") is not None:
        arguments = _get(_get(calls[0], "function"), "arguments")
        return arguments if isinstance(arguments, str) else json.dumps(arguments)
    content = _get(message, "content")
    return content if isinstance(content, str) else None


def answer_text(response: Any, mode: str) -> str | None:
    """The text instructor validates in ``mode``: the first tool call's arguments (tools; None
    when the answer calls nothing), the message content (json modes; empty when none)."""
    message = _message(response)
    if mode == "tools":
        calls = _calls(message)
        function = _get(calls[0], "function") if calls else _get(message, "function_call")
        arguments = _get(function, "arguments") if function is not None else None
        if arguments is None:
            return None
        return arguments if isinstance(arguments, str) else json.dumps(arguments)
    content = _get(message, "content")
    return content if isinstance(content, str) else ""


def usage_of(response: Any) -> Usage:
    """The token usage a response reports (zeros when it reports none).

    Prompt tokens served from the provider's cache are read where each server reports them:
    ``usage.prompt_tokens_details.cached_tokens`` (OpenAI, vLLM, llama.cpp's server),
    ``usage.prompt_cache_hit_tokens`` (DeepSeek), ``timings.cache_n`` (older llama.cpp).
    """
    usage = _get(response, "usage")
    if usage is None:
        return Usage()
    prompt = int(_get(usage, "prompt_tokens") or 0)
    completion = int(_get(usage, "completion_tokens") or 0)
    total = int(_get(usage, "total_tokens") or 0) or prompt + completion
    cached = _get(_get(usage, "prompt_tokens_details"), "cached_tokens")
    if cached is None:
        cached = _get(usage, "prompt_cache_hit_tokens")
    if cached is None:
        cached = _get(_get(response, "timings"), "cache_n")
    if not isinstance(cached, int) or isinstance(cached, bool) or cached < 0:
        cached = 0
    return Usage(
        prompt_tokens=prompt,
        cached_tokens=min(cached, prompt),
        completion_tokens=completion,
        total_tokens=total,
    )


def served_model(response: Any) -> str | None:
    """The model the server says answered (the response's ``model``), if it says."""
    model = _get(response, "model")
    return model if isinstance(model, str) and model else None


def finish_reason(response: Any) -> str | None:
    choices = _get(response, "choices")
    reason = _get(choices[0], "finish_reason") if choices else None
    return reason if isinstance(reason, str) else None


def envelope_problems(response: Any, mode: str) -> list[Problem]:
    """What is wrong with the answer's wrapping: in tools mode, anything but one call of
    :data:`TOOL_NAME`. (A missing call is instructor's own parse error.)"""
    if mode != "tools":
        return []
    calls = _calls(_message(response))
    problems = []
    if len(calls) > 1:
        problems.append(
            Problem(
                "",
                f"the answer makes {len(calls)} tool calls; make exactly one call of "
                f"{TOOL_NAME} holding every record",
                "schema",
            )
        )
    for call in calls:
        name = _get(_get(call, "function"), "name")
        if name != TOOL_NAME:
            problems.append(
                Problem(
                    "",
                    f"the answer calls the function {name!r}; call {TOOL_NAME} instead",
                    "schema",
                )
            )
    return problems


def _relaxed(text: str) -> str | None:
    """``text`` re-encoded when only control characters inside its strings make it invalid
    JSON; None when it is valid already, or invalid for another reason."""
    try:
        json.loads(text)
    except ValueError:
        try:
            value = json.loads(text, strict=False)
        except ValueError:
            return None
        return json.dumps(value, ensure_ascii=False)
    return None


def lenient_json(response: Any) -> None:
    """Accept control characters inside the answer's JSON strings (kept as text): the tool call
    arguments or the content are re-encoded in place when that is all that is wrong."""
    message = _message(response)
    if message is None:
        return
    for call in _calls(message):
        function = _get(call, "function")
        arguments = _get(function, "arguments")
        if isinstance(arguments, str) and (fixed := _relaxed(arguments)) is not None:
            _set(function, "arguments", fixed)
    content = _get(message, "content")
    if isinstance(content, str) and (fixed := _relaxed(content)) is not None:
        _set(message, "content", fixed)


def _set(obj: Any, name: str, value: str) -> None:
    if isinstance(obj, dict):
        obj[name] = value
    else:
        setattr(obj, name, value)


def _path(location: tuple[int | str, ...]) -> str:
    """pydantic's location as the checks write paths: ``agreements[0].kind``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def problems_of(exc: BaseException) -> tuple[Problem, ...]:
    """What was wrong with one answer, as plain problems (no library boilerplate)."""
    if isinstance(exc, DraftProblems):
        return exc.problems
    if isinstance(exc, ValidationError):
        found: list[Problem] = []
        for error in exc.errors(include_url=False, include_input=False):
            cause = error.get("ctx", {}).get("error")
            if isinstance(cause, DraftProblems):
                found.extend(cause.problems)
                continue
            found.append(Problem(_path(error["loc"]), error["msg"], "schema"))
        return tuple(found)
    if isinstance(exc, ResponseParsingError):
        return (Problem("", f"the answer holds no call of {TOOL_NAME}; call it", "schema"),)
    return (Problem("", f"{type(exc).__name__}: {exc}", "schema"),)


def merged(draft: ArticleDraft) -> ArticleDraft:
    """The draft with identical records given once."""

    def unique(records: list[Any]) -> list[Any]:
        return list({record.model_dump_json(): record for record in records}.values())

    agreements, schemes = unique(draft.agreements), unique(draft.policy_schemes)
    if len(agreements) == len(draft.agreements) and len(schemes) == len(draft.policy_schemes):
        return draft
    return draft.model_copy(update={"agreements": agreements, "policy_schemes": schemes})


def truncation(used: Usage, cap: int, raw: str | None) -> tuple[OutputTruncated, Problem]:
    """The error for an answer cut off at a token limit, telling the output cap (``cap``) from
    the model's context window by the tokens used, and its problem line."""
    if used.completion_tokens and used.completion_tokens >= cap:
        limit, message = (
            "output",
            (
                f"the answer was cut off at max_output_tokens={cap:,}; raise max_output_tokens "
                "(--max-output-tokens)"
            ),
        )
    elif used.completion_tokens:
        limit, message = (
            "context",
            (
                f"the answer was cut off after {used.completion_tokens:,} tokens, under "
                f"max_output_tokens={cap:,}: the prompt ({used.prompt_tokens:,} tokens) and the "
                "answer filled the model's context window; use a model or server with a larger "
                "context, or a shorter article"
            ),
        )
    else:
        limit, message = (
            None,
            (
                "the answer was cut off at a token limit the server does not name (it reports "
                f"no usage): max_output_tokens={cap:,}, or the model's context window"
            ),
        )
    error = OutputTruncated(message, raw_output=raw, limit=limit)
    return error, Problem("", message, "truncated")
