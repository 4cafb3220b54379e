"""Every recording in the repository is free of secrets and readable by a person."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

RECORDINGS = sorted((ROOT / "cassettes").glob("*.yaml")) + sorted(
    p for p in (ROOT / "tests" / "wire").glob("*") if p.suffix in {".yaml", ".yml"}
)

SECRETS = {
    "OpenAI key": re.compile(r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"),
    "Anthropic key": re.compile(r"sk-ant-[A-Za-z0-9_-]{20,}"),
    "Google key": re.compile(r"AIza[0-9A-Za-z_-]{35}"),
    "bearer token": re.compile(r"Bearer +(?!test-key\b)[A-Za-z0-9._~+/-]{12,}"),
    "organisation id": re.compile(r"\borg-[A-Za-z0-9]{20,}"),
    "project id": re.compile(r"\bproj_[A-Za-z0-9]{20,}"),
    "cookie value": re.compile(
        r"\b(?:__cf_bm|_cfuvid|session|__Secure-[\w-]+)=(?!<scrubbed>)[^;\s<]{8,}"
    ),
}
# Headers that must not carry a value: present at most as a scrubbed placeholder.
SECRET_HEADERS = {
    "authorization",
    "api-key",
    "x-api-key",
    "cookie",
    "set-cookie",
    "openai-organization",
    "openai-project",
}
PLACEHOLDER = re.compile(r"^(?:<scrubbed>|<redacted>|REDACTED|Bearer|Bearer test-key|)$")


def _header_values(data: object) -> list[tuple[str, str]]:
    """Every (name, value) under a ``headers`` mapping anywhere in a cassette."""
    found: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "headers" and isinstance(value, dict):
                for name, values in value.items():
                    for v in values if isinstance(values, list) else [values]:
                        found.append((str(name).lower(), str(v)))
            else:
                found += _header_values(value)
    elif isinstance(data, list):
        for item in data:
            found += _header_values(item)
    return found


def secrets_in(text: str) -> list[str]:
    found = [name for name, pattern in SECRETS.items() if pattern.search(text)]
    for name, value in _header_values(yaml.safe_load(text)):
        if name in SECRET_HEADERS and not all(
            PLACEHOLDER.match(part.split("=", 1)[-1].strip())
            for part in value.split(";")
            if part.strip()
            and not part.strip().lower().startswith(("path", "expires", "domain"))
            and part.strip().lower() not in {"httponly", "secure", "samesite=none"}
        ):
            found.append(f"header {name}")
    return found


def test_there_are_recordings_to_scan() -> None:
    assert len(RECORDINGS) >= 50


@pytest.mark.parametrize("path", RECORDINGS, ids=lambda p: p.name)
def test_recording_holds_no_secret(path: Path) -> None:
    assert secrets_in(path.read_text(encoding="utf-8")) == []


# Planted secrets are assembled at run time, so that no secret-shaped string sits in the repo.
@pytest.mark.parametrize(
    "planted",
    [
        "sk-" + "proj-" + "Ab3" * 16,
        "sk-" + "x1Y2" * 10,
        "Bearer " + "eyJhbGciOiJIUzI1NiJ9" + ".payload.signature",
        "org" + "-" + "AbCdEfGhIjKlMnOpQrStUvWx",
        "proj" + "_" + "AbCdEfGhIjKlMnOpQrStUvWx",
        "__cf" + "_bm=" + "abc123def456.ghi; path=/",
    ],
)
def test_the_scan_finds_a_planted_secret(planted: str) -> None:
    cassette = (ROOT / "cassettes" / "test_refusal.yaml").read_text(encoding="utf-8")
    poisoned = cassette.replace("interactions:", f"# {planted}\ninteractions:", 1)
    assert secrets_in(cassette) == []
    assert secrets_in(poisoned) != []


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("authorization", "Basic dXNlcjpwYXNz"),
        ("openai-organization", "user-abc123"),
        ("api-key", "0123456789abcdef"),
        ("set-cookie", "session_id=s3cr3t; HttpOnly"),
    ],
)
def test_the_scan_finds_a_planted_secret_header(header: str, value: str) -> None:
    cassette = yaml.safe_load((ROOT / "cassettes" / "test_refusal.yaml").read_text("utf-8"))
    cassette["interactions"][0]["request"]["headers"] = {header: [value]}
    assert secrets_in(yaml.safe_dump(cassette)) == [f"header {header}"]


@pytest.mark.parametrize("path", sorted((ROOT / "cassettes").glob("*.yaml")), ids=lambda p: p.name)
def test_cassette_is_readable_and_says_what_produced_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "!!binary" not in text
    assert "!!python" not in text
    data = yaml.safe_load(text)
    provenance = data["metadata"]["provenance"]
    source = provenance["source"]
    assert source == "reference" or re.fullmatch(r"(local|provider):[^/]+/.+", source), source
    for key in ("recorded", "library_version", "prompt_version", "schema_version", "mode"):
        assert provenance.get(key), key
    for interaction in data["interactions"]:
        body = interaction["response"]["body"]["string"]
        assert isinstance(body, str)
        assert body.lstrip().startswith("{") or body == ""
        if body:
            assert "\n  " in body, "JSON bodies are pretty-printed"


@pytest.mark.parametrize("path", sorted((ROOT / "cassettes").glob("*.yaml")), ids=lambda p: p.name)
def test_the_label_matches_the_server_that_answered(path: Path) -> None:
    """Reference answers come from FakeChatServer; local ones from llama-cpp-python (uvicorn)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = data["metadata"]["provenance"]["source"]
    servers = {
        str((i["response"].get("headers") or {}).get("server", ["?"])[0])
        for i in data["interactions"]
    }
    if source == "reference":
        assert servers == {"BaseHTTP/0.6 Python/3.11.7"} or all(
            s.startswith("BaseHTTP") for s in servers
        ), servers
    elif source.startswith("local:llama-cpp-python/"):
        assert servers == {"uvicorn"}, servers


def test_every_gold_reference_cassette_has_its_gold_file() -> None:
    gold = {p.name.removesuffix(".gold.json") for p in (ROOT / "seeds").glob("*.gold.json")}
    recorded = {
        p.name.removeprefix("test_gold_reference[").removesuffix("].yaml")
        for p in (ROOT / "cassettes").glob("test_gold_reference[[]*].yaml")
    }
    assert recorded == gold
