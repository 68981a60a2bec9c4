"""One bilingual vocabulary: the Chinese and English label of every enum value and term the
dossier prints (issue 13 item 4).

``LABELS[domain][value] = (zh, en)``. The manifest's closed vocabularies (its ``Literal`` types)
are declared in :mod:`provenance.manifest.enums` and the model; a test walks the model and fails
for any value without a label here, so a new value cannot reach an export unlabelled. The HTML
dossier prints labels with :func:`label`; unknown values print as given (quoted user data).
Terms follow the statute and TC260-003: 不满十四周岁 for children, 训练数据 for training data.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, tuple[str, str]]] = {
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
}


def label(domain: str, value: object, langs: tuple[str, ...] = ("zh", "en")) -> str:
    """``value``'s label in ``langs`` ("中文 / English"); the value itself when it has none."""
    if value is None:
        return "—"
    pair = LABELS.get(domain, {}).get(str(value))
    if pair is None:
        return str(value)
    zh, en = pair
    return " / ".join(t for lg, t in (("zh", zh), ("en", en)) if lg in langs)
