"""What the command line summarises: files, directories, globs, URLs, manifests and feeds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import glob
import re
from collections.abc import Iterable
from pathlib import Path

from minerals_summ.articles import Article
from minerals_summ.feeds import read_feed
from minerals_summ.manifest import read_manifest

__all__ = ["ARTICLE_SUFFIXES", "articles_from", "expand_sources", "is_url"]

# What a directory is read for: plain text and saved web pages.
ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


def is_url(source: str) -> bool:
    return bool(re.match(r"https?://", source, re.I))


def expand_sources(sources: Iterable[str]) -> list[str]:
    """URLs and files as given, directories as their ``.txt``/``.html``/``.htm`` files, globs
    expanded; in order, once."""
    found: list[str] = []
    for source in sources:
        path = Path(source)
        if is_url(source):
            found.append(source)
        elif path.is_dir():
            found += [
                str(p) for p in sorted(path.iterdir()) if p.suffix.lower() in ARTICLE_SUFFIXES
            ]
        elif glob.has_magic(source):
            found += sorted(glob.glob(source, recursive=True))
        else:
            found.append(str(path))
    return list(dict.fromkeys(found))


def articles_from(
    sources: Iterable[str],
    *,
    manifest: Path | None = None,
    feeds: Iterable[str] = (),
    published: dt.date | None = None,
) -> list[Article]:
    """The articles of the sources, the manifest and the feeds, in that order.

    ``published`` (``--published``) applies to the articles that have no date of their own (a
    manifest's column, a feed entry's date); a web page without either uses its own.
    """
    articles = [
        Article(id=s, url=s) if is_url(s) else Article(id=s, path=s)
        for s in expand_sources(sources)
    ]
    if manifest is not None:
        articles += read_manifest(manifest)
    for feed in feeds:
        articles += read_feed(feed)
    if published is not None:
        articles = [
            a if a.published is not None else dataclasses.replace(a, published=published)
            for a in articles
        ]
    return articles
