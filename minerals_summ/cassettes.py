"""Answer from a recorded cassette instead of a live model: no key, no network.

Cassettes are vcrpy YAML files (``cassettes/*.yaml``) whose ``metadata.provenance`` says what
produced them: ``reference`` (an answer written by hand, served over loopback HTTP),
``local:<server>/<model>`` or ``provider:<name>/<model>`` (a real recording), with the prompt
and schema versions (and the publication date) it was recorded against. :func:`replay_client`
gives an ``openai.OpenAI`` whose HTTP transport plays the cassette's answers in order, matching
each request on method, path and JSON body, as the tests do; a request that matches none is
answered 400 with a message naming what differs (the model, the publication date, the prompt,
the schema or mode, the output cap).

Where :func:`find_cassette` looks (:func:`cassette_dirs`), first match first: the folder given
(``--cassettes DIR``, or ``MINERALS_SUMM_CASSETTES``), then a ``cassettes`` folder beside the
article (in its folder, then in the folder above), then the recordings of the source tree the
package is installed from (``cassettes/`` beside the ``minerals_summ`` package). The current
directory plays no part.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2
import openai
import yaml

from minerals_summ.exceptions import ReplayError

__all__ = [
    "PACKAGED",
    "REPLAY_CODE",
    "RERECORD_COMMAND",
    "Cassette",
    "cassette_dirs",
    "find_cassette",
    "load_cassette",
    "replay_client",
]

RERECORD_COMMAND = "make record"
REPLAY_CODE = "replay"  # the error code of the 400 a request matching no recording gets
PACKAGED = Path(__file__).resolve().parent.parent / "cassettes"


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

    def difference(self, **wanted: str | None) -> str | None:
        """The first field of ``wanted`` (mode, published, model...) this recording was made
        with another value of, as "published 2025-09-09 (asked 2025-09-10)"; None if none.
        A field the recording does not state, or not asked for (None), never differs."""
        for name, value in wanted.items():
            recorded = self.provenance.get(name)
            if value is not None and recorded is not None and str(recorded) != value:
                return f"{name} {recorded} (asked {value})"
        return None


@functools.lru_cache(maxsize=256)
def _parsed(path: str, mtime_ns: int, size: int) -> Any:
    """A cassette file's YAML, parsed once per version of the file (eval scans them all for
    every article)."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def cassette_dirs(explicit: Path | None = None, near: Path | None = None) -> list[Path]:
    """Where recordings are looked for, in order (see the module docstring); those that exist."""
    env = os.environ.get("MINERALS_SUMM_CASSETTES")
    candidates: list[Path] = [explicit] if explicit is not None else []
    if env:
        candidates.append(Path(env))
    if near is not None:
        folder = near.resolve().parent
        candidates += [folder / "cassettes", folder.parent / "cassettes"]
    candidates.append(PACKAGED)
    found = [path.resolve() for path in candidates if path.is_dir()]
    return list(dict.fromkeys(found))


def load_cassette(path: str | Path) -> Cassette:
    path = Path(path)
    try:
        stat = path.stat()
        data = _parsed(str(path), stat.st_mtime_ns, stat.st_size)
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
    directories: Iterable[Path] | None = None,
    published: str | None = None,
    model: str | None = None,
    prefer: tuple[str, ...] = ("clean", "gold"),
) -> Cassette:
    """The reference recording of ``article`` in ``mode`` for the current prompt and schema
    (and ``published``, ``model`` when given), from the first of ``directories`` that has one.

    Among several, the first whose ``scenario`` is in ``prefer`` (in that order), else any. When
    none matches, the :class:`ReplayError` names the field that differs.
    """
    folders = list(directories) if directories is not None else cassette_dirs()
    digest = hashlib.sha256(article.encode("utf-8")).hexdigest()
    rank = {scenario: i for i, scenario in enumerate(prefer)}
    closest: tuple[Cassette, str] | None = None
    for folder in folders:
        candidates = []
        for path in sorted(folder.glob("*.yaml")):
            try:
                cassette = load_cassette(path)
            except ReplayError:
                continue
            p = cassette.provenance
            # Reference answers only: a real recording replays only with its own options
            # (temperature, token limit...), so it is found by its path, not by its article.
            if p.get("article_sha256") != digest or p.get("source") != "reference":
                continue
            why = cassette.difference(mode=mode, published=published, model=model)
            why = why or cassette.stale_reason(prompt_version, schema_version)
            if why is None:
                candidates.append(cassette)
            elif closest is None:
                closest = (cassette, why)
        if candidates:
            return min(
                candidates, key=lambda c: rank.get(str(c.provenance.get("scenario")), len(rank))
            )
    where = ", ".join(f"{folder}/" for folder in folders) or "no cassettes folder"
    if closest is not None:
        cassette, why = closest
        raise ReplayError(
            f"the recording of this article ({cassette.path.name}) was made with {why}; "
            f"replay with the recorded value, or re-record with `{RERECORD_COMMAND}`"
        )
    raise ReplayError(
        f"no recording of this article in {mode} mode in {where}; record one with "
        f"`{RERECORD_COMMAND}`, pass --cassettes DIR, or --replay PATH"
    )


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:59] + "…"


def _message_difference(recorded: list[Any], sent: list[Any]) -> str:
    for i, (old, new) in enumerate(zip(recorded, sent, strict=False)):
        if old == new:
            continue
        role = old.get("role") if isinstance(old, dict) else None
        if i == 0 and role == "system":
            return "the prompt (system message; its version changed?)"
        before = _DATE.findall(str(old.get("content") if isinstance(old, dict) else old))
        after = _DATE.findall(str(new.get("content") if isinstance(new, dict) else new))
        if role == "user" and i <= 1 and before != after:
            return f"the publication date: recorded {before[:1]}, sent {after[:1]}"
        if i <= 1:
            return "the article or the prompt (the first user message)"
        return f"the re-ask (message {i}; the answers or their checks changed?)"
    return f"the number of messages: recorded {len(recorded)}, sent {len(sent)}"


def difference(recorded: Any, sent: Any) -> str:
    """What differs between a recorded request body and the one sent, for people to act on."""
    if not isinstance(recorded, dict) or not isinstance(sent, dict):
        return "the request body"
    for key in ("model", "messages", "tools", "tool_choice", "response_format"):
        if recorded.get(key) != sent.get(key):
            if key == "messages":
                return _message_difference(recorded.get(key) or [], sent.get(key) or [])
            if key != "model":
                return f"{key} (the mode or the draft schema)"
            return f"model: recorded {_short(recorded.get(key))}, sent {_short(sent.get(key))}"
    for key in sorted(set(recorded) | set(sent)):
        if recorded.get(key) != sent.get(key):
            return f"{key}: recorded {_short(recorded.get(key))}, sent {_short(sent.get(key))}"
    return "nothing in the body (the path or method)"


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
        nearest = self.unplayed[0]["request"] if self.unplayed else None
        what = (
            difference(_body(nearest.get("body")), body)
            if nearest is not None
            else "every recorded answer has been played"
        )
        message = (
            f"no answer in {self.cassette.path.name} matches this request: {what}; replay "
            f"with the recorded values, or re-record with `{RERECORD_COMMAND}`"
        )
        error = {"error": {"message": message, "type": "replay_mismatch", "code": REPLAY_CODE}}
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
