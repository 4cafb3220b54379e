"""The ``minerals-summ`` command line. It uses the public API only.

Exit codes: 0 success, 1 the extraction failed, 2 usage, configuration or input error.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import sys
from pathlib import Path
from typing import Any, TypeVar

import click
import openai
from rich.console import Console

import minerals_summ
from minerals_summ import (
    Config,
    ConfigurationError,
    ExtractionError,
    InputError,
    MineralsSummError,
    Summariser,
    check_article,
    draft_json_schema,
    schema_version,
)
from minerals_summ.batch import CacheOption
from minerals_summ.cli_batch import expand_sources, run_batch
from minerals_summ.display import summary_table
from minerals_summ.prompting import load_prompt
from minerals_summ.replay import find_cassette, load_cassette, replay_client

_C = TypeVar("_C", openai.OpenAI, openai.AsyncOpenAI)

EXIT_FAILED = 1
EXIT_USAGE = 2

_HINTS: dict[type[Exception], str] = {
    ConfigurationError: "check the options and environment (OPENAI_API_KEY, OPENAI_BASE_URL)",
    InputError: "pass a text file with the article, or - for standard input",
    ExtractionError: "try a stronger model, or raise --max-attempts; --debug shows every attempt",
}


def _fail(error: Exception, debug: bool) -> None:
    code = EXIT_USAGE if isinstance(error, ConfigurationError | InputError) else EXIT_FAILED
    if debug:
        raise error
    hint = next((h for cls, h in _HINTS.items() if isinstance(error, cls)), "")
    click.echo(f"error: {error}" + (f"\nhint: {hint}" if hint else ""), err=True)
    sys.exit(code)


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source} is not UTF-8 text") from exc
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from exc


_MODE = click.option(
    "--mode",
    type=click.Choice(["tools", "json_schema", "json"]),
    default="tools",
    show_default=True,
    help="How the model answers: tool call, json_schema, or json_object (llama.cpp).",
)


@click.group()
@click.version_option(minerals_summ.__version__, prog_name="minerals-summ")
def cli() -> None:
    """Turn news articles about critical minerals into checked records."""


@cli.command()
@click.argument("sources", metavar="FILE|DIR|GLOB|-...", nargs=-1, required=True)
@click.option("--published", help="Publication date (YYYY-MM-DD), for relative dates.")
@click.option("--model", help="Model name [env MINERALS_SUMM_MODEL].")
@click.option("--base-url", help="OpenAI-compatible endpoint, e.g. a local llama.cpp server.")
@_MODE
@click.option("--max-attempts", type=click.IntRange(min=1), default=3, show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    help="Output format of one article [default: table on a terminal, else json].",
)
@click.option(
    "--replay",
    is_flag=False,
    flag_value="auto",
    default=None,
    metavar="[CASSETTE]",
    help="Answer from a recorded cassette (no key, no network); "
    "without a path, the one recorded for this article.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Batch: append one JSON line per article; a re-run skips the articles already there.",
)
@click.option(
    "--json-object-schema",
    is_flag=True,
    help="With --mode json: send the schema in response_format (llama.cpp constrains to it).",
)
@click.option("--concurrency", type=click.IntRange(min=1), default=8, show_default=True)
@click.option("--rpm", type=click.FloatRange(min=0, min_open=True), help="Requests per minute.")
@click.option("--tpm", type=click.FloatRange(min=0, min_open=True), help="Tokens per minute.")
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(path_type=Path),
    help="Cache file [default: the user cache dir, env MINERALS_SUMM_CACHE].",
)
@click.option("--no-cache", is_flag=True, help="Batch: do not read or write the cache.")
@click.option("--quiet", is_flag=True, help="Batch: no progress bar.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def summarise(
    sources: tuple[str, ...],
    published: str | None,
    model: str | None,
    base_url: str | None,
    mode: str,
    max_attempts: int,
    fmt: str | None,
    replay: str | None,
    out: Path | None,
    json_object_schema: bool,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    cache_path: Path | None,
    no_cache: bool,
    quiet: bool,
    debug: bool,
) -> None:
    """Summarise one article, or many (files, directories of .txt files, globs) into --out."""
    batch = (
        out is not None
        or len(sources) > 1
        or any(Path(s).is_dir() or glob.has_magic(s) for s in sources)
    )
    try:
        date = _published(published)
        if batch:
            if replay is not None:
                raise click.UsageError("--replay summarises one article at a time")
            summariser = Summariser(
                client=_async_client(base_url),
                model=model,
                mode=mode,
                max_attempts=max_attempts,
                json_object_schema=json_object_schema or None,
            )
            cache: CacheOption = False if no_cache else (cache_path or True)
            code = run_batch(
                summariser,
                expand_sources(sources),
                published=date,
                out=out,
                concurrency=concurrency,
                rpm=rpm,
                tpm=tpm,
                cache=cache,
                progress=False if quiet else None,
            )
            sys.exit(code)
        options = {"model": model, "mode": mode, "max_attempts": max_attempts}
        if json_object_schema:
            options["json_object_schema"] = True
        _summarise_one(sources[0], date, base_url, fmt, replay, options)
    except MineralsSummError as error:
        _fail(error, debug)


def _client(base_url: str | None) -> openai.OpenAI | None:
    return _endpoint(base_url, openai.OpenAI)


def _async_client(base_url: str | None) -> openai.AsyncOpenAI | None:
    return _endpoint(base_url, openai.AsyncOpenAI)


def _endpoint(base_url: str | None, cls: type[_C]) -> _C | None:
    """A client for ``--base-url`` (a local server needs no key), or None for the environment."""
    if not base_url:
        return None
    return cls(base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY") or "not-needed")


def _summarise_one(
    source: str,
    date: dt.date | None,
    base_url: str | None,
    fmt: str | None,
    replay: str | None,
    options: dict[str, Any],
) -> None:
    console = Console()
    text = check_article(_read(source), max_chars=Config().max_chars)
    client = _client(base_url)
    origin = None
    if replay is not None:
        if replay == "auto":
            cassette = find_cassette(
                text,
                mode=options["mode"],
                prompt_version=load_prompt().version,
                schema_version=schema_version(),
            )
        else:
            cassette = load_cassette(replay)
        client = replay_client(cassette)
        options["model"] = options["model"] or cassette.provenance.get("model")
        origin = f"Answer replayed from {cassette.describe()}."
    summariser = Summariser(client=client, **options)
    try:
        summary = summariser.summarise(text, published=date)
    except MineralsSummError:
        if origin:  # a failure replayed from a recording says which recording too
            click.echo(origin, err=True)
        raise
    if (fmt or ("table" if console.is_terminal else "json")) == "json":
        click.echo(summary.model_dump_json(indent=2))
    else:
        console.print(summary_table(summary))
    if origin:
        click.echo(origin, err=True)


def _published(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"--published must be a date like 2025-09-09, not {value!r}") from exc


@cli.command(name="eval")
@click.argument(
    "seeds", type=click.Path(exists=True, file_okay=False, path_type=Path), default="seeds"
)
@click.option("--model", help="Model name [env MINERALS_SUMM_MODEL].")
@click.option("--base-url", help="OpenAI-compatible endpoint.")
@_MODE
@click.option("--replay", is_flag=True, help="Answer from the recorded cassettes (offline).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write a JSON report.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def eval_command(
    seeds: Path,
    model: str | None,
    base_url: str | None,
    mode: str,
    replay: bool,
    out: Path | None,
    debug: bool,
) -> None:
    """Score the pipeline on a gold set (SEEDS: *.gold.json beside their articles)."""
    from minerals_summ.cli_eval import evaluate_gold_set, write_report

    try:
        total, reports = evaluate_gold_set(
            seeds, client=_client(base_url), model=model, mode=mode, replay=replay
        )
    except MineralsSummError as error:
        _fail(error, debug)
        return
    click.echo(total.table())
    if out is not None:
        write_report(out, total, reports)


@cli.command()
def schema() -> None:
    """Print the JSON Schema the model sees."""
    data: Any = draft_json_schema()
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def main() -> None:
    cli(prog_name="minerals-summ")
