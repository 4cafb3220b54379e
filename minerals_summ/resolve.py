"""Draft + article -> records: parse every text, ground every quote and name, canonicalise codes.

This is the check that makes the model's answer trustworthy. It collects every problem in a draft
(not just the first), each naming the field, the offending text and what to write instead, and
raises them together as one :class:`DraftProblems`. Inside a pydantic validator that message is
what instructor sends back to the model on a re-ask, so it is written for the model to act on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import TypeVar

from minerals_summ.exceptions import Problem
from minerals_summ.grounding import find_name, find_quote, folded
from minerals_summ.normalise import canonical_mineral, country_code
from minerals_summ.normalise.dates import _date_fields
from minerals_summ.normalise.money import _money_fields
from minerals_summ.normalise.quantity import _quantity_fields
from minerals_summ.schema import (
    AgreementDraft,
    ArticleDraft,
    ArticleSummary,
    DateDraft,
    MoneyDraft,
    PartyDraft,
    PersonDraft,
    PolicySchemeDraft,
    TargetDraft,
)
from minerals_summ.vocabulary import Mineral

__all__ = ["DraftProblems", "Problem", "resolve"]

T = TypeVar("T")
# A record's fields (or a value's, or a span's). The resolver builds these, and pydantic makes
# every record of the summary from them in one validation: ~45 models, each made and validated
# in pydantic-core, rather than each through its Python constructor (about 0.1 ms a call).
_Data = dict[str, object]


class DraftProblems(ValueError):
    """A draft that does not hold up against its article. ``problems`` lists every failure."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"{i}. {p}" for i, p in enumerate(self.problems, 1))
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            f"The answer has {count} {noun} against the article; fix each one and answer again "
            f"(copy text exactly as the article writes it; use null or an empty list for what "
            f"the article does not state):\n{lines}"
        )


@dataclass
class _Resolver:
    article: str
    published: dt.date | None
    default_currency: str | None
    problems: list[Problem] = field(default_factory=list)

    # -- helpers ---------------------------------------------------------------------------

    def _fail(self, path: str, kind: str, message: str) -> None:
        self.problems.append(Problem(path, message, kind))

    def _text_span(self, path: str, text: str, what: str) -> _Data | None:
        """Where a money, quantity or date text is: exact up to space, quote, dash and case."""
        found = find_quote(text, self.article, fuzzy=False)
        if found is None:
            self._not_found(path, text, what)
            return None
        start, end = found
        if _GROUPED_BEFORE.search(self.article, max(0, start - 2), start) and _THREE_DIGITS.match(
            self.article, start
        ):
            # "500 tonnes" out of "1 500 tonnes": only the tail of a space-grouped number.
            whole = _GROUPED_NUMBER.search(self.article, 0, end)
            found_text = self.article[whole.start() : end] if whole else text
            self._fail(
                path,
                "ungrounded_text",
                f"{text!r} is only part of the article's {found_text!r}; copy the whole {what}.",
            )
            return None
        return {"start": start, "end": end}

    def _not_found(self, path: str, text: str, what: str) -> None:
        # Name the article's own wording when it differs only typographically (a fuzzy match
        # never bridges a changed number), so the model can copy it.
        near = find_quote(text, self.article, fuzzy=True)
        if near is not None:
            found = self.article[near[0] : near[1]]
            advice = f"copy the {what} exactly as written, e.g. {found!r}"
        else:
            advice = f"copy the {what} exactly as the article writes it, or use null"
        self._fail(path, "ungrounded_text", f"{text!r} is not in the article; {advice}.")

    def _parse(self, path: str, parse: Callable[[], T], kind: str = "unparseable") -> T | None:
        """``parse()``, or ``None`` with its ``ValueError`` recorded as a problem of ``kind``."""
        try:
            return parse()
        except ValueError as exc:
            self._fail(path, kind, str(exc))
            return None

    def _find_name(self, path: str, name: str | None, what: str) -> tuple[int, int] | None:
        """Where a name is in the article; a problem for the model when it is not there."""
        if name is None or not name.strip():
            return None
        found = find_name(name, self.article)
        if found is None:
            self._fail(
                path,
                "ungrounded_name",
                f"{name!r} is not in the article; give the {what} as the article names it, "
                "or null if the article does not name one.",
            )
        return found

    def _name(self, path: str, name: str | None, what: str) -> _Data | None:
        found = self._find_name(path, name, what)
        return None if found is None else {"start": found[0], "end": found[1]}

    # -- values ----------------------------------------------------------------------------

    def money(self, path: str, draft: MoneyDraft | None) -> _Data | None:
        if draft is None:
            return None
        span = self._text_span(f"{path}.text", draft.text, "amount")
        money = self._parse(
            f"{path}.text", lambda: _money_fields(draft.text, self.default_currency)
        )
        if span is None or money is None:
            return None
        return {**money, "span": span}

    def quantity(self, path: str, text: str, per_year: bool) -> _Data | None:
        span = self._text_span(f"{path}.text", text, "quantity with its unit")
        quantity = self._parse(f"{path}.text", lambda: _quantity_fields(text))
        if span is None or quantity is None:
            return None
        return {**quantity, "span": span, "per_year": quantity["per_year"] or per_year}

    def date(self, path: str, draft: DateDraft | None) -> _Data | None:
        if draft is None:
            return None
        span = self._text_span(f"{path}.text", draft.text, "date words")
        date = self._parse(f"{path}.text", lambda: _date_fields(draft.text, self.published))
        if span is None or date is None:
            return None
        return {**date, "span": span}

    def evidence(self, path: str, quotes: Iterable[str]) -> list[_Data]:
        located: list[_Data] = []
        for i, quote in enumerate(quotes):
            if not quote.strip():
                self._fail(
                    f"{path}[{i}]",
                    "ungrounded_quote",
                    "an evidence quote is empty; quote a short passage exactly as the article "
                    "writes it.",
                )
                continue
            found = find_quote(quote, self.article)
            if found is None:
                self._fail(
                    f"{path}[{i}]",
                    "ungrounded_quote",
                    f"{quote!r} is not in the article; quote a short passage exactly as the "
                    "article writes it.",
                )
                continue
            start, end = found
            located.append({"quote": self.article[start:end], "start": start, "end": end})
        return located

    def minerals(self, path: str, names: Iterable[str]) -> tuple[Mineral, ...]:
        minerals: dict[Mineral, None] = {}
        for i, name in enumerate(names):
            mineral = self._parse(f"{path}[{i}]", partial(canonical_mineral, name), "unknown_code")
            if mineral is not None:
                minerals[mineral] = None
        return tuple(minerals)

    def country(self, path: str, name: str | None) -> str | None:
        if name is None or not name.strip():
            return None
        return self._parse(path, lambda: country_code(name), "unknown_code")

    def duration(self, path: str, years: int | None) -> int | None:
        if years is not None and not _states_duration(self.article, years):
            self._fail(
                path,
                "ungrounded_text",
                f"the article does not state a duration of {years} years; give the number of "
                "years only when the article states it (e.g. 'a six-year package'), else null.",
            )
        return years

    # -- records ---------------------------------------------------------------------------

    def party(self, path: str, draft: PartyDraft) -> _Data:
        found = find_name(draft.name, self.article)
        if found is None and draft.acronym:
            found = find_name(draft.acronym, self.article)
        if found is None:
            also = f" and neither is its acronym {draft.acronym!r}" if draft.acronym else ""
            self._fail(
                f"{path}.name",
                "ungrounded_name",
                f"{draft.name!r} is not in the article{also}; name the party as the article does.",
            )
        self._find_name(f"{path}.acronym", draft.acronym, "acronym")
        return {
            "name": draft.name,
            "acronym": draft.acronym,
            "kind": draft.kind,
            "country": self.country(f"{path}.country", draft.country),
            "span": None if found is None else {"start": found[0], "end": found[1]},
        }

    def person(self, path: str, draft: PersonDraft) -> _Data:
        span = self._name(f"{path}.name", draft.name, "person's name")
        return {
            "name": draft.name,
            "role": draft.role,
            "organisation": draft.organisation,
            "span": span,
        }

    def target(self, path: str, draft: TargetDraft) -> _Data:
        quantity = None
        if draft.quantity is not None:
            quantity = self.quantity(
                f"{path}.quantity", draft.quantity.text, draft.quantity.per_year
            )
        return {"description": draft.description, "quantity": quantity}

    def agreement(self, path: str, draft: AgreementDraft) -> _Data:
        self._find_name(f"{path}.location", draft.location, "location")
        return {
            "title": draft.title,
            "kind": draft.kind,
            "status": draft.status,
            "parties": [self.party(f"{path}.parties[{i}]", p) for i, p in enumerate(draft.parties)],
            "minerals": self.minerals(f"{path}.minerals", draft.minerals),
            "activities": tuple(dict.fromkeys(draft.activities)),
            "value": self.money(f"{path}.value", draft.value),
            "date": self.date(f"{path}.date", draft.date),
            "location": draft.location,
            "officials": [
                self.person(f"{path}.officials[{i}]", p) for i, p in enumerate(draft.officials)
            ],
            "evidence": self.evidence(f"{path}.evidence", draft.evidence),
        }

    def scheme(self, path: str, draft: PolicySchemeDraft) -> _Data:
        self._find_name(f"{path}.approving_body", draft.approving_body, "approving body")
        self._find_name(f"{path}.parent_programme", draft.parent_programme, "parent programme")
        return {
            "name": draft.name,
            "country": self.country(f"{path}.country", draft.country) or "",
            "instrument": draft.instrument,
            "status": draft.status,
            "approving_body": draft.approving_body,
            "parent_programme": draft.parent_programme,
            "budget": self.money(f"{path}.budget", draft.budget),
            "duration_years": self.duration(f"{path}.duration_years", draft.duration_years),
            "date": self.date(f"{path}.date", draft.date),
            "minerals": self.minerals(f"{path}.minerals", draft.minerals),
            "targets": [
                self.target(f"{path}.targets[{i}]", t) for i, t in enumerate(draft.targets)
            ],
            "evidence": self.evidence(f"{path}.evidence", draft.evidence),
        }


# A number grouped with spaces ("1 500", also no-break and thin spaces).
_GROUPED_BEFORE = re.compile(r"\d[ \u00a0\u202f\u2009]\Z")
_THREE_DIGITS = re.compile(r"\d{3}(?!\d)")
_GROUPED_NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)")

_NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


# What may stand between the number and "years": white space and dashes ("six-year").
_DURATION_GAP = "-\u2010\u2011\u2013\u2014"
# "year(s)", "yr(s)" in any case, searched in the folded (lower-case) article: the long s is
# the one other character a case-blind "s" matches.
_YEARS = re.compile(r"y(?:ea)?r[s\u017f]?\b")


@lru_cache(maxsize=64)
def _number_ending(years: int) -> re.Pattern[str]:
    """``years`` as a whole number or number word, ending where the search ends."""
    forms = [str(years)]
    if years < len(_NUMBER_WORDS):
        forms.append(_NUMBER_WORDS[years])
    return re.compile(rf"\b(?:{'|'.join(forms)})\Z", re.IGNORECASE)


def _states_duration(article: str, years: int) -> bool:
    """Whether the article states ``years`` as a number of years ("six-year", "6 years").

    That is, whether the number (not the end of a longer word or number: "16" is not 6), then
    only white space or dashes, then "year(s)" or "yr(s)" ending a word occurs; found from the
    year words back (one regex trying the number at every
    position of the article took ~0.1 ms a call).
    """
    number = _number_ending(years)
    longest = len(number.pattern)
    for match in _YEARS.finditer(folded(article)):  # one character for one: same positions
        end = match.start()
        while end and (article[end - 1].isspace() or article[end - 1] in _DURATION_GAP):
            end -= 1
        if number.search(article, max(0, end - longest), end):
            return True
    return False


def resolve(
    draft: ArticleDraft,
    article: str,
    published: dt.date | None = None,
    *,
    default_currency: str | None = None,
) -> ArticleSummary:
    """Turn a draft into records checked against ``article``.

    Raises :class:`DraftProblems` (a ``ValueError``) listing every problem found.
    ``default_currency`` applies to amounts with a bare ``$`` or no currency marker.
    """
    resolver = _Resolver(article=article, published=published, default_currency=default_currency)
    agreements = [resolver.agreement(f"agreements[{i}]", a) for i, a in enumerate(draft.agreements)]
    schemes = [
        resolver.scheme(f"policy_schemes[{i}]", s) for i, s in enumerate(draft.policy_schemes)
    ]
    if resolver.problems:
        raise DraftProblems(resolver.problems)
    summary = ArticleSummary.model_validate(
        {
            "summary": draft.summary,
            "agreements": agreements,
            "policy_schemes": schemes,
            "published": published,
        }
    )
    summary._draft = draft
    return summary
