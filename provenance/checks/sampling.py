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
from provenance.findings import Message
from provenance.manifest.model import ReviewSample
from provenance.measures import clopper_pearson_upper

STAGE = {
    "pre_collection": ("SRC-02", "采集前", "before collection"),
    "post_collection": ("SRC-03", "训练前核验", "after collection"),
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


class SafetySampling(Check):
    """Failure rate and Clopper-Pearson bound of each recorded safety review."""

    name: ClassVar[str] = "safety_sampling"
    requirements: ClassVar[tuple[str, ...]] = ("SRC-02", "SRC-03")
    Settings: ClassVar[type[BaseModel]] = SamplingSettings

    def check(self, ctx: CheckContext) -> None:
        cfg: SamplingSettings = self.settings  # type: ignore[assignment]
        for _, src in ctx.lm.manifest.sources():
            review = src.safety_review
            for stage, (req, zh, en) in STAGE.items():
                sample: ReviewSample | None = getattr(review, stage) if review else None
                values: dict[str, Any] = {"source": src.id, "stage_en": en, "stage_zh": zh}
                if sample is None:
                    self.find(
                        req,
                        "7(1)",
                        "medium",
                        ("source", src.id),
                        f"{stage}_review_missing",
                        MISSING,
                        **values,
                    )
                    continue
                verdicts, error = ctx.verdicts(sample.records)
                if error:
                    self.find(
                        req,
                        "7(1)",
                        "medium",
                        ("source", src.id),
                        f"{stage}_review_unusable",
                        BAD_RECORDS,
                        {"path": sample.records},
                        **values,
                        error=error,
                    )
                    continue
                n, fails = len(verdicts), verdicts.count("fail")
                rate, upper = fails / n, clopper_pearson_upper(fails, n, cfg.confidence)
                for metric, value in (
                    ("review_items", n),
                    ("review_fail_rate", rate),
                    ("review_upper_bound", upper),
                ):
                    self.row(
                        "stats",
                        scope="source",
                        subject_id=src.id,
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
                args = {
                    **values,
                    **{k: v for k, v in figures.items() if k not in ("seed", "population")},
                }
                if rate > cfg.limit:
                    self.find(
                        req,
                        "7(1)",
                        "high",
                        ("source", src.id),
                        f"{stage}_over_limit",
                        OVER,
                        figures,
                        **args,
                    )
                elif upper >= cfg.limit:
                    self.find(
                        req,
                        "7(1)",
                        "medium",
                        ("source", src.id),
                        f"{stage}_inconclusive",
                        INCONCLUSIVE,
                        figures,
                        **args,
                    )
                else:
                    self.find(
                        req,
                        "7(1)",
                        "info",
                        ("source", src.id),
                        f"{stage}_passed",
                        PASS,
                        figures,
                        **args,
                    )
                if n < cfg.min_sample:
                    self.find(
                        req,
                        "7(1)",
                        "low",
                        ("source", src.id),
                        f"{stage}_sample_small",
                        SMALL,
                        figures,
                        **values,
                        n=n,
                        minimum=cfg.min_sample,
                    )
