"""Licence flags against intended use, inherited terms, and rights notices (Art. 7(2)).

Each declared licence (sources and foundation models) is classified; a source's *effective*
terms are its own AND those of every upstream dataset it derives from. Findings follow the
policy file (severity per intended use); a declared licence more permissive than an upstream
one is "licence laundering". The rights-notice reducer turns the scanner's per-shard counts
into per-source rates in ``stats`` and flags open sources whose records reserve their rights.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, ClassVar, cast

from pydantic import BaseModel, ConfigDict, Field

from provenance.checks.base import Check, CheckContext
from provenance.checks.license_text import USE_EN, USE_ZH, M, reason_zh
from provenance.checks.rights import RightsNoticeRates
from provenance.errors import BadInput, Problem
from provenance.findings import SEVERITIES, FindingCode, Severity
from provenance.licenses import LicenseIndex, LicenseVerdict, index_with
from provenance.licenses.data import Terms
from provenance.licenses.verdict import _combine
from provenance.manifest import Source
from provenance.resources import data_dir
from provenance.tables import Output


class LicenseSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    policy: str = "licenses/policy.toml"
    aliases: list[str] = Field(
        default=[],
        description="Extra alias files (TOML, same format as schemas/licenses/aliases.toml).",
    )
    reservation_rate: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Share of records with reservations that flags an open source.",
    )
    min_records: int = Field(
        20, ge=1, description="Sources with fewer scanned records are not rated."
    )


def _find_file(name: str, pipeline_dir: Path) -> Path:
    for base in (pipeline_dir, data_dir("schemas")):
        if (base / name).is_file():
            return base / name
    raise BadInput(f"licence file {name!r} not found in {pipeline_dir} or the bundled schemas/")


class Licenses(RightsNoticeRates, Check):
    """Classify declared licences; inherit upstream terms; apply the policy; rate rights notices."""

    name: ClassVar[str] = "licenses"
    requirements: ClassVar[tuple[str, ...]] = ("SRC-05", "IP-02")
    Settings: ClassVar[type[BaseModel]] = LicenseSettings
    codes: ClassVar[tuple[FindingCode, ...]] = tuple(M.values())
    needs: ClassVar[tuple[str, ...]] = ("rights_notice_counts",)
    writes: ClassVar[tuple[Output, ...]] = (Output("source_licenses"), Output("stats"))

    def prepare(self, pipeline_dir: Path) -> None:
        cfg: LicenseSettings = self.settings
        path = _find_file(cfg.policy, pipeline_dir)
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        problems = [
            Problem(str(path), f"{code}.{use}", f"must be one of {', '.join(SEVERITIES)} or off")
            for code, uses in doc.items()
            for use, sev in uses.items()
            if sev not in (*SEVERITIES, "off") or use not in USE_EN
        ] + [
            Problem(str(path), code, "policy needs this finding code")
            for code in M
            if code not in doc
        ]
        if problems:
            raise BadInput(f"licence policy {path} has {len(problems)} problem(s)", problems)
        self.policy: dict[str, dict[str, str]] = doc
        self.index: LicenseIndex = index_with([_find_file(a, pipeline_dir) for a in cfg.aliases])

    def check(self, ctx: CheckContext) -> None:
        m = ctx.lm.manifest
        sources = {s.id: s for _, s in m.sources()}
        by_dataset = {d.id: [s.id for s in d.sources] for d in m.datasets}
        declared = {sid: self.index.classify(s.license) for sid, s in sources.items() if s.license}
        effective: dict[str, Terms | None] = {}
        expr: dict[str, str] = {}  # effective terms written out: "MIT AND (CC-BY-NC-SA-4.0)"

        def eff(sid: str, seen: frozenset[str]) -> Terms | None:
            if sid in effective:
                return effective[sid]
            parts: list[Terms] = []
            texts: list[str] = []
            if sid in declared:
                v = declared[sid]
                parts.append(self.index.verdict_terms(v))
                texts.append(v.spdx or f"'{v.input}'")
            for up in self._upstreams(sources[sid], sources, by_dataset):
                if up not in seen and (t := eff(up, seen | {up})) is not None:
                    parts.append(t)
                    texts.append(f"({expr[up]})" if " " in expr[up] else expr[up])
            effective[sid] = _combine("AND", parts) if parts else None
            expr[sid] = " AND ".join(dict.fromkeys(texts))
            return effective[sid]

        for sid, src in sources.items():
            terms = eff(sid, frozenset({sid}))
            v = declared.get(sid)
            ctx.row("source_licenses", **self._row(sid, src, v, terms))
            self._inheritance(ctx, src, v, sources, by_dataset, eff)
            if v is not None or terms is not None:
                self._policy(
                    ctx,
                    "source",
                    sid,
                    src.license or "",
                    v,
                    terms,
                    src.contract is not None,
                    expr.get(sid),
                )
        for model in m.foundation_models:
            if model.license:
                v = self.index.classify(model.license)
                terms = self.index.verdict_terms(v)
                self._policy(
                    ctx,
                    "model",
                    model.id,
                    model.license,
                    v,
                    terms,
                    False,
                )
        self._rights_notices(ctx, sources, declared)

    @staticmethod
    def _upstreams(
        src: Source, sources: dict[str, Source], by_dataset: dict[str, list[str]]
    ) -> list[str]:
        out: list[str] = []
        for up in src.upstream:
            out += [up] if up in sources else [s for s in by_dataset.get(up, []) if s != src.id]
        return out

    def _row(
        self, sid: str, src: Source, v: LicenseVerdict | None, terms: Terms | None
    ) -> dict[str, Any]:
        return {
            "source_id": sid,
            "license_raw": src.license,
            "outcome": v.outcome if v else "empty",
            "spdx": v.spdx if v else None,
            "category": v.category if v else None,
            "commercial_use": v.commercial_use if v else None,
            "confidence": v.confidence if v else 0.0,
            "reason": v.reason if v else "no licence declared",
            "effective_category": terms.category if terms else None,
            "effective_commercial_use": terms.commercial_use if terms else None,
            "share_alike": terms.share_alike if terms else None,
            "no_derivatives": terms.no_derivatives if terms else None,
            "forbids_competing_models": terms.forbids_competing_models if terms else None,
            "upstream": list(src.upstream),
        }

    def _emit(
        self,
        ctx: CheckContext,
        code: str,
        subject_kind: str,
        subject: str,
        evidence: dict[str, Any],
        **values: Any,
    ) -> None:
        use = ctx.lm.manifest.service.intended_use
        sev = self.policy[code][use]
        if sev == "off":
            return
        ctx.find(
            M[code],
            (subject_kind, subject),
            evidence,
            severity=cast(Severity, sev),  # validated against SEVERITIES in prepare()
            key=values.get("upstream", ""),
            subject=subject,
            use_en=USE_EN[use],
            use_zh=USE_ZH[use],
            kind=subject_kind,
            kind_zh={"source": "来源", "model": "模型"}[subject_kind],
            **values,
        )

    def _policy(
        self,
        ctx: CheckContext,
        kind: str,
        subject: str,
        raw: str,
        v: LicenseVerdict | None,
        terms: Terms | None,
        has_contract: bool,
        effective_expr: str | None = None,
    ) -> None:
        data = self.index.data
        if v is not None and v.outcome in ("unknown", "ambiguous"):
            code = "unknown_license" if v.outcome == "unknown" else "ambiguous_license"
            evidence: dict[str, Any] = {"license": raw, "reason": v.reason, "rule": v.rule}
            if v.outcome == "ambiguous":  # what it may mean, and the use all readings share
                evidence |= {"candidates": list(v.candidates), "commercial_use": v.commercial_use}
            self._emit(
                ctx,
                code,
                kind,
                subject,
                evidence,
                raw=raw,
                reason=v.reason,
                reason_zh=reason_zh(v.outcome, v.rule),
            )
        if terms is None:
            return
        spdx = (
            effective_expr or (v.spdx if v and v.spdx else None) or data.label(terms.category, "en")
        )
        base = {
            "spdx": spdx,
            "cat_en": data.label(terms.category, "en"),
            "cat_zh": data.label(terms.category, "zh"),
        }
        ev = {"license": raw, "spdx": v.spdx if v else None, "effective_category": terms.category}
        if terms.commercial_use == "not allowed":
            self._emit(
                ctx,
                "research_only" if terms.category == "research_only" else "non_commercial",
                kind,
                subject,
                ev,
                **base,
            )
        if terms.no_derivatives:
            self._emit(ctx, "no_derivatives", kind, subject, ev, **base)
        if terms.share_alike:
            self._emit(ctx, "share_alike", kind, subject, ev, **base)
        if terms.forbids_competing_models:
            self._emit(ctx, "forbids_competing_models", kind, subject, ev, **base)
        elif terms.category == "model_terms":
            self._emit(ctx, "model_terms", kind, subject, ev, **base)
        if terms.category == "proprietary" and not has_contract:
            self._emit(ctx, "proprietary_without_contract", kind, subject, ev, **base)

    def _inheritance(
        self,
        ctx: CheckContext,
        src: Source,
        v: LicenseVerdict | None,
        sources: dict[str, Source],
        by_dataset: dict[str, list[str]],
        eff: Any,
    ) -> None:
        data = self.index.data
        for up in src.upstream:
            if up not in sources and up not in by_dataset:
                self._emit(
                    ctx, "upstream_undeclared", "source", src.id, {"upstream": up}, upstream=up
                )
        if v is None or v.spdx is None:
            return
        mine = self.index._expr_terms(v.spdx)
        for up in self._upstreams(src, sources, by_dataset):
            t = eff(up, frozenset({src.id, up}))
            if t is None:
                continue
            stricter = t.rank > mine.rank or (
                mine.commercial_use == "allowed" and t.commercial_use == "not allowed"
            )
            if stricter and t.category != "unknown":
                up_v = self.index.classify(sources[up].license) if sources[up].license else None
                self._emit(
                    ctx,
                    "license_laundering",
                    "source",
                    src.id,
                    {"declared": v.spdx, "upstream": up, "upstream_category": t.category},
                    declared=v.spdx,
                    declared_cat_en=data.label(mine.category, "en"),
                    declared_cat_zh=data.label(mine.category, "zh"),
                    upstream=up,
                    upstream_spdx=(
                        up_v.spdx if up_v and up_v.spdx else data.label(t.category, "en")
                    ),
                    upstream_cat_en=data.label(t.category, "en"),
                    upstream_cat_zh=data.label(t.category, "zh"),
                )
