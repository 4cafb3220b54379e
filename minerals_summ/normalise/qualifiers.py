"""The words around a figure that say how it relates to the truth: "about", "more than", "up to".

An amount written "up to $120,000,000" is not $120,000,000; dropping the words would hand the
reader a ceiling as if it were the figure. The parsers keep them as a :class:`Qualifier`.
"""

from __future__ import annotations

import re

from minerals_summ.vocabulary import Qualifier

__all__ = ["QUALIFIER_WORDS", "qualifier"]

# Words and signs before the figure ("about $2 billion", ">8.3 million tpa", "≤ 200 t"); of several
# that match, the longest counts.
_BEFORE: dict[Qualifier, str] = {
    Qualifier.APPROXIMATELY: (
        r"just\s+about|about|around|roughly|approximately|approx\.?|nearly|almost|some"
        r"|an\s+estimated|estimated|close\s+to|circa|ca\.|c\.|an?\s+approximate|~"
        r"|in\s+the\s+region\s+of|in\s+the\s+order\s+of|≈"
    ),
    Qualifier.AT_LEAST: (
        r"at\s+least|a\s+minimum\s+of|minimum\s+of|minimum|min\.|no\s+less\s+than"
        r"|not\s+less\s+than|no\s+fewer\s+than|not\s+fewer\s+than|≥|⩾|>=|=>"
    ),
    Qualifier.MORE_THAN: (
        r"(?:just\s+|well\s+)?(?:more\s+than|over|above)|exceed(?:s|ed|ing)?|in\s+excess\s+of"
        r"|upwards?\s+of|greater\s+than|north\s+of|more\s+then|>(?!=)|＞"
    ),
    Qualifier.UP_TO: (
        r"up\s+to|as\s+much\s+as|as\s+many\s+as|a\s+maximum\s+of|maximum\s+of|maximum|max\."
        r"|no\s+more\s+than|not\s+more\s+than|capped\s+at|at\s+most|not\s+(?:to\s+)?exceed(?:ing)?"
        r"|no\s+greater\s+than|≤|⩽|<=|=<"
    ),
    Qualifier.LESS_THAN: (
        r"(?:just\s+|well\s+)?(?:less\s+than|under|below|fewer\s+than|lower\s+than)|short\s+of"
        r"|<(?!=)|＜"
    ),
}
# Words after it ("$2 billion or more", "a $2bn-plus deal").
_AFTER: dict[Qualifier, str] = {
    Qualifier.AT_LEAST: r"or\s+more",
    Qualifier.MORE_THAN: r"-plus\b|\+(?![\s$€£₹]*\d)",
    Qualifier.UP_TO: r"or\s+less|or\s+fewer",
    Qualifier.APPROXIMATELY: r"or\s+so",
}

# Words that may stand between the qualifier and the figure without changing what it qualifies:
# "up to an additional $570 million", "more than a further 20,000 tonnes", "about another $1bn",
# "an estimated annual capacity of 34 million mt", "a maximum principal amount of US$150 million".
_BETWEEN = (
    r"(?:an?\s+)?(?:additional|further|extra)|another"
    r"|(?:an?\s+|the\s+)?(?:[a-z][\w-]*\s+){0,2}(?:total|combined|capacity|amount|output"
    r"|production|value|volume|investment|cost|sum|budget|loan|funding|financing)\s+of"
)

# Every qualifier word, for patterns that allow one between other words ("to more than 300").
QUALIFIER_WORDS = "|".join(f"(?:{words})" for words in _BEFORE.values())

_BEFORE_RE = [
    (q, re.compile(rf"(?<![\w$])(?:{words})(?:\s+(?:{_BETWEEN}))?\s*$", re.IGNORECASE))
    for q, words in _BEFORE.items()
]
_AFTER_RE = [(q, re.compile(rf"\s*(?:{words})", re.IGNORECASE)) for q, words in _AFTER.items()]


def qualifier(work: str, start: int, end: int) -> Qualifier:
    """The qualifier of the figure ``work[start:end]``: from the words right before, or after it.

    ``start`` is where the figure begins (its currency marker, if one comes first), ``end``
    where it ends (after its scale words, currency or unit).
    """
    head = work[max(0, start - 40) : start]
    found = [(m.start(), q) for q, pattern in _BEFORE_RE if (m := pattern.search(head))]
    if found:  # the longest: "no more than" is not "more than"
        return min(found, key=lambda f: f[0])[1]
    for q, pattern in _AFTER_RE:
        if pattern.match(work, end):
            return q
    return Qualifier.EXACT
