"""Scale, types and diversity (Art. 19 "scale, types"; Art. 7(4); TC260-003 §5.1b).

Reduces the ``corpus_stats`` scanner's per-shard sums into ``stats`` (``checks/scale.py``),
computes diversity measures (shares, Shannon entropy, effective number, HHI) over sources,
languages, source types, origins and domains, and checks:

* DIV-01 every language × modality with a real share of the corpus has at least two sources;
* DIV-02 foreign open-source data stays under a configurable share (an unofficial review
  practice, so a warning, not a failure);
* DIV-03 quality signals: empty, very short and garbled records per source.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from provenance.checks.base import Check, CheckContext
from provenance.checks.scale import reduce_scale
from provenance.findings import FindingCode
from provenance.measures import diversity
from provenance.tables import Output

SINGLE = FindingCode(
    "single_source_language",
    "DIV-01",
    "7(4)",
    "medium",
    en="{language} {modality} data comes from {count} source(s) ({sources}); TC260-003 asks for multiple sources per language and modality",
    zh="{language_zh}{modality_zh}数据仅来自 {count} 个来源（“{sources}”）；TC260-003 要求每种语言和模态有多个来源",
)
FOREIGN = FindingCode(
    "foreign_open_source_share",
    "DIV-02",
    "7(4)",
    "low",
    en="foreign open-source data is {share:.1%} of the corpus by {measure} (review practice: at most {limit:.0%})",
    zh="境外开源数据占语料的 {share:.1%}（按{measure_zh}计；备案审查惯例：不超过 {limit:.0%}）",
)
MIX = FindingCode(
    "domestic_foreign_mix",
    "DIV-02",
    "7(4)",
    "info",
    en="domestic / foreign mix by {measure}: {domestic:.1%} domestic, {foreign:.1%} foreign",
    zh="境内/境外数据比例（按{measure_zh}计）：境内 {domestic:.1%}，境外 {foreign:.1%}",
)
QUALITY = FindingCode(
    "low_quality_records",
    "DIV-03",
    "7(4)",
    "low",
    en="source '{source}': {rate:.1%} of records are empty or garbled ({empty} empty, {garbled} garbled of {records})",
    zh="来源“{source}”：{rate:.1%} 的记录为空或乱码（{records} 条中空记录 {empty} 条、乱码 {garbled} 条）",
)
LANG_ZH = {"zh": "中文", "en": "英文", "code": "代码", "other": "其他语言"}
MODALITY_ZH = {
    "text": "文本",
    "image": "图像",
    "audio": "音频",
    "video": "视频",
    "code": "代码",
    "multimodal": "多模态",
    "other": "其他",
}
MEASURE_ZH = {
    "characters": "字符数",
    "bytes": "字节数",
    "tokens_est": "估算词元数",
    "tokens": "词元数",
    "records": "记录数",
}


class DiversitySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    measure: str = Field("characters", pattern="^(characters|bytes|tokens|tokens_est|records)$")
    min_language_share: float = Field(
        0.05,
        ge=0,
        le=1,
        description="A source counts for a language above this share of its records.",
    )
    min_corpus_share: float = Field(
        0.01,
        ge=0,
        le=1,
        description="Languages below this share of the corpus are not checked by DIV-01.",
    )
    foreign_open_source_max: float = Field(0.30, ge=0, le=1)
    bad_record_rate: float = Field(
        0.05, ge=0, le=1, description="Empty + garbled share that flags a source (DIV-03)."
    )


class Diversity(Check):
    """stats at every scope, diversity measures, DIV-01/02/03."""

    name: ClassVar[str] = "diversity"
    requirements: ClassVar[tuple[str, ...]] = ("DIV-01", "DIV-02", "DIV-03", "DOC-02")
    codes: ClassVar[tuple[FindingCode, ...]] = (
        MIX,
        FOREIGN,
        SINGLE,
        QUALITY,
    )
    Settings: ClassVar[type[BaseModel]] = DiversitySettings
    needs: ClassVar[tuple[str, ...]] = ("stat_parts",)
    writes: ClassVar[tuple[Output, ...]] = (Output("stats"),)

    def check(self, ctx: CheckContext) -> None:
        cfg: DiversitySettings = self.settings  # type: ignore[assignment]
        per, domains = reduce_scale(ctx)
        if not per:
            return
        src_of = {s.id: (d, s) for d, s in ctx.lm.manifest.sources()}
        self._diversity(ctx, cfg, per, domains, src_of)
        self._div01(ctx, cfg, per, src_of)
        self._div02(ctx, cfg, per, src_of)
        self._div03(ctx, cfg, per)

    def _measure(self, cfg: DiversitySettings, metrics: dict[str, float]) -> float:
        # empty records (no text, or a missing text field) are not part of any share
        if cfg.measure == "records":
            return metrics.get("records", 0.0) - metrics.get("empty", 0.0)
        return metrics.get(cfg.measure, 0.0)

    def _diversity(
        self, ctx: CheckContext, cfg: DiversitySettings, per: Any, domains: Any, src_of: Any
    ) -> None:
        dims: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for sid, langs in per.items():
            _ds, src = src_of.get(sid, (None, None))
            for lang, metrics in langs.items():
                v = self._measure(cfg, metrics)
                dims["source"][sid] += v
                dims["language"][lang] += v
                if src is not None:
                    dims["source_type"][src.source_type] += v
                    dims["origin"][src.origin.region] += v
        for d in domains.values():
            for host, v in d.items():
                dims["domain"][host] += v
        for dim, values in dims.items():
            total = sum(values.values()) or 1.0
            for k, v in sorted(values.items()):
                ctx.row(
                    "stats",
                    scope="run",
                    subject_id="corpus",
                    metric=f"share_{dim}",
                    key=k,
                    value=v / total,
                )
            for metric, v in diversity(values).items():
                ctx.row("stats", scope="run", subject_id="corpus", metric=metric, key=dim, value=v)

    def _div01(self, ctx: CheckContext, cfg: DiversitySettings, per: Any, src_of: Any) -> None:
        total = (
            sum(self._measure(cfg, mt) for langs in per.values() for mt in langs.values()) or 1.0
        )
        by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
        volume: dict[tuple[str, str], float] = defaultdict(float)
        for sid, langs in per.items():
            ds, _ = src_of.get(sid, (None, None))
            modality = ds.modality if ds is not None else "text"
            records = sum(mt.get("records", 0.0) for mt in langs.values()) or 1.0
            for lang, mt in langs.items():
                if lang in ("none", "other"):
                    continue
                volume[(lang, modality)] += self._measure(cfg, mt)
                if mt.get("records", 0.0) / records >= cfg.min_language_share:
                    by_key[(lang, modality)].append(sid)
        for (lang, modality), vol in sorted(volume.items()):
            if vol / total < cfg.min_corpus_share:
                continue
            sources = sorted(by_key.get((lang, modality), []))
            if len(sources) < 2:
                ctx.find(
                    SINGLE,
                    ("run", f"{lang}/{modality}"),
                    {"language": lang, "modality": modality, "sources": sources},
                    key=f"{lang}/{modality}",
                    language=lang,
                    language_zh=LANG_ZH.get(lang, lang),
                    modality=modality,
                    modality_zh=MODALITY_ZH.get(modality, modality),
                    count=len(sources),
                    sources=", ".join(sources) or "none",
                )

    def _div02(self, ctx: CheckContext, cfg: DiversitySettings, per: Any, src_of: Any) -> None:
        origin: dict[str, float] = defaultdict(float)
        foreign_open = 0.0
        for sid, langs in per.items():
            _, src = src_of.get(sid, (None, None))
            v = sum(self._measure(cfg, mt) for mt in langs.values())
            region = src.origin.region if src is not None else "unknown"
            origin[region] += v
            if src is not None and region == "foreign" and src.source_type == "open_source":
                foreign_open += v
        total = sum(origin.values()) or 1.0
        share = foreign_open / total
        ctx.row(
            "stats",
            scope="run",
            subject_id="corpus",
            metric="foreign_open_source_share",
            key=cfg.measure,
            value=share,
        )
        if origin.get("foreign"):
            ctx.find(
                MIX,
                ("run", "corpus"),
                {k: v / total for k, v in origin.items()},
                measure=cfg.measure,
                measure_zh=MEASURE_ZH[cfg.measure],
                domestic=origin.get("domestic", 0.0) / total,
                foreign=origin.get("foreign", 0.0) / total,
            )
        if share > cfg.foreign_open_source_max:
            ctx.find(
                FOREIGN,
                ("run", "corpus"),
                {"share": share, "limit": cfg.foreign_open_source_max, "measure": cfg.measure},
                share=share,
                limit=cfg.foreign_open_source_max,
                measure=cfg.measure,
                measure_zh=MEASURE_ZH[cfg.measure],
            )

    def _div03(self, ctx: CheckContext, cfg: DiversitySettings, per: Any) -> None:
        for sid, langs in sorted(per.items()):
            records = sum(mt.get("records", 0.0) for mt in langs.values())
            empty = sum(mt.get("empty", 0.0) for mt in langs.values())
            garbled = sum(mt.get("garbled", 0.0) for mt in langs.values())
            if records and (empty + garbled) / records > cfg.bad_record_rate:
                ctx.find(
                    QUALITY,
                    ("source", sid),
                    {"empty": empty, "garbled": garbled, "records": records},
                    source=sid,
                    rate=(empty + garbled) / records,
                    empty=int(empty),
                    garbled=int(garbled),
                    records=int(records),
                )
