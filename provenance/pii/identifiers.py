"""Check-digit algorithms of Chinese identifiers, without presidio (cheap to import).

The recognizers' ``validate_result`` and the classification (birth date → minor) use these.
"""

from __future__ import annotations

import datetime as dt

RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def ric_checksum_ok(value: str) -> bool:
    """GB 11643 resident ID: MOD 11-2 check character and a real YYYYMMDD birth date."""
    v = value.upper()
    if len(v) != 18 or not v[:17].isdigit():
        return False
    if RIC_CHECK[sum(int(c) * w for c, w in zip(v[:17], RIC_WEIGHTS, strict=True)) % 11] != v[17]:
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


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check over the digits of ``digits`` (at least 12 of them)."""
    ds = [int(c) for c in digits if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(ds)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return len(ds) >= 12 and total % 10 == 0


def uscc_ok(value: str) -> bool:
    """GB 32100 Unified Social Credit Code: mod-31 check character."""
    v = value.upper()
    if len(v) != 18 or any(c not in USCC_ALPHABET for c in v):
        return False
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(v[:17], USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31] == v[17]
