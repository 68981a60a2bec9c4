"""Review-sheet columns, problems, and the rules that turn raw cells into checked rows.

Each format's reader (``sheet.py`` for csv and jsonl, ``sheet_xlsx.py``) hands over raw
cells keyed by the column names as the file spells them; ``build_sheet`` maps those names to
the canonical columns and checks every cell, collecting every problem before raising, so a
reviewer fixes a returned sheet in one pass rather than one error at a time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provenance.dates import parse_date
from provenance.errors import BadInput
from provenance.risks import RISKS

COLUMNS: tuple[str, ...] = (
    *("sample_item", "source", "file", "record_index", "record_key", "language"),
    *("characters", "text", "verdict", "risk_code", "reviewer", "reviewed_at", "note"),
)
#: filled in by reviewers; written empty by ``provenance sample``
REVIEW_COLUMNS: tuple[str, ...] = ("verdict", "risk_code", "reviewer", "reviewed_at", "note")
VERDICTS: tuple[str, ...] = ("pass", "fail")
#: first key of every sheet's header block; its value is the format version
HEADER_MARK = "provenance_sample"
FORMAT_VERSION = "1"

#: older or hand-made sheets' column names → canonical names
ALIASES = {"item_id": "sample_item", "risk": "risk_code"}
REQUIRED = ("sample_item", "verdict")
INT_COLUMNS = ("record_index", "characters")
#: reviewers type these in Chinese too (WPS/Excel set to zh-CN)
_VERDICT_WORDS = {
    "pass": "pass",
    "fail": "fail",
    "通过": "pass",
    "合格": "pass",  # the sheet's own instructions say "pass 合格 / fail 不合格"
    "不通过": "fail",
    "不合格": "fail",
}
_CODES = {code.casefold(): code for code in RISKS}
# full-width separators: a Chinese input method types ；and ，
_CODE_SEPARATORS = re.compile(r"[;,；，\s]+")
# ISO dates, and the Y/M/D form Excel in a Chinese locale saves into a csv; a time is dropped
# and 2026年9月28日 as typed in Chinese; never M/D/Y, which is ambiguous with D/M/Y
_DATE = re.compile(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?(?:[ T].*)?")
MAX_LISTED = 50

VALID_VERDICT = "pass or fail (or empty: not reviewed yet)"
VALID_CODES = "A.1a … A.5b (TC260-003 Appendix A), separated by ;"


@dataclass(frozen=True)
class Problem:
    """One malformed cell (or missing column) in a review sheet.

    ``row`` is the row as the user sees it in that file: the 1-based line in csv and jsonl
    (header lines counted; a csv record spanning lines is numbered by its first line), the
    spreadsheet row in xlsx. ``value`` is never taken from the text column.
    """

    row: int
    column: str
    value: str
    valid: str

    def render(self) -> str:
        """``row R, column C: 'value' — valid: …``"""
        return f"row {self.row}, column {self.column}: '{self.value}' — valid: {self.valid}"


class SheetError(BadInput):
    """A review sheet that cannot be read back; lists every problem found (exit 2).

    Messages name rows, columns and the offending cell values, never record text.
    """

    # BadInput's problems are manifest problems (file/path/message); a sheet's are cells.
    # BadInput only renders them in __str__, which is overridden here.
    problems: list[Problem]  # type: ignore[assignment]

    def __init__(self, path: Path, problems: list[Problem], summary: str = "") -> None:
        n = len(problems)
        summary = summary or f"{path}: {n} problem{'s' * (n != 1)} in the review sheet"
        super().__init__(summary)
        self.path = path
        self.problems = problems

    def __str__(self) -> str:
        lines = [self.summary]
        lines += [f"  - {p.render()}" for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"  - and {len(self.problems) - MAX_LISTED} more")
        return "\n".join(lines)


@dataclass
class Sheet:
    """A review sheet as read: its header block and one dict per data row.

    Row values: ``sample_item`` an int (or a string when the sheet numbers items otherwise),
    ``record_index``/``characters`` int or None, ``verdict`` "pass", "fail" or "" (not
    reviewed), ``risk_code`` "" or codes in the standard's order joined by ";",
    ``reviewed_at`` "" or "YYYY-MM-DD", every other column a string.
    """

    header: dict[str, str] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Raw:
    """What a format reader found, before any checking."""

    header: dict[str, str]
    #: the row holding the column names (jsonl: the first data line)
    column_row: int
    #: column names as spelled in the file (jsonl: every key seen, in order)
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    problems: list[Problem] = field(default_factory=list)


def shown(value: Any) -> str:
    """A cell value as a problem shows it: one line, at most 40 characters."""
    text = "" if value is None else str(value)
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= 40 else text[:39] + "…"


def canonical(name: str) -> str | None:
    """The canonical column a file's column name stands for; None for unknown columns."""
    key = name.strip().casefold()
    key = ALIASES.get(key, key)
    return key if key in COLUMNS else None


def build_sheet(path: Path, raw: Raw) -> Sheet:
    """Check every cell of ``raw``; the Sheet, or SheetError listing every problem."""
    problems = list(raw.problems)
    names: dict[str, str] = {}  # canonical → the file's name for it
    for name in raw.columns:
        if (col := canonical(name)) is None:
            continue  # extra columns (a reviewer's own notes) are allowed and ignored
        if col in names:
            problems.append(Problem(raw.column_row, col, shown(name), "each column once"))
        else:
            names[col] = name
    for col in REQUIRED:
        if col not in names and (raw.columns or raw.rows):
            also = [a for a, c in ALIASES.items() if c == col]
            valid = f"a column named {col}" + (f" (or {also[0]})" if also else "")
            problems.append(Problem(raw.column_row, col, "", valid))
    version = raw.header.get(HEADER_MARK)
    if raw.header and version != FORMAT_VERSION:
        valid = f"{FORMAT_VERSION} (the sheet format this provenance reads)"
        problems.append(Problem(1, HEADER_MARK, shown(version), valid))
    rows: list[dict[str, Any]] = []
    # a sample_item repeated is not a malformed cell: provenance.review.verify reports it as an
    # altered sample (high), which a sheet rejected here as unreadable would hide
    for number, cells in raw.rows:
        row = {col: _cell(problems, number, col, cells.get(name)) for col, name in names.items()}
        if row.get("verdict") == "pass" and row.get("risk_code"):
            problems.append(
                Problem(number, "risk_code", shown(row["risk_code"]), "a pass carries no risk code")
            )
        rows.append(row)
    if problems:
        raise SheetError(path, problems)
    return Sheet(dict(raw.header), rows)


def _cell(problems: list[Problem], number: int, col: str, value: Any) -> Any:
    """The checked value of one cell; a Problem is appended when it is malformed."""
    try:
        return _CHECKS.get(col, _string)(value)
    except ValueError as exc:
        # the text column's value is record content: never echo it
        problems.append(Problem(number, col, "" if col == "text" else shown(value), str(exc)))
        return None


def _string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("a string")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet stores 12345 typed in a cell as 12345.0
    return str(value)


def _whole(value: Any, valid: str) -> int:
    """An int from an int, an integral float (xlsx) or a string of digits (csv)."""
    if isinstance(value, bool):
        raise ValueError(valid)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value < 0:
        raise ValueError(valid)
    return value


def _count(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _whole(value, "a whole number ≥ 0 (or empty)")


def _item(value: Any) -> int | str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("the sample item's number, as written (not empty)")
    try:
        return _whole(value, "")
    except ValueError:
        return _string(value).strip()


def _verdict(value: Any) -> str:
    if value is None:
        return ""
    word = value.strip().casefold() if isinstance(value, str) else None
    if word == "":
        return ""
    if word not in _VERDICT_WORDS:
        raise ValueError(VALID_VERDICT)
    return _VERDICT_WORDS[word]


def _codes(value: Any) -> str:
    text = _string(value).strip()
    parts = [p for p in _CODE_SEPARATORS.split(text) if p]
    if any(p.casefold() not in _CODES for p in parts):
        raise ValueError(VALID_CODES)
    found = {_CODES[p.casefold()] for p in parts}
    return ";".join(code for code in RISKS if code in found)


def _reviewed_at(value: Any) -> str:
    if isinstance(value, dt.date):  # datetime cells in xlsx included
        return str(parse_date(value))
    text = _string(value).strip()
    if not text:
        return ""
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        raise ValueError("a date YYYY-MM-DD (or empty)") from None


_CHECKS = {
    "sample_item": _item,
    "record_index": _count,
    "characters": _count,
    "verdict": _verdict,
    "risk_code": _codes,
    "reviewed_at": _reviewed_at,
}


def header_lines(header: dict[str, str]) -> Iterable[tuple[str, str]]:
    """The header to write: HEADER_MARK first with the format version, then the caller's keys."""
    if header.get(HEADER_MARK, FORMAT_VERSION) != FORMAT_VERSION:
        raise ValueError(f"{HEADER_MARK} is the format version {FORMAT_VERSION!r}")
    for key, value in header.items():
        if not key or ":" in key or any(c in key + str(value) for c in "\r\n"):
            raise ValueError(
                f"header key {key!r}: no ':' in keys, no line breaks in keys or values"
            )
    yield HEADER_MARK, FORMAT_VERSION
    yield from ((k, str(v)) for k, v in header.items() if k != HEADER_MARK)
