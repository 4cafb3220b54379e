"""``minerals-summ summarise FILES... --out results.jsonl``: the batch side of the CLI."""

from __future__ import annotations

import asyncio
import datetime as dt
import glob
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import click

from minerals_summ.articles import Article
from minerals_summ.batch import Outcome, asummarise_many
from minerals_summ.cache import SummaryCache
from minerals_summ.cli.common import read_path
from minerals_summ.cli.output import append, open_results
from minerals_summ.exceptions import InputError, RunError
from minerals_summ.summarise import Summariser

__all__ = ["expand_sources", "run_batch"]


def expand_sources(sources: Iterable[str]) -> list[Path]:
    """Files as given, directories as their ``*.txt`` files, globs expanded; in order, once."""
    paths: list[Path] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            paths += sorted(path.glob("*.txt"))
        elif glob.has_magic(source):
            paths += sorted(Path(p) for p in glob.glob(source, recursive=True))
        else:
            paths.append(path)
    return list(dict.fromkeys(paths))


class _Tally:
    """What the summary line reports: outcomes by error type, tokens, abandoned requests."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.counts: Counter[str] = Counter()
        self.tokens = 0
        self.abandoned = 0

    def record(self, outcome: Outcome) -> None:
        append(self.handle, outcome.to_json())
        self.counts[type(outcome.error).__name__ if outcome.error else "ok"] += 1
        provenance = outcome.summary.provenance if outcome.summary is not None else None
        if provenance is not None and not outcome.cached:
            self.tokens += provenance.usage.total_tokens
            self.abandoned += provenance.abandoned_requests
        elif isinstance(outcome.error, RunError):
            self.tokens += outcome.error.usage.total_tokens if outcome.error.usage else 0
            self.abandoned += outcome.error.abandoned_requests


def run_batch(
    summariser: Summariser,
    paths: list[Path],
    *,
    published: dt.date | None,
    out: Path | None,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    cache: SummaryCache | None,
    progress: bool | None,
) -> int:
    """Summarise ``paths`` into ``out`` (or stdout); 0 when every article succeeded, else 1.

    Files are read one at a time as workers take them (each size-checked first); a file that
    cannot be read is one failed line, and the batch goes on.
    """
    started = time.perf_counter()
    handle: IO[str]
    if out is not None:
        try:
            handle, done = open_results(out)
        except OSError as exc:
            raise InputError(f"cannot use {out} for results: {exc.strerror or exc}") from exc
    else:
        handle, done = sys.stdout, set()
    todo = [p for p in paths if str(p) not in done]
    tally = _Tally(handle)
    max_chars = summariser.config.max_chars

    def articles() -> Iterator[Article]:
        for path in todo:
            try:
                text = read_path(path, max_chars)
            except InputError as exc:
                tally.record(Outcome(str(path), -1, error=exc))
                continue
            yield Article(id=str(path), text=text, published=published)

    async def main() -> None:
        async for outcome in asummarise_many(
            articles(),
            summariser=summariser,
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
            cache=cache if cache is not None else False,
            progress=progress,
        ):
            tally.record(outcome)

    if cache is not None:
        cache.open()  # an unusable cache is said now, once, not discovered per article
    try:
        asyncio.run(main())
    finally:
        if out is not None:
            handle.close()
    counts = tally.counts
    failed = {name: n for name, n in counts.items() if name != "ok"}
    detail = ", ".join(f"{name}: {n}" for name, n in sorted(failed.items()))
    click.echo(
        f"{counts['ok']} succeeded, {sum(failed.values())} failed"
        + (f" ({detail})" if detail else "")
        + (f", {len(paths) - len(todo)} already in {out}" if out and len(todo) < len(paths) else "")
        + f"; {tally.tokens:,} tokens"
        + (
            f", {tally.abandoned} request(s) abandoned at the timeout (tokens unknown)"
            if tally.abandoned
            else ""
        )
        + (f"; cache off ({cache.error})" if cache is not None and cache.error else "")
        + f"; {time.perf_counter() - started:.1f}s",
        err=True,
    )
    return 1 if failed else 0
