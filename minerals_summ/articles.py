"""The articles a run takes: :class:`Article`, the :class:`Document` it becomes, and the checks.

An article is given as text, a file (``path``) or a web address (``url``), with what is known of
it: its publication date, title, address and source. :func:`prepare` turns it into the
:class:`Document` the model sees: a web page (an ``.html`` file, an HTML string, a URL) is
reduced to its main text (:mod:`minerals_summ.webpages`), whose offsets the records then refer
to, and a publication date missing from the article is taken from the page's metadata;
:func:`check_article` rejects what cannot be sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from minerals_summ.exceptions import InputError
from minerals_summ.normalise import published_date
from minerals_summ.webpages import Page, extract_page, fetch, looks_like_html

if TYPE_CHECKING:
    from minerals_summ.records import DateRef
    from minerals_summ.summary import ArticleSummary

__all__ = [
    "EARLIEST_PUBLISHED",
    "Article",
    "Document",
    "PublishedSource",
    "article_metadata",
    "check_article",
    "check_published",
    "from_cache",
    "prepare",
    "read_bounded",
    "unresolved_dates",
    "warn_unresolved",
]

log = logging.getLogger("minerals_summ")

PublishedSource = Literal["given", "page", "none"]
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


EARLIEST_PUBLISHED = dt.date(1900, 1, 1)


def check_published(published: dt.date | str | None) -> dt.date | None:
    """The publication date, or :class:`InputError` when it is not one an article can have:
    not a date, before :data:`EARLIEST_PUBLISHED`, or more than a year from today."""
    date = published_date(published)
    latest = dt.date.today() + dt.timedelta(days=366)
    if date is not None and not EARLIEST_PUBLISHED <= date <= latest:
        raise InputError(
            f"published {date.isoformat()} is not a possible publication date (from "
            f"{EARLIEST_PUBLISHED.isoformat()} to a year from today); give the article's own date"
        )
    return date


@dataclass(frozen=True, kw_only=True)
class Article:
    """One article: its id, where its text is, and what is known of it.

    Give one of ``text`` (plain text or an HTML page), ``path`` (a ``.txt`` or ``.html`` file)
    or ``url`` (fetched when there is no text or path; with them it is only the article's
    address). ``published`` anchors relative dates ("last month"); without it, a web page's own
    publication date is used. ``title``, ``url`` and ``source`` travel into the summary's
    provenance, the JSONL output and the exports. Plain strings are accepted by the batch
    functions too (their id is their position).
    """

    id: str
    text: str | None = None
    path: str | Path | None = None
    url: str | None = None
    published: dt.date | str | None = None
    title: str | None = None
    source: str | None = None


@dataclass(frozen=True, kw_only=True)
class Document:
    """An article ready to send: the text the model sees (every offset refers to it), the date
    its relative dates resolve against, where that date came from, and its metadata."""

    text: str
    id: str | None = None
    published: dt.date | None = None
    published_source: PublishedSource = "none"
    title: str | None = None
    url: str | None = None
    source: str | None = None


# C0 control characters other than the white-space ones; many of them mean binary data. Counted
# in the UTF-8 bytes, where they are single bytes that no other character's encoding contains.
_CONTROL = bytes(range(0x00, 0x09)) + b"\x0b" + bytes(range(0x0E, 0x20))


def check_article(text: object, max_chars: int) -> str:
    """The article as a string, or :class:`InputError` saying what to do."""
    if isinstance(text, bytes | bytearray):
        raise InputError("the article is bytes; decode it first, e.g. data.decode('utf-8')")
    if not isinstance(text, str):
        raise InputError(f"the article must be a str, not {type(text).__name__}")
    if not text.strip():
        raise InputError("the article is empty; pass the article's text")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            "the article holds characters that are not valid Unicode (undecodable bytes?); "
            "decode it with the right encoding first"
        ) from exc
    controls = sum(data.count(byte) for byte in _CONTROL)
    if b"\x00" in data or controls > max(3, len(text) // 100):
        raise InputError("the article looks like binary data, not text; extract its text first")
    if len(text) > max_chars:
        raise InputError(
            f"the article has {len(text):,} characters, more than max_chars={max_chars:,} (the "
            "hard cap); raise it with max_chars= (--max-chars on the command line) or split "
            "the document"
        )
    return text


def read_bounded(path: Path, max_chars: int) -> bytes:
    """A file's bytes, its size checked before it is read (a FIFO, a device or a huge file is
    never read whole): at most four bytes a character of ``max_chars``."""
    limit = 4 * max_chars
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"cannot read {path}: it is a directory")
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise InputError(
                f"{path} has {info.st_size:,} bytes, more than the longest article accepted "
                f"(max_chars={max_chars:,} characters); split it into parts or raise max_chars"
            )
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise InputError(
            f"{path} is larger than {limit:,} bytes, more than the longest article accepted "
            f"(max_chars={max_chars:,}); split it into parts or raise max_chars"
        )
    return data


def _read(path: Path, max_chars: int) -> str | bytes:
    """A file's text; an HTML file's bytes (the extractor reads its declared charset)."""
    data = read_bounded(path, max_chars)
    if path.suffix.lower() in HTML_SUFFIXES:
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text") from exc


def _page_or_text(article: Article, max_chars: int) -> tuple[Page | None, object, str | None]:
    """The article's page (for HTML) or raw text, and the file it was read from."""
    if article.text is not None:
        raw: object = article.text
        path = None
    elif article.path is not None:
        path = str(article.path)
        raw = _read(Path(article.path), max_chars)
    elif article.url is not None:
        fetched = fetch(article.url)
        if fetched.is_html:
            return extract_page(fetched.content, url=fetched.url), None, None
        return None, fetched.text(), None
    else:
        raise InputError(f"article {article.id!r} has no text, path or url")
    if isinstance(raw, bytes) or (isinstance(raw, str) and looks_like_html(raw)):
        return extract_page(raw, url=article.url), None, path
    return None, raw, path


def prepare(
    item: Article | str, *, published: dt.date | str | None = None, max_chars: int
) -> Document:
    """The :class:`Document` for ``item``: its text (a web page's main text), date and metadata.

    ``published`` applies to a plain string (an :class:`Article` carries its own). Reads the
    file or fetches the URL an article names; raises :class:`InputError` when the article
    cannot be had or sent.
    """
    if isinstance(item, Article):
        if published is not None:
            raise InputError("pass the publication date on the Article (Article(published=...))")
        article = item
    elif isinstance(item, str) and item.strip():
        article = Article(id="", text=item, published=published)
    else:  # not text at all, or empty: the check says what is wrong
        check_article(item, max_chars)
        raise AssertionError("check_article accepts only a non-empty str")
    given = check_published(article.published)
    page, raw, path = _page_or_text(article, max_chars)
    text = check_article(page.text if page is not None else raw, max_chars)
    page_date = page.published if page is not None else None
    source: PublishedSource = "given" if given else ("page" if page_date else "none")
    return Document(
        text=text,
        id=article.id or None,
        published=given or page_date,
        published_source=source,
        title=article.title or (page.title if page is not None else None),
        url=article.url or (page.url if page is not None else None),
        source=article.source or path or (page.site if page is not None else None),
    )


def unresolved_dates(summary: ArticleSummary) -> list[DateRef]:
    """The dates of ``summary``'s records left unresolved: relative ones without a publication
    date to anchor them ("last month", "On July 31")."""
    return [
        record.date
        for record in summary.records()
        if record.date is not None and record.date.value is None
    ]


def warn_unresolved(summary: ArticleSummary, document: Document) -> None:
    """Log a warning naming the article when relative dates stayed unresolved for want of a
    publication date (once per article)."""
    if document.published is not None:
        return
    dates = unresolved_dates(summary)
    if dates:
        name = document.id or document.url or document.source or document.title or "the article"
        log.warning(
            "%s: %d date(s) left unresolved (%s): no publication date; pass published= "
            "(--published, or a manifest's published column)",
            name,
            len(dates),
            ", ".join(repr(d.text) for d in dates[:3]),
        )


def from_cache(summary: ArticleSummary, document: Document) -> ArticleSummary:
    """A cached summary for ``document``: its text (for the notebook view) and this document's
    metadata, which the cache key does not hold (the same text may come from two addresses)."""
    provenance = summary.provenance
    if provenance is not None:
        provenance = provenance.model_copy(
            update={
                "url": document.url,
                "title": document.title,
                "source": document.source,
                "published_source": document.published_source,
            }
        )
    result = summary.model_copy(update={"provenance": provenance})
    result._article = document.text
    return result


def article_metadata(article: Article | None) -> dict[str, str]:
    """What is known of an article that failed, for its JSONL line: url, title, source, path,
    published (the ones given)."""
    if article is None:
        return {}
    published = article.published
    fields = {
        "url": article.url,
        "title": article.title,
        "source": article.source,
        "path": None if article.path is None else str(article.path),
        "published": published.isoformat() if isinstance(published, dt.date) else published,
    }
    return {name: value for name, value in fields.items() if value}
