"""Personal information against the declared legal basis (Art. 7(3); PIPL Art. 13, 28, 29, 31).

Reduces the scanner's per-shard counts and hits into ``pii_summary`` (per source × entity type:
records scanned, records with hits, hits, distinct values by keyed hash, sensitive and minor
counts) and checks each source's ``legal_basis``:

* PI-01 personal information without any legal basis;
* PI-02 sensitive personal information without separate consent or another basis for it;
* PI-03 children under 14 without guardian consent.
"""

from __future__ import annotations

from typing import Any, ClassVar, get_args

from pydantic import BaseModel, ConfigDict, Field

from provenance.checks.base import Check, CheckContext
from provenance.findings import FindingCode
from provenance.manifest.model import LegalBasis
from provenance.pii.classify import entity_zh
from provenance.tables import Output

# every declared basis except "none" (the manifest's LegalBasis is the single list of them)
ANY_BASIS = set(get_args(LegalBasis)) - {"none"}
SENSITIVE_BASIS = {"separate_consent", "guardian_consent", "legal_duty", "anonymised"}

NO_BASIS = FindingCode(
    "pi_without_legal_basis",
    "PI-01",
    "7(3)",
    "medium",
    en="source '{source}' holds personal information ({types}; {records} of {scanned} records, {rate:.2%}) but declares no legal basis",
    zh="来源“{source}”含个人信息（{types_zh}；{scanned} 条记录中 {records} 条，{rate:.2%}），但未声明处理的合法性基础",
)
SENSITIVE = FindingCode(
    "sensitive_pi_without_separate_consent",
    "PI-02",
    "7(3)",
    "high",
    en="source '{source}' holds sensitive personal information ({types}; {records} records) under legal basis '{basis}'; separate consent or another basis for sensitive information is required",
    zh="来源“{source}”含敏感个人信息（{types_zh}；{records} 条记录），声明的合法性基础为“{basis}”；处理敏感个人信息须取得单独同意或具备其他合法性基础",
)
MINORS = FindingCode(
    "minors_without_guardian_consent",
    "PI-03",
    "7(3)",
    "high",
    en="source '{source}' holds identity numbers of {count} child(ren) under 14 at collection time without guardian consent",
    zh="来源“{source}”含 {count} 名采集时未满十四周岁未成年人的身份证件号码，且无监护人同意",
)
SUMMARY = FindingCode(
    "pi_present",
    "PI-01",
    "7(3)",
    "info",
    en="source '{source}': {records} of {scanned} records hold personal information ({types})",
    zh="来源“{source}”：{scanned} 条记录中有 {records} 条含个人信息（{types_zh}）",
)


# The reducer: hits per source and entity type, and the records each source's files scanned.
SUMMARY_SQL = """
INSERT INTO pii_summary BY NAME
WITH scanned AS (
    SELECT source_id, sum(records_scanned) AS records_scanned FROM run_pii_counts
    WHERE entity_type = '*' GROUP BY ALL)
SELECT getvariable('provenance_run') AS run_id, h.source_id, h.entity_type,
       coalesce(any_value(s.records_scanned), 0) AS records_scanned,
       count(DISTINCT h.file_id || '/' || h.record_key) AS records_with_hits,
       count(*) AS hits, count(DISTINCT h.value_hash) AS distinct_values,
       bool_or(h.personal) AS personal,
       count(*) FILTER (WHERE h.sensitive) AS sensitive_hits,
       count(DISTINCT h.value_hash) FILTER (WHERE h.minor) AS minors
FROM run_pii_hits h LEFT JOIN scanned s USING (source_id)
GROUP BY h.source_id, h.entity_type
"""
PERSONAL_SQL = """SELECT source_id, entity_type, records_scanned, records_with_hits, sensitive_hits,
                        minors FROM run_pii_summary WHERE personal ORDER BY ALL"""
RECORDS_SQL = """SELECT source_id, count(DISTINCT file_id || '/' || record_key) FROM run_pii_hits
                 WHERE personal GROUP BY ALL"""


class PiSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    high_rate: float = Field(
        0.01, ge=0, le=1, description="Share of records with PI above which PI-01 is high."
    )


class PersonalInformationBasis(Check):
    """pii_summary and the legal-basis findings."""

    name: ClassVar[str] = "personal_information"
    requirements: ClassVar[tuple[str, ...]] = ("PI-01", "PI-02", "PI-03")
    codes: ClassVar[tuple[FindingCode, ...]] = (
        SUMMARY,
        NO_BASIS,
        SENSITIVE,
        MINORS,
    )
    Settings: ClassVar[type[BaseModel]] = PiSettings
    needs: ClassVar[tuple[str, ...]] = ("pii_hits", "pii_counts")
    writes: ClassVar[tuple[Output, ...]] = (Output("pii_summary"),)

    def check(self, ctx: CheckContext) -> None:
        cfg: PiSettings = self.settings  # type: ignore[assignment]
        ctx.execute(SUMMARY_SQL, [])
        sources = {s.id: s for _, s in ctx.lm.manifest.sources()}
        per_source: dict[str, dict[str, tuple[int, int, int]]] = {}
        scanned: dict[str, int] = {}
        for sid, etype, total, recs, sensitive, minors in ctx.sql(PERSONAL_SQL, []):
            per_source.setdefault(sid, {})[etype] = (recs, sensitive, minors)
            scanned[sid] = int(total or 0)
        records_any = dict(ctx.sql(RECORDS_SQL, []))
        for sid, types in sorted(per_source.items()):
            src = sources.get(sid)
            basis = (src.legal_basis if src else None) or "none"
            total = scanned[sid] or 1
            recs = int(records_any.get(sid, 0))
            names = sorted(types)
            subject = ("source", sid)
            values: dict[str, Any] = {
                "source": sid,
                "types": ", ".join(names),
                "types_zh": entity_zh(names),
            }
            ctx.find(SUMMARY, subject, {"types": names}, records=recs, scanned=total, **values)
            if basis not in ANY_BASIS:
                ctx.find(
                    NO_BASIS,
                    subject,
                    {"records": recs, "scanned": total, "types": names},
                    severity="high" if recs / total >= cfg.high_rate else "medium",
                    records=recs,
                    scanned=total,
                    rate=recs / total,
                    **values,
                )
            sens = sorted(t for t, v in types.items() if v[1])
            if sens and basis not in SENSITIVE_BASIS:
                ctx.find(
                    SENSITIVE,
                    subject,
                    {"types": sens, "basis": basis},
                    source=sid,
                    types=", ".join(sens),
                    types_zh=entity_zh(sens),
                    records=sum(types[t][1] for t in sens),
                    basis=basis,
                )
            minors = sum(v[2] for v in types.values())
            if minors and basis != "guardian_consent":
                ctx.find(
                    MINORS, subject, {"children": minors, "basis": basis}, source=sid, count=minors
                )
