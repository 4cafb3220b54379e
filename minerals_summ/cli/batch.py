"""``minerals-summ summarise FILES... --out results.jsonl``: the batch side of the CLI."""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from pathlib import Path
from typing import IO

import click

from minerals_summ.articles import Article
from minerals_summ.batch import Outcome, asummarise_many
from minerals_summ.cache import SummaryCache
from minerals_summ.cli.output import append, open_results
from minerals_summ.costs import Spending
from minerals_summ.exceptions import InputError, RunError
from minerals_summ.summarise import Summariser

__all__ = ["run_batch"]


class _Tally:
    """What the closing line reports: outcomes by error type, tokens and money, abandoned
    requests."""

    def __init__(self, handle: IO[str], model: str) -> None:
        self.handle = handle
        self.counts: Counter[str] = Counter()
        self.spent = Spending(model)
        self.abandoned = 0

    def record(self, outcome: Outcome) -> None:
        append(self.handle, outcome.to_json())
        self.counts[type(outcome.error).__name__ if outcome.error else "ok"] += 1
        self.spent.add_result(outcome.summary, outcome.error, cached=outcome.cached)
        provenance = outcome.summary.provenance if outcome.summary is not None else None
        if provenance is not None and not outcome.cached:
            self.abandoned += provenance.abandoned_requests
        elif isinstance(outcome.error, RunError):
            self.abandoned += outcome.error.abandoned_requests


def run_batch(
    summariser: Summariser,
    articles: list[Article],
    *,
    out: Path | None,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    cache: SummaryCache | None,
    progress: bool | None,
) -> int:
    """Summarise ``articles`` into ``out`` (or stdout); 0 when every article succeeded, else 1.

    Files are read (each size-checked first) and pages fetched as workers take them; an article
    that cannot be had is one failed line, and the batch goes on.
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
    todo = [a for a in articles if a.id not in done]
    tally = _Tally(handle, summariser.config.model)

    async def main() -> None:
        async for outcome in asummarise_many(
            todo,
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
    skipped = len(articles) - len(todo)
    click.echo(
        f"{counts['ok']} succeeded, {sum(failed.values())} failed"
        + (f" ({detail})" if detail else "")
        + (f", {skipped} already in {out}" if out and skipped else "")
        + f"; {tally.spent.line()}"
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
