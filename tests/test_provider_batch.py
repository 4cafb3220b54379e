"""The provider batch workflow against the fake /v1/files and /v1/batches, driven by the real
openai client: the same requests and checks as live calls, one outcome per article, resumable."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import openai
import pytest

from minerals_summ import Article, ExtractionError, summarise, summarise_many
from minerals_summ.cache import SummaryCache
from minerals_summ.gold import GoldArticle
from minerals_summ.provider_batch import ProviderBatch, state_path
from minerals_summ.provider_batch.requests import chunks, request_line
from minerals_summ.testing import FakeChatServer, Reply

MODES: list[dict[str, Any]] = [
    {"mode": "tools"},
    {"mode": "json_schema"},
    {"mode": "json"},
    {"mode": "json", "json_object_schema": True},
]
IDS = ["tools", "json_schema", "json", "json+schema"]


def sdk(server: FakeChatServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="test-key", max_retries=0)


def corpus(seed: GoldArticle, n: int) -> list[Article]:
    return [
        Article(id=f"a{i}", text=f"{seed.text}\nRef {i}.", published="2025-09-09") for i in range(n)
    ]


def only_batch(run: ProviderBatch) -> str:
    [info] = [i for i in run.status(refresh=False) if not i.collected]
    assert info.batch_id is not None
    return info.batch_id


def failures(run: ProviderBatch) -> dict[str, str]:
    return {o["id"]: o["error"]["type"] for o in run.outcomes() if not o["ok"]}


@pytest.mark.parametrize("options", MODES, ids=IDS)
def test_the_prepared_body_is_the_body_a_live_call_sends(
    seed: GoldArticle, tmp_path: Path, options: dict[str, Any]
) -> None:
    with FakeChatServer(default=seed.draft) as server:
        summarise(seed.text, published="2025-09-09", client=sdk(server), model="m", **options)
        live = server.requests[0].body
    with ProviderBatch(tmp_path / "r.jsonl", cache=False) as run:
        run.prepare([Article(id="x", text=seed.text, published="2025-09-09")], model="m", **options)
        run.write_requests(tmp_path / "requests.jsonl")
    [line] = (tmp_path / "requests.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line) == {
        "custom_id": "x",
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": live,
    }


@pytest.mark.parametrize("options", MODES, ids=IDS)
def test_the_re_ask_round_carries_the_messages_of_a_live_re_ask(
    seed: GoldArticle, tmp_path: Path, options: dict[str, Any]
) -> None:
    wrong = seed.draft.model_dump(mode="json")
    wrong["agreements"][0]["evidence"] = ["a quote the article does not have"]
    with FakeChatServer([wrong], default=seed.draft) as server:
        summarise(seed.text, published="2025-09-09", client=sdk(server), model="m", **options)
        first = server.requests[0].body
    with FakeChatServer([wrong]) as server:  # one invalid answer, kept to be sent verbatim
        raw = sdk(server).chat.completions.with_raw_response.create(**first)
        answer = Reply.raw(200, raw.http_response.json())
    with FakeChatServer([answer, seed.draft]) as server:
        summarise(seed.text, published="2025-09-09", client=sdk(server), model="m", **options)
        live_re_ask = server.requests[1].body
    assert live_re_ask["messages"][:2] == first["messages"]
    with (
        FakeChatServer() as server,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(server), cache=False) as run,
    ):
        server.batches.script("x", answer, seed.draft)
        run.prepare([Article(id="x", text=seed.text, published="2025-09-09")], model="m", **options)
        [first_batch] = run.submit()
        server.batches.complete(first_batch)
        tally = run.collect()
        assert tally.reasked == 1
        second = only_batch(run)
        [request] = server.batches.requests_of(second)
        assert request["body"] == live_re_ask
        server.batches.complete(second)
        tally = run.collect()
    assert tally.succeeded == 1
    [outcome] = run.outcomes()
    assert outcome["summary"]["provenance"]["attempts"] == 2
    assert outcome["summary"]["provenance"]["batch_id"] == second


def test_every_article_ends_as_one_outcome_under_faults(seed: GoldArticle, tmp_path: Path) -> None:
    articles = corpus(seed, 12)
    invalid = Reply.content("not json")
    with (
        FakeChatServer(default=seed.draft) as server,
        ProviderBatch(
            tmp_path / "r.jsonl", client=sdk(server), cache=False, max_resubmits=1
        ) as run,
    ):
        server.batches.script("a0", Reply.error(400, "Invalid 'messages': too long"))
        server.batches.script("a1", invalid, seed.draft)  # re-asked, then valid
        server.batches.script("a2", invalid, invalid, invalid)  # attempts exhausted
        server.batches.script("a3", Reply.server_error(503), seed.draft)  # resubmitted
        server.batches.script("a4", Reply.refusal())
        run.prepare(articles, model="m")
        [first] = run.submit()
        server.batches.complete(first, missing={"a5"}, malformed={"a6"})
        tally = run.collect()
        assert tally.malformed == 1
        assert tally.reasked == 2
        assert tally.resubmitted == 2  # the 503, and the unreadable line
        second = only_batch(run)
        sent = {r["custom_id"] for r in server.batches.requests_of(second)}
        assert sent == {"a1", "a2", "a3", "a6"}
        server.batches.expire(second, undone={"a3"})  # finished items are kept
        run.collect()
        third = only_batch(run)
        assert {r["custom_id"] for r in server.batches.requests_of(third)} == {"a2"}
        server.batches.complete(third)
        run.collect()
        assert run.collect().outcomes == []  # nothing left, nothing twice
        outcomes = run.outcomes()
    assert [o["id"] for o in outcomes] == [a.id for a in articles]
    assert failures(run) == {
        "a0": "ItemRejected",
        "a2": "ExtractionError",
        "a3": "BatchExpired",  # undone at expiry, its one resubmit used on the 503
        "a4": "ModelRefusal",
        "a5": "ItemMissing",
    }
    assert run.counts() == {"done": 7, "failed": 5}


def test_an_expired_batch_resubmits_the_undone_items(seed: GoldArticle, tmp_path: Path) -> None:
    with (
        FakeChatServer(default=seed.draft) as server,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(server), cache=False) as run,
    ):
        run.prepare(corpus(seed, 4), model="m")
        [first] = run.submit()
        server.batches.expire(first, undone={"a1", "a3"})
        tally = run.collect()
        assert (tally.succeeded, tally.resubmitted) == (2, 2)
        second = only_batch(run)
        assert sorted(r["custom_id"] for r in server.batches.requests_of(second)) == ["a1", "a3"]
        server.batches.complete(second)
        run.collect()
    assert run.counts() == {"done": 4}


@pytest.mark.parametrize("how", ["failed", "cancelled"])
def test_a_failed_or_cancelled_batch_ends_its_items(
    seed: GoldArticle, tmp_path: Path, how: str
) -> None:
    with (
        FakeChatServer(default=seed.draft) as server,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(server), cache=False) as run,
    ):
        run.prepare(corpus(seed, 3), model="m")
        [batch_id] = run.submit()
        if how == "failed":
            server.batches.fail(batch_id, "line 2: the model does not exist")
        else:
            assert sdk(server).batches.cancel(batch_id).status == "cancelling"
            server.batches.cancel(batch_id, done={"a1"})  # a1 ran before it stopped
        run.collect()
    expected = "BatchFailed" if how == "failed" else "BatchCancelled"
    assert failures(run) == {"a0": expected, "a2": expected} | (
        {"a1": expected} if how == "failed" else {}
    )
    if how == "failed":
        assert "the model does not exist" in run.outcomes()[0]["error"]["message"]


def test_the_fake_fails_a_batch_whose_file_does_not_validate(tmp_path: Path) -> None:
    line = request_line("same", {"model": "m", "messages": []})
    with FakeChatServer(default={"summary": "s"}) as server:
        client = sdk(server)
        file = client.files.create(file=("in.jsonl", line + line), purpose="batch")
        batch = client.batches.create(
            input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        server.batches.start(batch.id)
        failed = client.batches.retrieve(batch.id)
    assert failed.status == "failed"
    assert failed.errors is not None
    assert failed.errors.data
    assert failed.errors.data[0].line == 2


def test_status_follows_the_batch_through_its_states(seed: GoldArticle, tmp_path: Path) -> None:
    with (
        FakeChatServer(default=seed.draft, auto_batches=True) as server,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(server), cache=False) as run,
    ):
        run.prepare(corpus(seed, 2), model="m")
        run.submit()
        seen = [run.status()[0].status for _ in range(3)]
    assert seen == ["in_progress", "completed", "completed"]


def test_collect_twice_and_reopened_state_neither_duplicate_nor_lose(
    seed: GoldArticle, tmp_path: Path
) -> None:
    out = tmp_path / "r.jsonl"
    lines: list[dict[str, Any]] = []
    with FakeChatServer(default=seed.draft) as server:
        with ProviderBatch(out, client=sdk(server), cache=False) as run:
            run.prepare(corpus(seed, 5), model="m")
            run.prepare(corpus(seed, 6), model="m")  # the five again, and one more
            [batch_id] = run.submit()
            assert run.submit() == []  # nothing pending
        server.batches.complete(batch_id)
        for _ in range(2):  # a new process each time
            with ProviderBatch(out, client=sdk(server), cache=False) as run:
                run.collect()
                run.deliver(lines.append)
    assert sorted(Counter(o["id"] for o in lines).values()) == [1] * 6
    assert state_path(out).exists()


def test_a_batch_created_but_not_recorded_is_found_again(
    seed: GoldArticle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minerals_summ.provider_batch import job

    with (
        FakeChatServer(default=seed.draft) as server,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(server), cache=False) as run,
    ):
        run.prepare(corpus(seed, 3), model="m")
        real = job.api.create_batch

        def dies_after_creating(*args: Any) -> Any:
            real(*args)
            raise KeyboardInterrupt  # the process is killed before it records the batch

        monkeypatch.setattr(job.api, "create_batch", dies_after_creating)
        with pytest.raises(KeyboardInterrupt):
            run.submit()
        monkeypatch.undo()
        [found] = run.submit()
        assert len(server.batches.batches) == 1  # not created twice
        server.batches.complete(found)
        run.collect()
    assert run.counts() == {"done": 3}


def test_corpora_are_split_past_the_limits(seed: GoldArticle, tmp_path: Path) -> None:
    with (
        FakeChatServer(default=seed.draft) as server,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(server), cache=False) as run,
    ):
        run.prepare(corpus(seed, 7), model="m")
        created = run.submit(max_requests=3)
        assert [len(server.batches.requests_of(b)) for b in created] == [3, 3, 1]
    lines = [(str(i), b"x" * 40 + b"\n") for i in range(5)]
    assert [len(c) for c in chunks(lines, max_bytes=100)] == [2, 2, 1]
    with pytest.raises(ValueError, match="alone is over"):
        list(chunks([("big", b"x" * 200)], max_bytes=100))


def test_results_land_in_the_cache_live_batches_use(seed: GoldArticle, tmp_path: Path) -> None:
    cache = SummaryCache(tmp_path / "cache.sqlite")
    articles = corpus(seed, 3)
    with FakeChatServer(default=seed.draft) as server:  # the cache is keyed by the endpoint
        with ProviderBatch(tmp_path / "r.jsonl", client=sdk(server), cache=cache) as run:
            run.prepare(articles, model="m")
            [batch_id] = run.submit()
            server.batches.complete(batch_id)
            run.collect()
        before = server.request_count  # every article must now come from the cache
        outcomes = summarise_many(articles, client=sdk(server), model="m", cache=cache)
        assert server.request_count == before
        with ProviderBatch(tmp_path / "again.jsonl", client=sdk(server), cache=cache) as run:
            tally = run.prepare(articles, model="m")  # prepared from the cache
    assert all(o.cached and o.summary is not None for o in outcomes)
    provenance = outcomes[0].summary.provenance if outcomes[0].summary else None
    assert provenance is not None
    assert provenance.batch_id == batch_id
    assert tally.succeeded == 3
    assert run.counts() == {"done": 3}


def test_finish_live_re_asks_through_live_calls(seed: GoldArticle, tmp_path: Path) -> None:
    with (
        FakeChatServer([seed.draft]) as server,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(server), cache=False) as run,
    ):
        server.batches.script("a0", Reply.content("not json"))
        run.prepare(corpus(seed, 1), model="m")
        [batch_id] = run.submit()
        server.batches.complete(batch_id)
        run.collect(finish_live=True)
        live = [r for r in server.requests if r.path.endswith("/chat/completions")]
    assert len(live) == 1
    assert live[0].messages[-1]["role"] == "user"
    assert "not json" in json.dumps(live[0].messages)
    [outcome] = run.outcomes()
    assert outcome["ok"]
    assert outcome["summary"]["provenance"]["batch_id"] is None
    costs = run.costs()
    assert costs.batch_usage.total_tokens > 0
    assert costs.usage.total_tokens > costs.batch_usage.total_tokens


def test_an_output_file_made_elsewhere_is_collected(seed: GoldArticle, tmp_path: Path) -> None:
    """The vLLM route: run the prepared file elsewhere, collect its output file."""
    requests = tmp_path / "requests.jsonl"
    with ProviderBatch(tmp_path / "r.jsonl", cache=False) as run:
        run.prepare(corpus(seed, 3), model="m", requests_file=requests)
    with FakeChatServer(default=seed.draft) as server:  # stands in for `vllm run-batch`
        server.batches.script("a1", Reply.content("not json"))
        client = sdk(server)
        file = client.files.create(file=requests, purpose="batch")
        batch = client.batches.create(
            input_file_id=file.id, endpoint="/v1/chat/completions", completion_window="24h"
        )
        server.batches.complete(batch.id)
        output = client.batches.retrieve(batch.id).output_file_id
        assert output is not None
        (tmp_path / "out.jsonl").write_bytes(client.files.content(output).content)
    with ProviderBatch(tmp_path / "r.jsonl", cache=False) as run:
        tally = run.collect(output_files=[tmp_path / "out.jsonl"])
        assert (tally.succeeded, tally.reasked) == (2, 1)
        assert run.collect(output_files=[tmp_path / "out.jsonl"]).ignored == 3
        assert run.write_requests(tmp_path / "round2.jsonl") == 1
    [line] = (tmp_path / "round2.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["custom_id"] == "a1"


def test_an_unsendable_article_fails_at_prepare(seed: GoldArticle, tmp_path: Path) -> None:
    with ProviderBatch(tmp_path / "r.jsonl", cache=False) as run:
        tally = run.prepare([Article(id="empty", text="  "), *corpus(seed, 1)], model="m")
    assert tally.failed == {"InputError": 1}
    assert failures(run) == {"empty": "InputError"}
    assert run.counts() == {"failed": 1, "pending": 1}


def test_a_state_of_another_configuration_is_refused(seed: GoldArticle, tmp_path: Path) -> None:
    from minerals_summ import ConfigurationError

    with ProviderBatch(tmp_path / "r.jsonl", cache=False) as run:
        run.prepare(corpus(seed, 1), model="m")
        with pytest.raises(ConfigurationError, match="another configuration"):
            run.prepare(corpus(seed, 2), model="other")
        run.state.set_meta({"prompt_version": "1+00000000"})  # prepared by another library
        run._config = None
        with pytest.raises(ConfigurationError, match="prepared with prompt_version 1"):
            run.submit()
    with (
        ProviderBatch(tmp_path / "new.jsonl", cache=False) as run,
        pytest.raises(ConfigurationError, match="prepare first"),
    ):
        run.submit()


def test_attempts_exhausted_keep_every_attempt(seed: GoldArticle, tmp_path: Path) -> None:
    with (
        FakeChatServer(default=Reply.content("not json")) as server,
        ProviderBatch(tmp_path / "r.jsonl", client=sdk(server), cache=False) as run,
    ):
        run.prepare(corpus(seed, 1), model="m", max_attempts=2)
        for _ in range(2):
            server.batches.complete(run.submit()[0])
            tally = run.collect(resubmit=False)
    [error] = [o.error for o in tally.outcomes]
    assert isinstance(error, ExtractionError)
    assert len(error.attempts) == 2


def test_transient_results_are_resubmitted_then_rejected(
    seed: GoldArticle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minerals_summ.provider_batch import collect

    with (
        FakeChatServer(default=seed.draft) as server,
        ProviderBatch(
            tmp_path / "r.jsonl", client=sdk(server), cache=False, max_resubmits=1
        ) as run,
    ):
        server.batches.script("a0", Reply.rate_limited(), Reply.rate_limited())
        run.prepare(corpus(seed, 3), model="m")
        [first] = run.submit()
        server.batches.complete(first)
        real = collect.check_answers

        def breaks_on_a2(config: Any, text: str, *args: Any, **kwargs: Any) -> Any:
            if text.endswith("Ref 2."):
                raise ZeroDivisionError("a bug")
            return real(config, text, *args, **kwargs)

        monkeypatch.setattr(collect, "check_answers", breaks_on_a2)
        assert run.collect().resubmitted == 1
        server.batches.complete(only_batch(run))
        run.collect()
    errors = {o["id"]: o["error"] for o in run.outcomes() if not o["ok"]}
    assert errors["a0"]["type"] == "ItemRejected"
    assert "429" in errors["a0"]["message"]
    assert "after 1 resubmit" in errors["a0"]["message"]
    assert errors["a2"] == {"type": "RunError", "message": "unexpected ZeroDivisionError: a bug"}
    assert run.counts() == {"done": 1, "failed": 2}


def test_items_are_read_in_pages_that_updates_do_not_disturb(tmp_path: Path) -> None:
    from minerals_summ.provider_batch.state import State

    state = State(tmp_path / "s.sqlite")
    rows = [
        {
            "custom_id": f"i{n}",
            "seq": n,
            "path": None,
            "sha256": "",
            "text": "t",
            "published": None,
            "status": "pending",
            "request": {"n": n},
            "outcome": None,
        }
        for n in range(7)
    ]
    state.add_items(rows)
    seen = []
    for item in state.items("pending", page=2):
        seen.append(item.custom_id)
        state.update_item(item.custom_id, status="submitted")  # leaves the filter as it goes
    assert seen == [f"i{n}" for n in range(7)]
    assert state.counts() == {"submitted": 7}
