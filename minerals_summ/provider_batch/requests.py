"""The batch input format: one JSON line per request, split to fit the provider's limits.

A line is ``{"custom_id": ..., "method": "POST", "url": "/v1/chat/completions", "body": ...}``,
the format of OpenAI's Batch API, Azure OpenAI's and ``vllm run-batch``; the body is the one a
live call sends (:func:`minerals_summ.provider_batch.checks.check_answers` captures it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["ENDPOINT", "MAX_BYTES", "MAX_REQUESTS", "chunks", "request_line"]

ENDPOINT = "/v1/chat/completions"
# OpenAI's limits for one batch input file.
MAX_REQUESTS = 50_000
MAX_BYTES = 200 * 1024 * 1024


def request_line(custom_id: str, body: dict[str, Any]) -> bytes:
    """One line of a batch input file, newline included."""
    line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
    return (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def chunks(
    lines: Iterable[tuple[str, bytes]],
    *,
    max_requests: int = MAX_REQUESTS,
    max_bytes: int = MAX_BYTES,
) -> Iterator[list[tuple[str, bytes]]]:
    """``(custom_id, line)`` pairs in input files of at most ``max_requests`` lines and
    ``max_bytes`` bytes each, in order. A line longer than ``max_bytes`` alone is a
    ``ValueError`` (no provider would take it)."""
    chunk: list[tuple[str, bytes]] = []
    size = 0
    for custom_id, line in lines:
        if len(line) > max_bytes:
            raise ValueError(f"the request for {custom_id} alone is over {max_bytes:,} bytes")
        if chunk and (len(chunk) >= max_requests or size + len(line) > max_bytes):
            yield chunk
            chunk, size = [], 0
        chunk.append((custom_id, line))
        size += len(line)
    if chunk:
        yield chunk
