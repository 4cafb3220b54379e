"""Draft + article -> records: parse every text, ground every quote and name, canonicalise codes.

This is the check that makes the model's answer trustworthy. It collects every problem in a draft
(not just the first), each naming the field, the offending text and what to write instead, and
raises them together as one :class:`DraftProblems`. Inside a pydantic validator that message is
what instructor sends back to the model on a re-ask, so it is written for the model to act on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar

from minerals_summ.exceptions import DraftProblems, Problem
from minerals_summ.grounding import ArticleText
from minerals_summ.normalise import (
    canonical_mineral,
    country_code,
    parse_money,
    parse_quantity,
    resolve_date,
)
from minerals_summ.records import (
    Agreement,
    DateRef,
    Evidence,
    Money,
    Party,
    Person,
    PolicyScheme,
    Quantity,
    Span,
    Target,
)
from minerals_summ.schema import (
    AgreementDraft,
    ArticleDraft,
    DateDraft,
    MoneyDraft,
    PartyDraft,
    PersonDraft,
    PolicySchemeDraft,
    TargetDraft,
)
from minerals_summ.summary import ArticleSummary
from minerals_summ.vocabulary import Mineral

__all__ = ["DraftProblems", "Problem", "resolve"]

T = TypeVar("T")


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


def _states_duration(article: str, years: int) -> bool:
    """Whether the article states ``years`` as a number of years ("six-year", "6 years").

    The number must stand on its own ("16 years" does not state 6), followed by white space or
    dashes only, then "year(s)" or "yr(s)".
    """
    forms = [str(years)]
    if years < len(_NUMBER_WORDS):
        forms.append(_NUMBER_WORDS[years])
    pattern = rf"(?<![\w.,])(?:{'|'.join(forms)})[\s\-\u2010\u2011\u2013\u2014]*y(?:ea)?rs?\b"
    return re.search(pattern, article, re.IGNORECASE) is not None


class _Resolver:
    """Resolves one draft against one article, collecting every problem on the way."""

    def __init__(
        self, article: str, published: dt.date | None, default_currency: str | None
    ) -> None:
        self.article = article
        self.text = ArticleText(article)
        self.published = published
        self.default_currency = default_currency
        self.problems: list[Problem] = []

    # -- helpers ---------------------------------------------------------------------------

    def _fail(self, path: str, kind: str, message: str) -> None:
        self.problems.append(Problem(path, message, kind))

    def _text_span(self, path: str, text: str, what: str) -> Span | None:
        """Where a money, quantity or date text is: exact up to space, quote, dash and case."""
        span = self.text.locate(text, fuzzy=False)
        if span is None:
            self._not_found(path, text, what)
            return None
        start, end = span.start, span.end
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
        return span

    def _not_found(self, path: str, text: str, what: str) -> None:
        # Name the article's own wording when it differs only typographically (a fuzzy match
        # never bridges a changed number), so the model can copy it.
        near = self.text.locate(text, fuzzy=True)
        if near is not None:
            found = self.article[near.start : near.end]
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

    def _name(self, path: str, name: str | None, what: str) -> Span | None:
        """Where a name is in the article; a problem for the model when it is not there."""
        if name is None or not name.strip():
            return None
        span = self.text.locate_name(name)
        if span is None:
            self._fail(
                path,
                "ungrounded_name",
                f"{name!r} is not in the article; give the {what} as the article names it, "
                "or null if the article does not name one.",
            )
        return span

    # -- values ----------------------------------------------------------------------------

    def money(self, path: str, draft: MoneyDraft | None) -> Money | None:
        if draft is None:
            return None
        span = self._text_span(f"{path}.text", draft.text, "amount")
        money = self._parse(
            f"{path}.text", lambda: parse_money(draft.text, default_currency=self.default_currency)
        )
        if span is None or money is None:
            return None
        return money.model_copy(update={"span": span})

    def quantity(self, path: str, text: str, per_year: bool) -> Quantity | None:
        span = self._text_span(f"{path}.text", text, "quantity with its unit")
        quantity = self._parse(f"{path}.text", lambda: parse_quantity(text))
        if span is None or quantity is None:
            return None
        return quantity.model_copy(update={"span": span, "per_year": quantity.per_year or per_year})

    def date(self, path: str, draft: DateDraft | None) -> DateRef | None:
        if draft is None:
            return None
        span = self._text_span(f"{path}.text", draft.text, "date words")
        date = self._parse(f"{path}.text", lambda: resolve_date(draft.text, self.published))
        if span is None or date is None:
            return None
        return date.model_copy(update={"span": span})

    def evidence(self, path: str, quotes: Iterable[str]) -> tuple[Evidence, ...]:
        located: list[Evidence] = []
        for i, quote in enumerate(quotes):
            if not quote.strip():
                self._fail(
                    f"{path}[{i}]",
                    "ungrounded_quote",
                    "an evidence quote is empty; quote a short passage exactly as the article "
                    "writes it.",
                )
                continue
            span = self.text.locate(quote)
            if span is None:
                self._fail(
                    f"{path}[{i}]",
                    "ungrounded_quote",
                    f"{quote!r} is not in the article; quote a short passage exactly as the "
                    "article writes it.",
                )
                continue
            quoted = self.article[span.start : span.end]
            located.append(Evidence(quote=quoted, start=span.start, end=span.end))
        return tuple(located)

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

    def party(self, path: str, draft: PartyDraft) -> Party:
        span = self.text.locate_name(draft.name)
        if span is None and draft.acronym:
            span = self.text.locate_name(draft.acronym)
        if span is None:
            also = f" and neither is its acronym {draft.acronym!r}" if draft.acronym else ""
            self._fail(
                f"{path}.name",
                "ungrounded_name",
                f"{draft.name!r} is not in the article{also}; name the party as the article does.",
            )
        self._name(f"{path}.acronym", draft.acronym, "acronym")
        return Party(
            name=draft.name,
            acronym=draft.acronym,
            kind=draft.kind,
            country=self.country(f"{path}.country", draft.country),
            span=span,
        )

    def person(self, path: str, draft: PersonDraft) -> Person:
        return Person(
            name=draft.name,
            role=draft.role,
            organisation=draft.organisation,
            span=self._name(f"{path}.name", draft.name, "person's name"),
        )

    def target(self, path: str, draft: TargetDraft) -> Target:
        quantity = None
        if draft.quantity is not None:
            quantity = self.quantity(
                f"{path}.quantity", draft.quantity.text, draft.quantity.per_year
            )
        return Target(description=draft.description, quantity=quantity)

    def agreement(self, path: str, draft: AgreementDraft) -> Agreement:
        self._name(f"{path}.location", draft.location, "location")
        return Agreement(
            title=draft.title,
            kind=draft.kind,
            status=draft.status,
            parties=tuple(
                self.party(f"{path}.parties[{i}]", p) for i, p in enumerate(draft.parties)
            ),
            minerals=self.minerals(f"{path}.minerals", draft.minerals),
            activities=tuple(dict.fromkeys(draft.activities)),
            value=self.money(f"{path}.value", draft.value),
            date=self.date(f"{path}.date", draft.date),
            location=draft.location,
            officials=tuple(
                self.person(f"{path}.officials[{i}]", p) for i, p in enumerate(draft.officials)
            ),
            evidence=self.evidence(f"{path}.evidence", draft.evidence),
        )

    def scheme(self, path: str, draft: PolicySchemeDraft) -> PolicyScheme:
        self._name(f"{path}.approving_body", draft.approving_body, "approving body")
        self._name(f"{path}.parent_programme", draft.parent_programme, "parent programme")
        return PolicyScheme(
            name=draft.name,
            country=self.country(f"{path}.country", draft.country) or "",
            instrument=draft.instrument,
            status=draft.status,
            approving_body=draft.approving_body,
            parent_programme=draft.parent_programme,
            budget=self.money(f"{path}.budget", draft.budget),
            duration_years=self.duration(f"{path}.duration_years", draft.duration_years),
            date=self.date(f"{path}.date", draft.date),
            minerals=self.minerals(f"{path}.minerals", draft.minerals),
            targets=tuple(
                self.target(f"{path}.targets[{i}]", t) for i, t in enumerate(draft.targets)
            ),
            evidence=self.evidence(f"{path}.evidence", draft.evidence),
        )


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
    resolver = _Resolver(article, published, default_currency)
    agreements = [resolver.agreement(f"agreements[{i}]", a) for i, a in enumerate(draft.agreements)]
    schemes = [
        resolver.scheme(f"policy_schemes[{i}]", s) for i, s in enumerate(draft.policy_schemes)
    ]
    if resolver.problems:
        raise DraftProblems(resolver.problems)
    summary = ArticleSummary(
        summary=draft.summary,
        agreements=tuple(agreements),
        policy_schemes=tuple(schemes),
        published=published,
    )
    summary._draft = draft
    return summary
