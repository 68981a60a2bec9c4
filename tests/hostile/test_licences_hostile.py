"""Hostile licence strings (issue 12: the normaliser reads free text, so free text attacks it)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from provenance.licenses import LicenseIndex, classify, default_index


def _fresh(text: str) -> tuple[str, str, float]:
    index = LicenseIndex(default_index().data)
    t = time.perf_counter()
    v = index._classify(text)
    return v.outcome, v.reason, time.perf_counter() - t


def test_deeply_nested_expression_is_unknown_not_a_recursion_error() -> None:
    """Issue 12 (expressions): brackets nested thousands deep give a reason, not a crash."""
    outcome, reason, _ = _fresh("(MIT AND " * 100 + "MIT" + ")" * 100)
    assert outcome == "unknown" and "nested deeper" in reason
    outcome, _, _ = _fresh("(" * 999 + "MIT" + ")" * 999)  # brackets around one name: the name
    assert outcome == "matched"


def test_whitespace_runs_do_not_make_the_regexes_quadratic() -> None:
    """Issue 12 (keep it fast): long whitespace runs around brackets, clauses and operators."""
    for text in (
        "a" + " " * 1990 + "(b",
        "abc" + " " * 1990 + "y",
        "x " + "\t" * 1990 + "or y",
        "licensed under " + "the " * 490,
    ):
        _, _, seconds = _fresh(text)
        assert seconds < 0.2, (text[:20], seconds)


def test_very_long_strings_are_read_as_prose_prefix() -> None:
    """Issue 12 (sentences): a 200,000-character string is bounded, and says what was read."""
    for text in ("MIT AND " * 25_000, "licensed under the MIT License " + "x" * 200_000):
        outcome, reason, seconds = _fresh(text)
        assert seconds < 0.5 and "first 2,000 characters" in reason, outcome


def test_control_characters_are_data() -> None:
    """Issue 12: NUL, escapes and bidi controls never raise and stay escaped in the reason."""
    v = classify("MIT\x00\x1b[31m\u202e")
    assert v.outcome == "unknown" and "\x1b" not in v.reason and "\x00" not in v.reason


def test_cli_never_reads_a_licence_string_as_markup() -> None:
    """Issue 12 (licenses classify): rich markup in the string is printed literally."""
    proc = subprocess.run(
        [sys.executable, "-m", "provenance", "licenses", "classify", "[red]MIT[/red] [bold]x"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "[red]MIT[/red]" in proc.stdout


def test_cli_expected_column_must_exist(tmp_path: Path) -> None:
    """Issue 12 (--report): a missing --expected column is exit 2 naming file and columns."""
    src = tmp_path / "l.csv"
    src.write_text("licence\nMIT\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "provenance", "licenses", "classify", "--csv", str(src),
         "--column", "licence", "--expected", "nope", "--report"],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2 and "nope" in proc.stderr and "l.csv" in proc.stderr
