"""Annotation (Art. 8; TC260-003 §5.3): rules, annotators, role separation, spot checks, metrics.

From a dataset's ``annotation`` section (rules, annotator roster, batch records):

* ANN-01 functional and safety rules exist apart, with target, data format, method and quality
  indicators, and also govern review; every batch names a known rule;
* ANN-02 safety rules cover all 31 risks of TC260-003 Appendix A;
* ANN-03 each batch's annotator was trained, examined and qualified when annotating;
* ANN-04 annotator and reviewer are different people in every batch;
* ANN-05 every functional batch was spot-checked; batches with illegal content are excluded;
* ANN-06 every safety-annotated item was reviewed (100%);
* ANN-08 filing metrics: annotated units, annotators by type, training hours, verification ratio.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from provenance.checks.annotation_text import A
from provenance.checks.base import Check, CheckContext
from provenance.dates import parse_date
from provenance.findings import FindingCode
from provenance.manifest import Dataset
from provenance.risks import RISKS
from provenance.tables import Output
from provenance.vocabulary import LABELS

SECTIONS = ("target", "data_format", "method", "quality_indicators")


def _true(v: Any) -> bool:
    return str(v).strip().lower() in ("true", "1", "yes", "y")


def _int(v: Any) -> int:
    try:
        return int(float(v))
    except (TypeError, ValueError):
        return 0


class AnnotationCheck(Check):
    """ANN-01…06 findings and ANN-08 metrics per annotated dataset."""

    name: ClassVar[str] = "annotation"
    requirements: ClassVar[tuple[str, ...]] = (
        "ANN-01",
        "ANN-02",
        "ANN-03",
        "ANN-04",
        "ANN-05",
        "ANN-06",
        "ANN-08",
    )
    codes: ClassVar[tuple[FindingCode, ...]] = tuple(A.values())
    writes: ClassVar[tuple[Output, ...]] = (Output("annotation_rules"), Output("stats"))

    @staticmethod
    def _issue(
        ctx: CheckContext, code: str, ds: Dataset, evidence: dict[str, Any], **values: Any
    ) -> None:
        ctx.find(
            A[code],
            ("dataset", ds.id),
            evidence,
            key=str(values.get("rule", values.get("kind", ""))),
            dataset=ds.id,
            **values,
        )

    def check(self, ctx: CheckContext) -> None:
        for ds in ctx.lm.manifest.datasets:
            if ds.annotation is None:
                if ds.stage in ("fine_tuning", "alignment"):
                    for kind, zh in (("functional", "功能性"), ("safety", "安全性")):
                        self._issue(ctx, "rules_missing", ds, {}, kind=kind, kind_zh=zh)
                continue
            self._rules(ctx, ds)
            self._records(ctx, ds)

    def _rules(self, ctx: CheckContext, ds: Dataset) -> None:
        assert ds.annotation is not None
        rules = ds.annotation.rules
        for kind, zh in (("functional", "功能性"), ("safety", "安全性")):
            if not any(r.kind == kind for r in rules):
                self._issue(ctx, "rules_missing", ds, {}, kind=kind, kind_zh=zh)
        for r in rules:
            missing = [s for s in SECTIONS if s not in r.sections] + (
                [] if r.covers_review else ["review step"]
            )
            if missing:
                self._issue(
                    ctx,
                    "rule_incomplete",
                    ds,
                    {"missing": missing},
                    rule=r.id,
                    missing=", ".join(missing),
                    missing_zh="、".join(LABELS["rule_section"][m][0] for m in missing),
                )
            ctx.row(
                "annotation_rules",
                dataset_id=ds.id,
                rule_id=r.id,
                kind=r.kind,
                version=r.version,
                path=r.path,
                sections=list(r.sections),
                risks=list(r.risks),
            )
        safety = [r for r in rules if r.kind == "safety"]
        if safety:
            covered = {c for r in safety for c in r.risks}
            missing_risks = [c for c in RISKS if c not in covered]
            if missing_risks:
                self._issue(
                    ctx,
                    "risks_uncovered",
                    ds,
                    {"missing": missing_risks},
                    covered=31 - len(missing_risks),
                    missing=", ".join(missing_risks),
                )

    def _records(self, ctx: CheckContext, ds: Dataset) -> None:
        ann = ds.annotation
        assert ann is not None
        loaded: dict[str, list[dict[str, Any]]] = {}
        for what, zh, rel in (
            ("annotator", "人员", ann.annotators),
            ("batch", "批次", ann.batches),
        ):
            rows, _, error = ctx.records(rel) if rel else ([], 0, "not declared")
            if error or not rows:
                self._issue(
                    ctx,
                    "records_missing",
                    ds,
                    {"path": rel, "error": error},
                    what=what,
                    what_zh=zh,
                    kind=what,
                )
            loaded[what] = rows
        roster = {str(a.get("annotator_id")): a for a in loaded["annotator"]}
        batches = loaded["batch"]
        rule_ids = {r.id for r in ann.rules}
        unknown = sorted(
            {str(b.get("rule_id")) for b in batches if str(b.get("rule_id")) not in rule_ids}
        )
        if unknown:
            n = sum(1 for b in batches if str(b.get("rule_id")) in unknown)
            self._issue(
                ctx, "unknown_rule", ds, {"rules": unknown}, count=n, rules=", ".join(unknown)
            )
        unqualified, same, unchecked, illegal, unsafe, unsafe_items, unsafe_checked = _tally(
            batches, roster
        )
        for code, count, extra in (
            ("annotator_unqualified", unqualified, {}),
            ("same_annotator_reviewer", same, {}),
            ("batch_not_checked", unchecked, {}),
            ("illegal_batch_used", illegal, {}),
            (
                "safety_not_fully_reviewed",
                unsafe,
                {"items": unsafe_items, "checked": unsafe_checked},
            ),
        ):
            if count:
                self._issue(ctx, code, ds, {"batches": count, **extra}, count=count, **extra)
        self._metrics(ctx, ds, loaded["annotator"], batches)

    def _metrics(
        self,
        ctx: CheckContext,
        ds: Dataset,
        annotators: list[dict[str, Any]],
        batches: list[dict[str, Any]],
    ) -> None:
        items = sum(_int(b.get("items")) for b in batches)
        checked = sum(_int(b.get("checked_items")) for b in batches)
        by_type = Counter(str(a.get("type") or "unknown") for a in annotators)
        hours = sum(float(a.get("training_hours") or 0) for a in annotators)
        metrics: list[tuple[str, str, float]] = [
            ("annotated_units", "*", float(items)),
            ("batches", "*", float(len(batches))),
            ("manual_verification_ratio", "*", checked / items if items else 0.0),
            ("training_hours", "*", hours),
            *[("annotators", t, float(n)) for t, n in sorted(by_type.items())],
        ]
        for metric, key, value in metrics:
            ctx.row(
                "stats", scope="annotation", subject_id=ds.id, metric=metric, key=key, value=value
            )


def _tally(
    batches: list[dict[str, Any]], roster: dict[str, dict[str, Any]]
) -> tuple[int, int, int, int, int, int, int]:
    """Batches with an unqualified annotator, self-review, no spot check, illegal content kept,
    safety items not all reviewed (and those items, and how many were checked)."""
    unqualified = same = unchecked = illegal = unsafe = 0
    unsafe_items = unsafe_checked = 0
    for b in batches:
        a = roster.get(str(b.get("annotator_id")))
        when = parse_date(b.get("annotated_on"))
        trained, until = (
            (parse_date(a.get("trained_on")), parse_date(a.get("qualified_until")))
            if a
            else (None, None)
        )
        if (
            not a
            or not _true(a.get("exam_passed"))
            or not when
            or not trained
            or trained > when
            or (until and when > until)
        ):
            unqualified += 1
        if str(b.get("annotator_id")) == str(b.get("reviewer_id")):
            same += 1
        items, checked = _int(b.get("items")), _int(b.get("checked_items"))
        if str(b.get("kind")) == "functional" and checked <= 0:
            unchecked += 1
        if _true(b.get("illegal_content")) and not _true(b.get("excluded")):
            illegal += 1
        if str(b.get("kind")) == "safety" and checked < items:
            unsafe += 1
            unsafe_items += items
            unsafe_checked += checked
    return unqualified, same, unchecked, illegal, unsafe, unsafe_items, unsafe_checked
