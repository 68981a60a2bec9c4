"""Issue 15: review sheets written for reviewers and read back, in csv, jsonl and xlsx."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from provenance.errors import EXIT_BAD_INPUT, BadInput
from provenance.review.sheet import (
    COLUMNS,
    HEADER_MARK,
    REVIEW_COLUMNS,
    Problem,
    SheetError,
    read_sheet,
    sheet_format,
    write_sheet,
)
from provenance.risks import RISKS

FORMATS = ["csv", "jsonl", "xlsx"]
HEADER = {HEADER_MARK: "1", "run": "r-20260301", "seed": "7", "source": "网页, 新闻"}
#: the data rows' first row number in each format (HEADER has 4 keys)
FIRST_ROW = {"csv": 6, "jsonl": 2, "xlsx": 2}
SECRET = "SECRET-记录-4242"


def row(item: int, text: str = "一段中文文本。Some English.", **review: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "sample_item": item,
        "source": "news",
        "file": f"shards/part-{item}.jsonl",
        "record_index": item * 10,
        "record_key": f"k{item}",
        "language": "zh",
        "characters": len(text),
        "text": text,
    }
    return base | dict.fromkeys(REVIEW_COLUMNS, "") | review


ROWS = [
    row(1),
    row(2, "第二条\n两行", verdict="fail", risk_code="A.1a;A.2e", reviewer="李", note="见附件"),
    row(3, verdict="pass", reviewer="Ann", reviewed_at="2026-03-02"),
    row(4, record_index=None, characters=None),
]


def sheet(tmp_path: Path, fmt: str, rows: list[dict[str, Any]] = ROWS) -> Path:
    path = tmp_path / f"review.{fmt}"
    write_sheet(path, HEADER, rows)
    return path


def sheet_error(path: Path) -> SheetError:
    with pytest.raises(SheetError) as info:
        read_sheet(path)
    return info.value


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(tmp_path: Path, fmt: str) -> None:
    path = sheet(tmp_path, fmt)
    back = read_sheet(path)
    assert back.header == HEADER
    assert back.rows == ROWS
    assert list(back.rows[0]) == list(COLUMNS)
    assert not path.with_name(path.name + ".part").exists()


def test_the_header_mark_comes_first_when_left_out(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    write_sheet(path, {"run": "r1"}, ROWS[:1])
    assert list(read_sheet(path).header.items()) == [(HEADER_MARK, "1"), ("run", "r1")]
    with pytest.raises(ValueError, match="format version"):
        write_sheet(path, {HEADER_MARK: "2"}, [])
    with pytest.raises(ValueError, match="not review-sheet columns"):
        write_sheet(path, {}, [{"sample_item": 1, "txet": "x"}])


def test_xlsx_as_openpyxl_sees_it(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(sheet(tmp_path, "xlsx"))
    assert wb.sheetnames == ["review", "about", "lists"]
    review, about, lists = wb["review"], wb["about"], wb["lists"]
    assert [c.value for c in review[1]] == list(COLUMNS)
    assert review[1][0].font.bold and review.freeze_panes == "A2"
    assert [c.value for c in review[3]][:8] == [
        2,
        "news",
        "shards/part-2.jsonl",
        20,
        "k2",
        "zh",
        6,
        "第二条\n两行",
    ]
    assert review.cell(3, COLUMNS.index("text") + 1).alignment.wrap_text
    assert review.column_dimensions["H"].width >= 60  # text is column H
    assert [(k.value, v.value) for k, v in about.iter_rows()] == list(HEADER.items())
    assert lists.sheet_state == "hidden"


def _permute(path: Path, fmt: str) -> None:
    """Rewrite the sheet as a spreadsheet or a hand might: columns reordered and renamed
    (case, spaces, old names), and a reviewer's own column added."""
    names = {"sample_item": "item_id", "risk_code": " Risk ", "verdict": "VERDICT"}
    order = list(reversed(COLUMNS))

    def renamed(col: str) -> str:
        return names.get(col, col)

    if fmt == "csv":
        lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        head = lines[: len(HEADER)]  # "# source: 网页, 新闻" is quoted: it holds a comma
        body = list(csv.DictReader(lines[len(head) :]))
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            f.writelines(head)
            out = csv.writer(f)
            out.writerow([*map(renamed, order), "my notes"])
            out.writerows([*(r[c] for c in order), "x"] for r in body)
    elif fmt == "jsonl":
        first, *objs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        text = [{"my notes": "x"} | {renamed(c): o[c] for c in order} for o in objs]
        path.write_text("\n".join(json.dumps(o) for o in [first, *text]) + "\n", encoding="utf-8")
    else:
        wb = openpyxl.load_workbook(path)
        ws = wb["review"]
        values = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        wb.remove(ws)
        new = wb.create_sheet("review", 0)
        new.append(["my notes", *map(renamed, order)])
        for r in values:
            new.append(["x", *(r[COLUMNS.index(c)] for c in order)])
        wb.save(path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_reordered_renamed_and_extra_columns_still_read(tmp_path: Path, fmt: str) -> None:
    path = sheet(tmp_path, fmt)
    _permute(path, fmt)
    back = read_sheet(path)
    assert back.header == HEADER
    assert [{c: r[c] for c in COLUMNS} for r in back.rows] == ROWS
    assert all(set(r) == set(COLUMNS) for r in back.rows)


BAD = [
    row(1, SECRET, verdict="maybe"),
    row(2, SECRET, verdict="fail", risk_code="A.1a;A.9z"),
    row(3, SECRET, verdict="pass", risk_code="A.2c"),
    row(4, SECRET, verdict="fail", risk_code="A.4e", reviewed_at="2026-13-40"),
    row(5, SECRET, verdict="fail", risk_code="A.4e", record_index="twelve"),
    row(6, SECRET),
    row(5, SECRET, verdict=" 不通过 ", risk_code="A.4e"),  # repeated: verify's business, not ours
]
EXPECTED = [
    (0, "verdict", "maybe", "pass or fail (or empty: not reviewed yet)"),
    (1, "risk_code", "A.1a;A.9z", "A.1a … A.5b (TC260-003 Appendix A), separated by ;"),
    (2, "risk_code", "A.2c", "a pass carries no risk code"),
    (3, "reviewed_at", "2026-13-40", "a date YYYY-MM-DD (or empty)"),
    (4, "record_index", "twelve", "a whole number ≥ 0 (or empty)"),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_bad_row_is_reported_at_once_without_record_text(tmp_path: Path, fmt: str) -> None:
    err = sheet_error(sheet(tmp_path, fmt, BAD))
    first = FIRST_ROW[fmt]
    assert err.problems == [
        Problem(first + i, col, value, valid.format(row=first + 4))
        for i, col, value, valid in EXPECTED
    ]
    assert isinstance(err, BadInput) and err.exit_code == EXIT_BAD_INPUT
    message = str(err)
    assert f"row {first}, column verdict: 'maybe' — valid: pass or fail" in message
    assert SECRET not in message and "SECRET" not in repr(err.problems)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_required_column_is_one_problem_on_the_column_row(
    tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"hand.{fmt}"
    if fmt == "csv":
        path.write_text("source,text\nweb,x\nweb,y\n", encoding="utf-8")
    elif fmt == "jsonl":
        path.write_text('{"source": "web"}\n{"source": "web"}\n', encoding="utf-8")
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        for values in (["source", "text"], ["web", "x"], ["web", "y"]):
            ws.append(values)
        wb.save(path)
    err = sheet_error(path)
    assert [(p.row, p.column, p.valid) for p in err.problems] == [
        (1, "sample_item", "a column named sample_item (or item_id)"),
        (1, "verdict", "a column named verdict"),
    ]


def test_lenient_values_in_a_hand_made_csv(tmp_path: Path) -> None:
    path = tmp_path / "hand.csv"
    path.write_text(
        "Item_ID , Verdict,risk,reviewed_at\n"
        "1, PASS ,,2026/3/2\n"
        "2,通过,,2026-03-02T10:00:00\n"
        '3,不合格,"a.2E, A.1a；A.1a",\n'
        "4,,,\n",
        encoding="utf-8",
    )
    back = read_sheet(path)
    assert back.header == {}
    assert back.rows == [
        {"sample_item": 1, "verdict": "pass", "risk_code": "", "reviewed_at": "2026-03-02"},
        {"sample_item": 2, "verdict": "pass", "risk_code": "", "reviewed_at": "2026-03-02"},
        {"sample_item": 3, "verdict": "fail", "risk_code": "A.1a;A.2e", "reviewed_at": ""},
        {"sample_item": 4, "verdict": "", "risk_code": "", "reviewed_at": ""},
    ]


def test_a_csv_saved_by_chinese_excel_in_gb18030_reads(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("sample_item,verdict,note\n1,不通过,色情内容\n".encode("gb18030"))
    assert read_sheet(path).rows == [{"sample_item": 1, "verdict": "fail", "note": "色情内容"}]


def test_xlsx_cells_as_excel_stores_them(tmp_path: Path) -> None:
    path = tmp_path / "hand.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["sample_item", "record_index", "verdict", "reviewed_at"])
    ws.append([1.0, 3.0, "Fail", dt.datetime(2026, 3, 2, 9, 30)])
    ws.append([None, None, None, None])  # an empty row left behind is skipped
    ws.append([2, None, "pass", dt.date(2026, 3, 3)])
    wb.save(path)
    assert read_sheet(path).rows == [
        {"sample_item": 1, "record_index": 3, "verdict": "fail", "reviewed_at": "2026-03-02"},
        {"sample_item": 2, "record_index": None, "verdict": "pass", "reviewed_at": "2026-03-03"},
    ]


def test_jsonl_lines_that_are_not_objects_are_problems(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    write_sheet(path, HEADER, ROWS[:1])
    with path.open("a", encoding="utf-8") as f:
        f.write(f'[1, 2]\n\n{{"sample_item": 9, "text": "{SECRET}"\n"{SECRET}"\n')
    err = sheet_error(path)
    assert [(p.row, p.column, p.value) for p in err.problems] == [
        (3, "(line)", "list"),
        (5, "(line)", "not JSON"),
        (6, "(line)", "str"),
    ]
    assert SECRET not in str(err)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_file_says_so(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"empty.{fmt}"
    if fmt == "xlsx":
        openpyxl.Workbook().save(path)
    else:
        path.write_bytes(b"\xef\xbb\xbf" if fmt == "csv" else b"")
    assert "is empty" in str(sheet_error(path))


INJECTIONS = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "'=1",
    "'plain",
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_formula_like_values_stay_plain_strings(tmp_path: Path, fmt: str) -> None:
    rows = [
        row(i, value, source=value, file=value, record_key=value, note="")
        for i, value in enumerate(INJECTIONS, 1)
    ]
    path = tmp_path / f"review.{fmt}"
    write_sheet(path, HEADER | {"run": INJECTIONS[0]}, rows)
    back = read_sheet(path).rows
    assert read_sheet(path).header["run"] == INJECTIONS[0]
    for got, value in zip(back, INJECTIONS, strict=True):
        # a carriage return reads back from xlsx as a line feed (XML normalises line ends)
        want = value.replace("\r", "\n") if fmt == "xlsx" else value
        assert [got[c] for c in ("text", "source", "file", "record_key")] == [want] * 4
    if fmt == "csv":
        raw = path.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK" in raw and ",'+1+1," in raw and ",''plain," in raw
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(path)
        ws = wb["review"]
        cells = [c for r in ws.iter_rows(min_row=2) for c in r if isinstance(c.value, str)]
        assert cells and all(c.data_type == "s" for c in cells)
        assert ws["H2"].value == wb["about"]["B2"].value == INJECTIONS[0]
        with zipfile.ZipFile(path) as z:
            for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
                assert "<f>" not in z.read(name).decode()


def test_xlsx_validates_verdict_and_risk_code_from_the_lists_sheet(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(sheet(tmp_path, "xlsx"))
    checks = {str(v.sqref): v for v in wb["review"].data_validations.dataValidation}
    n = len(ROWS) + 1
    verdict, risk = checks[f"I2:I{n}"], checks[f"J2:J{n}"]  # verdict is I, risk_code J
    assert COLUMNS.index("verdict") == 8 and COLUMNS.index("risk_code") == 9
    assert (verdict.type, verdict.formula1) == ("list", "lists!$A$2:$A$3")
    assert (risk.type, risk.formula1) == ("list", "lists!$B$2:$B$32")
    lists = wb["lists"]
    assert [c.value for c in lists["A"][1:3]] == ["pass", "fail"]
    assert tuple(c.value for c in lists["B"][1:]) == RISKS
    for check in (verdict, risk):
        assert check.showErrorMessage and check.showInputMessage and check.allow_blank
        for words in (check.prompt, check.error):  # English, then Chinese
            assert re.search(r"[A-Za-z]{4}.*\n.*[\u4e00-\u9fff]", str(words))
        assert len(str(check.prompt)) <= 255 and len(str(check.error)) <= 255
        assert len(str(check.promptTitle)) <= 32 and len(str(check.errorTitle)) <= 32
    assert verdict.errorStyle == "stop" and risk.errorStyle == "warning"


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_longer_than_an_excel_cell_is_cut_in_xlsx_only(tmp_path: Path, fmt: str) -> None:
    text = "长" * 40_000
    back = read_sheet(sheet(tmp_path, fmt, [row(1, text)])).rows[0]["text"]
    if fmt == "xlsx":
        marker = "… [truncated: 40,000 characters in all; see file and record_index]"
        assert back == "长" * 32_000 + marker and len(back) <= 32_767
    else:
        assert back == text


def test_csv_starts_with_a_bom_then_the_header_block(tmp_path: Path) -> None:
    data = sheet(tmp_path, "csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# provenance_sample: 1\r\n# run: r-20260301\r\n")
    assert '"# source: 网页, 新闻"'.encode() in data  # a comma in a value is quoted, not split


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.csv", "csv"),
        ("a.CSV", "csv"),
        ("a.xlsx", "xlsx"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
    ],
)
def test_sheet_format_by_suffix(name: str, fmt: str) -> None:
    assert sheet_format(Path(name)) == fmt


@pytest.mark.parametrize("name", ["a.tsv", "a.xls", "a"])
def test_other_suffixes_are_refused_naming_the_valid_ones(name: str) -> None:
    with pytest.raises(BadInput, match=r"\.xlsx, \.csv or \.jsonl"):
        sheet_format(Path(name))


def test_the_message_lists_fifty_problems_then_counts_the_rest(tmp_path: Path) -> None:
    path = sheet(tmp_path, "jsonl", [row(i, verdict="ok") for i in range(1, 61)])
    message = str(sheet_error(path))
    assert message.count("column verdict: 'ok'") == 50
    assert message.endswith("  - and 10 more")
    assert message.splitlines()[0].endswith("60 problems in the review sheet")


def test_xlsx_is_parsed_with_defusedxml() -> None:
    """A reviewed .xlsx comes from outside the audit: openpyxl must parse it without expanding
    entities (billion laughs) or reaching external ones, which it does only with defusedxml."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spreadsheets_never_show_other_text_than_the_cell_holds(tmp_path: Path, fmt: str) -> None:
    """A right-to-left override (U+202E) or an escape character in corpus text would make a
    spreadsheet display something else than the record says ("Trojan Source"): such characters
    reach a reviewer as U+FFFD."""
    back = read_sheet(sheet(tmp_path, fmt, [row(1, "pay \u202egnp.exe\u202c to \x1b[31mX")]))
    assert back.rows[0]["text"] == "pay \ufffdgnp.exe\ufffd to \ufffd[31mX"
