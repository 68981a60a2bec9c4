"""What the assessment assesses: the items of Art. 7 and the data clauses of TC260-003.

Data only: each TC260-003 clause names the requirement ids (REGULATION.md) whose findings decide
it, when it applies (always, a source type, annotated data, foundation models) and, where no
check of this tool gathers evidence for it, the evidence an auditor must ask for.
"""

from __future__ import annotations

ARTICLE7 = [
    ("7(1)", "Lawful sources of data and foundation models", "使用具有合法来源的数据和基础模型"),
    ("7(2)", "No infringement of intellectual property rights", "不得侵害他人依法享有的知识产权"),
    (
        "7(3)",
        "Personal information only with consent or another legal basis",
        "涉及个人信息的，应当取得个人同意或者符合其他合法情形",
    ),
    (
        "7(4)",
        "Measures for truthfulness, accuracy, objectivity and diversity",
        "采取有效措施提高训练数据质量，增强真实性、准确性、客观性、多样性",
    ),
    (
        "7(5)",
        "Other requirements of the CSL, DSL, PIPL and regulators",
        "《网络安全法》《数据安全法》《个人信息保护法》等法律、行政法规的其他有关规定和有关主管部门的相关监管要求",
    ),
]

# (clause, title en, title zh, requirement ids, applies-when, evidence needed when nothing checks it)
TC260: list[tuple[str, str, str, tuple[str, ...], str, str]] = [
    (
        "5.1a(1)",
        "Source assessed before collection (≤ 5% illegal/harmful)",
        "采集前对来源进行安全评估（违法不良信息不超过5%）",
        ("SRC-02",),
        "always",
        "per-source pre-collection sample with verdicts",
    ),
    (
        "5.1a(2)",
        "Collected data verified before training (≤ 5%)",
        "采集后核验（违法不良信息不超过5%）",
        ("SRC-03",),
        "always",
        "per-source post-collection sample with verdicts",
    ),
    (
        "5.1b",
        "Multiple sources per language and modality; domestic and foreign combined",
        "各语言、各模态语料来源多样，境内外来源合理搭配",
        ("DIV-01", "DIV-02"),
        "always",
        "",
    ),
    (
        "5.1c(1)",
        "Open-source corpora hold their licence or authorisation",
        "使用开源语料应具有开源许可协议或相关授权文件",
        ("SRC-05",),
        "open_source",
        "",
    ),
    (
        "5.1c(2)",
        "Self-collected corpora hold collection records; refusals (robots.txt) respected",
        "使用自采语料应具有采集记录，不采集他人明确不可采集的数据",
        ("SRC-06", "SRC-07", "SRC-08"),
        "self_collected",
        "",
    ),
    (
        "5.1c(3)",
        "Commercial corpora under a valid contract with the supplier's commitments",
        "使用商业语料应有具备法律效力的交易合同、合作协议等",
        ("SRC-09",),
        "commercial",
        "",
    ),
    (
        "5.1c(4)",
        "User inputs used as corpus hold user authorisation records",
        "将使用者输入信息当作语料时，应具有使用者授权记录",
        ("SRC-10",),
        "user_input",
        "",
    ),
    (
        "5.1 blacklist",
        "Rejected (blacklisted) sources are absent",
        "不使用列入黑名单的来源",
        ("SRC-04",),
        "always",
        "",
    ),
    (
        "5.1d",
        "Information that must be blocked under cybersecurity law is not used",
        "不使用依法应当屏蔽的信息作为语料",
        ("SRC-11",),
        "always",
        "block-list matching results",
    ),
    (
        "5.2a",
        "All corpus filtered by keywords, classifiers and manual spot checks",
        "对全部语料采用关键词、分类模型、人工抽检等方式过滤",
        ("CNT-01", "CNT-02", "CNT-03", "CNT-04", "CNT-05"),
        "always",
        "filter pipeline outcomes and spot-check records",
    ),
    (
        "5.2b",
        "IP: responsible person, risk identification, no infringing corpus",
        "知识产权：设置负责人，识别侵权风险，不使用侵权语料",
        ("IP-01", "IP-02", "IP-03", "IP-04"),
        "always",
        "",
    ),
    (
        "5.2c",
        "Personal information with consent or another basis; sensitive PI with separate consent",
        "个人信息取得同意或符合其他合法情形；敏感个人信息取得单独同意",
        ("PI-01", "PI-02", "PI-03", "PI-04", "PI-05"),
        "always",
        "",
    ),
    (
        "8.1",
        "Keyword library: >= 10,000 keywords over the 17 risks of A.1/A.2, updated weekly",
        "关键词库：不少于1万个，覆盖A.1、A.2共17类风险，至少每周更新",
        ("CNT-04",),
        "always",
        "the keyword library with a risk per keyword",
    ),
    (
        "8.4",
        "Classification model covers all 31 risks",
        "分类模型覆盖全部31类风险",
        ("CNT-05",),
        "always",
        "the classifier's label set",
    ),
    (
        "9.2",
        "Corpus assessment: manual >= 4,000 items passing >= 96%; technical >= 10% passing >= 98%",
        "语料安全评估：人工抽检不少于4000条、合格率不低于96%；技术抽检不少于10%、合格率不低于98%",
        ("CNT-02", "CNT-03"),
        "always",
        "manual and technical corpus samples with verdicts",
    ),
    (
        "5.3",
        "Annotation: trained annotators, clear rules, verified accuracy",
        "语料标注：标注人员培训、标注规则、准确性核验",
        ("ANN-01", "ANN-02", "ANN-03", "ANN-04", "ANN-05", "ANN-06", "ANN-07"),
        "annotated",
        "annotation rules, annotator roster and batch spot-check records",
    ),
    (
        "6",
        "Third-party foundation model already filed",
        "使用已备案的第三方基础模型",
        ("SRC-12",),
        "models",
        "",
    ),
]

#: the evidence a clause needs (TC260's last column), in Chinese
NEEDS_ZH: dict[str, str] = {
    "per-source pre-collection sample with verdicts": "每个来源采集前的抽样及判定结果",
    "per-source post-collection sample with verdicts": "每个来源采集后的抽样及判定结果",
    "block-list matching results": "黑名单匹配结果",
    "filter pipeline outcomes and spot-check records": "过滤流程结果及抽检记录",
    "the keyword library with a risk per keyword": "关键词库（每个关键词标明风险类别）",
    "the classifier's label set": "分类模型的标签集",
    "manual and technical corpus samples with verdicts": "人工抽检与技术抽检的语料样本及判定结果",
    "annotation rules, annotator roster and batch spot-check records": "标注规则、标注人员名册及各批次抽检记录",
}
