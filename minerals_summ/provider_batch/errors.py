"""Why an article of a provider batch ended without a summary.

::

    RunError
    └── BatchItemFailed        the item ended without an answer (.batch_id, .reason)
        ├── ItemRejected       the provider answered the item with an error (.status_code, .body)
        ├── ItemMissing        the batch finished without a line for the item
        ├── BatchExpired       the batch expired before running the item, and resubmitting
        │                      was not allowed or used up
        ├── BatchFailed        the batch failed validation (.errors)
        └── BatchCancelled     the batch was cancelled before running the item

Answers that arrived but never passed the checks end as the live path's own errors
(:class:`~minerals_summ.exceptions.ExtractionError` after the last attempt, ``ModelRefusal``,
``OutputTruncated``).
"""

from __future__ import annotations

from typing import Any

from minerals_summ.exceptions import RunError
from minerals_summ.records import Usage

__all__ = [
    "BatchCancelled",
    "BatchExpired",
    "BatchFailed",
    "BatchItemFailed",
    "ItemMissing",
    "ItemRejected",
]


class BatchItemFailed(RunError):
    """An article of a provider batch ended without an answer; ``reason`` names why."""

    reason = "failed"

    def __init__(self, message: str, *, batch_id: str | None, usage: Usage | None = None) -> None:
        super().__init__(message, usage=usage)
        self.batch_id = batch_id


class ItemRejected(BatchItemFailed):
    """The provider answered the item's request with an error (a 4xx inside its result)."""

    reason = "item_error"

    def __init__(
        self,
        message: str,
        *,
        batch_id: str | None,
        status_code: int | None,
        body: Any = None,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message, batch_id=batch_id, usage=usage)
        self.status_code = status_code
        self.body = body


class ItemMissing(BatchItemFailed):
    """The batch completed, but neither its output nor its error file has the item."""

    reason = "missing"


class BatchExpired(BatchItemFailed):
    """The batch expired with the item undone, and it was not (or no more) resubmitted."""

    reason = "expired"


class BatchFailed(BatchItemFailed):
    """The batch failed validation; ``errors`` holds the provider's list."""

    reason = "batch_failed"

    def __init__(
        self,
        message: str,
        *,
        batch_id: str | None,
        errors: list[dict[str, Any]],
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message, batch_id=batch_id, usage=usage)
        self.errors = errors


class BatchCancelled(BatchItemFailed):
    """The batch was cancelled before the item ran."""

    reason = "cancelled"
