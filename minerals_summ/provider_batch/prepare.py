"""One article's row in a new run: its first request, or its outcome at once (a cache hit, or
an article that cannot be sent)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from minerals_summ.articles import Article, prepare
from minerals_summ.batch import Outcome
from minerals_summ.config import Config
from minerals_summ.exceptions import MineralsSummError
from minerals_summ.provider_batch.checks import check_answers
from minerals_summ.provider_batch.collect import Tally
from minerals_summ.summary import ArticleSummary

__all__ = ["prepared_row"]

CacheGet = Callable[[Config, str, str | None], ArticleSummary | None]


def prepared_row(
    config: Config, article: Article, seq: int, cache_get: CacheGet, tally: Tally
) -> dict[str, Any]:
    """The state row of ``article``: ``pending`` with the body a live call sends first, or
    ``done`` from the cache, or ``failed`` with the input's error (counted in ``tally``)."""
    row: dict[str, Any] = {
        "custom_id": article.id,
        "seq": seq,
        "path": article.id,
        "sha256": "",
        "text": "",
        "published": None,
        "status": "pending",
        "request": None,
        "outcome": None,
    }
    try:
        # The text the model sees: a web page's main text, a file's or a URL's (as live runs).
        document = prepare(article, max_chars=config.max_chars)
        text, published = document.text, document.published
        row["text"] = text
        row["sha256"] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        row["published"] = published.isoformat() if published else None
        hit = cache_get(config, text, row["published"])
        if hit is None:
            row["request"] = check_answers(config, text, published, []).request
            return row
        outcome = Outcome(article.id, seq, summary=hit, cached=True)
    except MineralsSummError as exc:
        outcome = Outcome(article.id, seq, error=exc)
    row["status"] = "done" if outcome.ok else "failed"
    row["outcome"] = outcome.to_json()
    tally.outcomes.append(outcome)
    if outcome.error is not None:
        tally.add_failure(outcome.error)
    else:
        tally.succeeded += 1
    return row
