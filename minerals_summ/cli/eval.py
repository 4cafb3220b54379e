"""``minerals-summ eval``: run the pipeline over a gold set and score it per field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import click
import openai

from minerals_summ.cassettes import find_cassette, replay_client
from minerals_summ.cli.common import MODE, client, fail
from minerals_summ.config import Mode
from minerals_summ.evaluate import Score, score
from minerals_summ.exceptions import MineralsSummError
from minerals_summ.gold import GoldArticle, load_gold_set
from minerals_summ.prompting import load_prompt
from minerals_summ.schema import schema_version
from minerals_summ.summarise import Summariser
from minerals_summ.summary import ArticleSummary

__all__ = ["eval_command", "evaluate_gold_set"]


def _predict(
    gold: GoldArticle, *, client: openai.OpenAI | None, model: str | None, mode: str, replay: bool
) -> tuple[ArticleSummary | None, str | None]:
    """The pipeline's summary of one gold article, or the reason it has none."""
    try:
        if replay:
            cassette = find_cassette(
                gold.text,
                mode=mode,
                prompt_version=load_prompt().version,
                schema_version=schema_version(),
                prefer=("gold", "clean"),
            )
            client = replay_client(cassette)
            model = model or cassette.provenance.get("model")
        summariser = Summariser(client=client, model=model, mode=cast(Mode, mode))
        return summariser.summarise(gold.text, published=gold.published), None
    except MineralsSummError as exc:
        return None, f"{type(exc).__name__}: {exc}"


def evaluate_gold_set(
    seeds: Path,
    *,
    client: openai.OpenAI | None,
    model: str | None,
    mode: str,
    replay: bool,
) -> tuple[Score, list[dict[str, Any]]]:
    """The summed score over every gold article in ``seeds``, and one report per article."""
    total = Score()
    reports = []
    for gold in load_gold_set(seeds):
        predicted, error = _predict(gold, client=client, model=model, mode=mode, replay=replay)
        article_score = score(
            predicted or ArticleSummary(summary="", published=gold.published),
            gold.summary,
            article=gold.name,
        )
        total = total + article_score
        reports.append(
            {
                "article": gold.name,
                "f1": round(article_score.f1, 4),
                "error": error,
                "failures": [str(f) for f in article_score.failures],
            }
        )
        mark = "ok " if error is None and not article_score.failures else "!! "
        click.echo(
            f"{mark}{gold.name}: F1 {article_score.f1:.3f}" + (f"  ({error})" if error else ""),
            err=True,
        )
        for failure in article_score.failures:
            click.echo(f"     {failure}", err=True)
    return total, reports


def write_report(path: Path, total: Score, reports: list[dict[str, Any]]) -> None:
    data = {"score": total.to_dict(), "articles": reports}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


@click.command(name="eval")
@click.argument(
    "seeds", type=click.Path(exists=True, file_okay=False, path_type=Path), default="seeds"
)
@click.option("--model", help="Model name [env MINERALS_SUMM_MODEL].")
@click.option("--base-url", help="OpenAI-compatible endpoint.")
@MODE
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
    try:
        total, reports = evaluate_gold_set(
            seeds, client=client(base_url), model=model, mode=mode, replay=replay
        )
    except MineralsSummError as error:
        fail(error, debug)
    click.echo(total.table())
    if out is not None:
        write_report(out, total, reports)
