"""The finding codes of the ``review_samples`` check, with their bilingual texts.

``{review}`` is the manifest field the sheet comes through (post_collection, manual_sample …),
``{owner}`` the source (or ``corpus``), ``{path}`` the sheet as the manifest names it.
"""

from __future__ import annotations

from provenance.findings import FindingCode, Message, Severity

_CODES: tuple[tuple[str, Severity, Message], ...] = (
    (
        "sample_verified",
        "info",
        Message(
            en="{review_en} of {owner_en} ({path}): sample {sample} drawn by provenance sample from "
            "this corpus ({n} of {population} records); every row is a drawn item",
            zh="{owner_zh}的{review}（“{path}”）：样本“{sample}” 由本工具的抽样命令从本语料抽取"
            "（{population} 条中抽取 {n} 条），每一行均为抽中的条目",
        ),
    ),
    (
        "sample_not_drawn",
        "medium",
        Message(
            en="{review_en} of {owner_en} ({path}) has no header block of provenance sample: it cannot "
            "be shown to be a random sample of this corpus (draw it with `provenance sample`)",
            zh="{owner_zh}的{review}（“{path}”）没有本工具抽样命令写入的表头信息，无法证明其为本语料的"
            "随机样本（请用本工具的抽样命令抽取）",
        ),
    ),
    (
        "sample_unverifiable",
        "medium",
        Message(
            en="{review_en} of {owner_en} ({path}) cannot be checked against this run: {why}",
            zh="{owner_zh}的{review}（“{path}”）无法与本次审计核对：{why_zh}",
        ),
    ),
    (
        "sample_corpus_changed",
        "medium",
        Message(
            en="{review_en} of {owner_en} ({path}) was drawn from other data than this run read "
            "({why}): the review does not cover the corpus as it is now",
            zh="{owner_zh}的{review}（“{path}”）抽自与本次审计不同的数据（{why_zh}），评估结果不能代表现有语料",
        ),
    ),
    (
        "sample_tampered",
        "high",
        Message(
            en="{review_en} of {owner_en} ({path}) is not the sample the tool drew: {why}; its "
            "failure rate is no evidence",
            zh="{owner_zh}的{review}（“{path}”）与工具抽取的样本不符：{why_zh}；其不合格率不能作为证据",
        ),
    ),
    (
        "sample_incomplete",
        "medium",
        Message(
            en="{review_en} of {owner_en} ({path}): {unreviewed} of {n} sampled items have no verdict; "
            "skipped items bias the failure rate",
            zh="{owner_zh}的{review}（“{path}”）：抽中的 {n} 条中有 {unreviewed} 条没有判定结果，"
            "遗漏会使不合格率失真",
        ),
    ),
    (
        "review_risks",
        "info",
        Message(
            en="{review_en} of {owner_en}: {fails} of {reviewed} reviewed items failed; by risk: "
            "{by_risk}; {never} of 31 risks never observed",
            zh="{owner_zh}的{review}：已评估 {reviewed} 条，不合格 {fails} 条；按风险：{by_risk_zh}；"
            "31 类风险中 {never} 类未出现",
        ),
    ),
)

#: code → declaration (requirement DOC-04; the finding names the review's own requirement)
R: dict[str, FindingCode] = {
    code: FindingCode(code, "DOC-04", "19", sev, en=msg.en, zh=msg.zh) for code, sev, msg in _CODES
}
