"""`minerals-summ summarise FILES... --out results.jsonl`: whole lines, resume, summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from minerals_summ.cli import cli
from minerals_summ.gold import GoldArticle
from minerals_summ.testing import FakeChatServer, Reply


@pytest.fixture
def corpus(tmp_path: Path, seed: GoldArticle) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(4):
        (folder / f"a{i}.txt").write_text(f"{seed.text}\nRef {i}.", encoding="utf-8")
    (folder / "empty.txt").write_text("   ", encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    return folder


def run(server: FakeChatServer, *args: str) -> Any:
    return CliRunner().invoke(
        cli,
        ["summarise", *args, "--base-url", server.base_url, "--model", "m", "--no-cache"],
        env={"OPENAI_API_KEY": "test-key"},
    )


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_batch_writes_one_line_per_article_and_a_summary(
    corpus: Path, seed: GoldArticle, tmp_path: Path
) -> None:
    out = tmp_path / "results.jsonl"
    with FakeChatServer(default=seed.draft) as server:
        result = run(server, str(corpus), "--out", str(out), "--published", "2025-09-09")
    assert result.exit_code == 1  # one article failed
    records = lines(out)
    assert sorted(r["id"] for r in records) == sorted(
        str(corpus / n) for n in ["a0.txt", "a1.txt", "a2.txt", "a3.txt", "empty.txt"]
    )
    failed = [r for r in records if not r["ok"]]
    assert [r["error"]["type"] for r in failed] == ["InputError"]
    ok = [r for r in records if r["ok"]]
    assert all(len(r["summary"]["agreements"]) == 3 for r in ok)
    assert "4 succeeded, 1 failed (InputError: 1)" in result.stderr
    assert "tokens" in result.stderr


def test_an_interrupted_run_resumes_without_duplicates_or_losses(
    corpus: Path, seed: GoldArticle, tmp_path: Path
) -> None:
    out = tmp_path / "results.jsonl"
    with FakeChatServer(default=seed.draft) as server:
        run(server, str(corpus / "a0.txt"), str(corpus / "a1.txt"), "--out", str(out))
    # Simulate a kill mid-write: a partial last line.
    with out.open("a", encoding="utf-8") as f:
        f.write('{"id": "' + str(corpus / "a2.txt") + '", "ok": tr')
    with FakeChatServer(default=seed.draft) as server:
        result = run(server, str(corpus / "a*.txt"), "--out", str(out))
        assert len(server.requests) == 2  # a2 and a3 only
    assert result.exit_code == 0, result.stderr
    ids = [r["id"] for r in lines(out)]
    assert sorted(ids) == sorted(str(corpus / f"a{i}.txt") for i in range(4))
    assert "2 already in" in result.stderr
    # Running the same command again does nothing.
    with FakeChatServer(default=seed.draft) as server:
        result = run(server, str(corpus / "a*.txt"), "--out", str(out))
        assert server.requests == []
    assert len(lines(out)) == 4


def test_batch_without_out_prints_json_lines(corpus: Path, seed: GoldArticle) -> None:
    with FakeChatServer(default=seed.draft) as server:
        result = run(server, str(corpus / "a0.txt"), str(corpus / "a1.txt"), "--quiet")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["ok"] for line in result.stdout.splitlines()] == [True, True]


def test_failed_articles_run_again_on_resume(
    corpus: Path, seed: GoldArticle, tmp_path: Path
) -> None:
    out = tmp_path / "results.jsonl"
    a0, a1 = str(corpus / "a0.txt"), str(corpus / "a1.txt")
    with FakeChatServer([Reply.error(400, "Bad request")], default=seed.draft) as server:
        first = run(server, a0, "--out", str(out), "--concurrency", "1")
    assert first.exit_code == 1
    assert [r["ok"] for r in lines(out)] == [False]
    with FakeChatServer(default=seed.draft) as server:
        second = run(server, a0, a1, "--out", str(out))
        assert len(server.requests) == 2  # the failed a0 again, and a1
    assert second.exit_code == 0, second.stderr
    records = lines(out)
    assert sorted(r["id"] for r in records) == [a0, a1]  # the failure line is gone
    assert all(r["ok"] for r in records)


def test_a_quoted_glob_is_a_batch(corpus: Path, seed: GoldArticle) -> None:
    with FakeChatServer(default=seed.draft) as server:
        result = run(server, str(corpus / "a[01].txt"), "--quiet")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2


def test_an_unusable_results_path_is_a_usage_error(corpus: Path, seed: GoldArticle) -> None:
    with FakeChatServer(default=seed.draft) as server:
        result = run(server, str(corpus / "a0.txt"), "--out", str(corpus / "a1.txt" / "x.jsonl"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot use")
    assert "Traceback" not in result.stderr


def test_a_results_line_holding_a_unicode_line_separator_is_kept_on_resume(tmp_path: Path) -> None:
    """JSON allows U+2028 and U+0085 raw inside a string (a quote copied from a web page);
    str.splitlines() would cut the line there and drop a finished article on resume."""
    from minerals_summ.cli.output import open_results

    out = tmp_path / "results.jsonl"
    quote = "the scheme\u2028was approved\x85last week"
    line = json.dumps({"id": "a", "ok": True, "summary": {"summary": quote}}, ensure_ascii=False)
    out.write_text(line + "\n", encoding="utf-8")
    handle, done = open_results(out)
    handle.close()
    assert done == {"a"}
    assert out.read_text(encoding="utf-8") == line + "\n"
