"""The PII prefilter, without presidio (cheap to import): an RE2 superset of every recognizer.

The fast path (:mod:`provenance.pii.fast`) and the protection of record keys and URLs
(:mod:`provenance.pii.keys`) share it, so a key or URL is skipped only when no recognizer could
match it.
"""

from __future__ import annotations

# Superset of every recognizer pattern (see provenance/pii/fast.py and tests/test_pii_fast.py).
PREFILTER = (
    r"\d{7}|\d{3}[- ]\d{4}|@|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"
    r"|姓名|联系人|收件人|收货人|户主|患者|法定代表人|监护人|地址|住址"
)


def combined(custom_prefilters: list[str | None]) -> str | None:
    """The prefilter with custom patterns' own; None when one has none (nothing can be skipped)."""
    if any(p is None for p in custom_prefilters):
        return None
    return "|".join([PREFILTER, *(f"(?:{p})" for p in custom_prefilters if p)])
