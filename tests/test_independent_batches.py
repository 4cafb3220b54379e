"""``ProviderBatch`` against a second, independently written implementation of the Files and
Batch endpoints (:mod:`tests.independent_batches`), with faults: one outcome per article,
nothing twice, every invalid answer re-asked, resumable from a reopened state (the CLI:
``test_independent_batches_cli.py``)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any
from unittest.mock import Mock

import openai
import pytest

from minerals_summ import Article
from minerals_summ.exceptions import ProviderError
from minerals_summ.gold import GoldArticle
from minerals_summ.provider_batch import ProviderBatch, client
from minerals_summ.provider_batch.collect import Collector
from minerals_summ.provider_batch.state import Item
from tests.independent_batches import (
    MALFORMED,
    MISSING,
    UNREADABLE,
    Answer,
    Fails,
    IndependentBatchAPI,
)

MODEL = "gpt-4.1-mini"


def sdk(api: IndependentBatchAPI) -> openai.OpenAI:
    return openai.OpenAI(base_url=api.base_url, api_key="test-key", max_retries=0)


def corpus(seed: GoldArticle, n: int) -> list[Article]:
    return [
        Article(id=f"a{i}", text=f"{seed.text}\nRef {i}.", published="2025-09-09") for i in range(n)
    ]


def drafts(seed: GoldArticle) -> tuple[Answer, Answer]:
    """A valid answer, and one whose evidence quote is not in the article."""
    good = seed.draft.model_dump(mode="json")
    wrong = json.loads(json.dumps(good))
    wrong["agreements"][0]["evidence"] = ["a quote the article does not have"]
    return Answer(draft=good), Answer(draft=wrong)


def failures(outcomes: list[dict[str, Any]]) -> dict[str, str]:
    return {o["id"]: o["error"]["type"] for o in outcomes if not o["ok"]}


def sent_to(api: IndependentBatchAPI, custom_id: str) -> list[str]:
    """Where each request of ``custom_id`` went: a batch id, or ``live``."""
    return [where for where, _ in api.received.get(custom_id, [])]


def assert_re_asked(api: IndependentBatchAPI, custom_id: str, wrong: Answer) -> None:
    """The request after the invalid answer carries it back, with the problems."""
    bodies = [body for _, body in api.received[custom_id]]
    first, again = bodies[0], bodies[1]
    assert again["messages"][: len(first["messages"])] == first["messages"]
    said = json.dumps(again["messages"][len(first["messages"]) :])
    assert "a quote the article does not have" in said, said[:300]


def test_one_outcome_per_article_under_item_faults(seed: GoldArticle, tmp_path: Path) -> None:
    good, wrong = drafts(seed)
    with IndependentBatchAPI(default=good.draft or {}) as api:
        api.script("a1", wrong, good)  # re-asked once, then valid
        api.script("a2", wrong, wrong, wrong)  # every attempt invalid
        api.script("a3", Fails(400, "Invalid 'max_tokens'"))
        api.script("a4", Fails(422, "unprocessable", style="vllm"))
        api.script("a5", MISSING)
        api.script("a6", Fails(500), good)  # resubmitted, then valid
        api.script("a7", Answer(content="not json"), good)
        api.script("a8", Fails(503), Fails(502), Fails(500))  # resubmits used up
        api.script("a9", Fails(400, "only /v1/chat/completions", style="vllm-text"))
        articles = corpus(seed, 10)
        with ProviderBatch(tmp_path / "r.jsonl", client=sdk(api), cache=False) as run:
            run.prepare(articles, model=MODEL)
            [first] = run.submit()
            assert run.collect().outcomes == []  # still validating
            assert [(i.status, i.completed) for i in run.status()] == [("validating", 0)]
            api.run(first, 4)
            [info] = run.status()
            assert (info.status, info.completed + info.failed, info.requests) == (
                "in_progress",
                4,
                10,
            )
            assert run.collect().outcomes == []
            api.finalize(first)
            assert run.collect().outcomes == []  # finalizing: the files are not written yet
            assert run.status()[0].status == "finalizing"
            api.complete(first)
            tally = run.collect()
            assert (tally.reasked, tally.resubmitted) == (3, 2)
            assert run.collect().outcomes == []  # collecting again takes nothing twice
        for _ in range(2):  # each round from a reopened state, as another process would
            with ProviderBatch(tmp_path / "r.jsonl", client=sdk(api), cache=False) as run:
                assert api.complete_all()
                run.collect()
        with ProviderBatch(tmp_path / "r.jsonl", client=sdk(api), cache=False) as run:
            assert api.open_batches() == []
            assert run.collect().outcomes == []
            outcomes = run.outcomes()
            assert run.counts() == {"done": 4, "failed": 6}
    assert [o["id"] for o in outcomes] == [a.id for a in articles]
    assert failures(outcomes) == {
        "a2": "ExtractionError",
        "a3": "ItemRejected",
        "a4": "ItemRejected",
        "a5": "ItemMissing",
        "a8": "ItemRejected",
        "a9": "ItemRejected",
    }
    for custom_id in ("a1", "a2"):
        assert_re_asked(api, custom_id, wrong)
    assert len(sent_to(api, "a2")) == 3
    assert len(set(sent_to(api, "a6"))) == 2  # the 500's request went again in another batch
    said = {o["id"]: o["error"]["message"] for o in outcomes if not o["ok"]}
    assert "Invalid 'max_tokens'" in said["a3"]
    assert "unprocessable" in said["a4"]  # vllm's error object, beside a response without body
    assert "only /v1/chat/completions" in said["a9"]


@pytest.mark.parametrize("options", [{"mode": "json_schema"}, {"mode": "json"}], ids=str)
def test_every_mode_takes_the_other_servers_answers(
    seed: GoldArticle, tmp_path: Path, options: dict[str, Any]
) -> None:
    good, wrong = drafts(seed)
    with (
        IndependentBatchAPI(default=good.draft or {}) as api,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(api), cache=False) as run,
    ):
        api.script("a0", wrong)
        run.prepare(corpus(seed, 2), model=MODEL, **options)
        run.submit()
        for _ in range(2):
            api.complete_all()
            run.collect()
        assert run.counts() == {"done": 2}
    assert_re_asked(api, "a0", wrong)


def test_a_malformed_line_is_resubmitted_not_lost(seed: GoldArticle, tmp_path: Path) -> None:
    good, _ = drafts(seed)
    with (
        IndependentBatchAPI(default=good.draft or {}) as api,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(api), cache=False) as run,
    ):
        api.script("a0", MALFORMED)
        api.script("a1", MALFORMED, MALFORMED, MALFORMED)
        api.script("a2", UNREADABLE)  # cut before its custom_id: no line for it, as far as known
        run.prepare(corpus(seed, 4), model=MODEL)
        run.submit()
        for _ in range(3):
            api.complete_all()
            tally = run.collect()
        assert tally.malformed == 1
        outcomes = run.outcomes()
    assert failures(outcomes) == {"a1": "ItemMissing", "a2": "ItemMissing"}
    said = {o["id"]: o["error"]["message"] for o in outcomes if not o["ok"]}
    assert "unreadable result line" in said["a1"]
    assert "resubmitted 2 time(s)" in said["a1"]
    assert "without a result" in said["a2"]
    assert [len(sent_to(api, f"a{i}")) for i in range(4)] == [2, 3, 1, 1]


def test_an_answer_without_a_status_code_is_an_answer(seed: GoldArticle, tmp_path: Path) -> None:
    good, wrong = drafts(seed)
    with (
        IndependentBatchAPI(default=good.draft or {}) as api,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(api), cache=False) as run,
    ):
        api.script("a0", Answer(draft=good.draft, status=None))
        api.script("a1", Answer(draft=wrong.draft, status=None))
        run.prepare(corpus(seed, 2), model=MODEL)
        run.submit()
        api.complete_all()
        tally = run.collect()
        assert (tally.succeeded, tally.reasked, tally.resubmitted) == (1, 1, 0)
        api.complete_all()
        run.collect()
        assert run.counts() == {"done": 2}
    assert_re_asked(api, "a1", wrong)


def test_results_are_resubmitted_as_a_live_call_retries(seed: GoldArticle, tmp_path: Path) -> None:
    good, _ = drafts(seed)
    quota = Fails(429, "You exceeded your current quota", code="insufficient_quota")
    with (
        IndependentBatchAPI(default=good.draft or {}) as api,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(api), cache=False) as run,
    ):
        api.script("a0", Fails(408, "Request timed out"))
        api.script("a1", Fails(409, "Conflict"))
        api.script("a2", quota)  # out of credit: sending again will not help
        api.script("a3", Fails(400, "Invalid 'messages'"))
        run.prepare(corpus(seed, 4), model=MODEL)
        run.submit()
        api.complete_all()
        assert run.collect().resubmitted == 2
        api.complete_all()
        run.collect()
        outcomes = run.outcomes()
    assert failures(outcomes) == {"a2": "ItemRejected", "a3": "ItemRejected"}
    assert [len(sent_to(api, f"a{i}")) for i in range(4)] == [2, 2, 1, 1]


@pytest.mark.parametrize("undone_lines", [True, False], ids=["expired-lines", "no-lines"])
def test_an_expired_batch_keeps_its_answers_and_resubmits_the_rest(
    seed: GoldArticle, tmp_path: Path, undone_lines: bool
) -> None:
    good, wrong = drafts(seed)
    with (
        IndependentBatchAPI(default=good.draft or {}) as api,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(api), cache=False) as run,
    ):
        for i in range(6):
            api.script(f"a{i}", wrong)  # whatever runs first is invalid
        run.prepare(corpus(seed, 6), model=MODEL)
        [first] = run.submit()
        api.expire(first, ran=2, undone_lines=undone_lines)
        tally = run.collect()
        assert (tally.reasked, tally.resubmitted) == (2, 4)
        [second] = api.open_batches()
        assert sorted(api.custom_ids(second)) == [f"a{i}" for i in range(6)]
        api.complete(second)
        run.collect()
        api.complete_all()
        run.collect()
        assert run.counts() == {"done": 6}
    ran_first = [c for c in (f"a{i}" for i in range(6)) if sent_to(api, c)[0] == first]
    assert len(ran_first) == 2
    for custom_id in (f"a{i}" for i in range(6)):
        assert_re_asked(api, custom_id, wrong)


def test_a_failed_batch_ends_its_items_with_the_providers_errors(
    seed: GoldArticle, tmp_path: Path
) -> None:
    good, _ = drafts(seed)
    with (
        IndependentBatchAPI(default=good.draft or {}) as api,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(api), cache=False) as run,
    ):
        run.prepare(corpus(seed, 3), model=MODEL)
        [batch_id] = run.submit()
        api.fail(batch_id, [{"code": "model_not_found", "message": "no such model", "line": 2}])
        run.collect()
        run.collect()
        outcomes = run.outcomes()
    assert failures(outcomes) == {f"a{i}": "BatchFailed" for i in range(3)}
    assert all("no such model" in o["error"]["message"] for o in outcomes)


@pytest.mark.parametrize("undone_lines", [True, False], ids=["cancelled-lines", "no-lines"])
def test_a_cancelled_batch_keeps_what_ran_and_re_asks_its_invalid_answers(
    seed: GoldArticle, tmp_path: Path, undone_lines: bool
) -> None:
    good, wrong = drafts(seed)
    with (
        IndependentBatchAPI(default=good.draft or {}) as api,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(api), cache=False) as run,
    ):
        api.script("a0", wrong)
        run.prepare(corpus(seed, 4), model=MODEL)
        [batch_id] = run.submit()
        api.run(batch_id, 0)
        assert sdk(api).batches.cancel(batch_id).status == "cancelling"
        assert run.collect().outcomes == []  # not over while cancelling
        api.settle_cancel(batch_id, ran=2, undone_lines=undone_lines)  # a0 and a1 finished
        run.collect()
        api.complete_all()
        run.collect()
        outcomes = run.outcomes()
    assert failures(outcomes) == {"a2": "BatchCancelled", "a3": "BatchCancelled"}
    assert_re_asked(api, "a0", wrong)


def test_a_lost_create_reply_is_found_again_across_pages(seed: GoldArticle, tmp_path: Path) -> None:
    good, _ = drafts(seed)
    with IndependentBatchAPI(default=good.draft or {}) as api:
        with ProviderBatch(tmp_path / "r.jsonl", client=sdk(api), cache=False) as run:
            run.prepare(corpus(seed, 5), model=MODEL)
            api.lose_next_create = True
            with pytest.raises(ProviderError, match="500"):
                run.submit(max_requests=2)
        for _ in range(7):  # other batches, newer, so the lost one is on a later page
            file = sdk(api).files.create(file=("x.jsonl", b""), purpose="batch")
            sdk(api).batches.create(
                input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h"
            )
        with ProviderBatch(tmp_path / "r.jsonl", client=sdk(api), cache=False) as run:
            created = run.submit(max_requests=2)
            assert len(created) == 3
            ours = set(created)
            assert len([b for b in api.batches if b not in ours]) == 7
            for batch_id in created:
                api.complete(batch_id)
            run.collect()
            assert run.counts() == {"done": 5}
    assert Counter(len(sent_to(api, f"a{i}")) for i in range(5)) == {1: 5}


def test_a_run_killed_mid_collect_resumes_from_its_state(
    seed: GoldArticle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, wrong = drafts(seed)
    ids = [f"a{i}" for i in range(6)]
    results = tmp_path / "r.jsonl"
    with IndependentBatchAPI(default=good.draft or {}) as api:
        for custom_id in ids:
            api.script(custom_id, wrong)  # every first answer is re-asked
        with ProviderBatch(results, client=sdk(api), cache=False) as run:
            run.prepare(corpus(seed, 6), model=MODEL)
            [first] = run.submit()
        api.complete(first)
        taken: list[str] = []
        answered = Collector.answered

        def killed_at_the_fourth(self: Collector, item: Item, body: Any, batch_id: str) -> None:
            taken.append(item.custom_id)
            if len(taken) == 4:
                raise KeyboardInterrupt
            answered(self, item, body, batch_id)

        with monkeypatch.context() as patch:
            patch.setattr(Collector, "answered", killed_at_the_fourth)
            with (
                ProviderBatch(results, client=sdk(api), cache=False) as run,
                pytest.raises(KeyboardInterrupt),
            ):
                run.collect()
        with monkeypatch.context() as patch:  # killed again, while creating the follow-up
            patch.setattr(client, "create_batch", Mock(side_effect=KeyboardInterrupt))
            with (
                ProviderBatch(results, client=sdk(api), cache=False) as run,
                pytest.raises(KeyboardInterrupt),
            ):
                run.collect()
        assert api.open_batches() == []
        with ProviderBatch(results, client=sdk(api), cache=False) as run:
            run.collect()
            [second] = api.open_batches()
            assert sorted(api.custom_ids(second)) == ids
            api.complete(second)
            run.collect()
            assert run.collect().outcomes == []
            assert run.counts() == {"done": 6}
            outcomes = run.outcomes()
    assert [o["id"] for o in outcomes] == ids
    for custom_id in ids:
        assert sent_to(api, custom_id) == [first, second]
        assert_re_asked(api, custom_id, wrong)
