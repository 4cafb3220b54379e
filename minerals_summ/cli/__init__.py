"""The ``minerals-summ`` command line.

Exit codes: 0 success, 1 the extraction failed, 2 usage, configuration or input error.
"""

from __future__ import annotations

import json
from typing import Any

import click

from minerals_summ.cli.eval import eval_command
from minerals_summ.cli.export import export_command
from minerals_summ.cli.provider_batch import batch_group
from minerals_summ.cli.summarise import summarise_command
from minerals_summ.registry.cli import registry
from minerals_summ.schema import draft_json_schema
from minerals_summ.summary import ArticleSummary
from minerals_summ.version import __version__

__all__ = ["cli", "main"]


@click.group()
@click.version_option(__version__, prog_name="minerals-summ")
def cli() -> None:
    """Turn news articles about critical minerals into checked records."""


@cli.command()
@click.option(
    "--records",
    is_flag=True,
    help="The records users get (ArticleSummary), with every field described, instead.",
)
def schema(records: bool) -> None:
    """Print the JSON Schema the model sees (--records: the records you get)."""
    data: Any = ArticleSummary.model_json_schema() if records else draft_json_schema()
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


cli.add_command(summarise_command)
cli.add_command(eval_command)
cli.add_command(registry)
cli.add_command(export_command)
cli.add_command(batch_group)


def main() -> None:
    cli(prog_name="minerals-summ")
