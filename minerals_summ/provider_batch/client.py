"""The provider's Files and Batch endpoints, through the openai SDK (``files``, ``batches``).

Any server with OpenAI's endpoints works: OpenAI, Azure OpenAI (its ``AzureOpenAI`` client),
or a fake. SDK errors come out as :class:`~minerals_summ.exceptions.ProviderError`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, TypeVar

import openai
from openai.types import Batch

from minerals_summ.exceptions import ProviderError

__all__ = ["TERMINAL", "create_batch", "download", "find_batch", "retrieve", "upload"]

# A batch in one of these states will not change any more.
TERMINAL = frozenset({"completed", "expired", "failed", "cancelled"})
TOKEN_KEY = "minerals_summ_token"
_T = TypeVar("_T")


def _call(what: str, action: Callable[[], _T]) -> _T:
    try:
        return action()
    except openai.APIStatusError as exc:
        raise ProviderError(
            f"{what} failed: {exc.status_code} {exc.message}",
            status_code=exc.status_code,
            code=getattr(exc, "code", None),
            request_id=exc.request_id,
        ) from exc
    except openai.APIError as exc:
        raise ProviderError(f"{what} failed: {type(exc).__name__}: {exc}") from exc


def upload(client: openai.OpenAI, data: bytes, name: str) -> str:
    """Upload a batch input file; its id."""
    file = (name, io.BytesIO(data), "application/jsonl")
    created = _call(
        "uploading the input file", lambda: client.files.create(file=file, purpose="batch")
    )
    return created.id


def create_batch(client: openai.OpenAI, input_file_id: str, token: str) -> Batch:
    """Create the batch (24 h window); ``token`` goes into its metadata, to find it again."""
    return _call(
        "creating the batch",
        lambda: client.batches.create(
            input_file_id=input_file_id,
            endpoint="/v1/chat/completions",
            completion_window="24h",
            metadata={TOKEN_KEY: token},
        ),
    )


def find_batch(client: openai.OpenAI, token: str, *, limit: int = 1000) -> Batch | None:
    """The batch created with ``token`` (among the newest ``limit``), if one was."""

    def search() -> Batch | None:
        for n, batch in enumerate(client.batches.list(limit=100)):
            if (batch.metadata or {}).get(TOKEN_KEY) == token:
                return batch
            if n + 1 >= limit:
                break
        return None

    return _call("listing batches", search)


def retrieve(client: openai.OpenAI, batch_id: str) -> Batch:
    return _call(f"retrieving batch {batch_id}", lambda: client.batches.retrieve(batch_id))


def cancel(client: openai.OpenAI, batch_id: str) -> Batch:
    return _call(f"cancelling batch {batch_id}", lambda: client.batches.cancel(batch_id))


def download(client: openai.OpenAI, file_id: str) -> bytes:
    """A file's content (an output or error file)."""
    response: Any = _call(f"downloading file {file_id}", lambda: client.files.content(file_id))
    return bytes(response.content)
