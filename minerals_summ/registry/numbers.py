"""Numbers in titles and names: legal references and ordinals, editions' years, stakes.

Rules of :mod:`minerals_summ.registry.linking`: each adds points to a :class:`Comparison` with
its reason, or vetoes the pair. Amounts are compared in :mod:`minerals_summ.registry.amounts`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from minerals_summ.registry.comparison import Comparison
from minerals_summ.registry.profile import Profile
from minerals_summ.registry.timing import latest_year

__all__ = ["editions", "references", "stakes"]

# Numbers in a measure's name are its legal references ("Announcement No. 57", "45X").
_NUMBERED = re.compile(r"\b(?:\d+[a-z]*|[a-z]+\d+[a-z]*)\b")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
_AMOUNT = re.compile(
    r"\b\d+(?:m|mn|bn|b|k|tr)\b|\b\d+ (?:million|billion|trillion|crore|lakh|thousand)\b"
)
# A year in a name: "2022 Critical Minerals Strategy", "Strategy 2023-2030", "PL 4.443/2025".
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_ORDINAL_WORDS = {
    word: f"{n}{'st' if n == 1 else 'nd' if n == 2 else 'rd' if n == 3 else 'th'}"
    for n, word in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"), 1
    )
}


def references(a: Profile, b: Profile, out: Comparison) -> None:
    """Legal references and ordinals in two names: "Announcement No. 57", "Section 45X", "4th
    tranche". Shared ones say the same measure; two sets with none in common, another measure
    ("47 strategic projects" and "13 strategic projects", the first and the fourth tranche).
    """
    if a.kind != "policy_scheme":
        return
    (numbers_a, ordinals_a), (numbers_b, ordinals_b) = (
        _references_in(a.label),
        _references_in(b.label),
    )
    shared = (numbers_a & numbers_b) | (ordinals_a & ordinals_b)
    if shared:
        out.add(2.0, f"same references ({', '.join(sorted(shared))})")
    elif (numbers_a and numbers_b) or (ordinals_a and ordinals_b):
        out.veto = "different references"


def editions(a: Profile, b: Profile, out: Comparison) -> None:
    """Two names of one kind of measure, each with its year, the years apart: two editions (the
    "2022 Critical Minerals Strategy" and the "Critical Minerals Strategy 2023-2030").

    Only years up to the mention's own (its date's, else its article's) count: later ones are
    targets ("Vision 2035", "to 2030"), and a mention that does not say when cannot tell them.
    """
    if a.kind != "policy_scheme":
        return
    ya, yb = _years_in(a), _years_in(b)
    if ya and yb and not ya & yb:
        out.veto = "different editions"


def _years_in(profile: Profile) -> frozenset[int]:
    last = latest_year(profile)
    if last is None:
        return frozenset()
    years = {int(y) for y in _YEAR.findall(profile.label)}
    return frozenset(y for y in years if y <= last)


@lru_cache(maxsize=4096)
def _references_in(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The numbers (not years) and the ordinals ("4th", "fourth" as "4th") of a name's words."""
    # Amounts are compared as amounts, not as references: "US$400m", "$400 million".
    text = _AMOUNT.sub(" ", text)
    words = [_ORDINAL_WORDS.get(word, word) for word in text.split()]
    found = set(_NUMBERED.findall(" ".join(words)))
    found = {r for r in found if not (_YEAR.fullmatch(r) or (r.isdigit() and len(r) == 1))}
    ordinals = frozenset(r for r in found if _ORDINAL.fullmatch(r))
    return frozenset(found) - ordinals, ordinals


# A percentage in a title: "30%", "95 pct", "19,9 per cent", "1,500%"; a range "10%-20%".
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
_PERCENT = re.compile(
    rf"({_NUMBER})(?:\s*%?\s*[-\u2013]\s*({_NUMBER}))?\s*(?:%|per ?cent\b|percent\b|pct\b)",
    re.IGNORECASE,
)
# A percentage is a stake when it is followed by "of" (of a company, not of its output) or a
# word of ownership, or comes after one ("its stake to 80%").
_OWNING_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:of\b|(?:[\w-]+\s+){0,2}?(?:stake|interest|holding|equity|ownership|owned)\b)",
    re.IGNORECASE,
)
_OWNING_BEFORE = re.compile(r"\b(?:stake|interest|holding|equity|ownership)\b", re.IGNORECASE)
# Words that make a percentage something else: a share of output, a royalty, a tariff, a move in
# a price; an increment ("a further 20%") is not the stake held; "from 30% to 80%" holds 80%.
_NOT_OWNING_AFTER = re.compile(
    r"\b(?:output|production|offtake|supply|supplies|sales|revenue|capacity|royalty|royalties|"
    r"tariffs?|duty|duties|tax|premium|discount|rise|jump|gain|increase|fall|drop|higher|lower)\b",
    re.IGNORECASE,
)
_NOT_OWNING_BEFORE = re.compile(
    r"\b(?:additional|further|another|extra|more|by|up|down|from|jumps?|jumped|rises?|rose|"
    r"gains?|gained|surges?|surged|climbs?|climbed|falls?|fell|drops?|dropped|royalty|tariffs?|"
    r"duty|tax|grade|purity)\W*$",
    re.IGNORECASE,
)
# Points either way a stake may be rounded: "24.68%" is "about 25%", "23.77%" is "24%".
_STAKE_ROUNDING = 1.5


def stakes(a: Profile, b: Profile, out: Comparison) -> None:
    """Two deals for different stakes are two deals: a 30% investment and, a year later, a move
    to 80%. Stakes within a rounding of each other, or inside a stated range, agree."""
    sa, sb = _stakes_in(a.text), _stakes_in(b.text)
    if (
        sa
        and sb
        and not any(
            low_a - _STAKE_ROUNDING <= high_b and low_b - _STAKE_ROUNDING <= high_a
            for low_a, high_a in sa
            for low_b, high_b in sb
        )
    ):
        out.veto = "different stakes"


def _number(text: str) -> float:
    """ "1,500" is fifteen hundred; "19,9" is nineteen point nine (a decimal comma)."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


@lru_cache(maxsize=4096)
def _stakes_in(text: str) -> tuple[tuple[float, float], ...]:
    """The stakes a title gives, each as a range (one value: a range of one)."""
    found = []
    for match in _PERCENT.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        next_words = " ".join(after.split()[:6])
        last_words = " ".join(before.split()[-4:])
        if _NOT_OWNING_BEFORE.search(before) or _NOT_OWNING_AFTER.search(next_words):
            continue
        if not (_OWNING_AFTER.match(after) or _OWNING_BEFORE.search(last_words)):
            continue
        low = _number(match.group(1))
        high = _number(match.group(2)) if match.group(2) else low
        if max(low, high) <= 100:  # "a 1,500% return" is no stake
            found.append((min(low, high), max(low, high)))
    return tuple(found)
