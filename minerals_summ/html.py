"""The notebook view of an :class:`ArticleSummary`: HTML tables and highlighted evidence.

:func:`summary_html` renders one table per record (like :mod:`minerals_summ.display`) and, when
the article text is given, the article with every evidence span in a ``<mark>`` that names its
record (``data-record="agreement-0"``, ``data-evidence="agreement-0-1"``), linked both ways: the
record's evidence links to its first mark, a superscript after each span links back to the record.
Spans from several records may overlap: the text is cut at every span boundary, and each piece
opens and closes the marks of the spans covering it, so the HTML stays well nested and the marks of
one evidence hold exactly ``article[start:end]``. All article and record text goes through
``html.escape``; the CSS is inline, nothing is loaded from elsewhere.

Flat rows and DataFrames are in :mod:`minerals_summ.tables`.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from minerals_summ.records import Agreement, DateRef, Money, PolicyScheme

if TYPE_CHECKING:
    from minerals_summ.summary import ArticleSummary

__all__ = ["summary_html"]

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
    return "-" if money is None else f"{money.currency} {money.amount:,} ({money.text!r})"


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
            f"{t.quantity.value:,} {t.quantity.unit}{' a year' if t.quantity.per_year else ''}"
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


_MOVED = {"to_records", "to_dataframe", "summaries_to_dataframe", "COLUMNS", "BATCH_COLUMNS"}


def __getattr__(name: str) -> Any:
    """The table functions that lived here until 0.2 (deprecated: use minerals_summ.tables)."""
    if name in _MOVED:
        warnings.warn(
            f"minerals_summ.html.{name} moved to minerals_summ.tables.{name}",
            DeprecationWarning,
            stacklevel=2,
        )
        from minerals_summ import tables

        return getattr(tables, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
