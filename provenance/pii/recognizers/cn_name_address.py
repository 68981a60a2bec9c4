"""Names and addresses cued by a Chinese label (姓名：张三, 联系人：王先生, 住址：…).

Without an NER model the label is the evidence: the span is the Han text right after it.
"""

from __future__ import annotations

from typing import ClassVar

from provenance.pii.recognizers.base import ProvenanceRecognizer

_NAME_CUE = r"(?:姓名|联系人|收件人|收货人|户主|患者|法定代表人|监护人)"
_ADDR_CUE = r"(?:住址|家庭住址|收货地址|通讯地址|居住地址|户籍地址|地址)"
#: every character Python's ``\s`` matches (re and regex), written so that RE2 reads it alike:
#: the guards (label, colon, first character) run per batch in RE2, and 地址 alone is in a
#: third of news records (tests/test_pii_fast.py checks the class against both Python engines)
WHITESPACE = r"[\t\n\v\f\r\x1c-\x20\x85\xa0" + "\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
# a bare 地址 after these is an address on a network or in memory, not where someone lives
# (下载地址： is common in forum and Weibo posts)
_NOT_HOME = (
    r"(?<!下载|链接|网站|网页|网络|网盘|博客|视频|播放|直播|邮件|邮箱|电邮|服务器|官网|IP|MAC|内存)"
)
_ADDR_LABEL = r"(?:住址|家庭住址|收货地址|通讯地址|居住地址|户籍地址|" + _NOT_HOME + r"地址)"


class CnNameRecognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "PERSON"
    REQUIRES: ClassVar[str | None] = _NAME_CUE + f"{WHITESPACE}*[:：]{WHITESPACE}*[\u4e00-\u9fff·]"
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        ("cued_name", r"(?<=" + _NAME_CUE + r"\s*[:：]\s*)[\u4e00-\u9fff·]{2,4}", 0.6),
    ]


class CnAddressRecognizer(ProvenanceRecognizer):
    ENTITY: ClassVar[str] = "LOCATION"
    # the label, its colon and the address's first character (地址：http… is a link)
    REQUIRES: ClassVar[str | None] = (
        _ADDR_CUE + f"{WHITESPACE}*[:：]{WHITESPACE}*[\u4e00-\u9fff0-9\\-]"
    )
    PATTERNS: ClassVar[list[tuple[str, str, float]]] = [
        ("cued_address", r"(?<=" + _ADDR_LABEL + r"\s*[:：]\s*)[\u4e00-\u9fff0-9\-]{4,40}", 0.6),
    ]
