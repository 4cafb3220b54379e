"""An event's fields merged from its mentions: every value with the mentions that support it.

Values that agree within their precision are one value (two dates whose periods overlap; two
amounts in one currency within rounding or their qualifiers); values that do not are kept side by
side as a :class:`Conflict`, never silently picked. Dates and agreement kinds of *different*
stages are a history, not a conflict: talks in May and a signature in December are both right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from minerals_summ.records import Agreement, PolicyScheme
from minerals_summ.registry.model import Conflict, Event, FieldValue, Mention, StatusChange
from minerals_summ.registry.names import core, name_keys, normalise, same_name
from minerals_summ.registry.profile import STAGE, MoneyFact, money_fact, period

__all__ = ["build_event"]

_Item = tuple[str, Any]  # (mention id, value)


def _cluster(items: Iterable[_Item], same: Callable[[Any, Any], bool]) -> list[FieldValue]:
    """Values grouped with the first value they agree with; most supported first."""
    groups: list[tuple[Any, list[str]]] = []
    for mention_id, value in items:
        for first, mention_ids in groups:
            if same(first, value):
                if mention_id not in mention_ids:
                    mention_ids.append(mention_id)
                break
        else:
            groups.append((value, [mention_id]))
    values = [FieldValue(value, tuple(ids)) for value, ids in groups]
    return sorted(values, key=lambda v: -len(v.mentions))  # stable: first seen wins ties


def _equal(a: Any, b: Any) -> bool:
    return bool(a == b)


def _same_text(a: Any, b: Any) -> bool:
    return normalise(str(a)) == normalise(str(b))


def _money_value(money: Any) -> dict[str, str] | None:
    fact = money_fact(money)
    if money is None or fact is None:
        return None
    return {"amount": str(money.amount), "currency": fact.currency, "qualifier": fact.qualifier}


def _same_money(a: dict[str, str], b: dict[str, str]) -> bool:
    def fact(value: dict[str, str]) -> MoneyFact:
        return MoneyFact(float(value["amount"]), value["currency"], value["qualifier"])

    return fact(a).agrees(fact(b)) is True


def _same_date(a: dict[str, str], b: dict[str, str]) -> bool:
    pa = period(dt.date.fromisoformat(a["value"]), a["precision"])
    pb = period(dt.date.fromisoformat(b["value"]), b["precision"])
    return pa.gap_days(pb) <= 1  # a signing in Washington on 30 April is 1 May in Kyiv


def _party_name(party: Any) -> str:
    return f"{party.name} ({party.acronym})" if party.acronym else str(party.name)


def _same_party(a: str, b: str) -> bool:
    return same_name(name_keys(a), name_keys(b), core(a), core(b))


def _conflicts(name: str, values: Sequence[FieldValue], by_stage: dict[str, int]) -> list[Conflict]:
    """Disagreeing values of a field; for dates and kinds only among mentions of one stage."""
    if len(values) < 2:
        return []
    if name in ("date", "kind"):
        stages: dict[int, list[FieldValue]] = {}
        for value in values:
            for stage in sorted({by_stage[m] for m in value.mentions}):
                same_stage = tuple(m for m in value.mentions if by_stage[m] == stage)
                stages.setdefault(stage, []).append(FieldValue(value.value, same_stage))
        return [Conflict(name, tuple(vs)) for vs in stages.values() if len(vs) > 1]
    if name in ("value", "budget"):
        by_currency: dict[str, list[FieldValue]] = {}
        for value in values:
            by_currency.setdefault(value.value["currency"], []).append(value)
        return [Conflict(name, tuple(vs)) for vs in by_currency.values() if len(vs) > 1]
    return [Conflict(name, tuple(values))]


def _history(mentions: Sequence[Mention]) -> tuple[StatusChange, ...]:
    """Each stated status with the earliest date given for it (else the earliest publication)."""
    stated: dict[str, tuple[dt.date | None, list[str]]] = {}
    for mention in mentions:
        record = mention.record
        when = record.date.value if record.date and record.date.value else mention.published
        status = record.status.value
        first, ids = stated.get(status, (None, []))
        if when is not None and (first is None or when < first):
            first = when
        stated[status] = (first, [*ids, mention.id])
    changes = [StatusChange(s, when, tuple(ids)) for s, (when, ids) in stated.items()]
    changes.sort(key=lambda c: (c.date or dt.date.min, STAGE.get(c.status, 3)))
    return tuple(changes)


def _fields(mentions: Sequence[Mention]) -> dict[str, list[_Item]]:
    fields: dict[str, list[_Item]] = {}

    def put(name: str, mention_id: str, value: Any) -> None:
        if value is not None and value != "":
            fields.setdefault(name, []).append((mention_id, value))

    for mention in mentions:
        record, mid = mention.record, mention.id
        date = record.date
        if date is not None and date.value is not None:
            precision = date.precision.value if date.precision else "day"
            put("date", mid, {"value": date.value.isoformat(), "precision": precision})
        put("status", mid, record.status.value)
        for mineral in record.minerals:
            put("minerals", mid, mineral.value)
        if isinstance(record, Agreement):
            put("title", mid, record.title)
            put("kind", mid, record.kind.value)
            for party in record.parties:
                put("parties", mid, _party_name(party))
                put("countries", mid, party.country)
            for activity in record.activities:
                put("activities", mid, activity.value)
            put("value", mid, _money_value(record.value))
            put("location", mid, record.location)
            for official in record.officials:
                put("officials", mid, official.name)
        else:
            scheme: PolicyScheme = record
            put("name", mid, scheme.name)
            put("countries", mid, scheme.country)
            put("instrument", mid, scheme.instrument.value)
            put("approving_body", mid, scheme.approving_body)
            put("parent_programme", mid, scheme.parent_programme)
            put("budget", mid, _money_value(scheme.budget))
            put("duration_years", mid, scheme.duration_years)
            for target in scheme.targets:
                if target.quantity is not None:
                    q = target.quantity
                    per_year = " a year" if q.per_year else ""
                    put("targets", mid, f"{target.description}: {q.value} {q.unit}{per_year}")
    return fields


# How values of each field agree.
_SAME: dict[str, Callable[[Any, Any], bool]] = {
    "date": _same_date,
    "value": _same_money,
    "budget": _same_money,
    "parties": _same_party,
    "officials": _same_text,
    "title": _same_text,
    "name": _same_text,
    "location": _same_text,
    "approving_body": _same_text,
    "parent_programme": _same_text,
}
# Fields with one true value, whose disagreeing values are a conflict. The rest are sets (an
# agreement's countries, minerals, parties), free text (titles, names) or the status history.
_SINGLE = ("date", "kind", "value", "budget", "instrument", "duration_years")


def build_event(event_id: str, kind: str, mentions: Sequence[Mention]) -> Event:
    """The event that these mentions report, with merged fields, conflicts and history."""
    by_stage = {m.id: STAGE.get(m.record.status.value, 3) for m in mentions}
    fields: dict[str, tuple[FieldValue, ...]] = {}
    conflicts: list[Conflict] = []
    for name, items in _fields(mentions).items():
        values = _cluster(items, _SAME.get(name, _equal))
        fields[name] = tuple(values)
        # A scheme has one jurisdiction; an agreement's countries are a set.
        if name in _SINGLE or (name == "countries" and kind == "policy_scheme"):
            conflicts += _conflicts(name, values, by_stage)
    history = _history(mentions)
    status = history[-1].status if history else ""
    return Event(event_id, kind, tuple(mentions), fields, tuple(conflicts), status, history)
