"""Every gold file in seeds/ loads, grounds, and derives exactly the values it states."""

from __future__ import annotations

import pytest

from minerals_summ.gold import GoldArticle, load_gold_set
from minerals_summ.resolve import resolve
from tests.conftest import SEEDS
from tests.test_seed_gold import comparable

GOLD = load_gold_set(SEEDS)


@pytest.mark.parametrize("gold", GOLD, ids=[g.name for g in GOLD])
def test_gold_resolves_to_its_stated_values(gold: GoldArticle) -> None:
    resolved = resolve(gold.draft, gold.text, gold.published)
    assert comparable(resolved) == comparable(gold.summary)
    for record in resolved.records():
        for evidence in record.evidence:
            assert gold.text[evidence.start : evidence.end] == evidence.quote


@pytest.mark.parametrize("gold", GOLD, ids=[g.name for g in GOLD])
def test_gold_file_is_complete(gold: GoldArticle) -> None:
    assert gold.published is not None, "every gold article states its publication date"
    assert gold.gold.get("summary"), "every gold article has a summary"
    words = len(gold.text.split())
    if gold.name != "us-pakistan-critical-minerals":  # the seed is as published
        assert 150 <= words <= 500, f"{words} words"
        assert gold.gold.get("sources"), "written articles name the sources of their facts"
