"""Figures from the real-model recordings: attempts per article, problems by kind, tokens.

Replays every cassette whose provenance source is local:... or provider:... through the
library (offline) and prints, per article: the outcome, the model calls made, the validation
problems sent back by kind, and the tokens of each call.

    .venv/bin/python scripts/recording_stats.py [cassettes/]
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

from minerals_summ import (
    ExtractionError,
    MineralsSummError,
    OutputTruncated,
    RetryPolicy,
    Summariser,
)
from minerals_summ.cassettes import load_cassette, replay_client
from minerals_summ.gold import load_gold_set

KINDS = ("ungrounded_quote", "ungrounded_text", "ungrounded_name", "unparseable", "unknown_code")


def main(directory: Path) -> None:
    gold = {g.text: g for g in load_gold_set(Path("seeds"))}
    by_sha = {hashlib.sha256(t.encode()).hexdigest(): g for t, g in gold.items()}
    totals: Counter[str] = Counter()
    print(f"{'cassette':<60} {'outcome':<16} calls  problems by kind{'':<20} tokens per call")
    for path in sorted(directory.glob("*.yaml")):
        cassette = load_cassette(path)
        source = cassette.source
        if not source.startswith(("local:", "provider:")):
            continue
        article = by_sha.get(cassette.provenance.get("article_sha256", ""))
        if article is None:
            print(f"{path.name}: article not in seeds/")
            continue
        bodies = [i["request"]["body"] for i in cassette.interactions]
        first = json.loads(bodies[0])
        summariser = Summariser(
            client=replay_client(cassette),
            model=cassette.provenance["model"],
            mode=cassette.provenance["mode"],
            max_attempts=len(bodies),
            max_output_tokens=first.get("max_tokens"),
            temperature=first.get("temperature"),
            json_object_schema="schema" in (first.get("response_format") or {}),
            retry=RetryPolicy(max_retries=0),
        )
        kinds: Counter[str] = Counter()
        tokens: list[int] = []
        try:
            summary = summariser.summarise(article.text, published=article.published)
            outcome, calls = "valid", summary.provenance.attempts if summary.provenance else 0
        except ExtractionError as error:
            outcome, calls = "ExtractionError", len(error.attempts)
            for attempt in error.attempts:
                kinds.update(p.kind for p in attempt.problems)
                tokens.append(attempt.usage.total_tokens if attempt.usage else 0)
        except OutputTruncated as error:
            outcome, calls = "OutputTruncated", len(bodies)
            tokens.append(error.usage.total_tokens if error.usage else 0)
        except MineralsSummError as error:
            outcome, calls = type(error).__name__, len(bodies)
        totals["articles"] += 1
        totals["calls"] += calls
        totals.update(kinds)
        shown = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "-"
        print(f"{path.name[:60]:<60} {outcome:<16} {calls:>5}  {shown:<36} {tokens}")
    if totals["articles"]:
        per_article = totals["calls"] / totals["articles"]
        print(f"\n{totals['articles']} articles, {per_article:.1f} model calls each")
        print("problems by kind: " + ", ".join(f"{k} {totals[k]}" for k in (*KINDS, "schema")))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "cassettes"))
