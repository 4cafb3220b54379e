"""Seed-article cassettes through the public API: reference answers written by hand.

Each answer is written by hand in OpenAI's wire format (the gold draft, or a scripted fault) and
served by FakeChatServer over real loopback HTTP; vcrpy records that traffic. On replay (CI) the
server receives nothing and the cassette answers. Re-record with `make record`.
"""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest

from minerals_summ import (
    ExtractionError,
    ModelRefusal,
    OutputTruncated,
    RetryPolicy,
    summarise,
)
from minerals_summ.config import DEFAULT_MODEL
from minerals_summ.gold import GoldArticle, load_gold_set
from minerals_summ.testing import FakeChatServer, Reply
from tests.conftest import SEEDS, Recording
from tests.test_seed_gold import comparable

PUBLISHED = "2025-09-09"


def run(
    recording: Recording,
    seed: GoldArticle,
    script: list[Any],
    *,
    scenario: str,
    mode: str = "tools",
    **options: Any,
) -> Any:
    recording.claim(
        "reference",
        article=seed.text,
        mode=mode,
        model=DEFAULT_MODEL,
        scenario=scenario,
        published=PUBLISHED,
    )
    with FakeChatServer(script) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test-key")
        return summarise(
            seed.text, published=PUBLISHED, client=client, model=DEFAULT_MODEL, mode=mode, **options
        )


def request_bodies(recording: Recording) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in recording.cassette.requests]


@pytest.mark.vcr
@pytest.mark.parametrize("mode", ["tools", "json_schema", "json"])
def test_clean_answer(recording: Recording, seed: GoldArticle, mode: str) -> None:
    summary = run(recording, seed, [seed.draft], scenario="clean", mode=mode)
    assert comparable(summary) == comparable(seed.summary)
    assert len(recording.cassette.requests) == 1


@pytest.mark.vcr
def test_invented_quote_then_corrected(recording: Recording, seed: GoldArticle) -> None:
    wrong = seed.draft.model_dump(mode="json")
    wrong["agreements"][0]["evidence"][0] = "US Strategic Metals will invest $500 million"
    summary = run(recording, seed, [wrong, seed.draft], scenario="reask")
    assert comparable(summary) == comparable(seed.summary)
    first, second = request_bodies(recording)
    reask = second["messages"][-1]["content"]
    assert "'US Strategic Metals will invest $500 million' is not in the article" in reask
    assert len(second["messages"]) == len(first["messages"]) + 2  # the answer, then the re-ask
    assert summary.provenance.attempts == 2


@pytest.mark.vcr
def test_refusal(recording: Recording, seed: GoldArticle) -> None:
    refusal = "I'm sorry, but I can't help with that request."
    with pytest.raises(ModelRefusal) as info:
        run(recording, seed, [Reply.refusal(refusal)], scenario="refusal")
    assert info.value.refusal == refusal


@pytest.mark.vcr
def test_truncated_answer(recording: Recording, seed: GoldArticle) -> None:
    cut = seed.draft.model_dump_json()[:400]
    with pytest.raises(OutputTruncated) as info:
        run(recording, seed, [Reply.truncated(cut)], scenario="truncated", mode="json")
    assert info.value.raw_output == cut


@pytest.mark.vcr
def test_rate_limited_then_success(recording: Recording, seed: GoldArticle) -> None:
    script = [Reply.rate_limited(retry_after=1), seed.draft]
    summary = run(recording, seed, script, scenario="rate_limited")
    assert comparable(summary) == comparable(seed.summary)
    statuses = [r["status"]["code"] for r in recording.cassette.responses]
    assert statuses == [429, 200]
    assert summary.provenance.transport_retries == 1


@pytest.mark.vcr
def test_attempts_exhausted(recording: Recording, seed: GoldArticle) -> None:
    wrong = seed.draft.model_dump(mode="json")
    wrong["policy_schemes"][0]["budget"]["text"] = "Rs 1,600-crore"
    with pytest.raises(ExtractionError) as info:
        run(
            recording,
            seed,
            [wrong, wrong],
            scenario="exhausted",
            max_attempts=2,
            retry=RetryPolicy(max_retries=0),
        )
    assert [len(a.problems) for a in info.value.attempts] == [1, 1]


class _OldCassette:
    """A cassette recorded against an older prompt."""

    _path = "cassettes/old.yaml"

    def __init__(self, provenance: dict[str, Any]) -> None:
        self.provenance = provenance

    def get_metadata(self, key: str, default: Any) -> Any:
        return self.provenance


def test_a_prompt_change_without_re_recording_fails_with_the_command(seed: GoldArticle) -> None:
    from tests import vcr_support

    stored = vcr_support.provenance(
        "reference", article=seed.text, mode="tools", model=DEFAULT_MODEL, scenario="clean"
    )
    Recording(cassette=_OldCassette(stored), recording=False).claim(
        "reference", article=seed.text, mode="tools", model=DEFAULT_MODEL, scenario="clean"
    )  # fresh: passes
    for field, old in (("prompt_version", "0+00000000"), ("schema_version", "000000000000")):
        stale = {**stored, field: old}
        with pytest.raises(pytest.fail.Exception) as info:
            Recording(cassette=_OldCassette(stale), recording=False).claim(
                "reference", article=seed.text, mode="tools", model=DEFAULT_MODEL, scenario="x"
            )
        assert "re-record it with `make record`" in str(info.value)
        assert old in str(info.value)
    local = {**stored, "source": "local:llama-cpp/SmolLM2-135M", "prompt_version": "0+0"}
    with pytest.raises(pytest.fail.Exception, match="make record-local"):
        Recording(cassette=_OldCassette(local), recording=False).claim(
            "local:llama-cpp/SmolLM2-135M", article=seed.text, mode="json", model="m", scenario="x"
        )


GOLD = load_gold_set(SEEDS)


@pytest.mark.vcr
@pytest.mark.parametrize("gold", GOLD, ids=[g.name for g in GOLD])
def test_gold_reference(recording: Recording, gold: GoldArticle) -> None:
    """Each gold article's reference answer: its gold draft, served over loopback HTTP."""
    published = gold.published.isoformat() if gold.published else None
    recording.claim(
        "reference",
        article=gold.text,
        mode="tools",
        model=DEFAULT_MODEL,
        scenario="gold",
        published=published,
    )
    with FakeChatServer([gold.draft]) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test-key")
        summary = summarise(gold.text, published=published, client=client, model=DEFAULT_MODEL)
    assert comparable(summary) == comparable(gold.summary)
