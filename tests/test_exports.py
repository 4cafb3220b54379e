"""Tidy tables and `minerals-summ export`: evidence quotes, as-written amounts, every format."""

from __future__ import annotations

import csv
import json
import sys
from decimal import Decimal
from pathlib import Path

import openai
import pytest
from click.testing import CliRunner

from minerals_summ import Article, summarise_many
from minerals_summ.cli import cli
from minerals_summ.exports import read_results
from minerals_summ.gold import GoldArticle
from minerals_summ.tables import TABLE_COLUMNS, tables
from minerals_summ.testing import FakeChatServer


@pytest.fixture
def results(seed: GoldArticle, tmp_path: Path) -> Path:
    articles = [
        Article(id="pk", text=seed.text, published="2025-09-09", url="https://x/pk", title="Pact"),
        Article(id="empty", text="", url="https://x/empty", title="Nothing"),
    ]
    with FakeChatServer(default=seed.draft) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test-key")
        outcomes = summarise_many(articles, client=client, model="gpt-4.1-mini", cache=False)
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(o.to_json()) + "\n" for o in outcomes), encoding="utf-8")
    return path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_export_carries_quotes_and_amounts_as_written(results: Path, tmp_path: Path) -> None:
    """Held-out: the CSV export carries evidence quotes and as-written amounts."""
    out = tmp_path / "tables"
    result = CliRunner().invoke(cli, ["export", str(results), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in out.iterdir()) == sorted(TABLE_COLUMNS)
    schemes = rows(out / "policy_schemes.csv")
    assert [(s["budget_text"], s["budget_amount"], s["budget_currency"]) for s in schemes] == [
        ("Rs 1,500-crore", "15000000000", "INR")
    ]
    assert schemes[0]["article_url"] == "https://x/pk"
    assert schemes[0]["published"] == "2025-09-09"
    evidence = rows(out / "evidence.csv")
    article = json.loads(results.read_text(encoding="utf-8").splitlines()[0])
    text_quotes = [
        e["quote"]
        for kind in ("agreements", "policy_schemes")
        for r in article["summary"][kind]
        for e in r["evidence"]
    ]
    assert [e["quote"] for e in evidence] == text_quotes
    assert {e["record_id"] for e in evidence} == {"A1", "A2", "A3", "P1"}
    targets = rows(out / "targets.csv")
    assert ("270 kilo tonnes", "270000", "t", "True") in [
        (t["quantity_text"], t["quantity_value"], t["quantity_unit"], t["per_year"])
        for t in targets
    ]
    articles = {a["article_id"]: a for a in rows(out / "articles.csv")}
    assert articles["empty"]["ok"] == "False"
    assert articles["empty"]["error_type"] == "InputError"
    assert articles["empty"]["url"] == "https://x/empty"
    assert Decimal(articles["pk"]["cost_usd"]) > 0
    dates = {
        a["date_text"]: (a["date_value"], a["date_precision"]) for a in rows(out / "agreements.csv")
    }
    assert dates["On July 31"] == ("2025-07-31", "day")


def test_parquet_and_xlsx_hold_the_same_tables(results: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["export", str(results), "--format", "parquet", "--out", str(tmp_path / "p")]
        ).exit_code
        == 0
    )
    assert (
        runner.invoke(
            cli, ["export", str(results), "--format", "xlsx", "--out", str(tmp_path / "x")]
        ).exit_code
        == 0
    )
    tidy = tables(read_results(results))
    schemes = pq.read_table(tmp_path / "p" / "policy_schemes.parquet").to_pylist()
    assert schemes[0]["budget_amount"] == Decimal("15000000000")
    assert schemes[0]["budget_text"] == "Rs 1,500-crore"
    evidence = pq.read_table(tmp_path / "p" / "evidence.parquet").to_pylist()
    assert [e["quote"] for e in evidence] == [e["quote"] for e in tidy["evidence"]]
    book = tmp_path / "x" / "minerals-summ.xlsx"
    assert book.stat().st_size > 0
    import zipfile

    with zipfile.ZipFile(book) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert all(f'name="{name}"' in workbook for name in TABLE_COLUMNS)
    assert "Rs 1,500-crore" in strings


def test_a_missing_writer_names_the_extra(
    results: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    runner = CliRunner()
    parquet = runner.invoke(
        cli, ["export", str(results), "--format", "parquet", "--out", str(tmp_path)]
    )
    assert parquet.exit_code == 2
    assert "pip install 'minerals-summ[parquet]'" in parquet.stderr
    xlsx = runner.invoke(cli, ["export", str(results), "--format", "xlsx", "--out", str(tmp_path)])
    assert "pip install 'minerals-summ[xlsx]'" in xlsx.stderr


def test_a_summary_has_its_own_tables(seed: GoldArticle) -> None:
    tidy = seed.summary.to_tables("pk")
    assert {row["article_id"] for rows in tidy.values() for row in rows} == {"pk"}
    assert [p["name"] for p in tidy["parties"] if p["record_id"] == "A1"] == [
        p.name for p in seed.summary.agreements[0].parties
    ]
    assert len(tidy["officials"]) == sum(len(a.officials) for a in seed.summary.agreements)
    assert seed.summary.to_dataframe().shape[0] == len(seed.summary.records())


def test_a_line_that_is_not_a_result_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "ok": true, "summary": {"summary": "x"}}\nnot json\n')
    result = CliRunner().invoke(cli, ["export", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "bad.jsonl:2: not a result line" in result.stderr
