"""Issue 9 item 6: one long record must not sink the run.

A record over spaCy's 1,000,000-character limit raised E088 inside presidio and failed the whole
run (exit 3) on every retry. Long texts are now analysed in overlapping windows
(provenance/pii/windows.py); these tests plant phone numbers exactly across window edges and
require every one to be found once, at its own offsets, on the fast path, on presidio's full
path, and through the CLI.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from provenance.pii.windows import EDGE, MAX_ENTITY, OVERLAP, WINDOW, analyze_windows, window_spans
from tests.conftest import Corpus, write_jsonl

FILLER = {"en": "lorem ipsum dolor sit amet ", "zh": "这是一段很长的普通文字没有个人信息。"}


def long_text(n: int, lang: str, every: int = 0) -> tuple[str, list[int]]:
    """``n`` characters of filler with phones across every window cut and trust edge (and every
    ``every`` characters); returns the text and the planted start offsets."""
    targets: set[int] = set(range(100, n - 20, every)) if every else set()
    for ws, we in window_spans(n):
        for p in (ws - 5, ws - 1, we - 11, we - 6, ws + EDGE - 6, we - EDGE - 6):
            targets.add(p)
    starts: list[int] = []
    for p in sorted(t for t in targets if t >= 1 and t + 12 < n):
        if not starts or p >= starts[-1] + 13:  # a separator either side of each number
            starts.append(p)
    chars = list((FILLER[lang] * (n // len(FILLER[lang]) + 1))[:n])
    for i, p in enumerate(starts):
        chars[p - 1] = " "
        chars[p : p + 11] = f"1380013{i % 10000:04d}"
        chars[p + 11] = " "
    return "".join(chars), starts


def _mobiles(results: list[Any]) -> list[int]:
    return sorted(r.start for r in results if r.entity_type == "CN_MOBILE")


@pytest.mark.parametrize(("n", "lang"), [(1_100_000, "en"), (1_100_000, "zh"), (5_000_000, "en")])
def test_fast_path_finds_every_phone_once(n: int, lang: str) -> None:
    """Item 6: 1.1 MB and 5 MB records, phones across window edges: found once each, no E088."""
    from provenance.pii import fast_analyzer

    text, starts = long_text(n, lang, every=0 if n > 2_000_000 else 5_000)
    results = fast_analyzer().analyze_batch(pa.array([text], pa.large_string()))[0]
    assert _mobiles(results) == starts
    assert all(text[r.start : r.end].isdigit() for r in results if r.entity_type == "CN_MOBILE")


def test_full_presidio_path_has_no_length_limit() -> None:
    """Item 6: with a non-pattern recognizer (as with an NER model) every record takes presidio's
    full analysis; a 1.1 MB record is windowed there too."""
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    from provenance.pii.engine import build_analyzer
    from provenance.pii.fast import FastAnalyzer

    engine = build_analyzer()
    engine.registry.add_recognizer(
        SpacyRecognizer(supported_language="en", supported_entities=["PERSON"])
    )
    fast = FastAnalyzer(engine)
    assert not fast.exact
    text, starts = long_text(1_100_000, "en")
    with pytest.raises(ValueError, match="E088"):  # what every run hit before
        engine.analyze(text, language="en")
    assert _mobiles(fast.analyze_batch(pa.array([text], pa.large_string()))[0]) == starts


class _Run:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end, self.entity_type, self.score = start, end, "RUN", 1.0


def _runs(text: str) -> list[Any]:
    # maximal runs of X: a cut run looks like a shorter one, as a cut number would
    return [_Run(m.start(), m.end()) for m in re.finditer("X+", text)]


@pytest.mark.parametrize("length", [1, 11, 200, MAX_ENTITY])
@pytest.mark.parametrize("offset", [-MAX_ENTITY, -EDGE - 3, -EDGE, -7, -1, 0, 1, EDGE - 1, EDGE])
def test_windows_lose_and_double_nothing(length: int, offset: int) -> None:
    """Item 6: an entity up to MAX_ENTITY long anywhere around a cut or a trust edge is found
    once, whole; the truncated pieces windows see at their cuts are dropped."""
    n = 3 * WINDOW
    spans = window_spans(n)
    assert all(b - a <= WINDOW for a, b in spans) and spans[-1][1] == n
    assert all(spans[i][1] - spans[i + 1][0] == OVERLAP for i in range(len(spans) - 2))
    planted = sorted(
        {max(0, min(n - length, cut + offset)) for ws, we in spans for cut in (ws, we)}
    )
    text = list("." * n)
    kept: list[int] = []
    for p in planted:
        if not kept or p > kept[-1] + length:
            kept.append(p)
            text[p : p + length] = "X" * length
    found = analyze_windows("".join(text), _runs)
    assert [(r.start, r.end) for r in found] == [(p, p + length) for p in kept]


@pytest.mark.names
def test_audit_with_long_records_completes(corpus: Corpus, tmp_path: Path) -> None:
    """Item 6 through the CLI: 1.1 MB and 5 MB records full of phones; exit 0/1 (never 3) and
    pii_hits holds exactly the planted numbers."""
    short, short_starts = long_text(1_100_000, "zh", every=20_000)
    big, big_starts = long_text(5_000_000, "en")
    write_jsonl(
        corpus.root / "data/long/l.jsonl",
        [{"text": "short record"}, {"text": short}, {"text": big}],
    )
    corpus.add_source(
        {
            "id": "long",
            "source_type": "user_input",
            "origin": {"region": "domestic"},
            "legal_basis": "consent",
            "files": [{"root": "corpus", "glob": "long/*.jsonl"}],
        }
    )
    db = tmp_path / "d.duckdb"
    res = subprocess.run(
        [sys.executable, "-m", "provenance", "audit", str(corpus.write()), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=600,
        env=os.environ.copy(),
    )
    assert res.returncode in (0, 1), res.stderr
    assert "Traceback" not in res.stderr and "E088" not in res.stdout + res.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT h.record_key, h.start_pos FROM pii_hits h JOIN files f USING (run_id, file_id) "
            "WHERE f.source_id = 'long' AND h.entity_type = 'CN_MOBILE' ORDER BY ALL"
        ).fetchall()
        status = con.execute("SELECT status FROM files WHERE source_id = 'long'").fetchall()
    finally:
        con.close()
    assert status == [("ok",)]
    assert [p for k, p in rows if k == "2"] == short_starts
    assert [p for k, p in rows if k == "3"] == big_starts
