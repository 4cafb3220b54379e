"""The JSON Schema the model sees is pinned, compact, and free of template syntax."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

import minerals_summ
from minerals_summ.schema import draft_json_schema, schema_version

SNAPSHOT = Path(__file__).parent / "snapshots" / "draft_schema.json"


def compact() -> str:
    return json.dumps(draft_json_schema(), separators=(",", ":"), ensure_ascii=False)


def test_schema_matches_snapshot() -> None:
    current = json.dumps(draft_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(current, encoding="utf-8")
    assert current == SNAPSHOT.read_text(encoding="utf-8"), (
        "the draft schema changed: review it, re-run with UPDATE_SNAPSHOTS=1, and re-record "
        "the cassettes"
    )


def test_schema_is_compact() -> None:
    assert len(compact()) < 6000


def test_schema_has_no_jinja_syntax() -> None:
    text = compact()
    assert "{{" not in text
    assert "{%" not in text


def test_schema_version_is_the_hash_of_the_schema_the_model_sees() -> None:
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    digest = hashlib.sha256(
        json.dumps(pinned, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    assert schema_version() == digest[:12]


def test_schema_version_follows_a_schema_change(monkeypatch: pytest.MonkeyPatch) -> None:
    from minerals_summ import schema

    before = schema_version()
    changed = {**draft_json_schema(), "description": "a changed description"}
    monkeypatch.setattr(schema, "draft_json_schema", lambda: changed)
    schema.schema_version.cache_clear()
    try:
        assert schema.schema_version() != before
    finally:
        monkeypatch.undo()
        schema.schema_version.cache_clear()
    assert schema.schema_version() == before


def test_field_names_are_the_shared_vocabulary() -> None:
    defs = draft_json_schema()["$defs"]
    assert set(defs["AgreementDraft"]["properties"]) == {
        "title", "kind", "status", "parties", "minerals", "activities", "value", "date",
        "location", "officials", "evidence",
    }  # fmt: skip
    assert set(defs["PolicySchemeDraft"]["properties"]) == {
        "name", "country", "instrument", "status", "approving_body", "parent_programme",
        "budget", "duration_years", "date", "minerals", "targets", "evidence",
    }  # fmt: skip
    assert set(draft_json_schema()["properties"]) == {"summary", "agreements", "policy_schemes"}


def test_public_api_is_sorted_and_importable() -> None:
    names = minerals_summ.__all__
    assert names == sorted(names)
    for name in names:
        assert hasattr(minerals_summ, name), name
