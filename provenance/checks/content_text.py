"""The finding codes of the ``content_filtering`` check, with their bilingual texts."""

from __future__ import annotations

from provenance.findings import FindingCode, Message, Severity

_TEXTS = {
    "content_filtering_missing": Message(
        en="the manifest records no content filtering (keyword library, classifier, corpus samples)",
        zh="清单未记录语料内容过滤情况（关键词库、分类模型、语料抽检）",
    ),
    "keyword_library_small": Message(
        en="the keyword library has {total} keywords; at least {minimum} are required",
        zh="关键词库共 {total} 个关键词，应不少于 {minimum} 个",
    ),
    "keyword_risks_thin": Message(
        en="keyword library: {count} risk(s) below their minimum ({risks})",
        zh="关键词库：{count} 类风险的关键词少于要求（“{risks}”）",
    ),
    "keyword_library_stale": Message(
        en="the keyword library was last updated {updated} ({days} days before {reference}); it must be updated at least weekly",
        zh="关键词库最近更新于 {updated}（早于 {reference} {days} 天），应至少每周更新",
    ),
    "keyword_library_unusable": Message(
        en="the keyword library cannot be used ({error})", zh="关键词库无法使用（{error}）"
    ),
    "classifier_missing": Message(
        en="no classification model is recorded for content filtering",
        zh="未记录用于内容过滤的分类模型",
    ),
    "classifier_risks_uncovered": Message(
        en="classifier '{name}' covers {covered} of 31 risks; missing {missing}",
        zh="分类模型“{name}”覆盖 31 类风险中的 {covered} 类，缺少 {missing}",
    ),
    "sample_missing": Message(
        en="no {what} corpus sample is recorded", zh="未记录{what_zh}语料抽检"
    ),
    "sample_unusable": Message(
        en="the {what} corpus sample cannot be used ({error})",
        zh="{what_zh}语料抽检记录无法使用（{error}）",
    ),
    "sample_too_small": Message(
        en="the {what} corpus sample has {n} items; at least {minimum} are required",
        zh="{what_zh}语料抽检共 {n} 条，应不少于 {minimum} 条",
    ),
    "keyword_filter_not_run": Message(
        en="no record was checked against the keyword library: the keyword_filter scanner recorded nothing (is the library file present and readable?)",
        zh="没有记录经关键词库检查：“keyword_filter”扫描器未记录结果（关键词库文件是否存在且可读？）",
    ),
    "corpus_keyword_filtered": Message(
        en="all {checked} records were checked against the keyword library; {hits} ({rate:.2%}) hit at least one keyword",
        zh="全部 {checked} 条记录已经关键词库过滤；{hits} 条（{rate:.2%}）命中至少一个关键词",
    ),
    "keyword_hits_over_limit": Message(
        en="source '{source}': {rate:.2%} of records ({hits} of {checked}) hit the keyword library, above {limit:.0%}; review before use",
        zh="来源“{source}”：{rate:.2%} 的记录（{checked} 条中 {hits} 条）命中关键词库，超过 {limit:.0%}，使用前须复核",
    ),
    "sample_pass_rate_low": Message(
        en="the {what} corpus sample passed {rate:.2%} ({passes} of {n}); at least {required:.0%} is required",
        zh="{what_zh}语料抽检合格率 {rate:.2%}（{n} 条中 {passes} 条），应不低于 {required:.0%}",
    ),
}
SEVERITY: dict[str, Severity] = {
    "content_filtering_missing": "medium",
    "keyword_library_small": "high",
    "keyword_risks_thin": "medium",
    "keyword_library_stale": "medium",
    "keyword_library_unusable": "high",
    "classifier_missing": "medium",
    "classifier_risks_uncovered": "high",
    "sample_missing": "medium",
    "sample_unusable": "medium",
    "sample_too_small": "high",
    "sample_pass_rate_low": "high",
    "keyword_filter_not_run": "medium",
    "corpus_keyword_filtered": "info",
    "keyword_hits_over_limit": "medium",
}


#: the requirement of each code (the sample codes serve CNT-02 manual and CNT-03 technical)
REQUIREMENT = {
    "content_filtering_missing": "CNT-01",
    "keyword_filter_not_run": "CNT-01",
    "corpus_keyword_filtered": "CNT-01",
    "keyword_hits_over_limit": "CNT-01",
    "sample_missing": "CNT-02",
    "sample_unusable": "CNT-02",
    "sample_too_small": "CNT-02",
    "sample_pass_rate_low": "CNT-02",
    "keyword_library_small": "CNT-04",
    "keyword_risks_thin": "CNT-04",
    "keyword_library_stale": "CNT-04",
    "keyword_library_unusable": "CNT-04",
    "classifier_missing": "CNT-05",
    "classifier_risks_uncovered": "CNT-05",
}

#: every content-filtering finding code, by code
C: dict[str, FindingCode] = {
    code: FindingCode(code, REQUIREMENT[code], "7(1)", SEVERITY[code], en=t.en, zh=t.zh)
    for code, t in _TEXTS.items()
}
