"""The command line under abuse (issue 17 items 1, 2, 4, 5, 6, 13, 18): exit codes that tell,
replay from anywhere, a terminal that never runs the model's escape sequences, bounded reads."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from minerals_summ.cli import cli
from minerals_summ.gold import GoldArticle
from minerals_summ.testing import FakeChatServer, Reply
from tests.conftest import ROOT, SEEDS

SEED = SEEDS / "us-pakistan-critical-minerals.txt"
NEGATIVE = "lithium-price-slump-report"  # a gold article without records


@pytest.fixture(autouse=True)
def elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Run from a directory that is not the repository root, with no key."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("MINERALS_SUMM_CASSETTES", raising=False)
    return tmp_path


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input, env=env)


def copy_gold(names: list[str], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        for suffix in (".txt", ".gold.json"):
            shutil.copy(SEEDS / f"{name}{suffix}", folder / f"{name}{suffix}")
    return folder


# --- 1: eval tells a failure from a score ---------------------------------------------------


def test_eval_without_a_key_fails_once_with_exit_2() -> None:
    result = run("eval", str(SEEDS))
    assert result.exit_code == 2
    assert result.stderr.count("error: no OPENAI_API_KEY") == 1


def test_eval_of_an_empty_directory_exits_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("eval", str(tmp_path / "empty"), "--replay")
    assert result.exit_code == 2
    assert "no gold article" in result.stderr


def test_a_failed_article_without_records_scores_0_and_exit_1(tmp_path: Path) -> None:
    folder = copy_gold([NEGATIVE, "us-pakistan-critical-minerals"], tmp_path / "gold")
    article = folder / f"{NEGATIVE}.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nEdited.", encoding="utf-8")
    report = tmp_path / "report.json"
    result = run("eval", str(folder), "--replay", "--out", str(report))
    assert result.exit_code == 1
    assert f"{NEGATIVE}: F1 0.000" in result.stderr
    assert "2 article(s): 1 scored, 1 failed (ReplayError: 1)" in result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    by_name = {a["article"]: a for a in data["articles"]}
    assert by_name[NEGATIVE]["f1"] == 0.0
    assert by_name["us-pakistan-critical-minerals"]["f1"] == 1.0
    assert data["score"]["failed_articles"] == 1
    assert data["score"]["micro"]["f1"] < 1.0


# --- 2: --replay from anywhere, and a mismatch named ----------------------------------------


def test_replay_works_from_any_directory() -> None:
    result = run(
        "summarise", str(SEED), "--published", "2025-09-09", "--replay", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["policy_schemes"][0]["budget"]["amount"] == "15000000000"


def test_eval_replay_from_any_directory_scores_1() -> None:
    result = run("eval", str(SEEDS), "--replay")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].split()[-1] == "1.000"


def test_replay_looks_in_cassettes_first(tmp_path: Path) -> None:
    article = tmp_path / "copy.txt"
    shutil.copy(SEED, article)  # no cassettes beside it: the project's own recordings serve
    empty = tmp_path / "mine"
    empty.mkdir()
    ok = run("summarise", str(article), "--published", "2025-09-09", "--replay", "--format", "json")
    assert ok.exit_code == 0, ok.stderr
    mine = tmp_path / "recordings"
    mine.mkdir()
    source = ROOT / "cassettes" / "test_clean_answer[tools].yaml"
    (mine / "only.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    result = run(
        "summarise", str(article), "--published", "2025-09-09", "--replay", "--cassettes", str(mine)
    )
    assert result.exit_code == 0, result.stderr
    assert "only.yaml" in result.stderr


def test_a_replay_mismatch_names_the_field_that_differs() -> None:
    result = run("summarise", str(SEED), "--published", "2025-09-10", "--replay")
    assert result.exit_code == 2
    assert "published 2025-09-09 (asked 2025-09-10)" in result.stderr
    cassette = str(ROOT / "cassettes" / "test_clean_answer[tools].yaml")
    result = run("summarise", str(SEED), "--published", "2025-09-10", "--replay", cassette)
    assert result.exit_code == 2
    assert "the publication date" in result.stderr
    assert "2025-09-09" in result.stderr
    result = run("summarise", str(SEED), "--published", "2025-09-09", "--replay", "--model", "x")
    assert result.exit_code == 2
    assert "model gpt-4.1-mini (asked x)" in result.stderr


# --- 4: the CLI says when the cache is off --------------------------------------------------


def test_the_batch_says_on_stderr_when_the_cache_cannot_be_used(
    seed: GoldArticle, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text(seed.text, encoding="utf-8")
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database" * 100)
    with FakeChatServer(default=seed.draft) as server:
        result = run(
            "summarise", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out.jsonl"),
            "--base-url", server.base_url, "--model", "m", "--cache", str(garbage), "--quiet",
        )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("warning: the cache") == 1
    assert "cache off (DatabaseError" in result.stderr


# --- 5: the model's escape sequences never reach the terminal -------------------------------

ESCAPES = ["\x1b[2J", "\x1b[10A", "\x1b]8;;http://evil.example\x1b\\", "\x9b2J", "\u202e"]


def test_the_table_shows_escape_sequences_as_text(seed: GoldArticle) -> None:
    from io import StringIO

    from rich.console import Console

    from minerals_summ.display import summary_table

    hostile = "".join(ESCAPES)
    summary = seed.summary.model_copy(update={"summary": f"Deal {hostile} signed"})
    first = summary.agreements[0].model_copy(update={"title": f"Title {hostile}"})
    summary = summary.model_copy(update={"agreements": (first, *summary.agreements[1:])})
    out = StringIO()
    Console(file=out, force_terminal=True, width=200).print(summary_table(summary))
    shown = out.getvalue()
    assert not [e for e in ESCAPES if e in shown]
    assert "\\x1b[2J" in shown


def test_json_output_escapes_every_control_character(seed: GoldArticle) -> None:
    # Sequences without digits or capitals: the summary's own check (only the article's numbers
    # and names) lets them through, so they reach the output.
    sequences = "Pakistan \x1b[m\x9bm\u202e\x1b]\x07 signed"
    draft = seed.draft.model_dump(mode="json")
    draft["summary"] = sequences
    with FakeChatServer([draft]) as server:
        result = run(
            "summarise", str(SEED), "--base-url", server.base_url, "--model", "m",
            "--published", "2025-09-09", "--format", "json",
        )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert not [c for c in ("\x1b", "\x9b", "\u202e", "\x07") if c in result.stdout]
    assert json.loads(result.stdout)["summary"] == sequences


def test_an_error_line_never_carries_escape_sequences(seed: GoldArticle) -> None:
    refusal = Reply.refusal("\x1b[2Jgone\x1b]8;;http://x\x1b\\")  # the model's own words
    with FakeChatServer([refusal]) as server:
        result = run(
            "summarise", str(SEED), "--base-url", server.base_url, "--model", "m",
            "--max-attempts", "1", "--format", "json",
        )  # fmt: skip
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr
    assert "\\x1b[2Jgone" in result.stderr


# --- 6: bounded reads -----------------------------------------------------------------------


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    code = "from minerals_summ.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limited,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_file_is_refused_unread() -> None:
    result = _cli("summarise", "/dev/zero", "--base-url", "http://127.0.0.1:9/v1")
    assert result.returncode == 2, result.stderr
    assert "larger than" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_batch_goes_on_past_an_unreadable_file(seed: GoldArticle, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(seed.text, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with FakeChatServer(default=seed.draft) as server:
        result = _cli(
            "summarise", "/dev/zero", str(good), "--out", str(out), "--base-url",
            server.base_url, "--model", "m", "--no-cache", "--quiet",
        )  # fmt: skip
    assert result.returncode == 1, result.stderr
    lines = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert lines[str(good)]["ok"] is True
    assert lines["/dev/zero"]["error"]["type"] == "InputError"


# --- 13: the temporary file beside --out ----------------------------------------------------


def test_resume_never_follows_a_planted_link(seed: GoldArticle, tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    out.write_text('{"id": "x", "ok": false}\n{"id": "partial', encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (tmp_path / "results.jsonl.tmp").symlink_to(victim)
    (tmp_path / "a.txt").write_text(seed.text, encoding="utf-8")
    with FakeChatServer(default=seed.draft) as server:
        result = run(
            "summarise", str(tmp_path / "a.txt"), "--out", str(out), "--base-url",
            server.base_url, "--model", "m", "--no-cache", "--quiet",
        )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "precious"
    assert [json.loads(line)["ok"] for line in out.read_text().splitlines()] == [True]


# --- 18: the CLI caps output ----------------------------------------------------------------


def test_max_output_tokens_is_an_option(seed: GoldArticle) -> None:
    with FakeChatServer([seed.draft]) as server:
        result = run(
            "summarise", str(SEED), "--base-url", server.base_url, "--model", "m",
            "--max-output-tokens", "1234", "--format", "json",
        )  # fmt: skip
        assert server.requests[0].body["max_tokens"] == 1234
    assert result.exit_code == 0, result.stderr
