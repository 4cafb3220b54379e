"""Answer from a recorded cassette instead of a live model: no key, no network.

Cassettes are vcrpy YAML files (``cassettes/*.yaml``) whose ``metadata.provenance`` says what
produced them: ``reference`` (an answer written by hand, served over loopback HTTP),
``local:<server>/<model>`` or ``provider:<name>/<model>`` (a real recording), with the prompt
and schema versions it was recorded against. :func:`replay_client` gives an ``openai.OpenAI``
whose HTTP transport plays the cassette's answers in order, matching each request on method,
path and JSON body, as the tests do.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2
import openai
import yaml

from minerals_summ.exceptions import ReplayError

__all__ = [
    "RERECORD_COMMAND",
    "Cassette",
    "cassette_dir",
    "find_cassette",
    "load_cassette",
    "replay_client",
]

RERECORD_COMMAND = "make record"


@dataclass(frozen=True)
class Cassette:
    path: Path
    provenance: dict[str, Any]
    interactions: tuple[dict[str, Any], ...]

    @property
    def source(self) -> str:
        return str(self.provenance.get("source", "unknown"))

    def describe(self) -> str:
        """One line saying what produced this recording, for people reading the output."""
        p = self.provenance
        if self.source == "reference":
            what = "a reference response written by hand, served over loopback HTTP"
        else:
            what = f"a real recording from {self.source}"
        return f"{self.path.name}: {what}, recorded {p.get('recorded', '?')}"

    def stale_reason(self, prompt_version: str, schema_version: str) -> str | None:
        p = self.provenance
        if p.get("prompt_version") != prompt_version:
            return f"prompt {p.get('prompt_version')} (now {prompt_version})"
        if p.get("schema_version") != schema_version:
            return f"schema {p.get('schema_version')} (now {schema_version})"
        return None


def cassette_dir() -> Path:
    """``MINERALS_SUMM_CASSETTES``, else ``./cassettes``."""
    return Path(os.environ.get("MINERALS_SUMM_CASSETTES", "cassettes"))


def load_cassette(path: str | Path) -> Cassette:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReplayError(f"cannot read cassette {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise ReplayError(f"{path} is not a cassette (no interactions)")
    provenance = (data.get("metadata") or {}).get("provenance") or {}
    return Cassette(path=path, provenance=provenance, interactions=tuple(data["interactions"]))


def find_cassette(
    article: str,
    *,
    mode: str,
    prompt_version: str,
    schema_version: str,
    directory: Path | None = None,
    prefer: tuple[str, ...] = ("clean", "gold"),
) -> Cassette:
    """The recording of ``article`` in ``mode`` for the current prompt and schema.

    Among several, the first whose ``scenario`` is in ``prefer`` (in that order), else any.
    """
    directory = directory or cassette_dir()
    digest = hashlib.sha256(article.encode("utf-8")).hexdigest()
    candidates = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            cassette = load_cassette(path)
        except ReplayError:
            continue
        p = cassette.provenance
        # Reference answers only: a real recording replays only with its own options
        # (temperature, token limit...), so it is found by its path, not by its article.
        if (
            p.get("article_sha256") == digest
            and p.get("mode") == mode
            and (p.get("source") == "reference")
        ):
            candidates.append(cassette)
    if not candidates:
        raise ReplayError(
            f"no recording of this article in {mode} mode under {directory}/; "
            f"record one with `{RERECORD_COMMAND}` (or pass --replay PATH)"
        )
    fresh = [c for c in candidates if not c.stale_reason(prompt_version, schema_version)]
    if not fresh:
        reason = candidates[0].stale_reason(prompt_version, schema_version)
        raise ReplayError(
            f"the recordings of this article were made with another {reason}; "
            f"re-record them with `{RERECORD_COMMAND}`"
        )
    rank = {scenario: i for i, scenario in enumerate(prefer)}
    return min(fresh, key=lambda c: rank.get(str(c.provenance.get("scenario")), len(rank)))


def _body(value: Any) -> Any:
    """A request or response body as JSON when it is JSON, else as text."""
    if isinstance(value, dict):  # vcrpy stores response bodies as {"string": ...}
        value = value.get("string", "")
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if not value:
        return None
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


class _Player:
    """Plays a cassette's interactions, each once, in the order requests arrive."""

    def __init__(self, cassette: Cassette) -> None:
        self.cassette = cassette
        self.unplayed = list(cassette.interactions)

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        body = _body(request.content)
        for i, interaction in enumerate(self.unplayed):
            recorded = interaction["request"]
            if (
                recorded["method"] == request.method
                and urlsplit(recorded["uri"]).path == request.url.path
                and _body(recorded.get("body")) == body
            ):
                del self.unplayed[i]
                return self._response(interaction["response"])
        message = (
            f"no answer in {self.cassette.path.name} matches this request (has the prompt or "
            f"schema changed since it was recorded?); re-record with `{RERECORD_COMMAND}`"
        )
        error = {"error": {"message": message, "type": "replay_mismatch", "code": "replay"}}
        return httpx2.Response(400, json=error)

    @staticmethod
    def _response(recorded: dict[str, Any]) -> httpx2.Response:
        headers = [
            (name, value)
            for name, values in (recorded.get("headers") or {}).items()
            if name.lower() not in {"content-length", "content-encoding", "transfer-encoding"}
            for value in (values if isinstance(values, list) else [values])
        ]
        body = recorded.get("body") or {}
        text = body.get("string", "") if isinstance(body, dict) else str(body)
        return httpx2.Response(
            recorded["status"]["code"], headers=headers, content=text.encode("utf-8")
        )


def replay_client(cassette: Cassette) -> openai.OpenAI:
    """An ``openai.OpenAI`` answering from ``cassette`` (it makes no network request)."""
    http = httpx2.Client(transport=httpx2.MockTransport(_Player(cassette)))
    return openai.OpenAI(
        api_key="replay", base_url="http://replay.invalid/v1", http_client=http, max_retries=0
    )
