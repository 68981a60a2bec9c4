"""E-mail and IPv4 addresses (IPv6: :mod:`.ipv6`) with boundaries that work next to Chinese text.

presidio's EmailRecognizer validates the domain with tldextract, whose default extractor
downloads the public suffix list; ours uses tldextract's bundled snapshot only (offline).
"""

from __future__ import annotations

import ipaddress
from functools import cache
from typing import ClassVar

import tldextract

from provenance.pii.recognizers.base import ProvenanceRecognizer


@cache
def _offline_extract() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


# not after a digit or dot, nor after v / version / ver. / release / 版本(号), with a space or colon
_NOT_VERSION = r"(?<![0-9.])(?<!(?<![A-Za-z])v)(?<!(?:version|ver\.|release|版本号?)[ :：]{0,2})"


class EmailRecognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "EMAIL_ADDRESS"
    REQUIRES: ClassVar[str | None] = "@"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        (
            "email",
            r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])",
            0.5,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["邮箱", "邮件", "email", "mail"]

    def validate_result(self, pattern_text: str) -> bool:
        return bool(_offline_extract()(pattern_text.rsplit("@", 1)[-1]).suffix)


class IpAddressRecognizer(ProvenanceRecognizer):
    """IPv4 — but not a version string: v1.2.3.4, version 1.2.3.4, 版本 1.2.3.4."""

    ENTITY: ClassVar[str] = "IP_ADDRESS"
    DIGIT_ANCHORED: ClassVar[bool] = True
    REQUIRES: ClassVar[str | None] = r"\d\.\d"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        (
            "ipv4",
            _NOT_VERSION
            + r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\.?\d)",
            0.6,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = ["ip", "地址", "address", "host"]

    def validate_result(self, pattern_text: str) -> bool:
        try:
            ipaddress.ip_address(pattern_text)
        except ValueError:
            return False
        return True
