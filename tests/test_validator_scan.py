"""instructor's async-validator scan runs once for our response model, and only for it."""

from __future__ import annotations

from typing import Any

import instructor.v2.core.patch as patch_module
import instructor.v2.validation.async_validators as async_validators
import openai
import pytest
from pydantic import BaseModel

from minerals_summ import summarise
from minerals_summ.gold import GoldArticle
from minerals_summ.llm import RESPONSE_MODEL
from minerals_summ.testing import FakeChatServer
from minerals_summ.validator_scan import scan_once


def test_the_pinned_instructor_keeps_the_scan_where_the_adapter_looks() -> None:
    """Fails when an instructor upgrade moves the scan: re-check the adapter before raising the
    pin (without it, calls stay correct but each pays for six scans)."""
    assert scan_once(RESPONSE_MODEL)
    for module in (async_validators, patch_module):
        assert hasattr(module.reject_async_validators, "__wrapped__")


def test_our_model_is_scanned_once_and_others_still_every_time(
    seed: GoldArticle, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert scan_once(RESPONSE_MODEL)
    original = async_validators.reject_async_validators.__wrapped__  # type: ignore[attr-defined]
    scanned: list[Any] = []

    def counting(model: Any) -> None:
        scanned.append(model)
        original(model)

    monkeypatch.setattr(async_validators.reject_async_validators, "__wrapped__", counting)
    assert scan_once(RESPONSE_MODEL)  # re-installed over the counting scan
    with FakeChatServer(default=seed.draft) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="k")
        summarise(seed.text, published="2025-09-09", client=client, model="m")
        after_one = len(scanned)
        for _ in range(3):
            summarise(seed.text, published="2025-09-09", client=client, model="m")
    assert set(scanned) == {RESPONSE_MODEL}  # scanned when installed
    assert len(scanned) == after_one <= 2  # and never again per call (instructor: six a call)

    class Other(BaseModel):
        name: str

    async_validators.reject_async_validators(Other)
    assert scanned[-1] is Other  # any other model is still scanned
