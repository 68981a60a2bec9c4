"""One bilingual vocabulary (issue 13 item 4): every value the manifest's closed fields can take
has a Chinese and an English label, checked from the model itself."""

from __future__ import annotations

import re
import typing
from typing import Any, Literal, get_args, get_origin

import pytest

from provenance.manifest import model
from provenance.vocabulary import LABELS, label

#: (model, field) -> vocabulary domain
DOMAINS = {
    ("Source", "source_type"): "source_type",
    ("Source", "legal_basis"): "legal_basis",
    ("Source", "content_type"): "content_type",
    ("Dataset", "stage"): "stage",
    ("Dataset", "modality"): "modality",
    ("Origin", "region"): "origin",
    ("AnnotationRule", "kind"): "rule_kind",
}


def _literals(tp: Any) -> set[str]:
    if get_origin(tp) is Literal:
        return {str(v) for v in get_args(tp)}
    if get_origin(tp) in (typing.Union, typing.Annotated) or type(tp).__name__ == "UnionType":
        return set().union(*(_literals(a) for a in get_args(tp)))
    return set()


@pytest.mark.parametrize(("owner", "field"), sorted(DOMAINS))
def test_every_manifest_value_has_both_labels(owner: str, field: str) -> None:
    values = _literals(getattr(model, owner).model_fields[field].annotation)
    assert values, f"{owner}.{field} is not a closed vocabulary"
    missing = values - set(LABELS[DOMAINS[(owner, field)]])
    assert not missing, f"no label for {owner}.{field} values {sorted(missing)}"


def test_labels_are_chinese_and_english() -> None:
    for domain, table in LABELS.items():
        for value, (zh, en) in table.items():
            assert re.search(r"[\u4e00-\u9fff]", zh), (domain, value, zh)
            assert not re.search(r"[\u4e00-\u9fff]", en), (domain, value, en)


@pytest.mark.parametrize(
    ("domain", "value", "langs", "expected"),
    [
        ("source_type", "self_collected", ("zh",), "自采语料"),
        ("source_type", "self_collected", ("en",), "self-collected"),
        ("legal_basis", "publicly_disclosed", ("zh", "en"),
         "在合理范围内处理已公开的个人信息 / publicly disclosed information"),
        ("stage", "fine_tuning", ("zh",), "微调"),
        ("content_type", "made-up", ("zh",), "made-up"),
        ("stage", None, ("zh",), "—"),
    ],
)  # fmt: skip
def test_label(domain: str, value: Any, langs: tuple[str, ...], expected: str) -> None:
    assert label(domain, value, langs) == expected


def test_every_clause_says_in_chinese_what_it_needs() -> None:
    """Each TC260 clause's evidence need has Chinese text, and a clause whose checks did not run
    (a pipeline without them) still gets a Chinese reason."""
    from provenance.checks.assessment import clause_status
    from provenance.checks.frameworks import NEEDS_ZH, TC260

    for clause, _, _, _, applies, needs in TC260:
        assert not needs or needs in NEEDS_ZH, clause
        status, en, zh = clause_status(applies, True, False, [], needs)
        assert status == "does not conform" and en and "需要" in zh


def test_statute_terms_are_used_in_every_chinese_template() -> None:
    from provenance.checks import CHECKS
    from provenance.vocabulary import TERMS_ZH

    texts = [c.zh for check in CHECKS.values() for c in check.codes]
    texts += [v.zh for check in CHECKS.values() for c in check.codes for _, v in c.variants]
    for term, banned in TERMS_ZH.items():
        for text in texts:
            for word in banned:
                assert word not in text, f"use {term!r}, not {word!r}: {text}"


def test_the_dossier_holds_the_vocabulary(corpus: Any, run_audit: Any) -> None:
    """SQL users read coded values in Chinese: the labels table and the views' status_zh."""
    from provenance.vocabulary import label_rows

    _, con = run_audit(corpus.write())
    assert con.execute("SELECT count(*) FROM labels").fetchone() == (len(label_rows()),)
    rows = con.execute("SELECT status, status_zh FROM tc260_self_assessment").fetchall()
    assert rows and all(zh == LABELS["status"][status][0] for status, zh in rows)
    (zh,) = con.execute(
        "SELECT l.zh FROM latest_findings f JOIN labels l ON l.domain = 'severity' "
        "AND l.value = f.severity LIMIT 1"
    ).fetchone()
    assert re.search(r"[\u4e00-\u9fff]", zh)


def test_annotation_sections_have_labels() -> None:
    from provenance.checks.annotation import SECTIONS

    assert {*SECTIONS, "review step"} <= set(LABELS["rule_section"])
