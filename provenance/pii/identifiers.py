"""Check-digit algorithms of Chinese identifiers, without presidio (cheap to import).

The recognizers' ``validate_result`` and the classification (birth date → minor) use these.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

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


# Unicode decimal digits (category Nd) other than ASCII come in blocks of ten; these are the
# zeros of every block (Unicode 14, Python 3.11; tests/test_pii_international.py checks the
# list against ``unicodedata``). Full-width digits (U+FF10) are common in Chinese web text.
DIGIT_ZEROS = (
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
    0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
)  # fmt: skip
#: full-width forms of the non-digit characters identifiers are written with (+, -, @)
FULLWIDTH_SIGNS = {0xFF0B: "+", 0xFF0D: "-", 0xFF20: "@"}
_TABLE: dict[int, str] = {z + i: str(i) for z in DIGIT_ZEROS for i in range(10)}
_TABLE.update(FULLWIDTH_SIGNS)
#: an RE2 character class of every character :func:`normalise_text` changes
NORMALISED_CLASS = (
    "["
    + "".join(f"\\x{{{z:X}}}-\\x{{{z + 9:X}}}" for z in DIGIT_ZEROS)
    + "".join(f"\\x{{{c:X}}}" for c in FULLWIDTH_SIGNS)
    + "]"
)


# the same class for Python's re: finding none is much cheaper than translating a long text
_NEEDS = re.compile("[" + "".join(f"{chr(z)}-{chr(z + 9)}" for z in DIGIT_ZEROS)
                    + "".join(map(chr, FULLWIDTH_SIGNS)) + "]")  # fmt: skip


def normalise_text(text: str) -> str:
    """Unicode digits (１３８, ١٢٣, …) and full-width ＋ － ＠ as ASCII, one character for one, so
    every offset in the result is the same offset in ``text``; other characters unchanged."""
    if text.isascii() or _NEEDS.search(text) is None:
        return text
    return text.translate(_TABLE)


def normalise_array(texts: Any) -> Any:
    """:func:`normalise_text` over an Arrow string array, in Arrow (one RE2 replacement per digit
    value and sign; ``pyarrow`` is imported by the caller's module already)."""
    import pyarrow.compute as pc

    for d in range(10):
        cls = "[" + "".join(f"\\x{{{z + d:X}}}" for z in DIGIT_ZEROS) + "]"
        texts = pc.replace_substring_regex(texts, cls, str(d))
    for code, sign in FULLWIDTH_SIGNS.items():
        texts = pc.replace_substring(texts, chr(code), sign)
    return texts


#: national phone formats are read as the numbering plans of these regions, by record language
PHONE_REGIONS: dict[str, tuple[str, ...]] = {
    "en": ("US", "GB", "IN", "AU"),
    "zh": ("CN", "HK", "TW", "MO"),
}


def e164(value: str) -> str | None:
    """The E.164 form of a phone number as written (+14045731797): a national form is read in
    the regions of :data:`PHONE_REGIONS` in order, the first where it is valid; None if none."""
    import phonenumbers  # only when a phone number is hashed or looked up

    for regions in PHONE_REGIONS.values():
        for region in regions:
            try:
                number = phonenumbers.parse(value, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None
