"""What free text written by the model (a summary, a title, a role) may state: only the article's.

The summary, titles, roles and organisations are the model's own sentences, not quotes, so they
cannot be located in the article. Their facts can: every number, every clock time and ISO date,
and every proper name (a capitalised word inside a sentence, an acronym anywhere) must be in the
article. Allowed are the article's own forms (case, plural, possessive, a number's grouping or
its word: "six" for 6, "FY25" for "the 2025 financial year"), acronyms of the article's words
("MoU" for "memorandum of understanding", "US" for "United States"), the country names and
demonyms of countries the article names ("Chilean" for "Chile"), units, currency codes and scale
words ("Mt", "USD", "bn"), formulas of minerals it names ("Li2O"), and what the library computed
(``allowed``: ISO codes, the years of resolved dates).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property

from minerals_summ.normalise._numbers import quote as quote_text
from minerals_summ.normalise.countries import CountryMentions, country_code
from minerals_summ.normalise.currencies import ISO_CODES
from minerals_summ.normalise.invisible import visible
from minerals_summ.normalise.minerals import canonical_mineral
from minerals_summ.normalise.scales import SCALES
from minerals_summ.normalise.units import unit_at

__all__ = ["MAX_QUOTE", "ArticleFacts", "evidence_problem", "states_duration"]

MAX_QUOTE = 600  # characters of one evidence quote: a passage, not the article

_DURATION_WORDS = (  # noqa: SIM905
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(_DURATION_WORDS)} | {
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
    "half": "50",
}
_SMALL = frozenset(("a", "an", "and", "of", "the", "for", "to", "in", "on", "at", "by", "with"))
_WORD = re.compile(r"[^\W\d_][\w'’.]*")
_NUMBER = re.compile(r"(?<!\w)\d+(?:[,.]\d+)*")
_STAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b")
_FISCAL = re.compile(r"^FY'?(\d{2}|\d{4})$")
_FORMULA = re.compile(r"^([A-Z][a-z]?)\d*(?:[A-Z][a-z]?\d*)+$|^([A-Z][a-z]?)\d+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?;:]\s+|\(|\n)\s*[\"“‘']?$")
_QUOTE_WORD = re.compile(r"[^\W_]+")
_LETTER = re.compile(r"[^\W\d_]")
_POSSESSIVE = re.compile(r"['’]s$|['’]$")


def _plain(text: str) -> str:
    """Visible characters in compatibility form: "Li₂O" is "Li2O"."""
    return unicodedata.normalize("NFKC", visible(text))


def _number(token: str) -> str:
    """A number without grouping, leading zeros or a trailing ``.0``: "1,500" -> "1500"."""
    digits = token.replace(",", "")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return digits.lstrip("0") or "0"


def _forms(word: str) -> set[str]:
    """A word's forms that count as the same: lower case, without possessive, singular."""
    word = _POSSESSIVE.sub("", word.lower().replace("’", "'")).strip(".")
    forms = {word, word.replace(".", "")}
    for ending in ("es", "s"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            forms.add(word[: -len(ending)])
    return forms


def _measure(word: str) -> bool:
    """A unit, currency code or scale word ("Mt", "GWh", "USD", "bn")."""
    unit = unit_at(" " + word, 0)
    return (
        (unit is not None and unit.end == len(word) + 1)
        or word in ISO_CODES
        or (word.lower() in SCALES)
    )


class ArticleFacts:
    """The numbers, words and initials of one article, for checking free text against it."""

    def __init__(self, article: str) -> None:
        self.article = _plain(article)
        self.countries = CountryMentions(self.article)

    @cached_property
    def _words(self) -> set[str]:
        return {form for w in _WORD.findall(self.article) for form in _forms(w)}

    @cached_property
    def _numbers(self) -> set[str]:
        found = {_number(n) for n in _NUMBER.findall(self.article)}
        found |= {_NUMBER_WORDS[w] for w in self._words if w in _NUMBER_WORDS}
        return found

    @cached_property
    def _capitals(self) -> set[str]:
        """Words written in capitals: "IN" is a name only where the article writes it so."""
        return {w.replace(".", "") for w in _WORD.findall(self.article) if w.isupper()}

    @cached_property
    def _initials(self) -> tuple[str, str]:
        """Initials of every word, and of every word but small ones, as two strings."""
        words = [w.lower() for w in re.findall(r"[^\W\d_]+", self.article)]
        every = "".join(w[0] for w in words)
        content = "".join(w[0] for w in words if w not in _SMALL)
        return f" {every} ", f" {content} "

    def _acronym(self, word: str) -> bool:
        letters = word.replace(".", "").lower()
        candidates = {letters, letters.removesuffix("s")}  # "PSUs"
        return any(len(c) >= 2 and c in initials for c in candidates for initials in self._initials)

    def _country(self, word: str) -> bool:
        """A country name or demonym of a country the article names ("Chilean" for "Chile")."""
        try:
            code = country_code(word)
        except ValueError:
            return False
        return self.countries.mentions(code)

    def _formula(self, word: str) -> bool:
        """A chemical formula of a mineral the article names ("Li2O" for "lithium oxide")."""
        match = _FORMULA.match(word)
        if match is None or not any(c.isdigit() for c in word):
            return False
        try:
            mineral = canonical_mineral(match[1] or match[2])
        except ValueError:
            return False
        return mineral.value.replace("_", " ").split()[0] in self._words

    def _name_found(self, word: str) -> bool:
        fiscal = _FISCAL.match(word)
        if fiscal:
            year = fiscal[1] if len(fiscal[1]) == 4 else "20" + fiscal[1]
            return year in self._numbers
        acronym = sum(c.isupper() for c in word) >= 2
        known = (
            word.replace(".", "") in self._capitals
            if word.isupper()
            else _forms(word) & self._words
        )
        return bool(
            known
            or (acronym and self._acronym(word))
            or _measure(word)
            or self._country(word)
            or self._formula(word)
        )

    def unsupported(
        self, text: str, allowed: frozenset[str] = frozenset(), *, prose: bool = True
    ) -> list[str]:
        """The numbers, stamps and names in ``text`` that the article does not state.

        In ``prose`` a sentence's first word is capitalised whatever it is, so it is not taken
        for a name; in a title or a role ("Elon Musk"), every capitalised word is.
        """
        text = _plain(text)
        missing = [stamp for stamp in _STAMP.findall(text) if stamp not in self.article]
        for token in _NUMBER.findall(_STAMP.sub(" ", text)):
            if _number(token) not in self._numbers and token not in allowed:
                missing.append(token)
        for match in _WORD.finditer(text):
            word = match[0].rstrip(".")
            acronym = sum(c.isupper() for c in word) >= 2
            if not word[:1].isupper() or word in allowed:
                continue
            if prose and not acronym and _SENTENCE_START.search(text, 0, match.start()):
                continue
            if not self._name_found(word):
                missing.append(word)
        return list(dict.fromkeys(missing))


def states_duration(article: str, years: int) -> bool:
    """Whether the article states ``years`` as a number of years ("six-year", "6 years").

    The number must stand on its own ("16 years" does not state 6), followed by white space or
    dashes only, then "year(s)" or "yr(s)".
    """
    forms = [str(years)]
    if years < len(_DURATION_WORDS):
        forms.append(_DURATION_WORDS[years])
    pattern = rf"(?<![\w.,])(?:{'|'.join(forms)})[\s\-\u2010\u2011\u2013\u2014]*y(?:ea)?rs?\b"
    return re.search(pattern, article, re.IGNORECASE) is not None


def evidence_problem(quote: str) -> str | None:
    """What makes ``quote`` unable to support a record, before it is searched: None if nothing.

    A quote must carry content: two words or more, some letters ("," "a" "-" and "the" prove
    nothing), and no more than :data:`MAX_QUOTE` characters (the whole article proves nothing
    either).
    """
    if not quote.strip():
        return "an evidence quote is empty; quote a short passage exactly as the article writes it."
    if len(quote) > MAX_QUOTE:
        return (
            f"an evidence quote of {len(quote)} characters is more than a passage; quote only the "
            f"sentence or clause that supports the record (at most {MAX_QUOTE} characters)."
        )
    if len(_QUOTE_WORD.findall(quote)) < 2 or not _LETTER.search(quote):
        return (
            f"{quote_text(quote)} is too short to show anything; quote the clause or sentence of "
            "the article that supports the record, exactly as written."
        )
    return None
