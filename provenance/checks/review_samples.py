"""The review samples are evidence: drawn by the tool, from this corpus, reviewed in full.

For each reviewed sheet the manifest names for data the corpus holds — a source's
``safety_review.post_collection`` (SRC-03) and the corpus samples ``manual_sample`` (CNT-02)
and ``technical_sample`` (CNT-03) — the draw named in its header block is recomputed from this
run's ``record_hashes`` and the sheet's rows are matched against it
(:mod:`provenance.review.verify`). A pre-collection review (SRC-02) samples pages before they
were collected, so it is verified only when it carries a header.

The verdicts' risk codes (TC260-003 Appendix A) give failure rates per code and per source
(``stats``: metric ``review_risk_rate``, key ``<review>:<code>``) and the codes never observed.
The rates and Clopper-Pearson bounds themselves stay with ``safety_sampling`` and
``content_filtering``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar

from provenance.checks.base import Check, CheckContext
from provenance.checks.review_text import R
from provenance.findings import FindingCode
from provenance.review.verify import Verification, verify
from provenance.risks import RISKS
from provenance.tables import Output
from provenance.vocabulary import LABELS

#: review → (requirement, article) its conclusions back
REQUIREMENT = {
    "pre_collection": ("SRC-02", "7(1)"),
    "post_collection": ("SRC-03", "7(1)"),
    "manual_sample": ("CNT-02", "7(1)"),
    "technical_sample": ("CNT-03", "7(1)"),
}
#: the key of fails without a risk code
UNSPECIFIED = "unspecified"
_FILES = "SELECT DISTINCT file_id, root_id || '/' || path FROM run_files"


class ReviewSamples(Check):
    """Verify returned review sheets against the draw; failure rates per risk code."""

    name: ClassVar[str] = "review_samples"
    requirements: ClassVar[tuple[str, ...]] = ("DOC-04", "SRC-03", "CNT-02", "CNT-03")
    codes: ClassVar[tuple[FindingCode, ...]] = tuple(R.values())
    needs: ClassVar[tuple[str, ...]] = ("record_hashes",)
    writes: ClassVar[tuple[Output, ...]] = (Output("stats"),)

    def check(self, ctx: CheckContext) -> None:
        paths = {str(f): str(p) for f, p in ctx.sql(_FILES, [])}
        m = ctx.lm.manifest
        for _, src in m.sources():
            review = src.safety_review
            for stage in ("pre_collection", "post_collection"):
                sample = getattr(review, stage) if review else None
                if sample is not None:
                    scope = f"source {src.id}"
                    self._sheet(ctx, stage, src.id, sample.records, scope, sample.seed, paths)
        cf = m.content_filtering
        for kind in ("manual_sample", "technical_sample"):
            sample = getattr(cf, kind) if cf else None
            if sample is not None:  # a corpus sample is drawn from the whole corpus
                self._sheet(ctx, kind, "corpus", sample.records, "corpus", sample.seed, paths)

    def _sheet(
        self,
        ctx: CheckContext,
        kind: str,
        owner: str,
        rel: str,
        scope: str,
        seed: int | None,
        paths: dict[str, str],
    ) -> None:
        sheet, _error = ctx.sheet(rel)
        if sheet is None:
            return  # unusable: safety_sampling / content_filtering say why
        subject = ("review_sample", f"{kind}:{owner}")
        req = REQUIREMENT[kind]
        words: dict[str, Any] = {
            "review": kind,
            "review_en": LABELS["review"][kind][1],
            "owner_en": "the corpus" if owner == "corpus" else f"source '{owner}'",
            "owner_zh": "语料" if owner == "corpus" else f"来源“{owner}”",
            "path": rel,
        }
        if not sheet.header and kind == "pre_collection":
            v = Verification()  # pages sampled before collection: not in this corpus
        else:
            v = verify(lambda sql, p: ctx.sql(sql, p), sheet.header, sheet.rows, paths, scope, seed)
            self._conclude(ctx, v, subject, req, words)
        self._risks(ctx, sheet.rows, v, kind, owner, subject, req, words)

    def _conclude(
        self,
        ctx: CheckContext,
        v: Verification,
        subject: tuple[str, str],
        req: tuple[str, str],
        words: dict[str, Any],
    ) -> None:
        ev = {**v.evidence(), "path": words["path"]}
        if v.problem is None:
            figures: dict[str, Any] = {"n": v.n, "population": v.population, "sample": v.sample_id}
            ctx.find(R["sample_verified"], subject, ev, **words, **figures)
        else:  # not_drawn, unverifiable, corpus_changed, tampered
            code = R[f"sample_{v.problem}"]
            why: dict[str, Any] = {"why": v.detail, "why_zh": v.detail_zh}
            ctx.find(code, subject, ev, requirement=req, **words, **why)
        if v.unreviewed and v.problem in (None, "tampered"):
            counts: dict[str, Any] = {"unreviewed": v.unreviewed, "n": v.n}
            ctx.find(R["sample_incomplete"], subject, ev, requirement=req, **words, **counts)

    def _risks(
        self,
        ctx: CheckContext,
        rows: list[dict[str, Any]],
        v: Verification,
        kind: str,
        owner: str,
        subject: tuple[str, str],
        req: tuple[str, str],
        words: dict[str, Any],
    ) -> None:
        """Failure rate per risk code, per source and over the sheet; codes never observed."""
        reviewed = [r for r in rows if r.get("verdict")]
        if not reviewed:
            return
        per_source: Counter[str] = Counter()
        fails: Counter[tuple[str, str]] = Counter()
        for r in reviewed:
            source = v.sources.get(str(r.get("sample_item")), str(r.get("source") or owner))
            per_source[source] += 1
            if r["verdict"] != "fail":
                continue
            codes = [c for c in str(r.get("risk_code") or "").split(";") if c] or [UNSPECIFIED]
            for code in codes:
                fails[(source, code)] += 1
                fails[("*", code)] += 1
        per_source["*"] = len(reviewed)
        for (source, code), k in sorted(fails.items()):
            if source == "*" and owner != "corpus":
                continue  # a source's review: its per-source rows are the totals
            scope, sid = ("corpus", owner) if source == "*" else ("source", source)
            ctx.row(
                "stats",
                scope=scope,
                subject_id=sid,
                metric="review_risk_rate",
                key=f"{kind}:{code}",
                value=k / per_source[source],
            )
        total = Counter({code: k for (s, code), k in fails.items() if s == "*"})
        never = [c for c in RISKS if c not in total]
        ctx.find(
            R["review_risks"],
            subject,
            {"fails_by_risk": dict(sorted(total.items())), "never_observed": never},
            requirement=req,
            **words,
            reviewed=len(reviewed),
            fails=sum(1 for r in reviewed if r["verdict"] == "fail"),
            by_risk=", ".join(f"{c} {k}" for c, k in sorted(total.items())) or "-",
            by_risk_zh="，".join(
                f"{'未注明' if c == UNSPECIFIED else c} {k}" for c, k in sorted(total.items())
            )
            or "无",
            never=len(never),
        )
