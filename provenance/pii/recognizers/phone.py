"""Phone numbers of every country, through the ``phonenumbers`` library (as presidio's own
PhoneRecognizer): international (+1 404 573 1797, +44 20 7946 0958, +81 3-1234-5678) and the
national forms of the regions the record's language points to ((646) 351-4729 and 212-831-9567
in English text; 010-12345678, 2123 4567, (02) 2345-6789 in Chinese text).

The regex only finds candidates (digit groups, optional +country code or (area code)); each
candidate is handed to ``PhoneNumberMatcher`` with ``Leniency.VALID`` for each hinted region,
which finds the exact numbers inside it that are valid for their region's numbering plan (with
the national prefix where the plan requires one; the regions are tried in order until one
reads the whole candidate, a + form is read once). A result must also carry a phone's shape: a
+, an (area code), or two groups of three digits or more — so dates (2026-11-23), times,
versions and ISBN-like groups stay out, and the prefilter (:mod:`provenance.pii.prefilter`)
stays a superset. Mainland mobile numbers are left to :class:`CnMobileRecognizer` (CN_MOBILE).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar

from phonenumbers import Leniency, PhoneNumberMatcher

from provenance.pii.identifiers import PHONE_REGIONS
from provenance.pii.recognizers.base import ProvenanceRecognizer

REGIONS = PHONE_REGIONS
#: what every reported number contains (the prefilter holds the same alternatives)
PHONE_SHAPE = r"\+\(?\d|\(\d{1,5}\)|\d{3}[ .\-]\d{3}"
_SHAPE = re.compile(PHONE_SHAPE)
_CN_MOBILE = re.compile(r"1[3-9]\d{9}")
_G = r"\(?\d{1,6}\)?"  # a group, maybe in parentheses


class PhoneRecognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "PHONE_NUMBER"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        (
            "phone_candidate",
            r"(?<![0-9A-Za-z+.\-/:_@])(?:\+\(?\d{1,4}\)?[ .\-]?|\(\d{1,5}\)[ .\-]?)?"
            rf"\d{{1,15}}(?:[ .\-]{{0,2}}(?:\(0\)[ .\-]?)?{_G}){{0,6}}"
            r"(?![0-9A-Za-z]|[.\-/:]\d)",
            0.4,
        ),
    ]
    DIGIT_ANCHORED: ClassVar[bool] = True
    REQUIRES: ClassVar[str | None] = PHONE_SHAPE
    CONTEXT: ClassVar[list[str]] = [
        "phone",
        "tel",
        "telephone",
        "mobile",
        "call",
        "fax",
        "电话",
        "手机",
        "联系",
        "致电",
        "传真",
    ]

    def refine(self, text: str, start: int, end: int) -> list[tuple[int, int]] | None:
        """Valid numbers inside a candidate, for the record language's regions."""
        return [
            (start + a, start + b) for a, b in _numbers(text[start:end], self.supported_language)
        ]


@lru_cache(maxsize=65_536)
def _numbers(cand: str, lang: str) -> tuple[tuple[int, int], ...]:
    """Spans of the valid numbers in a candidate (cached: presidio's window analysis asks again
    for what the fast path's scan already found, and corpora repeat themselves)."""
    digits = sum(c.isdigit() for c in cand)
    international = "+" in cand
    # a national number of the hinted regions has at most 12 digits: a longer candidate
    # without + is a card, an ISBN or an id, not worth the matcher's inner-match search
    if digits < 7 or (not international and digits > 12) or not _SHAPE.search(cand):
        return ()
    spans: dict[tuple[int, int], None] = {}
    # with a +, the number says its country: one region reads it as well as any
    for region in REGIONS.get(lang, REGIONS["en"])[: 1 if international else None]:
        for m in PhoneNumberMatcher(cand, region, leniency=Leniency.VALID):
            number = m.number
            if number.country_code == 86 and _CN_MOBILE.fullmatch(str(number.national_number)):
                continue  # a mainland mobile: CN_MOBILE's
            if _SHAPE.search(m.raw_string):
                spans[(m.start, m.end)] = None
        if (0, len(cand)) in spans:
            break  # read whole: no other region can read it longer
    # one number per place: the longest of overlapping readings, the earliest first
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not out or a >= out[-1][1]:
            out.append((a, b))
    return tuple(out)
