"""Review sheets as Excel workbooks (openpyxl): what reviewers open in Excel or WPS.

* worksheet ``review``: the column row (bold, frozen, filterable; the review columns shaded),
  one row per record below. Verdict and risk_code have data validation: drop-down lists read
  from the hidden ``lists`` worksheet, with prompts and errors in English and Chinese.
* worksheet ``about``: the header block, one key and value per row.
* worksheet ``lists`` (hidden): the verdicts, the 31 TC260-003 risk codes and their names.

Every string is written as a string cell, explicitly: openpyxl would otherwise store a value
starting with ``=`` as a formula, and corpus text must never run in a reviewer's spreadsheet.
What the xlsx text column shows is not byte-exact: Excel holds at most 32,767 characters in
a cell, so longer values are cut with a marker (the full record is named by file and
record_index); XML cannot hold most control characters, so they become U+FFFD; and a
carriage return reads back as a line feed.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from provenance.review.sheet_rows import COLUMNS, REVIEW_COLUMNS, VERDICTS, Raw, SheetError
from provenance.risks import RISK_NAMES, RISKS

REVIEW, ABOUT, LISTS = "review", "about", "lists"
EXCEL_CELL_LIMIT = 32_767
KEPT = 32_000
MARKER = "… [truncated: {n} characters in all; see file and record_index]"
# control characters XML cannot hold, and bidirectional overrides/isolates, which can make a
# cell display other text than it holds ("Trojan Source"): a reviewer sees U+FFFD instead
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069]")
_WIDTHS = {"text": 80, "file": 28, "note": 30, "sample_item": 22, "record_key": 18}
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)
_TO_FILL = PatternFill("solid", fgColor="FFF2CC")  # the columns a reviewer fills in

# Excel caps a validation's title at 32 characters and its message at 255
_VERDICT_CHECK = {
    "promptTitle": "verdict 结论",
    "prompt": "pass or fail; leave empty until reviewed.\n通过填 pass，不通过填 fail；未审核留空。",
    "errorTitle": "verdict 结论",
    "error": "Choose pass or fail from the list.\n请从列表中选择 pass 或 fail。",
    "errorStyle": "stop",
}
_RISK_CHECK = {
    "promptTitle": "risk_code 风险代码",
    "prompt": "For a fail: the TC260-003 Appendix A code, e.g. A.1a; several separated by ;\n不通过时填写附录A风险代码，如 A.1a；多个用 ; 分隔。",
    "errorTitle": "risk_code 风险代码",
    "error": "Not one code from the list. Several codes separated by ; are fine: choose Yes.\n不是列表中的单个代码；多个代码用 ; 分隔时请选“是”。",
    # a list check only accepts one item; "warning" lets "A.1a;A.2c" through after a prompt
    "errorStyle": "warning",
}


def write(path: Path, header: dict[str, str], rows: Sequence[Mapping[str, Any]]) -> None:
    """Write the workbook: review, about and the hidden lists worksheet."""
    wb = Workbook()
    review = wb.worksheets[0]
    review.title = REVIEW
    _write_review(review, rows)
    about = wb.create_sheet(ABOUT)
    for number, (key, value) in enumerate(header.items(), 1):
        _put(about, number, 1, key).font = Font(bold=True)
        _put(about, number, 2, value)
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 60
    lists = wb.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    lists.append(["verdict", "risk_code", "名称", "name"])
    for i, code in enumerate(RISKS):
        lists.append([VERDICTS[i] if i < len(VERDICTS) else None, code, *RISK_NAMES[code]])
    _validate(review, "verdict", f"{LISTS}!$A$2:$A${1 + len(VERDICTS)}", _VERDICT_CHECK, len(rows))
    _validate(review, "risk_code", f"{LISTS}!$B$2:$B${1 + len(RISKS)}", _RISK_CHECK, len(rows))
    wb.save(path)


def _write_review(ws: Worksheet, rows: Sequence[Mapping[str, Any]]) -> None:
    ws.append([_text(c) for c in COLUMNS])
    for i, col in enumerate(COLUMNS, 1):
        cell = ws.cell(1, i)
        cell.font = Font(bold=True)
        if col in REVIEW_COLUMNS:
            cell.fill = _TO_FILL
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(col, 14)
    for number, row in enumerate(rows, 2):
        for i, col in enumerate(COLUMNS, 1):
            cell = _put(ws, number, i, row.get(col))
            cell.alignment = _WRAP if col == "text" else _TOP
            if col == "reviewed_at":
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    last = f"{get_column_letter(len(COLUMNS))}{max(ws.max_row, 2)}"
    ws.auto_filter.ref = f"A1:{last}"


def _validate(ws: Worksheet, col: str, source: str, words: dict[str, str], n: int) -> None:
    """Drop-down list validation on one column's data cells, from a range on ``lists``."""
    letter = get_column_letter(COLUMNS.index(col) + 1)
    check = DataValidation(
        type="list", formula1=source, allow_blank=True, showErrorMessage=True, showInputMessage=True
    )
    for key, value in words.items():
        setattr(check, key, value)
    check.add(f"{letter}2:{letter}{max(n, 1) + 1}")
    ws.add_data_validation(check)


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Set a cell; a string stays a string cell whatever it starts with."""
    cell = ws.cell(row, col, _text(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"  # never "f": a value like "=cmd|..." must not become a formula
    return cell


def _text(value: str) -> str:
    """A string as an xlsx cell can hold it (see the module docstring)."""
    value = _ILLEGAL.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))
    if len(value) > EXCEL_CELL_LIMIT:
        value = value[:KEPT] + MARKER.format(n=f"{len(value):,}")
    return value


def read(path: Path) -> Raw:
    """Raw cells of the ``review`` worksheet (else the first) and the ``about`` header."""
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        # openpyxl's message is not echoed; the type says enough about a damaged file
        raise SheetError(
            path, [], f"{path}: not an .xlsx workbook Excel saved ({type(exc).__name__})"
        ) from None
    try:
        names = wb.sheetnames
        ws = wb[REVIEW] if REVIEW in names else wb.worksheets[0]
        header = dict(_about(wb[ABOUT])) if ABOUT in names else {}
        columns: list[str] = []
        column_row = 0
        rows: list[tuple[int, dict[str, Any]]] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), 1):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if not columns:
                columns = ["" if v is None else str(v) for v in values]
                column_row = number
            else:
                rows.append((number, dict(zip(columns, values, strict=False))))
    finally:
        wb.close()
    return Raw(header, column_row, columns, rows)


def _about(ws: Any) -> Iterator[tuple[str, str]]:
    for key, value, *_ in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if key is not None and str(key).strip():
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # Excel turns a typed "1" into the number 1
            yield str(key).strip(), "" if value is None else str(value)
