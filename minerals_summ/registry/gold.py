"""The linking gold: mentions of real events, each labelled with the event it reports.

``seeds/linking/mentions.jsonl`` holds one mention a line: ``mention_id``, ``event_id`` (the gold
label), ``article_id``, ``url``, ``title``, ``published``, ``outlet``, ``sources``,
``record_kind`` and ``record`` (in the seeds' gold-file format, derived values included), and a
``note`` on hard cases. :func:`gold_summaries` turns them into one ``ArticleSummary`` per article,
as the pipeline would have produced, ready for ``Registry.add``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minerals_summ.records import Agreement, PolicyScheme
from minerals_summ.registry.linking import THRESHOLD
from minerals_summ.registry.registry import Registry
from minerals_summ.registry.rules import DEFAULT, Rules
from minerals_summ.registry.scoring import LinkingScore, score_linking
from minerals_summ.summary import ArticleSummary

__all__ = [
    "GoldMention",
    "dev_test_split",
    "gold_clusters",
    "gold_summaries",
    "link_mentions",
    "load_mentions",
    "score_gold",
]

_NOT_RECORD = ("sources", "notes", "note")


@dataclass(frozen=True)
class GoldMention:
    """One labelled mention of the linking gold."""

    mention_id: str
    event_id: str
    article_id: str
    url: str
    title: str
    published: dt.date | None
    outlet: str
    record_kind: str
    record: Agreement | PolicyScheme
    note: str | None = None


def _record(kind: str, data: dict[str, Any]) -> Agreement | PolicyScheme:
    fields = {k: v for k, v in data.items() if k not in _NOT_RECORD}
    # The gold gives quotes only; offsets belong to an article the gold does not ship.
    fields["evidence"] = [{"quote": q, "start": 0, "end": 0} for q in data.get("evidence", [])]
    if kind == "agreement":
        return Agreement.model_validate(fields)
    return PolicyScheme.model_validate(fields)


def load_mentions(path: str | Path) -> list[GoldMention]:
    """Every mention of a ``mentions.jsonl`` file, in file order."""
    mentions = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        data = json.loads(line)
        try:
            mentions.append(
                GoldMention(
                    mention_id=data["mention_id"],
                    event_id=data["event_id"],
                    article_id=data["article_id"],
                    url=data["url"],
                    title=data["title"],
                    published=dt.date.fromisoformat(data["published"])
                    if data.get("published")
                    else None,
                    outlet=data.get("outlet", ""),
                    record_kind=data["record_kind"],
                    record=_record(data["record_kind"], data["record"]),
                    note=data.get("note"),
                )
            )
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{path}:{number}: {exc}") from exc
    return mentions


def gold_summaries(
    mentions: Iterable[GoldMention],
) -> list[tuple[GoldMention, ArticleSummary, list[str]]]:
    """One summary per article, in order of publication: ``(first mention, summary, ids)``.

    ``ids`` are the gold mention ids in the order of the summary's records, so that the
    registry's mention ``f"{article_id}#{i}"`` is gold mention ``ids[i]``.
    """
    by_article: dict[str, list[GoldMention]] = {}
    for mention in mentions:
        by_article.setdefault(mention.article_id, []).append(mention)
    out = []
    for group in by_article.values():
        agreements = [m for m in group if isinstance(m.record, Agreement)]
        schemes = [m for m in group if isinstance(m.record, PolicyScheme)]
        summary = ArticleSummary(
            summary=group[0].title,
            agreements=tuple(m.record for m in agreements if isinstance(m.record, Agreement)),
            policy_schemes=tuple(m.record for m in schemes if isinstance(m.record, PolicyScheme)),
            published=group[0].published,
        )
        out.append((group[0], summary, [m.mention_id for m in agreements + schemes]))
    out.sort(key=lambda item: (item[0].published or dt.date.min, item[0].article_id))
    return out


def gold_clusters(mentions: Iterable[GoldMention]) -> dict[str, str]:
    """``{mention id: gold event id}``."""
    return {m.mention_id: m.event_id for m in mentions}


def dev_test_split(
    mentions: Iterable[GoldMention], test_share: int = 3
) -> tuple[list[GoldMention], list[GoldMention]]:
    """Split by event: about one event in ``test_share`` (chosen by a hash of its id) is test.

    The hash keeps the split fixed and independent of whoever tunes the linker.
    """
    dev: list[GoldMention] = []
    test: list[GoldMention] = []
    for mention in mentions:
        digest = hashlib.sha256(mention.event_id.encode()).digest()
        (test if digest[0] % test_share == 0 else dev).append(mention)
    return dev, test


def link_mentions(mentions: Iterable[GoldMention], registry: Registry) -> dict[str, str]:
    """Add the gold mentions to a registry, article by article; ``{gold mention id: event id}``."""
    gold_ids: dict[str, str] = {}  # the registry's mention id -> the gold's
    for first, summary, ids in gold_summaries(mentions):
        registry.add(
            summary,
            article_id=first.article_id,
            published=first.published,
            url=first.url,
            title=first.title,
        )
        gold_ids |= {f"{first.article_id}#{i}": gold_id for i, gold_id in enumerate(ids)}
    # Read at the end: a later article may have merged the events of earlier ones.
    return {
        gold_ids[mention]: event_id
        for event_id, members in registry.clusters().items()
        for mention in members
        if mention in gold_ids
    }


def score_gold(
    mentions: Sequence[GoldMention], threshold: float = THRESHOLD, rules: Rules = DEFAULT
) -> LinkingScore:
    """Link the gold mentions in a fresh in-memory registry and score the result."""
    with Registry(":memory:", threshold=threshold, rules=rules) as registry:
        predicted = link_mentions(mentions, registry)
    return score_linking(predicted, gold_clusters(mentions))
