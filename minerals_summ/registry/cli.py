"""``minerals-summ registry``: add batch results to the deal registry, list, show, correct the
linking (merge, split, rebuild), export, score."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from minerals_summ.registry.export import export as export_tables
from minerals_summ.registry.gold import dev_test_split, load_mentions, score_gold
from minerals_summ.registry.model import Event, Link
from minerals_summ.registry.registry import Registry, default_path
from minerals_summ.summary import ArticleSummary

__all__ = ["registry"]


# Accepted before or after the command: `registry --db F add ...` and `registry add --db F ...`.
_DB = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Registry file [default: $MINERALS_SUMM_REGISTRY, else registry.sqlite in the user "
    "data directory].",
)


def _path(ctx: click.Context, db: Path | None) -> Path:
    return db if db is not None else Path(ctx.obj["db"])


@click.group()
@_DB
@click.pass_context
def registry(ctx: click.Context, db: Path | None) -> None:
    """The deal registry: one event per real-world agreement or policy scheme."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db if db is not None else default_path()


def _summaries(path: Path) -> tuple[list[dict[str, Any]], int]:
    """The usable lines of a results file, and how many were skipped (failed or damaged)."""
    lines, skipped = [], 0
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if data.get("ok") is not True or data.get("summary") is None:
                skipped += 1
                continue
            data["summary"] = ArticleSummary.model_validate(data["summary"])
            data["id"] = str(data["id"])
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            raise click.ClickException(f"{path}:{number}: not a result line ({exc})") from exc
        lines.append(data)
    return lines, skipped


@registry.command()
@click.argument(
    "results", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@_DB
@click.pass_context
def add(ctx: click.Context, results: tuple[Path, ...], db: Path | None) -> None:
    """Add the summaries of batch results (the JSONL of `summarise --out`) to the registry."""
    added = known = skipped = mentions = 0
    events: set[str] = set()
    path = _path(ctx, db)
    with Registry(path) as reg:
        before = {e.id for e in reg.events()}
        for results_path in results:
            lines, failed = _summaries(results_path)
            skipped += failed
            for data in lines:
                article_id = data["id"]
                if reg.has_article(article_id):
                    known += 1
                    continue
                ids = reg.add(
                    data["summary"],
                    article_id=article_id,
                    published=data.get("published"),
                    url=data.get("url"),
                    title=data.get("title"),
                )
                added += 1
                mentions += len(ids)
                events |= set(ids)
    new = len(events - before)
    click.echo(
        f"{added} articles added: {mentions} mentions, {new} new events; {known} already there, "
        f"{skipped} failed lines skipped. Registry: {path}"
    )


def _line(event: Event) -> str:
    date = event.date.isoformat() if event.date else "-"
    countries = ",".join(event.countries) or "-"
    extra = f" {len(event.conflicts)} conflicts" if event.conflicts else ""
    return (
        f"{event.id}  {event.kind:13} {event.status:17} {date:10} {countries:12} "
        f"{len(event.mentions)} mentions{extra}  {event.title}"
    )


@registry.command(name="list")
@click.option("--kind", type=click.Choice(["agreement", "policy_scheme"]))
@click.option("--country", help="ISO 3166-1 alpha-2 code of a party or jurisdiction, or EU.")
@click.option("--mineral", help="Canonical mineral name, e.g. lithium, rare_earth_elements.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Events dated on or after.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Events dated on or before.")
@_DB
@click.pass_context
def list_events(
    ctx: click.Context,
    *,
    db: Path | None,
    kind: str | None,
    country: str | None,
    mineral: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> None:
    """List events, one a line: id, kind, status, date, countries, mentions, title."""
    with Registry(_path(ctx, db)) as reg:
        found = reg.events(
            kind=kind,
            country=country,
            mineral=mineral,
            since=since.date() if since else None,
            until=until.date() if until else None,
        )
    for event in found:
        click.echo(_line(event))
    if not found:
        click.echo("No events.", err=True)


def _event(reg: Registry, event_id: str) -> Event:
    try:
        return reg.event(event_id)
    except KeyError:
        raise click.ClickException(f"no event {event_id!r} (see `registry list`)") from None


@registry.command()
@click.argument("event_id")
@click.option(
    "--why", is_flag=True, help="Also say why each mention is in the event, weakest link first."
)
@_DB
@click.pass_context
def show(ctx: click.Context, event_id: str, why: bool, db: Path | None) -> None:
    """Show one event: merged fields, status history, mentions with evidence, conflicts."""
    with Registry(_path(ctx, db)) as reg:
        event = _event(reg, event_id)
        links = reg.links(event) if why else []
    click.echo(f"{event.id} ({event.kind}): {event.title}")
    click.echo(f"status: {event.status}")
    for change in event.status_history:
        when = change.date.isoformat() if change.date else "?"
        click.echo(f"  {when}  {change.status:17} {', '.join(change.mentions)}")
    click.echo("fields:")
    for name, values in event.fields.items():
        shown = "; ".join(f"{v.text} [{len(v.mentions)}]" for v in values)
        click.echo(f"  {name}: {shown}")
    click.echo("conflicts:" if event.conflicts else "conflicts: none")
    for conflict in event.conflicts:
        click.echo(f"  {conflict.field}:")
        for value in conflict.values:
            click.echo(f"    {value.text}  <- {', '.join(value.mentions)}")
    click.echo("mentions:")
    for mention in event.mentions:
        published = mention.published.isoformat() if mention.published else "?"
        click.echo(f"  {mention.id}  {published}  {mention.title or ''}  {mention.url or ''}")
        click.echo(f"    {mention.record.status.value}: {mention.label}")
        for evidence in mention.evidence:
            click.echo(f"    [{evidence.start}:{evidence.end}] {evidence.quote}")
    if links:
        click.echo("links (the strongest that join the mentions, weakest first):")
    for link in links:
        _echo_link(link)


def _echo_link(link: Link) -> None:
    if link.partner is None:
        click.echo(f"  {link.mention}: the only mention")
        return
    marks = [m for m, on in (("WEAK", link.weak), ("merged by hand", link.by_hand)) if on]
    head = f"  {link.mention} ~ {link.partner}: {link.score:+g}"
    click.echo(head + (f" [{', '.join(marks)}]" if marks else ""))
    if link.veto:
        click.echo(f"    veto: {link.veto}")
    for reason in link.reasons:
        click.echo(f"    {reason}")


@registry.command()
@click.argument("keep")
@click.argument("others", nargs=-1, required=True)
@_DB
@click.pass_context
def merge(ctx: click.Context, keep: str, others: tuple[str, ...], db: Path | None) -> None:
    """Merge the OTHERS events into KEEP (a correction later additions respect)."""
    with Registry(_path(ctx, db)) as reg:
        event = _event(reg, keep)
        # Every id is checked before anything changes: a bad one leaves the registry as it was.
        for other in others:
            if _event(reg, other).kind != event.kind:
                raise click.ClickException(
                    f"{other}: an agreement and a policy scheme cannot be one event"
                )
        for other in others:
            event = reg.merge(event, other)
    click.echo(_line(event))


@registry.command()
@click.argument("event_id")
@click.argument("mentions", nargs=-1, required=True)
@_DB
@click.pass_context
def split(ctx: click.Context, event_id: str, mentions: tuple[str, ...], db: Path | None) -> None:
    """Move MENTIONS (ids as `registry show` gives them) out of EVENT_ID into a new event; the
    two are kept apart from then on."""
    with Registry(_path(ctx, db)) as reg:
        event = _event(reg, event_id)
        try:
            new = reg.split(event, list(mentions))
        except ValueError as exc:
            known = ", ".join(m.id for m in event.mentions)
            raise click.ClickException(f"{exc} (the event's mentions: {known})") from None
        event = reg.event(event.id)
    click.echo(_line(event))
    click.echo(_line(new))


@registry.command()
@_DB
@click.pass_context
def rebuild(ctx: click.Context, db: Path | None) -> None:
    """Link every mention again with this version's linker, keeping the corrections."""
    path = _path(ctx, db)
    with Registry(path) as reg:
        before = len(reg.clusters())
        reg.rebuild()
        after = len(reg.clusters())
    click.echo(
        f"{before} events before, {after} after, with new ids (an old id still finds the event "
        f"that holds its first mention). Registry: {path}"
    )


@registry.command()
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("registry-export"),
    show_default=True,
    help="Directory for events, mentions and conflicts tables.",
)
@_DB
@click.pass_context
def export(ctx: click.Context, fmt: str, out: Path, db: Path | None) -> None:
    """Write the events, mentions and conflicts as tidy tables (CSV, or Parquet with pyarrow)."""
    with Registry(_path(ctx, db)) as reg:
        events = reg.events()
    try:
        paths = export_tables(events, out, fmt)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    for path in paths:
        click.echo(str(path))


@registry.command()
@click.argument(
    "gold",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=Path("seeds/linking/mentions.jsonl"),
)
@click.option(
    "--split", type=click.Choice(["all", "dev", "test"]), default="all", show_default=True
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def score(gold: Path, split: str, fmt: str) -> None:
    """Link a gold mentions file in a fresh registry; pairwise and B-cubed P/R/F1."""
    mentions = load_mentions(gold)
    if split != "all":
        dev, test = dev_test_split(mentions)
        mentions = dev if split == "dev" else test
    result = score_gold(mentions)
    click.echo(result.to_json() if fmt == "json" else result.table())
