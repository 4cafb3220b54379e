"""Gold annotations: the on-disk form shared by seeds/, the tests and the scorer.

A gold file (``NAME.gold.json`` beside ``NAME.txt``) holds the records as docs/annotation.md
describes them, derived values included (``amount``, ``value``, ``precision``, ISO codes). From
it we build both the draft a perfect model would answer (:func:`gold_draft`, text only) and the
records that draft must resolve to (:func:`gold_summary`), so a test can check that code derives
exactly the
values the annotator wrote.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minerals_summ.records import Evidence
from minerals_summ.schema import ArticleDraft
from minerals_summ.summary import ArticleSummary

__all__ = ["GoldArticle", "gold_draft", "gold_summary", "load_gold", "load_gold_set"]

# Annotation-only keys: where each fact comes from, notes for reviewers. Not part of a record.
_NOTES = ("sources", "notes")
_DERIVED = {
    "money": ("amount", "currency"),
    "quantity": ("value", "unit"),
    "date": ("value", "precision"),
}


@dataclass(frozen=True)
class GoldArticle:
    name: str
    text: str
    published: dt.date | None
    gold: dict[str, Any]

    @property
    def draft(self) -> ArticleDraft:
        return gold_draft(self.gold)

    @property
    def summary(self) -> ArticleSummary:
        return gold_summary(self.gold)


def load_gold(path: str | Path) -> GoldArticle:
    """Load ``NAME.gold.json`` and the article it names (a path relative to the gold file)."""
    path = Path(path)
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (path.parent / gold["article"]).read_text(encoding="utf-8")
    published = dt.date.fromisoformat(gold["published"]) if gold.get("published") else None
    return GoldArticle(
        name=path.name.removesuffix(".gold.json"), text=text, published=published, gold=gold
    )


def _strip(value: dict[str, Any] | None, kind: str) -> dict[str, Any] | None:
    if value is None:
        return None
    return {k: v for k, v in value.items() if k not in _DERIVED[kind]}


def _record(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in _NOTES}


def gold_draft(gold: dict[str, Any]) -> ArticleDraft:
    """The draft a perfect model would answer: the gold with every derived value removed."""
    agreements = [
        {
            **_record(a),
            "value": _strip(a.get("value"), "money"),
            "date": _strip(a.get("date"), "date"),
        }
        for a in gold.get("agreements", [])
    ]
    schemes = [
        {
            **_record(s),
            "budget": _strip(s.get("budget"), "money"),
            "date": _strip(s.get("date"), "date"),
            "targets": [
                {**t, "quantity": _strip(t.get("quantity"), "quantity")}
                for t in s.get("targets", [])
            ],
        }
        for s in gold.get("policy_schemes", [])
    ]
    return ArticleDraft.model_validate(
        {
            "summary": gold.get("summary", ""),
            "agreements": agreements,
            "policy_schemes": schemes,
        }
    )


def gold_summary(gold: dict[str, Any]) -> ArticleSummary:
    """The records exactly as the annotator wrote them (evidence without offsets)."""
    published = gold.get("published")

    def evidence(quotes: list[str]) -> list[Evidence]:
        return [Evidence(quote=q, start=0, end=0) for q in quotes]

    return ArticleSummary.model_validate(
        {
            "summary": gold.get("summary", ""),
            "published": published,
            "agreements": [
                {**_record(a), "evidence": evidence(a["evidence"])}
                for a in gold.get("agreements", [])
            ],
            "policy_schemes": [
                {**_record(s), "evidence": evidence(s["evidence"])}
                for s in gold.get("policy_schemes", [])
            ],
        }
    )


def load_gold_set(directory: str | Path) -> list[GoldArticle]:
    """Every ``*.gold.json`` in ``directory``, sorted by name."""
    return [load_gold(p) for p in sorted(Path(directory).glob("*.gold.json"))]
