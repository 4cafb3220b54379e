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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING, Any, cast

from minerals_summ.costs import format_cost
from minerals_summ.display import provenance_line
from minerals_summ.records import Agreement, DateRef, Money, PolicyScheme, Span
from minerals_summ.vocabulary import qualified

if TYPE_CHECKING:
    from minerals_summ.batch import Outcome
    from minerals_summ.summary import ArticleSummary

__all__ = ["KINDS", "ArticlesView", "articles_html", "summary_html"]

# Evidence in one colour (the record it supports is in its label); values in the colour of their
# kind, the same in every article, with a legend.
_EVIDENCE = "255,214,0"
KINDS: dict[str, tuple[str, str]] = {  # kind: (label in the legend, colour)
    "money": ("amount", "60,180,75"),
    "quantity": ("quantity", "0,130,200"),
    "date": ("date", "145,30,180"),
    "party": ("party", "245,130,48"),
    "official": ("official", "230,25,75"),
}
_CELL = "padding:2px 8px;vertical-align:top;text-align:left;border-top:1px solid #ddd"
_TABLE = "border-collapse:collapse;margin:8px 0;font-size:inherit"


@dataclass(frozen=True)
class _Item:
    rid: str  # agreement-0, policy_scheme-0
    label: str  # A1, P1
    record: Agreement | PolicyScheme

    @property
    def title(self) -> str:
        return self.record.title if isinstance(self.record, Agreement) else self.record.name


def _items(summary: ArticleSummary) -> list[_Item]:
    pairs: list[tuple[str, str, Agreement | PolicyScheme]] = []
    pairs += [(f"agreement-{i}", f"A{i + 1}", a) for i, a in enumerate(summary.agreements)]
    pairs += [(f"policy_scheme-{i}", f"P{i + 1}", s) for i, s in enumerate(summary.policy_schemes)]
    return [_Item(rid, label, record) for rid, label, record in pairs]


def _values(item: _Item) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, what) of each value of a record the article holds at known offsets."""
    record = item.record
    found: list[tuple[Span | None, str, str]] = []
    money = record.value if isinstance(record, Agreement) else record.budget
    if money is not None:
        found.append(
            (money.span, "money", qualified(money.qualifier, f"{money.currency} {money.amount:,}"))
        )
    if record.date is not None:
        found.append((record.date.span, "date", _date(record.date)))
    if isinstance(record, Agreement):
        found += [
            (p.span, "party", f"{p.name} [{p.kind}, {p.country or '?'}]") for p in record.parties
        ]
        found += [(o.span, "official", f"{o.name}, {o.role or '?'}") for o in record.officials]
    else:
        found += [
            (t.quantity.span, "quantity", f"{t.quantity.value:,} {t.quantity.unit}")
            for t in record.targets
            if t.quantity is not None
        ]
    return [(span.start, span.end, kind, what) for span, kind, what in found if span is not None]


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
        f'<span style="background:#eee;padding:0 4px">{item.label}</span> '
        f"{what}: {escape(item.title)}</caption>"
    )
    return (
        f'<table id="{prefix}-{item.rid}" data-record="{item.rid}" style="{_TABLE}">'
        f"{caption}{''.join(rows)}</table>"
    )


def _legend() -> str:
    swatch = '<span style="background:rgba({},0.45);padding:0 4px;margin-right:6px">{}</span>'
    keys = [swatch.format(_EVIDENCE, "evidence")]
    keys += [swatch.format(colour, label) for label, colour in KINDS.values()]
    return f'<p class="ms-legend" style="margin:4px 0">{"".join(keys)}</p>'


def _article(prefix: str, items: list[_Item], article: str) -> tuple[str, set[str]]:
    """The article with the evidence and the values marked, and the ids of the evidence marked.

    Evidence is a ``<mark data-evidence>``, a value a ``<span data-value="money">`` (its kind);
    a piece of text opens the outer ones first, so a value sits inside the evidence around it.
    """
    Piece = tuple[int, int, str, str, _Item, str]  # start, end, id, kind ("" = evidence), item
    spans: list[Piece] = []
    for item in items:
        spans += [
            (e.start, e.end, f"{item.rid}-{k}", "", item, "")
            for k, e in enumerate(item.record.evidence)
        ]
        spans += [
            (start, end, f"{item.rid}-v{k}", kind, item, what)
            for k, (start, end, kind, what) in enumerate(_values(item))
        ]
    spans = [s for s in spans if 0 <= s[0] < s[1] <= len(article)]
    spans.sort(key=lambda s: (s[0], -s[1], s[3] != ""))  # outer spans open first
    bounds = sorted({0, len(article)} | {s[0] for s in spans} | {s[1] for s in spans})
    out: list[str] = []
    opened: set[str] = set()
    for a, b in pairwise(bounds):
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        for _, _, sid, kind, item, what in covering:
            if kind:
                label, colour = KINDS[kind]
                out.append(
                    f'<span data-value="{kind}" data-record="{item.rid}" '
                    f'title="{escape(f"{item.label} {label}: {what}")}" '
                    f'style="background:rgba({colour},0.35);border-radius:2px">'
                )
                continue
            anchor = f' id="{prefix}-{sid}"' if sid not in opened else ""
            opened.add(sid)
            out.append(
                f'<mark{anchor} data-record="{item.rid}" data-evidence="{sid}" '
                f'title="{escape(f"{item.label}: {item.title}")}" '
                f'style="background:rgba({_EVIDENCE},0.3);color:inherit;padding:0">'
            )
        out.append(escape(article[a:b]))
        out += ["</span>" if s[3] else "</mark>" for s in reversed(covering)]
        ending = {s[4].rid: s[4] for s in spans if s[1] == b and not s[3]}  # a link per record
        out += [
            f'<sup><a href="#{prefix}-{item.rid}" data-back="{item.rid}" '
            f'style="text-decoration:none">{item.label}</a></sup>'
            for item in ending.values()
        ]
    return "".join(out), opened


def _prefix(summary: ArticleSummary, article: str | None) -> str:
    """The view's id, and the prefix of every id in it: unique per summary and article."""
    digest = hashlib.sha256(summary.model_dump_json().encode())
    digest.update((article or "").encode())
    return f"ms-{digest.hexdigest()[:8]}"


def summary_html(summary: ArticleSummary, article: str | None = None) -> str:
    """The records as HTML tables and, given the article text, the article with its evidence."""
    prefix = _prefix(summary, article)
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
            + _legend()
            + '<div class="ms-article" style="white-space:pre-wrap;max-height:40em;overflow:auto;'
            f'border:1px solid #ddd;padding:6px;line-height:1.6">{marked}</div>'
        )
    if summary.provenance:
        line = provenance_line(summary.provenance)
        parts.append(f'<p style="color:#777;margin:4px 0">{escape(line)}</p>')
    style = "font-family:system-ui,sans-serif;font-size:13px;line-height:1.4"
    return f'<div class="minerals-summ" id="{prefix}" style="{style}">' + "".join(parts) + "</div>"


def _entry(
    position: int, item: ArticleSummary | Outcome
) -> tuple[str, ArticleSummary | None, BaseException | None]:
    """(article id, summary, error) of a summary (its id is its position) or an outcome."""
    if hasattr(item, "article_id"):
        outcome = cast("Outcome", item)
        return outcome.article_id, outcome.summary, outcome.error
    return str(position), item, None


def _row(article_id: str, summary: ArticleSummary) -> list[str]:
    p = summary.provenance
    records = "<br>".join(f"{escape(i.label)} {escape(i.title)}" for i in _items(summary))
    link = escape(article_id)
    return [
        f'<a href="#{_prefix(summary, summary._article)}" data-article="{link}">{link}</a>',
        escape((p.title or p.url or "") if p else ""),
        summary.published.isoformat() if summary.published else "",
        records or "-",
        format_cost(p.cost_usd) if p else "",
    ]


def articles_html(items: Iterable[ArticleSummary | Outcome]) -> str:
    """Many articles: one row per article (its id, title, date, records and cost) linking to
    its own view, then each article's view (:func:`summary_html`, its article highlighted)."""
    rows, views = [], []
    for position, item in enumerate(items):
        article_id, summary, error = _entry(position, item)
        if summary is None:
            failure = (
                f'<span style="color:#b00">{escape(f"{type(error).__name__}: {error}")}</span>'
            )
            cells = [escape(article_id), "", "", failure, ""]
        else:
            cells = _row(article_id, summary)
            views.append(
                f'<h4 style="margin:16px 0 4px">{escape(article_id)}</h4>'
                + summary_html(summary, summary._article)
            )
        rows.append("<tr>" + "".join(f'<td style="{_CELL}">{c}</td>' for c in cells) + "</tr>")
    head = "".join(
        f'<th style="{_CELL}">{h}</th>'
        for h in ("article", "title", "published", "records", "cost")
    )
    style = "font-family:system-ui,sans-serif;font-size:13px;line-height:1.4"
    return (
        f'<div class="minerals-summ-articles" style="{style}"><table style="{_TABLE}">'
        f"<tr>{head}</tr>{''.join(rows)}</table>{''.join(views)}</div>"
    )


@dataclass(frozen=True)
class ArticlesView:
    """Jupyter's view of many articles (:func:`articles_html`): ``ArticlesView(outcomes)``."""

    items: Sequence[ArticleSummary | Outcome]

    def _repr_html_(self) -> str:
        return articles_html(self.items)


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
