"""RSS and Atom feeds: the articles a feed lists, read with feedparser.

Each entry becomes an :class:`~minerals_summ.articles.Article` with the entry's link as its
``url`` (the page is fetched and its main text extracted when the article is summarised), its
title, its publication date and the feed's title as ``source``. An entry without a link is
summarised from the content the feed carries.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from minerals_summ.articles import Article
from minerals_summ.exceptions import InputError
from minerals_summ.webpages import fetch

__all__ = ["read_feed"]


def _date(entry: Any) -> dt.date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None


def _content(entry: Any) -> str | None:
    contents = entry.get("content") or []
    for content in contents:
        if content.get("value"):
            return str(content["value"])
    summary = entry.get("summary")
    return str(summary) if summary else None


def read_feed(feed: str | bytes | Path) -> list[Article]:
    """The articles an RSS or Atom feed lists, in its order.

    ``feed`` is the feed's URL (fetched with :func:`minerals_summ.webpages.fetch`), a file, or
    the feed document itself. Raises :class:`InputError` when it is not a feed.
    """
    import feedparser

    where = str(feed) if not isinstance(feed, bytes) else "the feed"
    if isinstance(feed, str) and re.match(r"https?://", feed, re.I):
        data: bytes | str = fetch(feed).content
    elif isinstance(feed, Path) or (isinstance(feed, str) and not feed.lstrip().startswith("<")):
        try:
            data = Path(feed).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the feed {feed}: {exc.strerror or exc}") from exc
    else:
        data = feed
    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise InputError(
            f"{where} is not an RSS or Atom feed" + (f" ({problem})" if problem else "")
        )
    source = parsed.feed.get("title") or None
    articles = []
    for n, entry in enumerate(parsed.entries):
        link = entry.get("link") or None
        text = None if link else _content(entry)
        if link is None and text is None:
            continue  # nothing to summarise
        articles.append(
            Article(
                id=entry.get("id") or link or f"{where}#{n}",
                text=text,
                url=link,
                published=_date(entry),
                title=entry.get("title") or None,
                source=source,
            )
        )
    return articles
