"""The linking gold: its shape, its sources, and the linker's scores on it."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from minerals_summ.registry.gold import dev_test_split, load_mentions, score_gold
from tests.conftest import ROOT

GOLD = ROOT / "seeds" / "linking" / "mentions.jsonl"
MENTIONS = load_mentions(GOLD)


def test_the_gold_is_big_enough_and_sourced() -> None:
    events = Counter(m.event_id for m in MENTIONS)
    assert len(MENTIONS) >= 60
    assert len(events) >= 20
    assert sum(n >= 3 for n in events.values()) >= 15
    assert len({m.mention_id for m in MENTIONS}) == len(MENTIONS)
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        assert data["url"].startswith("http")
        assert data["sources"]
        assert data["record_kind"] in ("agreement", "policy_scheme")
    assert (GOLD.parent / "SOURCES.md").exists()


def test_hard_negatives_are_there() -> None:
    noted = [m for m in MENTIONS if m.note and "hard negative" in m.note]
    assert len(noted) >= 5
    statuses = Counter((m.event_id, m.record.status) for m in MENTIONS)
    staged = {event for event, _status in statuses}
    assert sum(sum(1 for e, _ in statuses if e == event) >= 2 for event in staged) >= 8


# The targets are for held-out mentions: the test split (the rules were set on the other part)
# and the whole gold. docs/registry.md gives the development split's figures too.
@pytest.mark.parametrize("split", ["test", "all"])
def test_the_linker_meets_the_targets(split: str) -> None:
    _dev, test = dev_test_split(MENTIONS)
    mentions = {"test": test, "all": MENTIONS}[split]
    score = score_gold(mentions)
    assert score.pairwise_precision >= 0.95, score.table()
    assert score.pairwise_recall >= 0.90, score.table()
