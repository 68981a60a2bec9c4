"""Article 7 items and the TC260-003 self-assessment, from the findings the store holds.

The final phase: it runs after every other check and reads their findings from the run's
``findings`` table (not from the other checks). Each Article 7 item (1)-(5) gets conforms /
attention / does not conform with its key figures and the findings behind it; each data clause
of TC260-003 §5 (and §6 for the foundation model) gets conforms / does not conform / not
applicable, evidence pointers (finding fingerprints) and a reason wherever it is not "conforms".
A clause this audit has no evidence for is "does not conform" with the evidence it needs named:
a self-assessment must show evidence, and silence is not conformity.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, NamedTuple

from provenance.checks.base import Check, CheckContext
from provenance.checks.frameworks import ARTICLE7, NEEDS_ZH, TC260
from provenance.findings import SEVERITY_RANK
from provenance.tables import Output
from provenance.vocabulary import label

FINDINGS_SQL = "SELECT article, severity, check_id, fingerprint FROM run_findings"
BLOCKING = SEVERITY_RANK["high"]
NOT_APPLICABLE = {
    "annotated": ("no fine-tuning or alignment data", "无微调或对齐数据"),
    "models": ("no foundation model", "未使用基础模型"),
}


class Seen(NamedTuple):
    """A finding as the assessment needs it."""

    article: str
    severity: str
    check_id: str
    fingerprint: str


def _worst(findings: list[Seen]) -> int:
    """Rank of the worst severity other than info (-1 when there is none)."""
    return max((SEVERITY_RANK[f.severity] for f in findings if f.severity != "info"), default=-1)


def article_status(article: str, related: list[Seen]) -> tuple[str, str, str]:
    """(status, reason en, reason zh) of one Article 7 item."""
    worst = _worst(related)
    if article == "7(5)":
        return (
            "attention",
            "not machine-checkable: attach the legal review (data classification, cross-border transfer, important data)",
            "无法自动核查：请附法律审查意见（数据分类分级、跨境传输、重要数据）",
        )
    if worst >= BLOCKING:
        return "does not conform", "blocking findings", "存在阻断性问题"
    if worst >= SEVERITY_RANK["low"]:
        return "attention", "findings to review", "存在需复核的问题"
    return "conforms", "", ""


def clause_status(
    applies: str, applicable: bool, assessed: bool, related: list[Seen], needs: str
) -> tuple[str, str, str]:
    """(status, reason en, reason zh) of one TC260-003 clause."""
    if not applicable:
        en, zh = NOT_APPLICABLE.get(
            applies,
            (
                f"no {applies.replace('_', '-')} sources",
                f"无{label('source_type', applies, ('zh',))}来源",
            ),
        )
        return "not applicable", en, zh
    if not assessed and not related:
        # a clause whose checks the pipeline left out needs their results
        need_en = needs or "the results of the checks for this clause"
        need_zh = NEEDS_ZH[needs] if needs else "本条款相应检查的结果"
        return (
            "does not conform",
            f"no evidence recorded by this audit; needs {need_en}",
            f"本次审计无相关证据；需要：{need_zh}",
        )
    if _worst(related) >= SEVERITY_RANK["medium"]:
        return "does not conform", "findings: see evidence", "存在问题，见证据"
    return "conforms", "", ""


class Assessment(Check):
    """Writes the ``assessment`` table behind the article7 and tc260_self_assessment views."""

    name: ClassVar[str] = "assessment"
    requirements: ClassVar[tuple[str, ...]] = ("DOC-01", "DOC-03")
    needs: ClassVar[tuple[str, ...]] = ("findings",)
    writes: ClassVar[tuple[Output, ...]] = (Output("assessment"),)
    final: ClassVar[bool] = True

    def check(self, ctx: CheckContext) -> None:
        seen = [Seen(*r) for r in ctx.sql(FINDINGS_SQL, [])]
        for order, (article, en, zh) in enumerate(ARTICLE7, 1):
            related = [f for f in seen if f.article == article]
            blocking = sum(1 for f in related if SEVERITY_RANK[f.severity] >= BLOCKING)
            figures = {"findings": len(related), "blocking": blocking}
            status = article_status(article, related)
            _row(ctx, "article7", article, order, (en, zh), status, (), related, figures)
        m = ctx.lm.manifest
        types = {s.source_type for _, s in m.sources()}
        annotated = any(d.stage in ("fine_tuning", "alignment") or d.annotation for d in m.datasets)
        when = {"always": True, "annotated": annotated, "models": bool(m.foundation_models)}
        for order, (clause, en, zh, reqs, applies, needs) in enumerate(TC260, 1):
            related = [f for f in seen if f.check_id in reqs]
            assessed = any(r in ctx.pipeline_requirements for r in reqs)
            applicable = when.get(applies, applies in types)
            status = clause_status(applies, applicable, assessed, related, needs)
            figures = {"findings": len(related)}
            _row(ctx, "tc260", clause, order, (en, zh), status, reqs, related, figures)


def _row(
    ctx: CheckContext,
    framework: str,
    item: str,
    order: int,
    title: tuple[str, str],
    status: tuple[str, str, str],
    reqs: tuple[str, ...],
    related: list[Seen],
    figures: dict[str, Any],
) -> None:
    ctx.row(
        "assessment",
        framework=framework,
        item_id=item,
        ord=order,
        title_en=title[0],
        title_zh=title[1],
        status=status[0],
        requirement_ids=list(reqs),
        key_figures=json.dumps(figures),
        evidence=json.dumps(sorted({f.fingerprint for f in related})),
        reason_en=status[1] or None,
        reason_zh=status[2] or None,
    )
