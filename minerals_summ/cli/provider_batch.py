"""``minerals-summ batch prepare|submit|status|collect``: a corpus through a provider's Batch API.

Every command takes ``--out results.jsonl``: the results file (the same JSONL as ``summarise
--out``), whose state lives beside it in ``results.batch.sqlite``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from minerals_summ.cache import CacheOption
from minerals_summ.cli.common import MODE, client, fail, parse_published
from minerals_summ.cli.inputs import articles_from
from minerals_summ.cli.output import append
from minerals_summ.config import Mode
from minerals_summ.exceptions import MineralsSummError
from minerals_summ.provider_batch import ProviderBatch, Tally

__all__ = ["batch_group"]

_F = TypeVar("_F", bound=Callable[..., Any])

OUT = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Results file (JSONL); the run's state is kept beside it (NAME.batch.sqlite).",
)
BASE_URL = click.option(
    "--base-url", help="The provider's endpoint [env OPENAI_BASE_URL, else OpenAI]."
)
CACHE = click.option(
    "--cache",
    "cache_path",
    type=click.Path(path_type=Path),
    help="Cache file [default: the user cache dir, env MINERALS_SUMM_CACHE].",
)
NO_CACHE = click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
DEBUG = click.option("--debug", is_flag=True, help="Show tracebacks.")


def _failing_cleanly(command: _F) -> _F:
    """Typed errors as one line on stderr and exit code 2 or 1 (``--debug``: the traceback)."""

    @wraps(command)
    def run(*args: Any, debug: bool, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MineralsSummError as error:
            fail(error, debug)

    return run  # type: ignore[return-value]


def _run(
    out: Path,
    base_url: str | None,
    cache_path: Path | None = None,
    no_cache: bool = False,
    *,
    max_resubmits: int = 2,
) -> ProviderBatch:
    cache: CacheOption = False if no_cache else (cache_path or True)
    return ProviderBatch(out, client=client(base_url), cache=cache, max_resubmits=max_resubmits)


def _tally(tally: Tally) -> str:
    failed = sum(tally.failed.values())
    detail = ", ".join(f"{name}: {n}" for name, n in sorted(tally.failed.items()))
    return f"{tally.succeeded} succeeded, {failed} failed" + (f" ({detail})" if detail else "")


@click.group(name="batch")
def batch_group() -> None:
    """A corpus through a provider's Batch API (half price, within 24 hours).

    \b
    minerals-summ batch prepare articles/ --out results.jsonl --published 2025-09-09
    minerals-summ batch submit --out results.jsonl
    minerals-summ batch status --out results.jsonl
    minerals-summ batch collect --out results.jsonl      # again until nothing is waiting
    """


@batch_group.command(name="prepare")
@click.argument("sources", metavar="FILE|DIR|GLOB...", nargs=-1, required=True)
@OUT
@click.option(
    "--requests",
    "requests_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the batch JSONL [default: NAME.requests.jsonl beside --out].",
)
@click.option("--published", help="Publication date (YYYY-MM-DD), for relative dates.")
@click.option("--model", help="Model name [env MINERALS_SUMM_MODEL].")
@MODE
@click.option("--max-attempts", type=click.IntRange(min=1), default=3, show_default=True)
@click.option(
    "--json-object-schema",
    is_flag=True,
    help="With --mode json: send the schema in response_format (llama.cpp constrains to it).",
)
@CACHE
@NO_CACHE
@DEBUG
@_failing_cleanly
def prepare_command(
    sources: tuple[str, ...],
    out: Path,
    requests_file: Path | None,
    published: str | None,
    model: str | None,
    mode: Mode,
    max_attempts: int,
    json_object_schema: bool,
    cache_path: Path | None,
    no_cache: bool,
) -> None:
    """Build each article's request (the body a live call sends) and write the batch JSONL."""
    date = parse_published(published)
    articles = articles_from(sources, published=date)
    target = requests_file or out.with_name(f"{out.stem}.requests.jsonl")
    with _run(out, None, cache_path, no_cache) as run:
        tally = run.prepare(
            articles,
            requests_file=target,
            model=model,
            mode=mode,
            max_attempts=max_attempts,
            json_object_schema=json_object_schema or None,
        )
        waiting = run.counts().get("pending", 0)
        delivered = _deliver(run, out)
    click.echo(
        f"{waiting} request(s) in {target}; {len(tally.outcomes)} article(s) ended at once "
        f"({_tally(tally)}, {delivered} written to {out}); state in {run.state.path}",
        err=True,
    )


@batch_group.command(name="submit")
@OUT
@BASE_URL
@DEBUG
@_failing_cleanly
def submit_command(out: Path, base_url: str | None) -> None:
    """Upload the pending requests and create the batches (split past 50,000 or 200 MB)."""
    with _run(out, base_url, no_cache=True) as run:
        created = run.submit()
    for batch_id in created:
        click.echo(batch_id)
    click.echo(f"{len(created)} batch(es) submitted", err=True)


@batch_group.command(name="status")
@OUT
@BASE_URL
@click.option("--json", "as_json", is_flag=True, help="One JSON object per batch.")
@DEBUG
@_failing_cleanly
def status_command(out: Path, base_url: str | None, as_json: bool) -> None:
    """Each batch as the provider reports it, and the articles by state."""
    with _run(out, base_url, no_cache=True) as run:
        infos = run.status()
        counts = run.counts()
    for info in infos:
        if as_json:
            click.echo(json.dumps(info.__dict__))
        else:
            done = f"{info.completed + info.failed}/{info.requests}"
            mark = " (collected)" if info.collected else ""
            click.echo(f"round {info.round}  {info.batch_id}  {info.status:<11} {done}{mark}")
    click.echo(", ".join(f"{n} {state}" for state, n in sorted(counts.items())), err=True)


@batch_group.command(name="collect")
@OUT
@BASE_URL
@click.option(
    "--output-file",
    "output_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A result file made elsewhere (e.g. by vllm run-batch from the prepared requests).",
)
@click.option(
    "--finish-live", is_flag=True, help="Re-ask (and resend) through live calls, not a batch."
)
@click.option("--no-resubmit", is_flag=True, help="Do not send a follow-up batch.")
@click.option(
    "--max-resubmits",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="How often an item is sent again after an expiry, a 429 or a 5xx.",
)
@CACHE
@NO_CACHE
@DEBUG
@_failing_cleanly
def collect_command(
    out: Path,
    base_url: str | None,
    output_files: tuple[Path, ...],
    finish_live: bool,
    no_resubmit: bool,
    max_resubmits: int,
    cache_path: Path | None,
    no_cache: bool,
) -> None:
    """Check the answers of finished batches, write the outcomes to --out, and send the
    invalid answers' re-asks (a follow-up batch, or live with --finish-live)."""
    with _run(out, base_url, cache_path, no_cache, max_resubmits=max_resubmits) as run:
        tally = run.collect(
            output_files=output_files, finish_live=finish_live, resubmit=not no_resubmit
        )
        delivered = _deliver(run, out)
        counts = run.counts()
        costs = run.costs()
        waiting = counts.get("pending", 0) + counts.get("submitted", 0)
        if output_files and counts.get("pending"):
            target = out.with_name(f"{out.stem}.requests.jsonl")
            run.write_requests(target)
            click.echo(f"the next round's {counts['pending']} request(s) are in {target}", err=True)
    extra = f", {tally.malformed} malformed line(s)" if tally.malformed else ""
    click.echo(
        f"{_tally(tally)}, {tally.reasked} re-asked, {tally.resubmitted} resubmitted{extra}; "
        f"{delivered} written to {out}; {waiting} waiting, "
        f"{counts.get('done', 0)} done and {counts.get('failed', 0)} failed in all",
        err=True,
    )
    if costs.paid is None:
        click.echo(f"{costs.usage.total_tokens:,} tokens; no price known for the model", err=True)
    else:
        click.echo(
            f"{costs.usage.total_tokens:,} tokens ({costs.usage.cached_tokens:,} cached): "
            f"${costs.paid:.4f} paid; ${costs.at_live_prices:.4f} at live prices, "
            f"${costs.without_caching:.4f} live without caching",
            err=True,
        )
    sys.exit(1 if counts.get("failed") else 0)


def _deliver(run: ProviderBatch, out: Path) -> int:
    """Append the outcomes not yet in ``out``, one whole line each."""
    already: set[str] = set()
    if out.exists():
        data = out.read_bytes()
        whole = data[: data.rfind(b"\n") + 1]
        if len(whole) != len(data):  # an interrupted write: its line is written again
            with out.open("r+b") as handle:
                handle.truncate(len(whole))
        # Lines end at "\n" alone: U+2028 and the like stand raw inside quotes from articles.
        for line in whole.decode("utf-8", errors="replace").split("\n"):
            try:
                already.add(str(json.loads(line)["id"]))
            except (ValueError, KeyError, TypeError):
                continue
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("a", encoding="utf-8") as handle:
        return run.deliver(lambda record: append(handle, record), already=already)
