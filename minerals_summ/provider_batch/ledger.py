"""The cost ledger of a run: tokens of batch answers at the batch price, of live calls at the
live price (:func:`minerals_summ.costs.cost_of`), beside what the same tokens would cost live
and without prompt caching."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from minerals_summ.costs import cost_of
from minerals_summ.provider_batch.state import State
from minerals_summ.records import Usage

__all__ = ["Costs", "costs_of"]


@dataclass(frozen=True)
class Costs:
    """What the finished articles cost, in USD (None: no price known for the model)."""

    usage: Usage  # every answer's tokens, batch and live
    batch_usage: Usage  # the part answered by batches
    paid: Decimal | None  # batch answers at the batch price, live ones at the live price
    at_live_prices: Decimal | None  # the same tokens, all through live calls
    without_caching: Decimal | None  # all live, and no prompt token served from a cache


def costs_of(state: State, model: str) -> Costs:
    """The costs of the finished items of ``state`` on ``model``."""
    batch_usage, live_usage = Usage(), Usage()
    for batch_part, live_part in state.usages():
        batch_usage += Usage(**batch_part)
        live_usage += Usage(**live_part)
    total = batch_usage + live_usage
    batch_cost = cost_of(batch_usage, model, batch=True)
    live_cost = cost_of(live_usage, model)
    paid = batch_cost + live_cost if batch_cost is not None and live_cost is not None else None
    uncached = total.model_copy(update={"cached_tokens": 0})
    return Costs(total, batch_usage, paid, cost_of(total, model), cost_of(uncached, model))
