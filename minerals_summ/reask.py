"""What goes back to the model after a rejected answer, and what the model left out afterwards.

**The re-ask.** instructor sends a failed validation back as the text of the exception, which
for a pydantic model is pydantic's report ("1 validation error for ...", "Value error, ...",
"[type=value_error, input_value=...]", a link to errors.pydantic.dev). The model needs none of
that. :func:`reask_text` writes the message from the problems alone: the
:class:`~minerals_summ.exceptions.DraftProblems` wording (one plain line per problem), duplicates
merged, at most :data:`REASK_PROBLEMS` problems listed (and the count of the rest), each line cut
to :data:`PROBLEM_CHARS` characters. :func:`rewrite_reask` puts it in place of instructor's text
in the messages instructor appended for the re-ask (see its docstring for the shape it relies
on; a test fails loudly when instructor's shape changes).

**Dropped records.** :func:`record_tally` compares the records of every attempt with the final
answer's: a record proposed earlier and absent at the end is reported with its problems, so
nothing disappears without a word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from minerals_summ.answers import TOOL_NAME
from minerals_summ.exceptions import Attempt, DraftProblems, Problem
from minerals_summ.records import DroppedRecord
from minerals_summ.schema import ArticleDraft

__all__ = [
    "ECHO_CHARS",
    "PROBLEM_CHARS",
    "REASK_PROBLEMS",
    "reask_text",
    "record_tally",
    "rewrite_reask",
]

REASK_PROBLEMS = 30  # problems listed in one re-ask; the rest are counted
PROBLEM_CHARS = 400  # the longest problem line sent (a model's invented quote can be huge)
ECHO_CHARS = 200_000  # a longer answer is not repeated back to the model in the re-ask


def _short(problem: Problem) -> Problem:
    if len(problem.message) <= PROBLEM_CHARS:
        return problem
    return Problem(problem.path, problem.message[: PROBLEM_CHARS - 1] + "…", problem.kind)


def reask_text(problems: Sequence[Problem], mode: str, *, omitted_chars: int = 0) -> str:
    """The message that sends ``problems`` back to the model, in ``mode``."""
    merged = list(dict.fromkeys(_short(p) for p in problems))
    listed = merged[:REASK_PROBLEMS]
    text = str(DraftProblems(listed))
    if len(merged) > len(listed):
        text += f"\n(and {len(merged) - len(listed):,} more problems, not listed)"
    if omitted_chars:
        text = (
            f"(Your previous answer, {omitted_chars:,} characters, is too long to repeat "
            f"here.)\n{text}"
        )
    again = f"Call {TOOL_NAME} again" if mode == "tools" else "Answer again with one JSON object"
    return (
        f"{text}\n{again} with your whole corrected answer: correct each record listed or leave "
        "it out if the article does not support it, and keep every record that had no problem."
    )


def _echo_size(message: Mapping[str, Any]) -> int:
    calls = message.get("tool_calls") or []
    arguments = sum(len(str((c.get("function") or {}).get("arguments") or "")) for c in calls)
    return arguments + len(str(message.get("content") or ""))


def _short_echo(message: dict[str, Any]) -> dict[str, Any]:
    message = dict(message)
    if message.get("tool_calls"):
        message["tool_calls"] = [
            {**call, "function": {**call["function"], "arguments": "{}"}}
            for call in message["tool_calls"]
        ]
    message["content"] = "" if message.get("tool_calls") else "{}"
    return message


def rewrite_reask(
    messages: list[dict[str, Any]], start: int, problems: Sequence[Problem], mode: str
) -> None:
    """Put :func:`reask_text` in place of instructor's text in the re-ask messages.

    ``messages[start:]`` are what instructor appended after the request before: the model's
    answer (role ``assistant``), then one ``tool`` message per tool call (tools mode) or one
    ``user`` message. The first of those carries the re-ask; the others point to it. An answer
    longer than :data:`ECHO_CHARS` is not repeated back (its text becomes ``{}``).
    Raises ``RuntimeError`` when the messages are not shaped so: instructor changed.
    """
    appended = messages[start:]
    replies = [i for i, m in enumerate(appended) if m.get("role") in ("tool", "user")]
    if not appended or appended[0].get("role") != "assistant" or not replies:
        roles = [m.get("role") for m in appended]
        raise RuntimeError(
            f"instructor's re-ask messages are not shaped as expected (roles {roles}); "
            "minerals_summ.reask.rewrite_reask needs updating"
        )
    omitted = 0
    if (size := _echo_size(appended[0])) > ECHO_CHARS:
        messages[start] = _short_echo(appended[0])
        omitted = size
    for n, i in enumerate(replies):
        text = reask_text(problems, mode, omitted_chars=omitted) if n == 0 else "See above."
        messages[start + i] = {**appended[i], "content": text}


_RECORD = re.compile(r"^(agreements|policy_schemes)(?:\[(\d+)\]|\.(\d+))")
_KINDS = {"agreements": "agreement", "policy_schemes": "policy_scheme"}


def _records(draft: ArticleDraft) -> dict[tuple[str, str], tuple[str, int]]:
    """Each record's identity (kind, folded title or name) -> (its label, its index)."""
    found: dict[tuple[str, str], tuple[str, int]] = {}
    for i, agreement in enumerate(draft.agreements):
        found.setdefault(("agreement", agreement.title.casefold().strip()), (agreement.title, i))
    for i, scheme in enumerate(draft.policy_schemes):
        found.setdefault(("policy_scheme", scheme.name.casefold().strip()), (scheme.name, i))
    return found


def _problems_by_record(attempt: Attempt) -> dict[tuple[str, int], list[str]]:
    by_record: dict[tuple[str, int], list[str]] = {}
    for problem in attempt.problems:
        match = _RECORD.match(problem.path)
        if match:
            index = int(match.group(2) or match.group(3))
            by_record.setdefault((_KINDS[match.group(1)], index), []).append(str(problem))
    return by_record


def record_tally(
    drafts: Mapping[int, ArticleDraft], attempts: Sequence[Attempt], final: ArticleDraft | None
) -> tuple[int, int, tuple[DroppedRecord, ...]]:
    """Records proposed (distinct over every attempt), rejected (with a problem in some
    attempt), and dropped: proposed in an earlier attempt, absent from ``final``."""
    failed = {a.number: a for a in attempts}
    proposed: set[tuple[str, str]] = set()
    rejected: set[tuple[str, str]] = set()
    last_seen: dict[tuple[str, str], DroppedRecord] = {}
    for number in sorted(drafts):
        attempt = failed.get(number)
        by_record = _problems_by_record(attempt) if attempt is not None else {}
        for key, (label, index) in _records(drafts[number]).items():
            problems = tuple(by_record.get((key[0], index), ()))
            proposed.add(key)
            if problems:
                rejected.add(key)
            last_seen[key] = DroppedRecord(
                kind=key[0], label=label, attempt=number, problems=problems
            )
    kept = set(_records(final)) if final is not None else set()
    final_number = max(drafts) if final is not None and drafts else None
    dropped = tuple(
        record
        for key, record in last_seen.items()
        if key not in kept and record.attempt != final_number
    )
    return len(proposed), len(rejected), dropped
