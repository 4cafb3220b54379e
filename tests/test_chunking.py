"""Long documents: chunks on paragraph boundaries, one record per real event, whole offsets."""

from __future__ import annotations

import datetime as dt
import itertools

import openai
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minerals_summ import Config, ConfigurationError, InputError, summarise
from minerals_summ.chunking import Chunk, article_tokens, merge, plan, same_event, shift, split
from minerals_summ.gold import GoldArticle
from minerals_summ.testing import FakeChatServer
from tests.chunk_support import chunk_draft

FILLER = (
    "Trading in the region was quiet for most of the session, with volumes below their "
    "monthly average and few changes in the order books of the larger brokers. "
)


def filler(chars: int, tag: str) -> str:
    paragraphs = []
    n = 0
    while sum(map(len, paragraphs)) < chars:
        paragraphs.append(f"Market note {tag}-{n}. " + FILLER * 3)
        n += 1
    return "\n\n".join(paragraphs)


@given(
    st.text(alphabet=st.sampled_from("ab .\n"), min_size=0, max_size=3000),
    st.integers(min_value=20, max_value=800),
    st.integers(min_value=0, max_value=300),
)
def test_chunks_are_slices_that_cover_the_text(text: str, size: int, overlap: int) -> None:
    chunks = split(text, size, overlap_chars=overlap)
    assert chunks[0].start == 0
    assert chunks[-1].end == len(text)
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        assert len(chunk.text) <= size
    for a, b in itertools.pairwise(chunks):
        assert a.start < b.start <= a.end  # no gap, always progress


def test_chunks_end_on_paragraphs_and_overlap_by_whole_paragraphs() -> None:
    text = "\n\n".join(f"Paragraph {i}. " + "word " * 30 for i in range(40))
    chunks = split(text, 1000, overlap_chars=200)
    assert len(chunks) > 1
    for a, b in itertools.pairwise(chunks):
        assert a.text.endswith("\n\n")
        assert b.text.startswith("Paragraph ")
        assert b.start < a.end  # overlap


def test_the_default_budget_comes_from_the_model_context() -> None:
    assert article_tokens("gpt-4o-mini", None) == 32_000  # 128k context: capped
    assert article_tokens("an-unknown-local-model", None) == 4_000
    assert article_tokens("gpt-4o-mini", 500) == 500
    assert len(plan("x" * 100, "gpt-4o-mini", None)) == 1
    with pytest.raises(ConfigurationError, match="max_article_tokens"):
        Config(max_article_tokens=0)


def test_records_of_one_event_merge_with_offsets_shifted(seed: GoldArticle) -> None:
    summary = seed.summary
    a0 = summary.agreements[0]
    moved = shift(a0, 1000)
    assert [e.start for e in moved.evidence] == [e.start + 1000 for e in a0.evidence]
    assert same_event(a0, moved)
    assert not same_event(a0, summary.agreements[1])
    assert not same_event(summary.agreements[0], summary.policy_schemes[0])
    merged = merge([(Chunk(0, "x"), summary), (Chunk(1000, "y"), summary)])
    assert len(merged.agreements) == len(summary.agreements)
    assert len(merged.policy_schemes) == len(summary.policy_schemes)


def _document(seed: GoldArticle) -> tuple[str, list[int]]:
    """About 300,000 characters: the seed article three times (one event told thrice), far
    apart in filler paragraphs."""
    parts, starts, position = [], [], 0
    for n in range(3):
        block = filler(95_000, str(n)) + "\n\n"
        parts.append(block)
        position += len(block)
        starts.append(position)
        parts.append(seed.text + "\n\n")
        position += len(seed.text) + 2
    return "".join(parts), starts


def test_a_300k_document_yields_each_event_once(seed: GoldArticle) -> None:
    """Held-out: each real event once, evidence from each telling, offsets into the whole."""
    document, starts = _document(seed)
    assert len(document) >= 290_000
    chunks = plan(document, "gpt-4.1-mini", None)
    assert len(chunks) == 3
    script = [chunk_draft(seed.draft, c.text, seed.published) for c in chunks]
    assert all(d.agreements for d in script)  # each telling is whole in one chunk
    with FakeChatServer(script) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test-key")
        summary = summarise(document, published=seed.published, client=client, model="gpt-4.1-mini")
        assert len(server.requests) == 3
    assert len(summary.agreements) == len(seed.summary.agreements)
    assert len(summary.policy_schemes) == len(seed.summary.policy_schemes)
    assert summary.provenance is not None
    assert summary.provenance.chunks == 3
    for record in summary.records():
        assert all(document[e.start : e.end] == e.quote for e in record.evidence)
        tellings = {max(i for i, s in enumerate(starts) if s <= e.start) for e in record.evidence}
        assert tellings == {0, 1, 2}  # evidence from each telling
    assert summary._article == document


def test_two_megabytes_are_accepted_and_the_hard_cap_says_how_to_raise_it() -> None:
    text = filler(2_100_000, "big")
    chunks = plan(text, "m", 100_000)
    nothing = {"summary": "The text reports no agreement.", "agreements": [], "policy_schemes": []}
    with FakeChatServer(default=nothing) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test-key")
        summary = summarise(
            text,
            published=dt.date(2025, 1, 1),
            client=client,
            model="m",
            max_article_tokens=100_000,
        )
    assert summary.provenance is not None
    assert summary.provenance.chunks == len(chunks) > 1
    with pytest.raises(InputError, match=r"max_chars=1,000,000 \(the hard cap\); raise it"):
        summarise(text, client=client, model="m", max_chars=1_000_000)
