"""SRC-02 / SRC-03: the per-source 5% rule of TC260-003 §5.1a, from recorded safety reviews.

Before collecting from a source, a random sample is reviewed; if more than 5% is illegal or
harmful, the source is not collected (SRC-02). After collection, before training, the data is
verified again the same way (SRC-03). For each review the check reads the reviewer's verdicts,
computes the failure rate and its one-sided Clopper-Pearson upper bound, and concludes:

* rate above the limit → the source must not be used (high);
* rate under the limit but upper bound above it → the sample does not show conformity (medium);
* sample smaller than the configured size (default 4,000; REGULATION.md explains why that
  number is unsettled) → low;
* no review recorded → medium.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from provenance.checks.base import Check, CheckContext
from provenance.findings import FindingCode, Message, Severity
from provenance.manifest.model import ReviewSample
from provenance.measures import clopper_pearson_upper
from provenance.tables import Output

STAGE = {
    "pre_collection": ("SRC-02", "采集前", "before collection"),
    "post_collection": ("SRC-03", "采集后", "after collection"),
}

MISSING = Message(
    en="source '{source}' records no {stage_en} safety review (random sample with verdicts)",
    zh="来源“{source}”未记录{stage_zh}安全评估（随机抽样及判定结果）",
)
OVER = Message(
    en="source '{source}': {fails} of {n} sampled items ({rate:.2%}) failed the {stage_en} review, above {limit:.0%}; it must not be used",
    zh="来源“{source}”：{stage_zh}抽样 {n} 条中 {fails} 条（{rate:.2%}）不合格，超过 {limit:.0%}，不得使用",
)
INCONCLUSIVE = Message(
    en="source '{source}': {stage_en} review rate {rate:.2%} but the {conf:.0%} upper bound is {upper:.2%} (n = {n}); the sample does not show the source is under {limit:.0%}",
    zh="来源“{source}”：{stage_zh}抽检不合格率 {rate:.2%}，但 {conf:.0%} 置信上限为 {upper:.2%}（n = {n}），不足以证明低于 {limit:.0%}",
)
SMALL = Message(
    en="source '{source}': the {stage_en} sample has {n} items, fewer than the configured {minimum}",
    zh="来源“{source}”：{stage_zh}抽样仅 {n} 条，少于设定的 {minimum} 条",
)
PASS = Message(
    en="source '{source}': {stage_en} review {fails}/{n} failed ({rate:.2%}; {conf:.0%} upper bound {upper:.2%}) — under {limit:.0%}",
    zh="来源“{source}”：{stage_zh}抽检 {n} 条中 {fails} 条不合格（{rate:.2%}；{conf:.0%} 置信上限 {upper:.2%}），低于 {limit:.0%}",
)
BAD_RECORDS = Message(
    en="source '{source}': {stage_en} review records cannot be used ({error})",
    zh="来源“{source}”：{stage_zh}评估记录无法使用（{error}）",
)


class SamplingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: float = Field(
        0.05, gt=0, lt=1, description="Share of illegal or harmful items a source may not exceed."
    )
    confidence: float = Field(
        0.95, gt=0.5, lt=1, description="One-sided confidence of the upper bound."
    )
    min_sample: int = Field(
        4000, ge=1, description="Sample size below which a review is flagged as small."
    )


#: (suffix, default severity, wording): each declared once per review stage below
OUTCOMES: tuple[tuple[str, Severity, Message], ...] = (
    ("review_missing", "medium", MISSING),
    ("review_unusable", "medium", BAD_RECORDS),
    ("over_limit", "high", OVER),
    ("inconclusive", "medium", INCONCLUSIVE),
    ("passed", "info", PASS),
    ("sample_small", "low", SMALL),
)
#: stage → outcome → its finding code, e.g. CODES_OF["pre_collection"]["over_limit"]
CODES_OF: dict[str, dict[str, FindingCode]] = {
    stage: {
        suffix: FindingCode(f"{stage}_{suffix}", req, "7(1)", sev, en=msg.en, zh=msg.zh)
        for suffix, sev, msg in OUTCOMES
    }
    for stage, (req, _, _) in STAGE.items()
}


class SafetySampling(Check):
    """Failure rate and Clopper-Pearson bound of each recorded safety review."""

    name: ClassVar[str] = "safety_sampling"
    requirements: ClassVar[tuple[str, ...]] = ("SRC-02", "SRC-03")
    Settings: ClassVar[type[BaseModel]] = SamplingSettings
    codes: ClassVar[tuple[FindingCode, ...]] = tuple(
        c for by_outcome in CODES_OF.values() for c in by_outcome.values()
    )
    writes: ClassVar[tuple[Output, ...]] = (Output("stats"),)

    def check(self, ctx: CheckContext) -> None:
        for _, src in ctx.lm.manifest.sources():
            review = src.safety_review
            for stage, (_, zh, en) in STAGE.items():
                sample: ReviewSample | None = getattr(review, stage) if review else None
                self._review(ctx, src.id, stage, sample, {"stage_en": en, "stage_zh": zh})

    def _review(
        self,
        ctx: CheckContext,
        source: str,
        stage: str,
        sample: ReviewSample | None,
        words: dict[str, Any],
    ) -> None:
        cfg: SamplingSettings = self.settings  # type: ignore[assignment]
        code, subject = CODES_OF[stage], ("source", source)
        values: dict[str, Any] = {"source": source, **words}
        if sample is None:
            ctx.find(code["review_missing"], subject, **values)
            return
        verdicts, error = ctx.verdicts(sample.records)
        if error:
            ctx.find(
                code["review_unusable"], subject, {"path": sample.records}, **values, error=error
            )
            return
        n, fails = len(verdicts), verdicts.count("fail")
        rate, upper = fails / n, clopper_pearson_upper(fails, n, cfg.confidence)
        for metric, value in (
            ("review_items", n),
            ("review_fail_rate", rate),
            ("review_upper_bound", upper),
        ):
            ctx.row(
                "stats",
                scope="source",
                subject_id=source,
                metric=metric,
                key=stage,
                value=float(value),
            )
        figures = {
            "n": n,
            "fails": fails,
            "rate": rate,
            "upper": upper,
            "limit": cfg.limit,
            "conf": cfg.confidence,
            "seed": sample.seed,
            "population": sample.population,
        }
        args = {**values, **{k: v for k, v in figures.items() if k not in ("seed", "population")}}
        if rate > cfg.limit:
            ctx.find(code["over_limit"], subject, figures, **args)
        elif upper >= cfg.limit:
            ctx.find(code["inconclusive"], subject, figures, **args)
        else:
            ctx.find(code["passed"], subject, figures, **args)
        if n < cfg.min_sample:
            ctx.find(code["sample_small"], subject, figures, **values, n=n, minimum=cfg.min_sample)
