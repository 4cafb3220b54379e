"""The one reach into instructor's internals (minerals_summ._instructor) and what it must keep.

instructor checks the response model for async validators on every pass through its call path;
the library checks its own model once and lets instructor skip the walk for that model alone.
"""

from __future__ import annotations

import importlib
from unittest import mock

import openai
import pytest
from instructor.v2.validation.async_validators import async_field_validator
from pydantic import BaseModel

from minerals_summ import summarise
from minerals_summ._instructor import scan_is_skipped, skip_scan_for
from minerals_summ.gold import GoldArticle
from minerals_summ.summarise import _RESPONSE_MODEL
from minerals_summ.testing import FakeChatServer

SCAN_HOLDERS = ("instructor.v2.validation.async_validators", "instructor.v2.core.patch")


class WithAsyncValidator(BaseModel):
    name: str

    @async_field_validator("name")
    async def check_name(self, value: str) -> str:  # pragma: no cover - never run
        return value


def test_the_glue_is_installed_for_the_pinned_instructor() -> None:
    """If instructor moves its scan, this fails: the pin cannot rise unnoticed."""
    assert scan_is_skipped(_RESPONSE_MODEL)
    for name in SCAN_HOLDERS:
        scan = importlib.import_module(name).reject_async_validators
        assert hasattr(scan, "__wrapped__"), f"{name} still holds instructor's own scan"


@pytest.mark.parametrize("holder", SCAN_HOLDERS)
def test_other_models_are_still_checked_on_every_call(holder: str) -> None:
    scan = importlib.import_module(holder).reject_async_validators
    with pytest.raises(ValueError, match="async validators are not supported"):
        scan(WithAsyncValidator)
    with pytest.raises(ValueError, match="async validators are not supported"):
        scan(list[WithAsyncValidator])


def test_a_model_with_an_async_validator_is_never_skipped() -> None:
    with pytest.raises(ValueError, match="async validators are not supported"):
        skip_scan_for(WithAsyncValidator)
    assert not scan_is_skipped(WithAsyncValidator)
    with pytest.raises(ValueError, match="async validators are not supported"):
        importlib.import_module(SCAN_HOLDERS[1]).reject_async_validators(WithAsyncValidator)


def test_a_summarise_call_walks_no_model(seed: GoldArticle) -> None:
    """The walk calls typing.get_origin for every type it visits; a call makes no such visit."""
    module = importlib.import_module(SCAN_HOLDERS[0])
    gold = seed
    with FakeChatServer(default=gold.draft) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test-key", max_retries=0)
        with mock.patch.object(module, "get_origin", wraps=module.get_origin) as walked:
            summary = summarise(gold.text, published=gold.published, client=client, model="m")
            assert walked.call_count == 0
            module.reject_async_validators.__wrapped__(_RESPONSE_MODEL)  # the walk it skips
            assert walked.call_count > 10  # one visit per type in the model
    assert summary.agreements


def test_installing_twice_keeps_one_wrapper() -> None:
    before = [importlib.import_module(n).reject_async_validators for n in SCAN_HOLDERS]
    assert skip_scan_for(_RESPONSE_MODEL)
    after = [importlib.import_module(n).reject_async_validators for n in SCAN_HOLDERS]
    assert after == before
    assert not hasattr(after[0].__wrapped__, "__wrapped__")
