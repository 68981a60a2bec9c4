"""Render the bilingual, self-contained ``dossier.html`` (jinja2, autoescaped, inline SVG charts).

No script, font, stylesheet or image is loaded from anywhere: styles are inline, charts are SVG
drawn here, so the file stands on its own offline and prints cleanly to PDF from a browser.
Every string from the manifest or the data is escaped by jinja2's autoescaping.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from provenance.dossier.eu_html import eu_rows
from provenance.dossier.figures import figures
from provenance.pii.classify import ENTITY_ZH
from provenance.tokens import filing_round
from provenance.vocabulary import LABELS
from provenance.vocabulary import label as vocabulary_label

TITLES = {
    "dossier": ("训练数据可解释性档案", "Training-data explainability dossier"),
    "article7": ("第七条 训练数据处理活动", "Article 7: training-data processing"),
    "article19": ("第十九条 训练数据说明", "Article 19: explanation of training data"),
    "figures": ("数据概览", "The corpus at a glance"),
    "filing": ("备案数据规模", "Filing figures: scale by type"),
    "tc260": ("TC260-003 安全要求自评估", "TC260-003 self-assessment"),
    "pii": ("个人信息", "Personal information"),
    "diversity": ("多样性与重复", "Diversity and duplicates"),
    "findings": ("审计发现", "Findings"),
    "eu": ("欧盟《人工智能法》训练内容摘要", "EU AI Act Art. 53(1)(d) training-content summary"),
    "evidence": ("证明材料", "Evidence documents"),
}
STATUS_CLASS = {
    "conforms": "ok",
    "attention": "warn",
    "does not conform": "bad",
    "not applicable": "na",
}
SEV_COLOR = {
    "blocker": "#7f1d1d",
    "high": "#dc2626",
    "medium": "#d97706",
    "low": "#2563eb",
    "info": "#9ca3af",
}


def severity_chart(
    findings: list[dict[str, Any]],
    sev_label: Callable[[str, object], str],
    art_label: Callable[[object], str],
    width: int = 560,
) -> Markup:
    """Stacked bars of findings per article by severity, inline SVG."""
    articles = sorted({f["article"] for f in findings})
    if not articles:
        return Markup("")
    sevs = ["blocker", "high", "medium", "low", "info"]
    counts = {
        (a, s): sum(1 for f in findings if f["article"] == a and f["severity"] == s)
        for a in articles
        for s in sevs
    }
    top = max(sum(counts[(a, s)] for s in sevs) for a in articles) or 1
    h = 26 * len(articles) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" role="img">']
    for i, a in enumerate(articles):
        y, x = 5 + 26 * i, 90
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{escape(art_label(a))}</text>')
        for s in sevs:
            w = int((width - 120) * counts[(a, s)] / top)
            if w:
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{w}" height="18" fill="{SEV_COLOR[s]}">'
                    f"<title>{escape(sev_label('severity', s))}: {counts[(a, s)]}</title></rect>"
                )
                x += w
    for j, s in enumerate(sevs):
        parts.append(
            f'<rect x="{90 + j * 90}" y="{h - 16}" width="10" height="10" fill="{SEV_COLOR[s]}"/>'
            f'<text x="{104 + j * 90}" y="{h - 7}" font-size="11">{escape(sev_label("severity", s))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


#: pii_summary.coverage in both languages
COVERAGE_LABELS = {
    "full": ("全部记录", "every record"),
    "sampled": ("抽样", "sample"),
    "not assessed": ("未检测", "not assessed"),
}


#: how token figures were obtained when the run used the character heuristic (or predates tokenizers)
TOKENS_NOTE = (
    "按字符估算（英文约 4 字符 1 个词元，中文约 1.4 字符 1 个词元），并非分词器计数。",
    "estimated from characters (about 4 characters a token in English, 1.4 in Chinese), "
    "not counted by a tokenizer.",
)


def tokens_note(run: dict[str, Any]) -> tuple[str, str]:
    """How this run's token figures were obtained, in Chinese and English (from the tokenizer
    the run recorded: ``runs.config`` inputs.tokenizer)."""
    config = run.get("config") or {}
    tok = (config.get("inputs") or {}).get("tokenizer") or {}
    method = tok.get("method")
    if method not in ("exact", "sampled"):
        return TOKENS_NOTE
    name = tok.get("name", "")
    if method == "exact":
        zh = f"由“{name}”分词器逐条计数。"
    else:
        zh = (
            f"由“{name}”分词器对按记录抽取的 {100 * float(tok.get('sample') or 0):.2f}% 样本精确计数，"
            "其余记录据此推算；估算值按其 95% 置信区间取整。"
        )
    return zh, f"{tok.get('label', name)}."


def tokens_shown(value: Any, variance: Any = None, heuristic: bool = False) -> str:
    """A token figure as a filing prints it (:func:`provenance.tokens.filing_round`)."""
    if value is None:
        return "—"
    return f"{filing_round(float(value), float(variance or 0) or None, heuristic):,}"


def value_span(value: Any) -> Markup:
    """User data or an id as given (escaped), marked so a reader (and the language test) can
    tell it from the dossier's own words; '—' when missing."""
    if value is None or value == "":
        return Markup("—")
    return Markup('<span class="v">{}</span>').format(value)


def num(value: Any) -> str:
    """A count as a filing prints it: whole, with thousands separators; '—' when missing."""
    return "—" if value is None else f"{round(float(value)):,}"


def pct(value: Any) -> str:
    """A share as a percentage with one decimal; '—' when missing."""
    return "—" if value is None else f"{100 * float(value):.1f}%"


def settings_text(cfg: Any) -> str:
    """Settings as ``key=value`` pairs (nested values as JSON)."""
    if not isinstance(cfg, dict):
        return str(cfg)
    return "; ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in cfg.items())


def render_html(data: dict[str, Any], langs: tuple[str, ...] = ("zh", "en")) -> str:
    """The dossier as one HTML document."""
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def title(key: str) -> str:
        zh, en = TITLES[key]
        return " / ".join(t for lg, t in (("zh", zh), ("en", en)) if lg in langs)

    def bi(zh: str, en: str) -> str:
        return " / ".join(t for lg, t in (("zh", zh), ("en", en)) if lg in langs)

    def label(domain: str, value: object) -> str:
        return vocabulary_label(domain, value, langs)

    def label_or_value(domain: str, value: object) -> Markup:
        """A known value by its label; anything else is user data, shown as given."""
        if str(value) in LABELS.get(domain, {}):
            return Markup(escape(label(domain, value)))
        return value_span(value)

    def entities(types: list[str], lang: str | None = None) -> str:
        """Entity types by name: Chinese names, English codes."""
        shown = (lang,) if lang else langs
        zh = "、".join(ENTITY_ZH.get(t, t) for t in types)
        en = ", ".join(types)
        return " / ".join(t for lg, t in (("zh", zh), ("en", en)) if lg in shown)

    def art(item: object) -> str:
        """An article reference: 第7条第（1）项 / Art. 7(1)."""
        text = str(item)
        main, _, sub = text.partition("(")
        zh = f"第{main}条" + (f"第（{sub.rstrip(')')}）项" if sub else "")
        return bi(zh, f"Art. {text}")

    def coverage_label(value: str | None) -> str:
        zh, en = COVERAGE_LABELS.get(value or "full", (value, value))
        return " / ".join(str(t) for lg, t in (("zh", zh), ("en", en)) if lg in langs)

    return env.get_template("dossier.html.j2").render(
        d=data,
        langs=langs,
        title=title,
        coverage_label=coverage_label,
        bi=bi,
        lv=label_or_value,
        v=value_span,
        art=art,
        entities=entities,
        label=label,
        num=num,
        pct=pct,
        settings_text=settings_text,
        eu_rows=list(eu_rows(data["eu_summary"], label, langs)),
        figures=figures(data["charts"], bi, label, value_span),
        tokens_note_zh=tokens_note(data["run"])[0],
        tokens_note_en=tokens_note(data["run"])[1],
        tok=tokens_shown,
        status_class=STATUS_CLASS,
        sev_color=SEV_COLOR,
        severity_chart=severity_chart(data["findings"], label, art),
    )
