"""What the commands share: exit codes, error lines, options, clients and reading input.

Exit codes: 0 success; 1 the run failed (an extraction, or in a batch or an evaluation any
article); 2 a usage, configuration or input error, or nothing to do (no article found).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NoReturn, TypeVar

import click
import openai

from minerals_summ.articles import check_published, read_bounded
from minerals_summ.display import terminal_safe
from minerals_summ.exceptions import (
    ConfigurationError,
    ExtractionError,
    InputError,
    ReplayError,
)

__all__ = [
    "EXIT_FAILED",
    "EXIT_USAGE",
    "MAX_OUTPUT_TOKENS",
    "MODE",
    "async_client",
    "client",
    "fail",
    "parse_published",
    "read_path",
    "read_source",
    "warnings_on_stderr",
]

EXIT_FAILED = 1
EXIT_USAGE = 2

_C = TypeVar("_C", openai.OpenAI, openai.AsyncOpenAI)

_HINTS: dict[type[Exception], str] = {
    ReplayError: "pass --cassettes DIR (the folder of recordings), or record with `make record`",
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
MAX_OUTPUT_TOKENS = click.option(
    "--max-output-tokens",
    type=click.IntRange(min=1),
    help="Cap on one answer's tokens [default: derived from the article, 2,048 to 16,384].",
)


def fail(error: Exception, debug: bool) -> NoReturn:
    """One line on stderr with a hint (the traceback with --debug), and the exit code."""
    code = EXIT_USAGE if isinstance(error, ConfigurationError | InputError) else EXIT_FAILED
    if debug:
        raise error
    hint = next((h for cls, h in _HINTS.items() if isinstance(error, cls)), "")
    message = terminal_safe(str(error))  # it may quote the model's words
    click.echo(f"error: {message}" + (f"\nhint: {hint}" if hint else ""), err=True)
    sys.exit(code)


@contextmanager
def warnings_on_stderr() -> Iterator[None]:
    """Show the library's warnings (an unusable cache) as one ``warning:`` line on stderr."""

    def show(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        click.echo(f"warning: {terminal_safe(str(message))}", err=True)

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = show
        yield


def _bounded(handle: IO[bytes], limit: int, name: str) -> str:
    """At most ``limit`` bytes of ``handle`` as UTF-8 text; an InputError past that."""
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            f"{name} is larger than {limit:,} bytes, more than the longest article accepted "
            "(max_chars); split it into parts"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not UTF-8 text") from exc


def read_path(path: Path, max_chars: int) -> str:
    """The text of a file, its size checked before it is read
    (:func:`minerals_summ.articles.read_bounded`)."""
    try:
        return read_bounded(path, max_chars).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text") from exc


def read_source(source: str, max_chars: int) -> str:
    """The text of a file, or of standard input for ``-``, read within bounds."""
    if source == "-":
        return _bounded(sys.stdin.buffer, 4 * max_chars, "standard input")
    return read_path(Path(source), max_chars)


def parse_published(value: str | None) -> dt.date | None:
    """``--published``, checked (a real date an article can have)."""
    try:
        return check_published(value)
    except InputError as exc:
        raise InputError(f"--published: {exc}") from exc


def _endpoint(base_url: str | None, cls: type[_C]) -> _C | None:
    """A client for ``--base-url`` (a local server needs no key), or None for the environment."""
    if not base_url:
        return None
    return cls(base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY") or "not-needed")


def client(base_url: str | None) -> openai.OpenAI | None:
    return _endpoint(base_url, openai.OpenAI)


def async_client(base_url: str | None) -> openai.AsyncOpenAI | None:
    return _endpoint(base_url, openai.AsyncOpenAI)
