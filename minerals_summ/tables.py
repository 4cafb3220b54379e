"""Flat tables of records: one row per record, as dicts or pandas DataFrames.

:func:`to_records` and :func:`to_dataframe` flatten one :class:`ArticleSummary`;
:func:`summaries_to_dataframe` a whole batch, failed articles included. The DataFrames need
pandas (``pip install 'minerals-summ[pandas]'``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from minerals_summ.records import Agreement, PolicyScheme

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

    from minerals_summ.batch import Outcome
    from minerals_summ.summary import ArticleSummary

__all__ = ["BATCH_COLUMNS", "COLUMNS", "summaries_to_dataframe", "to_dataframe", "to_records"]

COLUMNS = (
    "kind",  # agreement or policy_scheme
    "title",  # an agreement's title, a scheme's name
    "type",  # the agreement kind or the scheme instrument
    "status",
    "parties",  # names joined with "; " (agreements)
    "countries",  # party countries joined with ", " (agreements), the jurisdiction (schemes)
    "minerals",
    "activities",
    "amount",  # value or budget, Decimal in whole currency units
    "currency",
    "date",
    "date_precision",
    "published",
    "evidence_count",
    "article_sha256",
    "model",
)
BATCH_COLUMNS = ("article_id", *COLUMNS, "error_type", "error")


def _row(summary: ArticleSummary, record: Agreement | PolicyScheme) -> dict[str, Any]:
    row: dict[str, Any]
    if isinstance(record, Agreement):
        money, countries = (
            record.value,
            dict.fromkeys(p.country for p in record.parties if p.country),
        )
        row = {
            "kind": "agreement",
            "title": record.title,
            "type": str(record.kind),
            "parties": "; ".join(p.name for p in record.parties),
            "countries": ", ".join(countries),
            "activities": ", ".join(record.activities),
        }
    else:
        money = record.budget
        row = {
            "kind": "policy_scheme",
            "title": record.name,
            "type": str(record.instrument),
            "countries": record.country,
        }
    date = record.date
    row |= _provenance(summary) | {
        "status": str(record.status),
        "minerals": ", ".join(record.minerals),
        "amount": money.amount if money else None,
        "currency": money.currency if money else None,
        "date": date.value if date else None,
        "date_precision": str(date.precision) if date and date.precision else None,
        "published": summary.published,
        "evidence_count": len(record.evidence),
    }
    return {column: row.get(column) for column in COLUMNS}


def to_records(summary: ArticleSummary) -> list[dict[str, Any]]:
    """One flat dict per record (keys: :data:`COLUMNS`), agreements first."""
    return [_row(summary, record) for record in summary.records()]


def _pandas() -> Any:
    try:
        import pandas as pd  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as exc:
        raise ImportError("DataFrames need pandas: pip install 'minerals-summ[pandas]'") from exc
    return pd


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pandas.DataFrame:
    """A DataFrame with amounts as floats and dates as datetimes (empty columns kept)."""
    pd = _pandas()
    frame = pd.DataFrame(rows, columns=list(columns))
    frame["amount"] = frame["amount"].map(lambda a: None if a is None else float(a)).astype(float)
    frame["evidence_count"] = frame["evidence_count"].astype("Int64")
    for column in ("date", "published"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def to_dataframe(summary: ArticleSummary) -> pandas.DataFrame:
    """:func:`to_records` as a pandas DataFrame (amounts as floats, dates as datetimes)."""
    return _frame(to_records(summary), COLUMNS)


def summaries_to_dataframe(items: Iterable[ArticleSummary | Outcome]) -> pandas.DataFrame:
    """Rows of many articles (columns :data:`BATCH_COLUMNS`).

    ``items`` are summaries (``article_id`` is then their position) or outcomes with
    ``article_id``, ``summary`` and ``error``. A failed outcome gives one row with the error's type
    and message; an article without records one row with ``kind`` None, so every article shows.
    """
    empty = dict.fromkeys(BATCH_COLUMNS)
    rows: list[dict[str, Any]] = []
    for position, item in enumerate(items):
        article_id: object
        summary: ArticleSummary | None
        error: BaseException | None
        if hasattr(item, "article_id"):
            outcome = cast("Outcome", item)
            article_id, summary, error = outcome.article_id, outcome.summary, outcome.error
        else:
            article_id, summary, error = position, item, None
        if summary is None:
            failure = {
                "error_type": type(error).__name__ if error else None,
                "error": str(error) if error is not None else None,
            }
            rows.append(empty | {"article_id": article_id} | failure)
            continue
        records = to_records(summary) or [{"published": summary.published} | _provenance(summary)]
        rows += [empty | record | {"article_id": article_id} for record in records]
    return _frame(rows, BATCH_COLUMNS)


def _provenance(summary: ArticleSummary) -> dict[str, Any]:
    p = summary.provenance
    return {"article_sha256": p.article_sha256 if p else None, "model": p.model if p else None}
