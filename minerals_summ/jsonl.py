"""The JSONL results file of a batch run: one whole line per article, resumable.

Each line is an :meth:`Outcome.to_json` object, written in one ``write`` and flushed, so an
interrupted run leaves at most one partial last line; :func:`open_results` cuts it off and
returns the ids already done, which a new run skips.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path
from typing import IO

__all__ = ["append", "open_results"]


def open_results(path: Path) -> tuple[IO[str], set[str]]:
    """Open ``path`` for appending, after dropping a partial last line; the ids it holds."""
    done: set[str] = set()
    if path.exists():
        data = path.read_bytes()
        whole = data[: data.rfind(b"\n") + 1]  # everything up to the last complete line
        if len(whole) != len(data):
            with path.open("r+b") as f:
                f.truncate(len(whole))
        for line in whole.decode("utf-8", errors="replace").splitlines():
            try:
                done.add(str(json.loads(line)["id"]))
            except (ValueError, KeyError, TypeError):
                continue  # a damaged line: its article runs again
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("a", encoding="utf-8"), done


def append(out: IO[str], record: dict[str, object]) -> None:
    """Write one whole line and flush it to disk."""
    out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    with contextlib.suppress(OSError, io.UnsupportedOperation):  # stdout may not be a file
        os.fsync(out.fileno())
