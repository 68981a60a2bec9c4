"""IPv6 addresses, validated by Python's ``ipaddress``: full, compressed (2001:db8::f63c) and
IPv4-mapped (::ffff:192.0.2.128) forms.

Times (12:30:45) and MAC addresses (00:1a:2b:3c:4d:5e) are not valid IPv6 addresses and fail
validation; so do C++ scopes (std::vector). An address needs at least three non-empty groups
(``::1`` and ``fe80::`` say nothing about a person).
"""

from __future__ import annotations

import ipaddress
from typing import ClassVar

from provenance.pii.recognizers.base import ProvenanceRecognizer

_H = "[0-9A-Fa-f]"
_V4 = r"\d{1,3}(?:\.\d{1,3}){3}"


class Ipv6Recognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "IP_ADDRESS"
    # every valid address with three groups has "::" or four consecutive groups
    REQUIRES: ClassVar[str | None] = rf"::|{_H}:{_H}{{1,4}}:{_H}{{1,4}}:{_H}"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        (
            "ipv6",
            rf"(?<![0-9A-Fa-f:.])(?:{_H}{{0,4}}:){{2,7}}(?:{_V4}|{_H}{{0,4}})(?![0-9A-Za-z:]|\.\d)",
            0.6,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["ip", "ipv6", "地址", "address", "host"]

    def validate_result(self, pattern_text: str) -> bool:
        if sum(1 for g in pattern_text.replace(".", ":").split(":") if g) < 3:
            return False
        if not any(c.isdigit() for c in pattern_text):
            return False  # all-letter hex words (dead:beef:cafe::) are not addresses in text
        try:
            return isinstance(ipaddress.ip_address(pattern_text), ipaddress.IPv6Address)
        except ValueError:
            return False
