"""Residence permits for HK/Macao/Taiwan residents (810000/820000/830000) and the 2023 Foreign
Permanent Resident ID Card (first digit 9): the resident-ID scheme and its MOD 11-2 check."""

from __future__ import annotations

from typing import ClassVar

from provenance.pii.identifiers import ric_checksum_ok
from provenance.pii.recognizers.base import L, ProvenanceRecognizer, R


class CnResidencePermitRecognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "CN_RESIDENCE_PERMIT"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        (
            "hmt_permit",
            L + r"8[123]0000(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]" + R,
            0.3,
        ),
        (
            "foreign_pr_2023",
            L + r"9\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]" + R,
            0.3,
        ),
    ]
    DIGIT_ANCHORED: ClassVar[bool] = True
    REQUIRES: ClassVar[str | None] = r"\d{17}"
    CONTEXT: ClassVar[list[str]] = ["居住证", "永久居留", "residence permit", "permanent resident"]

    def validate_result(self, pattern_text: str) -> bool:
        return ric_checksum_ok(pattern_text)
