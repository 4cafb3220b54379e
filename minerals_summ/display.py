"""Readable views of an :class:`ArticleSummary`: terminal tables (rich).

Every text shown comes from the model or the server (titles, names, quotes, the summary, the
served model's name), so it passes through :func:`terminal_safe` first: an escape sequence in
an answer (clear the screen, move the cursor, an OSC 8 link) is shown as text, never run.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from minerals_summ.costs import format_cost
from minerals_summ.records import Agreement, DateRef, Money, PolicyScheme, Provenance
from minerals_summ.vocabulary import qualified

if TYPE_CHECKING:
    from minerals_summ.summary import ArticleSummary

__all__ = ["json_safe", "summary_table", "terminal_safe"]

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and
# isolates (which reorder what follows them on the line).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """JSON text with the control characters a JSON encoder leaves raw (DEL, C1, bidi) written
    as ``\\uXXXX`` escapes: the same JSON, harmless on a terminal."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def terminal_safe(text: str) -> str:
    """``text`` with every control character a terminal would act on shown as an escape
    (``\\x1b``, ``\\u202e``); tabs and newlines stay."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _money(money: Money | None) -> str:
    if money is None:
        return "-"
    return qualified(money.qualifier, f"{money.currency} {money.amount:,}") + f"  ({money.text!r})"


def _date(date: DateRef | None) -> str:
    if date is None:
        return "-"
    value = date.value.isoformat() if date.value else "unresolved"
    precision = f", {date.precision}" if date.precision else ""
    return f"{value}{precision}  ({date.text!r})"


class _Rows(Table):
    """A two-column table whose values are plain text (article words are never markup)."""

    def __init__(self, title: str) -> None:
        super().__init__(title=Text(terminal_safe(title)), show_header=False, title_justify="left")
        self.add_column(style="bold")
        self.add_column()

    def add_row(self, *values: object, **kwargs: object) -> None:
        super().add_row(*(Text(terminal_safe(str(v))) for v in values))


def _agreement(agreement: Agreement) -> Table:
    table = _Rows(f"Agreement: {agreement.title}")
    parties = "; ".join(
        f"{p.name}" + (f" ({p.acronym})" if p.acronym else "") + f" [{p.kind}, {p.country or '?'}]"
        for p in agreement.parties
    )
    table.add_row("kind / status", f"{agreement.kind} / {agreement.status}")
    table.add_row("parties", parties)
    table.add_row("minerals", ", ".join(agreement.minerals) or "-")
    table.add_row("activities", ", ".join(agreement.activities) or "-")
    table.add_row("value", _money(agreement.value))
    table.add_row("date", _date(agreement.date))
    table.add_row("location", agreement.location or "-")
    officials = "; ".join(f"{o.name}, {o.role or '?'}" for o in agreement.officials)
    table.add_row("officials", officials or "-")
    table.add_row(
        "evidence", "\n".join(f"[{e.start}:{e.end}] {e.quote}" for e in agreement.evidence)
    )
    return table


def _scheme(scheme: PolicyScheme) -> Table:
    table = _Rows(f"Policy scheme: {scheme.name}")
    table.add_row("country / instrument", f"{scheme.country} / {scheme.instrument}")
    table.add_row("status", str(scheme.status))
    table.add_row("approved by", scheme.approving_body or "-")
    table.add_row("programme", scheme.parent_programme or "-")
    table.add_row("budget", _money(scheme.budget))
    table.add_row("duration", f"{scheme.duration_years} years" if scheme.duration_years else "-")
    table.add_row("date", _date(scheme.date))
    table.add_row("minerals", ", ".join(scheme.minerals) or "-")
    targets = [
        f"{t.description}: "
        + (
            qualified(t.quantity.qualifier, f"{t.quantity.value:,} {t.quantity.unit}")
            + f"{' a year' if t.quantity.per_year else ''}  ({t.quantity.text!r})"
            if t.quantity
            else "-"
        )
        for t in scheme.targets
    ]
    table.add_row("targets", "\n".join(targets) or "-")
    table.add_row("evidence", "\n".join(f"[{e.start}:{e.end}] {e.quote}" for e in scheme.evidence))
    return table


def summary_table(summary: ArticleSummary) -> RenderableType:
    """The records as compact tables, one per record, with the provenance line."""
    parts: list[RenderableType] = [Text(terminal_safe(summary.summary), style="italic")]
    parts += [_agreement(a) for a in summary.agreements]
    parts += [_scheme(s) for s in summary.policy_schemes]
    if not summary.records():
        parts.append(Text("No agreement or policy scheme in this article."))
    if summary.provenance:
        parts.append(Text(terminal_safe(provenance_line(summary.provenance)), style="dim"))
    return Group(*parts)


def provenance_line(p: Provenance) -> str:
    """One line saying where a summary came from and what it cost (the terminal and notebook
    views end with it)."""
    served = f" (served by {p.served_model})" if p.served_model not in (None, p.model) else ""
    abandoned = (
        f", {p.abandoned_requests} request(s) abandoned at the timeout (tokens unknown)"
        if p.abandoned_requests
        else ""
    )
    dropped = (
        f"; {len(p.dropped_records)} record(s) proposed earlier left out of the answer"
        if p.dropped_records
        else ""
    )
    return (
        f"{p.model}{served}, {p.mode} mode, prompt {p.prompt_version}, schema "
        f"{p.schema_version}: {p.attempts} model call(s), {p.transport_retries} transport "
        f"retries, {p.usage.total_tokens} tokens{abandoned}"
        + (f", {format_cost(p.cost_usd)}" if p.cost_usd is not None else "")
        + (f", {p.chunks} chunks" if p.chunks > 1 else "")
        + f", {p.wall_time_s:.2f}s{dropped}"
    )
