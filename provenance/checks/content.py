"""Corpus content safety (TC260-003 §5.2a, §8.1, §8.4, §9.2): keyword library, classifier, samples.

* CNT-01 every record went through the keyword library (the ``keyword_filter`` scanner), with
  per-source hit rates; a source above the hit limit (default 5%) asks for review;
* CNT-04 keyword library: at least 10,000 keywords; at least 200 for each A.1 risk and 100 for
  each A.2 risk; updated within 7 days of training;
* CNT-05 the classifier covers all 31 risks of Appendix A;
* CNT-02 manual corpus sample: at least 4,000 items, pass rate at least 96%;
* CNT-03 technical sample (keywords + classifier): at least 10% of the corpus, pass rate at least 98%.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from provenance.checks.annotation import RISKS
from provenance.checks.base import Check, CheckContext
from provenance.dates import parse_date
from provenance.findings import Message, Severity
from provenance.manifest.model import ReviewSample

M = {
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
        zh="关键词库：{count} 类风险的关键词少于要求（{risks}）",
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
        en="the corpus was not run through the keyword library (enable the keyword_filter scanner)",
        zh="语料未经关键词库过滤（请启用 keyword_filter 扫描器）",
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


class ContentSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keywords_total: int = Field(10_000, ge=0)
    keywords_per_a1: int = Field(200, ge=0)
    keywords_per_a2: int = Field(100, ge=0)
    max_age_days: int = Field(7, ge=0)
    manual_min: int = Field(4000, ge=1)
    manual_pass: float = Field(0.96, gt=0, le=1)
    technical_min_share: float = Field(0.10, gt=0, le=1)
    technical_pass: float = Field(0.98, gt=0, le=1)
    keyword_hit_limit: float = Field(
        0.05,
        gt=0,
        le=1,
        description="Share of a source's records hitting keywords that asks for review.",
    )


class ContentFilteringCheck(Check):
    """CNT-02…05 from the manifest's content_filtering section."""

    name: ClassVar[str] = "content_filtering"
    requirements: ClassVar[tuple[str, ...]] = ("CNT-01", "CNT-02", "CNT-03", "CNT-04", "CNT-05")
    Settings: ClassVar[type[BaseModel]] = ContentSettings

    def _issue(
        self,
        req: str,
        code: str,
        evidence: dict[str, Any] | None = None,
        /,
        key: str = "",
        **values: Any,
    ) -> None:
        self.find(
            req,
            "7(1)",
            SEVERITY[code],
            ("run", "corpus"),
            code,
            M[code],
            evidence or {},
            key=key,
            **values,
        )

    def check(self, ctx: CheckContext) -> None:
        cfg: ContentSettings = self.settings  # type: ignore[assignment]
        cf = ctx.lm.manifest.content_filtering
        if cf is None:
            self._issue("CNT-01", "content_filtering_missing")
            return
        self._keywords(ctx, cfg, cf.keyword_library)
        if cf.keyword_library:
            self._keyword_filtering(ctx, cfg)
        if cf.classifier is None:
            self._issue("CNT-05", "classifier_missing")
        else:
            missing = [r for r in RISKS if r not in set(cf.classifier.labels)]
            if missing:
                self._issue(
                    "CNT-05",
                    "classifier_risks_uncovered",
                    {"missing": missing},
                    name=cf.classifier.name,
                    covered=31 - len(missing),
                    missing=", ".join(missing),
                )
        # corpus size from the committed shards (run-level stats are written only at commit)
        records = sum(n for status, _, n in ctx.file_status.values() if status == "ok")
        self._sample(
            ctx, "CNT-02", "manual", "人工", cf.manual_sample, cfg.manual_min, cfg.manual_pass
        )
        technical_min = max(1, int(records * cfg.technical_min_share + 0.999999))
        self._sample(
            ctx,
            "CNT-03",
            "technical",
            "技术",
            cf.technical_sample,
            technical_min,
            cfg.technical_pass,
        )

    def _keywords(self, ctx: CheckContext, cfg: ContentSettings, rel: str | None) -> None:
        if rel is None:
            self._issue("CNT-04", "keyword_library_unusable", error="not declared")
            return
        rows, _, error = ctx.records(rel)
        if error or not rows:
            self._issue(
                "CNT-04", "keyword_library_unusable", {"path": rel}, error=error or "no keywords"
            )
            return
        keywords = {
            (str(r.get("keyword", "")).strip(), str(r.get("risk", "")).strip())
            for r in rows
            if r.get("keyword")
        }
        total = len({k for k, _ in keywords})
        per_risk = Counter(risk for _, risk in keywords)
        self.row(
            "stats",
            scope="content",
            subject_id="keyword_library",
            metric="keywords",
            key="*",
            value=float(total),
        )
        for risk in RISKS[:17]:
            self.row(
                "stats",
                scope="content",
                subject_id="keyword_library",
                metric="keywords",
                key=risk,
                value=float(per_risk.get(risk, 0)),
            )
        if total < cfg.keywords_total:
            self._issue(
                "CNT-04",
                "keyword_library_small",
                {"total": total},
                total=total,
                minimum=cfg.keywords_total,
            )
        thin = [
            f"{r} {per_risk.get(r, 0)}"
            for r in RISKS[:17]
            if per_risk.get(r, 0)
            < (cfg.keywords_per_a1 if r.startswith("A.1") else cfg.keywords_per_a2)
        ]
        if thin:
            self._issue(
                "CNT-04",
                "keyword_risks_thin",
                {"risks": thin},
                count=len(thin),
                risks=", ".join(thin[:10]),
            )
        dates = [d for r in rows if (d := parse_date(r.get("updated_at")))]
        reference = ctx.today
        if dates and (reference - max(dates)).days > cfg.max_age_days:
            self._issue(
                "CNT-04",
                "keyword_library_stale",
                {"updated": str(max(dates))},
                updated=max(dates),
                days=(reference - max(dates)).days,
                reference=reference,
            )

    def _keyword_filtering(self, ctx: CheckContext, cfg: ContentSettings) -> None:
        rows = ctx.sql(
            """SELECT f.source_id, k.risk, sum(k.records_checked), sum(k.records_hit)
               FROM keyword_counts k JOIN files f ON f.run_id = k.run_id AND f.file_id = k.file_id
               WHERE k.run_id = ? GROUP BY ALL ORDER BY ALL""",
            [ctx.run_id],
        )
        if not rows:
            self._issue("CNT-01", "keyword_filter_not_run")
            return
        total_checked = total_hits = 0
        for sid, risk, checked, hits in rows:
            rate = hits / checked if checked else 0.0
            self.row(
                "stats",
                scope="source",
                subject_id=sid,
                metric="keyword_hit_rate",
                key=risk,
                value=rate,
            )
            if risk != "*":
                continue
            total_checked += int(checked)
            total_hits += int(hits)
            if rate > cfg.keyword_hit_limit:
                self.find(
                    "CNT-01",
                    "7(1)",
                    SEVERITY["keyword_hits_over_limit"],
                    ("source", sid),
                    "keyword_hits_over_limit",
                    M["keyword_hits_over_limit"],
                    {"hits": int(hits), "checked": int(checked)},
                    source=sid,
                    rate=rate,
                    hits=int(hits),
                    checked=int(checked),
                    limit=cfg.keyword_hit_limit,
                )
        self._issue(
            "CNT-01",
            "corpus_keyword_filtered",
            {"checked": total_checked, "hits": total_hits},
            checked=total_checked,
            hits=total_hits,
            rate=total_hits / total_checked if total_checked else 0.0,
        )

    def _sample(
        self,
        ctx: CheckContext,
        req: str,
        what: str,
        zh: str,
        sample: ReviewSample | None,
        minimum: int,
        required: float,
    ) -> None:
        names = {"what": what, "what_zh": zh}
        if sample is None:
            self._issue(req, "sample_missing", key=what, **names)
            return
        verdicts, error = ctx.verdicts(sample.records)
        if error:
            self._issue(
                req,
                "sample_unusable",
                {"path": sample.records},
                key=what,
                error=error,
                **names,
            )
            return
        n, passes = len(verdicts), verdicts.count("pass")
        for metric, value in (("sample_items", n), ("sample_pass_rate", passes / n)):
            self.row(
                "stats",
                scope="content",
                subject_id=f"{what}_sample",
                metric=metric,
                key="*",
                value=float(value),
            )
        if n < minimum:
            self._issue(
                req,
                "sample_too_small",
                {"n": n, "minimum": minimum},
                key=what,
                n=n,
                minimum=minimum,
                **names,
            )
        if passes / n < required:
            self._issue(
                req,
                "sample_pass_rate_low",
                {"n": n, "passes": passes},
                key=what,
                rate=passes / n,
                passes=passes,
                n=n,
                required=required,
                **names,
            )
