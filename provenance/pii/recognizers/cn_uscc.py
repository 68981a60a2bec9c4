"""Unified Social Credit Code (统一社会信用代码, GB 32100-2015): 18 characters, mod-31 check.

An organisation identifier, normally not personal information; prefix 92 (个体工商户) points to
an individual. All-digit strings are left alone: they are ID numbers far more often.
"""

from __future__ import annotations

from typing import ClassVar

from provenance.pii.identifiers import ric_checksum_ok, uscc_ok
from provenance.pii.recognizers.base import L, ProvenanceRecognizer, R


class CnUsccRecognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "CN_USCC"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        ("uscc", L + r"[1-9A-HJ-NPQRTUWXY][1-9]\d{6}[0-9A-HJ-NPQRTUWXY]{10}" + R, 0.2),
    ]
    DIGIT_ANCHORED: ClassVar[bool] = True
    REQUIRES: ClassVar[str | None] = r"\d{7}"
    CONTEXT: ClassVar[list[str]] = ["统一社会信用代码", "信用代码", "营业执照", "credit code"]

    def validate_result(self, pattern_text: str) -> bool:
        return uscc_ok(pattern_text)

    def invalidate_result(self, pattern_text: str) -> bool:
        # An all-digit 18-character string is far more often an ID number (or a mistyped one)
        # than a USCC; requiring a letter trades a little USCC recall for no ID confusion.
        return ric_checksum_ok(pattern_text) or pattern_text.isdigit()
