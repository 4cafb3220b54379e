"""Find the model's quotes and names in the article: the grounding check for every record.

:func:`locate` finds a quote (evidence, or a ``*.text`` field) and :func:`locate_name` a name of a
party, person, place or body (both also methods of :class:`ArticleText`). Both return a
:class:`~minerals_summ.records.Span` of offsets into the *original* text, so
``text[span.start:span.end]`` is always the article's own wording.

**Normalisation.** Both sides are compared in a normalised form built by :func:`_build`: curly
quotes, primes and backticks fold to ``'`` or ``"``, dash variants to ``-``, letters to lower case,
format characters (soft hyphens, zero-width spaces and joiners, direction marks: see
:mod:`minerals_summ.normalise.invisible`) are dropped, and every run of white space (newlines,
non-breaking and other unusual spaces ...) becomes one space. For names it also
drops periods and commas (not inside numbers: "1.5" stays) and possessive ``'s``. The map back
holds each normalised character's position in the original (``_Norm.origins``).
:class:`ArticleText` builds an article's normal forms once for all the searches in it.

**Exact match.** The normalised quote must occur in the normalised text, not starting or ending
inside a word or number ("500-crore" is not found in "1,500-crore", "Tin" not in "Martin"). A
dash is never a space: "Rs 1,500 crore" does not match "Rs 1,500-crore".

**Fuzzy match** (``fuzzy=True`` only, after the exact search fails). ``rapidfuzz``'s
``partial_ratio_alignment`` finds the best-aligned window, which is snapped to word edges (the ends
that maximise ``fuzz.ratio``); for names, windows of whole words are scored. A candidate is accepted
only if

* ``fuzz.ratio`` (normalised Indel similarity, 0-100) >= ``FUZZY_THRESHOLD`` = 90: one changed
  letter in a 10-character quote, a dropped "a " in a 20-character one, or ~10 edits in a
  100-character sentence. A quote whose words are mostly elsewhere scores far lower;
* its numbers, number words ("six", "million") and negations ("not", "no", "never", "n't" ...)
  are the same, in the same order (so "1,600" never matches "1,500", nor "not approved" "approved");
* the words that are not small function words pair up one to one, each equal to its partner
  or a spelling variant of it: both at least 4 letters, the same first two letters (not approved /
  disapproved, increase / decrease), at most ``MAX_WORD_EDITS`` = 1 edit (2 from 10 letters on;
  optimal string alignment, so a swap is one: centre/center, organisation/organization,
  labelled/labeled, but not exploration/extraction or sulphur/sulfur), and no changed ending other
  than ``s``, ``es``, ``me`` or ``ue`` (program/programme, but not India/Indian or Canada/Canadian:
  a demonym is not the name). A one-letter change in a longer word (Baker/Barker) does pass.

A quote with an ellipsis ("...", "…") is searched part by part, in order, each part within about
``MAX_ELLIPSIS_GAP`` characters of the previous one; the span covers all of them. With several
acceptable occurrences, the first is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from minerals_summ.normalise.invisible import FORMAT_CHARACTERS
from minerals_summ.records import Span

__all__ = [
    "FUZZY_THRESHOLD",
    "MAX_ELLIPSIS_GAP",
    "MAX_WORD_EDITS",
    "ArticleText",
    "locate",
    "locate_name",
]

FUZZY_THRESHOLD = 90.0
MAX_WORD_EDITS = 1
MAX_ELLIPSIS_GAP = 300
_SLACK = 16  # how far (in characters) snapping may move a fuzzy window's ends
_MAX_ROUNDS = 32  # fuzzy candidates tried per search

# Format characters become \x00, which _build drops like the characters names do without.
_FOLD_TABLE = (
    dict.fromkeys("‘’‚‛′`´", "'")
    | dict.fromkeys("“”„‟″", '"')
    | dict.fromkeys("‐‑‒–—―−", "-")
    | dict.fromkeys(FORMAT_CHARACTERS, "\x00")
)
_FOLD = str.maketrans(_FOLD_TABLE | {"\x00": " "})
# Dropped from names: a period or comma not between two digits, possessive 's, and the
# apostrophe after a plural s ("the states' ...").
_NAME_DROP = re.compile(r"(?<!\d)[.,]|[.,](?!\d)|'s\b|(?<=s)'(?!\w)")
# A run of white space and dropped characters (marked \x00): one space if it holds white space.
_RUN = re.compile(r"\x00*(\s)[\s\x00]*|\x00+")
_ELLIPSIS = re.compile(r"\[?(?:\.\s*){3,}\]?|\[?…\]?")
_TOKEN = re.compile(r"\w+|[^\w\s]")
# Currency symbols and a minus sign are words of their own: "$5" is not "€5", "-40" not "40".
_CURRENCY = "$€£¥₹₩"
_WORD = re.compile(rf"[{_CURRENCY}]|(?<![\w.,])-\d+(?:[.,]\d+)*|\d+(?:[.,]\d+)*|\w+(?:'\w+)*")
_NEGATING_PREFIX = re.compile(r"(?:^|[^a-z])(?:non|un|anti|dis|mis)$")
_NAME_WORD = re.compile(r"(?:\d+(?:[.,]\d+)*|\w)+")  # a number is one word


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NEGATIONS = _wordset("not no never nor neither none nothing without cannot")
_NUMBER_WORDS = _wordset(
    "zero one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty"
    " forty fifty hundred thousand million billion trillion lakh crore dozen half"
)
_STOPWORDS = _wordset(
    "a an the of in on at to for and or by with as from into that this these those is are was were"
    " be been has have had it its their they which who whom will would so also"
)
_FREE_ENDINGS = frozenset({"s", "es", "me", "ue"})


@dataclass(frozen=True)
class _Norm:
    """A normalised text and, for each of its characters, where it came from in the original."""

    text: str
    origins: list[int]

    def offsets(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the normalised range ``[start, end)`` (``end > start``)."""
        return self.origins[start], self.origins[end - 1] + 1

    @cached_property
    def words(self) -> list[tuple[int, int]]:
        """Start and end of every word, for the word-window search of names."""
        return [m.span() for m in _NAME_WORD.finditer(self.text)]


def _fold(text: str) -> str:
    """Fold quotes, dashes, case and format characters, one character for one (same length).

    A character whose lower case is longer ("İ" becomes two) is kept as it is, so that every
    position still maps to the same position of the original.
    """
    folded = text.translate(_FOLD)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(c if len(c.lower()) > 1 else c.lower() for c in folded)


def _build(text: str, names: bool = False) -> _Norm:
    """Normalise ``text`` (see the module docstring) and record where each character came from."""
    folded = _fold(text)
    if names:
        folded = _NAME_DROP.sub(lambda m: "\x00" * len(m.group()), folded)
    chars: list[str] = []
    origins: list[int] = []
    pos = 0
    for run in _RUN.finditer(folded):
        chars.append(folded[pos : run.start()])
        origins.extend(range(pos, run.start()))
        if run.group(1) is not None:  # one space, at the run's first white-space character
            chars.append(" ")
            origins.append(run.start(1))
        pos = run.end()
    chars.append(folded[pos:])
    origins.extend(range(pos, len(folded)))
    return _Norm("".join(chars), origins)


def _flat(text: str, names: bool = False) -> str:
    """A quote or name in the normal form it is searched in."""
    return _build(text, names).text.strip()


def _edge(s: str, i: int) -> bool:
    """True when position ``i`` of ``s`` splits neither a word nor a number ("1,500", "3.5").

    The tail of "Pakistan's" or "don't" is no word of its own, but "Pakistan" is.
    """
    if i <= 0 or i >= len(s):
        return True
    a, b = s[i - 1], s[i]
    if b.isalnum() and (a.isalnum() or (a == "'" and s[i - 2 : i - 1].isalnum())):
        return False
    # One amount: "A$1.25" (not "$1.25"), "$1.25" (not "1.25"), "-40" (not "40").
    if (a.isalpha() and b in _CURRENCY) or (a in _CURRENCY and b.isdigit()):
        return False
    if a == "-" and b.isdigit() and not s[i - 2 : i - 1].isalnum():
        return False
    # "non-binding" does not contain the claim "binding".
    if a == "-" and b.isalpha() and _NEGATING_PREFIX.search(s, max(0, i - 7), i - 1):
        return False
    if a.isdigit() and b in ".," and s[i + 1 : i + 2].isdigit():
        return False
    return not (a in ".," and b.isdigit() and s[i - 2 : i - 1].isdigit())


def _find_exact(q: str, t: str, lo: int, hi: int) -> tuple[int, int] | None:
    """First occurrence of ``q`` in ``t[lo:hi]`` that starts and ends at word edges."""
    i = t.find(q, lo, hi)
    while i >= 0:
        j = i + len(q)
        if _edge(t, i) and _edge(t, j):
            return i, j
        i = t.find(q, i + 1, hi)
    return None


def _strict(words: list[str]) -> list[str]:
    """The words that must match exactly: numbers, number words and negations."""
    return [
        w
        for w in words
        if any(c.isdigit() for c in w)
        or w in _NUMBER_WORDS
        or w in _NEGATIONS
        or w in _CURRENCY
        or w.endswith("n't")
    ]


def _variant(x: str, y: str) -> bool:
    """True when words ``x`` and ``y`` are equal or spelling variants of one word."""
    if x == y:
        return True
    short, long_ = sorted((x, y), key=len)
    if len(short) < 4 or x[:2] != y[:2]:
        return False
    head = next((i for i, (a, b) in enumerate(zip(x, y, strict=False)) if a != b), len(short))
    if len(x) != len(y) and head >= len(short) - 1:  # the ending changed: only s, es, me, ue
        return long_.startswith(short) and long_[len(short) :] in _FREE_ENDINGS
    return OSA.distance(x, y) <= MAX_WORD_EDITS + (len(short) >= 10)


def _same_claim(a: str, b: str) -> bool:
    """True when normalised ``a`` and ``b`` differ only typographically (see module docstring)."""
    wa, wb = _WORD.findall(a), _WORD.findall(b)
    if _strict(wa) != _strict(wb):
        return False
    ca = [w for w in wa if w not in _STOPWORDS]
    cb = [w for w in wb if w not in _STOPWORDS]
    if len(ca) != len(cb):
        return False
    for x in ca:  # pair the words one to one, equal words first
        y = x if x in cb else next((y for y in cb if _variant(x, y)), None)
        if y is None:
            return False
        cb.remove(y)
    return True


def _snap(q: str, t: str, a: int, b: int) -> tuple[float, int, int] | None:
    """Move the ends of window ``t[a:b]`` to the word edges that best fit ``q``."""
    near = list(_TOKEN.finditer(t, max(0, a - _SLACK), min(len(t), b + _SLACK)))
    starts = [m.start() for m in near if abs(m.start() - a) <= _SLACK and _edge(t, m.start())]
    ends = [m.end() for m in near if abs(m.end() - b) <= _SLACK and _edge(t, m.end())]
    scored = [(fuzz.ratio(q, t[s:e]), -s, e) for s in starts for e in ends if e > s]
    if not scored:
        return None
    score, neg_start, end = max(scored)
    return score, -neg_start, end


def _negated(t: str, s: int) -> bool:
    """True when a window starting at ``s`` was cut out of "non-binding", "un-...": a reversal."""
    j = s + 1 if t[s : s + 1] == "-" else s
    return t[j - 1 : j] == "-" and bool(_NEGATING_PREFIX.search(t, max(0, j - 8), j - 1))


def _find_fuzzy(q: str, t: str, lo: int, hi: int) -> tuple[int, int] | None:
    """First acceptable fuzzy occurrence of ``q`` in ``t[lo:hi]``, or None."""
    found = None
    for _ in range(_MAX_ROUNDS):
        al = fuzz.partial_ratio_alignment(q, t[lo:hi], score_cutoff=FUZZY_THRESHOLD)
        if al is None:
            break
        snapped = _snap(q, t, lo + al.dest_start, lo + al.dest_end)
        if snapped is not None:
            score, s, e = snapped
            if score >= FUZZY_THRESHOLD and _same_claim(q, t[s:e]) and not _negated(t, s):
                found = (s, e)
        if lo + al.dest_start >= hi:
            break
        hi = lo + al.dest_start  # an earlier occurrence ends before this one starts
    return found


def _find_parts(parts: list[str], t: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Locate the parts of an elided quote in order, each near the previous one."""
    for _ in range(_MAX_ROUNDS):
        hit = _find_exact(parts[0], t, lo, hi) or _find_fuzzy(parts[0], t, lo, hi)
        if hit is None or len(parts) == 1:
            return hit
        window = min(len(t), hit[1] + MAX_ELLIPSIS_GAP + 2 * len(parts[1]))
        tail = _find_parts(parts[1:], t, hit[1], window)
        if tail is not None:
            return hit[0], tail[1]
        lo = hit[0] + 1
    return None


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"


def _alnum(s: str) -> str:
    return _NOT_ALNUM.sub("", s)


def _acronym(name: str) -> str | None:
    """The letters of a name written in capitals, at most 6 ("US", "U.S.", "FWO"), else None."""
    letters = _alnum(name)
    return letters if letters.isupper() and len(letters) <= 6 else None


class ArticleText:
    """An article prepared for grounding: its two normal forms are built once, on first use.

    A model's answer is checked with some thirty searches in the same article; building its
    normal forms for each would repeat the same work thirty times.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _plain(self) -> _Norm:
        return _build(self.text)

    @cached_property
    def _names(self) -> _Norm:
        return _build(self.text, names=True)

    def locate(self, quote: str, *, fuzzy: bool = True) -> Span | None:
        """Where ``quote`` occurs, up to white space, quotes, dashes and case.

        With ``fuzzy`` (the default), small typographic differences and ellipses are tolerated
        too; changed numbers, negations and words never are. None when it is not found.
        """
        q = _flat(quote)
        if not q:
            return None
        norm = self._plain
        t = norm.text
        hit = _find_exact(q, t, 0, len(t))
        if hit is None and fuzzy:
            parts = [p for p in (_flat(p) for p in _ELLIPSIS.split(quote)) if p]
            hit = _find_parts(parts or [q], t, 0, len(t))
        return None if hit is None else _span(norm.offsets(*hit))

    def locate_name(self, name: str) -> Span | None:
        """Where the name of a party, person, place or body occurs, as whole words.

        Besides :meth:`locate`'s tolerances, periods, commas and possessive 's are ignored, and
        the name may differ by a spelling variant or a small word. An acronym ("US", "FWO") must
        match in capitals; numbers must match exactly; a demonym ("Indian") is not the name
        ("India").
        """
        n = _flat(name, names=True)
        if not n:
            return None
        norm = self._names
        t = norm.text
        acronym = _acronym(name)
        lo = 0
        while (hit := _find_exact(n, t, lo, len(t))) is not None:
            start, end = norm.offsets(*hit)
            if acronym is None or _alnum(self.text[start:end]) == acronym:
                return Span(start=start, end=end)
            lo = hit[0] + 1
        if acronym is not None:
            return None
        return self._fuzzy_name(n)

    def _fuzzy_name(self, n: str) -> Span | None:
        """The best window of about as many words as the name, close enough and the same claim."""
        norm = self._names
        t, words, k = norm.text, norm.words, len(_NAME_WORD.findall(n))
        found: list[tuple[float, int, int]] = []
        for width in sorted({max(1, k - 1), k, k + 1}):
            if not 1 <= width <= len(words):  # (a name of no words, e.g. "-", has width 0 too)
                continue
            spans = [(words[i][0], words[i + width - 1][1]) for i in range(len(words) - width + 1)]
            choices = [t[s:e] for s, e in spans]
            for _, score, i in process.extract(
                n, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=None
            ):
                found.append((-score, *spans[i]))
        for _, s, e in sorted(found):
            if _same_claim(n, t[s:e]):
                return _span(norm.offsets(s, e))
        return None


def _span(offsets: tuple[int, int]) -> Span:
    return Span(start=offsets[0], end=offsets[1])


def locate(quote: str, text: str, *, fuzzy: bool = True) -> Span | None:
    """Where ``quote`` occurs in ``text``: :meth:`ArticleText.locate` for one search."""
    return ArticleText(text).locate(quote, fuzzy=fuzzy)


def locate_name(name: str, text: str) -> Span | None:
    """Where a name occurs in ``text``: :meth:`ArticleText.locate_name` for one search."""
    return ArticleText(text).locate_name(name)
