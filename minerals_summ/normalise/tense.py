"""Whether a date without a year lies ahead of publication or behind it, from the words around it.

"Exports will resume on October 16" looks ahead; "the deal signed on July 31" looks back. In
order, what decides: a word of the date that points by itself ("last March", "next Monday",
"back in August"); else the verb of its clause nearest before it and a preposition in the date or
right before it ("by July", "effective December 1", "since March"), when they agree or only one
speaks (when they disagree, as in "deferred ... until Oct. 31" or "were not available until
December 25", nothing is known); a date that opens its clause has the verb after it ("On July
31, the two countries signed ...", "by December 8, it had recovered"); else the first verb after
it in its sentence.
"""

from __future__ import annotations

import re
from enum import Enum

from minerals_summ.normalise.invisible import visible

__all__ = ["Direction", "direction", "sentence_around"]


class Direction(Enum):
    AHEAD = "ahead"
    BEHIND = "behind"


# Words of a date that point it by themselves.
_OWN_AHEAD = r"next|coming|upcoming|later\s+this"
_OWN_BEHIND = r"last|earlier|previous|past|ago|back"
# Prepositions and the like, in the date or right before it.
_PREPOSITION_AHEAD = (
    r"until|till|to|from|by|before|effective|with\s+effect|w\.?e\.?f|starting|starts|beginning"
    r"|commencing|due|as\s+soon\s+as"
    r"|no\s+later\s+than|not\s+later\s+than|deadline|as\s+early\s+as|scheduled\s+for"
    r"|slated\s+for|expected|set\s+for|planned\s+for|ahead\s+of"
)
_PREPOSITION_BEHIND = r"since|dated|as\s+of|as\s+at|through"
# Verbs and auxiliaries that point the date of their clause.
_VERB_AHEAD = (
    r"will|shall|would|'ll|expected|expects|expect|scheduled|slated|set\s+to|plans?\s+to"
    r"|planned|planning|intends?\s+to|aims?\s+to|is\s+to|are\s+to|going\s+to|to\s+be"
    r"|forthcoming|deadline|later\s+this"
)
_VERB_BEHIND = (
    r"said|says|signed|announced|agreed|approved|was|were|had|has\s+been|have\s+been|took"
    r"|came|began|started|launched|unveiled|completed|issued|released|published|reported"
    r"|held|met|imposed|introduced|inked|sealed|struck|concluded|finali[sz]ed|closed"
    r"|secured|received|raised|won|told|announcing|signing|recently|already|earlier|last"
    r"|rose|fell|grew|gave|made|sold|bought|paid|spent|lost|fallen|risen|grown|given"
    r"|taken|seen|become|became|went|gone|brought|built|shown|showed|saw|hit"
)
# Any other past tense, in lower case ("United" is no verb), but not the participles that look
# ahead or describe, and only before a word that does not make it an adjective ("refined PGM
# production" is no verb; "adopted its first list", "ramped up" are). No participle after "be"
# counts ("will be signed").
_AFTER_VERB = (
    r"(?=\s+(?:its|their|the|a|an|on|in|at|by|to|up|down|out|off|from|with|that|this|these|his"
    r"|her|our|for|as|into|over|back|it|them)\b|\s*[,.;:]|\s*$)"
)
_PAST_TENSE = (
    r"(?!(?:expected|scheduled|slated|planned|proposed|based|related"
    r"|limited|advanced|detailed|listed|needed|required|unexpected)\b)[a-z]{2,}ed" + _AFTER_VERB
)


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'])(?:{pattern})(?![\w'])", re.IGNORECASE)


_OWN = {Direction.AHEAD: _words(_OWN_AHEAD), Direction.BEHIND: _words(_OWN_BEHIND)}
_PREPOSITION = {
    Direction.AHEAD: _words(_PREPOSITION_AHEAD),
    Direction.BEHIND: _words(_PREPOSITION_BEHIND),
}
_VERB = {
    Direction.AHEAD: _words(_VERB_AHEAD),
    Direction.BEHIND: re.compile(
        rf"(?<![\w'])(?<!be\s)(?<!being\s)(?:(?i:{_VERB_BEHIND})|{_PAST_TENSE})(?![\w'])"
    ),
}
_WORD_BEFORE = re.compile(r"[\w']+\s+$")
# What may stand before a date that opens its clause: nothing, or a conjunction.
_OPENS_CLAUSE = re.compile(
    r"\s*(?:(?:and|but|while|whereas|so|yet|then|however|meanwhile|also)\s+)*", re.IGNORECASE
)
_CLAUSE_END = re.compile(r"[,;:](?=\s)|[!?()\n]|(?<!\.)\.(?=\s)")  # not an ellipsis
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(]?[A-Z0-9])|\n")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``text[start:end]``, for :func:`direction`."""
    starts = [m.end() for m in _SENTENCE_BREAK.finditer(text, 0, start)]
    stop = _SENTENCE_BREAK.search(text, end)
    return text[starts[-1] if starts else 0 : stop.start() + 1 if stop else None]


def _pointed(text: str, patterns: dict[Direction, re.Pattern[str]]) -> Direction | None:
    """The direction the words in ``text`` point to, when they point one way only."""
    found = {d for d, pattern in patterns.items() if pattern.search(text)}
    return found.pop() if len(found) == 1 else None


def _nearest_before(text: str) -> Direction | None:
    """The direction of the last verb in ``text`` (the clause before the date)."""
    best: tuple[int, Direction] | None = None
    for d, pattern in _VERB.items():
        for match in pattern.finditer(text):
            if best is None or match.end() > best[0]:
                best = (match.end(), d)
    return best[1] if best else None


def _first_after(text: str) -> Direction | None:
    """The direction of the first verb in ``text`` (the sentence after the date)."""
    found = [(m.start(), d) for d, pattern in _VERB.items() if (m := pattern.search(text))]
    return min(found, key=lambda f: f[0])[1] if found else None


def direction(phrase: str, context: str | None = None) -> Direction | None:
    """Whether ``phrase`` (a date's words) lies ahead of publication or behind it, if known.

    ``context`` is the sentence the date stands in; when the phrase is not found in it, only
    words in the context that all point one way count.
    """
    pointed = _pointed(phrase, _OWN)
    if pointed is not None:
        return pointed
    words = " ".join(visible(phrase).split())
    context = visible(context or "")
    at = context.lower().find(words.lower())
    if at < 0:
        return _pointed(phrase, _PREPOSITION) or _pointed(context, _VERB)
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(context, 0, at)), default=0)
    lead = context[clause_start:at]
    end = at + len(words)
    stop = _SENTENCE_END.search(context, end)
    after = context[end : stop.start() if stop else len(context)]
    # A date that opens its clause belongs to the verb after it: "By December 8, it had
    # recovered", "From January 1, exporters will need a licence", "In August, the ministry said".
    verb = _first_after(after) if _OPENS_CLAUSE.fullmatch(lead) else _nearest_before(lead)
    before = _WORD_BEFORE.search(context, max(0, at - 30), at)
    preposition = _pointed(phrase + " " + (before[0] if before else ""), _PREPOSITION)
    if verb is not None and preposition is not None and verb is not preposition:
        return None  # "deferred ... until Oct. 31", "were not available until December 25"
    if verb is not None or preposition is not None:
        return verb or preposition
    return _first_after(after)
