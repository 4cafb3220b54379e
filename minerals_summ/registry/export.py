"""The registry as three tidy tables: events, mentions and conflicts (CSV or Parquet).

One row per event, one per mention (with its article and evidence), one per conflicting value
(the event, the field, the value and the mentions stating it). Lists inside a cell (countries,
minerals, mention ids) are joined with "; ".
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from minerals_summ.registry.model import Event, FieldValue

__all__ = ["TABLES", "export", "tables"]

TABLES = ("events", "mentions", "conflicts")
Row = dict[str, Any]


def _join(values: Sequence[object]) -> str:
    return "; ".join(str(v) for v in values)


def _best(values: Sequence[FieldValue]) -> str:
    return values[0].text if values else ""


def _event_row(event: Event) -> Row:
    published = [m.published for m in event.mentions if m.published]
    money = event.fields.get("value" if event.kind == "agreement" else "budget", ())
    return {
        "event_id": event.id,
        "kind": event.kind,
        "title": event.title,
        "status": event.status,
        "status_history": _join(
            [f"{c.status} {c.date.isoformat() if c.date else '?'}" for c in event.status_history]
        ),
        "date": event.date.isoformat() if event.date else "",
        "countries": _join(event.countries),
        "minerals": _join(event.minerals),
        "amount": _best(money),
        "mentions": len(event.mentions),
        "conflicts": len(event.conflicts),
        "first_published": min(published).isoformat() if published else "",
        "last_published": max(published).isoformat() if published else "",
    }


def _mention_rows(event: Event) -> list[Row]:
    rows = []
    for mention in event.mentions:
        record = mention.record
        money = getattr(record, "value", None) or getattr(record, "budget", None)
        date = record.date
        rows.append(
            {
                "mention_id": mention.id,
                "event_id": event.id,
                "article_id": mention.article_id,
                "url": mention.url or "",
                "article_title": mention.title or "",
                "published": mention.published.isoformat() if mention.published else "",
                "record_kind": mention.kind,
                "label": mention.label,
                "status": record.status.value,
                "date": date.value.isoformat() if date and date.value else "",
                "date_precision": date.precision.value if date and date.precision else "",
                "amount": str(money.amount) if money else "",
                "currency": money.currency if money else "",
                "evidence": _join([f"[{e.start}:{e.end}] {e.quote}" for e in mention.evidence]),
            }
        )
    return rows


def _conflict_rows(event: Event) -> list[Row]:
    return [
        {
            "event_id": event.id,
            "field": conflict.field,
            "value": value.text,
            "mentions": _join(value.mentions),
        }
        for conflict in event.conflicts
        for value in conflict.values
    ]


def tables(events: Sequence[Event]) -> dict[str, list[Row]]:
    """``{"events": rows, "mentions": rows, "conflicts": rows}``."""
    return {
        "events": [_event_row(e) for e in events],
        "mentions": [row for e in events for row in _mention_rows(e)],
        "conflicts": [row for e in events for row in _conflict_rows(e)],
    }


def _write_csv(path: Path, rows: list[Row], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _write_parquet(path: Path, rows: list[Row], columns: list[str]) -> None:
    # Checked by export() before anything is written; pyarrow ships no type information.
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped, unused-ignore]

    table = pa.Table.from_pydict({c: [row[c] for row in rows] for c in columns})
    pq.write_table(table, path)


# Column names of each table, so that an empty table still has its header.
COLUMNS: dict[str, list[str]] = {
    "events": [
        "event_id", "kind", "title", "status", "status_history", "date", "countries", "minerals",
        "amount", "mentions", "conflicts", "first_published", "last_published",
    ],
    "mentions": [
        "mention_id", "event_id", "article_id", "url", "article_title", "published",
        "record_kind", "label", "status", "date", "date_precision", "amount", "currency",
        "evidence",
    ],
    "conflicts": ["event_id", "field", "value", "mentions"],
}  # fmt: skip


def export(events: Sequence[Event], directory: str | Path, fmt: str = "csv") -> list[Path]:
    """Write ``events``, ``mentions`` and ``conflicts`` tables into ``directory``; their paths."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"unknown format {fmt!r}: csv or parquet")
    if fmt == "parquet":
        try:
            import pyarrow  # type: ignore[import-untyped, unused-ignore]  # noqa: F401
        except ImportError as exc:
            raise RuntimeError(
                "Parquet export needs pyarrow: pip install 'minerals-summ[parquet]'"
            ) from exc
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables(events).items():
        path = directory / f"{name}.{fmt}"
        (_write_csv if fmt == "csv" else _write_parquet)(path, rows, COLUMNS[name])
        written.append(path)
    return written
