"""How well mentions were linked into events: pairwise precision and recall, and B-cubed.

*Pairwise*: every pair of mentions put in one event is a prediction; it is right when the gold
has them in one event too. Precision = right pairs / predicted pairs, recall = right pairs / gold
pairs. *B-cubed* (Bagga and Baldwin, 1998) scores each mention: of the mentions in its predicted
event, the share that are in its gold event (precision), and of its gold event, the share found
with it (recall), averaged over mentions; it does not let large events dominate as pairs do.

Only mentions in the gold are scored; a gold mention missing from the prediction counts as an
event of its own. With nothing to count (no pairs) precision and recall are 1.0.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass
from math import comb

__all__ = ["LinkingScore", "score_linking"]

Clusters = Iterable[Iterable[Hashable]] | Mapping[Hashable, Hashable]


@dataclass(frozen=True)
class LinkingScore:
    """Pairwise and B-cubed precision, recall and F1 of a linking, with the pair counts."""

    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    true_pairs: int
    predicted_pairs: int
    gold_pairs: int
    mentions: int

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    def table(self) -> str:
        """A plain-text summary, one line per measure."""
        return "\n".join(
            [
                f"{'':10} {'P':>6} {'R':>6} {'F1':>6}",
                f"{'pairwise':10} {self.pairwise_precision:6.3f} {self.pairwise_recall:6.3f}"
                f" {self.pairwise_f1:6.3f}",
                f"{'B-cubed':10} {self.bcubed_precision:6.3f} {self.bcubed_recall:6.3f}"
                f" {self.bcubed_f1:6.3f}",
                f"{self.mentions} mentions; pairs: {self.true_pairs} right of "
                f"{self.predicted_pairs} predicted, {self.gold_pairs} in the gold",
            ]
        )

    __str__ = table


def _labels(clusters: Clusters) -> dict[Hashable, Hashable]:
    """``{mention: cluster}`` from a mapping of that form, or from clusters of mentions."""
    if isinstance(clusters, Mapping):
        return dict(clusters)
    labels: dict[Hashable, Hashable] = {}
    for index, cluster in enumerate(clusters):
        for mention in cluster:
            if mention in labels:
                raise ValueError(f"mention {mention!r} is in two clusters")
            labels[mention] = index
    return labels


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def score_linking(predicted_clusters: Clusters, gold_clusters: Clusters) -> LinkingScore:
    """Score predicted clusters of mentions against gold ones.

    Each argument is either clusters (an iterable of iterables of mention ids) or a mapping
    ``{mention id: cluster label}``.
    """
    gold = _labels(gold_clusters)
    predicted_all = _labels(predicted_clusters)
    # A gold mention the prediction lacks is an event of its own (a label nothing else has).
    predicted = {m: predicted_all.get(m, ("missing", m)) for m in gold}
    cells = Counter((predicted[m], gold[m]) for m in gold)
    predicted_sizes = Counter(predicted.values())
    gold_sizes = Counter(gold.values())
    true_pairs = sum(comb(n, 2) for n in cells.values())
    predicted_pairs = sum(comb(n, 2) for n in predicted_sizes.values())
    gold_pairs = sum(comb(n, 2) for n in gold_sizes.values())
    precision = _ratio(true_pairs, predicted_pairs)
    recall = _ratio(true_pairs, gold_pairs)
    # B-cubed: each mention of a cell shares it with the cell's n - 1 others and itself.
    n = len(gold)
    b_precision = sum(c * c / predicted_sizes[p] for (p, _g), c in cells.items()) / n if n else 1.0
    b_recall = sum(c * c / gold_sizes[g] for (_p, g), c in cells.items()) / n if n else 1.0
    return LinkingScore(
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        bcubed_precision=b_precision,
        bcubed_recall=b_recall,
        bcubed_f1=_f1(b_precision, b_recall),
        true_pairs=true_pairs,
        predicted_pairs=predicted_pairs,
        gold_pairs=gold_pairs,
        mentions=n,
    )
