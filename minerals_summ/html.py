"""Notebook views of an :class:`ArticleSummary`: HTML tables, highlighted evidence, DataFrames.

:func:`summary_html` renders one table per record (like :mod:`minerals_summ.display`) and, when
the article text is given, the article with every evidence span in a ``<mark>`` that names its
record (``data-record="agreement-0"``, ``data-evidence="agreement-0-1"``), linked both ways: the
record's evidence links to its first mark, a superscript after each span links back to the record.
Spans from several records may overlap: the text is cut at every span boundary, and each piece
opens and closes the marks of the spans covering it, so the HTML stays well nested and the marks of
one evidence hold exactly ``article[start:end]``. All article and record text goes through
``html.escape``; the CSS is inline, nothing is loaded from elsewhere.

:func:`to_records`, :func:`to_dataframe` and :func:`summaries_to_dataframe` give flat rows, one
per record; the DataFrames need pandas (``pip install 'minerals-summ[pandas]'``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Protocol

from minerals_summ.schema import Agreement, ArticleSummary, PolicyScheme
from minerals_summ.values import DateRef, Money
from minerals_summ.vocabulary import qualified

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = [
    "BATCH_COLUMNS",
    "COLUMNS",
    "Outcome",
    "summaries_to_dataframe",
    "summary_html",
    "to_dataframe",
    "to_records",
]

_PALETTE = ("255,214,0", "0,180,255", "255,120,160", "120,220,120", "200,150,255", "255,170,60")
_CELL = "padding:2px 8px;vertical-align:top;text-align:left;border-top:1px solid #ddd"
_TABLE = "border-collapse:collapse;margin:8px 0;font-size:inherit"


@dataclass(frozen=True)
class _Item:
    rid: str  # agreement-0, policy_scheme-0
    label: str  # A1, P1
    record: Agreement | PolicyScheme
    colour: str

    @property
    def title(self) -> str:
        return self.record.title if isinstance(self.record, Agreement) else self.record.name


def _items(summary: ArticleSummary) -> list[_Item]:
    pairs: list[tuple[str, str, Agreement | PolicyScheme]] = []
    pairs += [(f"agreement-{i}", f"A{i + 1}", a) for i, a in enumerate(summary.agreements)]
    pairs += [(f"policy_scheme-{i}", f"P{i + 1}", s) for i, s in enumerate(summary.policy_schemes)]
    return [
        _Item(rid, label, record, _PALETTE[n % len(_PALETTE)])
        for n, (rid, label, record) in enumerate(pairs)
    ]


def _money(money: Money | None) -> str:
    if money is None:
        return "-"
    return qualified(money.qualifier, f"{money.currency} {money.amount:,}") + f" ({money.text!r})"


def _date(date: DateRef | None) -> str:
    if date is None:
        return "-"
    value = date.value.isoformat() if date.value else "unresolved"
    return f"{value}{f', {date.precision}' if date.precision else ''} ({date.text!r})"


def _rows(record: Agreement | PolicyScheme) -> list[tuple[str, str]]:
    """The record's fields as (label, plain text) pairs; the caller escapes them."""
    if isinstance(record, Agreement):
        parties = "; ".join(
            p.name + (f" ({p.acronym})" if p.acronym else "") + f" [{p.kind}, {p.country or '?'}]"
            for p in record.parties
        )
        return [
            ("kind / status", f"{record.kind} / {record.status}"),
            ("parties", parties),
            ("minerals", ", ".join(record.minerals) or "-"),
            ("activities", ", ".join(record.activities) or "-"),
            ("value", _money(record.value)),
            ("date", _date(record.date)),
            ("location", record.location or "-"),
            ("officials", "; ".join(f"{o.name}, {o.role or '?'}" for o in record.officials) or "-"),
        ]
    targets = "; ".join(
        f"{t.description}: "
        + (
            qualified(t.quantity.qualifier, f"{t.quantity.value:,} {t.quantity.unit}")
            + f"{' a year' if t.quantity.per_year else ''}"
            if t.quantity
            else "-"
        )
        for t in record.targets
    )
    return [
        ("country / instrument", f"{record.country} / {record.instrument}"),
        ("status", str(record.status)),
        ("approved by", record.approving_body or "-"),
        ("programme", record.parent_programme or "-"),
        ("budget", _money(record.budget)),
        ("duration", f"{record.duration_years} years" if record.duration_years else "-"),
        ("date", _date(record.date)),
        ("minerals", ", ".join(record.minerals) or "-"),
        ("targets", targets or "-"),
    ]


def _tr(name: str, value_html: str) -> str:
    return f'<tr><th style="{_CELL}">{escape(name)}</th><td style="{_CELL}">{value_html}</td></tr>'


def _table(prefix: str, item: _Item, shown: set[str]) -> str:
    record = item.record
    what = "Agreement" if isinstance(record, Agreement) else "Policy scheme"
    rows = [_tr(name, escape(value)) for name, value in _rows(record)]
    quotes = []
    for k, evidence in enumerate(record.evidence):
        eid = f"{item.rid}-{k}"
        quote = escape(evidence.quote)
        if eid in shown:
            quote += f' <a href="#{prefix}-{eid}">[{evidence.start}:{evidence.end}]</a>'
        quotes.append(quote)
    rows.append(_tr("evidence", "<br>".join(quotes) or "-"))
    caption = (
        '<caption style="text-align:left;font-weight:bold;padding:2px 0">'
        f'<span style="background:rgba({item.colour},0.45);padding:0 4px">{item.label}</span> '
        f"{what}: {escape(item.title)}</caption>"
    )
    return (
        f'<table id="{prefix}-{item.rid}" data-record="{item.rid}" style="{_TABLE}">'
        f"{caption}{''.join(rows)}</table>"
    )


def _article(prefix: str, items: list[_Item], article: str) -> tuple[str, set[str]]:
    """The article with the evidence marked, and the ids of the evidence that could be marked."""
    spans = [
        (e.start, e.end, f"{item.rid}-{k}", item)
        for item in items
        for k, e in enumerate(item.record.evidence)
        if 0 <= e.start < e.end <= len(article)
    ]
    spans.sort(key=lambda s: (s[0], -s[1]))  # outer spans open first
    bounds = sorted({0, len(article)} | {s[0] for s in spans} | {s[1] for s in spans})
    out: list[str] = []
    opened: set[str] = set()
    for a, b in pairwise(bounds):
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        for _, _, eid, item in covering:
            anchor = f' id="{prefix}-{eid}"' if eid not in opened else ""
            opened.add(eid)
            out.append(
                f'<mark{anchor} data-record="{item.rid}" data-evidence="{eid}" '
                f'title="{escape(f"{item.label}: {item.title}")}" '
                f'style="background:rgba({item.colour},0.35);color:inherit;padding:0">'
            )
        out.append(escape(article[a:b]) + "</mark>" * len(covering))
        ending = {s[3].rid: s[3] for s in spans if s[1] == b}  # one link back per record
        out += [
            f'<sup><a href="#{prefix}-{item.rid}" data-back="{item.rid}" '
            f'style="text-decoration:none">{item.label}</a></sup>'
            for item in ending.values()
        ]
    return "".join(out), opened


def summary_html(summary: ArticleSummary, article: str | None = None) -> str:
    """The records as HTML tables and, given the article text, the article with its evidence."""
    digest = hashlib.sha256(summary.model_dump_json().encode())
    digest.update((article or "").encode())
    prefix = f"ms-{digest.hexdigest()[:8]}"
    items = _items(summary)
    marked, shown = _article(prefix, items, article) if article is not None else ("", set())
    parts = [f'<p style="font-style:italic;margin:4px 0">{escape(summary.summary)}</p>']
    if summary.published:
        parts.append(f'<p style="margin:4px 0">published {summary.published.isoformat()}</p>')
    parts += [_table(prefix, item, shown) for item in items]
    if not summary.records():
        parts.append("<p>No agreement or policy scheme in this article.</p>")
    if article is not None:
        sha = summary.provenance.article_sha256 if summary.provenance else None
        if sha and sha != hashlib.sha256(article.encode("utf-8")).hexdigest():
            parts.append(
                '<p class="ms-warning" style="color:#b00;margin:8px 0 2px">This is not the text '
                "these records came from (its sha256 differs): the marks may be wrong.</p>"
            )
        parts.append(
            '<p style="font-weight:bold;margin:8px 0 2px">Article</p>'
            '<div class="ms-article" style="white-space:pre-wrap;max-height:40em;overflow:auto;'
            f'border:1px solid #ddd;padding:6px;line-height:1.6">{marked}</div>'
        )
    if summary.provenance:
        p = summary.provenance
        line = (
            f"{p.model}, {p.mode} mode, prompt {p.prompt_version}, schema {p.schema_version}: "
            f"{p.attempts} model call(s), {p.transport_retries} transport retries, "
            f"{p.usage.total_tokens} tokens, {p.wall_time_s:.2f}s"
        )
        parts.append(f'<p style="color:#777;margin:4px 0">{escape(line)}</p>')
    style = "font-family:system-ui,sans-serif;font-size:13px;line-height:1.4"
    return f'<div class="minerals-summ" id="{prefix}" style="{style}">' + "".join(parts) + "</div>"


# --- Flat rows -------------------------------------------------------------------------------

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


class Outcome(Protocol):
    """One article of a batch: its id, and its summary or the error that stopped it."""

    @property
    def article_id(self) -> object: ...
    @property
    def summary(self) -> ArticleSummary | None: ...
    @property
    def error(self) -> BaseException | None: ...


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
        if isinstance(item, ArticleSummary):
            article_id, summary, error = position, item, None
        else:
            article_id, summary, error = item.article_id, item.summary, item.error
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
