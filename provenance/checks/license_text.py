"""The licence finding codes, their bilingual texts, and the intended-use labels they quote.

Each code's severity depends on the service's intended use and comes from the licence policy
(``schemas/licenses/policy.toml`` or the pipeline's own copy); the default severity declared
here is the bundled policy's ``public_service`` one, read from that file, not written twice.
"""

from __future__ import annotations

import tomllib

from provenance.findings import FindingCode, Message, Severity
from provenance.resources import schema_file

USE_ZH = {"public_service": "面向公众的服务", "internal": "内部使用", "research": "研究"}
USE_EN = {"public_service": "public service", "internal": "internal use", "research": "research"}
OPEN_CATEGORIES = {"public_domain", "permissive", "weak_copyleft", "strong_copyleft"}

_TEXTS = {
    "non_commercial": Message(
        en="{kind} '{subject}' is under {spdx} ({cat_en}), which forbids commercial use; intended use: {use_en}",
        zh="{kind_zh}“{subject}”适用“{spdx}”（{cat_zh}），禁止商业使用；本服务用途：{use_zh}",
    ),
    "research_only": Message(
        en="{kind} '{subject}' is licensed for research only ({spdx}); intended use: {use_en}",
        zh="{kind_zh}“{subject}”仅限研究使用（许可证“{spdx}”）；本服务用途：{use_zh}",
    ),
    "no_derivatives": Message(
        en="{kind} '{subject}' is under no-derivatives terms ({spdx}); a model trained on it may be an adaptation",
        zh="{kind_zh}“{subject}”适用禁止演绎条款（许可证“{spdx}”），以其训练的模型可能构成演绎作品",
    ),
    "share_alike": Message(
        en="{kind} '{subject}' carries share-alike obligations ({spdx}); track them for derived data and models",
        zh="{kind_zh}“{subject}”附相同方式共享义务（许可证“{spdx}”），须在衍生数据与模型中跟踪",
    ),
    "forbids_competing_models": Message(
        en="{kind} '{subject}' is under terms that forbid using it to train or improve other models ({spdx})",
        zh="{kind_zh}“{subject}”的条款（许可证“{spdx}”）禁止将其用于训练或改进其他模型",
    ),
    "model_terms": Message(
        en="{kind} '{subject}' is under model terms with use restrictions ({spdx}); review them against the service",
        zh="{kind_zh}“{subject}”适用附使用限制的模型条款（许可证“{spdx}”），须对照本服务审查",
    ),
    "unknown_license": Message(
        en="{kind} '{subject}': licence '{raw}' cannot be identified ({reason})",
        zh="{kind_zh}“{subject}”：无法识别许可证“{raw}”（{reason_zh}）",
    ),
    "ambiguous_license": Message(
        en="{kind} '{subject}': licence '{raw}' is ambiguous ({reason}); state the exact licence",
        zh="{kind_zh}“{subject}”：许可证“{raw}”不明确（{reason_zh}），请写明确切许可证",
    ),
    "proprietary_without_contract": Message(
        en="{kind} '{subject}' is under proprietary terms ({spdx}) and no contract or authorisation is on file",
        zh="{kind_zh}“{subject}”为专有条款（许可证“{spdx}”），且无合同或授权文件",
    ),
    "license_laundering": Message(
        en="source '{subject}' declares {declared} ({declared_cat_en}) but derives from '{upstream}' under {upstream_spdx} ({upstream_cat_en}): the upstream terms still apply",
        zh="来源“{subject}”声明为“{declared}”（{declared_cat_zh}），但其上游“{upstream}”适用“{upstream_spdx}”（{upstream_cat_zh}），上游条款仍然适用",
    ),
    "upstream_undeclared": Message(
        en="source '{subject}' derives from '{upstream}', which the manifest does not describe; its terms were not checked",
        zh="来源“{subject}”源自清单未描述的“{upstream}”，其许可条款未能核查",
    ),
    "rights_reserved_in_open_source": Message(
        en="source '{subject}' is declared {spdx} but {rate:.1%} of its records ({count} of {total}) carry rights reservations",
        zh="来源“{subject}”声明为“{spdx}”，但其 {rate:.1%} 的记录（{total} 条中 {count} 条）带有权利保留声明",
    ),
}

#: codes about what a licence allows (IP-02); the rest are about the licence itself (SRC-05)
IP_CODES = ("license_laundering", "rights_reserved_in_open_source")
_BUNDLED = tomllib.loads(schema_file("licenses/policy.toml").read_text(encoding="utf-8"))


def _default(code: str) -> Severity:
    level = _BUNDLED[code]["public_service"]
    return "info" if level == "off" else level


#: every licence finding code, by code
M: dict[str, FindingCode] = {
    code: FindingCode(
        code,
        "IP-02" if code in IP_CODES else "SRC-05",
        "7(2)",
        _default(code),
        en=text.en,
        zh=text.zh,
    )
    for code, text in _TEXTS.items()
}


#: why a licence string was not identified, in Chinese, by the classifier rule that decided
#: (the English reason comes from the licence data and is kept in the finding's evidence)
REASON_ZH = {
    "empty": "未给出许可证",
    "table": "许可证数据将其列为含义无法确定的写法",
    "dpi-catalogue": "仅能按数据来源倡议（DPI）的许可证目录归类，无法确定具体许可证",
    "expression": "许可证表达式中有无法识别的部分",
    "unclear": "文字含义不明确",
    "unspecified": "未指明具体许可证",
    "url": "许可证网址无法对应到具体许可证",
    "cc-grammar": "知识共享许可证的写法不完整",
}


def reason_zh(outcome: str, rule: str) -> str:
    """The Chinese reason for an unknown or ambiguous licence verdict."""
    if outcome == "ambiguous":
        return "可能对应多种许可证"
    return REASON_ZH.get(rule, "许可证数据中没有对应条目")
