"""Sensitive categories of PIPL Art. 28 in free text (issue 11, item 4), table-driven.

Every category of schemas/sensitive_terms.toml has a case with a person cue (found) in each
language; the same terms without a person (news-like sentences) are not. Each found case
passes the RE2 prefilter as the fast path runs it, and the fast path agrees with presidio.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from provenance.pii import fast_analyzer
from provenance.pii.classify import is_sensitive
from provenance.pii.prefilter import PREFILTER
from provenance.pii.sensitive import categories
from tests.conftest import Corpus, cli, write_jsonl

FOUND = [
    ("HEALTH", "我上个月被诊断为抑郁症，一直在吃药。", "抑郁症"),
    ("HEALTH", "她患有糖尿病多年", "糖尿病"),
    ("HEALTH", "My mother was diagnosed with cancer in May.", "diagnosed with"),
    ("HEALTH", "I am HIV positive and on treatment.", "HIV"),
    # the cue after the term: the fast path's window must reach it
    ("HEALTH", "Depression has troubled my brother for years.", "Depression"),
    ("HEALTH", "抑郁症困扰了我很多年", "抑郁症"),
    ("RELIGION", "他是穆斯林，每周五去清真寺。", "穆斯林"),
    ("RELIGION", "She is a devout Catholic.", "Catholic"),
    ("BIOMETRIC", "我的指纹被录入了门禁系统", "指纹"),
    ("BIOMETRIC", "They scanned my fingerprint at the border.", "fingerprint"),
    ("SPECIFIC_IDENTITY", "我哥哥有犯罪记录，找工作很难", "犯罪记录"),
    ("SPECIFIC_IDENTITY", "He has a criminal record from 2010.", "criminal record"),
    ("FINANCIAL_ACCOUNT", "我的银行账户被冻结了", "银行账户"),
    ("FINANCIAL_ACCOUNT", "My account balance is below zero.", "account balance"),
    ("WHEREABOUTS", "她的行踪被人泄露了", "行踪"),
    ("WHEREABOUTS", "His whereabouts on Friday night are unknown.", "whereabouts"),
]
NOT_FOUND = [
    "医院新开了癌症病房。",
    "The hospital opened a new cancer ward.",
    "指纹识别技术的市场规模持续扩大。",
    "Banks must verify every account number before transfer.",
    "The museum's exhibition on Buddhist art opens today.",
    "航班因天气原因延误。",
    "Diabetes rates rose nationally last year.",
    # groups, not a person (sentences shaped like People's Daily text, where these were found)
    "我们到访之前，全国政协主席会见了代表团。",
    "他们细心地记下了残疾人常用物品的品牌型号。",
]


@pytest.fixture(scope="module")
def fast():  # type: ignore[no-untyped-def]
    return fast_analyzer()


def test_every_category_has_cases_in_both_languages() -> None:
    cats = {c.entity for c in categories()}
    assert cats == {e for e, _, _ in FOUND}
    for c in categories():
        zh = [
            t for e, t, _ in FOUND if e == c.entity and any("\u4e00" <= ch <= "\u9fff" for ch in t)
        ]
        en = [t for e, t, _ in FOUND if e == c.entity and t.isascii()]
        assert zh and en, c.entity
        assert is_sensitive(c.entity, False)


@pytest.mark.parametrize(("entity", "text", "term"), FOUND)
def test_found_near_a_person(fast, entity: str, text: str, term: str) -> None:  # type: ignore[no-untyped-def]
    results = fast.analyze_batch(pa.array([text]))[0]
    got = {(r.entity_type, text[r.start : r.end]) for r in results}
    assert (entity, term) in got, got
    lang = "zh" if not text.isascii() else "en"
    full = fast.analyzer.analyze(text, language=lang)
    assert sorted((r.entity_type, r.start, r.end) for r in results) == sorted(
        (r.entity_type, r.start, r.end) for r in full
    )
    assert pc.match_substring_regex(pa.array([text]), PREFILTER).to_pylist() == [True]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_terms_without_a_person_are_not_sensitive_information(fast, text: str) -> None:  # type: ignore[no-untyped-def]
    sensitive = {c.entity for c in categories()}
    results = fast.analyze_batch(pa.array([text]))[0]
    assert not [r for r in results if r.entity_type in sensitive]


def test_pi02_lists_the_categories_per_source(corpus: Corpus, tmp_path: Path) -> None:
    rows = [{"text": f"普通对话 {i}"} for i in range(20)]
    rows[3] = {"text": "我上个月被诊断为抑郁症，一直在吃药。"}
    rows[5] = {"text": "他是穆斯林，每周五去清真寺。"}
    write_jsonl(corpus.root / "data/chat/c.jsonl", rows)
    corpus.add_source(
        {
            "id": "chat",
            "source_type": "user_input",
            "origin": {"region": "domestic"},
            "legal_basis": "consent",
            "files": [{"root": "corpus", "glob": "chat/*.jsonl"}],
        }
    )
    db = tmp_path / "d.duckdb"
    res = cli("audit", str(corpus.write()), "--db", str(db), "--pii-mode", "off")
    assert res.returncode == 1, res.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        (en, zh) = con.execute(
            "SELECT message_en, message_zh FROM findings "
            "WHERE code = 'sensitive_pi_without_separate_consent' AND subject_id = 'chat'"
        ).fetchone() or ("", "")
        masked = [r[0] for r in con.execute("SELECT masked FROM pii_hits").fetchall()]
    finally:
        con.close()
    assert "HEALTH" in en and "RELIGION" in en
    assert "医疗健康" in zh and "宗教信仰" in zh
    assert "抑郁症" not in masked and "穆斯林" not in masked
