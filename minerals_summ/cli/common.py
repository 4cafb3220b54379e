"""What the commands share: exit codes, error lines, options, clients and reading input."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import NoReturn, TypeVar

import click
import openai

from minerals_summ.exceptions import ConfigurationError, ExtractionError, InputError
from minerals_summ.normalise import published_date

__all__ = [
    "EXIT_FAILED",
    "EXIT_USAGE",
    "MODE",
    "async_client",
    "client",
    "fail",
    "parse_published",
    "read_source",
]

EXIT_FAILED = 1
EXIT_USAGE = 2

_C = TypeVar("_C", openai.OpenAI, openai.AsyncOpenAI)

_HINTS: dict[type[Exception], str] = {
    ConfigurationError: "check the options and environment (OPENAI_API_KEY, OPENAI_BASE_URL)",
    InputError: "pass a text file with the article, or - for standard input",
    ExtractionError: "try a stronger model, or raise --max-attempts; --debug shows every attempt",
}

MODE = click.option(
    "--mode",
    type=click.Choice(["tools", "json_schema", "json"]),
    default="tools",
    show_default=True,
    help="How the model answers: tool call, json_schema, or json_object (llama.cpp).",
)


def fail(error: Exception, debug: bool) -> NoReturn:
    """One line on stderr with a hint (the traceback with --debug), and the exit code."""
    code = EXIT_USAGE if isinstance(error, ConfigurationError | InputError) else EXIT_FAILED
    if debug:
        raise error
    hint = next((h for cls, h in _HINTS.items() if isinstance(error, cls)), "")
    click.echo(f"error: {error}" + (f"\nhint: {hint}" if hint else ""), err=True)
    sys.exit(code)


def read_source(source: str) -> str:
    """The text of a file, or of standard input for ``-``."""
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source} is not UTF-8 text") from exc
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from exc


def parse_published(value: str | None) -> dt.date | None:
    """``--published``, checked."""
    try:
        return published_date(value)
    except InputError as exc:
        raise InputError(f"--published must be a date like 2025-09-09, not {value!r}") from exc


def _endpoint(base_url: str | None, cls: type[_C]) -> _C | None:
    """A client for ``--base-url`` (a local server needs no key), or None for the environment."""
    if not base_url:
        return None
    return cls(base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY") or "not-needed")


def client(base_url: str | None) -> openai.OpenAI | None:
    return _endpoint(base_url, openai.OpenAI)


def async_client(base_url: str | None) -> openai.AsyncOpenAI | None:
    return _endpoint(base_url, openai.AsyncOpenAI)
