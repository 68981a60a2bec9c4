"""The PII prefilter, without presidio (cheap to import): an RE2 superset of every recognizer.

The fast path (:mod:`provenance.pii.fast`) and the protection of record keys and URLs
(:mod:`provenance.pii.keys`) share it, so a key or URL is skipped only when no recognizer could
match it. It runs on the raw text in Arrow's RE2, where ``\\d`` is ASCII only, while the
recognizers see Unicode digits as ASCII (:func:`provenance.pii.identifiers.normalise_text`): a
record with any character that normalisation changes passes, and for every other record the
raw text is the text the recognizers see. tests/test_pii_international.py checks the superset
with RE2 itself.
"""

from __future__ import annotations

from provenance.pii.identifiers import NORMALISED_CLASS
from provenance.pii.sensitive import terms_regex

_HEX = "[0-9A-Fa-f]"
# Superset of every recognizer pattern (see provenance/pii/fast.py and tests/test_pii_fast.py):
# 7 digits (IDs, cards, mobiles, passports); 3+4 grouped (grouped mobiles and cards); @ (e-mail);
# dotted quads (IPv4); a phone's shape (+digit, (area code), 3+3 grouped: recognizers/phone.py);
# IPv6 ("::" or four colon groups: recognizers/ipv6.py); the label cues of names and addresses;
# the terms of the sensitive categories.
PREFILTER = (
    r"\d{7}|\d{3}[- ]\d{4}|@|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"
    r"|\+\(?\d|\(\d{1,5}\)|\d{3}[ .\-]\d{3}"
    rf"|::|{_HEX}:{_HEX}{{1,4}}:{_HEX}{{1,4}}:{_HEX}"
    r"|姓名|联系人|收件人|收货人|户主|患者|法定代表人|监护人|地址|住址"
    rf"|{NORMALISED_CLASS}"
    # the sensitive categories' terms (schemas/sensitive_terms.toml), any case
    f"|{terms_regex()}"
)


def combined(custom_prefilters: list[str | None]) -> str | None:
    """The prefilter with custom patterns' own; None when one has none (nothing can be skipped)."""
    if any(p is None for p in custom_prefilters):
        return None
    return "|".join([PREFILTER, *(f"(?:{p})" for p in custom_prefilters if p)])
