"""Chinese ordinary passports: E + 8 digits, E + letter + 7 digits, G + 8 digits (older).
No public check digit: format only, low base score, raised by context words."""

from __future__ import annotations

from typing import ClassVar

from provenance.pii.recognizers.base import L, ProvenanceRecognizer, R


class CnPassportRecognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "CN_PASSPORT"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        ("passport", L + r"(?:E[A-HJ-NP-Z0-9]\d{7}|G\d{8})" + R, 0.1),
    ]
    DIGIT_ANCHORED: ClassVar[bool] = True
    REQUIRES: ClassVar[str | None] = r"\d{7}"
    CONTEXT: ClassVar[list[str]] = ["护照", "passport"]
