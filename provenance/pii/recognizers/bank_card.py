"""Payment card numbers (银行卡号) of every major scheme, Luhn-checked.

Each scheme in its own length and grouping, digits contiguous or grouped with spaces or dashes:
UnionPay 62 (16-19), Visa 4 (16), Mastercard 51-55 and 2221-2720 (16), American Express 34/37
(15, grouped 4-6-5), Discover 6011/644-649/65 (16), JCB 3528-3589 (16), Diners Club 300-305/36/38
(14, grouped 4-6-4). Financial accounts are sensitive personal information (PIPL Art. 28).
Lengths 17-18 are never matched, so an 18-digit ID number is never a "card".
"""

from __future__ import annotations

from typing import ClassVar

from provenance.pii.identifiers import luhn_ok
from provenance.pii.recognizers.base import L, ProvenanceRecognizer, R

_S = "[ -]?"  # an optional group separator
_SIXTEEN = rf"(?:{_S}\d{{4}}){{3}}"  # the three groups after a 4-digit scheme prefix


class BankCardRecognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "BANK_CARD"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        ("unionpay", L + r"62\d{14}(?:\d{3})?" + R, 0.3),
        ("unionpay_grouped", L + r"62\d{2}(?:[ -]\d{4}){3}(?:[ -]?\d{3})?" + R, 0.3),
        (
            "visa_mc",
            L + r"(?:4\d{3}|5[1-5]\d{2}|2(?:2[2-9]\d|[3-6]\d{2}|7[01]\d|720))" + _SIXTEEN + R,
            0.3,
        ),
        ("amex", L + rf"3[47]\d{{2}}{_S}\d{{6}}{_S}\d{{5}}" + R, 0.3),
        ("discover", L + r"(?:6011|64[4-9]\d|65\d{2})" + _SIXTEEN + R, 0.3),
        ("jcb", L + r"35(?:2[89]|[3-8]\d)" + _SIXTEEN + R, 0.3),
        ("diners", L + rf"3(?:0[0-5]\d|[68]\d{{2}}){_S}\d{{6}}{_S}\d{{4}}" + R, 0.3),
    ]
    DIGIT_ANCHORED: ClassVar[bool] = True
    REQUIRES: ClassVar[str | None] = r"\d{4}[ -]?\d{4}"
    CONTEXT: ClassVar[list[str]] = [
        "银行卡",
        "卡号",
        "账号",
        "储蓄卡",
        "信用卡",
        "card",
        "account",
        "visa",
        "mastercard",
        "amex",
    ]

    def validate_result(self, pattern_text: str) -> bool:
        return luhn_ok(pattern_text)
