"""An on-disk cache of summaries, so a batch never pays twice for the same article.

SQLite (standard library), one table, keyed by a hash of everything that shapes the answer: the
endpoint (base URL, without credentials), the article's sha256, its publication date, the model,
the mode, the prompt and schema versions, the library version, and the options that change the
records (temperature, output limit, default currency, schema in response_format, records cap).
Only successes are stored. ``path`` may name the database file or a directory (the file is then
``summaries.sqlite`` inside it).

A corrupt entry is a miss. A cache that cannot be opened, read or written (not a database, a
path under a file, a read-only directory, a lock held past the busy timeout) is reported once,
as a :class:`CacheWarning` (the CLI prints it on stderr), and is off for the rest of the run;
it never fails a summary. Several processes may share one file (WAL mode, busy timeout).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import sqlite3
import threading
import warnings
from pathlib import Path

from pydantic import ValidationError

from minerals_summ.config import Config
from minerals_summ.exceptions import ConfigurationError
from minerals_summ.prompting import load_prompt
from minerals_summ.schema import schema_version
from minerals_summ.summary import ArticleSummary
from minerals_summ.version import __version__

__all__ = [
    "CacheOption",
    "CacheWarning",
    "SummaryCache",
    "cache_key",
    "default_cache_path",
    "summary_cache",
    "summary_key",
]

log = logging.getLogger("minerals_summ.cache")

FILE_NAME = "summaries.sqlite"
BUSY_TIMEOUT_S = 5.0  # how long a write waits for another process's lock before giving up


class CacheWarning(UserWarning):
    """The summary cache cannot be used; the run goes on without it."""


def default_cache_path() -> Path:
    """``MINERALS_SUMM_CACHE``, else the user's cache directory (platformdirs)."""
    if env := os.environ.get("MINERALS_SUMM_CACHE"):
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("minerals-summ")) / FILE_NAME


def cache_key(
    article: str,
    *,
    published: dt.date | None,
    model: str,
    mode: str,
    prompt_version: str,
    schema_version: str,
    settings: str = "",
    endpoint: str = "",
) -> str:
    """The key of one summary; ``settings`` holds every other option that changes the result,
    ``endpoint`` the server asked (another server, another answer)."""
    article_sha = hashlib.sha256(article.encode("utf-8")).hexdigest()
    parts = [
        endpoint,
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
    """``get``/``put`` summaries by key; thread-safe; failures degrade to misses (reported once,
    then the cache is off)."""

    def __init__(self, path: str | Path | None = None) -> None:
        folder = path is not None and str(path).endswith(("/", os.sep))  # "cache/": a folder
        path = Path(path) if path is not None else default_cache_path()
        self.path = path / FILE_NAME if folder or path.is_dir() else path
        self.error: str | None = None  # why the cache is off, once it is
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS summaries (key TEXT PRIMARY KEY, json TEXT)")
                db.commit()
            except sqlite3.Error:
                db.close()
                raise
            self._db = db
        return self._db

    def _off(self, exc: Exception) -> None:
        """Turn the cache off for good, saying why once."""
        if self.error is None:
            self.error = f"{type(exc).__name__}: {exc}"
            warnings.warn(
                f"the cache {self.path} cannot be used ({self.error}); continuing without it",
                CacheWarning,
                stacklevel=2,
            )

    def open(self) -> str | None:
        """Open the database now (a write check included); None, or why the cache is off."""
        with self._lock:
            if self.error is None:
                try:
                    self._connect().execute("BEGIN IMMEDIATE").execute("ROLLBACK")
                except (sqlite3.Error, OSError) as exc:
                    self._off(exc)
        return self.error

    def get(self, key: str) -> ArticleSummary | None:
        with self._lock:
            if self.error is not None:
                return None
            try:
                row = (
                    self._connect()
                    .execute("SELECT json FROM summaries WHERE key = ?", (key,))
                    .fetchone()
                )
            except (sqlite3.Error, OSError) as exc:
                self._off(exc)
                return None
        if row is None:
            return None
        try:
            return ArticleSummary.model_validate_json(row[0])
        except (ValidationError, ValueError, TypeError):
            log.warning("corrupt cache entry %s: treating as a miss", key[:12])
            return None

    def put(self, key: str, summary: ArticleSummary) -> None:
        with self._lock:
            if self.error is not None:
                return
            try:
                db = self._connect()
                db.execute(
                    "INSERT OR REPLACE INTO summaries (key, json) VALUES (?, ?)",
                    (key, summary.model_dump_json()),
                )
                db.commit()
            except (sqlite3.Error, OSError) as exc:
                self._off(exc)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


CacheOption = bool | str | Path | SummaryCache


def summary_cache(option: CacheOption) -> SummaryCache | None:
    """The cache ``option`` names: ``False`` none, ``True`` the default file, a path (a file,
    or a directory holding ``summaries.sqlite``), or a :class:`SummaryCache`."""
    if option is False:
        return None
    if option is True:
        return SummaryCache()
    if isinstance(option, SummaryCache):
        return option
    if isinstance(option, str | Path) and str(option):
        return SummaryCache(option)
    raise ConfigurationError(
        f"cache must be True (the default file), False (off), a path or a SummaryCache, "
        f"not {option!r}"
    )


def _settings(config: Config) -> str:
    """Everything else that changes a summary: its options and the library version."""
    return json.dumps(
        {
            "temperature": config.temperature,
            "max_output_tokens": config.max_output_tokens,
            "default_currency": config.default_currency,
            "json_object_schema": config.json_object_schema,
            "max_records": config.max_records,
            "max_article_tokens": config.max_article_tokens,
            "library": __version__,
        },
        sort_keys=True,
    )


def summary_key(config: Config, text: str, published: dt.date | None, endpoint: str) -> str:
    """The cache key of ``text``'s summary under ``config`` from ``endpoint``: the one live
    batches and provider batches share."""
    return cache_key(
        text,
        published=published,
        model=config.model,
        mode=config.mode,
        prompt_version=load_prompt().version,
        schema_version=schema_version(),
        settings=_settings(config),
        endpoint=endpoint,
    )
