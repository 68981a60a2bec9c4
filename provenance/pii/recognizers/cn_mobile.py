"""Mainland mobile numbers: 11 digits 1[3-9]…, optional +86 / 0086, optional - or space groups.
Format only (no check digit), so the base score is low and context words raise it."""

from __future__ import annotations

from typing import ClassVar

from provenance.pii.recognizers.base import ProvenanceRecognizer, R


class CnMobileRecognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "CN_MOBILE"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        ("mobile", r"(?<![0-9A-Za-z+])(?:(?:\+|00)86[- ]?)?1[3-9]\d{9}" + R, 0.4),
        (
            "mobile_grouped",
            r"(?<![0-9A-Za-z+])(?:(?:\+|00)86[- ]?)?1[3-9]\d[- ]\d{4}[- ]\d{4}" + R,
            0.4,
        ),
    ]
    DIGIT_ANCHORED: ClassVar[bool] = True
    REQUIRES: ClassVar[str | None] = r"1[3-9]\d{9}|1[3-9]\d[- ]\d{4}"
    CONTEXT: ClassVar[list[str]] = [
        "手机",
        "电话",
        "联系",
        "致电",
        "mobile",
        "phone",
        "tel",
        "call",
    ]
