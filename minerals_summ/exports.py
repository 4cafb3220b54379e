"""Writing the tidy tables (:func:`minerals_summ.tables.tables`) to files analysts open.

``csv``: one file per table (standard library). ``parquet``: one file per table (pyarrow, the
``parquet`` extra). ``xlsx``: one workbook, one sheet per table (XlsxWriter, the ``xlsx``
extra). Amounts keep their exact decimal value in CSV (as written: ``15000000000``) and Parquet
(a decimal column); a spreadsheet holds them as numbers, beside the text the article used.
:func:`read_results` reads a batch's JSONL file back.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from minerals_summ.exceptions import ConfigurationError, InputError
from minerals_summ.summary import ArticleSummary
from minerals_summ.tables import TABLE_COLUMNS, ResultLine, Tables

__all__ = ["FORMATS", "Format", "read_results", "write_tables"]

Format = Literal["csv", "parquet", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "parquet", "xlsx")


def read_results(path: str | Path) -> list[ResultLine]:
    """The lines of a batch's JSONL file (``Outcome.to_json`` objects), in order; raises
    :class:`InputError` naming a line that is not a result."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").split("\n")  # not splitlines(): see cli.output
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    items: list[ResultLine] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            article_id = str(data["id"])
            summary = data.get("summary")
            if summary is not None:
                items.append(ResultLine(article_id, ArticleSummary.model_validate(summary)))
                continue
            error = data.get("error") or {}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}:{number}: not a result line ({exc})") from exc
        items.append(
            ResultLine(
                article_id=article_id,
                error_type=error.get("type"),
                error=error.get("message"),
                url=data.get("url"),
                title=data.get("title"),
                source=data.get("source"),
                published=data.get("published"),
            )
        )
    return items


def _cell(value: Any) -> Any:
    """A CSV cell: decimals as written (no exponent), dates in ISO form, None empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _csv(tidy: Tables, out: Path) -> list[Path]:
    written = []
    for name, rows in tidy.items():
        path = out / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(TABLE_COLUMNS[name])
            writer.writerows([_cell(row[c]) for c in TABLE_COLUMNS[name]] for row in rows)
        written.append(path)
    return written


def _parquet(tidy: Tables, out: Path) -> list[Path]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ImportError("Parquet needs pyarrow: pip install 'minerals-summ[parquet]'") from exc
    written = []
    for name, rows in tidy.items():
        columns = TABLE_COLUMNS[name]
        arrays = [pa.array([row[c] for row in rows]) for c in columns]
        path = out / f"{name}.parquet"
        pq.write_table(pa.table(arrays, names=list(columns)), path)
        written.append(path)
    return written


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _xlsx(tidy: Tables, out: Path) -> list[Path]:
    try:
        import xlsxwriter
    except ImportError as exc:
        raise ImportError(
            "Spreadsheets need XlsxWriter: pip install 'minerals-summ[xlsx]'"
        ) from exc
    path = out / "minerals-summ.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        dates = book.add_format({"num_format": "yyyy-mm-dd"})
        bold = book.add_format({"bold": True})
        for name, rows in tidy.items():
            sheet = book.add_worksheet(name)
            sheet.write_row(0, 0, TABLE_COLUMNS[name], bold)
            sheet.freeze_panes(1, 0)
            for r, row in enumerate(rows, 1):
                for c, column in enumerate(TABLE_COLUMNS[name]):
                    value = row[column]
                    if isinstance(value, dt.date):
                        sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dates)
                    elif value is not None:
                        sheet.write(r, c, _xlsx_value(value))
    return [path]


def write_tables(tidy: Tables, out: str | Path, fmt: Format = "csv") -> list[Path]:
    """Write ``tidy`` into the folder ``out`` (made when missing); the files written.

    Raises ``ImportError`` naming the extra to install when the format's writer is missing.
    """
    if fmt not in FORMATS:
        raise ConfigurationError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    writers = {"csv": _csv, "parquet": _parquet, "xlsx": _xlsx}
    return writers[fmt](tidy, folder)
