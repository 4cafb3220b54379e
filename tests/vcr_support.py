"""Cassette settings shared by the tests and `make record`: readable, scrubbed, replay-only in CI.

- Bodies are decoded and JSON is pretty-printed, as YAML literal blocks.
- Requests match on method, path and JSON body, never on headers or host (the fake server's
  port changes from run to run).
- Secrets never reach disk: authorization, api keys, cookies, organisation and project ids are
  dropped from requests and responses before a cassette is written.
- Each cassette carries ``metadata.provenance``: what produced it (``reference`` for answers
  written by hand, ``local:<server>/<model>`` or ``provider:<name>/<model>`` for real
  recordings), when, and against which library, prompt and schema versions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any
from urllib.parse import urlsplit

import yaml

from minerals_summ import __version__
from minerals_summ.prompting import load_prompt
from minerals_summ.schema import schema_version

RERECORD = {
    "reference": "make record",
    "local": "make record-local",
    "provider": "make record-provider",
}

SECRET_HEADERS = (
    "authorization",
    "api-key",
    "x-api-key",
    "cookie",
    "set-cookie",
    "openai-organization",
    "openai-project",
    "x-stainless-arch",
    "x-stainless-os",
)


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    except (TypeError, ValueError):
        return text


def before_record_request(request: Any) -> Any:
    if request.body:
        body = request.body.decode("utf-8") if isinstance(request.body, bytes) else request.body
        request.body = _pretty(body).encode("utf-8")
    return request


def before_record_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SECRET_HEADERS or name.lower() in {"content-length", "content-encoding"}:
            del headers[name]
    # vcrpy runs this hook on loaded interactions too: keep the body's type (bytes or str).
    body = response.get("body", {}).get("string")
    if isinstance(body, bytes):
        response["body"]["string"] = _pretty(body.decode("utf-8")).encode("utf-8")
    elif isinstance(body, str):
        response["body"]["string"] = _pretty(body)
    return response


def json_body(r1: Any, r2: Any) -> None:
    """vcrpy matcher: equal JSON bodies (formatting aside); raises AssertionError otherwise."""

    def parse(request: Any) -> Any:
        body = request.body or b""
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        try:
            return json.loads(text) if text else None
        except ValueError:
            return text

    assert parse(r1) == parse(r2), "request bodies differ"


def path(r1: Any, r2: Any) -> None:
    assert urlsplit(r1.uri).path == urlsplit(r2.uri).path, "paths differ"


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


class PrettyYAML:
    """vcrpy serializer: YAML with multi-line bodies as literal blocks."""

    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        return yaml.dump(cassette, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)

    @staticmethod
    def deserialize(text: str) -> Any:
        return yaml.safe_load(text)


def provenance(
    source: str,
    *,
    article: str,
    mode: str,
    model: str,
    scenario: str,
    published: str | None = None,
) -> dict[str, Any]:
    """What a new recording says about itself (``published``: the date the prompt carried)."""
    return {
        "source": source,
        "scenario": scenario,
        "recorded": dt.date.today().isoformat(),
        "library_version": __version__,
        "prompt_version": load_prompt().version,
        "schema_version": schema_version(),
        "mode": mode,
        "model": model,
        "article_sha256": hashlib.sha256(article.encode("utf-8")).hexdigest(),
        **({"published": published} if published else {}),
    }


def stale(stored: dict[str, Any]) -> str | None:
    """Why a recording no longer matches the prompt or schema, or None."""
    if stored.get("prompt_version") != load_prompt().version:
        return f"prompt {stored.get('prompt_version')} (now {load_prompt().version})"
    if stored.get("schema_version") != schema_version():
        return f"draft schema {stored.get('schema_version')} (now {schema_version()})"
    return None
