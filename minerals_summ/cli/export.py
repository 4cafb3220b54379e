"""``minerals-summ export results.jsonl --format csv --out DIR``: a batch's results as tables."""

from __future__ import annotations

from pathlib import Path

import click

from minerals_summ.cli.common import EXIT_USAGE, fail
from minerals_summ.exceptions import MineralsSummError
from minerals_summ.exports import FORMATS, Format, read_results, write_tables
from minerals_summ.tables import tables

__all__ = ["export_command"]


@click.command(name="export")
@click.argument("results", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="csv",
    show_default=True,
    help="csv: a file per table; parquet: a file per table (needs pyarrow); xlsx: a workbook "
    "with a sheet per table (needs XlsxWriter).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The folder to write the tables into (made when missing).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def export_command(results: tuple[Path, ...], fmt: Format, out: Path, debug: bool) -> None:
    """Write the JSONL results of `summarise --out` as tidy tables: articles, agreements,
    policy schemes, parties, minerals, targets, officials and evidence."""
    try:
        lines = [line for path in results for line in read_results(path)]
        written = write_tables(tables(lines), out, fmt)
    except MineralsSummError as error:
        fail(error, debug)
    except ImportError as error:
        click.echo(f"error: {error}", err=True)
        raise SystemExit(EXIT_USAGE) from None
    ok = sum(1 for line in lines if line.summary is not None)
    click.echo(
        f"{len(lines)} article(s) ({ok} summarised) -> " + ", ".join(str(path) for path in written),
        err=True,
    )
