"""Manifests: a JSONL or CSV file listing articles with their metadata, one per line or row.

Columns (JSONL keys): ``id``, ``text``, ``path``, ``url``, ``published``, ``title``, ``source``.
Each article needs one of ``text``, ``path`` (relative to the manifest's folder) or ``url``;
``id`` defaults to the path, the URL or the line number. Any other column is an error naming it,
so that a misspelt ``publshed`` is not silently dropped.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

from minerals_summ.articles import Article
from minerals_summ.exceptions import InputError
from minerals_summ.normalise import published_date

__all__ = ["COLUMNS", "read_manifest"]

COLUMNS = ("id", "text", "path", "url", "published", "title", "source")


def _rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line number, fields) for each row; JSONL for .jsonl/.ndjson/.json, else CSV."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the manifest {path}: {exc}") from exc
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        rows = []
        for number, line in enumerate(content.split("\n"), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{path}:{number}: not a JSON object: {exc}") from exc
            if not isinstance(row, dict):
                raise InputError(f"{path}:{number}: not a JSON object")
            rows.append((number, row))
        return rows
    reader = csv.DictReader(io.StringIO(content, newline=""))
    return [(n, row) for n, row in enumerate(reader, 2)]


def _article(path: Path, number: int, row: dict[str, Any]) -> Article:
    unknown = sorted(str(key) for key in row if key not in COLUMNS)
    if unknown:
        raise InputError(
            f"{path}:{number}: unknown column(s) {', '.join(map(repr, unknown))}; "
            f"the columns are {', '.join(COLUMNS)}"
        )
    values = {k: (str(v).strip() if v is not None else "") for k, v in row.items()}
    given = [k for k in ("text", "path", "url") if values.get(k)]
    if not given:
        raise InputError(f"{path}:{number}: the article needs a text, path or url")
    file = values.get("path") or None
    try:
        published = published_date(values.get("published") or None)
    except InputError as exc:
        raise InputError(f"{path}:{number}: published: {exc}") from exc
    return Article(
        id=values.get("id") or file or values.get("url") or f"{path.name}:{number}",
        text=row.get("text") or None,  # as written: the text's own white space matters
        path=(path.parent / file) if file else None,
        url=values.get("url") or None,
        published=published,
        title=values.get("title") or None,
        source=values.get("source") or None,
    )


def read_manifest(path: str | Path) -> list[Article]:
    """The articles a manifest lists, in its order; :class:`InputError` names the bad line."""
    path = Path(path)
    articles = [_article(path, number, row) for number, row in _rows(path)]
    counts = Counter(a.id for a in articles)
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    if duplicates:
        raise InputError(f"{path}: duplicate id(s) {', '.join(map(repr, duplicates[:5]))}")
    return articles
