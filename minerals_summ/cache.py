"""An on-disk cache of summaries, so a batch never pays twice for the same article.

SQLite (standard library), one table, keyed by a hash of everything that shapes the answer: the
article's sha256, its publication date, the model, the mode, the prompt and schema versions, the
library version, and the options that change the records (temperature, output limit, default
currency, schema in response_format). Only successes are stored. A corrupt or unreadable entry,
or an unreadable database, is a miss and never a crash. Several processes may share one file
(WAL mode, busy timeout).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import sqlite3
import threading
from pathlib import Path

from pydantic import ValidationError

from minerals_summ.summary import ArticleSummary

__all__ = ["SummaryCache", "cache_key", "default_cache_path"]

log = logging.getLogger("minerals_summ.cache")


def default_cache_path() -> Path:
    """``MINERALS_SUMM_CACHE``, else the user's cache directory (platformdirs)."""
    if env := os.environ.get("MINERALS_SUMM_CACHE"):
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("minerals-summ")) / "summaries.sqlite"


def cache_key(
    article: str,
    *,
    published: dt.date | None,
    model: str,
    mode: str,
    prompt_version: str,
    schema_version: str,
    settings: str = "",
) -> str:
    """The key of one summary; ``settings`` holds every other option that changes the result."""
    article_sha = hashlib.sha256(article.encode("utf-8")).hexdigest()
    parts = [
        article_sha,
        published.isoformat() if published else "",
        model,
        mode,
        prompt_version,
        schema_version,
        settings,
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class SummaryCache:
    """``get``/``put`` summaries by key; thread-safe; failures degrade to misses."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS summaries (key TEXT PRIMARY KEY, json TEXT)")
            self._db = db
        return self._db

    def get(self, key: str) -> ArticleSummary | None:
        try:
            with self._lock:
                row = (
                    self._connect()
                    .execute("SELECT json FROM summaries WHERE key = ?", (key,))
                    .fetchone()
                )
        except (sqlite3.Error, OSError) as exc:
            log.warning("cache unreadable (%s): treating as a miss", exc)
            return None
        if row is None:
            return None
        try:
            return ArticleSummary.model_validate_json(row[0])
        except (ValidationError, ValueError, TypeError):
            log.warning("corrupt cache entry %s: treating as a miss", key[:12])
            return None

    def put(self, key: str, summary: ArticleSummary) -> None:
        try:
            with self._lock:
                db = self._connect()
                db.execute(
                    "INSERT OR REPLACE INTO summaries (key, json) VALUES (?, ?)",
                    (key, summary.model_dump_json()),
                )
                db.commit()
        except (sqlite3.Error, OSError) as exc:
            log.warning("could not write the cache (%s); continuing without it", exc)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
