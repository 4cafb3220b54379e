"""The loopback HTTP layer of the fake server: a threading server and its request handler, which
asks the :class:`~minerals_summ.testing.FakeChatServer` for each answer and writes it (at once,
after a delay, a byte at a time, or not at all)."""

from __future__ import annotations

import json
import socket
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from minerals_summ.testing.replies import error_body

if TYPE_CHECKING:
    from minerals_summ.testing.server import FakeChatServer

__all__ = ["Answer", "HTTPServer"]


@dataclass
class Answer:
    status: int
    body: Any  # JSON-able, or a str sent verbatim
    headers: dict[str, str] = field(default_factory=dict)
    tokens: int = 0  # completion tokens
    delay_s: float = 0.0
    drop: bool = False
    exact: bool = False  # Reply.raw: send the recorded headers, add no made-up ones
    trickle_s: float = 0.0
    trickle_head: bool = False


class HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops bursts of connects (1 s SYN retry)

    def __init__(self, fake: FakeChatServer) -> None:
        super().__init__(("127.0.0.1", fake.port), _Handler)
        self.fake = fake
        self.connections: dict[socket.socket, threading.Thread] = {}

    def process_request(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(target=self._serve, args=(request, client_address), daemon=True)
        with self.fake._lock:
            self.connections[request] = worker
        worker.start()

    def _serve(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self.fake._lock:
                self.connections.pop(request, None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # a client that went away is not news
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms delayed-ACK stall
    server: HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        headers = {key.lower(): value for key, value in self.headers.items()}
        try:
            answer = self.server.fake._answer(self.command, self.path, headers, raw)
        except Exception as exc:  # a bug or odd request must fail the test loudly, not hang it
            answer = Answer(500, error_body(f"FakeChatServer failed: {exc!r}", "server_error"))
        if answer is None:
            self.close_connection = True
            return
        kind = "application/json"
        if isinstance(answer.body, bytes):  # a file's content
            payload, kind = answer.body, "application/octet-stream"
        else:
            body = answer.body if isinstance(answer.body, str) else json.dumps(answer.body)
            payload = body.encode()
        headers = {"content-type": kind, **answer.headers}
        headers["content-length"] = str(len(payload))
        if answer.trickle_head:
            self._trickle(self._head(answer.status, headers) + payload, answer.trickle_s)
            return
        self.send_response(answer.status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if answer.trickle_s:
            self._trickle(payload, answer.trickle_s)
        else:
            self.wfile.write(payload)

    def _head(self, status: int, headers: dict[str, str]) -> bytes:
        lines = [f"{self.protocol_version} {status} {self.responses.get(status, ('',))[0]}"]
        lines += [f"{key}: {value}" for key, value in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _trickle(self, data: bytes, interval: float) -> None:
        """Write ``data`` a byte at a time, ``interval`` seconds apart."""
        for i in range(len(data)):
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()
            if self.server.fake._closing.wait(interval):
                return

    do_POST = do_GET
