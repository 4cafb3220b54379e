"""``minerals-summ summarise``: one article to the terminal, or many into a JSONL file."""

from __future__ import annotations

import datetime as dt
import glob
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from minerals_summ.articles import Article, prepare
from minerals_summ.cache import SummaryCache
from minerals_summ.cassettes import (
    REPLAY_CODE,
    cassette_dirs,
    find_cassette,
    load_cassette,
    replay_client,
)
from minerals_summ.cli.batch import run_batch
from minerals_summ.cli.common import (
    MAX_OUTPUT_TOKENS,
    MODE,
    async_client,
    client,
    fail,
    parse_published,
    read_source,
    warnings_on_stderr,
)
from minerals_summ.cli.inputs import articles_from, is_url
from minerals_summ.config import Config
from minerals_summ.display import json_safe, summary_table
from minerals_summ.exceptions import InputError, MineralsSummError, ProviderError, ReplayError
from minerals_summ.prompting import load_prompt
from minerals_summ.schema import schema_version
from minerals_summ.summarise import Summariser

__all__ = ["CASSETTES", "summarise_command"]

CASSETTES = click.option(
    "--cassettes",
    "cassettes",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="MINERALS_SUMM_CASSETTES",
    help="With --replay: the folder of recordings, looked in first [env MINERALS_SUMM_CASSETTES]; "
    "then a cassettes folder beside the article, then the project's own.",
)


@click.command(name="summarise")
@click.argument("sources", metavar="FILE|DIR|GLOB|URL|-...", nargs=-1)
@click.option(
    "--published",
    help="Publication date (YYYY-MM-DD), for relative dates [default: the article's own "
    "(manifest, feed), else the web page's].",
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Batch: a JSONL or CSV file of articles (id, text, path, url, published, title, source).",
)
@click.option("--feed", "feeds", multiple=True, help="Batch: the articles of an RSS/Atom feed.")
@click.option(
    "--max-article-tokens",
    type=click.IntRange(min=1),
    help="Longer articles are extracted in chunks [default: from the model's context].",
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    help="The longest article accepted, in characters [default: 5,000,000].",
)
@click.option("--model", help="Model name [env MINERALS_SUMM_MODEL].")
@click.option("--base-url", help="OpenAI-compatible endpoint, e.g. a local llama.cpp server.")
@MODE
@click.option("--max-attempts", type=click.IntRange(min=1), default=3, show_default=True)
@MAX_OUTPUT_TOKENS
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
@CASSETTES
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
    help="Cache file, or a folder for it [default: the user cache dir, env MINERALS_SUMM_CACHE].",
)
@click.option("--no-cache", is_flag=True, help="Batch: do not read or write the cache.")
@click.option("--quiet", is_flag=True, help="Batch: no progress bar.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def summarise_command(
    sources: tuple[str, ...],
    published: str | None,
    manifest: Path | None,
    feeds: tuple[str, ...],
    max_article_tokens: int | None,
    max_chars: int | None,
    model: str | None,
    base_url: str | None,
    mode: str,
    max_attempts: int,
    max_output_tokens: int | None,
    fmt: str | None,
    replay: str | None,
    cassettes: Path | None,
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
    """Summarise one article, or many (files, directories of .txt and .html files, globs, URLs,
    a manifest, feeds) into --out."""
    batch = (
        out is not None
        or manifest is not None
        or bool(feeds)
        or len(sources) > 1
        or any(Path(s).is_dir() or glob.has_magic(s) for s in sources)
    )
    if not sources and not batch:
        raise click.UsageError("give a FILE, DIR, GLOB, URL or -, or --manifest or --feed")
    options: dict[str, Any] = {
        "model": model,
        "mode": mode,
        "max_attempts": max_attempts,
        "max_output_tokens": max_output_tokens,
        "json_object_schema": json_object_schema or None,
        "max_article_tokens": max_article_tokens,
        "max_chars": max_chars,
    }
    try:
        with warnings_on_stderr():
            date = parse_published(published)
            if not batch:
                _summarise_one(sources[0], date, base_url, fmt, replay, cassettes, options)
                return
            if replay is not None:
                raise click.UsageError("--replay summarises one article at a time")
            summariser = Summariser(client=async_client(base_url), **options)
            articles = articles_from(sources, manifest=manifest, feeds=feeds, published=date)
            if not articles:
                raise InputError(f"no article found in {', '.join(sources) or 'the input'}")
            cache = None if no_cache else SummaryCache(cache_path)
            code = run_batch(
                summariser,
                articles,
                out=out,
                concurrency=concurrency,
                rpm=rpm,
                tpm=tpm,
                cache=cache,
                progress=False if quiet else None,
            )
        sys.exit(code)
    except MineralsSummError as error:
        fail(error, debug)


def _summarise_one(
    source: str,
    date: dt.date | None,
    base_url: str | None,
    fmt: str | None,
    replay: str | None,
    cassettes: Path | None,
    options: dict[str, Any],
) -> None:
    console = Console()
    max_chars = options["max_chars"] or Config().max_chars
    if source == "-":
        article = Article(id="-", text=read_source(source, max_chars), published=date)
    elif is_url(source):
        article = Article(id=source, url=source, published=date)
    else:
        article = Article(id=source, path=source, published=date)
    document = prepare(article, max_chars=max_chars)
    text = document.text
    sdk = client(base_url)
    origin = None
    if replay is not None:
        if replay == "auto":
            near = None if source == "-" else Path(source)
            cassette = find_cassette(
                text,
                mode=options["mode"],
                prompt_version=load_prompt().version,
                schema_version=schema_version(),
                directories=cassette_dirs(cassettes, near),
                published=document.published.isoformat() if document.published else None,
                model=options["model"],
            )
        else:
            cassette = load_cassette(replay)
        sdk = replay_client(cassette)
        options["model"] = options["model"] or cassette.provenance.get("model")
        origin = f"Answer replayed from {cassette.describe()}."
    summariser = Summariser(client=sdk, **options)
    try:
        summary = summariser.summarise(document)
    except MineralsSummError as error:
        if origin:  # a failure replayed from a recording says which recording too
            click.echo(origin, err=True)
        if isinstance(error, ProviderError) and error.code == REPLAY_CODE:
            raise ReplayError(str(error)) from error
        raise
    if (fmt or ("table" if console.is_terminal else "json")) == "json":
        click.echo(json_safe(summary.model_dump_json(indent=2)))
    else:
        console.print(summary_table(summary))
    if origin:
        click.echo(origin, err=True)
