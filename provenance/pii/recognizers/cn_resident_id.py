"""Resident identity card number (公民身份号码, GB 11643-1999): 18 characters, MOD 11-2 check.

Valid = the check character matches and the birth date is a real date. The region code is not
checked (python-stdnum's region table rejects valid newer codes); codes 81/82/83 belong to the
HK/Macao/Taiwan residence permits and are left to that recognizer. The legacy 15-digit form has
no check digit and is not detected (too many false positives in corpora).
"""

from __future__ import annotations

from typing import ClassVar

from provenance.pii.identifiers import birth_date, ric_checksum_ok
from provenance.pii.recognizers.base import L, ProvenanceRecognizer, R

__all__ = ["CnResidentIdRecognizer", "birth_date", "ric_checksum_ok"]


class CnResidentIdRecognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "CN_RESIDENT_ID"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        (
            "ric_18",
            L
            + r"[1-8]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]"
            + R,
            0.3,
        ),
    ]
    DIGIT_ANCHORED: ClassVar[bool] = True
    REQUIRES: ClassVar[str | None] = r"\d{17}"
    CONTEXT: ClassVar[list[str]] = [
        "身份证",
        "身份证号",
        "证件号",
        "公民身份",
        "id card",
        "identity",
    ]

    def validate_result(self, pattern_text: str) -> bool:
        return ric_checksum_ok(pattern_text)

    def invalidate_result(self, pattern_text: str) -> bool:
        return pattern_text[:2] in ("81", "82", "83")
