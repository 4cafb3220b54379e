"""How well does the linker generalise to events it was not tuned on? Group-wise cross-validation.

    .venv/bin/python benchmarks/linking_cv.py --start none --all   # the protocol (about 10 s)
    .venv/bin/python benchmarks/linking_cv.py --start none --fixed # the linker before the rules
    .venv/bin/python benchmarks/linking_cv.py --fixed              # the shipped defaults
    .venv/bin/python benchmarks/linking_cv.py --criterion f05 --folds 10 --verbose

The protocol (prints figures, asserts nothing):

* **Data**: the union of the linking sets in ``seeds/linking/``: ``mentions.jsonl``,
  ``heldout.jsonl`` and ``heldout3.jsonl`` to ``heldout8.jsonl``.
* **Folds**: by event, never by mention: an event's fold is its id's SHA-256 (as an integer)
  modulo the number of folds, so every mention of an event is on one side.
* **Choice on the training folds**: from a start (``--start none``: every optional rule off, the
  threshold 2.5; ``default``: the shipped ``Rules()``), coordinate ascent over :data:`SEARCH`
  (the threshold and each optional rule of :class:`~minerals_summ.registry.rules.Rules`): each
  setting tried links the training folds' mentions in a fresh registry; a change is kept when it
  improves the criterion, the highest pairwise recall among settings with pairwise precision
  >= 0.95 on the training folds, the most precise while none reaches it (``--criterion f05``:
  F0.5). ``--all`` also runs the choice on every mention: the setting to ship.
* **Scoring on the held-out fold**: the kept setting links every mention (the training folds'
  mentions stand for the rest of a registry, as they would in use) and the pairs that involve a
  held-out mention are scored: a predicted pair is right when the gold has both in one event; the
  gold pairs are those of the held-out events. Wrong merges with training mentions count.
* **Figures**: each fold's pairwise precision and recall (right, predicted and gold pairs in
  brackets), their mean and the worst fold (lowest precision, lowest recall), the pooled figures
  (pairs summed over folds: a wrong pair joining mentions of two folds counts in both), and the
  same for the mentions of each set apart.

The rules themselves were written by people who had seen both sets (``docs/registry.md``): the
protocol measures how well the *choices* generalise, not the first sight of new events. The
untouched scores of the held-out sets (``HELDOUT.md``, ``HELDOUT3.md`` ...) remain
the figures of that kind.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from itertools import combinations
from pathlib import Path

from minerals_summ.registry import Registry
from minerals_summ.registry.gold import GoldMention, link_mentions, load_mentions
from minerals_summ.registry.linking import THRESHOLD
from minerals_summ.registry.rules import DEFAULT as DEFAULT_RULES
from minerals_summ.registry.rules import NONE, Rules

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "linking"
SETS = {
    "gold": SEEDS / "mentions.jsonl",
    "heldout": SEEDS / "heldout.jsonl",
    "heldout3": SEEDS / "heldout3.jsonl",
    "heldout4": SEEDS / "heldout4.jsonl",
    "heldout5": SEEDS / "heldout5.jsonl",
    "heldout6": SEEDS / "heldout6.jsonl",
    "heldout7": SEEDS / "heldout7.jsonl",
    "heldout8": SEEDS / "heldout8.jsonl",
}
TARGET_PRECISION = 0.95
TARGET_RECALL = 0.90


@dataclass(frozen=True)
class Setting:
    """One way of linking: the threshold and the linker's optional rules."""

    threshold: float = THRESHOLD
    rules: Rules = DEFAULT_RULES

    def name(self) -> str:
        """The threshold and every optional rule's value."""
        values = [f"{f.name}={getattr(self.rules, f.name)}" for f in fields(Rules)]
        return " ".join([f"threshold={self.threshold:g}", *values])

    def registry(self) -> Registry:
        return Registry(":memory:", threshold=self.threshold, rules=self.rules)

    def moved(self, name: str, value: object) -> Setting:
        if name == "threshold":
            return replace(self, threshold=float(value))  # type: ignore[arg-type]
        return replace(self, rules=replace(self.rules, **{name: bool(value)}))

    def value(self, name: str) -> object:
        return self.threshold if name == "threshold" else getattr(self.rules, name)


START = {"default": Setting(rules=DEFAULT_RULES), "none": Setting(rules=NONE)}
# The values searched for each choice (docs/registry.md lists the choices tried and dropped).
SEARCH: dict[str, tuple[object, ...]] = {
    "threshold": (1.5, 2.0, 2.5, 3.0, 3.5),
    "amount_veto_fx": (False, True),
    "divisions": (False, True),
    "trade_kind": (False, True),
    "anchored": (False, True),
    "years_apart": (False, True),
    "generic_names": (False, True),
    "stakes": (False, True),
}


@dataclass(frozen=True)
class Pairs:
    """Pair counts: right predicted pairs, predicted pairs, gold pairs."""

    true: int = 0
    predicted: int = 0
    gold: int = 0

    def __add__(self, other: Pairs) -> Pairs:
        return Pairs(
            self.true + other.true, self.predicted + other.predicted, self.gold + other.gold
        )

    @property
    def precision(self) -> float:
        return self.true / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true / self.gold if self.gold else 1.0

    def __str__(self) -> str:
        counts = f"{self.true}/{self.predicted}/{self.gold}"
        return f"P {self.precision:.3f} R {self.recall:.3f} ({counts})"


def fold_of(event_id: str, folds: int) -> int:
    return int.from_bytes(hashlib.sha256(event_id.encode()).digest(), "big") % folds


def link(mentions: Sequence[GoldMention], setting: Setting) -> dict[str, str]:
    """``{mention id: predicted event}`` for these mentions linked in a fresh registry."""
    with setting.registry() as registry:
        return link_mentions(mentions, registry)


def pairs(predicted: dict[str, str], gold: dict[str, str], scored: set[str] | None = None) -> Pairs:
    """Pair counts over the pairs that involve a mention of ``scored`` (every pair if None)."""
    ids = sorted(gold)
    true = predicted_pairs = gold_pairs = 0
    for a, b in combinations(ids, 2):
        if scored is not None and a not in scored and b not in scored:
            continue
        same_predicted = predicted.get(a, a) == predicted.get(b, b)
        same_gold = gold[a] == gold[b]
        predicted_pairs += same_predicted
        gold_pairs += same_gold
        true += same_predicted and same_gold
    return Pairs(true, predicted_pairs, gold_pairs)


def _merit(figures: Pairs, criterion: str) -> tuple[float, ...]:
    """Higher is better: recall once precision meets its target, precision until then; with
    ```--criterion f05```, F0.5 (precision weighted four times recall)."""
    if criterion == "f05":
        p, r = figures.precision, figures.recall
        return (1.25 * p * r / (0.25 * p + r) if p + r else 0.0,)
    if figures.precision >= TARGET_PRECISION:
        return (1, figures.recall, figures.precision)
    return (0, figures.precision, figures.recall)


def choose(
    training: Sequence[GoldMention],
    search: dict[str, tuple[object, ...]],
    start: Setting,
    criterion: str,
) -> tuple[Setting, Pairs]:
    """The setting kept on the training folds, by coordinate ascent from ``start``.

    Each round tries every other value of every choice, one change at a time, and keeps the
    change that improves :func:`_merit` most (the first such in :data:`SEARCH` order on ties);
    it stops when no change improves it.
    """
    gold = {m.mention_id: m.event_id for m in training}
    seen: dict[Setting, Pairs] = {}

    def figures(setting: Setting) -> Pairs:
        if setting not in seen:
            seen[setting] = pairs(link(training, setting), gold)
        return seen[setting]

    current = start
    while True:
        moves = [
            current.moved(name, value)
            for name, values in search.items()
            for value in values
            if value != current.value(name)
        ]
        best = max(moves, key=lambda s: _merit(figures(s), criterion), default=current)
        if _merit(figures(best), criterion) <= _merit(figures(current), criterion):
            return current, figures(current)
        current = best


def _summary(label: str, per_fold: Sequence[Pairs]) -> str:
    pooled = sum(per_fold, Pairs())
    mean_p = sum(p.precision for p in per_fold) / len(per_fold)
    mean_r = sum(p.recall for p in per_fold) / len(per_fold)
    worst_p = min(p.precision for p in per_fold)
    worst_r = min(p.recall for p in per_fold)
    return (
        f"{label:8} mean P {mean_p:.3f} R {mean_r:.3f} | worst fold P {worst_p:.3f} "
        f"R {worst_r:.3f} | pooled {pooled}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--fixed", action="store_true", help="the start setting, nothing chosen")
    parser.add_argument(
        "--start", choices=sorted(START), default="default", help="none: the rules off, as before"
    )
    parser.add_argument("--verbose", action="store_true", help="each fold's training figures")
    parser.add_argument("--criterion", choices=("target", "f05"), default="target")
    parser.add_argument(
        "--without", nargs="*", default=[], choices=sorted(SEARCH), help="choices not searched"
    )
    parser.add_argument("--all", action="store_true", help="also choose on all mentions")
    args = parser.parse_args()
    started = time.perf_counter()
    by_set = {name: load_mentions(path) for name, path in SETS.items()}
    mentions = [m for group in by_set.values() for m in group]
    set_of = {m.mention_id: name for name, group in by_set.items() for m in group}
    gold = {m.mention_id: m.event_id for m in mentions}
    fold = {m.mention_id: fold_of(m.event_id, args.folds) for m in mentions}
    search = {} if args.fixed else {k: v for k, v in SEARCH.items() if k not in args.without}
    results: dict[str, list[Pairs]] = {"all": [], **{name: [] for name in SETS}}
    chosen: list[str] = []
    print(f"{len(mentions)} mentions of {len(set(gold.values()))} events, {args.folds} folds")
    for k in range(args.folds):
        held = {m for m in gold if fold[m] == k}
        training = [m for m in mentions if fold[m.mention_id] != k]
        setting, trained = choose(training, search, START[args.start], args.criterion)
        chosen.append(setting.name())
        predicted = link(mentions, setting)
        figures = {"all": pairs(predicted, gold, held)}
        for name in SETS:
            figures[name] = pairs(predicted, gold, {m for m in held if set_of[m] == name})
        for name, value in figures.items():
            results[name].append(value)
        events = len({gold[m] for m in held})
        print(f"fold {k}: {len(held)} mentions, {events} events; kept {setting.name()}")
        if args.verbose:
            print(f"  training  {trained}")
        for name, value in figures.items():
            print(f"  {name:8}  {value}")
    print()
    for name, per_fold in results.items():
        print(_summary(name, per_fold))
    print("settings kept:")
    for k, name in enumerate(chosen):
        print(f"  fold {k}: {name}")
    print(f"targets: P >= {TARGET_PRECISION}, R >= {TARGET_RECALL}")
    if args.all:
        setting, in_sample = choose(mentions, search, START[args.start], args.criterion)
        print(f"chosen on all mentions: {setting.name()}; in-sample {in_sample}")
    print(f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
