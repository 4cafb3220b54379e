"""What a run cost in money, from its token usage and the model's list prices.

A minimal version: a few OpenAI models' list prices (USD per million tokens), prompt tokens
served from the provider's cache at the cached price, and the Batch API's discount (half of the
live price, on input and output alike).
"""

from __future__ import annotations

from decimal import Decimal

from minerals_summ.records import Usage

__all__ = ["PRICES", "cost_of"]

_MILLION = Decimal(1_000_000)
BATCH_DISCOUNT = Decimal("0.5")

# model: (input, cached input, output), USD per million tokens (OpenAI's list prices).
PRICES: dict[str, tuple[Decimal, Decimal, Decimal]] = {
    "gpt-4.1": (Decimal("2.00"), Decimal("0.50"), Decimal("8.00")),
    "gpt-4.1-mini": (Decimal("0.40"), Decimal("0.10"), Decimal("1.60")),
    "gpt-4.1-nano": (Decimal("0.10"), Decimal("0.025"), Decimal("0.40")),
    "gpt-4o": (Decimal("2.50"), Decimal("1.25"), Decimal("10.00")),
    "gpt-4o-mini": (Decimal("0.15"), Decimal("0.075"), Decimal("0.60")),
}


def cost_of(usage: Usage, model: str, *, batch: bool = False) -> Decimal | None:
    """The cost in USD of ``usage`` on ``model`` (None for a model without a known price);
    ``batch`` applies the Batch API's discount."""
    prices = PRICES.get(model)
    if prices is None:
        return None
    fresh, cached, output = prices
    cached_tokens = min(usage.cached_tokens, usage.prompt_tokens)
    cost = (
        (usage.prompt_tokens - cached_tokens) * fresh
        + cached_tokens * cached
        + usage.completion_tokens * output
    ) / _MILLION
    return cost * BATCH_DISCOUNT if batch else cost
