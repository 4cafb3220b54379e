"""Configuration: the frozen :class:`Config`, the environment it reads, and the SDK clients.

Everything that decides how a run talks to a model lives here: the model name and answer mode,
the attempt and time limits, and the ``openai`` clients built from ``OPENAI_API_KEY`` /
``OPENAI_BASE_URL`` when the caller passes none. Nothing here sends a request.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Any, Literal, get_args

import openai

from minerals_summ.exceptions import ConfigurationError
from minerals_summ.retries import RetryPolicy

__all__ = [
    "DEFAULT_MODEL",
    "Config",
    "Mode",
    "async_client_for",
    "client_from_env",
    "default_model",
]

Mode = Literal["tools", "json_schema", "json"]
DEFAULT_MODEL = "gpt-4.1-mini"
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
    ``timeout``: seconds per HTTP request. ``max_chars``: the longest article accepted (the
    hard cap). ``max_article_tokens``: the most article tokens one request carries; a longer
    article is extracted in chunks (:mod:`minerals_summ.chunking`); None: a quarter of the
    model's context window, at most 32,000 (4,000 for a model whose window is unknown).
    ``token_budget``: stop re-asking once this many tokens are spent. ``max_output_tokens``,
    ``temperature``: passed to the model. ``default_currency``: the ISO code a bare "$" or an
    amount without currency means. ``json_object_schema`` (mode "json" only): also send the
    draft schema in ``response_format``, which llama.cpp uses to constrain decoding.
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
        if self.json_object_schema and self.mode != "json":
            raise ConfigurationError("json_object_schema needs mode='json'")

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


def async_client_for(
    client: openai.OpenAI | openai.AsyncOpenAI | None,
) -> Callable[[], openai.AsyncOpenAI]:
    """What builds the async client a batch sends through, for the caller's ``client``.

    An ``AsyncOpenAI`` is used as it is; none means the environment's endpoint; a sync
    ``OpenAI`` gets an async twin with the same endpoint, key and headers. Checked now (a
    missing key, a client whose settings cannot be carried over), built when first called: a
    batch served from the cache never builds one.
    """
    if isinstance(client, openai.AsyncOpenAI):
        return lambda: client
    if client is None:
        check_env()
        return functools.partial(client_from_env, asynchronous=True)  # type: ignore[return-value]
    from openai._base_client import SyncHttpxClientWrapper

    if not isinstance(client._client, SyncHttpxClientWrapper) or client._custom_query:
        raise ConfigurationError(
            "client: this openai.OpenAI has its own http_client or default_query, which a batch "
            "cannot carry over to its async client; pass an openai.AsyncOpenAI built the same way"
        )
    if not client.api_key:  # a key provider (a callable), or credentials other than a key
        raise ConfigurationError(
            "client: this openai.OpenAI has no plain api_key, which a batch would need to carry "
            "over to its async client; pass an openai.AsyncOpenAI built the same way"
        )
    return functools.partial(
        openai.AsyncOpenAI,
        api_key=client.api_key,
        organization=client.organization,
        project=client.project,
        base_url=client.base_url,
        timeout=client.timeout,
        default_headers=dict(client._custom_headers),
        max_retries=0,
    )
