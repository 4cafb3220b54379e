"""Measurements for web pages, long documents and cost (issue 13). Offline, on the gold set.

1. Extraction: 100 saved pages (the 20 gold articles in 4 page templates, dated in the page's
   meta tag or only in its JSON-LD), time per page through trafilatura, and whether every
   gold quote survives extraction and the page's date is found.
2. Chunked against one-shot extraction on the gold articles: FakeChatServer answers each chunk
   with the gold records grounded in it; requests and tokens counted, records compared.
3. The cost line of a gold-set run on two common models, from the reference answers' usage.

    .venv/bin/python benchmarks/inputs.py [--max-article-tokens 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import openai

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from minerals_summ import Summariser  # noqa: E402
from minerals_summ.chunking import plan  # noqa: E402
from minerals_summ.costs import Spending  # noqa: E402
from minerals_summ.gold import load_gold_set  # noqa: E402
from minerals_summ.testing import FakeChatServer  # noqa: E402
from minerals_summ.webpages import extract_page  # noqa: E402
from tests.chunk_support import chunk_draft  # noqa: E402
from tests.webpage_support import TEMPLATES, news_page  # noqa: E402

GOLD = load_gold_set(ROOT / "seeds")


def extraction() -> None:
    pages = []
    for variant in range(5):  # 5 x 20 = 100 pages
        for n, gold in enumerate(GOLD):
            title, _, body = gold.text.partition("\n")
            meta = "meta" if (variant + n) % 2 == 0 else "ld"
            template = (variant + n) % TEMPLATES
            page = news_page(
                title, body, published=gold.published, template=template, date_meta=meta
            )
            pages.append((gold, page))
    times, kept, dated = [], 0, 0
    for gold, page in pages:
        started = time.perf_counter()
        result = extract_page(page)
        times.append(time.perf_counter() - started)
        quotes = [
            q for r in (*gold.draft.agreements, *gold.draft.policy_schemes) for q in r.evidence
        ]
        kept += all(q in result.text for q in quotes)
        dated += result.published == gold.published
    print(
        f"extraction: {len(pages)} pages, {statistics.mean(times) * 1000:.1f} ms a page "
        f"(median {statistics.median(times) * 1000:.1f}, max {max(times) * 1000:.1f}); "
        f"every gold quote kept in {kept}/{len(pages)}; page date found in {dated}/{len(pages)}"
    )


def run(max_article_tokens: int | None) -> tuple[int, Spending, int, int]:
    """(requests, spending, records, chunks) of the gold set at this budget."""
    requests, records, chunks_total = 0, 0, 0
    spent = Spending("gpt-4.1-mini")
    for gold in GOLD:
        chunks = plan(gold.text, "gpt-4.1-mini", max_article_tokens)
        script = [chunk_draft(gold.draft, c.text, gold.published) for c in chunks]
        with FakeChatServer(script) as server:
            client = openai.OpenAI(base_url=server.base_url, api_key="bench")
            summariser = Summariser(
                client=client, model="gpt-4.1-mini", max_article_tokens=max_article_tokens
            )
            summary = summariser.summarise(gold.text, published=gold.published)
            requests += len(server.requests)
        assert summary.provenance is not None
        spent.add(summary.provenance.usage)
        records += len(summary.records())
        chunks_total += summary.provenance.chunks
    return requests, spent, records, chunks_total


def chunked(max_article_tokens: int) -> Spending:
    one_requests, one, one_records, _ = run(None)
    requests, spent, records, chunks = run(max_article_tokens)
    gold_records = sum(len(g.summary.records()) for g in GOLD)
    print(f"one-shot: {one_requests} requests, {one.line()}; {one_records}/{gold_records} records")
    print(
        f"chunked (max_article_tokens={max_article_tokens}, {chunks} chunks): {requests} "
        f"requests, {spent.line()}; {records}/{gold_records} records "
        f"(x{spent.usage.total_tokens / one.usage.total_tokens:.2f} tokens)"
    )
    return one


def cost_line(one: Spending) -> None:
    for model in ("gpt-4.1-mini", "gpt-4o-mini"):
        spent = Spending(model)
        spent.add(one.usage)
        print(f"gold-set run on {model}: {spent.line()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-article-tokens", type=int, nargs="+", default=[300, 600])
    args = parser.parse_args()
    extraction()
    one = Spending("gpt-4.1-mini")
    for budget in args.max_article_tokens:
        one = chunked(budget)
    cost_line(one)


if __name__ == "__main__":
    main()
