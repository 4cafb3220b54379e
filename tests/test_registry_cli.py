"""`registry` commands through click's runner, on a temporary registry file."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from minerals_summ.registry.cli import registry
from tests.conftest import ROOT
from tests.test_registry_support import AU, FWO, US, USSM, agreement, article, scheme


def _results(path: Path) -> Path:
    """A batch results file as `summarise --out` writes it, with extra keys on one line."""
    framework = agreement(
        "US-Australia critical minerals framework",
        [US, AU],
        kind="framework_agreement",
        date="2025-10-20",
        value="8500000000",
    )
    lines = [
        {"id": "frecine", "ok": True, "summary": article(framework, published="2025-10-21")},
        {
            "id": "manmonthly",
            "ok": True,
            "url": "https://example.org/framework",
            "title": "Framework signed",
            "published": "2025-10-22",
            "summary": article(
                agreement(
                    "Australia-U.S. framework",
                    [AU, US],
                    kind="framework_agreement",
                    date="2025-10-20",
                    value="3000000000",
                )
            ),
        },
        {
            "id": "ndtv",
            "ok": True,
            "summary": article(
                agreement("FWO-USSM MoU", [FWO, USSM], date="2025-09-08"),
                scheme("Recycling incentive scheme", "IN", date="2025-09-03", budget="15000000000"),
                published="2025-09-09",
            ),
        },
        {"id": "broken", "ok": False, "error": {"type": "ExtractionError", "message": "no"}},
    ]
    with path.open("w", encoding="utf-8") as out:
        for line in lines:
            if "summary" in line:
                line["summary"] = line["summary"].model_dump(mode="json")  # type: ignore[attr-defined]
            out.write(json.dumps(line) + "\n")
    return path


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "registry.sqlite")


def _run(*args: str) -> str:
    result = CliRunner().invoke(registry, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_add_list_show(tmp_path: Path, db: str) -> None:
    results = _results(tmp_path / "results.jsonl")
    out = _run("--db", db, "add", str(results))
    assert "3 articles added: 4 mentions, 3 new events" in out
    assert out.rstrip().endswith(f"Registry: {db}")  # the registry, not the last results file
    assert "1 failed lines skipped" in out
    assert "0 articles added" in _run("--db", db, "add", str(results))  # nothing twice
    listed = _run("--db", db, "list").splitlines()
    assert len(listed) == 3
    assert "2 mentions 1 conflicts" in listed[0]
    assert _run("--db", db, "list", "--country", "IN", "--kind", "policy_scheme").startswith(
        "evt-000003"
    )
    assert len(_run("list", "--since", "2025-10-01", "--db", db).splitlines()) == 1
    shown = _run("--db", db, "show", "evt-000001")
    assert "conflicts:\n  value:" in shown
    assert "USD 3000000000  <- manmonthly#0" in shown
    assert "https://example.org/framework" in shown
    assert "[0:7] a quote" in shown
    missing = CliRunner().invoke(registry, ["--db", db, "show", "evt-404"])
    assert missing.exit_code == 1
    assert "no event 'evt-404'" in missing.output


def test_export_writes_three_tidy_tables(tmp_path: Path, db: str) -> None:
    _run("--db", db, "add", str(_results(tmp_path / "results.jsonl")))
    out = tmp_path / "export"
    written = _run("--db", db, "export", "--format", "csv", "--out", str(out)).split()
    assert [Path(p).name for p in written] == ["events.csv", "mentions.csv", "conflicts.csv"]
    with (out / "events.csv").open(encoding="utf-8") as f:
        events = list(csv.DictReader(f))
    with (out / "mentions.csv").open(encoding="utf-8") as f:
        mentions = list(csv.DictReader(f))
    with (out / "conflicts.csv").open(encoding="utf-8") as f:
        conflicts = list(csv.DictReader(f))
    assert [e["mentions"] for e in events] == ["2", "1", "1"]
    assert {m["event_id"] for m in mentions} == {e["event_id"] for e in events}
    assert [c["field"] for c in conflicts] == ["value", "value"]
    assert mentions[1]["url"] == "https://example.org/framework"


def test_export_parquet(tmp_path: Path, db: str) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    _run("--db", db, "add", str(_results(tmp_path / "results.jsonl")))
    _run("--db", db, "export", "--format", "parquet", "--out", str(tmp_path))
    assert pq.read_table(tmp_path / "mentions.parquet").num_rows == 4
    assert pq.read_table(tmp_path / "conflicts.parquet").column_names[1] == "field"


def test_export_parquet_without_pyarrow_names_the_extra(
    tmp_path: Path, db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    result = CliRunner().invoke(registry, ["--db", db, "export", "--format", "parquet"])
    assert result.exit_code == 1
    assert "pip install 'minerals-summ[parquet]'" in result.output


def test_default_db_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINERALS_SUMM_REGISTRY", str(tmp_path / "env.sqlite"))
    _run("add", str(_results(tmp_path / "results.jsonl")))
    assert (tmp_path / "env.sqlite").exists()


def test_a_damaged_line_is_a_clear_error(tmp_path: Path, db: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "ok": true, "summary": {"agreements": 3}}\n')
    result = CliRunner().invoke(registry, ["--db", db, "add", str(bad)])
    assert result.exit_code == 1
    assert "bad.jsonl:1: not a result line" in result.output


def test_score_on_the_gold() -> None:
    gold = str(ROOT / "seeds" / "linking" / "mentions.jsonl")
    out = json.loads(_run("score", gold, "--split", "test", "--format", "json"))
    assert out["pairwise_precision"] >= 0.95
    assert out["pairwise_recall"] >= 0.90
    assert "B-cubed" in _run("score", gold)
