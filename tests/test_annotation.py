"""Annotation checks (Art. 8; ANN-01…06, ANN-08): each fires on its planted problem, none on clean records."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from provenance.checks.annotation import RISKS
from tests.conftest import Corpus, codes, write_jsonl

ROSTER = [
    {
        "annotator_id": "A1",
        "type": "in_house",
        "trained_on": "2026-01-01",
        "training_hours": 10,
        "exam_passed": True,
        "qualified_until": "2027-01-01",
    },
    {
        "annotator_id": "A2",
        "type": "outsourced",
        "trained_on": "2026-01-01",
        "training_hours": 6,
        "exam_passed": True,
        "qualified_until": "2027-01-01",
    },
    {
        "annotator_id": "R1",
        "type": "in_house",
        "trained_on": "2026-01-01",
        "training_hours": 20,
        "exam_passed": True,
        "qualified_until": "2027-01-01",
    },
]


def batches() -> list[dict[str, Any]]:
    return [
        {
            "batch_id": "B1",
            "kind": "functional",
            "rule_id": "f1",
            "annotator_id": "A1",
            "reviewer_id": "R1",
            "annotated_on": "2026-03-01",
            "items": 100,
            "checked_items": 10,
            "illegal_content": False,
            "excluded": False,
        },
        {
            "batch_id": "B2",
            "kind": "safety",
            "rule_id": "s1",
            "annotator_id": "A2",
            "reviewer_id": "R1",
            "annotated_on": "2026-03-02",
            "items": 50,
            "checked_items": 50,
            "illegal_content": False,
            "excluded": False,
        },
    ]


def setup(
    c: Corpus,
    rows: list[dict[str, Any]] | None = None,
    roster: list[dict[str, Any]] | None = None,
    risks: list[str] | None = None,
    sections: list[str] | None = None,
) -> dict[str, Any]:
    write_jsonl(c.root / "evidence/ann/roster.jsonl", roster if roster is not None else ROSTER)
    write_jsonl(c.root / "evidence/ann/batches.jsonl", rows if rows is not None else batches())
    (c.root / "evidence/ann/rules.md").write_text("# rules\n")
    secs = (
        sections
        if sections is not None
        else ["target", "data_format", "method", "quality_indicators"]
    )
    ann = {
        "rules": [
            {
                "id": "f1",
                "kind": "functional",
                "version": "1",
                "path": "evidence/ann/rules.md",
                "sections": secs,
                "covers_review": True,
            },
            {
                "id": "s1",
                "kind": "safety",
                "version": "1",
                "path": "evidence/ann/rules.md",
                "sections": secs,
                "covers_review": True,
                "risks": list(RISKS) if risks is None else risks,
            },
        ],
        "annotators": "evidence/ann/roster.jsonl",
        "batches": "evidence/ann/batches.jsonl",
    }
    write_jsonl(c.root / "data/sft/s.jsonl", [{"text": "问答样本"}])
    c.manifest["datasets"].append(
        {
            "id": "sft",
            "name": "SFT",
            "stage": "fine_tuning",
            "annotation": ann,
            "sources": [
                {
                    "id": "sft-src",
                    "source_type": "synthetic",
                    "origin": {"region": "domestic"},
                    "generator_model": {"name": "Base-7B"},
                    "files": [{"root": "corpus", "glob": "sft/*.jsonl"}],
                }
            ],
        }
    )
    return ann


def _batch(**change: Any) -> Callable[[Corpus], None]:
    def mutate(c: Corpus) -> None:
        rows = batches()
        rows[int(change.pop("index", 0))].update(change)
        setup(c, rows=rows)

    return mutate


CASES: list[tuple[str, str, Callable[[Corpus], None]]] = [
    ("ANN-01", "rule_incomplete", lambda c: setup(c, sections=["target", "method"])),
    ("ANN-01", "unknown_rule", _batch(rule_id="f9")),
    ("ANN-02", "risks_uncovered", lambda c: setup(c, risks=list(RISKS[:-2]))),
    ("ANN-03", "annotator_unqualified", _batch(annotator_id="A9")),
    ("ANN-03", "annotator_unqualified", _batch(annotated_on="2025-12-01")),  # before training
    (
        "ANN-03",
        "annotator_unqualified",
        lambda c: setup(c, roster=[{**ROSTER[0], "exam_passed": False}, *ROSTER[1:]]),
    ),
    ("ANN-04", "same_annotator_reviewer", _batch(reviewer_id="A1")),
    ("ANN-05", "batch_not_checked", _batch(checked_items=0)),
    ("ANN-05", "illegal_batch_used", _batch(illegal_content=True)),
    ("ANN-06", "safety_not_fully_reviewed", _batch(index=1, checked_items=49)),
]
ANN_CODES = {c for _, c, _ in CASES} | {"rules_missing", "records_missing"}


def test_clean_annotation_records(corpus: Corpus, run_audit: Any) -> None:
    setup(corpus)
    _, con = run_audit(corpus.write())
    assert not codes(con) & ANN_CODES
    metrics = dict(
        con.execute(
            "SELECT metric || '/' || key, value FROM stats WHERE scope = 'annotation'"
        ).fetchall()
    )
    assert metrics["annotated_units/*"] == 150 and metrics[
        "manual_verification_ratio/*"
    ] == pytest.approx(60 / 150)
    assert metrics["annotators/in_house"] == 2 and metrics["annotators/outsourced"] == 1
    assert metrics["training_hours/*"] == 36
    status = dict(con.execute("SELECT clause, status FROM tc260_self_assessment").fetchall())
    assert status["5.3"] == "conforms"
    rules = con.execute(
        "SELECT content FROM article19 WHERE topic = 'annotation_rules'"
    ).fetchone()[0]
    assert '"rule_id":"s1"' in rules and '"risks_covered":31' in rules


@pytest.mark.parametrize(
    ("check_id", "code", "mutate"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_annotation_check_fires(
    check_id: str, code: str, mutate: Callable[[Corpus], None], corpus: Corpus, run_audit: Any
) -> None:
    mutate(corpus)
    _, con = run_audit(corpus.write())
    assert code in codes(con, check_id)
    assert con.execute(
        "SELECT count(*) FROM latest_findings WHERE article = '8' AND message_zh = ''"
    ).fetchone() == (0,)


def test_fine_tuning_data_without_annotation_section(corpus: Corpus, run_audit: Any) -> None:
    ann = setup(corpus)
    del corpus.manifest["datasets"][-1]["annotation"]
    assert ann
    _, con = run_audit(corpus.write())
    assert "rules_missing" in codes(con, "ANN-01")
