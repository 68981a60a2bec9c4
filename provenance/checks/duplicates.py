"""Exact and near duplicates across the corpus (Art. 7(4) quality; Art. 7(2) when licences differ).

Exact: records grouped by the hash of their normalised text, one ``INSERT … SELECT``. Near:
``checks/neardup.py``. Empty records (no text, a missing text field, only white space) are
neither duplicates nor part of the rates: ``text_field_missing`` and ``low_quality_records``
report them. Results go to ``duplicates`` (cluster_id, file_id, record_key, kind, similarity)
and per-source and corpus rates to ``stats``.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from provenance.checks.base import Check, CheckContext
from provenance.checks.neardup import EMPTY_HASH, near_clusters
from provenance.findings import FindingCode
from provenance.licenses import default_index
from provenance.tables import Output

ACROSS = FindingCode(
    "duplicate_across_licences",
    "IP-02",
    "7(2)",
    "medium",
    en="{count} {kind_en} duplicate record(s) appear under both '{a}' ({lic_a}) and '{b}' ({lic_b}); which licence governs them is unclear",
    zh="{count} 条{kind_zh}重复记录同时出现在“{a}”（许可证“{lic_a}”）与“{b}”（许可证“{lic_b}”）中，适用哪一许可不明确",
)
RATE = FindingCode(
    "duplicate_rate",
    "DIV-03",
    "7(4)",
    "low",
    en="source '{source}': {rate:.1%} of records duplicate another record ({exact} exact, {near} near)",
    zh="来源“{source}”：{rate:.1%} 的记录与其他记录重复（完全重复 {exact} 条，近似重复 {near} 条）",
)


class DuplicateSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    threshold: float = Field(
        0.8, gt=0, le=1, description="Estimated Jaccard that confirms a near duplicate."
    )
    max_pairs: int = Field(5_000_000, ge=1, description="Candidate pairs examined at most.")
    bucket_cap: int = Field(
        1000,
        ge=2,
        description="An LSH bucket with more records pairs them with its first record only "
        "(a star, not all pairs): boilerplate shared by thousands of records stays affordable.",
    )
    report_rate: float = Field(
        0.05, ge=0, le=1, description="Duplicate share that raises a DIV-03 finding."
    )


EXACT_SQL = """
INSERT INTO duplicates BY NAME
WITH h AS (SELECT exact_hash, file_id, record_key FROM run_record_hashes WHERE exact_hash <> ?),
     dup AS (SELECT exact_hash FROM h GROUP BY 1 HAVING count(*) > 1)
SELECT getvariable('provenance_run') AS run_id, printf('x%016x', exact_hash) AS cluster_id,
       file_id, record_key, 'exact' AS kind, 1.0 AS similarity
FROM h JOIN dup USING (exact_hash)
"""
TOTALS_SQL = "SELECT source_id, count(*) FROM run_record_hashes WHERE exact_hash <> ? GROUP BY 1"
# per source, the members of a cluster beyond its first (by file_id, record_key)
EXTRA_SQL = """
SELECT kind, source_id, count(*) FROM (
    SELECT kind, source_id,
           row_number() OVER (PARTITION BY cluster_id ORDER BY file_id, record_key) AS n
    FROM run_duplicates) WHERE n > 1 GROUP BY ALL
"""
# per pair of sources, the clusters they share
PAIRS_SQL = """
SELECT kind, a, b, count(*) FROM (
    SELECT DISTINCT x.kind, x.cluster_id, x.source_id AS a, y.source_id AS b
    FROM run_duplicates x JOIN run_duplicates y
      ON x.cluster_id = y.cluster_id AND x.source_id < y.source_id)
GROUP BY ALL ORDER BY ALL
"""


class Duplicates(Check):
    """Exact and near duplicates, per-source rates, duplicates across licences."""

    name: ClassVar[str] = "duplicates"
    requirements: ClassVar[tuple[str, ...]] = ("DIV-03", "IP-02")
    codes: ClassVar[tuple[FindingCode, ...]] = (ACROSS, RATE)
    Settings: ClassVar[type[BaseModel]] = DuplicateSettings
    needs: ClassVar[tuple[str, ...]] = ("record_hashes", "minhash_signatures")
    writes: ClassVar[tuple[Output, ...]] = (Output("duplicates"), Output("stats"))

    def check(self, ctx: CheckContext) -> None:
        cfg: DuplicateSettings = self.settings  # type: ignore[assignment]
        totals: dict[str, int] = dict(ctx.sql(TOTALS_SQL, [EMPTY_HASH]))
        if not totals:
            return
        ctx.execute(EXACT_SQL, [EMPTY_HASH])
        for root, members in near_clusters(
            ctx.arrow, cfg.threshold, cfg.max_pairs, cfg.bucket_cap, ctx.mapper
        ):
            for fid, key, similarity in members:
                ctx.row(
                    "duplicates",
                    cluster_id=f"n{root:08d}",
                    file_id=fid,
                    record_key=key,
                    kind="near",
                    similarity=similarity,
                )
        # rows of this check become visible to its own queries once written
        ctx.flush()
        extra: dict[tuple[str, str], int] = {(k, s): n for k, s, n in ctx.sql(EXTRA_SQL, [])}
        for sid, n in sorted(totals.items()):
            e, nr = extra.get(("exact", sid), 0), extra.get(("near", sid), 0)
            _rates(ctx, "source", sid, e / n, nr / n)
            if (e + nr) / n > cfg.report_rate:
                ctx.find(
                    RATE,
                    ("source", sid),
                    {"exact": e, "near": nr, "records": n},
                    source=sid,
                    rate=(e + nr) / n,
                    exact=e,
                    near=nr,
                )
        total = sum(totals.values())
        exact = sum(n for (k, _), n in extra.items() if k == "exact")
        near = sum(n for (k, _), n in extra.items() if k == "near")
        _rates(ctx, "run", "corpus", exact / total, near / total)
        _across(ctx, ctx.sql(PAIRS_SQL, []))


def _rates(ctx: CheckContext, scope: str, subject: str, exact: float, near: float) -> None:
    for metric, value in (("exact_duplicate_rate", exact), ("near_duplicate_rate", near)):
        ctx.row("stats", scope=scope, subject_id=subject, metric=metric, key="*", value=value)


def _across(ctx: CheckContext, pairs: list[tuple[str, str, str, int]]) -> None:
    """IP-02: duplicates shared by two sources whose licences differ."""
    licences = {s.id: default_index().classify(s.license) for _, s in ctx.lm.manifest.sources()}
    for kind, a, b, n in pairs:
        la, lb = licences.get(a), licences.get(b)
        if la is None or lb is None or "empty" in (la.outcome, lb.outcome):
            continue  # a source without a licence (crawl, contract, user input) has other terms
        if (la.spdx, la.category) == (lb.spdx, lb.category):
            continue
        ctx.find(
            ACROSS,
            ("source", a),
            {"kind": kind, "other_source": b, "records": n},
            key=f"{kind}:{b}",
            count=n,
            kind_en=kind,
            kind_zh={"exact": "完全", "near": "近似"}[kind],
            a=a,
            b=b,
            lic_a=la.spdx or la.outcome,
            lic_b=lb.spdx or lb.outcome,
        )
