"""Reading a batch's results into the run's state: one outcome per article, whatever happened.

Each line of an output or error file is taken for its ``custom_id`` only while that item is
waiting for the batch the line comes from; anything else (a second copy of the file, a line
for an item already answered) is ignored, so collecting twice never duplicates or loses an
article. A 200 answer goes through the live path's checks
(:func:`~minerals_summ.provider_batch.checks.check_answers`): a summary ends the item; an
invalid answer leaves it pending with the re-ask as its next request; the last attempt's
failure ends it with the live path's error. A result with an error status ends it as
:class:`ItemRejected` (429 and 5xx are resubmitted instead, as a live call retries them).
Once a batch is over, its items without a line end by the batch's status: missing (completed),
resubmitted or expired (expired), failed validation, or cancelled; an item whose line could not
be read (cut off, not JSON) is resubmitted, as after a 5xx.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import openai

from minerals_summ import llm, retries
from minerals_summ.batch import Outcome
from minerals_summ.config import Config
from minerals_summ.exceptions import MineralsSummError, RunError
from minerals_summ.provider_batch.checks import Checked, check_answers, response_from
from minerals_summ.provider_batch.errors import (
    BatchCancelled,
    BatchExpired,
    BatchFailed,
    BatchItemFailed,
    ItemMissing,
    ItemRejected,
)
from minerals_summ.provider_batch.state import Item, State
from minerals_summ.records import Usage
from minerals_summ.summary import ArticleSummary

__all__ = ["Collector", "Tally", "parse_lines"]

log = logging.getLogger("minerals_summ.provider_batch")

_CUSTOM_ID = re.compile(r'"custom_id"\s*:\s*"((?:[^"\\]|\\.)*)"')


@dataclass
class Tally:
    """What one collect did."""

    succeeded: int = 0
    failed: dict[str, int] = field(default_factory=dict)  # error type -> count
    reasked: int = 0
    resubmitted: int = 0
    ignored: int = 0  # lines for items not waiting for them
    malformed: int = 0  # lines that are not JSON
    outcomes: list[Outcome] = field(default_factory=list)

    def add_failure(self, error: MineralsSummError) -> None:
        name = type(error).__name__
        self.failed[name] = self.failed.get(name, 0) + 1


@dataclass(frozen=True)
class Line:
    """One result line: its item, and the response (status and body) or the error object.
    ``malformed``: the line could not be read; only its ``custom_id`` was found in it."""

    custom_id: str
    status_code: int | None
    body: Any
    error: dict[str, Any] | None
    malformed: bool = False


def parse_lines(data: bytes, tally: Tally) -> Iterator[Line]:
    """The result lines of an output or error file; a malformed line is counted and logged, and
    given as a ``malformed`` line when its ``custom_id`` can be read.

    Lines end at ``\\n`` alone (a ``\\r`` before it is white space to JSON): U+2028, U+0085 and
    the other characters ``str.splitlines`` breaks at may stand unescaped inside a JSON string.
    A byte order mark at the start is skipped.
    """
    for raw in data.decode("utf-8-sig", errors="replace").split("\n"):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
            response = item.get("response") or {}
            error = item.get("error")
            line = Line(
                custom_id=str(item["custom_id"]),
                status_code=_status(response.get("status_code")),
                body=response.get("body"),
                # vllm run-batch may write its error as a bare string
                error=error if isinstance(error, dict | None) else {"message": str(error)},
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            tally.malformed += 1
            found = _CUSTOM_ID.search(raw)
            who = _unescaped(found.group(1)) if found else None
            log.warning("malformed result line (custom_id %r): %.120s", who, raw)
            if who is not None:
                yield Line(custom_id=who, status_code=None, body=None, error=None, malformed=True)
            continue
        yield line


def _unescaped(json_string: str) -> str | None:
    try:
        return str(json.loads(f'"{json_string}"'))
    except ValueError:
        return None


def _is_answer(line: Line) -> bool:
    """A 2xx result with a body, as a live call takes it; or a body with no status and no error
    (no field of a line's ``response`` is required). Either is then checked as a live answer."""
    if not isinstance(line.body, dict):
        return False
    if line.status_code is None:
        return line.error is None and "error" not in line.body
    return 200 <= line.status_code < 300


def _status(value: Any) -> int | None:
    """A line's ``response.status_code`` as a number (some servers write ``"200"``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _transient(code: str, error_code: str | None) -> bool:
    """A result worth sending again, as a live call retries it (408, 409, 429 but not for lack
    of credit, 5xx), a time-out, or no status at all (status 0)."""
    if code.isdigit() and int(code) > 0:
        return retries.transient_status(int(code), error_code)
    return code in ("0", "None", "request_timeout")


def _usage(responses: list[dict[str, Any]]) -> Usage:
    return sum((llm.usage_of(response_from(body)) for body in responses), Usage())


class Collector:
    """Settles items from result lines into ``state``; successes also go to ``cache_put``."""

    def __init__(
        self,
        state: State,
        config: Config,
        *,
        max_resubmits: int,
        cache_put: Callable[[Item, ArticleSummary], None],
        tally: Tally,
    ) -> None:
        self.state = state
        self.config = config
        self.max_resubmits = max_resubmits
        self.cache_put = cache_put
        self.tally = tally
        self.unreadable: set[str] = set()  # items whose line in a batch could not be read

    def take(self, line: Line, batch_id: str, *, any_batch: bool = False) -> None:
        """Settle the item of ``line`` if it waits for ``batch_id`` (or, with ``any_batch``
        for a file produced elsewhere, for an answer, and none came from that file yet)."""
        item = self.state.item(line.custom_id)
        waiting = item is not None and (
            (item.status == "submitted" and item.batch_id == batch_id)
            or (
                any_batch
                and item.status in ("pending", "submitted")
                and batch_id not in item.batches  # one answer per file
            )
        )
        if item is None or not waiting:
            self.tally.ignored += 1
            return
        if line.malformed:  # settled when the batch closes, unless a readable line comes
            if not any_batch:
                self.unreadable.add(item.custom_id)
            return
        if _is_answer(line):
            self.answered(item, line.body, batch_id)
            return
        error_code = None
        if line.error is not None and not line.status_code:  # the batch's own error
            code, said = str(line.error.get("code")), str(line.error.get("message"))
            body: Any = line.error
        else:
            # vllm run-batch gives a failed request's error beside a response with no body
            body = line.body if line.body is not None else line.error
            detail = body.get("error", body) if isinstance(body, dict) else body
            code = str(line.status_code)
            said = str(detail.get("message") if isinstance(detail, dict) else detail)
            if isinstance(detail, dict) and detail.get("code") is not None:
                error_code = str(detail["code"])
        if code == "batch_expired":
            self.expired(item, batch_id)
        elif code == "batch_cancelled":
            self.end(item, BatchCancelled(f"batch {batch_id} was cancelled", batch_id=batch_id))
        elif _transient(code, error_code) and self.resubmit(item, batch_id, f"{code}: {said}"):
            pass
        else:
            again = f" (after {item.resubmits} resubmit(s))" if _transient(code, error_code) else ""
            error = ItemRejected(
                f"the provider answered the request with {code}: {said}{again}",
                batch_id=batch_id,
                status_code=line.status_code or None,
                body=body,
            )
            self.end(item, error)

    def answered(self, item: Item, body: dict[str, Any], batch_id: str) -> None:
        responses = [*item.responses, body]
        try:
            checked = check_answers(
                self.config,
                item.text,
                item.published,
                responses,
                batch_id=batch_id,
                started=item.started,
            )
        except Exception as exc:  # a bug must not stop the other articles, nor lose this one
            log.exception("unexpected error on the answer for %s", item.custom_id)
            error = RunError(f"unexpected {type(exc).__name__}: {exc}", usage=_usage(responses))
            error.__cause__ = exc
            checked = Checked(None, None, error, _usage(responses), Usage())
        self.settle(item, checked, responses, [*item.batches, batch_id])

    def finish_live(self, item: Item, client: openai.OpenAI) -> None:
        """Ask the model live for what the item still lacks (a re-ask, or its first answer)."""
        checked = check_answers(
            self.config,
            item.text,
            item.published,
            item.responses,
            live=client,
            started=item.started,
        )
        self.settle(item, checked, item.responses, item.batches)

    def settle(
        self, item: Item, checked: Checked, responses: list[dict[str, Any]], batches: list[str]
    ) -> None:
        if checked.request is not None:
            self.state.update_item(
                item.custom_id,
                responses=responses,
                batches=batches,
                status="pending",
                request=checked.request,
                batch_id=None,
            )
            self.tally.reasked += 1
            return
        outcome = Outcome(item.custom_id, item.seq, summary=checked.summary, error=checked.error)
        self._final(item, outcome, responses, batches, checked.live_usage)
        if checked.summary is not None:
            self.cache_put(item, checked.summary)

    def resubmit(self, item: Item, batch_id: str, why: str) -> bool:
        """Send the item's request again in the next batch, while resubmits are left."""
        if item.resubmits >= self.max_resubmits:
            return False
        assert item.request is not None
        log.info("resubmitting %s (%s in %s)", item.custom_id, why, batch_id)
        self.state.update_item(
            item.custom_id, status="pending", batch_id=None, resubmits=item.resubmits + 1
        )
        self.tally.resubmitted += 1
        return True

    def expired(self, item: Item, batch_id: str) -> None:
        if not self.resubmit(item, batch_id, "expired undone"):
            message = (
                f"batch {batch_id} expired before running the request "
                f"(resubmitted {item.resubmits} time(s))"
            )
            self.end(item, BatchExpired(message, batch_id=batch_id))

    def end(self, item: Item, error: BatchItemFailed) -> None:
        """End the item with a failure that no answer came with."""
        error.usage = _usage(item.responses)
        outcome = Outcome(item.custom_id, item.seq, error=error)
        self._final(item, outcome, item.responses, item.batches, Usage())

    def _final(
        self,
        item: Item,
        outcome: Outcome,
        responses: list[dict[str, Any]],
        batches: list[str],
        live: Usage,
    ) -> None:
        self.state.update_item(
            item.custom_id,
            responses=responses,
            batches=batches,
            status="done" if outcome.ok else "failed",
            request=None,
            outcome=outcome.to_json(),
            usage_batch=_usage(responses).model_dump(),
            usage_live=live.model_dump(),
        )
        if outcome.error is not None:
            self.tally.add_failure(outcome.error)
        else:
            self.tally.succeeded += 1
        self.tally.outcomes.append(outcome)

    def close_batch(self, batch_id: str, status: str, errors: list[dict[str, Any]]) -> None:
        """End (or resubmit) the batch's items that no line answered. An item whose line could
        not be read was answered but the answer is lost on the way: it is resubmitted, as after
        a 5xx."""
        for item in self.state.items("submitted", batch_id):
            if item.custom_id in self.unreadable and status != "failed":
                if not self.resubmit(item, batch_id, "an unreadable result line"):
                    message = (
                        f"batch {batch_id} returned an unreadable result line for this request "
                        f"(resubmitted {item.resubmits} time(s))"
                    )
                    self.end(item, ItemMissing(message, batch_id=batch_id))
            elif status == "completed":
                message = f"batch {batch_id} completed without a result for this request"
                self.end(item, ItemMissing(message, batch_id=batch_id))
            elif status == "expired":
                self.expired(item, batch_id)
            elif status == "cancelled":
                self.end(item, BatchCancelled(f"batch {batch_id} was cancelled", batch_id=batch_id))
            else:
                detail = "; ".join(str(e.get("message")) for e in errors[:3]) or "no detail"
                error = BatchFailed(
                    f"batch {batch_id} failed validation: {detail}",
                    batch_id=batch_id,
                    errors=errors,
                )
                self.end(item, error)
