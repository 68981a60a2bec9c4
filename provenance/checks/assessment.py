"""Article 7 items and the TC260-003 self-assessment, from the findings of the other checks.

Runs last. Each Article 7 item (1)-(5) gets conforms / attention / does not conform with its key
figures and the findings behind it; each data-related clause of TC260-003 §5 (and §6 for the
foundation model) gets conforms / does not conform / not applicable, evidence pointers (finding
fingerprints) and a reason wherever it is not "conforms". A clause this audit has no evidence
for is "does not conform" with the evidence it needs named: a self-assessment must show
evidence, and silence is not conformity.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from provenance.checks.base import Check, CheckContext
from provenance.findings import SEVERITY_RANK, Finding

ARTICLE7 = [
    ("7(1)", "Lawful sources of data and foundation models", "使用具有合法来源的数据和基础模型"),
    ("7(2)", "No infringement of intellectual property rights", "不得侵害他人依法享有的知识产权"),
    (
        "7(3)",
        "Personal information only with consent or another legal basis",
        "涉及个人信息的，应当取得个人同意或者符合其他合法情形",
    ),
    (
        "7(4)",
        "Measures for truthfulness, accuracy, objectivity and diversity",
        "采取有效措施提高训练数据质量，增强真实性、准确性、客观性、多样性",
    ),
    (
        "7(5)",
        "Other requirements of the CSL, DSL, PIPL and regulators",
        "《网络安全法》《数据安全法》《个人信息保护法》等法律、行政法规的其他有关规定和有关主管部门的相关监管要求",
    ),
]

# (clause, title en, title zh, requirement ids, applies-when, evidence needed when nothing checks it)
TC260: list[tuple[str, str, str, tuple[str, ...], str, str]] = [
    (
        "5.1a(1)",
        "Source assessed before collection (≤ 5% illegal/harmful)",
        "采集前对来源进行安全评估（违法不良信息不超过5%）",
        ("SRC-02",),
        "always",
        "per-source pre-collection sample with verdicts",
    ),
    (
        "5.1a(2)",
        "Collected data verified before training (≤ 5%)",
        "采集后核验（违法不良信息不超过5%）",
        ("SRC-03",),
        "always",
        "per-source post-collection sample with verdicts",
    ),
    (
        "5.1b",
        "Multiple sources per language and modality; domestic and foreign combined",
        "各语言、各模态语料来源多样，境内外来源合理搭配",
        ("DIV-01", "DIV-02"),
        "always",
        "",
    ),
    (
        "5.1c(1)",
        "Open-source corpora hold their licence or authorisation",
        "使用开源语料应具有开源许可协议或相关授权文件",
        ("SRC-05",),
        "open_source",
        "",
    ),
    (
        "5.1c(2)",
        "Self-collected corpora hold collection records; refusals (robots.txt) respected",
        "使用自采语料应具有采集记录，不采集他人明确不可采集的数据",
        ("SRC-06", "SRC-07", "SRC-08"),
        "self_collected",
        "",
    ),
    (
        "5.1c(3)",
        "Commercial corpora under a valid contract with the supplier's commitments",
        "使用商业语料应有具备法律效力的交易合同、合作协议等",
        ("SRC-09",),
        "commercial",
        "",
    ),
    (
        "5.1c(4)",
        "User inputs used as corpus hold user authorisation records",
        "将使用者输入信息当作语料时，应具有使用者授权记录",
        ("SRC-10",),
        "user_input",
        "",
    ),
    (
        "5.1 blacklist",
        "Rejected (blacklisted) sources are absent",
        "不使用列入黑名单的来源",
        ("SRC-04",),
        "always",
        "",
    ),
    (
        "5.1d",
        "Information that must be blocked under cybersecurity law is not used",
        "不使用依法应当屏蔽的信息作为语料",
        ("SRC-11",),
        "always",
        "block-list matching results",
    ),
    (
        "5.2a",
        "All corpus filtered by keywords, classifiers and manual spot checks",
        "对全部语料采用关键词、分类模型、人工抽检等方式过滤",
        ("CNT-01", "CNT-02", "CNT-03", "CNT-04", "CNT-05"),
        "always",
        "filter pipeline outcomes and spot-check records",
    ),
    (
        "5.2b",
        "IP: responsible person, risk identification, no infringing corpus",
        "知识产权：设置负责人，识别侵权风险，不使用侵权语料",
        ("IP-01", "IP-02", "IP-03"),
        "always",
        "",
    ),
    (
        "5.2c",
        "Personal information with consent or another basis; sensitive PI with separate consent",
        "个人信息取得同意或符合其他合法情形；敏感个人信息取得单独同意",
        ("PI-01", "PI-02", "PI-03"),
        "always",
        "",
    ),
    (
        "8.1",
        "Keyword library: >= 10,000 keywords over the 17 risks of A.1/A.2, updated weekly",
        "关键词库：不少于1万个，覆盖A.1、A.2共17类风险，至少每周更新",
        ("CNT-04",),
        "always",
        "the keyword library with a risk per keyword",
    ),
    (
        "8.4",
        "Classification model covers all 31 risks",
        "分类模型覆盖全部31类风险",
        ("CNT-05",),
        "always",
        "the classifier's label set",
    ),
    (
        "9.2",
        "Corpus assessment: manual >= 4,000 items passing >= 96%; technical >= 10% passing >= 98%",
        "语料安全评估：人工抽检不少于4000条、合格率不低于96%；技术抽检不少于10%、合格率不低于98%",
        ("CNT-02", "CNT-03"),
        "always",
        "manual and technical corpus samples with verdicts",
    ),
    (
        "5.3",
        "Annotation: trained annotators, clear rules, verified accuracy",
        "语料标注：标注人员培训、标注规则、准确性核验",
        ("ANN-01", "ANN-02", "ANN-03", "ANN-04", "ANN-05", "ANN-06"),
        "annotated",
        "annotation rules, annotator roster and batch spot-check records",
    ),
    (
        "6",
        "Third-party foundation model already filed",
        "使用已备案的第三方基础模型",
        ("SRC-12",),
        "models",
        "",
    ),
]
REQ_ARTICLE = {
    "SRC-02": "7(1)",
    "SRC-03": "7(1)",
    "SRC-11": "7(1)",
    "CNT-01": "7(1)",
    "IP-01": "7(2)",
    "IP-03": "7(2)",
}


def _worst(findings: list[Finding]) -> int:
    return max((SEVERITY_RANK[f.severity] for f in findings), default=-1)


class Assessment(Check):
    """Writes the ``assessment`` table behind the article7 and tc260_self_assessment views."""

    name: ClassVar[str] = "assessment"
    requirements: ClassVar[tuple[str, ...]] = ("DOC-01", "DOC-03")

    def check(self, ctx: CheckContext) -> None:
        prior = ctx.prior_findings
        m = ctx.lm.manifest
        types = {s.source_type for _, s in m.sources()}
        for order, (article, en, zh) in enumerate(ARTICLE7, 1):
            related = [f for f in prior if f.article == article]
            worst = _worst([f for f in related if f.severity != "info"])
            if article == "7(5)":
                status, reason_en, reason_zh = (
                    "attention",
                    "not machine-checkable: attach the legal review (data classification, cross-border transfer, important data)",
                    "无法自动核查：请附法律审查意见（数据分类分级、跨境传输、重要数据）",
                )
            elif worst >= SEVERITY_RANK["high"]:
                status, reason_en, reason_zh = (
                    "does not conform",
                    "blocking findings",
                    "存在阻断性问题",
                )
            elif worst >= SEVERITY_RANK["low"]:
                status, reason_en, reason_zh = "attention", "findings to review", "存在需复核的问题"
            else:
                status, reason_en, reason_zh = "conforms", "", ""
            self._row(
                "article7",
                article,
                order,
                en,
                zh,
                status,
                (),
                related,
                reason_en,
                reason_zh,
                {
                    "findings": len(related),
                    "blocking": sum(1 for f in related if SEVERITY_RANK[f.severity] >= 3),
                },
            )
        annotated = any(d.stage in ("fine_tuning", "alignment") or d.annotation for d in m.datasets)
        for order, (clause, en, zh, reqs, applies, needs) in enumerate(TC260, 1):
            applicable = {
                "always": True,
                "annotated": annotated,
                "models": bool(m.foundation_models),
            }.get(applies, applies in types)
            related = [f for f in prior if f.check_id in reqs]
            checked_here = any(
                r in {c for chk in ctx.check_requirements for c in chk} for r in reqs
            )
            if not applicable:
                status = "not applicable"
                reason_en = {
                    "annotated": "no fine-tuning or alignment data",
                    "models": "no foundation model",
                }.get(applies, f"no {applies.replace('_', '-')} sources")
                reason_zh = {"annotated": "无微调或对齐数据", "models": "未使用基础模型"}.get(
                    applies, f"无{applies}类来源"
                )
            elif not checked_here and not related:
                status = "does not conform"
                reason_en = f"no evidence recorded by this audit; needs {needs}"
                reason_zh = f"本次审计无相关证据；需要：{needs}"
            elif _worst([f for f in related if f.severity != "info"]) >= SEVERITY_RANK["medium"]:
                status, reason_en, reason_zh = (
                    "does not conform",
                    "findings: see evidence",
                    "存在问题，见证据",
                )
            else:
                status, reason_en, reason_zh = "conforms", "", ""
            self._row(
                "tc260",
                clause,
                order,
                en,
                zh,
                status,
                reqs,
                related,
                reason_en,
                reason_zh,
                {"findings": len(related)},
            )

    def _row(
        self,
        framework: str,
        item: str,
        order: int,
        en: str,
        zh: str,
        status: str,
        reqs: tuple[str, ...],
        related: list[Finding],
        reason_en: str,
        reason_zh: str,
        figures: dict[str, Any],
    ) -> None:
        self.row(
            "assessment",
            framework=framework,
            item_id=item,
            ord=order,
            title_en=en,
            title_zh=zh,
            status=status,
            requirement_ids=list(reqs),
            key_figures=json.dumps(figures),
            evidence=json.dumps(sorted({f.fingerprint for f in related})),
            reason_en=reason_en or None,
            reason_zh=reason_zh or None,
        )
