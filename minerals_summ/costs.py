"""What model calls cost in money: :func:`cost_of`, from token counts and a price per model.

Prices come from `genai-prices <https://github.com/pydantic/genai-prices>`_, a maintained price
library that ships its data with the package: nothing is fetched at run time (its optional
background updater, ``genai_prices.UpdatePrices``, is never started here; a caller who wants
fresher prices can start it). A price given with :func:`set_price` takes precedence, for a
model the library does not know (a local or fine-tuned model) or a negotiated rate.

Cached prompt tokens (``Usage.cached_tokens``, part of ``prompt_tokens``) are billed at the
cache-read price, the other prompt tokens at the input price, completion tokens at the output
price. ``batch=True`` applies the provider's batch discount (:data:`BATCH_DISCOUNT`).
"""

from __future__ import annotations

import functools
import logging
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from minerals_summ.exceptions import ConfigurationError, RunError
from minerals_summ.records import Usage

if TYPE_CHECKING:
    from minerals_summ.summary import ArticleSummary

__all__ = [
    "BATCH_DISCOUNT",
    "Price",
    "Spending",
    "clear_prices",
    "context_window",
    "cost_of",
    "format_cost",
    "known_price",
    "set_price",
]

log = logging.getLogger("minerals_summ")

MILLION = Decimal(1_000_000)
# The share of the price a provider's batch API charges, by provider. OpenAI and Anthropic
# both bill batch requests at half price; an unlisted provider is billed in full.
BATCH_DISCOUNT: dict[str, Decimal] = {"openai": Decimal("0.5"), "anthropic": Decimal("0.5")}


@dataclass(frozen=True, kw_only=True)
class Price:
    """US dollars per million tokens. ``cached_input`` defaults to ``input`` when not given."""

    input: Decimal
    output: Decimal
    cached_input: Decimal | None = None
    provider: str | None = None  # for the batch discount, e.g. "openai"

    def cost(self, usage: Usage) -> Decimal:
        cached = min(usage.cached_tokens, usage.prompt_tokens)
        cached_price = self.input if self.cached_input is None else self.cached_input
        return (
            (usage.prompt_tokens - cached) * self.input
            + cached * cached_price
            + usage.completion_tokens * self.output
        ) / MILLION


_OVERRIDES: dict[str, Price] = {}
_WARNED: set[str] = set()
_LOCK = threading.Lock()


def _decimal(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ConfigurationError(f"{name} must be a number of dollars, not {value!r}")
    try:
        number = Decimal(str(value))
    except ArithmeticError as exc:
        raise ConfigurationError(f"{name} must be a number of dollars, not {value!r}") from exc
    if not number.is_finite() or number < 0:
        raise ConfigurationError(f"{name} must be a number of dollars >= 0, not {value!r}")
    return number


def set_price(
    model: str,
    *,
    input_per_mtok: float | str | Decimal,
    output_per_mtok: float | str | Decimal,
    cached_input_per_mtok: float | str | Decimal | None = None,
    provider: str | None = None,
) -> None:
    """Price ``model`` (exactly this name) in US dollars per million tokens.

    Overrides genai-prices for that name; ``provider`` ("openai", "anthropic") selects the batch
    discount. :func:`clear_prices` removes every price set here.
    """
    if not isinstance(model, str) or not model:
        raise ConfigurationError(f"model must be a model name, not {model!r}")
    price = Price(
        input=_decimal("input_per_mtok", input_per_mtok),
        output=_decimal("output_per_mtok", output_per_mtok),
        cached_input=None
        if cached_input_per_mtok is None
        else _decimal("cached_input_per_mtok", cached_input_per_mtok),
        provider=provider,
    )
    with _LOCK:
        _OVERRIDES[model] = price
        _WARNED.discard(model)


def clear_prices() -> None:
    """Forget the prices given with :func:`set_price`."""
    with _LOCK:
        _OVERRIDES.clear()
        _WARNED.clear()


def _library_cost(usage: Usage, model: str) -> tuple[Decimal, str] | None:
    """genai-prices' cost of ``usage`` and the provider it priced, or None for an unknown model."""
    from genai_prices import Usage as PriceUsage
    from genai_prices import calc_price

    cached = min(usage.cached_tokens, usage.prompt_tokens)
    try:
        result = calc_price(
            PriceUsage(
                input_tokens=usage.prompt_tokens,
                cache_read_tokens=cached or None,
                output_tokens=usage.completion_tokens,
            ),
            model,
        )
    except LookupError:
        return None
    return Decimal(str(result.total_price)), str(result.provider.id)


def _unknown(model: str) -> None:
    with _LOCK:
        if model in _WARNED:
            return
        _WARNED.add(model)
    log.warning(
        "no price known for model %r: costs are given in tokens only "
        "(minerals_summ.costs.set_price(%r, ...) to give one)",
        model,
        model,
    )


def cost_of(usage: Usage, model: str, *, batch: bool = False) -> Decimal | None:
    """What ``usage`` cost on ``model`` in US dollars, or None (said once) for an unknown model.

    ``batch=True`` applies the provider's batch-API discount (:data:`BATCH_DISCOUNT`).
    """
    override = _OVERRIDES.get(model)
    if override is not None:
        cost, provider = override.cost(usage), override.provider
    else:
        found = _library_cost(usage, model)
        if found is None:
            _unknown(model)
            return None
        cost, provider = found
    if batch:
        cost *= BATCH_DISCOUNT.get(provider or "", Decimal(1))
    return cost


def known_price(model: str) -> bool:
    """Whether :func:`cost_of` can price ``model`` (a price set here, or genai-prices')."""
    return model in _OVERRIDES or _library_cost(Usage(), model) is not None


@functools.cache
def context_window(model: str) -> int | None:
    """The model's context window in tokens, as genai-prices records it, or None when unknown."""
    from genai_prices import data_snapshot

    snapshot: Any = data_snapshot.get_snapshot()
    try:
        _, info = snapshot.find_provider_model(model, None, None, None)
    except (LookupError, AttributeError, TypeError):  # unknown, or the library changed shape
        return None
    window = getattr(info, "context_window", None)
    return window if isinstance(window, int) and window > 0 else None


def format_cost(cost: Decimal | None) -> str:
    """ "$0.0123" (four significant places for small sums), or "" when unknown."""
    if cost is None:
        return ""
    if cost >= 1:
        return f"${cost:,.2f}"
    return f"${cost:.4f}" if cost >= Decimal("0.0001") else f"${cost:.6f}"


@dataclass
class Spending:
    """Tokens and money spent over a run, failed articles' calls included; cache hits cost
    nothing. ``cost`` is None once any model call could not be priced."""

    model: str
    usage: Usage = field(default_factory=Usage)
    cost: Decimal | None = Decimal(0)

    def add(self, usage: Usage | None, cost: Decimal | None = None) -> None:
        """Count ``usage``, priced at ``cost`` (computed for :attr:`model` when not given)."""
        if usage is None:
            return
        self.usage += usage
        if cost is None:
            cost = cost_of(usage, self.model)
        self.cost = None if cost is None or self.cost is None else self.cost + cost

    def add_result(
        self, summary: ArticleSummary | None, error: BaseException | None, *, cached: bool = False
    ) -> None:
        """Count one article's calls: its summary's provenance, or what its error spent."""
        if summary is not None and summary.provenance is not None:
            if not cached:
                self.add(summary.provenance.usage, summary.provenance.cost_usd)
        elif isinstance(error, RunError):
            self.add(error.usage)

    def line(self) -> str:
        """ "12,345 tokens (10,000 in, of which 2,000 cached; 2,345 out), $0.0123"."""
        u = self.usage
        cached = f", of which {u.cached_tokens:,} cached" if u.cached_tokens else ""
        tokens = (
            f"{u.total_tokens:,} tokens ({u.prompt_tokens:,} in{cached}; "
            f"{u.completion_tokens:,} out)"
        )
        money = format_cost(self.cost) if u.total_tokens else "$0"
        return f"{tokens}, {money}" if money else tokens
