"""A second, independent implementation of OpenAI's Files and Batch endpoints, for tests.

Written from the API's documentation and the openai SDK's types, not from
``minerals_summ.testing.batches``: where the documentation leaves a choice open, it takes the
other one, so the workflow is tested against behaviour our own fake does not have:

* file and batch ids of other shapes (``upl~...``, ``bat.<uuid>``), percent-decoded from paths;
* unknown fields in every object and every result line, their text written raw (not
  escaped): U+2028 and U+0085 inside a line, which JSON allows and only ``\n`` ends;
* ``output_file_id`` / ``error_file_id`` null when that file would be empty;
* output lines in another order than the input, CRLF line ends, no final newline (and with
  ``bom``, a byte order mark first, which JSON parsers may ignore);
* a request's own errors in the error file, as ``response.status_code`` 4xx/5xx with OpenAI's
  error body, or in ``vllm run-batch``'s way (an ``error`` object beside a body-less response);
* ``batch_expired`` / ``batch_cancelled`` lines for the undone items (or none at all);
* ``request_counts`` moving while the batch runs; ``finalizing`` before ``completed``;
  ``cancelling`` before ``cancelled``; ``failed`` with ``errors.data`` (line numbers);
* batches listed newest first, in pages of at most 3 whatever ``limit`` asks;
* ``POST /v1/chat/completions`` for live calls, answered from the same script.

The test drives every status change (:meth:`IndependentBatchAPI.run`, ``complete``,
``expire``, ``fail``, ``settle_cancel``) and scripts each request's fate by ``custom_id``.
"""

from __future__ import annotations

import itertools
import json
import random
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from tests.independent_wire import (
    MALFORMED,
    MISSING,
    UNREADABLE,
    Answer,
    Behaviour,
    Fails,
    completion,
    error_body,
    file_object,
    handler,
    result_line,
    undone_line,
)

__all__ = ["MALFORMED", "MISSING", "UNREADABLE", "Answer", "Fails", "IndependentBatchAPI"]

EXPIRED_MESSAGE = "This request could not be executed before the completion window expired."
CANCELLED_MESSAGE = "The batch was cancelled before this request executed."
_TERMINAL = frozenset({"completed", "expired", "failed", "cancelled"})
_STAMPS = ("in_progress", "finalizing", "completed", "failed", "expired", "cancelling", "cancelled")


@dataclass
class _Batch:
    id: str
    input_file_id: str
    endpoint: str
    metadata: dict[str, Any] | None
    created_at: int
    lines: list[dict[str, Any]]
    status: str = "validating"
    stamps: dict[str, int] = field(default_factory=dict)
    done: dict[str, tuple[str, str] | None] = field(default_factory=dict)  # id -> (file, line)
    output_file_id: str | None = None
    error_file_id: str | None = None
    errors: list[dict[str, Any]] | None = None
    seq: int = field(default_factory=itertools.count().__next__)


class IndependentBatchAPI:
    """``with IndependentBatchAPI(default=draft) as api: openai.OpenAI(base_url=api.base_url)``."""

    def __init__(self, *, default: dict[str, Any], seed: int = 7, bom: bool = False) -> None:
        self.default = Answer(draft=default)
        self.bom = bom
        self.random = random.Random(seed)
        self.files: dict[str, dict[str, Any]] = {}
        self.contents: dict[str, bytes] = {}
        self.batches: dict[str, _Batch] = {}
        self.scripts: dict[str, deque[Behaviour]] = {}
        self.received: dict[str, list[tuple[str, dict[str, Any]]]] = {}  # custom_id -> bodies
        self.articles: dict[str, str] = {}  # first user message -> custom_id, for live calls
        self.lose_next_create = False  # create the batch, then answer 500 as if the reply was lost
        self.lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> IndependentBatchAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- the test's side ----------------------------------------------------------------------

    def script(self, custom_id: str, *behaviours: Behaviour) -> None:
        """What the next requests of ``custom_id`` get, in order (then the default answer)."""
        self.scripts.setdefault(custom_id, deque()).extend(behaviours)

    def open_batches(self) -> list[str]:
        with self.lock:
            return [b.id for b in self.batches.values() if b.status not in _TERMINAL]

    def custom_ids(self, batch_id: str) -> list[str]:
        return [str(line["custom_id"]) for line in self.batches[batch_id].lines]

    def run(self, batch_id: str, count: int | None = None) -> None:
        """Validate (when still validating), then run ``count`` (default: all) undone requests,
        in no particular order."""
        with self.lock:
            batch = self.batches[batch_id]
            if batch.status == "validating":
                self._validate(batch)
            if batch.status != "in_progress":
                return
            undone = [line for line in batch.lines if line["custom_id"] not in batch.done]
            self.random.shuffle(undone)
            for line in undone[: len(undone) if count is None else count]:
                batch.done[line["custom_id"]] = self._result(batch.id, line)

    def finalize(self, batch_id: str) -> None:
        """Run what is left and start finalizing (the files are not there yet)."""
        self.run(batch_id)
        with self.lock:
            batch = self.batches[batch_id]
            if batch.status == "in_progress":
                self._stamp(batch, "finalizing")

    def complete(self, batch_id: str) -> None:
        """Run what is left, pass through ``finalizing``, and complete with the files."""
        self.finalize(batch_id)
        with self.lock:
            batch = self.batches[batch_id]
            if batch.status == "finalizing":
                self._finish(batch, "completed")

    def complete_all(self) -> list[str]:
        ids = self.open_batches()
        for batch_id in ids:
            self.complete(batch_id)
        return ids

    def expire(self, batch_id: str, *, ran: int = 0, undone_lines: bool = True) -> None:
        """Run ``ran`` requests, then expire: the others get ``batch_expired`` lines in the
        error file (``undone_lines``) or no line at all."""
        self.run(batch_id, ran)
        with self.lock:
            batch = self.batches[batch_id]
            self._undone(batch, "batch_expired", EXPIRED_MESSAGE, undone_lines)
            self._finish(batch, "expired")

    def fail(self, batch_id: str, errors: list[dict[str, Any]]) -> None:
        """The batch fails (as validation does): no files, ``errors.data`` = ``errors``."""
        with self.lock:
            batch = self.batches[batch_id]
            batch.errors = [{"param": None, "line": None, **e, "x_hint": "fix"} for e in errors]
            self._finish(batch, "failed")

    def settle_cancel(self, batch_id: str, *, ran: int = 0, undone_lines: bool = False) -> None:
        """A batch being cancelled ends: ``ran`` more requests had finished meanwhile."""
        with self.lock:
            batch = self.batches[batch_id]
            assert batch.status == "cancelling", batch.status
            undone = [line for line in batch.lines if line["custom_id"] not in batch.done]
            for line in undone[:ran]:
                batch.done[line["custom_id"]] = self._result(batch.id, line)
            self._undone(batch, "batch_cancelled", CANCELLED_MESSAGE, undone_lines)
            self._finish(batch, "cancelled")

    # -- running requests ---------------------------------------------------------------------

    def _next(self, custom_id: str) -> Behaviour:
        queue = self.scripts.get(custom_id)
        return queue.popleft() if queue else self.default

    def _result(self, batch_id: str, line: dict[str, Any]) -> tuple[str, str] | None:
        custom_id, body = str(line["custom_id"]), line["body"]
        self.received.setdefault(custom_id, []).append((batch_id, body))
        return result_line(custom_id, body, self._next(custom_id))

    def _undone(self, batch: _Batch, code: str, message: str, lines: bool) -> None:
        for line in batch.lines:
            custom_id = str(line["custom_id"])
            if custom_id not in batch.done:
                batch.done[custom_id] = (
                    ("error", undone_line(custom_id, code, message)) if lines else None
                )

    def _validate(self, batch: _Batch) -> None:
        errors, seen = [], set()
        for number, line in enumerate(batch.lines, start=1):
            custom_id = line.get("custom_id")
            if not isinstance(custom_id, str) or custom_id in seen:
                errors.append(
                    {
                        "code": "duplicate_custom_id",
                        "line": number,
                        "message": "custom_id missing or repeated",
                        "param": "custom_id",
                    }
                )
            elif line.get("method") != "POST" or line.get("url") != batch.endpoint:
                errors.append(
                    {
                        "code": "invalid_url",
                        "line": number,
                        "message": f"url must be {batch.endpoint}",
                        "param": "url",
                    }
                )
            seen.add(custom_id)
        if errors:
            self.fail(batch.id, errors)
        else:
            self._stamp(batch, "in_progress")

    def _stamp(self, batch: _Batch, status: str) -> None:
        batch.status = status
        batch.stamps[f"{status}_at"] = int(time.time())

    def _finish(self, batch: _Batch, status: str) -> None:
        """Write the output and error files (each only when it has a line) and end."""
        by_file: dict[str, list[str]] = {"output": [], "error": []}
        for result in batch.done.values():
            if result is not None:
                by_file[result[0]].append(result[1])
        for kind, lines in by_file.items():
            if lines:
                self.random.shuffle(lines)
                data = "\r\n".join(lines).encode("utf-8")  # CRLF, and no final newline
                data = b"\xef\xbb\xbf" + data if self.bom else data
                file_id = self.add_file(f"{batch.id}_{kind}.jsonl", "batch_output", data)
                setattr(batch, f"{kind}_file_id", file_id)
        self._stamp(batch, status)

    def add_file(self, filename: str, purpose: str, data: bytes) -> str:
        file_id = f"upl~{uuid.uuid4().hex[:16]}"
        self.files[file_id] = file_object(file_id, filename, purpose, len(data))
        self.contents[file_id] = data
        return file_id

    # -- the API's side ------------------------------------------------------------------------

    def batch_json(self, batch_id: str) -> dict[str, Any]:
        batch = self.batches[batch_id]
        results = [r for r in batch.done.values() if r is not None]
        return {
            "id": batch.id,
            "object": "batch",
            "endpoint": batch.endpoint,
            "errors": {"object": "list", "data": batch.errors} if batch.errors else None,
            "input_file_id": batch.input_file_id,
            "completion_window": "24h",
            "status": batch.status,
            "output_file_id": batch.output_file_id,
            "error_file_id": batch.error_file_id,
            "created_at": batch.created_at,
            "expires_at": batch.created_at + 86400,
            **{f"{s}_at": batch.stamps.get(f"{s}_at") for s in _STAMPS},
            "request_counts": None
            if batch.status == "validating"
            else {
                "total": len(batch.lines),
                "completed": sum(1 for r in results if r[0] == "output"),
                "failed": sum(1 for r in results if r[0] == "error"),
                "x_running": 0,
            },
            "metadata": batch.metadata,
            "model": next((line["body"].get("model") for line in batch.lines), None),
            "x_priority": "standard",
        }

    def create_batch(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        file = self.files.get(str(request.get("input_file_id")))
        if file is None or file["purpose"] != "batch":
            return 400, error_body(400, "input_file_id must be an uploaded file of purpose batch")
        if request.get("completion_window") != "24h":
            return 400, error_body(400, "completion_window must be 24h")
        raw = self.contents[file["id"]].decode("utf-8")
        lines = [json.loads(text) for text in raw.splitlines() if text.strip()]
        batch = _Batch(
            id=f"bat.{uuid.uuid4()}",
            input_file_id=file["id"],
            endpoint=str(request.get("endpoint")),
            metadata=request.get("metadata"),
            created_at=int(time.time()),
            lines=lines,
        )
        self.batches[batch.id] = batch
        for line in lines:
            messages = line.get("body", {}).get("messages", [])
            first = next((m.get("content") for m in messages if m.get("role") == "user"), None)
            self.articles[json.dumps(first)] = str(line.get("custom_id"))
        if self.lose_next_create:
            self.lose_next_create = False
            return 500, error_body(500, "The server had an error while processing your request.")
        return 200, self.batch_json(batch.id)

    def list_batches(self, query: dict[str, list[str]]) -> dict[str, Any]:
        ordered = sorted(self.batches.values(), key=lambda b: b.seq, reverse=True)
        ids = [b.id for b in ordered]
        after = query.get("after", [None])[0]
        start = ids.index(after) + 1 if after in ids else 0
        limit = min(int(query.get("limit", ["20"])[0]), 3)  # a page is at most 3, whatever asked
        page = ordered[start : start + limit]
        return {
            "object": "list",
            "data": [self.batch_json(b.id) for b in page],
            "first_id": page[0].id if page else None,
            "last_id": page[-1].id if page else None,
            "has_more": start + limit < len(ordered),
        }

    def cancel(self, batch_id: str) -> tuple[int, dict[str, Any]]:
        batch = self.batches[batch_id]
        if batch.status in ("validating", "in_progress", "finalizing"):
            self._stamp(batch, "cancelling")
        return 200, self.batch_json(batch.id)

    def live(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        messages = body.get("messages", [])
        first = next((m.get("content") for m in messages if m.get("role") == "user"), None)
        custom_id = self.articles.get(json.dumps(first), "?")
        self.received.setdefault(custom_id, []).append(("live", body))
        behaviour = self._next(custom_id)
        if isinstance(behaviour, Fails):
            return behaviour.status, error_body(behaviour.status, behaviour.message, behaviour.code)
        return 200, completion(body, behaviour if isinstance(behaviour, Answer) else self.default)
