"""Issue 9 item 11: user strings are never read as terminal markup, emoji codes or control codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.terminal import cell, safe, styled
from tests.conftest import Corpus, cli, write_jsonl

HOSTILE = ["[/]", "[bold]", "[x]", ":smile:", "[link=file:///etc/passwd]y[/link]"]


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text 中文", "plain text 中文"),
        ("[/] [bold] [x]", "[/] [bold] [x]"),
        ("a\x1b[31mred", "a\\x1b[31mred"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
        ("bell\x07 del\x7f c1\x9b", "bell\\x07 del\\x7f c1\\x9b"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("emoji 👩\u200d💻 joiner kept", "emoji 👩\u200d💻 joiner kept"),
        ("line\u2028sep", "line\\u2028sep"),
    ],
)
def test_safe_escapes_controls_and_keeps_text(raw: str, shown: str) -> None:
    """Control and format characters become visible escapes; text (CJK, joiners) passes."""
    assert safe(raw) == shown


def test_styled_and_cell_are_never_markup() -> None:
    """Plain parts and cells are taken literally; only (text, style) tuples carry style."""
    text = styled(("ok", "green"), " [/] [bold]x")
    assert text.plain == "ok [/] [bold]x"
    assert [str(s.style) for s in text.spans] == ["green"]
    assert cell("[x]").plain == "[x]" and cell(None).plain == "NULL"


def test_hostile_names_audit_prints_them_literally(corpus: Corpus, tmp_path: Path) -> None:
    """A service name and file paths with markup and control codes: the run's summary prints
    them literally (no MarkupError after the commit, nothing eaten), exit 0/1."""
    name = "Chat " + " ".join(HOSTILE) + " \x1b[2J \u202e"
    corpus.manifest["service"]["name"] = name
    write_jsonl(corpus.root / "data/open/f[/]x.jsonl", [{"text": "x"}])
    (corpus.root / "data/open/g[bold].jsonl").write_bytes(b"\xff\xfe not json\n")
    corpus.source("open")["files"] = [{"root": "corpus", "glob": "open/*.jsonl"}]
    db = tmp_path / "d[/]b.duckdb"
    res = cli("audit", str(corpus.write()), "--db", str(db), "--workers", "1")
    said = res.stdout + res.stderr
    assert res.returncode in (0, 1), said
    assert "Traceback" not in said and "MarkupError" not in said
    assert str(db) in res.stdout  # the [/] in the dossier path is printed, not parsed
    assert "\x1b" not in res.stdout  # no raw escape reaches the terminal
    # the findings name the malformed file literally (the blocking list prints messages)
    shown = cli(
        "sql", "--db", str(db), "SELECT count(*) AS n FROM files WHERE path LIKE '%[bold]%'"
    )
    assert shown.returncode == 0 and "1" in shown.stdout, shown.stdout + shown.stderr


def test_sql_output_is_literal(corpus: Corpus, tmp_path: Path) -> None:
    """`provenance sql` of strings that look like markup prints them, exit 0 (it crashed)."""
    db = tmp_path / "d.duckdb"
    assert cli("audit", str(corpus.write()), "--db", str(db), "--workers", "1").returncode == 0
    res = cli(
        "sql",
        "--db",
        str(db),
        "SELECT '[/]' AS a, '[x]' AS b, ':smile:' AS c, chr(27) || '[31m' AS d, '[bold]' AS \"[/]\"",
    )
    assert res.returncode == 0, res.stderr
    for literal in ("[/]", "[x]", ":smile:", "\\x1b[31m", "[bold]"):
        assert literal in res.stdout, res.stdout
    assert "\x1b" not in res.stdout


def test_error_messages_with_markup_do_not_crash(tmp_path: Path) -> None:
    """An error naming a path with markup brackets is printed literally, exit 2."""
    missing = tmp_path / "no[/]such[bold].yaml"
    res = cli("validate", str(missing))
    assert res.returncode == 2, res.stdout + res.stderr
    assert "no[/]such[bold].yaml" in res.stderr and "Traceback" not in res.stderr
