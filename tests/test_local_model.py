"""Real recordings of real models: SmolLM2-135M served by llama-cpp-python, and a provider.

These cassettes are unedited traffic of a real server (`make record-local` records them through
scripts/local-model.sh). The model mostly fails validation, so they are the real retry and
failure path. The tests assert the contract, not the content: either a valid, fully grounded
summary, or a typed error that keeps every attempt's raw output and the validation errors sent
back, with usage summed over attempts. (Two schema-constrained answers are valid but empty:
a bad model's false negatives, which the contract allows.)
"""

from __future__ import annotations

import json
import os
from typing import Any

import openai
import pytest
from vcr.errors import CannotOverwriteExistingCassetteException

from minerals_summ import (
    ArticleSummary,
    Config,
    ExtractionError,
    OutputTruncated,
    RetryPolicy,
    Usage,
    summarise,
)
from minerals_summ.answers import raw_output
from minerals_summ.gold import GoldArticle, load_gold
from tests.conftest import SEEDS, Recording

MODEL = "SmolLM2-135M-Instruct"
SOURCE = f"local:llama-cpp-python/{MODEL}"
LOCAL_URL = os.environ.get("MINERALS_SUMM_LOCAL_URL")
# `make record-provider` (needs OPENAI_API_KEY; OPENAI_BASE_URL and MINERALS_SUMM_MODEL optional).
PROVIDER = os.environ.get("MINERALS_SUMM_PROVIDER", "openai")
PROVIDER_MODEL = os.environ.get("MINERALS_SUMM_MODEL", "gpt-4.1-mini")
ARTICLES = [
    "us-pakistan-critical-minerals",
    "cobalt-exploration-injected-instructions",
    "minerals-security-partnership-launch",
    "offtake-spodumene-agreement",
    "lithium-price-slump-report",
]
OPTIONS: dict[str, Any] = {
    "mode": "json",  # llama-cpp-python accepts response_format json_object, not json_schema
    "max_attempts": 3,
    "max_output_tokens": 400,
    "temperature": 0.0,
    "retry": RetryPolicy(max_retries=0),
    "timeout": 600.0,
}


def recorded_outputs(recording: Recording) -> list[str | None]:
    """The model's text in every recorded response, in order: the tool call's arguments
    (tools mode, a provider's answer) or the message content, as the library reads it."""
    return [raw_output(json.loads(r["body"]["string"])) for r in recording.cassette.responses]


def _stale(error: BaseException) -> bool:
    """Whether vcrpy refused a request that no recorded one matches (somewhere in the chain)."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, CannotOverwriteExistingCassetteException):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def check_grounded(summary: ArticleSummary, text: str) -> None:
    for record in summary.records():
        assert record.evidence
        for evidence in record.evidence:
            assert text[evidence.start : evidence.end] == evidence.quote


def check_contract(
    recording: Recording,
    gold: GoldArticle,
    client: openai.OpenAI,
    *,
    model: str,
    options: dict[str, Any],
    rerecord: str,
) -> None:
    outcome: ArticleSummary | ExtractionError | OutputTruncated
    try:
        outcome = summarise(
            gold.text, published=gold.published, client=client, model=model, **options
        )
    except (ExtractionError, OutputTruncated) as error:
        outcome = error
    except Exception as error:
        if not _stale(error):
            raise
        pytest.fail(
            "a request differs from the recording (the re-ask messages changed?): "
            f"re-record with `{rerecord}`",
            pytrace=False,
        )
    outputs = recorded_outputs(recording)
    if isinstance(outcome, ExtractionError):
        assert len(outcome.attempts) == options["max_attempts"] == len(outputs)
        for attempt, output in zip(outcome.attempts, outputs, strict=True):
            assert attempt.raw_output == output  # the model's own words, unedited
            assert attempt.problems, "every failed attempt says what was wrong"
            assert attempt.usage is not None
            assert attempt.usage.total_tokens > 0
        assert outcome.usage == sum((a.usage for a in outcome.attempts if a.usage), Usage())
        for later, earlier in zip(recording.cassette.requests[1:], outcome.attempts, strict=False):
            reask = json.loads(later.body)["messages"][-1]["content"]
            assert earlier.errors[0].split(":")[0] in reask  # the errors went back
    elif isinstance(outcome, OutputTruncated):
        assert outcome.raw_output == outputs[-1]
        assert outcome.usage is not None
        if outcome.limit == "output":
            cap = options["max_output_tokens"] or Config().output_cap(gold.text)
            assert outcome.usage.completion_tokens >= cap
        else:  # the model's context filled up first (or the server did not say)
            assert outcome.limit in ("context", None)
    else:  # a valid answer: it is the model's last answer, resolved and grounded
        check_grounded(outcome, gold.text)
        assert outcome.provenance is not None
        assert outcome.provenance.attempts == len(outputs)
        answer = json.loads(outputs[-1] or "{}")
        assert outcome.summary == answer["summary"]
        assert len(outcome.agreements) == len(answer.get("agreements", []))
        assert len(outcome.policy_schemes) == len(answer.get("policy_schemes", []))


@pytest.mark.vcr
@pytest.mark.parametrize("name", ARTICLES)
def test_smollm2_recording_keeps_the_contract(recording: Recording, name: str) -> None:
    gold = load_gold(SEEDS / f"{name}.gold.json")
    if recording.recording and not LOCAL_URL:
        pytest.skip("recording needs the local server: run `make record-local`")
    recording.claim(SOURCE, article=gold.text, mode="json", model=MODEL, scenario="local")
    client = openai.OpenAI(base_url=LOCAL_URL or "http://127.0.0.1:9/v1", api_key="local")
    check_contract(
        recording, gold, client, model=MODEL, options=OPTIONS, rerecord="make record-local"
    )


@pytest.mark.vcr
@pytest.mark.parametrize("name", ARTICLES)
def test_provider_recording_keeps_the_contract(
    recording: Recording, name: str, vcr_cassette_dir: str
) -> None:
    gold = load_gold(SEEDS / f"{name}.gold.json")
    if not recording.recording and not recording.cassette.requests:
        pytest.skip("no provider recording yet: `make record-provider` with OPENAI_API_KEY set")
    if recording.recording and not os.environ.get("OPENAI_API_KEY"):
        pytest.skip("recording needs a provider key: OPENAI_API_KEY")
    source = f"provider:{PROVIDER}/{PROVIDER_MODEL}"
    stored = recording.claim(
        source, article=gold.text, mode="tools", model=PROVIDER_MODEL, scenario="provider"
    )
    client = openai.OpenAI(api_key=os.environ.get("OPENAI_API_KEY") or "replay")
    # A provider's answer to an article runs past 400 tokens: the default cap, derived from it.
    options = {**OPTIONS, "mode": "tools", "retry": RetryPolicy(), "max_output_tokens": None}
    check_contract(
        recording,
        gold,
        client,
        model=stored["model"],
        options=options,
        rerecord="make record-provider",
    )


@pytest.mark.vcr
@pytest.mark.parametrize("name", ARTICLES)
def test_smollm2_constrained_recording_keeps_the_contract(recording: Recording, name: str) -> None:
    """The same model with the draft schema in response_format: llama.cpp constrains decoding
    to the schema, so answers have the right shape and fail (or pass) on their content."""
    gold = load_gold(SEEDS / f"{name}.gold.json")
    if recording.recording and not LOCAL_URL:
        pytest.skip("recording needs the local server: run `make record-local`")
    recording.claim(SOURCE, article=gold.text, mode="json", model=MODEL, scenario="constrained")
    client = openai.OpenAI(base_url=LOCAL_URL or "http://127.0.0.1:9/v1", api_key="local")
    options = {**OPTIONS, "json_object_schema": True}
    check_contract(
        recording, gold, client, model=MODEL, options=options, rerecord="make record-local"
    )
