"""Prompt tokens served from the provider's cache: read from each server's fields, summed in
usage and provenance, and priced at the cached rate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import openai
import pytest
from openai.types.chat import ChatCompletion

from minerals_summ import summarise
from minerals_summ.costs import cost_of
from minerals_summ.gold import GoldArticle
from minerals_summ.llm import usage_of
from minerals_summ.records import Usage
from minerals_summ.testing import FakeChatServer

USAGE = {"prompt_tokens": 2000, "completion_tokens": 10, "total_tokens": 2010}


def completion(usage: dict[str, Any], **extra: Any) -> ChatCompletion:
    body = {"id": "c", "object": "chat.completion", "created": 0, "model": "m", "choices": []}
    return ChatCompletion.construct(**body, usage=usage, **extra)


@pytest.mark.parametrize(
    ("usage", "extra", "cached"),
    [
        ({**USAGE, "prompt_tokens_details": {"cached_tokens": 1792}}, {}, 1792),  # OpenAI, vLLM
        ({**USAGE, "prompt_cache_hit_tokens": 1024}, {}, 1024),  # DeepSeek
        (USAGE, {"timings": {"cache_n": 512, "prompt_n": 1488}}, 512),  # older llama.cpp
        ({**USAGE, "prompt_tokens_details": {"cached_tokens": None}}, {}, 0),
        ({**USAGE, "prompt_tokens_details": {"cached_tokens": 9999}}, {}, 2000),  # at most all
        (USAGE, {}, 0),
    ],
)
def test_cached_tokens_are_read_from_each_servers_field(
    usage: dict[str, Any], extra: dict[str, Any], cached: int
) -> None:
    assert usage_of(completion(usage, **extra)).cached_tokens == cached


def test_cached_tokens_add_up() -> None:
    total = Usage(prompt_tokens=10, cached_tokens=4) + Usage(prompt_tokens=5, cached_tokens=1)
    assert (total.prompt_tokens, total.cached_tokens) == (15, 5)


def test_a_repeated_prefix_is_reported_cached_and_kept_in_provenance(seed: GoldArticle) -> None:
    with FakeChatServer(default=seed.draft) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k")
        first = summarise(seed.text, published="2025-09-09", client=client, model="m")
        second = summarise(f"Ref 2.\n{seed.text}", published="2025-09-09", client=client, model="m")
    assert first.provenance is not None
    assert second.provenance is not None
    assert first.provenance.usage.cached_tokens == 0
    cached = second.provenance.usage.cached_tokens
    assert cached >= 1024  # the fixed prompt: system text and tool definition
    assert cached % 128 == 0
    assert cached < second.provenance.usage.prompt_tokens


def test_costs_price_cached_tokens_and_the_batch_discount() -> None:
    usage = Usage(prompt_tokens=1_000_000, cached_tokens=400_000, completion_tokens=100_000)
    live = cost_of(usage, "gpt-4.1-mini")
    # 600k fresh at 0.40, 400k cached at 0.10, 100k out at 1.60 (USD per million)
    assert live == Decimal("0.24") + Decimal("0.04") + Decimal("0.16")
    assert cost_of(usage, "gpt-4.1-mini", batch=True) == live / 2
    assert cost_of(usage, "a-model-without-a-price") is None
