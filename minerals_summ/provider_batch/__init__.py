"""A corpus through a provider's Batch API (OpenAI, Azure OpenAI, ``vllm run-batch``): half the
price of live calls, answered within 24 hours, every answer checked as a live call checks it.

::

    from minerals_summ.provider_batch import ProviderBatch

    with ProviderBatch("results.jsonl", client=openai.OpenAI()) as run:
        run.prepare(articles, model="gpt-4.1-mini")    # the batch JSONL, in the state
        run.submit()                                    # upload, create (split past the limits)
        run.status()                                    # each batch as the provider reports it
        run.collect()                                   # check answers; re-ask in a new batch
        run.outcomes()                                  # one outcome per article, once final

The state (SQLite, ``results.batch.sqlite``) makes every step resumable; ``collect`` is
idempotent. Every article ends as exactly one outcome: a summary, or a typed failure
(:mod:`minerals_summ.provider_batch.errors`, or the live path's own ``ExtractionError``).
"""

from minerals_summ.provider_batch.collect import Tally
from minerals_summ.provider_batch.errors import (
    BatchCancelled,
    BatchExpired,
    BatchFailed,
    BatchItemFailed,
    ItemMissing,
    ItemRejected,
)
from minerals_summ.provider_batch.job import BatchInfo, ProviderBatch
from minerals_summ.provider_batch.ledger import Costs
from minerals_summ.provider_batch.state import state_path

__all__ = [
    "BatchCancelled",
    "BatchExpired",
    "BatchFailed",
    "BatchInfo",
    "BatchItemFailed",
    "Costs",
    "ItemMissing",
    "ItemRejected",
    "ProviderBatch",
    "Tally",
    "state_path",
]
