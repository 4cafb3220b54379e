"""The minerals-summ command line: output, replay, exit codes and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import minerals_summ.cli.summarise as cli_module
from minerals_summ.cli import cli
from minerals_summ.prompting import Prompt
from tests.conftest import ROOT, SEEDS

SEED = str(SEEDS / "us-pakistan-critical-minerals.txt")


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # --replay looks for ./cassettes
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input)


def test_replay_prints_the_records_as_json_and_says_where_they_came_from() -> None:
    result = run("summarise", SEED, "--published", "2025-09-09", "--replay", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [a["kind"] for a in data["agreements"]] == [
        "memorandum_of_understanding",
        "trade_agreement",
        "cooperation_talks",
    ]
    assert data["policy_schemes"][0]["budget"]["amount"] == "15000000000"
    assert "reference response written by hand" in result.stderr


def test_table_output() -> None:
    result = run("summarise", SEED, "--published", "2025-09-09", "--replay", "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert "Frontier Works Organization (FWO) [military, PK]" in result.stdout
    assert "INR 15,000,000,000" in result.stdout


def test_standard_input_and_other_modes() -> None:
    text = Path(SEED).read_text(encoding="utf-8")
    result = run(
        "summarise", "-", "--published", "2025-09-09", "--replay", "--mode", "json", input=text
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["provenance"]["mode"] == "json"


def test_replay_without_a_recording_names_the_record_command(tmp_path: Path) -> None:
    article = tmp_path / "other.txt"
    article.write_text("Glencore and Rio Tinto said nothing at all today.", encoding="utf-8")
    result = run("summarise", str(article), "--replay")
    assert result.exit_code == 2
    assert "make record" in result.stderr
    assert "Traceback" not in result.stderr


def test_replay_after_a_prompt_change_names_the_record_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    changed = Prompt(name="extract", version="2+changed", system="s", user="{{ article }}")
    monkeypatch.setattr(cli_module, "load_prompt", lambda: changed)
    result = run("summarise", SEED, "--published", "2025-09-09", "--replay")
    assert result.exit_code == 2
    assert "was made with prompt" in result.stderr
    assert "(now 2+changed)" in result.stderr
    assert "re-record with `make record`" in result.stderr


def test_extraction_failure_exits_1_with_a_hint() -> None:
    cassette = str(ROOT / "cassettes" / "test_attempts_exhausted.yaml")
    result = run(
        "summarise", SEED, "--published", "2025-09-09", "--replay", cassette, "--max-attempts", "2"
    )
    assert result.exit_code == 1
    assert "error: no valid answer after 2 model call(s)" in result.stderr
    assert "reference response written by hand" in result.stderr
    assert "Rs 1,600-crore" in result.stderr
    assert "hint:" in result.stderr


def test_configuration_and_input_errors_exit_2(tmp_path: Path) -> None:
    result = run("summarise", SEED)
    assert result.exit_code == 2
    assert "OPENAI_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr

    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = run("summarise", str(empty), "--replay")
    assert result.exit_code == 2
    assert "the article is empty" in result.stderr

    result = run("summarise", str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert "cannot read" in result.stderr

    result = run("summarise", SEED, "--published", "9/9/2025")
    assert result.exit_code == 2
    assert "--published" in result.stderr


def test_debug_shows_the_exception() -> None:
    result = run("summarise", SEED, "--debug")
    assert result.exit_code != 0
    assert result.exception is not None
    assert type(result.exception).__name__ == "ConfigurationError"


def test_schema_command_prints_the_model_facing_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "ArticleDraft"


def test_eval_replay_scores_the_reference_recordings_perfectly(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = run("eval", "--replay", "--out", str(report))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].split()[-1] == "1.000"  # micro F1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert len(data["articles"]) == len(list(SEEDS.glob("*.gold.json"))) >= 20
    assert all(a["f1"] == 1.0 and a["error"] is None for a in data["articles"])
    assert data["score"]["micro"]["f1"] == 1.0


def test_eval_reports_articles_without_a_recording(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("us-pakistan-critical-minerals.txt", "us-pakistan-critical-minerals.gold.json"):
        (seeds / name).write_text((SEEDS / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = (seeds / "us-pakistan-critical-minerals.txt").read_text(encoding="utf-8")
    (seeds / "us-pakistan-critical-minerals.txt").write_text(text + "\nEdited.", encoding="utf-8")
    result = run("eval", str(seeds), "--replay")
    assert result.exit_code == 1  # an article failed
    assert "ReplayError: no recording of this article" in result.stderr
    assert "1 article(s): 0 scored, 1 failed (ReplayError: 1)" in result.stderr
    assert result.stdout.splitlines()[-1].split()[-1] == "0.000"


def test_replay_finds_reference_answers_not_real_recordings() -> None:
    """A real recording replays only with its own options; --replay picks reference answers."""
    lithium = str(SEEDS / "lithium-price-slump-report.txt")
    result = run("summarise", lithium, "--published", "2024-10-30", "--replay", "--mode", "json")
    assert result.exit_code == 2
    assert "was made with mode tools (asked json)" in result.stderr
