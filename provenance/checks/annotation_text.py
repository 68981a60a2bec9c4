"""The finding codes of the ``annotation`` check (Art. 8), with their bilingual texts."""

from __future__ import annotations

from provenance.findings import FindingCode, Message, Severity

_TEXTS = {
    "rules_missing": Message(
        en="dataset '{dataset}' has no {kind} annotation rules (functional and safety rules are kept apart)",
        zh="数据集“{dataset}”缺少{kind_zh}标注规则（功能性与安全性标注规则应分别制定）",
    ),
    "rule_incomplete": Message(
        en="dataset '{dataset}': rule '{rule}' lacks {missing}",
        zh="数据集“{dataset}”：规则“{rule}”缺少{missing_zh}",
    ),
    "risks_uncovered": Message(
        en="dataset '{dataset}': safety rules cover {covered} of 31 risks; missing {missing}",
        zh="数据集“{dataset}”：安全性标注规则覆盖 31 类风险中的 {covered} 类，缺少 {missing}",
    ),
    "records_missing": Message(
        en="dataset '{dataset}' has no {what} records for its annotation",
        zh="数据集“{dataset}”缺少标注{what_zh}记录",
    ),
    "unknown_rule": Message(
        en="dataset '{dataset}': {count} batch(es) name a rule that is not declared ({rules})",
        zh="数据集“{dataset}”：{count} 个批次引用了未声明的规则（“{rules}”）",
    ),
    "annotator_unqualified": Message(
        en="dataset '{dataset}': {count} batch(es) were annotated by annotators not trained, examined or qualified at the time",
        zh="数据集“{dataset}”：{count} 个批次的标注人员在标注时未经培训、考核或资格已失效",
    ),
    "same_annotator_reviewer": Message(
        en="dataset '{dataset}': in {count} batch(es) the annotator also reviewed their own work",
        zh="数据集“{dataset}”：{count} 个批次中标注人员同时担任审核人员",
    ),
    "batch_not_checked": Message(
        en="dataset '{dataset}': {count} functional batch(es) have no spot check",
        zh="数据集“{dataset}”：{count} 个功能性标注批次未进行抽检",
    ),
    "illegal_batch_used": Message(
        en="dataset '{dataset}': {count} batch(es) found to contain illegal content are not excluded",
        zh="数据集“{dataset}”：{count} 个发现违法内容的批次未被整批剔除",
    ),
    "safety_not_fully_reviewed": Message(
        en="dataset '{dataset}': {count} safety batch(es) were not reviewed item by item ({checked} of {items} items)",
        zh="数据集“{dataset}”：{count} 个安全性标注批次未逐条审核（{items} 条中审核 {checked} 条）",
    ),
}
SEVERITY: dict[str, Severity] = {
    "rules_missing": "high",
    "rule_incomplete": "medium",
    "risks_uncovered": "high",
    "records_missing": "high",
    "unknown_rule": "medium",
    "annotator_unqualified": "high",
    "same_annotator_reviewer": "high",
    "batch_not_checked": "high",
    "illegal_batch_used": "blocker",
    "safety_not_fully_reviewed": "high",
}
REQ = {
    "rules_missing": "ANN-01",
    "rule_incomplete": "ANN-01",
    "unknown_rule": "ANN-01",
    "risks_uncovered": "ANN-02",
    "records_missing": "ANN-03",
    "annotator_unqualified": "ANN-03",
    "same_annotator_reviewer": "ANN-04",
    "batch_not_checked": "ANN-05",
    "illegal_batch_used": "ANN-05",
    "safety_not_fully_reviewed": "ANN-06",
}

#: every annotation finding code, by code
A: dict[str, FindingCode] = {
    code: FindingCode(code, REQ[code], "8", SEVERITY[code], en=t.en, zh=t.zh)
    for code, t in _TEXTS.items()
}
