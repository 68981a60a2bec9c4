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
from provenance.manifest.enums import LegalBasis
from provenance.pii.classify import entity_zh
from provenance.pii.ner import NER_ENTITIES
from provenance.pii.sampling import stratified
from provenance.tables import Output

# every declared basis except "none" (the manifest's LegalBasis is the single list of them)
ANY_BASIS = set(get_args(LegalBasis)) - {"none"}
SENSITIVE_BASIS = {"separate_consent", "guardian_consent", "legal_duty", "anonymised"}

NO_BASIS = FindingCode(
    "pi_without_legal_basis",
    "PI-01",
    "7(3)",
    "medium",
    en="source '{source}' holds personal information ({parts_en}) but declares no legal basis",
    zh="来源“{source}”含个人信息（{parts_zh}），但未声明处理的合法性基础",
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
    zh="来源“{source}”含 {count} 名采集时不满十四周岁未成年人的身份证件号码，且无监护人同意",
)
SUMMARY = FindingCode(
    "pi_present",
    "PI-01",
    "7(3)",
    "info",
    en="source '{source}' holds personal information: {parts_en}",
    zh="来源“{source}”含个人信息：{parts_zh}",
)


NAMES_OFF = FindingCode(
    "names_not_assessed",
    "PI-01",
    "7(3)",
    "low",
    en="source '{source}': names and places in free text were not looked for (the personal_information scanner ran with names = off); its personal-information figures cover identifiers and label-cued names only",
    zh="来源“{source}”：未检测自由文本中的姓名和地点（个人信息扫描器设置“names = off”）；其个人信息数据仅涵盖标识符和带标签的姓名",
)

# hits per source and entity type (the heavy part stays in SQL: pii_hits may be large)
HITS_SQL = """
SELECT source_id, entity_type, count(DISTINCT file_id || '/' || record_key) AS records_with_hits,
       count(*) AS hits, count(DISTINCT value_hash) AS distinct_values, bool_or(personal),
       count(*) FILTER (WHERE sensitive), count(DISTINCT value_hash) FILTER (WHERE minor)
FROM run_pii_hits GROUP BY ALL ORDER BY ALL"""
# records per source (every record is looked at for patterns)
POPULATION_SQL = """SELECT source_id, sum(records_scanned) FROM run_pii_counts
                    WHERE entity_type = '*' GROUP BY ALL"""
# NER strata: per shard, records, records analysed, records with the type
STRATA_SQL = """
SELECT c.source_id, c.entity_type, c.coverage, a.records_scanned, c.records_scanned, c.records_with
FROM run_pii_counts c JOIN run_pii_counts a
  ON a.file_id = c.file_id AND a.shard_id = c.shard_id AND a.entity_type = '*'
WHERE c.coverage IN ('ner_sample', 'ner_all') ORDER BY ALL"""
RECORDS_SQL = """SELECT source_id, count(DISTINCT file_id || '/' || record_key) FROM run_pii_hits
                 WHERE personal AND entity_type <> 'PERSON' GROUP BY ALL"""
#: how names and places were covered, as pii_summary says it
COVERAGE = {"ner_sample": "sampled", "ner_all": "full"}


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
        NAMES_OFF,
        NO_BASIS,
        SENSITIVE,
        MINORS,
    )
    Settings: ClassVar[type[BaseModel]] = PiSettings
    needs: ClassVar[tuple[str, ...]] = ("pii_hits", "pii_counts")
    writes: ClassVar[tuple[Output, ...]] = (Output("pii_summary"),)

    def check(self, ctx: CheckContext) -> None:
        cfg: PiSettings = self.settings  # type: ignore[assignment]
        rows = self._summary(ctx)
        for row in rows.values():
            ctx.row("pii_summary", **row)
        sources = {s.id: s for _, s in ctx.lm.manifest.sources()}
        records_any = {sid: int(n) for sid, n in ctx.sql(RECORDS_SQL, [])}
        by_source: dict[str, list[dict[str, Any]]] = {}
        for row in rows.values():
            by_source.setdefault(row["source_id"], []).append(row)
        for sid, srows in sorted(by_source.items()):
            total = int(srows[0]["population"] or 0)
            if any(r["coverage"] == "not assessed" for r in srows) and total:
                ctx.find(NAMES_OFF, ("source", sid), {"records": total}, source=sid)
            types = {r["entity_type"]: r for r in srows if r["personal"] and r["records_with_hits"]}
            if not types:
                continue
            self._source(ctx, cfg, sid, sources.get(sid), types, total, records_any.get(sid, 0))

    @staticmethod
    def _summary(ctx: CheckContext) -> dict[tuple[str, str], dict[str, Any]]:
        """pii_summary rows: counted for patterns, estimated from the NER sample for names."""
        population = {sid: int(n or 0) for sid, n in ctx.sql(POPULATION_SQL, [])}
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for sid, t, recs, hits, distinct, personal, sens, minors in ctx.sql(HITS_SQL, []):
            pop = population.get(sid, 0)
            rate = recs / pop if pop else None
            rows[(sid, t)] = dict(
                source_id=sid, entity_type=t, records_scanned=pop, records_with_hits=recs,
                hits=hits, distinct_values=distinct, personal=personal, sensitive_hits=sens,
                minors=minors, coverage="full", population=pop, rate=rate, rate_low=rate,
                rate_high=rate,
            )  # fmt: skip
        strata: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
        for sid, t, _cov, n_all, n, y in ctx.sql(STRATA_SQL, []):
            strata.setdefault((sid, t), []).append((int(n_all), int(n), int(y)))
        for (sid, t), st in strata.items():
            est = stratified(st)
            row = rows.setdefault((sid, t), _empty(sid, t, population.get(sid, 0)))
            row.update(
                coverage="full" if est.exact else "sampled",
                records_scanned=est.sampled,
                records_with_hits=sum(y for _, _, y in st),
                rate=est.rate,
                rate_low=est.low,
                rate_high=est.high,
            )
        for sid, pop in population.items():  # NER off: names and places not assessed
            for t in NER_ENTITIES:
                if pop and (sid, t) not in strata:
                    row = rows.setdefault((sid, t), _empty(sid, t, pop))
                    row.update(coverage="not assessed", rate=None, rate_low=None, rate_high=None)
        return rows

    @staticmethod
    def _source(
        ctx: CheckContext,
        cfg: PiSettings,
        sid: str,
        src: Any,
        types: dict[str, dict[str, Any]],
        total: int,
        identifier_records: int,
    ) -> None:
        basis = (src.legal_basis if src else None) or "none"
        subject = ("source", sid)
        scanned = total or 1
        person = types.get("PERSON")
        parts_en, parts_zh, rates = _parts(types, identifier_records, scanned)
        if not parts_en:
            return
        evidence = {
            "types": sorted(types),
            "identifier_records": identifier_records,
            "scanned": scanned,
            "names": None
            if person is None or person["rate"] is None
            else {
                k: person[k]
                for k in ("coverage", "rate", "rate_low", "rate_high", "records_scanned")
            },
        }
        values: dict[str, Any] = {
            "source": sid,
            "parts_en": "; ".join(parts_en),
            "parts_zh": "；".join(parts_zh),
        }
        ctx.find(SUMMARY, subject, evidence, **values)
        if basis not in ANY_BASIS:
            ctx.find(
                NO_BASIS,
                subject,
                evidence,
                severity="high" if max(rates) >= cfg.high_rate else "medium",
                **values,
            )
        sens = sorted(t for t, r in types.items() if r["sensitive_hits"])
        if sens and basis not in SENSITIVE_BASIS:
            ctx.find(
                SENSITIVE,
                subject,
                {"types": sens, "basis": basis},
                source=sid,
                types=", ".join(sens),
                types_zh=entity_zh(sens),
                records=sum(int(types[t]["sensitive_hits"]) for t in sens),
                basis=basis,
            )
        minors = sum(int(r["minors"] or 0) for r in types.values())
        if minors and basis != "guardian_consent":
            ctx.find(
                MINORS, subject, {"children": minors, "basis": basis}, source=sid, count=minors
            )


def _parts(
    types: dict[str, dict[str, Any]], records: int, scanned: int
) -> tuple[list[str], list[str], list[float]]:
    """Message parts in both languages (types other than names counted; names estimated) and
    the shares of records they give."""
    idents = sorted(t for t in types if t != "PERSON")
    person = types.get("PERSON")
    parts_en, parts_zh, rates = [], [], []
    if idents and records:
        share = records / scanned
        parts_en.append(f"{', '.join(idents)} in {records:,} of {scanned:,} records ({share:.2%})")
        parts_zh.append(f"{entity_zh(idents)}：{scanned:,} 条记录中 {records:,} 条（{share:.2%}）")
        rates.append(share)
    if person is not None and person["rate"]:
        parts_en.append(_estimate_en(person))
        parts_zh.append(_estimate_zh(person))
        rates.append(person["rate"])
    return parts_en, parts_zh, rates


def _empty(sid: str, entity_type: str, population: int) -> dict[str, Any]:
    return dict(
        source_id=sid, entity_type=entity_type, records_scanned=0, records_with_hits=0, hits=0,
        distinct_values=0, personal=entity_type == "PERSON", sensitive_hits=0, minors=0, coverage="full",
        population=population, rate=None, rate_low=None, rate_high=None,
    )  # fmt: skip


def _estimate_en(r: dict[str, Any]) -> str:
    if r["coverage"] == "full":
        return (
            f"names in {r['rate']:.1%} of records (all {r['records_scanned']:,} records analysed)"
        )
    return (
        f"names in {r['rate']:.1%} of records, 95% CI {r['rate_low']:.1%}–{r['rate_high']:.1%}, "
        f"estimated from {r['records_scanned']:,} sampled records"
    )


def _estimate_zh(r: dict[str, Any]) -> str:
    if r["coverage"] == "full":
        return f"{r['rate']:.1%} 的记录含姓名（全部 {r['records_scanned']:,} 条记录均已分析）"
    return (
        f"{r['rate']:.1%} 的记录含姓名（95% 置信区间 {r['rate_low']:.1%}–{r['rate_high']:.1%}，"
        f"由 {r['records_scanned']:,} 条抽样记录估计）"
    )
