"""One bilingual vocabulary: the Chinese and English label of every enum value and term the
dossier prints (issue 13 item 4).

``LABELS[domain][value] = (zh, en)``. The manifest's closed vocabularies (its ``Literal`` types)
are declared in :mod:`provenance.manifest.enums` and the model; a test walks the model and fails
for any value without a label here, so a new value cannot reach an export unlabelled. The HTML
dossier prints labels with :func:`label`; unknown values print as given (quoted user data).
Terms follow the statute and TC260-003: 不满十四周岁 for children, 训练数据 for training data.
"""

from __future__ import annotations

from provenance.vocabulary_eu import EU_LABELS

LABELS: dict[str, dict[str, tuple[str, str]]] = {
    **EU_LABELS,
    "source_type": {
        "open_source": ("开源语料", "open-source"),
        "self_collected": ("自采语料", "self-collected"),
        "commercial": ("商业语料", "commercial"),
        "user_input": ("使用者输入信息", "user input"),
        "synthetic": ("合成数据", "synthetic"),
        "public_data": ("公共数据", "public data"),
        "other": ("其他", "other"),
    },
    "legal_basis": {
        "consent": ("个人同意", "consent"),
        "separate_consent": ("单独同意", "separate consent"),
        "guardian_consent": ("监护人同意", "guardian's consent"),
        "contract": ("订立、履行合同所必需", "necessary for a contract"),
        "legal_duty": ("履行法定职责或义务所必需", "legal duty"),
        "public_interest_news": ("为公共利益实施新闻报道", "news reporting in the public interest"),
        "publicly_disclosed": (
            "在合理范围内处理已公开的个人信息",
            "publicly disclosed information",
        ),
        "anonymised": ("已匿名化", "anonymised"),
        "other": ("其他", "other"),
        "none": ("无", "none"),
    },
    "content_type": {
        "news": ("新闻", "news"),
        "encyclopedia": ("百科", "encyclopedia"),
        "books": ("图书", "books"),
        "academic": ("学术文献", "academic"),
        "web": ("网页", "web pages"),
        "forum": ("论坛", "forum"),
        "social_media": ("社交媒体", "social media"),
        "chat": ("对话", "chat"),
        "qa": ("问答", "Q&A"),
        "code": ("代码", "code"),
        "government": ("政务公开信息", "government"),
        "legal": ("法律法规", "legal"),
        "patents": ("专利", "patents"),
        "instructions": ("指令数据", "instructions"),
        "preferences": ("偏好数据", "preferences"),
        "other": ("其他", "other"),
        "not declared": ("未声明", "not declared"),
    },
    "stage": {
        "pretraining": ("预训练", "pre-training"),
        "fine_tuning": ("微调", "fine-tuning"),
        "alignment": ("对齐", "alignment"),
    },
    "modality": {
        "text": ("文本", "text"),
        "image": ("图片", "image"),
        "audio": ("音频", "audio"),
        "video": ("视频", "video"),
        "code": ("代码", "code"),
        "multimodal": ("多模态", "multimodal"),
        "other": ("其他", "other"),
    },
    "origin": {"domestic": ("境内", "domestic"), "foreign": ("境外", "foreign")},
    "language": {
        "zh": ("中文", "Chinese"),
        "en": ("英文", "English"),
        "code": ("代码", "code"),
        "other": ("其他或未识别", "other or not identified"),
        "none": ("无文本", "no text"),
    },
    "storage_part": {
        "read": ("已读取", "read"),
        "unreadable": ("无法读取", "unreadable"),
        "unclaimed": ("未归属任何来源", "claimed by no source"),
    },
    "annotation_metric": {
        "annotated_units": ("标注数据量", "annotated items"),
        "batches": ("标注批次数", "annotation batches"),
        "manual_verification_ratio": ("人工核验比例", "share manually verified"),
        "training_hours": ("标注人员培训总学时", "annotator training hours"),
        "annotators": ("标注人员数", "annotators"),
    },
    "annotator_type": {
        "in_house": ("内部", "in-house"),
        "outsourced": ("外包", "outsourced"),
        "unknown": ("未说明", "not stated"),
        "*": ("合计", "all"),
    },
    "rule_kind": {"functional": ("功能性标注", "functional"), "safety": ("安全性标注", "safety")},
    "rule_section": {
        "target": ("标注目标", "target"),
        "data_format": ("数据格式", "data format"),
        "method": ("标注方法", "method"),
        "quality_indicators": ("质量指标", "quality indicators"),
        "review step": ("审核环节", "review step"),
    },
    "term": {"open-ended": ("无固定期限", "open-ended")},
    "intended_use": {
        "public_service": ("面向公众的服务", "public service"),
        "internal": ("内部使用", "internal use"),
        "research": ("研究", "research"),
    },
    "status": {
        "conforms": ("符合", "conforms"),
        "attention": ("需关注", "attention"),
        "does not conform": ("不符合", "does not conform"),
        "not applicable": ("不适用", "not applicable"),
    },
    "severity": {
        "blocker": ("阻断", "blocker"),
        "high": ("高", "high"),
        "medium": ("中", "medium"),
        "low": ("低", "low"),
        "info": ("提示", "info"),
    },
    "subject_kind": {
        "run": ("本次审计", "run"),
        "dataset": ("数据集", "dataset"),
        "source": ("来源", "source"),
        "file": ("文件", "file"),
        "data_root": ("数据根目录", "data root"),
        "model": ("模型", "model"),
        "corpus": ("语料", "corpus"),
        "keyword_library": ("关键词库", "keyword library"),
        "classifier": ("分类模型", "classifier"),
        "ip_management": ("知识产权管理", "IP management"),
        "pi_impact_assessment": ("个人信息保护影响评估", "PI impact assessment"),
        "block_list": ("黑名单", "block list"),
        "eu_summary": ("欧盟训练内容摘要", "EU summary"),
        "review_sample": ("抽检样本", "review sample"),
    },
    "review": {
        "pre_collection": ("采集前安全评估", "pre-collection safety review"),
        "post_collection": ("采集后安全评估", "post-collection safety review"),
        "manual_sample": ("人工语料抽检", "manual corpus sample"),
        "technical_sample": ("技术语料抽检", "technical corpus sample"),
    },
    "evidence_kind": {
        "license": ("许可证", "licence"),
        "authorization": ("授权文件", "authorisation"),
        "contract": ("合同", "contract"),
        "collection_log": ("采集记录", "collection log"),
        "robots_snapshot": ("robots.txt 存档", "robots.txt snapshot"),
        "consent_records": ("同意记录", "consent records"),
        "filing": ("备案材料", "filing"),
        "model_card": ("模型卡", "model card"),
        "content_filtering": ("内容过滤材料", "content filtering"),
        "annotation_rules": ("标注规则", "annotation rules"),
        "annotation_records": ("标注记录", "annotation records"),
        "safety_review": ("安全评估记录", "safety review"),
        "ip_management": ("知识产权管理材料", "IP management"),
        "pi_impact_assessment": ("个人信息保护影响评估报告", "PI impact assessment"),
        "block_list_results": ("黑名单匹配结果", "block-list results"),
        "data_security": ("数据出境安全评估材料", "cross-border assessment"),
        "other": ("其他", "other"),
    },
    "evidence_status": {
        "ok": ("已核验", "verified"),
        "missing": ("缺失", "missing"),
        "unreadable": ("无法读取", "unreadable"),
        "empty": ("为空", "empty"),
    },
    "robots_verdict": {
        "allowed": ("允许", "allowed"),
        "disallowed": ("禁止", "disallowed"),
        "no_snapshot": ("无存档", "no snapshot"),
    },
    "diversity_metric": {
        "entropy": ("香农熵", "Shannon entropy"),
        "effective_number": ("有效类别数", "effective number"),
        "hhi": ("赫芬达尔指数", "Herfindahl index"),
        "categories": ("类别数", "categories"),
        "exact_duplicate_rate": ("完全重复率", "exact duplicate rate"),
        "near_duplicate_rate": ("近似重复率", "near-duplicate rate"),
        "foreign_open_source_share": ("境外开源语料占比", "foreign open-source share"),
    },
    "dimension": {
        "source": ("来源", "source"),
        "language": ("语言", "language"),
        "source_type": ("来源类型", "source type"),
        "origin": ("境内外", "origin"),
        "domain": ("网站域名", "web domain"),
        "characters": ("按字符", "by characters"),
        "*": ("全部语料", "whole corpus"),
    },
    "breakdown": {
        "type": ("按类型", "by type"),
        "source_type": ("按来源类型", "by source type"),
        "foreign_open_source_type": ("境外开源语料按类型", "foreign open-source by type"),
    },
    "pii_mode": {
        "sampled": ("抽样", "sample"),
        "full": ("全部记录", "every record"),
        "off": ("未检测", "not assessed"),
    },
}


def label_rows() -> list[tuple[str, str, str, str]]:
    """Every label as (domain, value, zh, en): the dossier's ``labels`` table."""
    return [(d, v, zh, en) for d, table in LABELS.items() for v, (zh, en) in table.items()]


def label(domain: str, value: object, langs: tuple[str, ...] = ("zh", "en")) -> str:
    """``value``'s label in ``langs`` ("中文 / English"); the value itself when it has none."""
    if value is None:
        return "—"
    pair = LABELS.get(domain, {}).get(str(value))
    if pair is None:
        return str(value)
    zh, en = pair
    return " / ".join(t for lg, t in (("zh", zh), ("en", en)) if lg in langs)


#: finding-message placeholders whose value is an enum value: printed by its Chinese label
VALUE_DOMAINS = {
    "basis": "legal_basis",
    "legal_basis": "legal_basis",
    "source_type": "source_type",
    "stage": "stage",
    "origin": "origin",
    "modality": "modality",
    "content_type": "content_type",
    "valid_until": "term",
    "review": "review",
}

#: an English error text (from a reader, parser or the OS) -> the Chinese reason it belongs to;
#: first match wins. The Chinese sentence never embeds the English text (issue 13 item 4).
ERRORS_ZH: tuple[tuple[tuple[str, ...], str], ...] = (
    (("not declared",), "未声明"),
    # a review sheet's cells (provenance.review.sheet): the English text lists each row
    (("in the review sheet",), "评估表中有不符合要求的单元格（各行、列及有效取值见英文说明）"),
    (("no reviewed rows",), "评估表中没有任何已判定的行"),
    (("review sheet is empty",), "评估表为空（既无列名行也无数据行）"),
    (("outside its data root", "symbolic link"), "文件位于数据根目录之外（符号链接），未读取"),
    (("is a folder", "is a directory", "not a regular file"), "是文件夹或特殊文件，而非普通文件"),
    (("permission",), "无读取权限"),
    (("no such file", "not found", "does not exist", "missing"), "文件不存在"),
    (
        ("corrupt", "truncated", "crc", "gzip", "zstd", "compressed", "decompress"),
        "压缩数据损坏或被截断",
    ),
    (("unknown file type",), "文件类型无法识别"),
    (("utf-8", "utf8", "decode", "encoding"), "编码无效（不是 UTF-8）"),
    (("json",), "JSON 格式无效"),
    (("csv", "delimiter", "columns"), "CSV 格式无效"),
    (("parquet", "arrow"), "Parquet 文件无效"),
    (("date", "time"), "日期或时间格式无效"),
    (("no rows", "no keywords", "empty", "no records"), "没有任何记录"),
    (("column", "field", "header"), "缺少必需的列或字段"),
    (("too large", "too long", "larger than", "longer than"), "超出大小限制"),
)


def error_zh(error: object) -> str:
    """The Chinese reason for an English error text (a category, never the text itself)."""
    text = str(error).lower()
    for needles, zh in ERRORS_ZH:
        if any(n in text for n in needles):
            return zh
    return "读取出错"


def zh_values(values: dict[str, object]) -> dict[str, object]:
    """Placeholder values for a Chinese message: enum values by their label, errors by reason."""
    out = dict(values)
    for key, value in values.items():
        if key == "error":
            out[key] = error_zh(value)
        elif key in VALUE_DOMAINS and isinstance(value, str):
            out[key] = LABELS[VALUE_DOMAINS[key]].get(value, (value, value))[0]
    return out


#: the statute's and TC260-003's Chinese terms, and variants that must not appear in any
#: Chinese text the tool writes (a test scans every finding template and framework title)
TERMS_ZH: dict[str, tuple[str, ...]] = {
    "黑名单": ("禁用清单", "禁用域名"),  # TC260-003 §5.1: 语料来源黑名单
    "不满十四周岁": ("未满十四周岁", "未满14周岁", "不满14周岁"),  # PIPL Art. 28
    "采集后": ("训练前核验", "训练前评估"),  # TC260-003 §5.1a(2): the same stage, one name
}
