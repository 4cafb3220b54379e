"""A money, quantity or date text cut short never passes with another value.

Generated from the gold files: every amount, quantity and date text in seeds/, cut at every pair
of word boundaries ("Rs 1,500" and "1,500-crore" out of "Rs 1,500-crore", "270 kilo" out of "270
kilo tonnes", "July" out of "On July 31"), replaces the gold text in an otherwise perfect draft.
The draft must then either resolve to the gold value or come back with a problem at that field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from minerals_summ.exceptions import DraftProblems
from minerals_summ.gold import GoldArticle, load_gold_set
from minerals_summ.resolve import resolve
from minerals_summ.schema import ArticleDraft
from tests.conftest import SEEDS

GOLD = load_gold_set(SEEDS)

# Where a cut may fall: between words, and where a hyphen or a currency sign joins two parts.
_BOUNDARY = re.compile(r"(?<=\S)(?=\s)|(?<=\s)(?=\S)|(?<=-)|(?=-)|(?<=[$€£₹¥])(?=\d)")


def _fields(gold: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path into the draft dict, text) of every money, quantity and date text in the gold."""
    for i, a in enumerate(gold.get("agreements", [])):
        for name in ("value", "date"):
            if a.get(name):
                yield ("agreements", i, name), a[name]["text"]
    for i, s in enumerate(gold.get("policy_schemes", [])):
        for name in ("budget", "date"):
            if s.get(name):
                yield ("policy_schemes", i, name), s[name]["text"]
        for j, t in enumerate(s.get("targets", [])):
            if t.get("quantity"):
                yield ("policy_schemes", i, "targets", j, "quantity"), t["quantity"]["text"]


def _cuts(text: str) -> list[str]:
    """Every span of ``text`` between two boundaries, other than the whole text."""
    edges = sorted({0, len(text), *(m.start() for m in _BOUNDARY.finditer(text))})
    spans = {text[a:b].strip() for a in edges for b in edges if a < b}
    return sorted(s for s in spans if s and s != text.strip())


CASES = [
    pytest.param(gold, path, cut, id=f"{gold.name}:{text}->{cut}")
    for gold in GOLD
    for path, text in _fields(gold.gold)
    for cut in _cuts(text)
]


def _value(summary: Any, path: tuple[Any, ...]) -> Any:
    node = summary
    for step in path:
        node = node[step] if isinstance(step, int) else getattr(node, step)
    return node


def _key(value: Any) -> Any:
    """What must not change: amount and currency, value and unit, date value and precision."""
    if value is None:
        return None
    if hasattr(value, "amount"):
        return (value.amount, value.currency)
    if hasattr(value, "unit"):
        return (value.value, value.unit)
    return (value.value, value.precision)


def test_there_are_many_cuts() -> None:
    assert len(CASES) > 150


@pytest.mark.parametrize(("gold", "path", "cut"), CASES)
def test_a_cut_text_is_sent_back_or_keeps_its_value(
    gold: GoldArticle, path: tuple[Any, ...], cut: str
) -> None:
    data = gold.draft.model_dump(mode="json")
    node = data
    for step in path:
        node = node[step]
    node["text"] = cut
    where = ".".join(f"{step}" if isinstance(step, str) else f"[{step}]" for step in path).replace(
        ".[", "["
    )
    try:
        resolved = resolve(ArticleDraft.model_validate(data), gold.text, gold.published)
    except DraftProblems as error:
        paths = [p.path for p in error.problems]
    else:
        assert _key(_value(resolved, path)) == _key(_value(gold.summary, path)), cut
        return
    assert f"{where}.text" in paths


@pytest.mark.parametrize("gold", GOLD, ids=lambda g: g.name)
def test_a_whole_expression_stops_at_a_sentence_end(gold: GoldArticle) -> None:
    """Web pages often run paragraphs together: "... last month. Last week, the Cabinet ...".
    A copy is never grown back across the end of the sentence before it."""
    joined = " ".join(gold.text.split())
    summary = resolve(gold.draft, joined, gold.published)
    expected = resolve(gold.draft, gold.text, gold.published)
    assert [r.date and r.date.value for r in summary.records()] == [
        r.date and r.date.value for r in expected.records()
    ]
