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

from provenance.checks.base import Check, CheckContext
from provenance.checks.content_text import C
from provenance.dates import parse_date
from provenance.findings import FindingCode
from provenance.manifest.model import ReviewSample
from provenance.risks import RISKS
from provenance.tables import Output


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
    codes: ClassVar[tuple[FindingCode, ...]] = tuple(C.values())
    needs: ClassVar[tuple[str, ...]] = ("keyword_counts",)
    writes: ClassVar[tuple[Output, ...]] = (Output("stats"),)

    def check(self, ctx: CheckContext) -> None:
        cfg: ContentSettings = self.settings  # type: ignore[assignment]
        cf = ctx.lm.manifest.content_filtering
        if cf is None:
            issue(ctx, "content_filtering_missing")
            return
        self._keywords(ctx, cfg, cf.keyword_library)
        if cf.keyword_library:
            self._keyword_filtering(ctx, cfg)
        if cf.classifier is None:
            issue(ctx, "classifier_missing")
        else:
            missing = [r for r in RISKS if r not in set(cf.classifier.labels)]
            if missing:
                issue(
                    ctx,
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
            issue(ctx, "keyword_library_unusable", error="not declared")
            return
        rows, _, error = ctx.records(rel)
        if error or not rows:
            issue(ctx, "keyword_library_unusable", {"path": rel}, error=error or "no keywords")
            return
        keywords = {
            (str(r.get("keyword", "")).strip(), str(r.get("risk", "")).strip())
            for r in rows
            if r.get("keyword")
        }
        total = len({k for k, _ in keywords})
        per_risk = Counter(risk for _, risk in keywords)
        for key, value in (("*", total), *((r, per_risk.get(r, 0)) for r in RISKS[:17])):
            ctx.row(
                "stats",
                scope="content",
                subject_id="keyword_library",
                metric="keywords",
                key=key,
                value=float(value),
            )
        if total < cfg.keywords_total:
            issue(
                ctx,
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
            issue(
                ctx,
                "keyword_risks_thin",
                {"risks": thin},
                count=len(thin),
                risks=", ".join(thin[:10]),
            )
        dates = [d for r in rows if (d := parse_date(r.get("updated_at")))]
        reference = ctx.today
        if dates and (reference - max(dates)).days > cfg.max_age_days:
            issue(
                ctx,
                "keyword_library_stale",
                {"updated": str(max(dates))},
                updated=max(dates),
                days=(reference - max(dates)).days,
                reference=reference,
            )

    def _keyword_filtering(self, ctx: CheckContext, cfg: ContentSettings) -> None:
        rows = ctx.sql(
            """SELECT source_id, risk, sum(records_checked), sum(records_hit)
               FROM run_keyword_counts GROUP BY ALL ORDER BY ALL""",
            [],
        )
        if not rows:
            issue(ctx, "keyword_filter_not_run")
            return
        total_checked = total_hits = 0
        for sid, risk, checked, hits in rows:
            rate = hits / checked if checked else 0.0
            ctx.row(
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
                ctx.find(
                    C["keyword_hits_over_limit"],
                    ("source", sid),
                    {"hits": int(hits), "checked": int(checked)},
                    source=sid,
                    rate=rate,
                    hits=int(hits),
                    checked=int(checked),
                    limit=cfg.keyword_hit_limit,
                )
        issue(
            ctx,
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
        names: dict[str, Any] = {"what": what, "what_zh": zh, "requirement": (req, "7(1)")}
        if sample is None:
            issue(ctx, "sample_missing", key=what, **names)
            return
        verdicts, error = ctx.verdicts(sample.records)
        if error:
            issue(
                ctx,
                "sample_unusable",
                {"path": sample.records},
                key=what,
                error=error,
                **names,
            )
            return
        n, passes = len(verdicts), verdicts.count("pass")
        for metric, value in (("sample_items", n), ("sample_pass_rate", passes / n)):
            ctx.row(
                "stats",
                scope="content",
                subject_id=f"{what}_sample",
                metric=metric,
                key="*",
                value=float(value),
            )
        if n < minimum:
            issue(
                ctx,
                "sample_too_small",
                {"n": n, "minimum": minimum},
                key=what,
                n=n,
                minimum=minimum,
                **names,
            )
        if passes / n < required:
            issue(
                ctx,
                "sample_pass_rate_low",
                {"n": n, "passes": passes},
                key=what,
                rate=passes / n,
                passes=passes,
                n=n,
                required=required,
                **names,
            )


def issue(
    ctx: CheckContext,
    code: str,
    evidence: dict[str, Any] | None = None,
    /,
    key: str = "",
    requirement: tuple[str, str] | None = None,
    **values: Any,
) -> None:
    """A run-level content-filtering finding."""
    ctx.find(C[code], ("run", "corpus"), evidence or {}, key=key, requirement=requirement, **values)
