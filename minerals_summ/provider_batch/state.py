"""The state of a provider batch run: SQLite, next to its results (``results.batch.sqlite``).

Every step writes here before it acts and after it acts, so any step can stop (the process
killed, the network gone) and the next command picks up where it stopped:

* ``meta``: the run's configuration and the prompt and schema versions its requests were
  built with (a library with another prompt would re-ask differently: it refuses the file);
* ``items``: one row per article: its text, the responses received so far, the request to send
  next, the batch it is in, and at the end its outcome (an ``Outcome.to_json()`` object) and
  whether that outcome has been written to the results file;
* ``batches``: one row per input file sent: the local token it carries in the batch's
  metadata (to find a batch whose creation was not recorded), the provider's ids and status.

Item status: ``pending`` (a request is ready), ``submitted`` (in ``batch_id``), ``done`` or
``failed`` (the outcome is final).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Item", "State", "state_path"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    custom_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    path TEXT,
    sha256 TEXT NOT NULL,
    text TEXT NOT NULL,
    published TEXT,
    status TEXT NOT NULL,
    request TEXT,
    responses TEXT NOT NULL DEFAULT '[]',
    batches TEXT NOT NULL DEFAULT '[]',
    batch_id TEXT,
    resubmits INTEGER NOT NULL DEFAULT 0,
    started REAL,
    outcome TEXT,
    usage_batch TEXT,
    usage_live TEXT,
    written INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS items_status ON items (status, batch_id);
CREATE TABLE IF NOT EXISTS batches (
    token TEXT PRIMARY KEY,
    round INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    input_file_id TEXT,
    batch_id TEXT,
    status TEXT NOT NULL,
    output_file_id TEXT,
    error_file_id TEXT,
    errors TEXT,
    collected INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL
);
"""


def state_path(results: str | Path) -> Path:
    """``results.jsonl`` -> ``results.batch.sqlite``, beside it."""
    path = Path(results)
    return path.with_name(f"{path.stem}.batch.sqlite")


@dataclass(frozen=True)
class Item:
    """One article's row."""

    custom_id: str
    seq: int
    text: str
    published: str | None
    status: str
    request: dict[str, Any] | None
    responses: list[dict[str, Any]]
    batches: list[str]  # the batch of each response, in order
    batch_id: str | None
    resubmits: int
    started: float | None
    outcome: dict[str, Any] | None
    written: bool


_COLUMNS = (
    "custom_id, seq, text, published, status, request, responses, batches, batch_id, "
    "resubmits, started, outcome, written"
)


def _item(row: tuple[Any, ...]) -> Item:
    (custom_id, seq, text, published, status, request, responses, batches, batch_id,
     resubmits, started, outcome, written) = row  # fmt: skip
    return Item(
        custom_id=custom_id,
        seq=seq,
        text=text,
        published=published,
        status=status,
        request=json.loads(request) if request else None,
        responses=json.loads(responses),
        batches=json.loads(batches),
        batch_id=batch_id,
        resubmits=resubmits,
        started=started,
        outcome=json.loads(outcome) if outcome else None,
        written=bool(written),
    )


class State:
    """The SQLite file of one run. Every write is committed at once."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self.db  # noqa: B018 (create the file and its tables now)

    @property
    def db(self) -> sqlite3.Connection:
        """The connection, opened again when needed after :meth:`close`."""
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            self._db = db
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- meta -------------------------------------------------------------------------------

    def meta(self) -> dict[str, Any]:
        rows = self.db.execute("SELECT key, value FROM meta").fetchall()
        return {key: json.loads(value) for key, value in rows}

    def set_meta(self, values: dict[str, Any]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [(key, json.dumps(value)) for key, value in values.items()],
            )

    # -- items ------------------------------------------------------------------------------

    def add_items(self, rows: Iterable[dict[str, Any]]) -> None:
        """Insert new articles (``custom_id``, ``seq``, ``path``, ``sha256``, ``text``,
        ``published``, ``status``, ``request``, ``outcome``)."""
        with self.db:
            self.db.executemany(
                "INSERT INTO items (custom_id, seq, path, sha256, text, published, status, "
                "request, outcome) VALUES (:custom_id, :seq, :path, :sha256, :text, :published, "
                ":status, :request, :outcome)",
                [
                    {
                        **row,
                        "request": json.dumps(row["request"]) if row["request"] else None,
                        "outcome": json.dumps(row["outcome"]) if row["outcome"] else None,
                    }
                    for row in rows
                ],
            )

    def ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT custom_id FROM items")}

    def next_seq(self) -> int:
        (last,) = self.db.execute("SELECT COALESCE(MAX(seq), -1) FROM items").fetchone()
        return int(last) + 1

    def item(self, custom_id: str) -> Item | None:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM items WHERE custom_id = ?", (custom_id,)
        ).fetchone()
        return _item(row) if row else None

    def items(
        self, status: str | None = None, batch_id: str | None = None, *, page: int = 500
    ) -> Iterator[Item]:
        """The items (of ``status``, in ``batch_id``) in input order, read ``page`` rows at a
        time: memory stays bounded on large corpora, and the caller may update the items it
        is given as it goes."""
        query, args = f"SELECT {_COLUMNS} FROM items WHERE seq > ?", list[Any]()
        if status is not None:
            query, args = query + " AND status = ?", [*args, status]
        if batch_id is not None:
            query, args = query + " AND batch_id = ?", [*args, batch_id]
        last = -1
        while True:
            rows = self.db.execute(f"{query} ORDER BY seq LIMIT {page}", [last, *args]).fetchall()
            for row in rows:
                yield _item(row)
            if len(rows) < page:
                return
            last = rows[-1][1]

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, COUNT(*) FROM items GROUP BY status").fetchall()
        return dict(rows)

    def update_item(self, custom_id: str, **values: Any) -> None:
        """Set columns of one item in one transaction (lists and dicts stored as JSON)."""
        encoded = [
            json.dumps(value) if isinstance(value, dict | list) else value
            for value in values.values()
        ]
        names = ", ".join(f"{name} = ?" for name in values)
        with self.db:
            self.db.execute(f"UPDATE items SET {names} WHERE custom_id = ?", [*encoded, custom_id])

    def written(self, custom_id: str) -> None:
        with self.db:
            self.db.execute("UPDATE items SET written = 1 WHERE custom_id = ?", (custom_id,))

    def usages(self) -> Iterator[tuple[dict[str, int], dict[str, int]]]:
        """(batch usage, live usage) of every finished item."""
        rows = self.db.execute(
            "SELECT usage_batch, usage_live FROM items WHERE usage_batch IS NOT NULL"
        )
        for batch, live in rows.fetchall():
            yield json.loads(batch), json.loads(live)

    # -- batches ----------------------------------------------------------------------------

    def new_batch(self, token: str, round_: int, custom_ids: list[str]) -> None:
        """Record a batch about to be sent, and put its items in it (by ``token`` for now)."""
        with self.db:
            self.db.execute(
                "INSERT INTO batches (token, round, requests, status, created) "
                "VALUES (?, ?, ?, 'uploading', ?)",
                (token, round_, len(custom_ids), time.time()),
            )
            self.db.executemany(
                "UPDATE items SET status = 'submitted', batch_id = ?, "
                "started = COALESCE(started, ?) WHERE custom_id = ?",
                [(token, time.time(), custom_id) for custom_id in custom_ids],
            )

    def update_batch(self, token: str, **values: Any) -> None:
        names = ", ".join(f"{name} = ?" for name in values)
        with self.db:
            self.db.execute(
                f"UPDATE batches SET {names} WHERE token = ?", [*values.values(), token]
            )
            if "batch_id" in values:  # the items now name the provider's batch
                self.db.execute(
                    "UPDATE items SET batch_id = ? WHERE batch_id = ?", (values["batch_id"], token)
                )

    def batches(self) -> list[dict[str, Any]]:
        self.db.row_factory = sqlite3.Row
        try:
            rows = self.db.execute("SELECT * FROM batches ORDER BY created").fetchall()
        finally:
            self.db.row_factory = None
        return [dict(row) for row in rows]
