"""A corpus of 1,000 articles through the provider batch workflow, with faults injected.

The articles are the 20 gold articles cycled, each after a numbered line (a distinct text, so a
distinct request and cache key, sharing no prefix with another article). The fake server's batch endpoints
(``minerals_summ.testing.FakeChatServer``, driven by the real openai client) answer each gold
draft, except for the injected faults: 5% of the items answered with a 400 inside their
result, 2% missing from the output, one of the two input batches expiring with half of its
other items undone (they are resubmitted), and 10% invalid answers (not JSON), which the
re-ask round answers with the gold draft. Printed: outcomes, duplicates in the results file,
re-asks, and the cost of the run with and without the batch discount and prompt caching
(``minerals_summ.costs.cost_of``; the fake reports ``cached_tokens`` for a prefix of 1,024
tokens or more seen before, in steps of 128, as OpenAI does).

    .venv/bin/python benchmarks/batch_corpus.py [--n 1000] [--model gpt-4.1-mini]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

import openai

from minerals_summ.articles import Article
from minerals_summ.gold import load_gold_set
from minerals_summ.provider_batch import ProviderBatch
from minerals_summ.testing import FakeChatServer, Reply

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--model", default="gpt-4.1-mini")
    parser.add_argument("--seed", type=int, default=7)
    a = parser.parse_args()
    rng = random.Random(a.seed)
    golds = load_gold_set(ROOT / "seeds")
    articles, drafts = [], {}
    for i in range(a.n):
        gold = golds[i % len(golds)]
        text = f"Ref {i}.\n{gold.text}"  # distinct from its first line: no shared article prefix
        article = Article(id=f"doc-{i:05d}", text=text, published=gold.published)
        articles.append(article)
        drafts[article.id] = gold.draft
    ids = [article.id for article in articles]
    half = (a.n + 1) // 2  # two input files: the first expires, the second completes
    n_errors, n_missing, n_invalid = round(0.05 * a.n), round(0.02 * a.n), round(0.10 * a.n)
    missing = set(rng.sample(ids[half:], n_missing))  # left out of the completed batch
    others = rng.sample([i for i in ids if i not in missing], n_errors + n_invalid)
    errors, invalid = set(others[:n_errors]), set(others[n_errors:])
    out = Path(tempfile.mkdtemp()) / "results.jsonl"
    started = time.perf_counter()
    with (
        FakeChatServer(record=False) as server,
        ProviderBatch(
            out, client=openai.OpenAI(base_url=server.base_url, api_key="bench"), cache=False
        ) as run,
    ):
        for custom_id, draft in drafts.items():
            if custom_id in errors:
                server.batches.script(custom_id, Reply.error(400, "Invalid 'messages' content"))
            elif custom_id in invalid:
                server.batches.script(custom_id, Reply.content("not json"), draft)
            else:
                server.batches.script(custom_id, draft)
        run.prepare(articles, model=a.model)
        prepared = time.perf_counter()
        first = run.submit(max_requests=half)
        expiring = set(ids[:half]) - errors - invalid
        undone = set(rng.sample(sorted(expiring), len(expiring) // 2))
        server.batches.expire(first[0], undone=undone)
        for batch_id in first[1:]:
            server.batches.complete(batch_id, missing=missing)
        tally = run.collect()
        reasked, resubmitted = tally.reasked, tally.resubmitted
        rounds = 1
        while run.counts().get("submitted"):
            for info in run.status(refresh=False):
                if not info.collected and info.batch_id:
                    server.batches.complete(info.batch_id)
            more = run.collect()
            reasked, resubmitted, rounds = (
                reasked + more.reasked,
                resubmitted + more.resubmitted,
                rounds + 1,
            )
        with out.open("a", encoding="utf-8") as handle:
            run.deliver(lambda record: handle.write(json.dumps(record) + "\n"))
        counts, costs = run.counts(), run.costs()
        outcomes = run.outcomes()
    elapsed = time.perf_counter() - started
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    per_id = Counter(line["id"] for line in lines)
    kinds = Counter(line["error"]["type"] if not line["ok"] else "ok" for line in lines)
    print(f"Provider batch corpus: {a.n} articles, model {a.model} prices")
    print(
        f"  injected: {n_errors} item errors (400), {n_missing} missing, {n_invalid} invalid "
        f"answers, one expiry ({len(undone)} items undone)"
    )
    print(f"  outcomes {len(outcomes)} (results file lines {len(lines)}, articles {len(per_id)})")
    print(f"  duplicates {sum(n - 1 for n in per_id.values())}")
    print(f"  outcome kinds {dict(sorted(kinds.items()))}")
    print(f"  re-asked {reasked} (invalid answers injected {n_invalid}), resubmitted {resubmitted}")
    print(f"  rounds of collect {rounds}, states {counts}")
    usage = costs.usage
    print(
        f"  tokens {usage.total_tokens:,} (prompt {usage.prompt_tokens:,}, of which cached "
        f"{usage.cached_tokens:,}; completion {usage.completion_tokens:,})"
    )
    if costs.paid is None:
        print(f"  cost: no price known for {a.model}")
    else:
        print(f"  cost paid (batch discount, caching)   ${costs.paid:.4f}")
        print(f"  cost at live prices (caching)         ${costs.at_live_prices:.4f}")
        print(f"  cost at live prices, no caching       ${costs.without_caching:.4f}")
    print(f"  time: prepare {prepared - started:.1f}s, all {elapsed:.1f}s")


if __name__ == "__main__":
    main()
