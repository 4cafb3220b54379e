"""The registry's SQLite file: articles, mentions, events, blocking keys and corrections.

Tables:

* ``articles``: one row per article added (its id, url, title, publication date);
* ``mentions``: one row per record of an article: the record as JSON, the linker's profile of
  it, and the event it belongs to;
* ``events``: one row per event (id, kind, a sequence number for ordering, and the dates and
  facets that ``Registry.events`` filters on, kept up to date as mentions join);
* ``event_keys``: the blocking keys of each event, indexed, so candidates are found without
  reading other events;
* ``event_facets``: the countries and minerals of each event, for filtering;
* ``constraints``: corrections by a person: pairs of mentions that must or must not be linked;
* ``aliases``: ids of events merged into others, so that an id once handed out still finds its
  event.

Only the standard library's sqlite3 is used; the file is in WAL mode so a reader can list events
while a batch is being added.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["Store"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY,
    url TEXT,
    title TEXT,
    published TEXT
);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT
);
CREATE TABLE IF NOT EXISTS mentions (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(article_id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    event_id TEXT NOT NULL,  -- no foreign key: rebuild() re-creates the events
    record TEXT NOT NULL,
    profile TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_by_event ON mentions(event_id);
CREATE INDEX IF NOT EXISTS mentions_by_article ON mentions(article_id);
CREATE TABLE IF NOT EXISTS event_keys (
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    PRIMARY KEY (key, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_keys_by_event ON event_keys(event_id);
CREATE TABLE IF NOT EXISTS event_facets (
    event_id TEXT NOT NULL,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (facet, value, event_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_facets_by_event ON event_facets(event_id);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT OR IGNORE INTO counters VALUES ('event', 0);
CREATE TABLE IF NOT EXISTS aliases (
    old TEXT PRIMARY KEY,
    new TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS constraints (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    must_link INTEGER NOT NULL,
    PRIMARY KEY (a, b)
);
"""

# Blocking keys shared by many events (every Chinese export control of a year, say) would make
# each look-up read them all; the most recent events under a key are enough to find a match.
_PER_KEY = 50


class Store:
    """Plain reads and writes of the registry file; no linking decisions are made here."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        # WAL with NORMAL sync is durable across application crashes; one fsync per checkpoint.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic change: everything inside is committed together or not at all."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- articles and mentions -------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        row = self.db.execute("SELECT 1 FROM articles WHERE article_id = ?", (article_id,))
        return row.fetchone() is not None

    def add_article(
        self, article_id: str, url: str | None, title: str | None, published: str | None
    ) -> None:
        self.db.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?)", (article_id, url, title, published)
        )

    def article_events(self, article_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT event_id FROM mentions WHERE article_id = ? ORDER BY position", (article_id,)
        )
        return [row[0] for row in rows]

    def add_mention(
        self,
        mention_id: str,
        *,
        article_id: str,
        position: int,
        kind: str,
        event_id: str,
        record: str,
        profile: str,
    ) -> None:
        self.db.execute(
            "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?)",
            (mention_id, article_id, position, kind, event_id, record, profile),
        )

    def set_profile(self, mention_id: str, profile: str) -> None:
        self.db.execute("UPDATE mentions SET profile = ? WHERE id = ?", (profile, mention_id))

    def mention_rows(self, event_ids: Iterable[str] | None = None) -> list[sqlite3.Row]:
        """Mentions of these events (of all, for None) with their article's url, title and date,
        in order of publication."""
        sql = (
            "SELECT m.*, a.url, a.title, a.published"
            " FROM mentions m JOIN articles a USING (article_id)"
        )
        args: list[str] = []
        if event_ids is not None:
            args = list(event_ids)
            sql += f" WHERE m.event_id IN ({','.join('?' * len(args))})"
        sql += " ORDER BY a.published IS NULL, a.published, m.article_id, m.position"
        cursor = self.db.cursor()
        cursor.row_factory = sqlite3.Row  # rows read by column name
        return cursor.execute(sql, args).fetchall()

    def profiles(self, event_ids: list[str]) -> dict[str, list[tuple[str, str, str]]]:
        """``{event id: [(mention id, article id, profile JSON)]}`` for these events."""
        out: dict[str, list[tuple[str, str, str]]] = {e: [] for e in event_ids}
        marks = ",".join("?" * len(event_ids))
        rows = self.db.execute(
            f"SELECT event_id, id, article_id, profile FROM mentions "
            f"WHERE event_id IN ({marks}) ORDER BY rowid",
            event_ids,
        )
        for event_id, mention_id, article_id, profile in rows:
            out[event_id].append((mention_id, article_id, profile))
        return out

    def move_mentions(self, mention_ids: Iterable[str], event_id: str) -> None:
        self.db.executemany(
            "UPDATE mentions SET event_id = ? WHERE id = ?", [(event_id, m) for m in mention_ids]
        )

    def mention_ids(self, event_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT id FROM mentions WHERE event_id = ? ORDER BY rowid", (event_id,)
        )
        return [row[0] for row in rows]

    # --- events ------------------------------------------------------------------------------

    def new_event(self, kind: str) -> str:
        # A counter, not MAX(seq) + 1: the id of an event merged away is never handed out again.
        self.db.execute("UPDATE counters SET value = value + 1 WHERE name = 'event'")
        seq = int(self.db.execute("SELECT value FROM counters WHERE name = 'event'").fetchone()[0])
        event_id = f"evt-{seq:06d}"
        self.db.execute(
            "INSERT INTO events (id, seq, kind) VALUES (?, ?, ?)", (event_id, seq, kind)
        )
        return event_id

    def event_kind(self, event_id: str) -> str | None:
        row = self.db.execute("SELECT kind FROM events WHERE id = ?", (event_id,)).fetchone()
        return None if row is None else str(row[0])

    def delete_event(self, event_id: str) -> None:
        self.db.execute("DELETE FROM event_keys WHERE event_id = ?", (event_id,))
        self.db.execute("DELETE FROM event_facets WHERE event_id = ?", (event_id,))
        self.db.execute("DELETE FROM events WHERE id = ?", (event_id,))

    def add_alias(self, old: str, new: str) -> None:
        self.db.execute("UPDATE aliases SET new = ? WHERE new = ?", (new, old))
        self.db.execute("INSERT OR REPLACE INTO aliases VALUES (?, ?)", (old, new))

    def resolve(self, event_id: str) -> str:
        """The id an event has now (itself, or the event it was merged into)."""
        row = self.db.execute("SELECT new FROM aliases WHERE old = ?", (event_id,)).fetchone()
        return event_id if row is None else str(row[0])

    def index_event(
        self,
        event_id: str,
        keys: Iterable[str],
        facets: Iterable[tuple[str, str]],
        when: str | None,
    ) -> None:
        """Add keys, facets and a date to an event (what a new mention brings to it)."""
        seq = self.db.execute("SELECT seq FROM events WHERE id = ?", (event_id,)).fetchone()[0]
        self.db.executemany(
            "INSERT OR IGNORE INTO event_keys VALUES (?, ?, ?)", [(k, seq, event_id) for k in keys]
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO event_facets VALUES (?, ?, ?)",
            [(event_id, facet, value) for facet, value in facets],
        )
        if when is not None:
            self.db.execute(
                "UPDATE events SET first_date = MIN(COALESCE(first_date, ?), ?), "
                "last_date = MAX(COALESCE(last_date, ?), ?) WHERE id = ?",
                (when, when, when, when, event_id),
            )

    def clear_index(self, event_id: str) -> None:
        """Forget an event's keys, facets and dates (before re-indexing it after a correction)."""
        self.db.execute("DELETE FROM event_keys WHERE event_id = ?", (event_id,))
        self.db.execute("DELETE FROM event_facets WHERE event_id = ?", (event_id,))
        self.db.execute(
            "UPDATE events SET first_date = NULL, last_date = NULL WHERE id = ?", (event_id,)
        )

    def candidates(self, keys: Iterable[str], limit: int) -> list[str]:
        """Events sharing the most keys with these, most recent first among equals.

        Keys start with the record kind ("a|", "p|"), so only events of the same kind are found.
        """
        shared: dict[str, int] = {}
        newest: dict[str, int] = {}
        for key in sorted(keys):
            rows = self.db.execute(
                "SELECT event_id, seq FROM event_keys WHERE key = ? ORDER BY seq DESC LIMIT ?",
                (key, _PER_KEY),
            )
            for event_id, seq in rows:
                shared[event_id] = shared.get(event_id, 0) + 1
                newest[event_id] = seq
        ranked = sorted(shared, key=lambda e: (-shared[e], -newest[e]))
        return ranked[:limit]

    def find_events(
        self,
        kind: str | None,
        country: str | None,
        mineral: str | None,
        since: str | None,
        until: str | None,
    ) -> list[str]:
        """Ids of the events that pass every filter given, in the order they were opened."""
        sql = ["SELECT id FROM events e WHERE 1 = 1"]
        args: list[str] = []
        if kind is not None:
            sql.append("AND e.kind = ?")
            args.append(kind)
        for facet, value in (("country", country), ("mineral", mineral)):
            if value is not None:
                sql.append(
                    "AND EXISTS (SELECT 1 FROM event_facets f WHERE f.event_id = e.id "
                    "AND f.facet = ? AND f.value = ?)"
                )
                args += [facet, value]
        if since is not None:
            sql.append("AND e.last_date >= ?")
            args.append(since)
        if until is not None:
            sql.append("AND e.first_date <= ?")
            args.append(until)
        sql.append("ORDER BY e.seq")
        return [row[0] for row in self.db.execute(" ".join(sql), args)]

    # --- corrections -------------------------------------------------------------------------

    def add_constraints(self, pairs: Iterable[tuple[str, str]], *, must_link: bool) -> None:
        """Record corrections; a pair's newer correction replaces an older one."""
        rows = [(min(a, b), max(a, b), int(must_link)) for a, b in pairs if a != b]
        self.db.executemany("INSERT OR REPLACE INTO constraints VALUES (?, ?, ?)", rows)

    def cannot_link(self, mention_ids: Iterable[str]) -> set[str]:
        """Mentions that a person separated from any of these."""
        out: set[str] = set()
        for mention_id in mention_ids:
            rows = self.db.execute(
                "SELECT a, b FROM constraints WHERE must_link = 0 AND (a = ? OR b = ?)",
                (mention_id, mention_id),
            )
            out |= {b if a == mention_id else a for a, b in rows}
        return out

    def merged(self, mention_ids: Iterable[str]) -> set[str]:
        """Those of these mentions that a person joined to another (a must-link correction)."""
        ids = list(mention_ids)
        marks = ",".join("?" * len(ids))
        sql = "SELECT a, b FROM constraints WHERE must_link = 1 AND (a IN ({0}) OR b IN ({0}))"
        rows = self.db.execute(sql.format(marks), ids + ids)
        return {m for pair in rows for m in pair} & set(ids)

    def must_links(self, mention_ids: Iterable[str]) -> set[tuple[str, str]]:
        """The pairs of these mentions a person joined (must-link), each as ``(a, b)``, a < b."""
        ids = list(mention_ids)
        marks = ",".join("?" * len(ids))
        sql = "SELECT a, b FROM constraints WHERE must_link = 1 AND a IN ({0}) AND b IN ({0})"
        rows = self.db.execute(sql.format(marks), ids + ids)
        return {(min(a, b), max(a, b)) for a, b in rows}

    def constraints(self) -> list[tuple[str, str, bool]]:
        rows = self.db.execute("SELECT a, b, must_link FROM constraints ORDER BY a, b")
        return [(a, b, bool(m)) for a, b, m in rows]
