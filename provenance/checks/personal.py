"""Personal information against the declared legal basis (Art. 7(3); PIPL Art. 13, 28, 29, 31).

Reduces the scanner's per-shard counts and hits into ``pii_summary`` (per source × entity type:
records scanned, records with hits, hits, distinct values by keyed hash, sensitive and minor
counts) and checks each source's ``legal_basis``:

* PI-01 personal information without any legal basis;
* PI-02 sensitive personal information without separate consent or another basis for it;
* PI-03 children under 14 without guardian consent.
"""

from __future__ import annotations

from typing import ClassVar, get_args

from pydantic import BaseModel, ConfigDict, Field

from provenance.checks.base import Check, CheckContext
from provenance.findings import Message
from provenance.manifest.model import LegalBasis
from provenance.pii.classify import entity_zh

# every declared basis except "none" (the manifest's LegalBasis is the single list of them)
ANY_BASIS = set(get_args(LegalBasis)) - {"none"}
SENSITIVE_BASIS = {"separate_consent", "guardian_consent", "legal_duty", "anonymised"}

NO_BASIS = Message(
    en="source '{source}' holds personal information ({types}; {records} of {scanned} records, {rate:.2%}) but declares no legal basis",
    zh="来源“{source}”含个人信息（{types_zh}；{scanned} 条记录中 {records} 条，{rate:.2%}），但未声明处理的合法性基础",
)
SENSITIVE = Message(
    en="source '{source}' holds sensitive personal information ({types}; {records} records) under legal basis '{basis}'; separate consent or another basis for sensitive information is required",
    zh="来源“{source}”含敏感个人信息（{types_zh}；{records} 条记录），声明的合法性基础为“{basis}”；处理敏感个人信息须取得单独同意或具备其他合法性基础",
)
MINORS = Message(
    en="source '{source}' holds identity numbers of {count} child(ren) under 14 at collection time without guardian consent",
    zh="来源“{source}”含 {count} 名采集时未满十四周岁未成年人的身份证件号码，且无监护人同意",
)
SUMMARY = Message(
    en="source '{source}': {records} of {scanned} records hold personal information ({types})",
    zh="来源“{source}”：{scanned} 条记录中有 {records} 条含个人信息（{types_zh}）",
)


class PiSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    high_rate: float = Field(
        0.01, ge=0, le=1, description="Share of records with PI above which PI-01 is high."
    )


class PersonalInformationBasis(Check):
    """pii_summary and the legal-basis findings."""

    name: ClassVar[str] = "personal_information"
    requirements: ClassVar[tuple[str, ...]] = ("PI-01", "PI-02", "PI-03")
    Settings: ClassVar[type[BaseModel]] = PiSettings

    def check(self, ctx: CheckContext) -> None:
        cfg: PiSettings = self.settings  # type: ignore[assignment]
        scanned = dict(
            ctx.sql(
                """SELECT f.source_id, sum(c.records_scanned) FROM pii_counts c
               JOIN files f ON f.run_id = c.run_id AND f.file_id = c.file_id
               WHERE c.run_id = ? AND c.entity_type = '*' GROUP BY ALL""",
                [ctx.run_id],
            )
        )
        rows = ctx.sql(
            """SELECT f.source_id, h.entity_type, count(DISTINCT h.file_id || '/' || h.record_key),
                      count(*), count(DISTINCT h.value_hash), bool_or(h.personal),
                      count(*) FILTER (WHERE h.sensitive), count(DISTINCT h.value_hash) FILTER (WHERE h.minor)
               FROM pii_hits h JOIN files f ON f.run_id = h.run_id AND f.file_id = h.file_id
               WHERE h.run_id = ? GROUP BY ALL ORDER BY ALL""",
            [ctx.run_id],
        )
        sources = {s.id: s for _, s in ctx.lm.manifest.sources()}
        per_source: dict[str, dict[str, list[int]]] = {}
        for sid, etype, recs, hits, distinct, personal, sensitive, minors in rows:
            self.row(
                "pii_summary",
                source_id=sid,
                entity_type=etype,
                records_scanned=int(scanned.get(sid, 0)),
                records_with_hits=recs,
                hits=hits,
                distinct_values=distinct,
                personal=personal,
                sensitive_hits=sensitive,
                minors=minors,
            )
            if personal:
                per_source.setdefault(sid, {})[etype] = [recs, sensitive, minors]
        records_any = dict(
            ctx.sql(
                """SELECT f.source_id, count(DISTINCT h.file_id || '/' || h.record_key) FROM pii_hits h
               JOIN files f ON f.run_id = h.run_id AND f.file_id = h.file_id
               WHERE h.run_id = ? AND h.personal GROUP BY ALL""",
                [ctx.run_id],
            )
        )
        for sid, types in sorted(per_source.items()):
            src = sources.get(sid)
            basis = (src.legal_basis if src else None) or "none"
            total = int(scanned.get(sid, 0)) or 1
            recs = int(records_any.get(sid, 0))
            names = ", ".join(sorted(types))
            subject = ("source", sid)
            self.find(
                "PI-01",
                "7(3)",
                "info",
                subject,
                "pi_present",
                SUMMARY,
                {"types": sorted(types)},
                source=sid,
                records=recs,
                scanned=total,
                types=names,
                types_zh=entity_zh(sorted(types)),
            )
            if basis not in ANY_BASIS:
                self.find(
                    "PI-01",
                    "7(3)",
                    "high" if recs / total >= cfg.high_rate else "medium",
                    subject,
                    "pi_without_legal_basis",
                    NO_BASIS,
                    {"records": recs, "scanned": total, "types": sorted(types)},
                    source=sid,
                    types=names,
                    types_zh=entity_zh(sorted(types)),
                    records=recs,
                    scanned=total,
                    rate=recs / total,
                )
            sens = {t: v for t, v in types.items() if v[1]}
            if sens and basis not in SENSITIVE_BASIS:
                self.find(
                    "PI-02",
                    "7(3)",
                    "high",
                    subject,
                    "sensitive_pi_without_separate_consent",
                    SENSITIVE,
                    {"types": sorted(sens), "basis": basis},
                    source=sid,
                    types=", ".join(sorted(sens)),
                    types_zh=entity_zh(sorted(sens)),
                    records=sum(v[1] for v in sens.values()),
                    basis=basis,
                )
            minors = sum(v[2] for v in types.values())
            if minors and basis != "guardian_consent":
                self.find(
                    "PI-03",
                    "7(3)",
                    "high",
                    subject,
                    "minors_without_guardian_consent",
                    MINORS,
                    {"children": minors, "basis": basis},
                    source=sid,
                    count=minors,
                )
