"""Tables of records: tidy tables for analysts, and one flat row per record.

:func:`tables` (and :func:`to_tables` for one summary) make the tidy tables the exports write
(:mod:`minerals_summ.exports`): articles, agreements, policy schemes, parties, minerals, targets,
officials and evidence, each row keyed by article id and record id, with money and quantities as
written and as values, and dates as written, resolved and with their precision.

:func:`to_records` and :func:`to_dataframe` flatten one :class:`ArticleSummary` to one row per
record; :func:`summaries_to_dataframe` a whole batch, failed articles included. The DataFrames
need pandas (``pip install 'minerals-summ[pandas]'``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from minerals_summ.records import Agreement, DateRef, Money, PolicyScheme

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

    from minerals_summ.batch import Outcome
    from minerals_summ.summary import ArticleSummary

__all__ = [
    "BATCH_COLUMNS",
    "COLUMNS",
    "TABLE_COLUMNS",
    "ResultLine",
    "Tables",
    "summaries_to_dataframe",
    "tables",
    "to_dataframe",
    "to_records",
    "to_tables",
]

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
    "amount_qualifier",  # exact, approximately, at_least, more_than, up_to or less_than
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
        "amount_qualifier": str(money.qualifier) if money else None,
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


# The tidy tables of :func:`tables`: one row per article, record, party, mineral, target,
# official and quote; every row keyed by article id (and record id: A1, P1 as in the views).
_ARTICLE_KEYS = ("article_id", "article_url", "article_title", "published")
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": (
        "article_id", "ok", "error_type", "error", "url", "title", "source", "published",
        "published_source", "summary", "agreements", "policy_schemes", "model", "chunks",
        "attempts", "prompt_tokens", "cached_tokens", "completion_tokens", "cost_usd",
        "article_sha256",
    ),
    "agreements": (
        *_ARTICLE_KEYS, "record_id", "title", "kind", "status", "parties", "value_text",
        "value_amount", "value_currency", "value_qualifier", "date_text", "date_value",
        "date_precision", "location", "minerals", "activities",
    ),
    "policy_schemes": (
        *_ARTICLE_KEYS, "record_id", "name", "country", "country_inferred", "instrument",
        "status", "approving_body", "parent_programme", "budget_text", "budget_amount",
        "budget_currency", "budget_qualifier", "duration_years", "date_text", "date_value",
        "date_precision", "minerals",
    ),
    "parties": (
        *_ARTICLE_KEYS, "record_id", "position", "name", "acronym", "kind", "country",
        "country_inferred",
    ),
    "minerals": (*_ARTICLE_KEYS, "record_id", "mineral"),
    "targets": (
        *_ARTICLE_KEYS, "record_id", "position", "description", "quantity_text",
        "quantity_value", "quantity_unit", "per_year", "quantity_qualifier",
    ),
    "officials": (*_ARTICLE_KEYS, "record_id", "position", "name", "role", "organisation"),
    "evidence": (*_ARTICLE_KEYS, "record_id", "position", "quote", "start", "end"),
}  # fmt: skip

Tables = dict[str, list[dict[str, Any]]]


def _money_cells(prefix: str, money: Money | None) -> dict[str, Any]:
    return {
        f"{prefix}_text": money.text if money else None,
        f"{prefix}_amount": money.amount if money else None,
        f"{prefix}_currency": money.currency if money else None,
        f"{prefix}_qualifier": str(money.qualifier) if money else None,
    }


def _date_cells(date: DateRef | None) -> dict[str, Any]:
    return {
        "date_text": date.text if date else None,
        "date_value": date.value if date else None,
        "date_precision": str(date.precision) if date and date.precision else None,
    }


def _record_rows(out: Tables, keys: dict[str, Any], record: Agreement | PolicyScheme) -> None:
    """The rows of one record: its own, its parties, minerals, targets, officials, quotes."""
    if isinstance(record, Agreement):
        out["agreements"].append(
            keys
            | {"title": record.title, "kind": str(record.kind), "status": str(record.status)}
            | {"parties": "; ".join(p.name for p in record.parties)}
            | _money_cells("value", record.value)
            | _date_cells(record.date)
            | {"location": record.location, "minerals": ", ".join(record.minerals)}
            | {"activities": ", ".join(record.activities)}
        )
        for n, party in enumerate(record.parties, 1):
            out["parties"].append(
                keys
                | {"position": n, "name": party.name, "acronym": party.acronym}
                | {"kind": str(party.kind), "country": party.country}
                | {"country_inferred": party.country_inferred}
            )
        for n, person in enumerate(record.officials, 1):
            out["officials"].append(
                keys
                | {"position": n, "name": person.name, "role": person.role}
                | {"organisation": person.organisation}
            )
    else:
        out["policy_schemes"].append(
            keys
            | {"name": record.name, "country": record.country}
            | {"country_inferred": record.country_inferred}
            | {"instrument": str(record.instrument), "status": str(record.status)}
            | {"approving_body": record.approving_body}
            | {"parent_programme": record.parent_programme}
            | _money_cells("budget", record.budget)
            | {"duration_years": record.duration_years}
            | _date_cells(record.date)
            | {"minerals": ", ".join(record.minerals)}
        )
        for n, target in enumerate(record.targets, 1):
            quantity = target.quantity
            out["targets"].append(
                keys
                | {"position": n, "description": target.description}
                | {"quantity_text": quantity.text if quantity else None}
                | {"quantity_value": quantity.value if quantity else None}
                | {"quantity_unit": quantity.unit if quantity else None}
                | {"per_year": quantity.per_year if quantity else None}
                | {"quantity_qualifier": str(quantity.qualifier) if quantity else None}
            )
    out["minerals"] += [keys | {"mineral": str(m)} for m in record.minerals]
    out["evidence"] += [
        keys | {"position": n, "quote": e.quote, "start": e.start, "end": e.end}
        for n, e in enumerate(record.evidence, 1)
    ]


def _article_row(article_id: str, summary: ArticleSummary) -> dict[str, Any]:
    p = summary.provenance
    return {
        "article_id": article_id,
        "ok": True,
        "url": p.url if p else None,
        "title": p.title if p else None,
        "source": p.source if p else None,
        "published": summary.published,
        "published_source": p.published_source if p else None,
        "summary": summary.summary,
        "agreements": len(summary.agreements),
        "policy_schemes": len(summary.policy_schemes),
        "model": p.model if p else None,
        "chunks": p.chunks if p else None,
        "attempts": p.attempts if p else None,
        "prompt_tokens": p.usage.prompt_tokens if p else None,
        "cached_tokens": p.usage.cached_tokens if p else None,
        "completion_tokens": p.usage.completion_tokens if p else None,
        "cost_usd": p.cost_usd if p else None,
        "article_sha256": p.article_sha256 if p else None,
    }


def _add(out: Tables, article_id: str, summary: ArticleSummary) -> None:
    row = _article_row(article_id, summary)
    out["articles"].append(row)
    article = {
        "article_id": article_id,
        "article_url": row["url"],
        "article_title": row["title"],
        "published": summary.published,
    }
    for n, record in enumerate(summary.agreements, 1):
        _record_rows(out, article | {"record_id": f"A{n}"}, record)
    for n, scheme in enumerate(summary.policy_schemes, 1):
        _record_rows(out, article | {"record_id": f"P{n}"}, scheme)


@dataclass(frozen=True)
class ResultLine:
    """One line of a batch's JSONL file: an article's summary, or its error and metadata."""

    article_id: str
    summary: ArticleSummary | None = None
    error_type: str | None = None
    error: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    published: str | None = None


def _failed(failure: ResultLine) -> dict[str, Any]:
    return {"ok": False} | {
        name: getattr(failure, name)
        for name in ("article_id", "error_type", "error", "url", "title", "source", "published")
    }


def tables(items: Iterable[ArticleSummary | Outcome | ResultLine]) -> Tables:
    """Tidy tables of many articles (:data:`TABLE_COLUMNS`), as lists of row dicts.

    ``items`` are summaries (their id is their position), batch outcomes, or the lines of a
    batch's JSONL file (:func:`minerals_summ.exports.read_results`). A failed article has its
    row in ``articles``, with the error.
    """
    out: Tables = {name: [] for name in TABLE_COLUMNS}
    for position, item in enumerate(items):
        if isinstance(item, ResultLine):
            if item.summary is not None:
                _add(out, item.article_id, item.summary)
            else:
                out["articles"].append(_failed(item))
        elif hasattr(item, "article_id"):  # an Outcome
            outcome = cast("Outcome", item)
            if outcome.summary is not None:
                _add(out, outcome.article_id, outcome.summary)
            else:
                line = outcome.to_json()
                error = line["error"]
                out["articles"].append(
                    _failed(
                        ResultLine(
                            article_id=outcome.article_id,
                            error_type=error["type"],
                            error=error["message"],
                            **{k: line.get(k) for k in ("url", "title", "source", "published")},
                        )
                    )
                )
        else:
            _add(out, str(position), item)
    return {
        name: [{column: row.get(column) for column in TABLE_COLUMNS[name]} for row in rows]
        for name, rows in out.items()
    }


def to_tables(summary: ArticleSummary, article_id: str = "0") -> Tables:
    """:func:`tables` of one summary."""
    tidy = tables([summary])
    for rows in tidy.values():
        for row in rows:
            row["article_id"] = article_id
    return tidy
