"""The registry's public records: mentions, events, their merged fields and conflicts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from minerals_summ.records import Agreement, Evidence, PolicyScheme

__all__ = ["Conflict", "Event", "FieldValue", "Link", "Mention", "StatusChange"]


@dataclass(frozen=True)
class Mention:
    """One record of one article, as the registry stores it."""

    id: str
    event_id: str
    article_id: str
    position: int  # the record's place among the article's records
    url: str | None
    title: str | None
    published: dt.date | None
    record: Agreement | PolicyScheme

    @property
    def kind(self) -> str:
        return "agreement" if isinstance(self.record, Agreement) else "policy_scheme"

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The quotes that support the record, with their offsets into the article."""
        return self.record.evidence

    @property
    def label(self) -> str:
        return self.record.title if isinstance(self.record, Agreement) else self.record.name


@dataclass(frozen=True)
class Link:
    """One of the links that hold an event's mentions together: two mentions, the points and
    reasons of their comparison (see :meth:`Registry.links`).

    ``weak`` when the points are under the linker's threshold or a veto rules the pair out: the
    event came together there by a bridging mention or a person's merge (``by_hand``: the pair
    was joined by a person). A weak link is where a wrong merge is most likely.
    """

    mention: str
    partner: str | None  # None: the event has no other mention
    score: float
    reasons: tuple[str, ...]
    veto: str | None
    weak: bool
    by_hand: bool


@dataclass(frozen=True)
class FieldValue:
    """One value of an event's field and the mentions that state it."""

    value: Any  # JSON-able: a str, an int, or a dict for money and dates
    mentions: tuple[str, ...]

    @property
    def text(self) -> str:
        """The value as a person reads it: "USD 8500000000", "2025-10-20 (day)"."""
        value = self.value
        if isinstance(value, dict) and "currency" in value:
            qualifier = value.get("qualifier", "exact")
            prefix = "" if qualifier == "exact" else f"{qualifier.replace('_', ' ')} "
            return f"{prefix}{value['currency']} {value['amount']}"
        if isinstance(value, dict) and "precision" in value:
            return f"{value['value']} ({value['precision']})"
        return str(value)


@dataclass(frozen=True)
class Conflict:
    """Values of one field that disagree beyond their precision, kept side by side."""

    field: str
    values: tuple[FieldValue, ...]


@dataclass(frozen=True)
class StatusChange:
    """A status an event was reported in, when, and by which mentions."""

    status: str
    date: dt.date | None
    mentions: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    """One real-world agreement or policy scheme, merged from every mention of it.

    ``fields`` maps a field name to its values, most supported first, each with the mentions that
    state it; ``conflicts`` lists the fields whose values disagree; ``status`` is the latest stated
    and ``status_history`` the stages in order.
    """

    id: str
    kind: str  # "agreement" or "policy_scheme"
    mentions: tuple[Mention, ...]
    fields: dict[str, tuple[FieldValue, ...]]
    conflicts: tuple[Conflict, ...]
    status: str
    status_history: tuple[StatusChange, ...]

    def value(self, name: str) -> Any:
        """The best supported value of a field, or None."""
        values = self.fields.get(name, ())
        return values[0].value if values else None

    @property
    def title(self) -> str:
        return str(self.value("title" if self.kind == "agreement" else "name") or "")

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(sorted({str(v.value) for v in self.fields.get("countries", ())}))

    @property
    def minerals(self) -> tuple[str, ...]:
        return tuple(sorted({str(v.value) for v in self.fields.get("minerals", ())}))

    @property
    def date(self) -> dt.date | None:
        """The earliest date any mention gives the event (its first reported moment)."""
        dates = [dt.date.fromisoformat(v.value["value"]) for v in self.fields.get("date", ())]
        return min(dates) if dates else None
