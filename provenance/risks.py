"""The 31 safety risks of TC260-003 Appendix A (GB/T 45654-2025 Appendix A): codes and names.

Declared once here; annotation rules, keyword libraries, classifier labels and review verdicts
are all checked against these codes (A.1a … A.5b). Names follow the standard's Chinese text,
with our English rendering.
"""

from __future__ import annotations

#: (group, group names (zh, en), risk names (zh, en) in letter order)
_GROUPS: tuple[tuple[int, tuple[str, str], tuple[tuple[str, str], ...]], ...] = (
    (
        1,
        ("违反社会主义核心价值观", "violates core socialist values"),
        (
            ("煽动颠覆国家政权、推翻社会主义制度", "incites subversion of state power"),
            ("危害国家安全和利益、损害国家形象", "endangers national security or image"),
            ("煽动分裂国家、破坏国家统一和社会稳定", "incites secession or social instability"),
            ("宣扬恐怖主义、极端主义", "promotes terrorism or extremism"),
            ("宣扬民族仇恨", "promotes ethnic hatred"),
            ("宣扬暴力、淫秽色情", "promotes violence or pornography"),
            ("传播虚假有害信息", "spreads false and harmful information"),
            ("其他法律、行政法规禁止的内容", "other content prohibited by law"),
        ),
    ),
    (
        2,
        ("歧视性内容", "discriminatory content"),
        (
            ("民族歧视", "ethnic discrimination"),
            ("信仰歧视", "religious discrimination"),
            ("国别歧视", "national discrimination"),
            ("地域歧视", "regional discrimination"),
            ("性别歧视", "gender discrimination"),
            ("年龄歧视", "age discrimination"),
            ("职业歧视", "occupational discrimination"),
            ("健康歧视", "health discrimination"),
            ("其他方面歧视", "other discrimination"),
        ),
    ),
    (
        3,
        ("商业违法违规", "commercial violations"),
        (
            ("侵犯他人知识产权", "infringes intellectual property"),
            ("违反商业道德", "violates business ethics"),
            ("泄露他人商业秘密", "discloses trade secrets"),
            ("利用算法、数据、平台等优势实施垄断和不正当竞争", "monopoly or unfair competition"),
            ("其他商业违法违规行为", "other commercial violations"),
        ),
    ),
    (
        4,
        ("侵犯他人合法权益", "infringes others' lawful rights"),
        (
            ("危害他人身心健康", "endangers physical or mental health"),
            ("侵害他人肖像权", "infringes portrait rights"),
            ("侵害他人名誉权", "infringes reputation rights"),
            ("侵害他人荣誉权", "infringes honour rights"),
            ("侵害他人隐私权", "infringes privacy"),
            ("侵害他人个人信息权益", "infringes personal-information rights"),
            ("侵犯他人其他合法权益", "infringes other lawful rights"),
        ),
    ),
    (
        5,
        ("无法满足特定服务类型的安全需求", "fails the safety needs of specific services"),
        (
            ("内容不准确，严重不符合科学常识或主流认知", "inaccurate content"),
            ("内容不可靠，无法对使用者形成帮助", "unreliable content"),
        ),
    ),
)

#: code → (zh, en) name, e.g. RISK_NAMES["A.2e"] == ("性别歧视", "gender discrimination")
RISK_NAMES: dict[str, tuple[str, str]] = {
    f"A.{group}{'abcdefghi'[i]}": names
    for group, _, risks in _GROUPS
    for i, names in enumerate(risks)
}
#: the 31 codes in the standard's order
RISKS: tuple[str, ...] = tuple(RISK_NAMES)
#: group code (A.1 … A.5) → (zh, en) name
GROUP_NAMES: dict[str, tuple[str, str]] = {f"A.{g}": names for g, names, _ in _GROUPS}

assert len(RISKS) == 31, "TC260-003 Appendix A lists 31 risks"
