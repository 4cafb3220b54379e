"""Score predicted records against gold ones, as docs/annotation.md ("Scoring") describes.

**Matching**, one to one within each kind, best pair first (greedy):

* two *parties* are the same if they share a normalised name or acronym (case, accents, periods,
  commas, apostrophes, a leading "the" and spacing ignored: "U.S." = "US"), or if both are
  governments with the same country code ("United States" = "USA");
* *Agreements* pair by the Jaccard overlap of their parties (> 0); ties go to the same ``kind``;
* *PolicySchemes* pair within the same ``country`` by name similarity (``rapidfuzz``
  ``token_set_ratio`` of normalised names without generic words such as "critical", "mineral",
  "scheme", "national") >= ``NAME_THRESHOLD``; ties go to the same ``instrument``.

A matched pair is a tp of the kind's ``records`` row, an unmatched prediction a fp, an unmatched
gold record a fn (a miss). **Fields** are scored on matched pairs only:

* single values (enums, codes, numbers, dates) count one tp when equal; when they differ, one fp
  (if predicted) and one fn (if in the gold); nothing when absent on both sides. Money is
  ``(amount, currency, qualifier)``, a date ``(value, precision)`` (an unresolved date,
  ``value`` None, counts as no date); numbers compare as ``Decimal`` values;
* sets count elements: tp = in both, fp = predicted only, fn = gold only. ``parties`` uses the
  party matching; ``party_kind`` and ``party_country`` then score each matched party pair as
  single values (a missing party lowers ``parties`` only). ``officials`` compare by normalised
  name; ``targets`` are the multiset of their quantities ``(value, unit, per_year, qualifier)``;
* free text is not scored: title, name, summary, evidence, location, approving body, programme.

Scores come from summed counts, so :func:`score_many` is a sum; the micro average sums every row
(records and fields of both kinds). With nothing to count (no records and none expected, a field
absent on both sides) precision, recall and F1 are 1.0: nothing expected, nothing predicted.

**A failed call** (:func:`score_failure`) is no prediction, never an empty one: every gold
record of the article and each of its fields count as misses (fn), and the article itself one
more miss in the ``articles.failed`` row, so its F1 is 0 even when the gold has no records.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from operator import attrgetter
from typing import Any

from rapidfuzz import fuzz

from minerals_summ.records import Agreement, Party, PolicyScheme
from minerals_summ.registry.scoring import LinkingScore, score_linking
from minerals_summ.summary import ArticleSummary
from minerals_summ.vocabulary import PartyKind

__all__ = [
    "NAME_THRESHOLD",
    "Counts",
    "Failure",
    "LinkingScore",
    "Score",
    "normalise_name",
    "score",
    "score_failure",
    "score_linking",
    "score_many",
]

NAME_THRESHOLD = 60.0
KINDS = ("agreement", "policy_scheme")


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True)
class Failure:
    """One thing that did not match: a whole record (``field`` None) or one field of a pair."""

    kind: str
    record: str  # the gold record's title or name (the predicted one's when it is extra)
    field: str | None
    reason: str
    article: str | None = None

    def __str__(self) -> str:
        where = f"[{self.article}] " if self.article is not None else ""
        return f"{where}{self.kind} {self.record!r} {self.field or 'record'}: {self.reason}"


def _add(a: dict[str, Counts], b: dict[str, Counts]) -> dict[str, Counts]:
    return {k: a.get(k, Counts()) + b.get(k, Counts()) for k in {**a, **b}}


@dataclass(frozen=True)
class Score:
    """Counts of record matching per kind, of fields (``"agreement.parties"``), and failures."""

    by_kind: dict[str, Counts] = field(default_factory=lambda: dict.fromkeys(KINDS, Counts()))
    by_field: dict[str, Counts] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    failed_articles: int = 0  # articles whose call failed (see score_failure)

    def __add__(self, other: Score) -> Score:
        failures = [*self.failures, *other.failures]
        return Score(
            _add(self.by_kind, other.by_kind),
            _add(self.by_field, other.by_field),
            failures,
            self.failed_articles + other.failed_articles,
        )

    @property
    def micro(self) -> Counts:
        failed = Counts(fn=self.failed_articles)
        return sum((*self.by_kind.values(), *self.by_field.values(), failed), Counts())

    @property
    def precision(self) -> float:
        return self.micro.precision

    @property
    def recall(self) -> float:
        return self.micro.recall

    @property
    def f1(self) -> float:
        return self.micro.f1

    def rows(self) -> list[tuple[str, Counts]]:
        """Table rows in a fixed order: each kind's records, then its fields, then micro."""
        rows: list[tuple[str, Counts]] = []
        for kind in KINDS:
            rows.append((f"{kind}.records", self.by_kind.get(kind, Counts())))
            names = [f"{kind}.{name}" for name in FIELDS[kind]]
            rows += [(name, self.by_field.get(name, Counts())) for name in names]
        return [*rows, ("articles.failed", Counts(fn=self.failed_articles)), ("micro", self.micro)]

    def table(self) -> str:
        """A plain-text table: tp, fp, fn, precision, recall and F1 of every row."""
        lines = [f"{'':28} {'tp':>5} {'fp':>5} {'fn':>5} {'P':>6} {'R':>6} {'F1':>6}"]
        for name, c in self.rows():
            figures = f"{c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"
            lines.append(f"{name:28} {c.tp:5} {c.fp:5} {c.fn:5} {figures}")
        return "\n".join(lines)

    __str__ = table

    def to_dict(self) -> dict[str, Any]:
        rows = self.rows()[:-1]
        return {
            "micro": self.micro.to_dict(),
            "by_kind": {k: self.by_kind.get(k, Counts()).to_dict() for k in KINDS},
            "by_field": {
                name: c.to_dict()
                for name, c in rows
                if not name.endswith(".records") and name != "articles.failed"
            },
            "failed_articles": self.failed_articles,
            "failures": [vars(f) for f in self.failures],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


_APOSTROPHE_S = re.compile(r"['’]s\b")
_NOT_WORD = re.compile(r"[^\w\s]")


def normalise_name(name: str) -> str:
    """Lower case, no accents, periods, commas, apostrophes or leading 'the'; single spaces."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'")).casefold()
    text = _APOSTROPHE_S.sub("", text.encode("ascii", "ignore").decode())
    text = " ".join(_NOT_WORD.sub(lambda m: " " if m.group() in "-/&" else "", text).split())
    return text.removeprefix("the ")


def _same_party(a: Party, b: Party) -> bool:
    def keys(party: Party) -> set[str]:
        return {normalise_name(n) for n in (party.name, party.acronym) if n} - {""}

    if keys(a) & keys(b):
        return True
    return a.kind == b.kind == PartyKind.GOVERNMENT and a.country == b.country is not None


def _party_pairs(gold: Sequence[Party], pred: Sequence[Party]) -> list[tuple[Party, Party]]:
    """A maximum one-to-one matching of the same parties (augmenting paths), in gold order."""
    owner: dict[int, int] = {}  # predicted index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j, party in enumerate(pred):
            if j not in seen and _same_party(gold[i], party):
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return [(gold[i], pred[j]) for j, i in sorted(owner.items(), key=lambda ji: ji[1])]


def _greedy(keys: dict[tuple[int, int], tuple[float, ...]]) -> list[tuple[int, int]]:
    """Pairs ``(gold, predicted)`` taken best key first, each record once; ties by position."""
    pairs: list[tuple[int, int]] = []
    for g, p in sorted(keys, key=lambda gp: (tuple(-x for x in keys[gp]), gp)):
        if all(g != g2 and p != p2 for g2, p2 in pairs):
            pairs.append((g, p))
    return pairs


def _agreement_key(a: Agreement, b: Agreement) -> tuple[float, ...] | None:
    overlap = len(_party_pairs(a.parties, b.parties))
    jaccard = overlap / (len(a.parties) + len(b.parties) - overlap)
    return (jaccard, float(a.kind == b.kind)) if overlap else None


_GENERIC = re.compile(r"\b(?:a|and|critical|for|in|minerals?|national|of|on|policy|scheme|the)\b")


def _scheme_name(name: str) -> str:
    name = normalise_name(name)
    return " ".join(_GENERIC.sub(" ", name).split()) or name


def _scheme_key(a: PolicyScheme, b: PolicyScheme) -> tuple[float, ...] | None:
    similarity = fuzz.token_set_ratio(_scheme_name(a.name), _scheme_name(b.name))
    same = a.country == b.country and similarity >= NAME_THRESHOLD
    return (similarity, float(a.instrument == b.instrument)) if same else None


def _single(gold: Hashable, pred: Hashable) -> Counts:
    if gold == pred:
        return Counts(tp=int(gold is not None))
    return Counts(fp=int(pred is not None), fn=int(gold is not None))


def _multiset(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> Counts:
    g, p = Counter(gold), Counter(pred)
    tp = sum((g & p).values())
    return Counts(tp=tp, fp=sum(p.values()) - tp, fn=sum(g.values()) - tp)


def _parts(value: Any, *names: str) -> Hashable:
    """``(value.a, value.b ...)``, or None if there is no value or ``value.a`` is None."""
    parts = tuple(getattr(value, name, None) for name in names)
    return None if parts[0] is None else parts


def _targets(s: PolicyScheme) -> list[Hashable]:
    return [
        (t.quantity.value, t.quantity.unit, t.quantity.per_year, t.quantity.qualifier)
        for t in s.targets
        if t.quantity
    ]


# Field -> (scored as a set?, the value compared). The party fields are in _party_fields.
_Spec = dict[str, tuple[bool, Callable[[Any], Any]]]
_SPECS: dict[str, _Spec] = {
    "agreement": {
        "kind": (False, attrgetter("kind")),
        "status": (False, attrgetter("status")),
        "minerals": (True, lambda r: set(r.minerals)),
        "activities": (True, lambda r: set(r.activities)),
        "value": (False, lambda r: _parts(r.value, "amount", "currency", "qualifier")),
        "date": (False, lambda r: _parts(r.date, "value", "precision")),
        "officials": (True, lambda r: {normalise_name(o.name) for o in r.officials}),
    },
    "policy_scheme": {
        "country": (False, attrgetter("country")),
        "instrument": (False, attrgetter("instrument")),
        "status": (False, attrgetter("status")),
        "budget": (False, lambda r: _parts(r.budget, "amount", "currency", "qualifier")),
        "duration_years": (False, attrgetter("duration_years")),
        "date": (False, lambda r: _parts(r.date, "value", "precision")),
        "minerals": (True, lambda r: set(r.minerals)),
        "targets": (True, _targets),
    },
}
FIELDS = {kind: tuple(spec) for kind, spec in _SPECS.items()}
FIELDS["agreement"] = ("parties", "party_kind", "party_country", *FIELDS["agreement"])


def _party_fields(g: Agreement, p: Agreement) -> dict[str, tuple[Counts, Any, Any]]:
    pairs = _party_pairs(g.parties, p.parties)
    n, matched = len(pairs), {id(x) for pair in pairs for x in pair}
    missing = [x.name for x in g.parties if id(x) not in matched]
    extra = [x.name for x in p.parties if id(x) not in matched]
    out: dict[str, tuple[Counts, Any, Any]] = {
        "parties": (Counts(n, len(extra), len(missing)), missing, extra)
    }
    for name in ("kind", "country"):
        want = [(a.name, getattr(a, name)) for a, _ in pairs]
        got = [(a.name, getattr(b, name)) for a, b in pairs]
        counts = sum((_single(x[1], y[1]) for x, y in zip(want, got, strict=True)), Counts())
        out[f"party_{name}"] = (counts, want, got)
    return out


def _fields(kind: str, g: Any, p: Any) -> dict[str, tuple[Counts, Any, Any]]:
    out = _party_fields(g, p) if kind == "agreement" else {}
    for name, (is_set, get) in _SPECS[kind].items():
        want, got = get(g), get(p)
        out[name] = ((_multiset if is_set else _single)(want, got), want, got)
    return out


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if isinstance(value, set | list):
        return "{" + ", ".join(sorted(_show(v) for v in value)) + "}"
    return "-" if value is None else str(value)


def score(predicted: ArticleSummary, gold: ArticleSummary, *, article: str | None = None) -> Score:
    """Score one article's predicted records against its gold ones; ``article`` labels failures."""
    by_kind: dict[str, Counts] = {}
    by_field: dict[str, Counts] = {}
    failures: list[Failure] = []
    kinds: list[tuple[str, Sequence[Any], Sequence[Any], Callable[[Any, Any], Any]]] = [
        ("agreement", gold.agreements, predicted.agreements, _agreement_key),
        ("policy_scheme", gold.policy_schemes, predicted.policy_schemes, _scheme_key),
    ]
    for kind, golds, preds, key in kinds:
        keys = {(g, p): key(a, b) for g, a in enumerate(golds) for p, b in enumerate(preds)}
        pairs = _greedy({gp: k for gp, k in keys.items() if k is not None})
        by_kind[kind] = Counts(len(pairs), len(preds) - len(pairs), len(golds) - len(pairs))
        totals = dict.fromkeys(FIELDS[kind], Counts())
        label = attrgetter("title" if kind == "agreement" else "name")
        for g, p in pairs:
            for name, (counts, want, got) in _fields(kind, golds[g], preds[p]).items():
                totals[name] += counts
                if counts.fp or counts.fn:
                    verbs = ("missing", "extra") if name == "parties" else ("expected", "got")
                    reason = f"{verbs[0]} {_show(want)}, {verbs[1]} {_show(got)}"
                    failures.append(Failure(kind, label(golds[g]), name, reason, article))
        by_field |= {f"{kind}.{name}": counts for name, counts in totals.items()}
        why = "shares a party" if kind == "agreement" else "has its country and a similar name"
        matched_g, matched_p = {g for g, _ in pairs}, {p for _, p in pairs}
        for i, record in enumerate(golds):
            if i not in matched_g:
                reason = f"missed: no predicted {kind} {why}"
                failures.append(Failure(kind, label(record), None, reason, article))
        for i, record in enumerate(preds):
            if i not in matched_p:
                reason = f"extra: no gold {kind} matches it"
                failures.append(Failure(kind, label(record), None, reason, article))
    return Score(by_kind, by_field, failures)


def score_failure(gold: ArticleSummary, *, article: str | None = None, reason: str = "") -> Score:
    """The score of an article whose call failed: every gold record and each of its fields a
    miss, and one miss for the article itself (``failed_articles``)."""
    found = score(gold, gold)  # every gold record and field, counted once as a tp

    def miss(counts: Counts) -> Counts:
        return Counts(fn=counts.tp + counts.fn)

    failure = Failure("article", article or "", None, f"the call failed: {reason}", article)
    return Score(
        {kind: miss(c) for kind, c in found.by_kind.items()},
        {name: miss(c) for name, c in found.by_field.items()},
        [failure],
        failed_articles=1,
    )


def score_many(pairs: Iterable[tuple[ArticleSummary, ArticleSummary]]) -> Score:
    """Sum the scores of ``(predicted, gold)`` pairs; failures are labelled by position."""
    return sum((score(p, g, article=str(i)) for i, (p, g) in enumerate(pairs)), Score())
