"""Configuration: the frozen :class:`Config`, the environment it reads, and the SDK clients.

Everything that decides how a run talks to a model lives here: the model name and answer mode,
the attempt and time limits, and the ``openai`` clients built from ``OPENAI_API_KEY`` /
``OPENAI_BASE_URL`` when the caller passes none. Nothing here sends a request.
"""

from __future__ import annotations

import asyncio
import math
import os
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any, Literal, get_args
from urllib.parse import urlsplit, urlunsplit

import openai

from minerals_summ.exceptions import ConfigurationError
from minerals_summ.retries import RetryPolicy

__all__ = [
    "DEFAULT_MODEL",
    "OPENAI_URL",
    "Config",
    "Mode",
    "async_client_for",
    "client_from_env",
    "default_model",
    "endpoint_of",
]

Mode = Literal["tools", "json_schema", "json"]
DEFAULT_MODEL = "gpt-4.1-mini"
OPENAI_URL = "https://api.openai.com/v1"
MODES: tuple[str, ...] = get_args(Mode)
_DEFAULT_RETRY = RetryPolicy()  # frozen: one instance serves every config


def default_model() -> str:
    """``MINERALS_SUMM_MODEL``, else :data:`DEFAULT_MODEL`."""
    return os.environ.get("MINERALS_SUMM_MODEL") or DEFAULT_MODEL


def _positive(name: str, value: object, *, integer: bool = False) -> None:
    """Raise a ConfigurationError naming ``name`` unless ``value`` is a positive number."""
    kind = int if integer else (int, float)
    if (
        isinstance(value, bool)
        or not isinstance(value, kind)
        or not math.isfinite(value)
        or value <= 0
    ):
        what = "a positive whole number" if integer else "a positive number"
        raise ConfigurationError(f"{name} must be {what}, not {value!r}")


@dataclass(frozen=True, kw_only=True)
class Config:
    """Everything that shapes a run. Frozen: make a changed copy with :meth:`replace`.

    ``model``: the model name the server knows. ``mode``: how the model answers ("tools": a
    tool call; "json_schema": structured output; "json": ``response_format`` json_object, for
    servers such as llama.cpp). ``max_attempts``: model calls per article, re-asks included.
    ``retry``: transport retries (429, 5xx, timeouts), which never use up an attempt.
    ``timeout``: seconds one HTTP request may take in all, from sending it to the last byte of
    the answer (a server trickling its answer is cut off there, and the request retried as a
    timeout). ``max_chars``: the longest article accepted (the hard cap).
    ``max_article_tokens``: the most article tokens one request carries; a longer article is
    extracted in chunks (:mod:`minerals_summ.chunking`); None: a quarter of the model's context
    window, at most 32,000 (4,000 for a model whose window is unknown). ``token_budget``: stop
    re-asking once this many tokens are spent. ``temperature``: passed to the model.
    ``default_currency``: the ISO code a bare "$" or an amount without currency means.
    ``json_object_schema`` (mode "json" only): also send the draft schema in
    ``response_format``, which llama.cpp uses to constrain decoding.

    ``max_output_tokens``: the cap on one answer's tokens. None (the default) derives it from
    the article (:meth:`output_cap`): 1,024 tokens for the answer's frame and summary plus three
    quarters of a token per character of article (an answer restates about three characters of
    JSON per character of article at most, four characters a token), at least 2,048 and at most
    16,384. Any larger explicit number is sent as given.

    ``max_records`` (default 200): the most records (agreements and policy schemes) one answer
    may hold once identical records are merged; an answer with more is sent back to the model
    as a problem, unresolved. A re-ask lists at most 30 problems (and counts the rest), each
    line cut to 400 characters, and does not repeat an answer longer than 200,000 characters
    (:mod:`minerals_summ.reask`).
    """

    model: str = DEFAULT_MODEL
    mode: Mode = "tools"
    max_attempts: int = 3
    retry: RetryPolicy = _DEFAULT_RETRY
    timeout: float = 120.0
    max_chars: int = 5_000_000
    max_article_tokens: int | None = None
    token_budget: int | None = None
    max_output_tokens: int | None = None
    temperature: float | None = None
    default_currency: str | None = None
    json_object_schema: bool = False
    max_records: int = 200

    def __post_init__(self) -> None:
        if not isinstance(self.model, str) or not self.model:
            raise ConfigurationError("model: no model name; pass model= or set MINERALS_SUMM_MODEL")
        if self.mode not in MODES:
            raise ConfigurationError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        _positive("max_attempts", self.max_attempts, integer=True)
        _positive("timeout", self.timeout)
        _positive("max_chars", self.max_chars, integer=True)
        if self.max_article_tokens is not None:
            _positive("max_article_tokens", self.max_article_tokens, integer=True)
        if self.token_budget is not None:
            _positive("token_budget", self.token_budget, integer=True)
        if self.max_output_tokens is not None:
            _positive("max_output_tokens", self.max_output_tokens, integer=True)
        _positive("max_records", self.max_records, integer=True)
        if self.temperature is not None and (
            isinstance(self.temperature, bool)
            or not isinstance(self.temperature, int | float)
            or not 0 <= self.temperature <= 2
        ):
            raise ConfigurationError(
                f"temperature must be a number from 0 to 2, not {self.temperature!r}"
            )
        if self.default_currency is not None and not (
            isinstance(self.default_currency, str) and len(self.default_currency) == 3
        ):
            raise ConfigurationError(
                "default_currency must be an ISO 4217 code such as 'USD', "
                f"not {self.default_currency!r}"
            )
        if not isinstance(self.retry, RetryPolicy):
            raise ConfigurationError(f"retry must be a RetryPolicy, not {self.retry!r}")
        if not isinstance(self.json_object_schema, bool):
            raise ConfigurationError(
                f"json_object_schema must be True or False, not {self.json_object_schema!r}"
            )
        if self.json_object_schema and self.mode != "json":
            raise ConfigurationError("json_object_schema needs mode='json'")

    def output_cap(self, article: str) -> int:
        """The ``max_tokens`` sent for ``article``: ``max_output_tokens``, or derived from the
        article's length (see the class docstring)."""
        if self.max_output_tokens is not None:
            return self.max_output_tokens
        return min(max(1_024 + len(article) * 3 // 4, 2_048), 16_384)

    def replace(self, **changes: Any) -> Config:
        """A copy with ``changes``; a ConfigurationError names an unknown option."""
        known = {f.name for f in fields(self)}
        for name in changes:
            if name not in known:
                raise ConfigurationError(
                    f"unknown option {name!r}; the options are {', '.join(sorted(known))}"
                )
        return replace(self, **changes)

    @classmethod
    def from_options(cls, config: Config | None = None, **options: Any) -> Config:
        """``config`` (or the default, its model from the environment) with the options given.

        Options left as None keep the config's value.
        """
        given = {name: value for name, value in options.items() if value is not None}
        if config is None:
            given.setdefault("model", default_model())
            config = cls(model=given.pop("model"))
        return config.replace(**given) if given else config


def _env_endpoint() -> tuple[str | None, str | None]:
    """``OPENAI_API_KEY`` and ``OPENAI_BASE_URL``, or the error saying what to set."""
    key = os.environ.get("OPENAI_API_KEY")
    base_url = os.environ.get("OPENAI_BASE_URL")
    if not key and not base_url:
        raise ConfigurationError(
            "no OPENAI_API_KEY: set it, or OPENAI_BASE_URL for a local server, or pass client="
        )
    return key, base_url


def check_env() -> None:
    """Fail now, with the ConfigurationError saying what to set, when no endpoint is known."""
    _env_endpoint()


def client_from_env(*, asynchronous: bool = False) -> openai.OpenAI | openai.AsyncOpenAI:
    """An SDK client from ``OPENAI_API_KEY`` / ``OPENAI_BASE_URL`` (a local server needs no key)."""
    key, base_url = _env_endpoint()
    cls = openai.AsyncOpenAI if asynchronous else openai.OpenAI
    return cls(api_key=key or "not-needed", base_url=base_url)


def endpoint_of(client: openai.OpenAI | openai.AsyncOpenAI | None) -> str:
    """The base URL a client sends to, without credentials, query or trailing slash (for a
    missing client, the environment's: ``OPENAI_BASE_URL``, else OpenAI's)."""
    if client is None:
        url = os.environ.get("OPENAI_BASE_URL") or OPENAI_URL
    else:
        url = str(client.base_url)
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


def _carried_over(client: openai.OpenAI | openai.AsyncOpenAI) -> str | None:
    """Why ``client``'s settings cannot be carried over to a new AsyncOpenAI, or None."""
    from openai._base_client import AsyncHttpxClientWrapper, SyncHttpxClientWrapper

    own = (SyncHttpxClientWrapper, AsyncHttpxClientWrapper)
    if not isinstance(client._client, own) or client._custom_query:
        return "has its own http_client or default_query"
    if not client.api_key:  # a key provider (a callable), or credentials other than a key
        return "has no plain api_key"
    return None


def _twin(client: openai.OpenAI | openai.AsyncOpenAI) -> openai.AsyncOpenAI:
    """A new AsyncOpenAI with ``client``'s endpoint, key and headers (its own connections)."""
    return openai.AsyncOpenAI(
        api_key=client.api_key,
        organization=client.organization,
        project=client.project,
        base_url=client.base_url,
        timeout=client.timeout,
        default_headers=dict(client._custom_headers),
        max_retries=0,
    )


# The event loop each caller's AsyncOpenAI was first used on: its connections belong to it.
_HOME: weakref.WeakKeyDictionary[openai.AsyncOpenAI, Callable[[], Any]] = (
    weakref.WeakKeyDictionary()
)
_HOME_LOCK = threading.Lock()


def _on_this_loop(client: openai.AsyncOpenAI) -> openai.AsyncOpenAI:
    """``client`` on the loop it belongs to (the first it is used on); on any other loop a twin
    with its settings, or a ConfigurationError when they cannot be carried over."""
    loop = asyncio.get_running_loop()
    with _HOME_LOCK:
        home = _HOME.get(client)
        if home is None or home() is loop:
            _HOME[client] = weakref.ref(loop)
            return client
    if (why := _carried_over(client)) is not None:
        raise ConfigurationError(
            f"client: this openai.AsyncOpenAI is already in use on another event loop and {why}, "
            "so it cannot be shared or copied across loops (threads); give each thread its own "
            "client, or pass an openai.OpenAI"
        )
    return _twin(client)


def _check_loop(client: openai.AsyncOpenAI) -> None:
    """Raise now what :func:`_on_this_loop` would raise on the running loop, building nothing."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    with _HOME_LOCK:
        home = _HOME.get(client)
    if home is not None and home() is not loop and (why := _carried_over(client)) is not None:
        raise ConfigurationError(
            f"client: this openai.AsyncOpenAI is already in use on another event loop and {why}, "
            "so it cannot be shared or copied across loops (threads); give each thread its own "
            "client, or pass an openai.OpenAI"
        )


def async_client_for(
    client: openai.OpenAI | openai.AsyncOpenAI | None,
) -> Callable[[], openai.AsyncOpenAI]:
    """What builds the async client a batch sends through, for the caller's ``client``; call
    it on the event loop that will use it.

    An ``AsyncOpenAI`` is used as it is on the loop it was first used on; on another loop (a
    batch in another thread) a twin with its endpoint, key and headers is built, as for a sync
    ``OpenAI``; none means the environment's endpoint. Checked now (a missing key, a client
    whose settings cannot be carried over), built when first called: a batch served from the
    cache never builds one.
    """
    if isinstance(client, openai.AsyncOpenAI):
        _check_loop(client)
        return lambda: _on_this_loop(client)
    if client is None:
        check_env()
        return lambda: client_from_env(asynchronous=True)  # type: ignore[return-value]
    if (why := _carried_over(client)) is not None:
        raise ConfigurationError(
            f"client: this openai.OpenAI {why}, which a batch cannot carry over to its async "
            "client; pass an openai.AsyncOpenAI built the same way"
        )
    return lambda: _twin(client)
