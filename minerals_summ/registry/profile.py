"""What the linker knows of one mention: a record reduced to comparable facts, and its keys.

A :class:`Profile` is computed once, when a mention is stored, and kept beside the record as
plain JSON, so that comparing a new mention with its candidates reads no pydantic models.
*Blocking keys* say which events are worth comparing with: a new mention is compared only with
events that share one of its keys, found through an SQLite index.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from typing import Any

from minerals_summ.records import Agreement, DateRef, Money, Party, PolicyScheme
from minerals_summ.registry.names import (
    core,
    country_words,
    distinctive_words,
    label,
    name_keys,
    normalise,
)
from minerals_summ.vocabulary import Mineral, PartyKind, Precision, Status

__all__ = ["MINERAL_WORDS", "STAGE", "MoneyFact", "Period", "Profile", "money_fact", "period"]

# How far along its life a record is. Outlets at one moment may say "announced" or "signed" for
# the same signing; a later stage is a later moment of the same event.
STAGE: dict[str, int] = {
    Status.PROPOSED: 0,
    Status.EXPLORING: 1,
    Status.UNDER_NEGOTIATION: 2,
    Status.ANNOUNCED: 3,
    Status.SIGNED: 4,
    Status.APPROVED: 4,
    Status.IN_FORCE: 5,
    Status.SUSPENDED: 6,
    Status.TERMINATED: 7,
}

_RARE_EARTHS = frozenset({
    "cerium", "dysprosium", "erbium", "europium", "gadolinium", "holmium", "lanthanum",
    "lutetium", "neodymium", "praseodymium", "samarium", "scandium", "terbium", "thulium",
    "ytterbium", "yttrium",
})  # fmt: skip
_PGMS = frozenset(("iridium", "palladium", "platinum", "rhodium", "ruthenium"))
# The words of the minerals' names ("cobalt", "rare", "earth", "aluminium" as the British write it).
MINERAL_WORDS = frozenset(w for m in Mineral for w in m.value.split("_")) | {"aluminium"}


@dataclass(frozen=True)
class Period:
    """The days a date may stand for: ``[start, end)``, one day to a year long."""

    start: dt.date
    end: dt.date

    def gap_days(self, other: Period) -> int:
        """Days between the two periods; 0 when they overlap."""
        if self.end <= other.start:
            return (other.start - self.end).days + 1
        if other.end <= self.start:
            return (self.start - other.end).days + 1
        return 0


def period(value: dt.date, precision: str | None) -> Period:
    """The period a resolved date stands for, per docs/annotation.md (a week is its Monday,
    a quarter its first day ...)."""
    if precision == Precision.YEAR:
        return Period(value.replace(month=1, day=1), dt.date(value.year + 1, 1, 1))
    if precision in (Precision.MONTH, Precision.QUARTER):
        start = value.replace(day=1)
        months = 3 if precision == Precision.QUARTER else 1
        index = start.month - 1 + months
        return Period(start, dt.date(start.year + index // 12, index % 12 + 1, 1))
    if precision == Precision.WEEK:
        return Period(value, value + dt.timedelta(days=7))
    return Period(value, value + dt.timedelta(days=1))


# US dollars per unit, rounded: enough to tell "about the same amount" from "another amount".
_USD_RATES = {
    "USD": 1.0, "EUR": 1.1, "GBP": 1.27, "AUD": 0.66, "CAD": 0.73, "NZD": 0.6, "JPY": 0.0068,
    "CNY": 0.14, "INR": 0.012, "KRW": 0.00075, "CHF": 1.12, "SEK": 0.095, "NOK": 0.093,
    "BRL": 0.19, "CLP": 0.0011, "ZAR": 0.054, "IDR": 0.000063, "SAR": 0.27, "AED": 0.27,
    "PKR": 0.0036, "RUB": 0.011, "MXN": 0.055, "ARS": 0.001,
}  # fmt: skip
_FX_BAND = 1.35


@dataclass(frozen=True)
class MoneyFact:
    """An amount as the linker compares it: a range, from its qualifier and its rounding."""

    amount: float
    currency: str
    qualifier: str

    def bounds(self) -> tuple[float, float]:
        # Reported amounts are rounded ("$8.5 billion" for 8.46): 5% either way is one rounding.
        low, high = self.amount * 0.95, self.amount * 1.05
        if self.qualifier == "approximately":
            low, high = self.amount * 0.85, self.amount * 1.15
        elif self.qualifier in ("at_least", "more_than"):
            high = float("inf")
        elif self.qualifier in ("up_to", "less_than"):
            low = 0.0
        return low, high

    def agrees(self, other: MoneyFact) -> bool | None:
        """True or False for amounts in one currency; None when the currencies differ."""
        if self.currency != other.currency:
            return None  # different currencies are no conflict by themselves
        (a_low, a_high), (b_low, b_high) = self.bounds(), other.bounds()
        return a_low <= b_high and b_low <= a_high

    def converts_to(self, other: MoneyFact) -> bool | None:
        """Whether two amounts in different currencies are about the same in US dollars.

        "A$13 billion" and "US$8.5 billion" are one pipeline; "A$200 million" and "US$9 million"
        are two deals. The rates are rough and the band wide (a third either way), so that years
        of exchange-rate movement stay inside it. None for one currency (see :meth:`agrees`) or a
        currency without a rate.
        """
        rate_a, rate_b = _USD_RATES.get(self.currency), _USD_RATES.get(other.currency)
        if self.currency == other.currency or rate_a is None or rate_b is None:
            return None
        a_low, a_high = (bound * rate_a for bound in self.bounds())
        b_low, b_high = (bound * rate_b for bound in other.bounds())
        return a_low <= b_high * _FX_BAND and b_low <= a_high * _FX_BAND

    def usd(self) -> float | None:
        """The amount in US dollars at a rough rate; None for a currency without one."""
        rate = _USD_RATES.get(self.currency)
        return None if rate is None else self.amount * rate


def money_fact(money: Money | None) -> MoneyFact | None:
    if money is None:
        return None
    # Another change adds a qualifier to Money; read it so this works before and after.
    qualifier = str(getattr(money, "qualifier", "exact") or "exact")
    return MoneyFact(float(money.amount), money.currency, qualifier)


def _date(date: DateRef | None) -> tuple[str, str | None] | None:
    if date is None or date.value is None:
        return None
    return date.value.isoformat(), date.precision.value if date.precision else None


def _state_level(party: Party) -> bool:
    """A government, or a multilateral body standing for one (the EU's Commission or Council).

    Outlets name these by the country ("Australia", "Canberra", "the European Union"), so they
    are compared by country code, not by name.
    """
    if party.kind == PartyKind.GOVERNMENT:
        return True
    return party.kind == PartyKind.MULTILATERAL and party.country is not None


def _minerals(minerals: tuple[Mineral, ...]) -> tuple[str, ...]:
    return tuple(sorted({m.value for m in minerals}))


@dataclass(frozen=True)
class Profile:
    """One mention's comparable facts. ``parties`` holds the keys of each non-government party."""

    kind: str  # "agreement" or "policy_scheme"
    text: str  # the title or name as written
    subtype: str  # the agreement kind or the instrument
    status: str
    countries: tuple[str, ...]
    parties: tuple[tuple[str, tuple[str, ...]], ...]  # (core name, keys) per named non-state party
    name_keys: tuple[str, ...]  # keys of the title or name (normal form, acronym, initials)
    label: str  # the title's or name's distinctive words, without the countries' names
    parent: str | None  # policy schemes: the parent programme's normal form
    minerals: tuple[str, ...]
    date: tuple[str, str | None] | None  # (ISO value, precision)
    published: str | None
    money: tuple[float, str, str] | None  # (amount, currency, qualifier)
    party_kinds: tuple[str, ...] = ()  # the kind of each of ``parties`` (company, state_entity ...)
    states: tuple[str, ...] = ()  # the countries of the parties named as states (a government)

    @classmethod
    def of(cls, record: Agreement | PolicyScheme, published: dt.date | None) -> Profile:
        money = money_fact(record.value if isinstance(record, Agreement) else record.budget)
        common: dict[str, Any] = {
            "status": record.status.value,
            "minerals": _minerals(record.minerals),
            "date": _date(record.date),
            "published": published.isoformat() if published else None,
            "money": (money.amount, money.currency, money.qualifier) if money else None,
        }
        if isinstance(record, Agreement):
            named = [p for p in record.parties if not _state_level(p)]
            parties = tuple(
                (core(p.name), tuple(sorted(name_keys(p.name, p.acronym)))) for p in named
            )
            countries = tuple(sorted({p.country for p in record.parties if p.country}))
            words = {
                w for p in record.parties if _state_level(p) for w in normalise(p.name).split()
            }
            words |= {w for c in countries for w in country_words(c)}
            return cls(
                kind="agreement",
                text=record.title,
                subtype=record.kind.value,
                countries=countries,
                parties=parties,
                name_keys=tuple(
                    sorted(k for k in name_keys(record.title) if len(k.lstrip("~")) >= 3)
                ),
                label=label(record.title, frozenset(words)),
                parent=None,
                party_kinds=tuple(p.kind.value for p in named),
                states=tuple(
                    sorted({p.country for p in record.parties if _state_level(p) and p.country})
                ),
                **common,
            )
        parent = normalise(record.parent_programme) if record.parent_programme else None
        return cls(
            kind="policy_scheme",
            text=record.name,
            subtype=record.instrument.value,
            countries=(record.country,),
            parties=(),
            name_keys=tuple(sorted(name_keys(record.name, drop=country_words(record.country)))),
            label=label(record.name, country_words(record.country)),
            parent=parent,
            **common,
        )

    # --- derived facts -------------------------------------------------------------------

    @property
    def stage(self) -> int:
        return STAGE.get(self.status, 3)

    @property
    def period(self) -> Period | None:
        if self.date is None:
            return None
        return period(dt.date.fromisoformat(self.date[0]), self.date[1])

    @property
    def when(self) -> dt.date | None:
        """The record's date, else the article's publication date."""
        if self.date is not None:
            return dt.date.fromisoformat(self.date[0])
        return dt.date.fromisoformat(self.published) if self.published else None

    @property
    def timeless(self) -> bool:
        """True when neither the record nor its article says when: no date, no publication."""
        return self.date is None and self.published is None

    @property
    def money_fact(self) -> MoneyFact | None:
        return MoneyFact(*self.money) if self.money else None

    def specific_minerals(self) -> set[str]:
        """Minerals with umbrella names added for their members, so "terbium" meets REEs."""
        found = set(self.minerals)
        if found & _RARE_EARTHS:
            found.add(Mineral.RARE_EARTH_ELEMENTS.value)
        if found & _PGMS:
            found.add(Mineral.PLATINUM_GROUP_METALS.value)
        return found

    # --- blocking keys -------------------------------------------------------------------
    #
    # A mention is found under the keys of who and what it is (named parties and the title's
    # keys; for a scheme its jurisdiction with its name, acronym and distinctive words) and of
    # when it happened (the
    # countries or jurisdiction and instrument, with the year). A dated mention looks up its year
    # and the years either side, and the events opened by undated mentions ("?"); an undated
    # mention looks up the key without a year, which holds every event of those countries (the
    # store reads only the most recent of a crowded key).

    def _year(self) -> str:
        when = self.when
        return str(when.year) if when else "?"

    def _blocks(self) -> list[str]:
        """The "who and what" part of the time keys: country pairs, or jurisdiction|instrument."""
        if self.kind == "policy_scheme":
            return [f"p|{self.countries[0]}|{self.subtype}"]
        countries = self.countries[:12]  # a dozen members are enough to meet a partial list
        if len(countries) == 1:
            return [f"a|cc|{countries[0]}"]
        return [f"a|cc|{a}-{b}" for i, a in enumerate(countries) for b in countries[i + 1 :]]

    def _name_keys(self) -> set[str]:
        if self.kind == "agreement":
            # Initials are looked up like any form here; comparing decides what they are worth.
            keys = {f"a|org|{k.lstrip('~')}" for _, party_keys in self.parties for k in party_keys}
            return keys | {f"a|title|{key.lstrip('~')}" for key in self.name_keys}
        country = self.countries[0]
        keys = {f"p|{country}|name|{key.lstrip('~')}" for key in self.name_keys}
        return keys | {f"p|{country}|word|{word}" for word in distinctive_words(self.text)}

    def index_keys(self) -> set[str]:
        """The keys an event holding this mention is found under."""
        blocks = self._blocks()
        year = self._year()
        return self._name_keys() | {f"{b}|{year}" for b in blocks} | set(blocks)

    def query_keys(self) -> set[str]:
        """The keys to look up for this mention."""
        blocks = self._blocks()
        year = self._year()
        if year == "?":
            return self._name_keys() | set(blocks)
        years = [str(int(year) + step) for step in (-1, 0, 1)] + ["?"]
        return self._name_keys() | {f"{b}|{y}" for b in blocks for y in years}

    # --- storage -------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Profile:
        data = json.loads(text)
        data["countries"] = tuple(data["countries"])
        data["parties"] = tuple((name, tuple(keys)) for name, keys in data["parties"])
        data["name_keys"] = tuple(data["name_keys"])
        data["minerals"] = tuple(data["minerals"])
        data["date"] = tuple(data["date"]) if data["date"] else None
        data["money"] = tuple(data["money"]) if data["money"] else None
        data["party_kinds"] = tuple(data.get("party_kinds", ()))
        data["states"] = tuple(data.get("states", ()))
        return cls(**data)
