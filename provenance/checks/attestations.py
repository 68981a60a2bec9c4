"""Duties the audit records rather than measures (issue 13 item 8): SRC-11 block-list results,
IP-01/03/04 IP management, PI-04 potentially biometric corpora, PI-05 PI impact assessment,
ANN-07 isolated safety-annotation data, DOC-05 data-security flags per source.

Each is met by a manifest field with its evidence (``attestations``, ``sources[].storage``,
``annotation.safety_storage``); the documents are hashed by ``evidence_files``. A duty with no
record is a finding, so a self-assessment row is "conforms" only with evidence behind it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from provenance.checks.base import Check, CheckContext
from provenance.findings import FindingCode

BIOMETRIC_MODALITIES = ("image", "audio", "video", "multimodal")
#: PIPL Art. 56: impact-assessment reports and processing records kept at least 3 years
RETENTION_YEARS = 3


def _code(code: str, req: str, article: str, severity: str, en: str, zh: str) -> FindingCode:
    return FindingCode(code, req, article, severity, en=en, zh=zh)  # type: ignore[arg-type]


C = {
    c.code: c
    for c in (
        _code("block_list_not_recorded", "SRC-11", "7(1)", "medium",
              "no block-list matching results are recorded (attestations.block_list): information blocked under the Cybersecurity Law cannot be shown absent",
              "未记录黑名单匹配结果（“attestations.block_list”），无法证明语料不含依网络安全法应屏蔽的信息"),
        _code("block_list_after_training", "SRC-11", "7(1)", "low",
              "the block list was matched on {checked}, after training started ({training})",
              "黑名单匹配日期 {checked} 晚于训练开始日期 {training}"),
        _code("ip_management_missing", "IP-01", "7(2)", "medium",
              "no IP responsible person and strategy are recorded (attestations.ip_management)",
              "未记录知识产权负责人及知识产权管理策略（“attestations.ip_management”）"),
        _code("ip_complaint_channel_missing", "IP-03", "7(2)", "low",
              "no channel for IP complaints is recorded (attestations.ip_management.complaint_channel)",
              "未记录知识产权投诉渠道（“attestations.ip_management.complaint_channel”）"),
        _code("ip_summary_not_published", "IP-04", "7(2)", "info",
              "no published summary of the IP-relevant corpus is recorded (TC260-003 §5.2b(6), recommended)",
              "未记录已公开的知识产权相关语料摘要（TC260-003 第5.2b(6)条，推荐项）"),
        _code("biometric_without_basis", "PI-04", "7(3)", "high",
              "source '{source}' is {modality} data, which may hold biometric information (faces, voices), but records no legal basis",
              "来源“{source}”为{modality}数据，可能含人脸、声纹等生物识别信息，但未记录合法性基础"),
        _code("pi_impact_assessment_missing", "PI-05", "7(3)", "medium",
              "the corpus holds sensitive or biometric personal information but no PI protection impact assessment is recorded (attestations.pi_impact_assessment)",
              "语料含敏感个人信息或生物识别信息，但未记录个人信息保护影响评估（“attestations.pi_impact_assessment”）"),
        _code("pi_impact_assessment_retention", "PI-05", "7(3)", "medium",
              "PI impact assessment '{id}' is kept until {until}, less than 3 years after {done}",
              "个人信息保护影响评估“{id}”保存至 {until}，自 {done} 起不足三年"),
        _code("pi_impact_assessment_late", "PI-05", "7(3)", "low",
              "PI impact assessment '{id}' was completed on {done}, after training started ({training})",
              "个人信息保护影响评估“{id}”完成于 {done}，晚于训练开始日期 {training}"),
        _code("safety_annotations_not_isolated", "ANN-07", "8", "low",
              "dataset '{dataset}' has safety annotation rules but its safety-annotation data is not recorded as stored apart (annotation.safety_storage.isolated)",
              "数据集“{dataset}”有安全性标注规则，但未记录其安全性标注数据隔离存储（“annotation.safety_storage.isolated”）"),
        _code("storage_not_recorded", "DOC-05", "7(5)", "low",
              "source '{source}': storage location, cross-border and important-data flags are not recorded (sources[].storage)",
              "来源“{source}”未记录存储位置、是否出境及是否属于重要数据（“sources[].storage”）"),
        _code("cross_border_without_assessment", "DOC-05", "7(5)", "high",
              "source '{source}' leaves China{important} but no cross-border security assessment or filing is recorded (sources[].storage.assessment)",
              "来源“{source}”数据出境{important_zh}，但未记录数据出境安全评估或备案材料（“sources[].storage.assessment”）"),
    )
}  # fmt: skip
SENSITIVE_SQL = "SELECT coalesce(sum(sensitive_hits), 0) FROM run_pii_summary"


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Attestations(Check):
    """SRC-11, IP-01, IP-03, IP-04, PI-04, PI-05, ANN-07, DOC-05 from recorded attestations."""

    name: ClassVar[str] = "attestations"
    requirements: ClassVar[tuple[str, ...]] = (
        "SRC-11", "IP-01", "IP-03", "IP-04", "PI-04", "PI-05", "ANN-07", "DOC-05",
    )  # fmt: skip
    codes: ClassVar[tuple[FindingCode, ...]] = tuple(C.values())
    needs: ClassVar[tuple[str, ...]] = ("pii_summary",)

    def check(self, ctx: CheckContext) -> None:
        m = ctx.lm.manifest
        att = m.attestations
        run = ("run", "attestations")
        training = m.service.training_date
        block = att.block_list if att else None
        if block is None:
            ctx.find(C["block_list_not_recorded"], run)
        elif training and block.checked_on > training:
            ctx.find(
                C["block_list_after_training"], run, checked=block.checked_on, training=training
            )
        ip = att.ip_management if att else None
        if ip is None:
            ctx.find(C["ip_management_missing"], run)
        if ip is None or not ip.complaint_channel:
            ctx.find(C["ip_complaint_channel_missing"], run)
        if ip is None or not ip.public_summary:
            ctx.find(C["ip_summary_not_published"], run)
        biometric = self._biometric(ctx)
        self._impact(ctx, biometric, training)
        for ds in m.datasets:
            ann = ds.annotation
            safety = ann is not None and any(r.kind == "safety" for r in ann.rules)
            if safety and not (ann and ann.safety_storage and ann.safety_storage.isolated):
                ctx.find(C["safety_annotations_not_isolated"], ("dataset", ds.id), dataset=ds.id)
        for _, src in m.sources():
            self._storage(ctx, src)

    def _biometric(self, ctx: CheckContext) -> bool:
        """PI-04: image, audio and video sources need a recorded legal basis."""
        found = False
        for ds, src in ctx.lm.manifest.sources():
            if ds.modality in BIOMETRIC_MODALITIES:
                found = True
                if src.legal_basis in (None, "none"):
                    subject = ("source", src.id)
                    ctx.find(
                        C["biometric_without_basis"], subject, source=src.id, modality=ds.modality
                    )
        return found

    def _impact(self, ctx: CheckContext, biometric: bool, training: dt.date | None) -> None:
        """PI-05: an impact assessment when sensitive or biometric PI is processed."""
        pia = (
            ctx.lm.manifest.attestations.pi_impact_assessment
            if ctx.lm.manifest.attestations
            else None
        )
        run = ("run", "pi_impact_assessment")
        if pia is None:
            (sensitive,) = ctx.sql(SENSITIVE_SQL, [])[0]
            if biometric or sensitive:
                ctx.find(C["pi_impact_assessment_missing"], run, {"sensitive_hits": int(sensitive)})
            return
        if pia.retain_until < _years_after(pia.completed_on, RETENTION_YEARS):
            ctx.find(
                C["pi_impact_assessment_retention"],
                run,
                id=pia.id,
                until=pia.retain_until,
                done=pia.completed_on,
            )
        if training and pia.completed_on > training:
            ctx.find(
                C["pi_impact_assessment_late"],
                run,
                id=pia.id,
                done=pia.completed_on,
                training=training,
            )

    def _storage(self, ctx: CheckContext, src: Any) -> None:
        """DOC-05: storage flags per source; data leaving China needs its assessment."""
        st = src.storage
        if st is None:
            ctx.find(C["storage_not_recorded"], ("source", src.id), source=src.id)
        elif st.cross_border and not st.assessment:
            ctx.find(
                C["cross_border_without_assessment"], ("source", src.id), source=src.id,
                important=" and is important data" if st.important_data else "",
                important_zh="且属于重要数据" if st.important_data else "",
                severity="blocker" if st.important_data else None,
            )  # fmt: skip
