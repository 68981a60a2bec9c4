"""`--lang zh` is Chinese (issue 13 item 4): no English word outside an allow list.

The Chinese-only HTML dossier of the demo is reduced to the words a reader sees, minus what is
legitimately not translated: ids, file names and user data (the dossier marks them: ``<code>``
and ``<span class="v">``), text quoted in “…” (quoted user data in findings), requirement ids
(SRC-01) and clause numbers. What remains must hold no Latin word except the names and
abbreviations below, which Chinese filings print as they are.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from provenance.dossier.export import export

#: names and abbreviations a Chinese filing prints in Latin letters
ALLOWED = {
    "robots", "txt", "UTC", "SHA", "JSON", "SPDX", "TC260", "RFC", "URL", "AI", "ID",
    "MinHash", "UTF", "GB", "CSV", "Parquet", "DuckDB", "HTML", "IP", "IPv6", "PIPL", "EU",
}  # fmt: skip
SKIP_TAGS = {"style", "code", "title", "script"}


class _Visible(HTMLParser):
    """The words a reader sees, minus marked ids and user data."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "meta", "img", "rect", "input"):
            return
        marked = tag in SKIP_TAGS or ("class", "v") in attrs
        self.stack.append(marked or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("br", "meta", "img", "rect", "input"):
            return
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.text.append(data)


def latin_words(html: str) -> list[str]:
    """Latin words a Chinese reader would see that are not allowed."""
    parser = _Visible()
    parser.feed(html)
    text = " ".join(parser.text)
    text = re.sub(r"“[^”]*”", " ", text)  # quoted user data
    text = re.sub(r"\b[A-Z]{2,4}-\d{2}\b", " ", text)  # requirement ids
    text = re.sub(r"§\S+", " ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", text) if w not in ALLOWED]


@pytest.mark.parametrize(
    "text", ['<td>来源 <span class="v">en-mix</span></td>', "<code>x.jsonl</code> 文件"]
)
def test_marked_values_are_not_counted(text: str) -> None:
    assert latin_words(text) == []


def test_unmarked_english_is_counted() -> None:
    assert latin_words("<td>状态 does not conform</td>") == ["does", "not", "conform"]


def test_chinese_export_has_no_english(demo_dossier: tuple[Path, str], tmp_path: Path) -> None:
    db, run_id = demo_dossier
    export(db, run_id, tmp_path / "zh", langs=("zh",), formats=("html",))
    words = latin_words((tmp_path / "zh" / "dossier.html").read_text(encoding="utf-8"))
    assert words == [], sorted(set(words))
