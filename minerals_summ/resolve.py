"""Draft + article -> records: parse every text, ground every quote and name, canonicalise codes.

This is the check that makes the model's answer trustworthy. It collects every problem in a draft
(not just the first), one per field, each naming the field, the offending text and what to write
instead, and raises them together as one :class:`DraftProblems`. Inside a pydantic validator that
message is what instructor sends back to the model on a re-ask, so it is written for the model to
act on.

A money, quantity or date text must be the article's whole expression ("Rs 1,500" out of "Rs
1,500-crore" is sent back), and a date is resolved with its sentence; evidence must carry content
and a name a letter; free text (summary, titles, roles, organisations) may state only the article's
numbers, dates and names; a country code the article gives no sign of is marked ``inferred``.
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
from minerals_summ.normalise._numbers import quote as short
from minerals_summ.normalise.expression import DATE_WORDS, whole_expression
from minerals_summ.normalise.free_text import ArticleFacts, evidence_problem, states_duration
from minerals_summ.normalise.tense import sentence_around
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


_LETTER = re.compile(r"[^\W\d_]")
V = TypeVar("V", Money, Quantity, DateRef)


class _Resolver:
    """Resolves one draft against one article, collecting every problem on the way."""

    def __init__(
        self, article: str, published: dt.date | None, default_currency: str | None
    ) -> None:
        self.article = article
        self.text = ArticleText(article)
        self.facts = ArticleFacts(article)
        self.published = published
        self.default_currency = default_currency
        self.problems: list[Problem] = []
        self.computed: set[str] = set()  # ISO codes and years computed, which free text may use

    # -- helpers ---------------------------------------------------------------------------

    def _fail(self, path: str, kind: str, message: str) -> None:
        self.problems.append(Problem(path, message, kind))

    def _not_found(self, path: str, text: str, what: str) -> None:
        # Name the article's own wording when it differs only typographically (a fuzzy match
        # never bridges a changed number), so the model can copy it.
        near = self.text.locate(text, fuzzy=True)
        if near is not None:
            found = self.article[near.start : near.end]
            advice = f"copy the {what} exactly as written, e.g. {short(found)}"
        else:
            advice = f"copy the {what} exactly as the article writes it, or use null"
        self._fail(path, "ungrounded_text", f"{short(text)} is not in the article; {advice}.")

    def _parse(self, path: str, parse: Callable[[], T], kind: str = "unparseable") -> T | None:
        """``parse()``, or None with its ``ValueError`` recorded as a problem of ``kind``."""
        try:
            return parse()
        except ValueError as exc:
            self._fail(path, kind, str(exc))
            return None

    def _value(
        self,
        path: str,
        text: str,
        what: str,
        parse: Callable[[str, str], V],
        key: Callable[[V], object],
    ) -> V | None:
        """A money, quantity or date text: in the article, whole, and parsed; else one problem.

        ``parse(text, sentence)`` parses a text standing in ``sentence`` of the article; ``key``
        is what a longer span around a cut copy would change ("Rs 1,500" of "Rs 1,500-crore").
        """
        span = self.text.locate(text, fuzzy=False)
        if span is None:
            self._not_found(path, text, what)
            return None
        sentence = sentence_around(self.article, span.start, span.end)
        value: V | None = None
        try:
            value = parse(text, sentence)
        except ValueError as exc:
            error = str(exc)
        words = DATE_WORDS if what == "date words" else None
        copied = None if value is None else key(value)
        cut = whole_expression(
            self.article, span.start, span.end, lambda t: key(parse(t, sentence)),
            value=copied, words=words,
        )  # fmt: skip
        if cut is not None:
            advice = (
                f"which is {cut.refused_as}, not a single value; give null for this value"
                if cut.refused_as
                else f"copy the whole {what} as the article writes it"
            )
            message = f"{short(text)} is only part of the article's {short(cut.whole)}, {advice}."
            self._fail(path, "ungrounded_text", message)
            return None
        if value is None:
            self._fail(path, "unparseable", error)
            return None
        return value.model_copy(update={"span": span})

    def _name(self, path: str, name: str | None, what: str) -> Span | None:
        """Where a name is in the article; a problem for the model when it is not there."""
        if name is None or not name.strip():
            return None
        span = self.text.locate_name(name) if _LETTER.search(name) else None
        if span is None:
            self._fail(
                path,
                "ungrounded_name",
                f"{short(name)} is not in the article; give the {what} as the article names it, "
                "or null if the article does not name one.",
            )
        return span

    def _free_text(self, path: str, text: str | None, what: str) -> None:
        """Free text may state only the article's numbers, dates and names (see free_text)."""
        if not text:
            return
        missing = self.facts.unsupported(text, frozenset(self.computed), prose=what == "summary")
        if missing:
            listed = ", ".join(short(m) for m in missing[:5])
            self._fail(
                path,
                "ungrounded_text",
                f"{listed} {'is' if len(missing) == 1 else 'are'} not in the article; write the "
                f"{what} with the article's own names, numbers and dates only, leaving out "
                "what it does not state.",
            )

    # -- values ----------------------------------------------------------------------------

    def money(self, path: str, draft: MoneyDraft | None) -> Money | None:
        def parse(text: str, _: str) -> Money:
            return parse_money(text, default_currency=self.default_currency)

        if draft is None:
            return None
        return self._value(
            f"{path}.text", draft.text, "amount", parse, lambda m: (m.amount, m.currency)
        )

    def quantity(self, path: str, text: str, per_year: bool) -> Quantity | None:
        what = "quantity with its unit"
        quantity = self._value(
            f"{path}.text", text, what, lambda t, _: parse_quantity(t), lambda q: (q.value, q.unit)
        )
        if quantity is None:
            return None
        return quantity.model_copy(update={"per_year": quantity.per_year or per_year})

    def date(self, path: str, draft: DateDraft | None) -> DateRef | None:
        def parse(text: str, sentence: str) -> DateRef:
            return resolve_date(text, self.published, context=sentence)

        if draft is None:
            return None
        date = self._value(
            f"{path}.text", draft.text, "date words", parse, lambda d: (d.value, d.precision)
        )
        if date is not None and date.value is not None:
            self.computed.add(str(date.value.year))
        return date

    def evidence(self, path: str, quotes: Iterable[str]) -> tuple[Evidence, ...]:
        located: list[Evidence] = []
        for i, quote in enumerate(quotes):
            problem = evidence_problem(quote)
            span = None if problem else self.text.locate(quote)
            if span is None:
                problem = problem or (
                    f"{short(quote)} is not in the article; quote a short passage exactly as the "
                    "article writes it."
                )
                self._fail(f"{path}[{i}]", "ungrounded_quote", problem)
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

    def country(self, path: str, name: str | None) -> tuple[str | None, bool]:
        """The ISO code, and whether the article gives no sign of that country (inferred)."""
        if name is None or not name.strip():
            return None, False
        code = self._parse(path, lambda: country_code(name), "unknown_code")
        if code is None:
            return None, False
        self.computed.add(code)
        return code, not self.facts.countries.mentions(code)

    def duration(self, path: str, years: int | None) -> int | None:
        if years is not None and not states_duration(self.article, years):
            self._fail(
                path,
                "ungrounded_text",
                f"the article does not state a duration of {years} years; give the number of "
                "years only when the article states it (e.g. 'a six-year package'), else null.",
            )
        return years

    # -- records ---------------------------------------------------------------------------

    def party(self, path: str, draft: PartyDraft) -> Party:
        span = self.text.locate_name(draft.name) if _LETTER.search(draft.name) else None
        if span is None and draft.acronym:
            span = self.text.locate_name(draft.acronym)
        if span is None:
            also = f" and neither is its acronym {short(draft.acronym)}" if draft.acronym else ""
            self._fail(
                f"{path}.name",
                "ungrounded_name",
                f"{short(draft.name)} is not in the article{also}; name the party as the article "
                "does.",
            )
        self._name(f"{path}.acronym", draft.acronym, "acronym")
        country, inferred = self.country(f"{path}.country", draft.country)
        return Party(
            name=draft.name,
            acronym=draft.acronym,
            kind=draft.kind,
            country=country,
            country_inferred=inferred,
            span=span,
        )

    def person(self, path: str, draft: PersonDraft) -> Person:
        self._free_text(f"{path}.role", draft.role, "role")
        self._free_text(f"{path}.organisation", draft.organisation, "organisation")
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
        parties = tuple(self.party(f"{path}.parties[{i}]", p) for i, p in enumerate(draft.parties))
        self._free_text(f"{path}.title", draft.title, "title")
        return Agreement(
            title=draft.title,
            kind=draft.kind,
            status=draft.status,
            parties=parties,
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
        country, inferred = self.country(f"{path}.country", draft.country)
        self._free_text(f"{path}.name", draft.name, "name")
        return PolicyScheme(
            name=draft.name,
            country=country or "",
            country_inferred=inferred,
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
    resolver._free_text("summary", draft.summary, "summary")
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
