"""The held-out linking sets: real events written apart from the linker's rules, and the targets.

``seeds/linking/heldout.jsonl`` (``HELDOUT.md``), ``heldout3.jsonl`` to ``heldout8.jsonl``
(``HELDOUT3.md`` ...) hold mentions of events that are not in ``mentions.jsonl`` nor in each
other. Each was scored untouched first (pairwise P 0.628, R 0.753; P 0.866, R 0.790; P 0.778,
R 0.803; P 0.719, R 0.749; P 0.711, R 0.669; P 0.851, R 0.824; P 0.898, R 0.782); the rules
were revised for the failure classes of the first five and, by one rule, the seventh.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from minerals_summ.registry.gold import GoldMention, load_mentions, score_gold
from tests.conftest import ROOT

LINKING = ROOT / "seeds" / "linking"
GOLD = LINKING / "mentions.jsonl"
SETS = {
    "heldout": (LINKING / "heldout.jsonl", LINKING / "HELDOUT.md"),
    "heldout3": (LINKING / "heldout3.jsonl", LINKING / "HELDOUT3.md"),
    "heldout4": (LINKING / "heldout4.jsonl", LINKING / "HELDOUT4.md"),
    "heldout5": (LINKING / "heldout5.jsonl", LINKING / "HELDOUT5.md"),
    "heldout6": (LINKING / "heldout6.jsonl", LINKING / "HELDOUT6.md"),
    "heldout7": (LINKING / "heldout7.jsonl", LINKING / "HELDOUT7.md"),
    "heldout8": (LINKING / "heldout8.jsonl", LINKING / "HELDOUT8.md"),
}


# Pages that report an event of one set and another event of another set (each set's line is
# about its own event): Mercom's page on India's cancelled auction blocks (tranche 4 in
# heldout.jsonl, tranche 2 in heldout8.jsonl).
TWO_SETS_PAGES = frozenset(
    {
        "https://mercomindia-subscription-test.ibrew-hub.in/government-cancels-auction-critical-minerals",
    }
)


def _mentions(name: str) -> list[GoldMention]:
    return load_mentions(SETS[name][0])


@pytest.mark.parametrize("name", SETS)
def test_a_heldout_set_is_big_sourced_and_apart_from_the_others(name: str) -> None:
    path, notes = SETS[name]
    mentions = _mentions(name)
    events = Counter(m.event_id for m in mentions)
    assert len(mentions) >= 45
    assert len(events) >= 15
    assert sum(n >= 2 for n in events.values()) >= 15
    assert len({m.mention_id for m in mentions}) == len(mentions)
    for line in path.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        assert data["url"].startswith("http")
        assert data["sources"]
    for other in [GOLD, *(p for p, _ in SETS.values() if p != path)]:
        others = load_mentions(other)
        assert not {m.event_id for m in others} & set(events), other
        assert not ({m.url for m in others} & {m.url for m in mentions}) - TWO_SETS_PAGES, other
        assert not {m.mention_id for m in others} & {m.mention_id for m in mentions}, other
    assert sum("hard negative" in (m.note or "") for m in mentions) >= 10
    assert notes.exists()


def _union() -> list[GoldMention]:
    return [*load_mentions(GOLD), *(m for name in SETS for m in _mentions(name))]


@pytest.mark.xfail(
    strict=True,
    reason="all linking sets in one registry: pairwise P 0.845, R 0.780 (docs/registry.md): the "
    "misses left are translated or described names and mentions with little to go on; remove "
    "this mark when the targets are met",
)
def test_the_linker_meets_the_targets_on_all_the_sets_together() -> None:
    score = score_gold(_union())
    assert score.pairwise_precision >= 0.95, score.table()
    assert score.pairwise_recall >= 0.90, score.table()


# Floors under today's figures: a change that loses them must say why (docs/registry.md).
FLOORS = {
    "heldout": (0.93, 0.74),
    "heldout3": (0.96, 0.83),
    "heldout4": (0.90, 0.80),
    "heldout5": (0.79, 0.75),
    "heldout6": (0.70, 0.66),
    "heldout7": (0.87, 0.81),
    "heldout8": (0.89, 0.77),
}


@pytest.mark.parametrize("name", SETS)
def test_the_linker_keeps_what_it_reached_on_a_heldout_set(name: str) -> None:
    precision, recall = FLOORS[name]
    score = score_gold(_mentions(name))
    assert score.pairwise_precision >= precision, score.table()
    assert score.pairwise_recall >= recall, score.table()


def test_the_linker_keeps_what_it_reached_on_all_the_sets_together() -> None:
    score = score_gold(_union())
    assert score.pairwise_precision >= 0.84, score.table()
    assert score.pairwise_recall >= 0.77, score.table()


def test_the_sets_notes_give_their_untouched_scores() -> None:
    assert "0.628" in Path(SETS["heldout"][1]).read_text(encoding="utf-8")
    untouched = (
        ("heldout3", "0.866", "0.790"),
        ("heldout4", "0.778", "0.803"),
        ("heldout5", "0.719", "0.749"),
        ("heldout6", "0.711", "0.669"),
        ("heldout7", "0.851", "0.824"),
        ("heldout8", "0.898", "0.782"),
    )
    for name, precision, recall in untouched:
        notes = Path(SETS[name][1]).read_text(encoding="utf-8")
        assert f"**{precision}**" in notes
        assert f"**{recall}**" in notes
