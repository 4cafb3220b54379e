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
from minerals_summ.batch import CacheOption, Outcome, asummarise_many
from minerals_summ.cli.output import append, open_results
from minerals_summ.costs import Spending
from minerals_summ.exceptions import InputError
from minerals_summ.summarise import Summariser

__all__ = ["run_batch"]


def run_batch(
    summariser: Summariser,
    articles: list[Article],
    *,
    out: Path | None,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    cache: CacheOption,
    progress: bool | None,
) -> int:
    """Summarise ``articles`` into ``out`` (or stdout); 0 when every article succeeded, else 1."""
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
    counts: Counter[str] = Counter()
    spent = Spending(summariser.config.model)

    def record(outcome: Outcome) -> None:
        append(handle, outcome.to_json())
        counts[type(outcome.error).__name__ if outcome.error else "ok"] += 1
        spent.add_result(outcome.summary, outcome.error, cached=outcome.cached)

    async def main() -> None:
        async for outcome in asummarise_many(
            todo,
            summariser=summariser,
            concurrency=concurrency,
            rpm=rpm,
            tpm=tpm,
            cache=cache,
            progress=progress,
        ):
            record(outcome)

    try:
        asyncio.run(main())
    finally:
        if out is not None:
            handle.close()
    failed = {name: n for name, n in counts.items() if name != "ok"}
    detail = ", ".join(f"{name}: {n}" for name, n in sorted(failed.items()))
    click.echo(
        f"{counts['ok']} succeeded, {sum(failed.values())} failed"
        + (f" ({detail})" if detail else "")
        + (
            f", {len(articles) - len(todo)} already in {out}"
            if out and len(todo) < len(articles)
            else ""
        )
        + f"; {spent.line()}; {time.perf_counter() - started:.1f}s",
        err=True,
    )
    return 1 if failed else 0
