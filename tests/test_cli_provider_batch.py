"""`minerals-summ batch prepare|submit|status|collect` against the fake batch endpoints."""

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
    for i in range(3):
        (folder / f"a{i}.txt").write_text(f"{seed.text}\nRef {i}.", encoding="utf-8")
    (folder / "empty.txt").write_text("   ", encoding="utf-8")
    return folder


def batch(server: FakeChatServer | None, *args: str) -> Any:
    env = {"OPENAI_API_KEY": "test-key", "OPENAI_BASE_URL": None, "MINERALS_SUMM_CACHE": None}
    base = ["--base-url", server.base_url] if server is not None else []
    return CliRunner().invoke(cli, ["batch", *args, *base], env=env)


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_prepare_submit_status_collect(corpus: Path, tmp_path: Path, seed: GoldArticle) -> None:
    out = tmp_path / "results.jsonl"
    prepared = CliRunner().invoke(
        cli,
        [
            "batch",
            "prepare",
            str(corpus),
            "--out",
            str(out),
            "--model",
            "gpt-4.1-mini",
            "--no-cache",
        ],
        env={"OPENAI_API_KEY": "test-key"},
    )
    assert prepared.exit_code == 0, prepared.output
    requests = lines(tmp_path / "results.requests.jsonl")
    assert [r["custom_id"] for r in requests] == [str(corpus / f"a{i}.txt") for i in range(3)]
    assert [line["error"]["type"] for line in lines(out)] == ["InputError"]  # the empty file
    with FakeChatServer(default=seed.draft, auto_batches=True) as server:
        server.batches.script(str(corpus / "a1.txt"), Reply.content("not json"), seed.draft)
        submitted = batch(server, "submit", "--out", str(out))
        assert submitted.exit_code == 0, submitted.output
        assert submitted.stdout.strip().startswith("batch_")
        status = batch(server, "status", "--out", str(out))
        assert "in_progress" in status.stdout
        first = batch(server, "collect", "--out", str(out), "--no-cache")
        assert "2 succeeded" in first.stderr
        assert "1 re-asked" in first.stderr
        assert "$" in first.stderr  # the cost, with and without the batch discount
        batch(server, "status", "--out", str(out))  # the follow-up batch: in progress
        second = batch(server, "collect", "--out", str(out), "--no-cache")
        assert "1 succeeded" in second.stderr
        again = batch(server, "collect", "--out", str(out), "--no-cache")
        assert "0 succeeded" in again.stderr
    results = lines(out)
    assert sorted(line["id"] for line in results) == sorted(
        str(corpus / name) for name in ("a0.txt", "a1.txt", "a2.txt", "empty.txt")
    )
    assert second.exit_code == 1  # the empty article failed
    assert sum(line["ok"] for line in results) == 3


def test_collect_an_output_file_then_finish_live(
    corpus: Path, tmp_path: Path, seed: GoldArticle
) -> None:
    out = tmp_path / "results.jsonl"
    batch(None, "prepare", str(corpus / "a0.txt"), "--out", str(out), "--model", "m", "--no-cache")
    message = {"role": "assistant", "content": "not json"}
    answer = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 2000, "completion_tokens": 2, "total_tokens": 2002},
    }
    response = {"status_code": 200, "request_id": "r", "body": answer}
    item = {"id": "x", "custom_id": str(corpus / "a0.txt"), "response": response, "error": None}
    output = tmp_path / "vllm-output.jsonl"
    output.write_text(json.dumps(item) + "\n{not json\n", encoding="utf-8")
    with FakeChatServer([seed.draft]) as server:
        result = batch(
            server,
            "collect",
            "--out",
            str(out),
            "--output-file",
            str(output),
            "--finish-live",
            "--no-cache",
        )
    assert result.exit_code == 0, result.output
    assert "1 malformed line" in result.stderr
    [line] = lines(out)
    assert line["ok"]
    assert line["summary"]["provenance"]["attempts"] == 2


def test_a_step_before_prepare_says_what_to_do(tmp_path: Path) -> None:
    result = batch(None, "submit", "--out", str(tmp_path / "results.jsonl"))
    assert result.exit_code == 2
    assert "run prepare first" in result.stderr
