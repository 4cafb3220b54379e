"""Cost in money: prices per model, cached tokens, batch discount, unknown models, the CLI line."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openai
import pytest
from click.testing import CliRunner

from minerals_summ import ConfigurationError, Usage, summarise
from minerals_summ.cli import cli
from minerals_summ.costs import Spending, clear_prices, cost_of, known_price, set_price
from minerals_summ.gold import GoldArticle
from minerals_summ.testing import FakeChatServer


@pytest.fixture(autouse=True)
def _no_prices_left() -> Iterator[None]:
    clear_prices()
    yield
    clear_prices()


MILLION = Usage(prompt_tokens=1_000_000, completion_tokens=1_000_000, total_tokens=2_000_000)


def test_known_models_are_priced_from_the_bundled_table() -> None:
    # genai-prices' bundled data: gpt-4.1-mini $0.40 in, $1.60 out; gpt-4o-mini $0.15, $0.60.
    assert cost_of(MILLION, "gpt-4.1-mini") == Decimal("2.00")
    assert cost_of(MILLION, "gpt-4o-mini") == Decimal("0.75")
    assert cost_of(MILLION, "gpt-4.1-mini", batch=True) == Decimal("1.00")
    assert known_price("gpt-4.1-mini")
    assert not known_price("smollm2-135m")


def test_cached_tokens_are_billed_at_the_cache_price() -> None:
    cached = Usage(prompt_tokens=1_000_000, cached_tokens=1_000_000, total_tokens=1_000_000)
    uncached = Usage(prompt_tokens=1_000_000, total_tokens=1_000_000)
    assert cost_of(cached, "gpt-4.1-mini") == Decimal("0.10")  # $0.10 per cached million
    assert cost_of(uncached, "gpt-4.1-mini") == Decimal("0.40")
    assert (Usage(cached_tokens=5) + Usage(cached_tokens=7)).cached_tokens == 12


def test_a_price_set_by_the_user_wins(caplog: pytest.LogCaptureFixture) -> None:
    set_price("my-local", input_per_mtok="1", output_per_mtok=2, cached_input_per_mtok="0.5")
    usage = Usage(prompt_tokens=2_000_000, cached_tokens=1_000_000, completion_tokens=1_000_000)
    assert cost_of(usage, "my-local") == Decimal("3.5")
    set_price("gpt-4.1-mini", input_per_mtok=0, output_per_mtok=0)
    assert cost_of(MILLION, "gpt-4.1-mini") == 0
    with pytest.raises(ConfigurationError, match="input_per_mtok"):
        set_price("x", input_per_mtok=-1, output_per_mtok=1)


def test_an_unknown_model_is_said_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, "minerals_summ"):
        assert cost_of(MILLION, "nobody-knows-me") is None
        assert cost_of(MILLION, "nobody-knows-me") is None
    said = [r for r in caplog.records if "no price known" in r.getMessage()]
    assert len(said) == 1


def test_spending_sums_articles_and_goes_unknown_once_unpriced() -> None:
    spent = Spending("gpt-4o-mini")
    spent.add(MILLION)
    spent.add(MILLION, Decimal("0.25"))
    assert spent.cost == Decimal("1.00")
    assert spent.line() == "4,000,000 tokens (2,000,000 in; 2,000,000 out), $1.00"
    spent.model = "nobody-knows-me"
    spent.add(MILLION)
    assert spent.cost is None
    assert spent.line().endswith("out)")


def test_cost_travels_in_provenance_and_the_batch_line(seed: GoldArticle, tmp_path: Path) -> None:
    with FakeChatServer([seed.draft]) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test-key")
        summary = summarise(seed.text, published=seed.published, client=client, model="gpt-4o-mini")
    p = summary.provenance
    assert p is not None
    assert p.cost_usd == cost_of(p.usage, "gpt-4o-mini")
    assert p.cost_usd is not None
    assert p.cost_usd > 0
    assert json.loads(summary.model_dump_json())["provenance"]["cost_usd"] == str(p.cost_usd)
    (tmp_path / "a.txt").write_text(seed.text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(seed.text + "\n", encoding="utf-8")
    with FakeChatServer(default=seed.draft) as server:
        result = CliRunner().invoke(
            cli,
            [
                "summarise",
                str(tmp_path),
                "--out",
                str(tmp_path / "o.jsonl"),
                "--no-cache",
                "--base-url",
                server.base_url,
                "--model",
                "gpt-4o-mini",
                "--published",
                "2025-09-09",
            ],
            env={"OPENAI_API_KEY": "test-key"},
        )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    provenances = [line["summary"]["provenance"] for line in lines]
    tokens = sum(prov["usage"]["total_tokens"] for prov in provenances)
    cost = sum(Decimal(prov["cost_usd"]) for prov in provenances)
    assert f"{tokens:,} tokens" in result.stderr
    assert f"${cost:.4f}" in result.stderr
