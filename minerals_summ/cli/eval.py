"""``minerals-summ eval``: run the pipeline over a gold set and score it per field.

An article whose call fails scores 0 (:func:`minerals_summ.evaluate.score_failure`), never the
1.0 of "nothing expected, nothing predicted". Exit codes: 0 every article scored; 1 some
article's call failed; 2 no gold article found, or a usage or configuration error (no key).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, cast

import click
import openai

from minerals_summ.cassettes import cassette_dirs, find_cassette, replay_client
from minerals_summ.cli.common import (
    EXIT_FAILED,
    MAX_OUTPUT_TOKENS,
    MODE,
    client,
    fail,
    warnings_on_stderr,
)
from minerals_summ.cli.summarise import CASSETTES
from minerals_summ.config import Mode, check_env
from minerals_summ.display import terminal_safe
from minerals_summ.evaluate import Score, score, score_failure
from minerals_summ.exceptions import InputError, MineralsSummError
from minerals_summ.gold import GoldArticle, load_gold_set
from minerals_summ.prompting import load_prompt
from minerals_summ.schema import schema_version
from minerals_summ.summarise import Summariser
from minerals_summ.summary import ArticleSummary

__all__ = ["eval_command", "evaluate_gold_set"]


def _predict(
    gold: GoldArticle,
    seeds: Path,
    *,
    client: openai.OpenAI | None,
    model: str | None,
    mode: str,
    replay: bool,
    cassettes: Path | None,
    max_output_tokens: int | None,
) -> ArticleSummary | MineralsSummError:
    """The pipeline's summary of one gold article, or the error that stopped it."""
    try:
        if replay:
            cassette = find_cassette(
                gold.text,
                mode=mode,
                prompt_version=load_prompt().version,
                schema_version=schema_version(),
                directories=cassette_dirs(cassettes, seeds / f"{gold.name}.gold.json"),
                published=gold.published.isoformat() if gold.published else None,
                model=model,
                prefer=("gold", "clean"),
            )
            client = replay_client(cassette)
            model = model or cassette.provenance.get("model")
        summariser = Summariser(
            client=client, model=model, mode=cast(Mode, mode), max_output_tokens=max_output_tokens
        )
        return summariser.summarise(gold.text, published=gold.published)
    except MineralsSummError as exc:
        return exc


def evaluate_gold_set(
    seeds: Path,
    *,
    client: openai.OpenAI | None,
    model: str | None,
    mode: str,
    replay: bool,
    cassettes: Path | None = None,
    max_output_tokens: int | None = None,
) -> tuple[Score, list[dict[str, Any]]]:
    """The summed score over every gold article in ``seeds``, and one report per article.

    Raises :class:`InputError` when ``seeds`` holds no gold article.
    """
    golds = load_gold_set(seeds)
    if not golds:
        raise InputError(f"no gold article (*.gold.json) in {seeds}")
    total = Score()
    reports = []
    for gold in golds:
        predicted = _predict(
            gold,
            seeds,
            client=client,
            model=model,
            mode=mode,
            replay=replay,
            cassettes=cassettes,
            max_output_tokens=max_output_tokens,
        )
        error = None
        if isinstance(predicted, MineralsSummError):
            error = f"{type(predicted).__name__}: {predicted}"
            article_score = score_failure(gold.summary, article=gold.name, reason=error)
        else:
            article_score = score(predicted, gold.summary, article=gold.name)
        total = total + article_score
        reports.append(
            {
                "article": gold.name,
                "f1": round(article_score.f1, 4),
                "error": error,
                "error_type": type(predicted).__name__ if error else None,
                "failures": [str(f) for f in article_score.failures],
            }
        )
        mark = "ok " if error is None and not article_score.failures else "!! "
        line = f"{mark}{gold.name}: F1 {article_score.f1:.3f}" + (f"  ({error})" if error else "")
        click.echo(terminal_safe(line), err=True)
        for failure in article_score.failures if error is None else []:
            click.echo(terminal_safe(f"     {failure}"), err=True)
    return total, reports


def summary_line(reports: list[dict[str, Any]]) -> str:
    """How many articles were scored, how many failed and why."""
    failed = Counter(r["error_type"] for r in reports if r["error"] is not None)
    line = f"{len(reports)} article(s): {len(reports) - failed.total()} scored"
    if failed:
        why = ", ".join(f"{name}: {n}" for name, n in sorted(failed.items()))
        line += f", {failed.total()} failed ({why}); each failed article scores 0"
    return line


def write_report(path: Path, total: Score, reports: list[dict[str, Any]]) -> None:
    data = {"score": total.to_dict(), "articles": reports, "summary": summary_line(reports)}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


@click.command(name="eval")
@click.argument(
    "seeds", type=click.Path(exists=True, file_okay=False, path_type=Path), default="seeds"
)
@click.option("--model", help="Model name [env MINERALS_SUMM_MODEL].")
@click.option("--base-url", help="OpenAI-compatible endpoint.")
@MODE
@MAX_OUTPUT_TOKENS
@click.option("--replay", is_flag=True, help="Answer from the recorded cassettes (offline).")
@CASSETTES
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write a JSON report.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def eval_command(
    seeds: Path,
    model: str | None,
    base_url: str | None,
    mode: str,
    max_output_tokens: int | None,
    replay: bool,
    cassettes: Path | None,
    out: Path | None,
    debug: bool,
) -> None:
    """Score the pipeline on a gold set (SEEDS: *.gold.json beside their articles).

    Exit codes: 0 every article scored, 1 some article's call failed (it scores 0), 2 no gold
    article found or a configuration error.
    """
    try:
        with warnings_on_stderr():
            sdk = client(base_url)
            if not replay and sdk is None:
                check_env()  # no key: say so once, not once per article
            total, reports = evaluate_gold_set(
                seeds,
                client=sdk,
                model=model,
                mode=mode,
                replay=replay,
                cassettes=cassettes,
                max_output_tokens=max_output_tokens,
            )
    except MineralsSummError as error:
        fail(error, debug)
    click.echo(total.table())
    click.echo(summary_line(reports), err=True)
    if out is not None:
        write_report(out, total, reports)
    if any(r["error"] is not None for r in reports):
        raise SystemExit(EXIT_FAILED)
