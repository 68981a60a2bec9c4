"""SRC-12: foundation models have a lawful source; third-party ones in a public service are filed.

TC260-003 §6: a service built on a third-party foundation model uses one already filed with
the competent authority (a CAC filing number such as 网信算备…).
"""

from __future__ import annotations

import re
from typing import ClassVar

from provenance.checks.base import Check, CheckContext
from provenance.findings import Message

# Algorithm filing: 网信算备 + digits (+号); generative-AI service filing: Province-Name-YYYYMMDD.
# Formats are from practitioner sources [M in REGULATION.md], so a mismatch is only "low".
_FILING = re.compile(r"^(网信算备\d{12,24}号?|[A-Z][A-Za-z]+-[A-Za-z0-9]+-\d{8})$")

NO_LICENSE = Message(
    en="foundation model '{model}' declares no licence",
    zh="基础模型“{model}”未声明许可证",
)
NO_SOURCE = Message(
    en="foundation model '{model}' declares no source (URL of its release or provider agreement)",
    zh="基础模型“{model}”未声明来源（发布地址或提供方协议）",
)
NOT_FILED = Message(
    en="third-party foundation model '{model}' of public service '{service}' has no CAC filing number",
    zh="面向公众服务“{service}”所用第三方基础模型“{model}”缺少网信办备案号",
)
ODD_FILING = Message(
    en="foundation model '{model}': filing number '{number}' does not look like a CAC filing number (网信算备…)",
    zh="基础模型“{model}”：备案号“{number}”不符合网信办备案号格式（网信算备……）",
)


class FoundationModels(Check):
    """Licence, source and filing number of each foundation model."""

    name: ClassVar[str] = "foundation_models"
    requirements: ClassVar[tuple[str, ...]] = ("SRC-12",)

    def check(self, ctx: CheckContext) -> None:
        service = ctx.lm.manifest.service
        for m in ctx.lm.manifest.foundation_models:
            subject = ("model", m.id)
            if not m.license:
                self.find(
                    "SRC-12",
                    "7(1)",
                    "high",
                    subject,
                    "model_without_license",
                    NO_LICENSE,
                    model=m.id,
                )
            if not m.source_url:
                self.find(
                    "SRC-12",
                    "7(1)",
                    "medium",
                    subject,
                    "model_without_source",
                    NO_SOURCE,
                    model=m.id,
                )
            if m.third_party and service.intended_use == "public_service":
                if not m.filing_number:
                    self.find(
                        "SRC-12",
                        "7(1)",
                        "high",
                        subject,
                        "model_not_filed",
                        NOT_FILED,
                        model=m.id,
                        service=service.name,
                    )
                elif not _FILING.match(m.filing_number.replace(" ", "")):
                    self.find(
                        "SRC-12",
                        "7(1)",
                        "low",
                        subject,
                        "model_filing_number_format",
                        ODD_FILING,
                        {"filing_number": m.filing_number},
                        model=m.id,
                        number=m.filing_number,
                    )
