"""Resident identity card number (公民身份号码, GB 11643-1999): 18 characters, MOD 11-2 check.

Valid = the check character matches and the birth date is a real date. The region code is not
checked (python-stdnum's region table rejects valid newer codes); codes 81/82/83 belong to the
HK/Macao/Taiwan residence permits and are left to that recognizer. The legacy 15-digit form has
no check digit and is not detected (too many false positives in corpora).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from provenance.pii.recognizers.base import L, ProvenanceRecognizer, R

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def ric_checksum_ok(value: str) -> bool:
    """MOD 11-2 check character and a real YYYYMMDD birth date."""
    v = value.upper()
    if len(v) != 18 or not v[:17].isdigit():
        return False
    if CHECK[sum(int(c) * w for c, w in zip(v[:17], WEIGHTS, strict=True)) % 11] != v[17]:
        return False
    try:
        dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return False
    return True


def birth_date(value: str) -> dt.date | None:
    """Birth date encoded in a valid 18-character ID number."""
    return (
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        if ric_checksum_ok(value)
        else None
    )


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
