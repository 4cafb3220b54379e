"""``minerals-summ summarise FILES... --out results.jsonl``: the batch side of the CLI."""

from __future__ import annotations

import asyncio
import datetime as dt
import glob
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import click

from minerals_summ.articles import Article
from minerals_summ.batch import CacheOption, Outcome, asummarise_many
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


def _read(path: Path, published: dt.date | None) -> Article | Outcome:
    try:
        return Article(id=str(path), text=path.read_text(encoding="utf-8"), published=published)
    except (OSError, UnicodeDecodeError) as exc:
        return Outcome(str(path), -1, error=InputError(f"cannot read {path}: {exc}"))


def run_batch(
    summariser: Summariser,
    paths: list[Path],
    *,
    published: dt.date | None,
    out: Path | None,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    cache: CacheOption,
    progress: bool | None,
) -> int:
    """Summarise ``paths`` into ``out`` (or stdout); 0 when every article succeeded, else 1."""
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
    items = [_read(p, published) for p in todo]
    articles = [i for i in items if isinstance(i, Article)]
    counts: Counter[str] = Counter()
    tokens = 0

    def record(outcome: Outcome) -> None:
        nonlocal tokens
        append(handle, outcome.to_json())
        counts[type(outcome.error).__name__ if outcome.error else "ok"] += 1
        if outcome.summary is not None and outcome.summary.provenance and not outcome.cached:
            tokens += outcome.summary.provenance.usage.total_tokens
        elif isinstance(outcome.error, RunError) and outcome.error.usage is not None:
            tokens += outcome.error.usage.total_tokens

    async def main() -> None:
        for item in items:
            if isinstance(item, Outcome):
                record(item)
        async for outcome in asummarise_many(
            articles,
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
        + (f", {len(paths) - len(todo)} already in {out}" if out and len(todo) < len(paths) else "")
        + f"; {tokens:,} tokens; {time.perf_counter() - started:.1f}s",
        err=True,
    )
    return 1 if failed else 0
