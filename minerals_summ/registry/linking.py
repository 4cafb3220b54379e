"""Does a new mention report an event the registry already holds? Rules over rapidfuzz.

Two mentions are compared field by field; each field adds or takes away points and says why
(:class:`Comparison`). A mention joins the candidate event whose best-matching mention scores at
least :data:`THRESHOLD`, unless something rules the pair out (a *veto*: no country in common, a
person's cannot-link correction, another record of the same article). The weights were set on
the development part of the linking gold (``seeds/linking/``) and checked on its held-out part;
``docs/registry.md`` gives the figures and the comparison with splink, and the figures on
``heldout.jsonl``, real events written after the rules were set (and used to revise them since).
Dates and stages are compared in :mod:`minerals_summ.registry.timing`, numbers in names (legal
references, editions' years, stakes) in :mod:`minerals_summ.registry.numbers`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from minerals_summ.registry.amounts import amounts
from minerals_summ.registry.comparison import Comparison
from minerals_summ.registry.names import (
    core,
    country_words,
    division_of,
    keys_match,
    normalise,
    same_name,
)
from minerals_summ.registry.numbers import editions, references, stakes
from minerals_summ.registry.profile import MINERAL_WORDS, Profile
from minerals_summ.registry.rules import DEFAULT, Rules
from minerals_summ.registry.timing import compare_dates, days_apart
from minerals_summ.vocabulary import Instrument

__all__ = ["THRESHOLD", "Candidate", "Comparison", "compare", "compatible", "matches"]

THRESHOLD = 2.5

# Days between two mentions' moments beyond which they are two events (Rules.years_apart).
_YEARS_APART_DAYS = 730
YEARS_APART = "more than two years apart"


_Party = tuple[str, tuple[str, ...]]

# Trade remedies of one product and country run as separate cases, each with its own stages:
# words naming one kind of case in a measure's name.
_REMEDIES = {
    "antidumping": "antidumping",
    "dumping": "antidumping",
    "less than fair value": "antidumping",
    "countervailing": "countervailing",
    "cvd": "countervailing",
    "anti subsidy": "countervailing",
    "antisubsidy": "countervailing",
    "safeguard": "safeguard",
    "safeguards": "safeguard",
}
_REMEDY_WORDS = re.compile(r"\b(" + "|".join(sorted(_REMEDIES, key=len, reverse=True)) + r")\b")
# Words a generic name may add or leave out: "first", "new", "first-ever".
_FILLER = frozenset({
    "the", "a", "an", "of", "on", "to", "for", "and", "in", "its", "s", "first", "ever", "new",
    "policy", "policies",
})  # fmt: skip
# Agreement kinds that name one document of cooperation, against which a trade agreement is
# another document ("other" and talks say too little).
_COOPERATION_KINDS = frozenset({
    "memorandum_of_understanding", "framework_agreement", "strategic_partnership",
})  # fmt: skip


def _found(party: _Party, others: Sequence[_Party], divisions: bool) -> bool:
    name, keys = party
    if any(same_name(frozenset(keys), frozenset(k), name, other) for other, k in others):
        return True
    return divisions and any(
        division_of(name, other, frozenset(k)) or division_of(other, name, frozenset(keys))
        for other, k in others
    )


def _parties(a: Profile, b: Profile, out: Comparison, rules: Rules) -> None:
    shared = set(a.countries) & set(b.countries)
    if a.countries and b.countries and not shared:
        out.veto = "no country in common"
        return
    if a.parties and b.parties:
        a_found = [_found(party, b.parties, rules.divisions) for party in a.parties]
        b_found = [_found(party, a.parties, rules.divisions) for party in b.parties]
        if not any(a_found):
            out.add(-3.0, "named parties all differ")
        elif _state_for_company(a, b, b_found) or _state_for_company(b, a, a_found):
            # A miner's loan from a government and its deal with a carmaker: one party shared,
            # the other a government on one side and a company on the other.
            out.add(-2.0, "one named party shared, a government against a company")
        elif all(a_found) or all(b_found):
            out.add(3.0, "named parties match")
        else:
            # Liontown with Tesla, Liontown with Ford: one party shared, the counterpart not.
            out.add(-2.0, "one named party shared, the others differ")
    union = set(a.countries) | set(b.countries)
    if union and len(shared) == len(union):
        out.add(1.0, "same countries")
    elif set(a.countries) - shared and set(b.countries) - shared:
        # US with Japan, US with Australia: a partial list of members is a subset, this is not.
        out.add(-2.5, "each has a country the other lacks")
    elif union and len(shared) / len(union) >= 0.5:
        out.add(0.5, "most countries shared")


def _state_for_company(a: Profile, b: Profile, b_found: Sequence[bool]) -> bool:
    """True when ``a`` names a government where ``b``, naming none, names a company ``a`` lacks.

    A government standing for its own state body is one party under two names ("Pakistan" for
    the Frontier Works Organization, the government for its export credit agency); standing for
    a company, it is another counterpart.
    """
    if not a.states or b.states or not b.party_kinds:
        return False
    return any(
        not found and kind == "company" for found, kind in zip(b_found, b.party_kinds, strict=True)
    )


def _scheme_names(a: Profile, b: Profile, out: Comparison) -> None:
    if a.countries != b.countries:
        out.veto = "different jurisdictions"
        return
    if keys_match(frozenset(a.name_keys), frozenset(b.name_keys)):
        out.add(3.0, "same name or acronym")
    # A scheme run under a programme is not the programme ("recycling scheme under the NCMM").
    for x, y in ((a, b), (b, a)):
        if x.parent and (x.parent in y.name_keys or fuzz.ratio(x.parent, y.text.lower()) >= 90):
            out.add(-5.0, "one is part of the other's programme")
    if a.subtype == b.subtype:
        out.add(1.0, "same instrument")
    elif Instrument.OTHER not in (a.subtype, b.subtype):  # "other" says no more than unknown
        out.add(-1.0, "different instruments")


def _remedies(a: Profile, b: Profile, out: Comparison) -> None:
    """An antidumping case and a countervailing case on one product are two measures."""
    ra, rb = _remedies_in(a.text), _remedies_in(b.text)
    if ra and rb and not ra & rb:
        out.veto = "different trade remedies"


@lru_cache(maxsize=4096)
def _remedies_in(text: str) -> frozenset[str]:
    words = normalise(text.replace("-", " "))
    # "AD/CVD" names both cases ("AD" alone is too short a word to trust: "ad valorem").
    words = re.sub(r"\bad (?:and )?cvd\b", "antidumping countervailing", words)
    return frozenset(_REMEDIES[m] for m in _REMEDY_WORDS.findall(words))


def _kinds(a: Profile, b: Profile, out: Comparison, rules: Rules) -> None:
    if a.subtype == b.subtype:
        # Outlets call one deal a framework, a partnership or a pact: another kind is no evidence.
        out.add(0.5, "same agreement kind")
    elif rules.trade_kind and "trade_agreement" in (a.subtype, b.subtype):
        other = b.subtype if a.subtype == "trade_agreement" else a.subtype
        if other in _COOPERATION_KINDS:
            out.add(-2.0, "a trade agreement and a cooperation document")


def _generic_names(a: Profile, b: Profile, out: Comparison) -> None:
    """Two names of generic words only, one holding the other's: "UK critical minerals
    strategy" and "the UK's first critical minerals strategy", "policy to ban exports of rare
    earth raw materials" and "ban on exports of rare earth raw materials". Neither says more than
    kind and country; saying the same is weak evidence.
    """
    if not _FILLER.issuperset(a.label.split()) or not _FILLER.issuperset(b.label.split()):
        return
    country = a.countries[0] if a.countries else None
    words_a, words_b = _name_words(a.text, country), _name_words(b.text, country)
    if len(words_a) >= 2 and len(words_b) >= 2 and (words_a <= words_b or words_b <= words_a):
        out.add(1.0, "the same generic name")


@lru_cache(maxsize=4096)
def _name_words(text: str, country: str | None) -> frozenset[str]:
    """A name's words without its jurisdiction's names or the filler words."""
    drop = country_words(country)
    return frozenset(w for w in core(text).split() if w not in drop and w not in _FILLER)


def _titles(a: Profile, b: Profile, out: Comparison) -> None:
    if a.kind == "agreement" and keys_match(frozenset(a.name_keys), frozenset(b.name_keys)):
        similarity = 100.0  # "Minerals Security Partnership (MSP)" and "Minerals Security ..."
    elif a.label and b.label and _names_something(a.label) == _names_something(b.label):
        similarity = fuzz.token_set_ratio(a.label, b.label)
    else:
        # "Export curbs on rare earths" names nothing beyond the instrument; "suspension of
        # cobalt exports" nothing beyond its minerals (compared as minerals), so it says
        # nothing of "the cobalt export quota regime", whose words it holds.
        return
    if a.kind == "policy_scheme":
        # A scheme's name is most of its identity: unrelated names count against it twice as
        # much as unrelated agreement titles. (Counting names of middling likeness against it
        # too lost recall on the development split: 0.899 to 0.869.)
        if similarity >= 85:
            out.add(2.0, f"similar names ({similarity:.0f})")
        elif similarity >= 65:
            out.add(0.5, f"related names ({similarity:.0f})")
        elif similarity < 40:
            out.add(-1.0, f"unrelated names ({similarity:.0f})")
        return
    # An agreement's title is an outlet's description of it: weaker evidence either way.
    if similarity >= 85:
        out.add(1.5, f"similar titles ({similarity:.0f})")
    elif similarity >= 65:
        out.add(0.5, f"related titles ({similarity:.0f})")
    elif similarity < 40:
        out.add(-0.5, f"unrelated titles ({similarity:.0f})")


def _names_something(label: str) -> bool:
    """True when a label has a word that is not a mineral's name."""
    return not MINERAL_WORDS.issuperset(label.split())


def _minerals(a: Profile, b: Profile, out: Comparison) -> None:
    ma, mb = a.specific_minerals(), b.specific_minerals()
    if not ma or not mb:
        return
    jaccard = len(ma & mb) / len(ma | mb)
    if jaccard >= 0.5 or ma <= mb or mb <= ma:  # an outlet may list a few of the minerals
        out.add(1.0, "minerals agree")
    elif not ma & mb:
        out.add(-1.5, "minerals differ")


def compare(a: Profile, b: Profile, rules: Rules = DEFAULT) -> Comparison:
    """Points for and against two mentions reporting one event."""
    out = Comparison()
    if a.kind != b.kind:
        out.veto = "an agreement and a policy scheme"
        return out
    if a.kind == "agreement":
        _parties(a, b, out, rules)
        if rules.stakes and not out.veto:
            stakes(a, b, out)
    else:
        _scheme_names(a, b, out)
        _remedies(a, b, out)
    if out.veto:
        return out
    if rules.years_apart and (days_apart(a, b) or 0) > _YEARS_APART_DAYS:
        out.veto = YEARS_APART
        return out
    for rule in (_titles, compare_dates, _minerals, references, editions):
        rule(a, b, out)
    amounts(a, b, out, rules)
    if out.veto:
        return out
    if a.kind == "agreement":
        _kinds(a, b, out, rules)
    elif rules.generic_names:
        _generic_names(a, b, out)
    return out


@dataclass(frozen=True)
class Candidate:
    """An event found by blocking, with its mentions: ``(mention id, article id, profile)``."""

    event_id: str
    mentions: Sequence[tuple[str, str, Profile]]


def matches(
    profile: Profile,
    candidates: Sequence[Candidate],
    *,
    cannot_link: frozenset[str] = frozenset(),
    merged: frozenset[str] = frozenset(),
    threshold: float = THRESHOLD,
    rules: Rules = DEFAULT,
) -> list[str]:
    """The events the new mention matches, best first; empty for a new event.

    An event is ruled out when any of its mentions is vetoed against the new one or is in
    ``cannot_link`` (mention ids a person separated from it). A mention a person joined to the
    event (in ``merged``) more than two years from the new one (:attr:`Rules.years_apart`) is
    only left out of its score: an event merged by hand across years stays open to news near
    its other mentions. Its score is that of its best mention; with
    :attr:`Rules.anchored`, of its best mention that says when, if it has any and the new
    mention says when too. Ties go to the event found first (the candidates come most relevant
    first).
    """
    found: list[tuple[float, int, str]] = []
    for position, candidate in enumerate(candidates):
        scores = []
        anchored = []  # the scores against mentions that say when
        for mention_id, _article, other in candidate.mentions:
            if mention_id in cannot_link:
                break
            comparison = compare(profile, other, rules)
            if comparison.veto == YEARS_APART and mention_id in merged:
                continue
            if comparison.veto:
                break
            scores.append(comparison.score)
            if not other.timeless:
                anchored.append(comparison.score)
        else:
            best = max(scores, default=None)
            if rules.anchored and not profile.timeless and anchored:
                best = max(anchored)  # a timeless mention does not vouch: see Rules.anchored
            if best is not None and best >= threshold:
                found.append((-best, position, candidate.event_id))
    return [event_id for _score, _position, event_id in sorted(found)]


def compatible(
    a: Candidate, b: Candidate, cannot_link: set[tuple[str, str]], rules: Rules = DEFAULT
) -> bool:
    """True when two events may become one: no veto, correction or shared article between them.

    A new mention that matches two events bridges them (the second article said what the first
    left out); they are merged unless something rules it out.
    """
    for a_id, a_article, a_profile in a.mentions:
        for b_id, b_article, b_profile in b.mentions:
            if a_article == b_article or (min(a_id, b_id), max(a_id, b_id)) in cannot_link:
                return False
            if compare(a_profile, b_profile, rules).veto:
                return False
    return True
