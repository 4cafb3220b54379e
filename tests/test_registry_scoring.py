"""Pairwise and B-cubed scores against values computed by hand."""

from __future__ import annotations

import pytest

from minerals_summ.registry import score_linking


def test_scores_computed_by_hand() -> None:
    gold = [["a", "b", "c"], ["d", "e"]]
    predicted = [["a", "b"], ["c", "d", "e"]]
    s = score_linking(predicted, gold)
    # Gold pairs ab ac bc de; predicted ab cd ce de; right: ab de.
    assert (s.true_pairs, s.predicted_pairs, s.gold_pairs) == (2, 4, 4)
    assert s.pairwise_precision == pytest.approx(0.5)
    assert s.pairwise_recall == pytest.approx(0.5)
    # B-cubed precision: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3; recall: 2/3, 2/3, 1/3, 1, 1.
    assert s.bcubed_precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert s.bcubed_recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert s.bcubed_f1 == pytest.approx(11 / 15)


def test_mappings_missing_mentions_and_edge_cases() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    perfect = score_linking({"a": 1, "b": 1, "c": 2, "extra": 1}, gold)  # extra is not scored
    assert (perfect.pairwise_f1, perfect.bcubed_f1, perfect.mentions) == (1.0, 1.0, 3)
    missing = score_linking({"a": 1}, gold)  # b and c alone: no predicted pair
    assert (missing.pairwise_precision, missing.pairwise_recall) == (1.0, 0.0)
    lumped = score_linking([["a", "b", "c"]], gold)
    assert lumped.pairwise_precision == pytest.approx(1 / 3)
    assert lumped.bcubed_recall == 1.0
    assert "pairwise" in lumped.table()
    assert lumped.to_dict()["gold_pairs"] == 1
    with pytest.raises(ValueError, match="two clusters"):
        score_linking([["a"], ["a"]], gold)
