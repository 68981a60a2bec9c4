"""Table-driven tests per recognizer: valid, invalid check digit, glued to Chinese, inside URLs."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from provenance.pii.engine import build_analyzer
from provenance.pii.nlp import guess_language
from tests.pii_corpus import W

VALID_RIC = (
    "11010519900307123"
    + "10X98765432"[sum(int(c) * w for c, w in zip("11010519900307123", W, strict=False)) % 11]
)
BAD_RIC = VALID_RIC[:-1] + ("0" if VALID_RIC[-1] != "0" else "1")
HK_PERMIT = (
    "81000019900307123"
    + "10X98765432"[sum(int(c) * w for c, w in zip("81000019900307123", W, strict=False)) % 11]
)
CARD = "6222021234567890128"  # 19 digits, Luhn-valid
VISA = "4111111111111111"

CASES: list[tuple[str, str, str | None]] = [
    # (entity, text, expected matched value or None)
    ("CN_RESIDENT_ID", f"身份证号{VALID_RIC}，请核对", VALID_RIC),
    ("CN_RESIDENT_ID", f"ID card: {VALID_RIC}.", VALID_RIC),
    ("CN_RESIDENT_ID", f"https://x.example.cn/u?id={VALID_RIC}&t=1", VALID_RIC),
    ("CN_RESIDENT_ID", f"身份证号{BAD_RIC}，", None),
    ("CN_RESIDENT_ID", "编号110105199013457123", None),  # month 13
    ("CN_RESIDENT_ID", f"订单{VALID_RIC}9", None),  # 19 digits: not an ID
    ("CN_RESIDENCE_PERMIT", f"居住证号码{HK_PERMIT}。", HK_PERMIT),
    ("CN_RESIDENT_ID", f"居住证号码{HK_PERMIT}。", None),
    ("CN_MOBILE", "手机：13812345678，欢迎来电", "13812345678"),
    ("CN_MOBILE", "手机13812345678", "13812345678"),
    ("CN_MOBILE", "call +86 13812345678 now", "+86 13812345678"),
    ("CN_MOBILE", "电话138-1234-5678。", "138-1234-5678"),
    ("CN_MOBILE", "https://example.com/?tel=13812345678", "13812345678"),
    ("CN_MOBILE", "单号12812345678", None),  # 12x is not a mobile prefix
    ("CN_MOBILE", "流水号2138123456789", None),  # inside a longer number
    ("BANK_CARD", f"银行卡{CARD}，", CARD),
    ("BANK_CARD", f"card {VISA} exp", VISA),
    ("BANK_CARD", "卡号6222 0212 3456 7890 128", "6222 0212 3456 7890 128"),
    ("BANK_CARD", "银行卡6222021234567890127，", None),  # Luhn fails
    ("BANK_CARD", f"编号{VALID_RIC}", None),  # 18 digits are never a card
    ("CN_USCC", "统一社会信用代码91350100M000100Y43。", "91350100M000100Y43"),
    ("CN_USCC", "信用代码91350100M000100Y44", None),  # wrong check character
    ("CN_USCC", f"代码{VALID_RIC}", None),  # an ID number, not a USCC
    ("CN_PASSPORT", "护照号E12345678，", "E12345678"),
    ("CN_PASSPORT", "passport EA1234567", "EA1234567"),
    ("CN_PASSPORT", "型号XE123456789", None),
    ("CN_TRAVEL_PERMIT", "通行证C12345678", "C12345678"),
    ("CN_TRAVEL_PERMIT", "回乡证H1234567801。", "H1234567801"),
    ("PERSON", "联系人：王小明，电话", "王小明"),
    ("PERSON", "姓名:李四", "李四"),
    ("PERSON", "王小明是一位作家", None),
    ("LOCATION", "住址：北京市朝阳区建国路88号，", "北京市朝阳区建国路88号"),
    ("LOCATION", "IP地址：10.0.0.1", None),
    # Weibo dev set (../shared/eval/ner): a download link's label, not a home address
    ("LOCATION", "听歌：下载地址：唐家璇在贺电中指出", None),
    ("LOCATION", "网站地址：北京市朝阳区建国路", None),
    ("LOCATION", "地址：杭州市西湖区文三路", "杭州市西湖区文三路"),
    ("EMAIL_ADDRESS", "邮箱abc.def@example.com，谢谢", "abc.def@example.com"),
    ("EMAIL_ADDRESS", "mail me: x_y+z@mail.example.cn.", "x_y+z@mail.example.cn"),
    ("EMAIL_ADDRESS", "not an email: a@b", None),
    ("IP_ADDRESS", "登录IP192.168.10.20，", "192.168.10.20"),
    ("IP_ADDRESS", "server at 8.8.8.8.", "8.8.8.8"),
    ("IP_ADDRESS", "版本1.2.3.4.5发布", None),
    ("IP_ADDRESS", "address 300.1.1.1", None),
]


@pytest.fixture(scope="module")
def analyzer() -> AnalyzerEngine:
    return build_analyzer()


@pytest.mark.parametrize(
    ("entity", "text", "expected"), CASES, ids=[f"{c[0]}:{c[1][:24]}" for c in CASES]
)
def test_recognizer(analyzer: AnalyzerEngine, entity: str, text: str, expected: str | None) -> None:
    results = analyzer.analyze(text, language=guess_language(text), entities=[entity])
    found = [text[r.start : r.end] for r in results]
    if expected is None:
        assert found == []
    else:
        assert found == [expected]


def test_context_words_raise_scores(analyzer: AnalyzerEngine) -> None:
    """A blank pipeline's lemmas are empty; ours fall back to the token text, so context works."""
    plain = analyzer.analyze("号码 13812345678", language="zh", entities=["CN_MOBILE"])[0].score
    cued = analyzer.analyze("联系手机13812345678", language="zh", entities=["CN_MOBILE"])[0].score
    assert cued > plain
    en_plain = analyzer.analyze("number 13812345678", language="en", entities=["CN_MOBILE"])[
        0
    ].score
    en_cued = analyzer.analyze("my phone is 13812345678", language="en", entities=["CN_MOBILE"])[
        0
    ].score
    assert en_cued > en_plain


def test_named_model_that_is_missing_is_a_clear_error() -> None:
    from provenance.errors import BadInput

    with pytest.raises(BadInput, match="pip install en_core_web_nonexistent"):
        build_analyzer({"en": "en_core_web_nonexistent"})
