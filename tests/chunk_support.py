"""Reference answers for chunks: the gold records a perfect model would find in one chunk."""

from __future__ import annotations

import datetime as dt

from minerals_summ.exceptions import DraftProblems
from minerals_summ.resolve import resolve
from minerals_summ.schema import ArticleDraft

__all__ = ["chunk_draft"]


def _summary_of(chunk: str) -> str:
    """A summary a model could write of this chunk alone: its opening words (the gold summary
    names things other chunks hold, which the summary's check would send back)."""
    first = chunk.strip().split("\n")[0]
    return first if len(first) <= 200 else first[:200].rsplit(" ", 1)[0]


def chunk_draft(draft: ArticleDraft, chunk: str, published: dt.date | None) -> ArticleDraft:
    """``draft`` with only the records whose every quote, name and text is in ``chunk``."""
    summary = _summary_of(chunk)

    def grounded(kind: str, record: object) -> bool:
        single = ArticleDraft.model_validate({"summary": summary, kind: [record]})
        try:
            resolve(single, chunk, published)
        except DraftProblems:
            return False
        return True

    return draft.model_copy(
        update={
            "summary": summary,
            "agreements": [a for a in draft.agreements if grounded("agreements", a)],
            "policy_schemes": [s for s in draft.policy_schemes if grounded("policy_schemes", s)],
        }
    )
