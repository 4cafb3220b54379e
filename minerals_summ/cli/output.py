"""The JSONL results file of a batch run: one whole line per article, resumable.

Each line is an :meth:`Outcome.to_json` object, written in one ``write`` and flushed, so an
interrupted run leaves at most one partial last line; :func:`open_results` cuts it off, drops
the lines of articles that failed (so that a new run tries them again, without duplicates), and
returns the ids done, which a new run skips.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import IO

from minerals_summ.display import json_safe

__all__ = ["append", "open_results"]


def open_results(path: Path) -> tuple[IO[str], set[str]]:
    """Open ``path`` for appending after a clean-up; the ids of the articles already done.

    A partial last line (an interrupted run) is cut off; the lines of failed articles are
    dropped, so their articles run again. Raises ``OSError`` when the file cannot be used.
    """
    done: set[str] = set()
    if path.exists():
        data = path.read_bytes()
        whole = data[: data.rfind(b"\n") + 1]  # everything up to the last complete line
        kept: list[str] = []
        # JSON lines end at "\n" alone: a quote may hold U+2028 or U+0085, which JSON allows raw
        # and str.splitlines() would take for line ends.
        for line in whole.decode("utf-8", errors="replace").split("\n")[:-1]:
            try:
                record = json.loads(line)
                record_id, ok = str(record["id"]), record.get("ok") is True
            except (ValueError, KeyError, TypeError):
                continue  # a damaged line: its article runs again
            if ok and record_id not in done:
                done.add(record_id)
                kept.append(line)
        if len(kept) != whole.count(b"\n") or len(whole) != len(data):
            _replace(path, "".join(f"{line}\n" for line in kept))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("a", encoding="utf-8"), done


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to a new temporary file beside ``path`` (created exclusively: no file or
    link planted under a guessable name is followed), then move it over ``path``."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def append(out: IO[str], record: dict[str, object]) -> None:
    """Write one whole line and flush it to disk."""
    try:
        line = json_safe(json.dumps(record, ensure_ascii=False)) + "\n"
        line.encode("utf-8")
    except UnicodeEncodeError:  # an undecodable file name: escape rather than lose the line
        line = json.dumps(record, ensure_ascii=True) + "\n"
    out.write(line)
    out.flush()
    with contextlib.suppress(OSError, io.UnsupportedOperation):  # stdout may not be a file
        os.fsync(out.fileno())
