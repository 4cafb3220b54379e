"""What :mod:`tests.independent_batches` puts on the wire: result lines, chat completions, error
bodies and file objects, written from OpenAI's documentation, and its HTTP handler."""

from __future__ import annotations

import email.parser
import email.policy
import json
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any, Literal, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = [
    "MALFORMED",
    "MISSING",
    "UNREADABLE",
    "Answer",
    "Behaviour",
    "Fails",
    "completion",
    "error_body",
    "file_object",
    "handler",
    "result_line",
    "undone_line",
]

MISSING = "missing"  # the batch ends with no line at all for the request
MALFORMED = "malformed"  # the request's line in the output file is cut off after its custom_id
UNREADABLE = "unreadable"  # ... cut off before its custom_id
WORKER = "eu-west\u2028pool\x85b"  # line and paragraph separators that are not line ends


@dataclass(frozen=True)
class Answer:
    """A 200 answer: ``draft`` (a JSON object, as a tool call or as content, as the request
    asks) or exactly ``content``. ``status``: the line's ``response.status_code`` (None: the
    line leaves it out, as the schema, where no field of ``response`` is required, allows)."""

    draft: dict[str, Any] | None = None
    content: str | None = None
    status: int | None = 200


@dataclass(frozen=True)
class Fails:
    """The request's own error (the error file): ``status`` with OpenAI's error body; or the
    way ``vllm run-batch`` writes it, a response with no body and beside it an ``error``
    object (``vllm``) or a bare message (``vllm-text``)."""

    status: int
    message: str = "The request was rejected."
    style: Literal["openai", "vllm", "vllm-text"] = "openai"
    code: str | None = None  # the error body's code (default: e<status>)


Behaviour = Answer | Fails | str


def dumps(record: dict[str, Any]) -> str:
    """JSON as a server that does not escape non-ASCII text writes it."""
    return json.dumps(record, ensure_ascii=False)


def error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    kind = "server_error" if status >= 500 else "invalid_request_error"
    error = {"message": message, "type": kind, "param": None, "code": code or f"e{status}"}
    return {"error": error}


def result_line(
    custom_id: str, request: dict[str, Any], behaviour: Behaviour
) -> tuple[str, str] | None:
    """The line that answers ``request`` and the file it goes to (``output`` or ``error``);
    None for no line at all."""
    line_id = f"breq-{uuid.uuid4().hex[:10]}"
    if behaviour == MISSING:
        return None
    if behaviour in (MALFORMED, UNREADABLE):
        body = completion(request, Answer(content="cut"))
        text = dumps({"id": line_id, "custom_id": custom_id, "response": {"body": body}})
        return "output", text[: len(text) // 2 if behaviour == MALFORMED else 20]
    if isinstance(behaviour, Answer):
        response: dict[str, Any] = {"request_id": line_id, "body": completion(request, behaviour)}
        if behaviour.status is not None:
            response["status_code"] = behaviour.status
        record = {"id": line_id, "custom_id": custom_id, "response": response, "error": None}
        return "output", dumps({**record, "x_worker": WORKER})
    assert isinstance(behaviour, Fails), behaviour
    status, message = behaviour.status, behaviour.message
    if behaviour.style != "openai":
        error: Any = {"object": "error", "message": message, "type": "BadRequest", "code": status}
        response = {"status_code": status, "request_id": f"vllm-batch-{line_id}"}
        record = {"id": f"vllm-{line_id}", "custom_id": custom_id, "response": response}
        return "error", dumps({**record, "error": message if "text" in behaviour.style else error})
    body = error_body(status, message, behaviour.code)
    response = {"status_code": status, "request_id": line_id, "body": body}
    record = {"id": line_id, "custom_id": custom_id, "response": response, "error": None}
    return "error", dumps({**record, "x_worker": WORKER})


def undone_line(custom_id: str, code: str, message: str) -> str:
    """The error-file line of a request the batch never ran (expired, cancelled)."""
    error = {"code": code, "message": message}
    line_id = f"breq-{uuid.uuid4().hex[:10]}"
    return dumps({"id": line_id, "custom_id": custom_id, "response": None, "error": error})


def file_object(file_id: str, filename: str, purpose: str, size: int) -> dict[str, Any]:
    now = int(time.time())
    return {
        "id": file_id,
        "object": "file",
        "bytes": size,
        "created_at": now,
        "expires_at": now + 30 * 86400,
        "filename": filename,
        "purpose": purpose,
        "status": "processed",
        "status_details": None,
        "x_storage_class": "hot",
    }


def completion(request: dict[str, Any], answer: Answer) -> dict[str, Any]:
    """A chat completion answering ``request``, with fields the SDK does not know."""
    text = answer.content if answer.content is not None else json.dumps(answer.draft)
    message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
    tools = request.get("tools") or []
    if tools and answer.content is None:
        call = {"name": tools[0]["function"]["name"], "arguments": text}
        tool_call = {"id": f"call_{uuid.uuid4().hex[:8]}", "type": "function", "function": call}
        message = {**message, "content": None, "tool_calls": [tool_call]}
    prompt = len(json.dumps(request.get("messages", []))) // 4
    choice = {"index": 0, "message": {**message, "annotations": []}, "logprobs": None}
    return {
        "id": f"cmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": f"{request.get('model')}-2025-04-14",
        "choices": [{**choice, "finish_reason": "stop", "x_stop_detail": None}],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": len(text) // 4,
            "total_tokens": prompt + len(text) // 4,
            "prompt_tokens_details": {"cached_tokens": prompt // 2, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "x_draft_tokens": 3},
        },
        "service_tier": "batch",
        "system_fingerprint": "fp_independent",
        "x_provider_notes": {"region": WORKER},
    }


class API(Protocol):
    """What the handler asks of the API's state."""

    lock: Any
    files: dict[str, dict[str, Any]]
    contents: dict[str, bytes]
    batches: dict[str, Any]

    def add_file(self, filename: str, purpose: str, data: bytes) -> str: ...
    def batch_json(self, batch_id: str) -> dict[str, Any]: ...
    def list_batches(self, query: dict[str, list[str]]) -> dict[str, Any]: ...
    def create_batch(self, request: dict[str, Any]) -> tuple[int, dict[str, Any]]: ...
    def cancel(self, batch_id: str) -> tuple[int, dict[str, Any]]: ...
    def live(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]: ...


def handler(api: API) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, payload: dict[str, Any] | bytes, kind: str = "") -> None:
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", kind or "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-request-id", f"req-{uuid.uuid4().hex[:8]}")
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _parts(self) -> tuple[list[str], dict[str, list[str]]]:
            url = urlsplit(self.path)
            return [unquote(p) for p in url.path.split("/") if p], parse_qs(url.query)

        def do_GET(self) -> None:
            parts, query = self._parts()
            with api.lock:
                match parts:
                    case ["v1", "files", file_id] if file_id in api.files:
                        return self._send(200, api.files[file_id])
                    case ["v1", "files", file_id, "content"] if file_id in api.contents:
                        return self._send(200, api.contents[file_id], "application/octet-stream")
                    case ["v1", "batches"]:
                        return self._send(200, api.list_batches(query))
                    case ["v1", "batches", batch_id] if batch_id in api.batches:
                        return self._send(200, api.batch_json(batch_id))
            return self._send(404, error_body(404, f"No such object: {self.path}"))

        def do_POST(self) -> None:
            parts, _ = self._parts()
            data = self._body()
            with api.lock:
                match parts:
                    case ["v1", "files"]:
                        return self._upload(data)
                    case ["v1", "batches"]:
                        return self._send(*api.create_batch(json.loads(data)))
                    case ["v1", "batches", batch_id, "cancel"] if batch_id in api.batches:
                        return self._send(*api.cancel(batch_id))
                    case ["v1", "chat", "completions"]:
                        return self._send(*api.live(json.loads(data)))
            return self._send(404, error_body(404, f"No such route: {self.path}"))

        def _upload(self, data: bytes) -> None:
            head = f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode()
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + data)
            fields: dict[str, tuple[str | None, bytes]] = {}
            for part in message.iter_parts():
                payload = part.get_payload(decode=True)
                name = part.get_param("name", header="content-disposition")
                fields[str(name)] = (
                    part.get_filename(),
                    payload if isinstance(payload, bytes) else b"",
                )
            if "file" not in fields or fields.get("purpose", (None, b""))[1] != b"batch":
                return self._send(400, error_body(400, "a file and purpose=batch are required"))
            filename, content = fields["file"]
            return self._send(200, api.files[api.add_file(filename or "upload", "batch", content)])

    return Handler
