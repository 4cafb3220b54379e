"""The held-out linking set: real events written after the rules were set, and the targets.

``seeds/linking/heldout.jsonl`` (see ``HELDOUT.md``) holds mentions of events that are not in
``mentions.jsonl``. It was scored untouched first (pairwise P 0.628, R 0.753); the rules were
then revised for the failure classes it showed, so it is no longer held out.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from minerals_summ.registry.gold import load_mentions, score_gold
from tests.conftest import ROOT

HELDOUT = ROOT / "seeds" / "linking" / "heldout.jsonl"
GOLD = ROOT / "seeds" / "linking" / "mentions.jsonl"
MENTIONS = load_mentions(HELDOUT)


def test_the_heldout_set_is_big_sourced_and_apart_from_the_gold() -> None:
    events = Counter(m.event_id for m in MENTIONS)
    assert len(MENTIONS) >= 45
    assert len(events) >= 15
    assert sum(n >= 2 for n in events.values()) >= 15
    assert len({m.mention_id for m in MENTIONS}) == len(MENTIONS)
    lines = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    for data in lines:
        assert data["url"].startswith("http")
        assert data["sources"]
    gold = load_mentions(GOLD)
    assert not {m.event_id for m in gold} & set(events)
    assert not {m.url for m in gold} & {m.url for m in MENTIONS}
    assert sum("hard negative" in (m.note or "") for m in MENTIONS) >= 10
    assert (HELDOUT.parent / "HELDOUT.md").exists()


@pytest.mark.xfail(
    strict=True,
    reason="pairwise P 0.855, R 0.764 (docs/registry.md, HELDOUT.md): the misses and merges "
    "left have little to go on; remove this mark when the targets are met",
)
def test_the_linker_meets_the_targets_on_the_heldout_set() -> None:
    score = score_gold(MENTIONS)
    assert score.pairwise_precision >= 0.95, score.table()
    assert score.pairwise_recall >= 0.90, score.table()


def test_the_linker_keeps_what_it_reached_on_the_heldout_set() -> None:
    """A floor under the revised figures: a change that loses them must say why.

    The veto on amounts beyond any exchange rate (chosen by benchmarks/linking_cv.py) traded
    recall for precision: P 0.826 -> 0.855, R 0.771 -> 0.764 (a bridge it stopped had joined
    two deals of the same parties, and with them a mention of one of them).
    """
    score = score_gold(MENTIONS)
    assert score.pairwise_precision >= 0.85, score.table()
    assert score.pairwise_recall >= 0.76, score.table()
