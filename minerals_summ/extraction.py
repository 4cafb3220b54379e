"""One extraction: a text (an article, or a chunk of a long one) asked of the model, the model
traffic, the records once an answer passes, and the summary of an article with its provenance.

:class:`ArticleCall` holds one extraction's state; :func:`result` assembles an article's summary
from its extractions (merging a long article's chunks, :mod:`minerals_summ.chunking`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Any

from minerals_summ import chunking, llm
from minerals_summ.articles import (
    Article,
    Document,
    check_article,
    check_published,
    prepare,
    warn_unresolved,
)
from minerals_summ.chunking import Chunk
from minerals_summ.config import Config
from minerals_summ.costs import cost_of
from minerals_summ.exceptions import ConfigurationError, Problem, RunError
from minerals_summ.prompting import load_prompt
from minerals_summ.records import Provenance, Usage
from minerals_summ.resolve import resolve
from minerals_summ.schema import ArticleDraft, schema_version
from minerals_summ.summary import ArticleSummary
from minerals_summ.version import __version__

__all__ = ["ArticleCall", "document", "result", "spent"]


class ArticleCall:
    """One extraction: a text (an article, or one chunk of a long one), its date, the model
    traffic, and the records once valid.

    Made before any request (the text and date are checked then). :meth:`answer` runs an answer
    obtained elsewhere (a Batch API results file) through the checks of a live call.
    """

    def __init__(
        self,
        config: Config,
        text: object,
        published: dt.date | str | None,
        *,
        endpoint: str | None = None,
        output_field: str = "max_tokens",
    ) -> None:
        self.config = config
        self.article = check_article(text, config.max_chars)
        self.published = check_published(published)
        self.endpoint = endpoint
        self.exchange = llm.Exchange(
            config, output_cap=config.output_cap(self.article), output_field=output_field
        )
        self.resolved: ArticleSummary | None = None
        self.started = time.perf_counter()

    def messages(self) -> list[dict[str, str]]:
        published = self.published.isoformat() if self.published else None
        return load_prompt().render(article=self.article, published=published)

    def check(self, draft: ArticleDraft) -> None:
        """Resolve an answer against the article; its problems go back to the model."""
        self.resolved = resolve(
            draft, self.article, self.published, default_currency=self.config.default_currency
        )

    def answer(self, response: Any) -> ArticleSummary | tuple[Problem, ...]:
        """One chat completion (a dict, bytes or SDK object) checked as a live answer is
        (:func:`minerals_summ.llm.check_response`): the summary, or the problems found."""
        problems = llm.check_response(self.exchange, response, self.check)
        return problems or self.summary()

    def summary(self) -> ArticleSummary:
        """The records of this one extraction, with their provenance."""
        document = Document(text=self.article, published=self.published)
        return result(self.config, document, [(Chunk(0, self.article), self)], self)


def document(
    config: Config, text: str | Article | Document, published: dt.date | str | None
) -> Document:
    if isinstance(text, Document):
        if published is not None:
            raise ConfigurationError("pass the publication date on the Document")
        return text
    return prepare(text, published=published, max_chars=config.max_chars)


def spent(done: list[tuple[Chunk, ArticleCall]], error: RunError) -> RunError:
    """``error`` with the tokens of the chunks extracted before it too."""
    error.usage = sum((call.exchange.usage for _, call in done), error.usage or Usage())
    return error


def result(
    config: Config,
    document: Document,
    calls: list[tuple[Chunk, ArticleCall]],
    first: ArticleCall,
) -> ArticleSummary:
    """The records of every extraction (merged when the article took several), with provenance."""
    parts = [(chunk, call.resolved) for chunk, call in calls if call.resolved is not None]
    assert len(parts) == len(calls)  # set by check() when an answer passed
    summary = parts[0][1] if len(parts) == 1 else chunking.merge(parts)
    exchanges = [call.exchange for _, call in calls]
    usage = sum((exchange.usage for exchange in exchanges), Usage())
    tallies = [ex.tally(ex.drafts.get(len(ex.outputs))) for ex in exchanges]
    provenance = Provenance(
        model=config.model,
        served_model=next((ex.served_model for ex in exchanges if ex.served_model), None),
        endpoint=first.endpoint,
        mode=config.mode,
        prompt_version=load_prompt().version,
        schema_version=schema_version(),
        library_version=__version__,
        attempts=sum(len(exchange.outputs) for exchange in exchanges),
        transport_retries=sum(exchange.stats.retries for exchange in exchanges),
        requests=sum(exchange.stats.requests for exchange in exchanges),
        abandoned_requests=sum(exchange.stats.abandoned for exchange in exchanges),
        usage=usage,
        records_proposed=sum(proposed for proposed, _, _ in tallies),
        records_rejected=sum(rejected for _, rejected, _ in tallies),
        dropped_records=tuple(record for _, _, dropped in tallies for record in dropped),
        article_sha256=hashlib.sha256(document.text.encode("utf-8")).hexdigest(),
        wall_time_s=round(time.perf_counter() - first.started, 4),
        cost_usd=cost_of(usage, config.model),
        chunks=len(calls),
        published_source=document.published_source,
        url=document.url,
        title=document.title,
        source=document.source,
    )
    result = summary.model_copy(update={"provenance": provenance})
    result._draft = summary.draft if len(parts) == 1 else None
    result._article = document.text
    warn_unresolved(result, document)
    return result
