"""Which links the gold better: the registry's rules over rapidfuzz, or splink on DuckDB?

    .venv/bin/pip install splink duckdb      # for this measurement only
    .venv/bin/python benchmarks/linking_compare.py

Both are scored with pairwise precision and recall and B-cubed F1 on the development and the test
split of ``seeds/linking/mentions.jsonl`` (``dev_test_split``: about one event in three is test).

* **rules**: ``Registry.add`` article by article, as in use (incremental; rules and threshold set
  looking at the development split only).
* **splink (labels)**: a Fellegi-Sunter model over the same features the rules read (the
  registry's profile of each mention: named parties' keys, countries, title keys and words,
  agreement kind or instrument, date, amount in US dollars, minerals, status). m probabilities from
  the development split's labels, u probabilities by random sampling, the prior from the labels;
  the lowest match-probability threshold that keeps the development split's pairwise precision
  at or above 0.95 (the target) is then applied to the test split; clusters are splink's
  connected components.
* **splink (EM)**: the same model trained without labels (expectation maximisation), as one would
  train it on a new corpus; same threshold choice.

splink compares all pairs its blocking rules let through, in batch; the registry links each new
mention against candidate events as it arrives. Pairs of records from one article are excluded
from both (an article reports an event once).
"""

from __future__ import annotations

import argparse
import logging
import warnings
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from minerals_summ.registry import LinkingScore, score_linking
from minerals_summ.registry.gold import (
    GoldMention,
    dev_test_split,
    gold_clusters,
    load_mentions,
    score_gold,
)
from minerals_summ.registry.profile import Profile

GOLD = Path(__file__).resolve().parent.parent / "seeds" / "linking" / "mentions.jsonl"
THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)


def _row(mention: GoldMention) -> dict[str, Any]:
    """The features splink compares, from the same profile the rules compare."""
    profile = Profile.of(mention.record, mention.published)
    money = profile.money_fact
    when = profile.when

    def listed(values: set[str] | tuple[str, ...]) -> list[str] | None:
        return sorted(values) or None  # an empty list is "not known" (splink's null level)

    return {
        "unique_id": mention.mention_id,
        "event_id": mention.event_id,
        "article_id": mention.article_id,
        "kind": profile.kind,
        "countries": listed(profile.countries),
        "countries_key": " ".join(profile.countries),
        "org_keys": listed({k.lstrip("~") for _, keys in profile.parties for k in keys}),
        "title_keys": listed({k.lstrip("~") for k in profile.name_keys}),
        "label": profile.label or None,
        "subtype": profile.subtype,
        "stage": profile.stage,
        "day": when.toordinal() if when else None,
        "amount_usd": money.usd() if money else None,
        "minerals": listed(profile.specific_minerals()),
    }


# SQL: side a has a country that side b lacks.
_LACKS = "len(list_filter(countries_{a}, lambda x: NOT list_contains(countries_{b}, x))) > 0"


def _settings(prior: float) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator

    same_kind = "l.kind = r.kind and l.article_id <> r.article_id"
    return SettingsCreator(
        link_type="dedupe_only",
        probability_two_random_records_match=prior,
        blocking_rules_to_generate_predictions=[
            {"blocking_rule": f"{same_kind} and l.countries_key = r.countries_key"},
            {"blocking_rule": f"{same_kind} and list_has_any(l.org_keys, r.org_keys)"},
            {"blocking_rule": f"{same_kind} and list_has_any(l.title_keys, r.title_keys)"},
            {"blocking_rule": f"{same_kind} and l.label = r.label"},
        ],
        comparisons=[
            cl.ArrayIntersectAtSizes("org_keys", [1]),
            cl.CustomComparison(
                [
                    cll.NullLevel("countries"),
                    cll.CustomLevel(
                        "list_sort(countries_l) = list_sort(countries_r)", "same countries"
                    ),
                    # The rules' "another counterpart": each has a country the other lacks.
                    cll.CustomLevel(
                        f"{_LACKS.format(a='l', b='r')} AND {_LACKS.format(a='r', b='l')}",
                        "each lacks one of the other's countries",
                    ),
                    cll.ElseLevel(),
                ],
                output_column_name="countries",
            ),
            cl.ArrayIntersectAtSizes("title_keys", [1]),
            cl.JaroWinklerAtThresholds("label", [0.92, 0.8]),
            cl.ExactMatch("subtype"),
            # The rules' reading of dates with stages: the same moment, the same stage weeks
            # apart (another event), or a later stage within two years (the event moving on).
            cl.CustomComparison(
                [
                    cll.CustomLevel("day_l IS NULL OR day_r IS NULL", "no date").configure(
                        is_null_level=True
                    ),
                    cll.CustomLevel("abs(day_l - day_r) <= 2", "same moment"),
                    cll.CustomLevel(
                        "stage_l = stage_r AND abs(day_l - day_r) > 20", "same stage, apart"
                    ),
                    cll.CustomLevel(
                        "(day_l < day_r AND stage_l < stage_r"
                        " OR day_r < day_l AND stage_r < stage_l) AND abs(day_l - day_r) <= 730",
                        "a later stage",
                    ),
                    cll.ElseLevel(),
                ],
                output_column_name="stage_date",
            ),
            cl.CustomComparison(
                [
                    cll.NullLevel("amount_usd"),
                    cll.PercentageDifferenceLevel("amount_usd", 0.05),
                    cll.PercentageDifferenceLevel("amount_usd", 0.35),
                    cll.ElseLevel(),
                ],
                output_column_name="amount_usd",
            ),
            cl.ArrayIntersectAtSizes("minerals", [2, 1]),
        ],
        retain_intermediate_calculation_columns=False,
    )


def _prior(mentions: Sequence[GoldMention]) -> float:
    """The share of pairs that are matches, from the labels."""
    pairs = list(combinations(mentions, 2))
    return max(sum(a.event_id == b.event_id for a, b in pairs) / len(pairs), 1e-4)


def _linker(mentions: Sequence[GoldMention], settings: Any) -> Any:
    import pandas as pd  # type: ignore[import-untyped, unused-ignore]
    from splink import DuckDBAPI, Linker

    frame = pd.DataFrame([_row(m) for m in mentions])
    return Linker(DuckDBAPI().register(frame), settings, log_level=logging.ERROR)


def _clusters(linker: Any, threshold: float) -> dict[str, str]:
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    ).as_pandas_dataframe()
    return {str(r.unique_id): str(r.cluster_id) for r in clusters.itertuples()}


def _train(dev: Sequence[GoldMention], *, labels: bool) -> dict[str, Any]:
    """A trained model (splink's settings dict) from the development split."""
    from splink import block_on

    linker = _linker(dev, _settings(_prior(dev)))
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=15)
    if labels:
        linker.training.estimate_m_from_label_column("event_id")
    else:
        for rule in (block_on("countries_key"), block_on("subtype"), block_on("kind")):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, record_sample_proportion=1.0
            )
    model: dict[str, Any] = linker.misc.save_model_to_json()
    return model


def _splink(
    dev: Sequence[GoldMention], test: Sequence[GoldMention], *, labels: bool
) -> tuple[float, LinkingScore, LinkingScore]:
    model = _train(dev, labels=labels)
    dev_linker = _linker(dev, model)
    # The target is precision first (>= 0.95), then recall: the lowest threshold that keeps the
    # development split's precision there (else the most precise one).
    scores = [(t, score_linking(_clusters(dev_linker, t), gold_clusters(dev))) for t in THRESHOLDS]
    precise = [(t, s) for t, s in scores if s.pairwise_precision >= 0.95]
    threshold, dev_score = (
        precise[0] if precise else max(scores, key=lambda ts: ts[1].pairwise_precision)
    )
    test_score = score_linking(_clusters(_linker(test, model), threshold), gold_clusters(test))
    return threshold, dev_score, test_score


def _line(name: str, split: str, score: LinkingScore) -> str:
    return (
        f"{name:24} {split:5} {score.pairwise_precision:6.3f} {score.pairwise_recall:6.3f} "
        f"{score.pairwise_f1:6.3f} {score.bcubed_f1:6.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    args = parser.parse_args()
    mentions = load_mentions(args.gold)
    dev, test = dev_test_split(mentions)
    print(f"{len(dev)} development mentions, {len(test)} test mentions")
    print(f"{'':24} {'split':5} {'P':>6} {'R':>6} {'F1':>6} {'B3 F1':>6}")
    print(_line("rules (registry)", "dev", score_gold(dev)))
    print(_line("rules (registry)", "test", score_gold(test)))
    try:
        import splink  # noqa: F401
    except ImportError:
        print("splink is not installed: pip install splink duckdb")
        return
    logging.getLogger("splink").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    for labels, name in ((True, "splink (labels)"), (False, "splink (EM)")):
        try:
            threshold, dev_score, test_score = _splink(dev, test, labels=labels)
        except Exception as exc:  # report a training failure and go on to the next model
            print(f"{name}: failed: {type(exc).__name__}: {exc}")
            continue
        print(_line(f"{name} p>={threshold}", "dev", dev_score))
        print(_line(f"{name} p>={threshold}", "test", test_score))


if __name__ == "__main__":
    main()
