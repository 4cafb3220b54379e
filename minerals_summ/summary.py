"""What one article gives: :class:`ArticleSummary`, its records and where they came from."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from minerals_summ import html, tables
from minerals_summ.records import Agreement, PolicyScheme, Provenance
from minerals_summ.schema import ArticleDraft

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = ["ArticleSummary"]


class ArticleSummary(BaseModel):
    """The agreements and policy schemes of one article, each checked against its text.

    In a notebook it shows as tables with the article and each quote highlighted;
    :meth:`to_records` and :meth:`to_dataframe` flatten it to one row per record.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: str = Field(description="the model's one- or two-sentence summary of the article")
    agreements: tuple[Agreement, ...] = Field((), description="the agreements it reports")
    policy_schemes: tuple[PolicyScheme, ...] = Field(
        (), description="the policy schemes it reports"
    )
    published: dt.date | None = Field(
        None, description="the publication date relative dates were resolved against"
    )
    provenance: Provenance | None = Field(
        None, description="model, prompt and schema versions, attempts, tokens, time"
    )

    _draft: ArticleDraft | None = PrivateAttr(default=None)
    _article: str | None = PrivateAttr(default=None)  # the article text, for _repr_html_

    @property
    def draft(self) -> ArticleDraft | None:
        """The draft these records were resolved from, when known."""
        return self._draft

    def records(self) -> tuple[Agreement | PolicyScheme, ...]:
        """Agreements, then policy schemes."""
        return (*self.agreements, *self.policy_schemes)

    def _repr_html_(self) -> str:
        """Jupyter's view: :func:`minerals_summ.html.summary_html`, with the article if known."""
        return html.summary_html(self, self._article)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per record: :func:`minerals_summ.tables.to_records`."""
        return tables.to_records(self)

    def to_tables(self, article_id: str = "0") -> tables.Tables:
        """Tidy tables of this article's records: :func:`minerals_summ.tables.to_tables`."""
        return tables.to_tables(self, article_id)

    def to_dataframe(self) -> pandas.DataFrame:
        """The records as a pandas DataFrame (needs ``pip install 'minerals-summ[pandas]'``)."""
        return tables.to_dataframe(self)
