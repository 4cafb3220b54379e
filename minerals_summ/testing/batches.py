"""The fake server's Files and Batch endpoints: ``/v1/files`` and ``/v1/batches``.

Shapes follow the openai SDK's types (``FileObject``, ``Batch``, ``BatchRequestCounts``,
``BatchError``) and the batch output format (one JSON line per request: ``id``, ``custom_id``,
``response`` with ``status_code``, ``request_id`` and ``body``, and ``error``). Files live in
memory. A batch moves only when the test says so (or on each retrieve, with ``auto=True``:
in progress at the first, completed at the second):

* :meth:`FakeBatches.start`: validating -> in_progress (an input file that breaks the format,
  a duplicate ``custom_id`` or another endpoint fails the batch here, as OpenAI's validation);
* :meth:`FakeBatches.complete`: each request line is answered by the server's own chat logic
  (the reply scripted for its ``custom_id`` with :meth:`FakeBatches.script`, else the server's
  ``default``), then finalizing -> completed; ``missing`` leaves items out of both files and
  ``malformed`` garbles their output lines;
* :meth:`FakeBatches.expire`: the items in ``undone`` are not run (error file, code
  ``batch_expired``), the others are; :meth:`FakeBatches.fail`: failed validation;
* ``POST /v1/batches/{id}/cancel``: cancelling, then cancelled at the next step (``auto``), or
  :meth:`FakeBatches.cancel`, with the items that ran before it stopped.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import secrets
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from minerals_summ.testing.replies import INVALID, Draft, Reply, as_reply, error_body

__all__ = ["FakeBatches", "Handled"]

ENDPOINT = "/v1/chat/completions"
_EXPIRED = "This request could not be executed before the completion window expired."
_CANCELLED = "This request was not executed because the batch was cancelled."

# (status, JSON-able body or raw bytes)
Handled = tuple[int, Any]
# Answers one chat request body with a reply: (status, body).
Answerer = Callable[[Reply, dict[str, Any]], Handled]


@dataclass
class _File:
    id: str
    filename: str
    purpose: str
    data: bytes
    created_at: int = field(default_factory=lambda: int(time.time()))

    def info(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.data),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
            "expires_at": None,
            "status_details": None,
        }


def _new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(12)


def _multipart(content_type: str, raw: bytes) -> dict[str, tuple[str | None, bytes]]:
    """The parts of a multipart/form-data body: name -> (file name, bytes)."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    parts: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            parts[name] = (part.get_filename(), payload)
    return parts


class FakeBatches:
    """The files and batches of one :class:`~minerals_summ.testing.FakeChatServer`."""

    def __init__(self, lock: threading.Lock, answer: Answerer, default: Reply | None) -> None:
        self._lock = lock
        self._answer = answer
        self._default = default
        self.auto = False
        self.files: dict[str, _File] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self._scripts: dict[str, deque[Reply]] = {}

    # -- what tests call --------------------------------------------------------------------

    def script(self, custom_id: str, *replies: Draft | Reply) -> None:
        """The replies for ``custom_id``'s requests, one per batch it is in, in order."""
        with self._lock:
            self._scripts.setdefault(custom_id, deque()).extend(as_reply(r) for r in replies)

    def start(self, batch_id: str) -> None:
        """validating -> in_progress, or failed when the input file does not validate."""
        with self._lock:
            self._start(self.batches[batch_id])

    def complete(
        self, batch_id: str, *, missing: Iterable[str] = (), malformed: Iterable[str] = ()
    ) -> None:
        """Run every item and complete the batch (from validating or in_progress)."""
        with self._lock:
            batch = self.batches[batch_id]
            if batch["status"] == "validating":
                self._start(batch)
            if batch["status"] == "in_progress":
                self._finish(batch, "completed", set(missing), set(malformed), set())

    def expire(self, batch_id: str, *, undone: Iterable[str]) -> None:
        """Expire the batch: the ``undone`` items never ran, the others did."""
        with self._lock:
            batch = self.batches[batch_id]
            if batch["status"] == "validating":
                self._start(batch)
            self._finish(batch, "expired", set(), set(), set(undone))

    def cancel(self, batch_id: str, *, done: Iterable[str] = ()) -> None:
        """Cancel the batch: the items in ``done`` ran before it stopped, the others did not
        (error file, code ``batch_cancelled``)."""
        with self._lock:
            batch = self.batches[batch_id]
            if batch["status"] == "validating":
                self._start(batch)
            ran = set(done)
            undone = {r["custom_id"] for r in self._lines(batch)[0]} - ran
            self._finish(batch, "cancelled", set(), set(), undone)

    def fail(self, batch_id: str, message: str = "The input file is invalid.") -> None:
        """Fail the batch's validation with ``message``."""
        with self._lock:
            self._failed(self.batches[batch_id], [{"code": "invalid_request", "message": message}])

    def requests_of(self, batch_id: str) -> list[dict[str, Any]]:
        """The request lines of a batch's input file, parsed."""
        with self._lock:
            data = self.files[self.batches[batch_id]["input_file_id"]].data
        return [json.loads(line) for line in data.splitlines() if line.strip()]

    # -- HTTP ---------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Handled:
        """Answer a request under ``/v1/files`` or ``/v1/batches``; the caller holds the lock."""
        url = urllib.parse.urlsplit(target)
        parts = [p for p in url.path.split("/") if p][1:]  # without the leading "v1"
        query = dict(urllib.parse.parse_qsl(url.query))
        kind, rest = parts[0], parts[1:]
        if kind == "files":
            if method == "POST" and not rest:
                return self._upload(headers.get("content-type", ""), raw)
            file = self.files.get(rest[0]) if rest else None
            if file is None:
                return 404, error_body(f"No such File object: {rest}", INVALID, None, "id")
            if method == "GET" and rest[1:] == ["content"]:
                return 200, file.data
            if method == "GET" and len(rest) == 1:
                return 200, file.info()
        elif method == "POST" and not rest:
            return self._create(raw)
        elif method == "GET" and not rest:
            return 200, self._list(query)
        else:
            batch = self.batches.get(rest[0])
            if batch is None:
                return 404, error_body(f"No batch found with id '{rest[0]}'.", INVALID, None, "id")
            if method == "GET" and len(rest) == 1:
                if self.auto:
                    self._step(batch)
                return 200, batch
            if method == "POST" and rest[1:] == ["cancel"]:
                return self._cancel(batch)
        return 404, error_body(f"Invalid URL ({method} {url.path})", INVALID)

    def _upload(self, content_type: str, raw: bytes) -> Handled:
        parts = _multipart(content_type, raw)
        if "file" not in parts or "purpose" not in parts:
            return 400, error_body("'file' and 'purpose' are required.", INVALID)
        name, data = parts["file"]
        file = _File(_new_id("file-"), name or "upload", parts["purpose"][1].decode(), data)
        self.files[file.id] = file
        return 200, file.info()

    def _create(self, raw: bytes) -> Handled:
        try:
            body = json.loads(raw)
        except ValueError:
            return 400, error_body("We could not parse the JSON body of your request.", INVALID)
        file = self.files.get(str(body.get("input_file_id")))
        if file is None or file.purpose != "batch":
            msg = f"Input file {body.get('input_file_id')} does not exist or is not for batches."
            return 400, error_body(msg, INVALID, None, "input_file_id")
        if body.get("endpoint") != ENDPOINT or body.get("completion_window") != "24h":
            return 400, error_body("Only /v1/chat/completions within 24h is served.", INVALID)
        now = int(time.time())
        batch: dict[str, Any] = {
            "id": _new_id("batch_"),
            "object": "batch",
            "endpoint": ENDPOINT,
            "errors": None,
            "input_file_id": file.id,
            "completion_window": "24h",
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": now,
            "in_progress_at": None,
            "expires_at": now + 86_400,
            "finalizing_at": None,
            "completed_at": None,
            "failed_at": None,
            "expired_at": None,
            "cancelling_at": None,
            "cancelled_at": None,
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
            "metadata": body.get("metadata"),
        }
        self.batches[batch["id"]] = batch
        return 200, batch

    def _list(self, query: dict[str, str]) -> dict[str, Any]:
        newest = list(reversed(self.batches.values()))
        after = query.get("after")
        if after is not None:
            ids = [b["id"] for b in newest]
            newest = newest[ids.index(after) + 1 :] if after in ids else []
        limit = int(query.get("limit", 20))
        page = newest[:limit]
        return {
            "object": "list",
            "data": page,
            "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None,
            "has_more": len(newest) > limit,
        }

    def _cancel(self, batch: dict[str, Any]) -> Handled:
        if batch["status"] in ("completed", "failed", "expired", "cancelled"):
            msg = f"Cannot cancel a batch with status '{batch['status']}'."
            return 409, error_body(msg, INVALID)
        batch["status"], batch["cancelling_at"] = "cancelling", int(time.time())
        return 200, batch

    # -- the life of a batch ------------------------------------------------------------------

    def _step(self, batch: dict[str, Any]) -> None:
        """One step on (``auto``): validating -> in_progress -> (finalizing) completed."""
        status = batch["status"]
        if status == "validating":
            self._start(batch)
        elif status == "in_progress":
            self._finish(batch, "completed", set(), set(), set())
        elif status == "cancelling":
            undone = {r["custom_id"] for r in self._lines(batch)[0]}
            self._finish(batch, "cancelled", set(), set(), undone)

    def _lines(self, batch: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The input file's requests, and its validation errors (each with ``line``)."""
        errors: list[dict[str, Any]] = []
        requests: list[dict[str, Any]] = []
        seen: set[str] = set()
        data = self.files[batch["input_file_id"]].data.decode("utf-8", errors="replace")
        for number, line in enumerate(data.splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                custom_id, body = str(item["custom_id"]), item["body"]
                ok = item.get("method") == "POST" and item.get("url") == ENDPOINT
            except (ValueError, KeyError, TypeError):
                errors.append({"code": "invalid_json_line", "line": number, "message": line[:80]})
                continue
            if not ok or not isinstance(body, dict) or custom_id in seen:
                what = "duplicate custom_id" if custom_id in seen else "not a POST to " + ENDPOINT
                errors.append({"code": "invalid_request", "line": number, "message": what})
            seen.add(custom_id)
            requests.append({"custom_id": custom_id, "body": body})
        return requests, errors

    def _start(self, batch: dict[str, Any]) -> None:
        if batch["status"] != "validating":
            return
        requests, errors = self._lines(batch)
        if errors:
            self._failed(batch, errors)
            return
        batch["status"], batch["in_progress_at"] = "in_progress", int(time.time())
        batch["request_counts"]["total"] = len(requests)

    def _failed(self, batch: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        batch["status"], batch["failed_at"] = "failed", int(time.time())
        data = [{"code": None, "line": None, "message": None, "param": None, **e} for e in errors]
        batch["errors"] = {"object": "list", "data": data}

    def _finish(
        self,
        batch: dict[str, Any],
        status: str,
        missing: set[str],
        malformed: set[str],
        undone: set[str],
    ) -> None:
        output: list[str] = []
        failures: list[str] = []
        counts = batch["request_counts"]
        for request in self._lines(batch)[0]:
            custom_id = request["custom_id"]
            if custom_id in missing:
                continue
            item: dict[str, Any] = {"id": _new_id("batch_req_"), "custom_id": custom_id}
            if custom_id in undone:
                code = "batch_expired" if status == "expired" else "batch_cancelled"
                message = _EXPIRED if status == "expired" else _CANCELLED
                item |= {"response": None, "error": {"code": code, "message": message}}
                failures.append(json.dumps(item))
                counts["failed"] += 1
                continue
            status_code, body = self._run(custom_id, request["body"])
            response = {"status_code": status_code, "request_id": _new_id("req_"), "body": body}
            line = json.dumps(item | {"response": response, "error": None})
            if custom_id in malformed:
                line = line[: len(line) // 2]
            ok = status_code == 200
            (output if ok else failures).append(line)
            counts["completed" if ok else "failed"] += 1
        for key, lines in (("output_file_id", output), ("error_file_id", failures)):
            if lines:
                data = "".join(f"{line}\n" for line in lines).encode()
                file = _File(
                    _new_id("file-"), f"{batch['id']}_{key[:-8]}.jsonl", "batch_output", data
                )
                self.files[file.id] = file
                batch[key] = file.id
        now = int(time.time())
        batch["status"] = status
        batch["finalizing_at"] = batch["finalizing_at"] or now
        batch[f"{status}_at"] = now

    def _run(self, custom_id: str, body: dict[str, Any]) -> Handled:
        script = self._scripts.get(custom_id)
        reply = script.popleft() if script else self._default
        if reply is None:
            msg = f"FakeChatServer has no reply for {custom_id} (script one, or pass default=)"
            return 500, error_body(msg, "server_error")
        return self._answer(reply, body)
