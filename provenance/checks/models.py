"""SRC-12: foundation models have a lawful source; third-party ones in a public service are filed.

TC260-003 §6: a service built on a third-party foundation model uses one already filed with
the competent authority (a CAC filing number such as 网信算备…).
"""

from __future__ import annotations

import re
from typing import ClassVar

from provenance.checks.base import Check, CheckContext
from provenance.findings import FindingCode

# Algorithm filing: 网信算备 + digits (+号); generative-AI service filing: Province-Name-YYYYMMDD.
# Formats are from practitioner sources [M in REGULATION.md], so a mismatch is only "low".
_FILING = re.compile(r"^(网信算备\d{12,24}号?|[A-Z][A-Za-z]+-[A-Za-z0-9]+-\d{8})$")

NO_LICENSE = FindingCode(
    "model_without_license",
    "SRC-12",
    "7(1)",
    "high",
    en="foundation model '{model}' declares no licence",
    zh="基础模型“{model}”未声明许可证",
)
NO_SOURCE = FindingCode(
    "model_without_source",
    "SRC-12",
    "7(1)",
    "medium",
    en="foundation model '{model}' declares no source (URL of its release or provider agreement)",
    zh="基础模型“{model}”未声明来源（发布地址或提供方协议）",
)
NOT_FILED = FindingCode(
    "model_not_filed",
    "SRC-12",
    "7(1)",
    "high",
    en="third-party foundation model '{model}' of public service '{service}' has no CAC filing number",
    zh="面向公众服务“{service}”所用第三方基础模型“{model}”缺少网信办备案号",
)
ODD_FILING = FindingCode(
    "model_filing_number_format",
    "SRC-12",
    "7(1)",
    "low",
    en="foundation model '{model}': filing number '{number}' does not look like a CAC filing number (网信算备…)",
    zh="基础模型“{model}”：备案号“{number}”不符合网信办备案号格式（网信算备……）",
)


class FoundationModels(Check):
    """Licence, source and filing number of each foundation model."""

    name: ClassVar[str] = "foundation_models"
    requirements: ClassVar[tuple[str, ...]] = ("SRC-12",)
    codes: ClassVar[tuple[FindingCode, ...]] = (
        NO_LICENSE,
        NO_SOURCE,
        NOT_FILED,
        ODD_FILING,
    )

    def check(self, ctx: CheckContext) -> None:
        service = ctx.lm.manifest.service
        for m in ctx.lm.manifest.foundation_models:
            subject = ("model", m.id)
            if not m.license:
                ctx.find(NO_LICENSE, subject, model=m.id)
            if not m.source_url:
                ctx.find(NO_SOURCE, subject, model=m.id)
            if m.third_party and service.intended_use == "public_service":
                if not m.filing_number:
                    ctx.find(NOT_FILED, subject, model=m.id, service=service.name)
                elif not _FILING.match(m.filing_number.replace(" ", "")):
                    ctx.find(
                        ODD_FILING,
                        subject,
                        {"filing_number": m.filing_number},
                        model=m.id,
                        number=m.filing_number,
                    )
