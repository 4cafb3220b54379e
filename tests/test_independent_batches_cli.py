"""``minerals-summ batch prepare|submit|status|collect`` against the independently written batch
endpoints (:mod:`tests.independent_batches`), each command a fresh process's worth of state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from minerals_summ import Article
from minerals_summ.cli import cli
from minerals_summ.cli.provider_batch import _deliver
from minerals_summ.gold import GoldArticle
from minerals_summ.provider_batch import ProviderBatch
from tests.independent_batches import Fails, IndependentBatchAPI
from tests.test_independent_batches import MODEL, assert_re_asked, drafts, failures, sent_to


def batch_cli(api: IndependentBatchAPI, *args: str) -> Any:
    env = {"OPENAI_API_KEY": "test-key", "OPENAI_BASE_URL": None, "MINERALS_SUMM_CACHE": None}
    return CliRunner().invoke(cli, ["batch", *args, "--base-url", api.base_url], env=env)


def test_the_cli_run_ends_one_line_per_article(seed: GoldArticle, tmp_path: Path) -> None:
    good, wrong = drafts(seed)
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(5):
        (folder / f"a{i}.txt").write_text(f"{seed.text}\nRef {i}.", encoding="utf-8")
    ids = [str(folder / f"a{i}.txt") for i in range(5)]
    out = tmp_path / "results.jsonl"
    prepared = CliRunner().invoke(
        cli,
        ["batch", "prepare", str(folder), "--out", str(out), "--model", MODEL, "--no-cache"],
        env={"OPENAI_API_KEY": "test-key"},
    )
    assert prepared.exit_code == 0, prepared.output
    with IndependentBatchAPI(default=good.draft or {}, bom=True) as api:
        api.script(ids[0], wrong, wrong)  # re-asked in a batch, then live
        api.script(ids[1], Fails(404, "model gone"))
        api.script(ids[2], wrong, good)
        submitted = batch_cli(api, "submit", "--out", str(out))
        assert submitted.exit_code == 0, submitted.output
        [first] = api.open_batches()
        api.complete(first)
        status = batch_cli(api, "status", "--out", str(out))
        assert "completed" in status.output, status.output
        assert "5/5" in status.output, status.output
        for _ in range(2):  # the second collect takes nothing
            collected = batch_cli(api, "collect", "--out", str(out), "--no-cache")
            assert collected.exit_code == 1, collected.output  # one article failed
        [second] = api.open_batches()
        assert sorted(api.custom_ids(second)) == [ids[0], ids[2]]
        api.complete(second)
        live = batch_cli(api, "collect", "--out", str(out), "--no-cache", "--finish-live")
        assert live.exit_code == 1, live.output
        again = batch_cli(api, "collect", "--out", str(out), "--no-cache", "--finish-live")
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(ids)
    assert failures(lines) == {ids[1]: "ItemRejected"}
    assert sent_to(api, ids[0]) == [first, second, "live"]
    assert_re_asked(api, ids[0], wrong)
    assert_re_asked(api, ids[2], wrong)
    assert "0 waiting" in again.output


def test_an_interrupted_delivery_is_not_written_twice(tmp_path: Path) -> None:
    """A results line may hold U+2028 raw (a quote from an article): it is still one line."""
    out = tmp_path / "results.jsonl"
    with ProviderBatch(out, cache=False) as run:
        run.prepare([Article(id="empty", text="   ")], model=MODEL)  # fails at once
        [outcome] = run.outcomes()
        line = {**outcome, "note": "a quote\u2028across a line separator"}
        out.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
        assert _deliver(run, out) == 0  # written before the run was interrupted
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").split("\n") if line] == [
        "empty"
    ]
