"""Long documents: split on paragraph boundaries with overlap, and merge the records found.

A document longer than one request's budget is cut by :func:`split` into chunks that are exact
slices of it (so a quote found in a chunk is the document's own wording), each ending on a
paragraph boundary where one exists (else a line, a sentence, a space) and starting with the
last paragraphs of the chunk before (the overlap), so that an event told across a boundary is
seen whole at least once. Each chunk is extracted with the same prompt; :func:`merge` shifts
every offset to the whole document and makes one record of each real event found in several
chunks (:func:`same_event`), with the evidence of each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from minerals_summ.records import Agreement, DateRef, Evidence, Money, Party, PolicyScheme, Span
from minerals_summ.summary import ArticleSummary
from minerals_summ.vocabulary import Status

__all__ = ["Chunk", "merge", "same_event", "shift", "split"]

_Model = TypeVar("_Model", bound=BaseModel)
Record = Agreement | PolicyScheme

# Where a chunk may end, best first: a blank line, a line end, a sentence end, a space.
_BREAKS = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"[.!?][\"')\]]?\s"),
    re.compile(r"\s"),
)


@dataclass(frozen=True)
class Chunk:
    """``text == document[start:start + len(text)]``."""

    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _cut(text: str, start: int, limit: int) -> int:
    """The end of a chunk starting at ``start``: the best break in the last half of its room."""
    if len(text) - start <= limit:
        return len(text)
    low, high = start + limit // 2, start + limit
    for pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(text, low, high)]
        if ends:
            return ends[-1]
    return high  # one unbroken run of characters: cut it


def _back(text: str, end: int, overlap: int, start: int) -> int:
    """Where the next chunk starts: at a paragraph (else line, sentence) start within
    ``overlap`` characters before ``end``, never at or before ``start``."""
    if overlap <= 0:
        return end
    low = max(start + 1, end - overlap)
    for pattern in _BREAKS[:3]:
        starts = [m.end() for m in pattern.finditer(text, low, end) if m.end() < end]
        if starts:
            return starts[0]
    return end


def split(text: str, max_chars: int, *, overlap_chars: int = 0) -> list[Chunk]:
    """``text`` in chunks of at most ``max_chars`` characters, consecutive chunks sharing up to
    ``overlap_chars`` (whole paragraphs where possible). One chunk when it fits."""
    if max_chars < 1:
        raise ValueError("max_chars must be >= 1")
    overlap = min(overlap_chars, max_chars // 2)
    chunks: list[Chunk] = []
    start = 0
    while True:
        end = _cut(text, start, max_chars)
        chunks.append(Chunk(start, text[start:end]))
        if end >= len(text):
            return chunks
        start = _back(text, end, overlap, start)


def _shifted(value: Any, offset: int) -> Any:
    if isinstance(value, Span):
        return Span(start=value.start + offset, end=value.end + offset)
    if isinstance(value, Evidence):
        return value.model_copy(update={"start": value.start + offset, "end": value.end + offset})
    if isinstance(value, BaseModel):
        return shift(value, offset)
    if isinstance(value, tuple):
        return tuple(_shifted(item, offset) for item in value)
    return value


def shift(record: _Model, offset: int) -> _Model:
    """``record`` with every offset in it (evidence, spans) moved by ``offset``."""
    if offset == 0:
        return record
    changed = {
        name: _shifted(value, offset)
        for name, value in record
        if isinstance(value, BaseModel | tuple)
    }
    return record.model_copy(update=changed)


def _fold(name: str | None) -> str:
    words = re.sub(r"[^\w]+", " ", (name or "").casefold()).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _same_party(a: Party, b: Party) -> bool:
    names_a = {_fold(a.name), _fold(a.acronym)} - {""}
    names_b = {_fold(b.name), _fold(b.acronym)} - {""}
    if names_a & names_b:
        return True
    # A country acting as a whole is named many ways ("the US", "Washington", "United States").
    return a.kind == b.kind == "government" and a.country is not None and a.country == b.country


def _parties_match(a: Agreement, b: Agreement) -> bool:
    small, large = sorted((a.parties, b.parties), key=len)
    return all(any(_same_party(p, q) for q in large) for p in small)


def _same_money(a: Money | None, b: Money | None) -> bool:
    return a is None or b is None or (a.amount, a.currency) == (b.amount, b.currency)


_COARSE = {"day": 0, "week": 1, "month": 2, "year": 3}


def _same_date(a: DateRef | None, b: DateRef | None) -> bool:
    """Compatible: either unknown, or the finer date falls within the coarser one."""
    if a is None or b is None or a.value is None or b.value is None:
        return True
    if _COARSE.get(str(a.precision), 0) < _COARSE.get(str(b.precision), 0):
        a, b = b, a  # a is the coarser
    coarse, fine = a.value, b.value
    assert coarse is not None
    assert fine is not None
    precision = str(a.precision or "day")
    if precision == "year":
        return coarse.year == fine.year
    if precision == "month":
        return (coarse.year, coarse.month) == (fine.year, fine.month)
    if precision == "week":
        return 0 <= (fine - coarse).days < 7
    return coarse == fine


def same_event(a: Record, b: Record) -> bool:
    """Whether two records found in different chunks report one real event.

    The same record type and kind (agreement kind; scheme jurisdiction and instrument), the
    parties of one all found among the other's (agreements), no conflicting value, budget or
    date, and no two disjoint lists of minerals.
    """
    if a.minerals and b.minerals and not set(a.minerals) & set(b.minerals):
        return False
    if isinstance(a, Agreement) and isinstance(b, Agreement):
        return (
            a.kind == b.kind
            and _parties_match(a, b)
            and _same_money(a.value, b.value)
            and _same_date(a.date, b.date)
        )
    if isinstance(a, PolicyScheme) and isinstance(b, PolicyScheme):
        return (
            (a.country, a.instrument) == (b.country, b.instrument)
            and _same_money(a.budget, b.budget)
            and _same_date(a.date, b.date)
            and (a.duration_years is None or b.duration_years in (None, a.duration_years))
        )
    return False


_T = TypeVar("_T")


def _union(items: Iterable[_T], key: Any = None) -> tuple[_T, ...]:
    seen: dict[Any, _T] = {}
    for item in items:
        seen.setdefault(item if key is None else key(item), item)
    return tuple(seen.values())


_STATUS_ORDER = list(Status)


def _combine(a: Record, b: Record) -> Record:
    """One record from two reports of one event: ``a``'s values, filled in and added to by
    ``b``'s; the strongest status; the evidence of both, in document order."""
    update: dict[str, Any] = {}
    for name, value in a:
        other = getattr(b, name)
        if value is None and other is not None:
            update[name] = other
    update["status"] = max(a.status, b.status, key=_STATUS_ORDER.index)
    update["minerals"] = _union((*a.minerals, *b.minerals))
    update["evidence"] = tuple(
        sorted(
            _union((*a.evidence, *b.evidence), key=lambda e: (e.start, e.end)),
            key=lambda e: e.start,
        )
    )
    if isinstance(a, Agreement) and isinstance(b, Agreement):
        update["activities"] = _union((*a.activities, *b.activities))
        update["parties"] = a.parties + tuple(
            p for p in b.parties if not any(_same_party(p, q) for q in a.parties)
        )
        update["officials"] = _union((*a.officials, *b.officials), key=lambda o: _fold(o.name))
    elif isinstance(a, PolicyScheme) and isinstance(b, PolicyScheme):
        update["targets"] = _union(
            (*a.targets, *b.targets),
            key=lambda t: (_fold(t.description), t.quantity.value if t.quantity else None),
        )
    return a.model_copy(update=update)


def _merge_records(records: Sequence[Record]) -> list[Record]:
    merged: list[Record] = []
    for record in records:
        for i, kept in enumerate(merged):
            if same_event(kept, record):
                merged[i] = _combine(kept, record)
                break
        else:
            merged.append(record)
    return merged


def merge(parts: Sequence[tuple[Chunk, ArticleSummary]]) -> ArticleSummary:
    """One summary of the whole document from each chunk's: offsets shifted to the document,
    one record per real event, the chunk summaries joined. Provenance is the caller's."""
    agreements: list[Record] = []
    schemes: list[Record] = []
    for chunk, summary in parts:
        agreements += [shift(a, chunk.start) for a in summary.agreements]
        schemes += [shift(s, chunk.start) for s in summary.policy_schemes]
    texts = _union(s.summary.strip() for _, s in parts if s.summary.strip())
    return ArticleSummary(
        summary=" ".join(texts),
        agreements=tuple(r for r in _merge_records(agreements) if isinstance(r, Agreement)),
        policy_schemes=tuple(r for r in _merge_records(schemes) if isinstance(r, PolicyScheme)),
        published=parts[0][1].published if parts else None,
    )


CHARS_PER_TOKEN = 4  # English news text runs about four characters a token
MAX_DEFAULT_TOKENS = 32_000  # recall drops on very long inputs, and so does the answer's room
UNKNOWN_MODEL_TOKENS = 4_000  # a local model's context may be 8k tokens, prompt and answer included


def article_tokens(model: str, max_article_tokens: int | None) -> int:
    """The most article tokens one request carries: ``max_article_tokens`` when given, else a
    quarter of the model's context window up to :data:`MAX_DEFAULT_TOKENS`, or
    :data:`UNKNOWN_MODEL_TOKENS` for a model whose window is unknown."""
    if max_article_tokens is not None:
        return max_article_tokens
    from minerals_summ.costs import context_window

    window = context_window(model)
    return UNKNOWN_MODEL_TOKENS if window is None else min(window // 4, MAX_DEFAULT_TOKENS)


def plan(text: str, model: str, max_article_tokens: int | None) -> list[Chunk]:
    """The chunks one document is extracted in: one when it fits a request's budget."""
    limit = article_tokens(model, max_article_tokens) * CHARS_PER_TOKEN
    if len(text) <= limit:
        return [Chunk(0, text)]
    return split(text, limit, overlap_chars=min(limit // 10, 4_000))
