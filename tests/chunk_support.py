"""Reference answers for chunks: the gold records a perfect model would find in one chunk."""

from __future__ import annotations

import datetime as dt

from minerals_summ.exceptions import DraftProblems
from minerals_summ.resolve import resolve
from minerals_summ.schema import ArticleDraft

__all__ = ["chunk_draft"]


def chunk_draft(draft: ArticleDraft, chunk: str, published: dt.date | None) -> ArticleDraft:
    """``draft`` with only the records whose every quote, name and text is in ``chunk``."""

    def grounded(kind: str, record: object) -> bool:
        single = ArticleDraft.model_validate({"summary": draft.summary, kind: [record]})
        try:
            resolve(single, chunk, published)
        except DraftProblems:
            return False
        return True

    return draft.model_copy(
        update={
            "agreements": [a for a in draft.agreements if grounded("agreements", a)],
            "policy_schemes": [s for s in draft.policy_schemes if grounded("policy_schemes", s)],
        }
    )
