"""Bank card numbers (银行卡号): UnionPay 62… of 16 or 19 digits, Visa / Mastercard of 16; Luhn.

Financial accounts are sensitive personal information (PIPL Art. 28). Lengths 17-18 are not
matched, so an 18-digit ID number (or a decoy with a wrong check digit) is never a "card".
"""

from __future__ import annotations

from typing import ClassVar

from provenance.pii.identifiers import luhn_ok
from provenance.pii.recognizers.base import L, ProvenanceRecognizer, R


class BankCardRecognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "BANK_CARD"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        ("unionpay", L + r"62\d{14}(?:\d{3})?" + R, 0.3),
        ("unionpay_grouped", L + r"62\d{2}(?:[ -]\d{4}){3}(?:[ -]?\d{3})?" + R, 0.3),
        (
            "visa_mc",
            L + r"(?:4\d{3}|5[1-5]\d{2}|2(?:2[2-9]\d|[3-6]\d{2}|7[01]\d|720))(?:[ -]?\d{4}){3}" + R,
            0.3,
        ),
    ]
    DIGIT_ANCHORED: ClassVar[bool] = True
    REQUIRES: ClassVar[str | None] = r"\d{16}|\d{4}[ -]\d{4}"
    CONTEXT: ClassVar[list[str]] = ["银行卡", "卡号", "账号", "储蓄卡", "信用卡", "card", "account"]

    def validate_result(self, pattern_text: str) -> bool:
        return luhn_ok(pattern_text)
