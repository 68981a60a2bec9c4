"""Hash every evidence document the manifest names (DOC-04) and report missing ones.

A missing or unreadable evidence file is a finding under the requirement the document backs
(licence → SRC-05, contract → SRC-09, collection records → SRC-07, consent → SRC-10,
model filing → SRC-12), never a crash.
"""

from __future__ import annotations

from typing import ClassVar

from provenance.checks.base import SUBJECT_ZH, Check, CheckContext
from provenance.findings import FindingCode
from provenance.tables import Output
from provenance.vocabulary import LABELS

REQUIREMENT_OF_KIND = {
    "license": ("SRC-05", "7(2)"),
    "contract": ("SRC-09", "7(1)"),
    "collection_log": ("SRC-07", "7(1)"),
    "robots_snapshot": ("SRC-08", "7(1)"),
    "authorization": ("SRC-10", "7(3)"),
    "consent_records": ("SRC-10", "7(3)"),
    "filing": ("SRC-12", "7(1)"),
    "model_card": ("SRC-12", "7(1)"),
    "safety_review": ("SRC-02", "7(1)"),
    "annotation_rules": ("ANN-01", "8"),
    "content_filtering": ("CNT-04", "7(1)"),
    "annotation_records": ("ANN-03", "8"),
    "ip_management": ("IP-01", "7(2)"),
    "pi_impact_assessment": ("PI-05", "7(3)"),
    "block_list_results": ("SRC-11", "7(1)"),
    "data_security": ("DOC-05", "7(5)"),
    "other": ("DOC-04", "19"),
}

MISSING = FindingCode(
    "evidence_missing",
    "DOC-04",
    "19",
    "medium",
    en="{kind} evidence '{path}' of {subject_kind} '{subject}' is {status}; the claim it backs cannot be verified",
    zh="{subject_zh}“{subject}”的{kind_zh}证明材料“{path}”{status_zh}，其所支撑的声明无法核实",
)
#: evidence kinds in Chinese, from the one vocabulary
KIND_ZH = {kind: zh for kind, (zh, _) in LABELS["evidence_kind"].items()}
UNREADABLE = FindingCode(
    "evidence_unreadable", "DOC-04", "19", "medium", en=MISSING.en, zh=MISSING.zh
)
_STATUS_ZH = {"missing": "不存在", "unreadable": "无法读取"}


def manifest_evidence(ctx: CheckContext) -> list[tuple[str, str, str, str]]:
    """Every evidence path named in the manifest: (subject_kind, subject_id, kind, path)."""
    out: list[tuple[str, str, str, str]] = []
    for model in ctx.lm.manifest.foundation_models:
        out += [("model", model.id, e.kind, e.path) for e in model.evidence]
    cf = ctx.lm.manifest.content_filtering
    if cf:
        out += [
            ("run", "corpus", "content_filtering", p)
            for p in (
                cf.keyword_library,
                *(x.records for x in (cf.manual_sample, cf.technical_sample) if x),
            )
            if p
        ]
    for ds in ctx.lm.manifest.datasets:
        if ds.annotation:
            out += [("dataset", ds.id, "annotation_rules", r.path) for r in ds.annotation.rules]
            out += [
                ("dataset", ds.id, "annotation_records", p)
                for p in (ds.annotation.annotators, ds.annotation.batches)
                if p
            ]
    out += attestation_evidence(ctx)
    for _, src in ctx.lm.manifest.sources():
        out += [("source", src.id, e.kind, e.path) for e in src.evidence]
        if src.storage and src.storage.assessment:
            out.append(("source", src.id, "data_security", src.storage.assessment))
        if src.contract and src.contract.document:
            out.append(("source", src.id, "contract", src.contract.document))
        if src.contract and src.contract.warranties:
            out.append(("source", src.id, "contract", src.contract.warranties))
        if src.collection and src.collection.log:
            out.append(("source", src.id, "collection_log", src.collection.log))
        if src.safety_review:
            for sample in (src.safety_review.pre_collection, src.safety_review.post_collection):
                if sample:
                    out.append(("source", src.id, "safety_review", sample.records))
        if src.authorization:
            out.append(("source", src.id, "consent_records", src.authorization.records))
    return out


def attestation_evidence(ctx: CheckContext) -> list[tuple[str, str, str, str]]:
    """The documents behind the manifest's attestations (IP, PI impact, block list)."""
    att = ctx.lm.manifest.attestations
    if att is None:
        return []
    out = []
    if att.ip_management:
        ip = att.ip_management
        out += [
            ("run", "ip_management", "ip_management", p)
            for p in (ip.strategy, ip.complaint_log)
            if p
        ]
    if att.pi_impact_assessment:
        out.append(
            (
                "run",
                "pi_impact_assessment",
                "pi_impact_assessment",
                att.pi_impact_assessment.document,
            )
        )
    if att.block_list:
        out.append(("run", "block_list", "block_list_results", att.block_list.results))
    return out


class EvidenceFiles(Check):
    """SHA-256 of each evidence document into ``evidence``; findings for missing ones."""

    name: ClassVar[str] = "evidence_files"
    requirements: ClassVar[tuple[str, ...]] = ("DOC-04",)
    codes: ClassVar[tuple[FindingCode, ...]] = (MISSING, UNREADABLE)
    writes: ClassVar[tuple[Output, ...]] = (Output("evidence"),)

    def check(self, ctx: CheckContext) -> None:
        seen: set[tuple[str, str, str]] = set()
        for subject_kind, subject_id, kind, rel in manifest_evidence(ctx):
            if (subject_kind, subject_id, rel) in seen:
                continue
            seen.add((subject_kind, subject_id, rel))
            ev = ctx.evidence_file(rel)
            ctx.row(
                "evidence",
                subject_kind=subject_kind,
                subject_id=subject_id,
                kind=kind,
                path=ctx.display(ev.path),
                status=ev.status,
                sha256=ev.sha256,
                bytes=ev.bytes,
            )
            if ev.status != "ok":
                ctx.find(
                    MISSING if ev.status == "missing" else UNREADABLE,
                    (subject_kind, subject_id),
                    {"path": rel, "kind": kind},
                    requirement=REQUIREMENT_OF_KIND[kind],
                    key=rel,
                    kind=kind,
                    kind_zh=KIND_ZH[kind],
                    path=rel,
                    subject_kind=subject_kind,
                    subject_zh=SUBJECT_ZH[subject_kind],
                    subject=subject_id,
                    status=ev.status,
                    status_zh=_STATUS_ZH[ev.status],
                )
