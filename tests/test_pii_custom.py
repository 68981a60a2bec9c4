"""Extra PII patterns from a file: validated at load, detected in the audit, fast path still exact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from provenance.errors import BadInput
from provenance.pii import fast_analyzer
from provenance.pii.custom import load_patterns
from provenance.pii.nlp import guess_language
from provenance.pipeline import load_pipeline
from tests.conftest import Corpus, write_jsonl

PATTERNS = """
[[pattern]]
entity = "EMPLOYEE_ID"
regex = "(?<![0-9A-Za-z])EMP-\\\\d{6}(?![0-9A-Za-z])"
score = 0.6
context = ["工号", "employee"]
sensitive = true
prefilter = "EMP-[0-9]{6}"

[[pattern]]
entity = "MEMBER_NAME"
regex = "(?<=会员：)[\\\\u4e00-\\\\u9fff]{2,3}"
score = 0.5
"""


def _pipeline(tmp_path: Path, patterns: str) -> Path:
    (tmp_path / "ours.toml").write_text(patterns, encoding="utf-8")
    text = (Path(__file__).parents[1] / "pipelines/pretraining.toml").read_text()
    pipe = tmp_path / "p.toml"
    pipe.write_text(text.replace("patterns = []", 'patterns = ["ours.toml"]'))
    return pipe


def test_custom_patterns_found_in_audit(corpus: Corpus, run_audit: Any, tmp_path: Path) -> None:
    write_jsonl(
        corpus.root / "data/open/staff.jsonl",
        [
            {"text": "员工工号EMP-123456，会员：张小明"},
            {"text": "employee EMP-654321 joined"},
            {"text": "nothing"},
        ],
    )
    _, con = run_audit(corpus.write(), pipeline=str(_pipeline(tmp_path, PATTERNS)))
    rows = dict(
        con.execute(
            "SELECT entity_type, hits FROM pii_summary WHERE source_id = 'open' "
            "AND entity_type NOT IN ('PERSON', 'LOCATION')"  # names: the NER sample's rows
        ).fetchall()
    )
    assert rows == {"EMPLOYEE_ID": 2, "MEMBER_NAME": 1}
    sensitive = con.execute(
        "SELECT bool_and(sensitive) FROM pii_hits WHERE entity_type = 'EMPLOYEE_ID'"
    ).fetchone()
    assert sensitive == (True,)


def test_fast_path_stays_exact_with_custom_patterns(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(PATTERNS, encoding="utf-8")
    custom = tuple(load_patterns(path))
    fast = fast_analyzer((), custom)
    assert fast.prefilter is None  # MEMBER_NAME has no prefilter: no record may be skipped
    texts = [
        "员工工号EMP-123456，会员：张小明",
        "手机13812345678",
        "plain",
        "会员：李四说",
        "EMP-1234567 is too long",
    ]
    got = fast.analyze_batch(pa.array(texts))
    for t, res in zip(texts, got, strict=True):
        full = fast.analyzer.analyze(t, language=guess_language(t))
        assert sorted((r.entity_type, r.start, r.end) for r in res) == sorted(
            (r.entity_type, r.start, r.end) for r in full
        )
    only_prefiltered = tuple(c for c in custom if c[5])
    assert fast_analyzer((), only_prefiltered).prefilter is not None


def test_bad_pattern_file_lists_every_problem(tmp_path: Path) -> None:
    bad = """
[[pattern]]
entity = "lower"
regex = "(unclosed"
score = 2
prefilter = "(?<=x)y"
colour = "red"
"""
    with pytest.raises(BadInput) as info:
        load_pipeline(str(_pipeline(tmp_path, bad)))
    paths = {p.path for p in info.value.problems}
    assert {
        "pattern[0]",
        "pattern[0].entity",
        "pattern[0].regex",
        "pattern[0].score",
        "pattern[0].prefilter",
    } <= paths


def test_custom_patterns_mask_rights_notice_snippets(
    corpus: Corpus, run_audit: Any, tmp_path: Path
) -> None:
    """Issue 10: rights-notice snippets are masked with the run's configured analyzer (custom
    pattern files included), not a process-wide default one that ignored them."""
    write_jsonl(
        corpus.root / "data/open/notices.jsonl",
        [{"text": f"会员：张小明 撰稿。版权所有，未经许可不得转载。第{i}期"} for i in range(3)],
    )
    _, con = run_audit(corpus.write(), pipeline=str(_pipeline(tmp_path, PATTERNS)))
    snippets = [r[0] for r in con.execute("SELECT snippet FROM rights_notices").fetchall()]
    assert snippets and any("会员：" in s for s in snippets)
    assert not any("张小明" in s for s in snippets), snippets
