"""Travel permits: Exit-Entry Permit to HK/Macao (C + 8 digits, or C + letter + 7 digits) and
the Home Return Permit (H/M + 8 digits, optionally + 2-digit renewal count). Format only."""

from __future__ import annotations

from typing import ClassVar

from provenance.pii.recognizers.base import L, ProvenanceRecognizer, R


class CnTravelPermitRecognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "CN_TRAVEL_PERMIT"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        ("exit_entry", L + r"C[A-HJ-NP-Z0-9]\d{7}" + R, 0.1),
        ("home_return", L + r"[HM]\d{8}(?:\d{2})?" + R, 0.1),
    ]
    DIGIT_ANCHORED: ClassVar[bool] = True
    REQUIRES: ClassVar[str | None] = r"\d{7}"
    CONTEXT: ClassVar[list[str]] = ["通行证", "回乡证", "港澳", "permit"]
