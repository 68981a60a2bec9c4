"""Review sheets: write a drawn sample for human reviewers, read their verdicts back.

Three formats, chosen by the file's suffix: ``.xlsx`` (what reviewers open in Excel or WPS:
drop-down lists for verdict and risk code), ``.csv`` and ``.jsonl``. Every format carries a
header block whose first key is ``provenance_sample`` with the format version ``"1"``:

* csv: UTF-8 with a byte-order mark (without it Excel shows Chinese as mojibake); the header
  block is leading ``# key: value`` lines, then the column row, then one line per record.
  A value in the source, file, record_key or text column that starts with ``=``, ``+``,
  ``-``, ``@``, a tab, a carriage return or ``'`` is written with a single quote ``'`` in
  front, so a spreadsheet opening the csv shows it as text instead of running it as a
  formula; reading strips that quote again.
* jsonl: the first line is ``{"provenance_sample": {header}}``, then one object per row.
* xlsx: see ``sheet_xlsx``.

Reading is lenient where reviewers and spreadsheets are (column order, case and spacing of
column names, extra columns, old column names, Chinese verdicts, Excel's dates and
encodings) and strict about the values the audit relies on; ``read_sheet`` reports every
malformed cell at once in a SheetError.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from provenance.review import sheet_xlsx
from provenance.review.sheet_rows import (
    COLUMNS,
    HEADER_MARK,
    INT_COLUMNS,
    REVIEW_COLUMNS,
    VERDICTS,
    Problem,
    Raw,
    Sheet,
    SheetError,
    build_sheet,
    canonical,
    header_lines,
)

__all__ = [
    "COLUMNS",
    "HEADER_MARK",
    "REVIEW_COLUMNS",
    "VERDICTS",
    "Problem",
    "Sheet",
    "SheetError",
    "read_sheet",
    "sheet_format",
    "write_sheet",
]

_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}
#: columns whose values come from the corpus, so may start like a formula
_QUOTED = ("source", "file", "record_key", "text")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: first characters that get the quote: ' itself too, so reading strips only quotes we wrote
_QUOTE_NEEDED = (*_FORMULA_START, "'")


def sheet_format(path: Path) -> str:
    """``"csv"``, ``"xlsx"`` or ``"jsonl"`` from the path's suffix; SheetError otherwise."""
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise SheetError(
            path,
            [],
            f"{path}: a review sheet ends in .xlsx, .csv or .jsonl (.ndjson), not {path.suffix or 'no suffix'!r}",
        )
    return fmt


def write_sheet(path: Path, header: dict[str, str], rows: Sequence[Mapping[str, Any]]) -> None:
    """Write ``rows`` (keys from COLUMNS; missing ones left empty) as a review sheet.

    ``header`` is written after ``HEADER_MARK: "1"`` (give the mark or leave it out). The file
    appears whole or not at all: it is written beside ``path`` and then renamed.
    """
    fmt = sheet_format(path)
    lines = dict(header_lines(header))
    for row in rows:
        if unknown := set(row) - set(COLUMNS):
            raise ValueError(f"not review-sheet columns: {sorted(unknown)}")
    part = path.with_name(path.name + ".part")
    try:
        if fmt == "xlsx":
            sheet_xlsx.write(part, lines, rows)
        elif fmt == "csv":
            _write_csv(part, lines, rows)
        else:
            _write_jsonl(part, lines, rows)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def read_sheet(path: Path) -> Sheet:
    """Read a review sheet back; SheetError listing every problem when it is malformed."""
    fmt = sheet_format(path)
    if not path.is_file():
        raise SheetError(path, [], f"{path}: no such file")
    if fmt == "xlsx":
        raw = sheet_xlsx.read(path)
    elif fmt == "csv":
        raw = _read_csv(path)
    else:
        raw = _read_jsonl(path)
    if not raw.columns and not raw.rows and not raw.problems:
        raise SheetError(path, [], f"{path}: the review sheet is empty (no column row, no rows)")
    return build_sheet(path, raw)


def _plain(col: str, value: Any) -> Any:
    """A row value as csv and jsonl write it: None stays None only in the number columns."""
    return "" if value is None and col not in INT_COLUMNS else value


def _write_csv(path: Path, header: dict[str, str], rows: Sequence[Mapping[str, Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        # one cell per header line, so a value holding a comma is quoted, not split
        out.writerows([f"# {key}: {value}"] for key, value in header.items())
        out.writerow(COLUMNS)
        for row in rows:
            out.writerow(_csv_cell(col, _plain(col, row.get(col))) for col in COLUMNS)


#: what a spreadsheet would show as other text than the cell holds: control characters and
#: bidirectional overrides/isolates ("Trojan Source"); written as U+FFFD, as in the xlsx
_UNSHOWABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069]")


def _csv_cell(col: str, value: Any) -> Any:
    if isinstance(value, str):
        value = _UNSHOWABLE.sub("\ufffd", value)
    if col in _QUOTED and isinstance(value, str) and value.startswith(_QUOTE_NEEDED):
        return "'" + value
    return value


def _read_csv(path: Path) -> Raw:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel in a Chinese locale saves "CSV (comma delimited)" in GB18030/GBK
        text = data.decode("gb18030", errors="replace")
    # newline="": lines end at \n, \r or \r\n only, as editors count them
    reader = csv.reader(io.StringIO(text, newline=""))
    header: dict[str, str] = {}
    columns: list[str] = []
    column_row = 0
    rows: list[tuple[int, dict[str, Any]]] = []
    start = 1
    for record in reader:
        number, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        if not columns:
            first = record[0].strip()
            # a spreadsheet that re-saved the csv pads header lines with empty cells
            if first.startswith("#") and not any(c.strip() for c in record[1:]):
                key, _, value = first[1:].partition(":")
                if key.strip():
                    header[key.strip()] = value.strip()
                continue
            columns, column_row = record, number
            continue
        cells = dict(zip(columns, record, strict=False))
        for name in columns:
            value = cells.get(name, "")
            if canonical(name) in _QUOTED and value[:1] == "'" and value[1:2] in _QUOTE_NEEDED:
                cells[name] = value[1:]
        rows.append((number, cells))
    return Raw(header, column_row, columns, rows)


def _write_jsonl(path: Path, header: dict[str, str], rows: Sequence[Mapping[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(json.dumps({HEADER_MARK: header}, ensure_ascii=False) + "\n")
        for row in rows:
            f.write(json.dumps({c: _plain(c, row.get(c)) for c in COLUMNS}, ensure_ascii=False))
            f.write("\n")


def _read_jsonl(path: Path) -> Raw:
    header: dict[str, str] = {}
    columns: dict[str, None] = {}  # every key seen, in order
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise SheetError(path, [], f"{path}: not UTF-8 text; save the file as UTF-8") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            kind = type(obj).__name__
        except ValueError:
            kind = "not JSON"  # the line itself is not echoed: it can hold record text
        if kind != "dict":
            problems.append(Problem(number, "(line)", kind, "one JSON object per line"))
            continue
        if not rows and not header and set(obj) == {HEADER_MARK}:
            if isinstance(obj[HEADER_MARK], dict):
                header = {str(k): str(v) for k, v in obj[HEADER_MARK].items()}
            else:
                problems.append(
                    Problem(number, HEADER_MARK, "", "an object of header keys and values")
                )
            continue
        columns.update(dict.fromkeys(obj))
        rows.append((number, obj))
    column_row = rows[0][0] if rows else 1
    return Raw(header, column_row, list(columns), rows, problems)
