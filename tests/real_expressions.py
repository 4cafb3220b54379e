"""The real-reporting expression table (tests/data/real_expressions.jsonl) run through the parsers.

Each row is an expression copied from a news page about critical minerals, with its source
address and a hand-written expectation: a value, or ``{"refuse": category}``. A row is handled
right when the parser returns that value, or refuses where a refusal is expected. A row is
*silently wrong* when the parser returns a value other than the expected one, or any value where
a refusal is expected: the outcome the library exists to prevent.

Used by tests/test_real_expressions.py and scripts/real_expressions_report.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from minerals_summ.normalise import parse_money, parse_quantity, resolve_date

TABLE = Path(__file__).parent / "data" / "real_expressions.jsonl"


@dataclass(frozen=True)
class Outcome:
    row: dict[str, Any]
    got: dict[str, Any] | None  # the value returned, in the row's terms; None when refused
    refusal: str | None  # the refusal's category (or message), when refused

    @property
    def expected_refusal(self) -> bool:
        return "refuse" in self.row["expect"]

    @property
    def right(self) -> bool:
        if self.expected_refusal:
            return self.got is None
        return self.got is not None and self.got == _expected(self.row)

    @property
    def silently_wrong(self) -> bool:
        return self.got is not None and not self.right

    @property
    def failure_class(self) -> str:
        """A short name for what went wrong, for the report."""
        kind = self.row["kind"]
        if self.right:
            return "right"
        if self.got is None:
            return f"{kind}: refused ({self.refusal}) where a value was expected"
        if self.expected_refusal:
            return f"{kind}: value where {self.row['expect']['refuse']} was expected"
        wrong = [k for k, v in _expected(self.row).items() if self.got.get(k) != v]
        return f"{kind}: wrong {', '.join(wrong)}"

    def describe(self) -> str:
        row = self.row
        where = f" | context {row['context']!r}" if row.get("context") else ""
        published = f" | published {row['published']}" if row.get("published") else ""
        got = self.got if self.got is not None else f"refused: {self.refusal}"
        return (
            f"{row['id']} {row['kind']} {row['text']!r}{published}{where}\n"
            f"    expected {row['expect']}\n    got      {got}\n    source   {row['source']}"
        )


def load(path: Path = TABLE) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _expected(row: dict[str, Any]) -> dict[str, Any]:
    expect = dict(row["expect"])
    for key in ("amount", "value"):
        if row["kind"] != "date" and key in expect:
            expect[key] = Decimal(expect[key])
    return expect


def run(row: dict[str, Any]) -> Outcome:
    """Parse one row's text as its kind says."""
    text = row["text"]
    try:
        if row["kind"] == "money":
            m = parse_money(text)
            got: dict[str, Any] = {
                "amount": m.amount,
                "currency": m.currency,
                "qualifier": str(m.qualifier),
            }
        elif row["kind"] == "quantity":
            q = parse_quantity(text)
            got = {
                "value": q.value,
                "unit": q.unit,
                "per_year": q.per_year,
                "qualifier": str(q.qualifier),
            }
        else:
            d = resolve_date(text, row["published"], context=row.get("context"))
            got = {
                "value": d.value.isoformat() if d.value else None,
                "precision": str(d.precision) if d.precision else None,
            }
    except ValueError as exc:
        return Outcome(row, None, getattr(exc, "category", None) or str(exc))
    return Outcome(row, got, None)


def run_all(path: Path = TABLE) -> list[Outcome]:
    return [run(row) for row in load(path)]
