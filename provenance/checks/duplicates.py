"""Exact and near duplicates across the corpus (Art. 7(4) quality; Art. 7(2) when licences differ).

Exact: records grouped by the hash of their normalised text. Near: LSH candidate pairs from
grouping on (band, band slice of the stored MinHash signature) in DuckDB, confirmed by the
Jaccard similarity estimated from the signatures, and clustered by union-find. Only one representative of
each exact-duplicate group takes part in the near-duplicate search (otherwise every copy pairs
with every other). Results go to ``duplicates`` (cluster_id, file_id, record_key, kind,
similarity) and per-source rates to ``stats``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from provenance.checks.base import Check, CheckContext
from provenance.findings import FindingCode
from provenance.licenses import default_index
from provenance.scanners.minhash import MinHashSettings

ACROSS = FindingCode(
    "duplicate_across_licences",
    "IP-02",
    "7(2)",
    "medium",
    en="{count} {kind_en} duplicate record(s) appear under both '{a}' ({lic_a}) and '{b}' ({lic_b}); which licence governs them is unclear",
    zh="{count} 条{kind_zh}重复记录同时出现在“{a}”（{lic_a}）与“{b}”（{lic_b}）中，适用哪一许可不明确",
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
    report_rate: float = Field(
        0.05, ge=0, le=1, description="Duplicate share that raises a DIV-03 finding."
    )


# Candidate pairs: records of one run that share a whole LSH band of their signature. Every filter
# on run_id comes before the window, so a record never ties with its copy from another run in
# the same dossier (file_id and record_key repeat across runs). A band is the byte slice
# [band * width, (band + 1) * width) of the little-endian uint32 signature, joined on its 64-bit
# hash: equal slices always meet (as equal band hashes did, without storing 32 rows per
# record); a hash collision only adds a candidate that the Jaccard estimate then rejects.
# Pairs come sorted, so cluster ids (numbered in order of first appearance) are the same in
# every run.
CANDIDATES_SQL = """
WITH rep AS (
    SELECT r.file_id, r.record_key FROM record_hashes r WHERE r.run_id = ?
    QUALIFY row_number() OVER (PARTITION BY r.exact_hash ORDER BY r.file_id, r.record_key) = 1),
 b AS (
    SELECT s.file_id, s.record_key, g.band,
           hash(array_slice(s.signature, 1 + g.band * ?, (g.band + 1) * ?)) AS band_key
    FROM minhash_signatures s JOIN rep USING (file_id, record_key)
    CROSS JOIN range(?) g(band)
    WHERE s.run_id = ?)
SELECT DISTINCT x.file_id, x.record_key, y.file_id, y.record_key
FROM b x JOIN b y ON x.band = y.band AND x.band_key = y.band_key
  AND (x.file_id < y.file_id OR (x.file_id = y.file_id AND x.record_key < y.record_key))
ORDER BY 1, 2, 3, 4
LIMIT ?
"""


def lsh_bands(sql: Callable[[str, list[Any]], list[tuple[Any, ...]]], run_id: str) -> int:
    """The LSH band count the run's minhash scanner was configured with."""
    rows = sql(
        "SELECT json_extract(config, '$.scanners.minhash.bands') FROM runs WHERE run_id = ?",
        [run_id],
    )
    value = rows[0][0] if rows else None
    return int(value) if value is not None else MinHashSettings.model_validate({}).bands


def candidate_pairs(
    sql: Callable[[str, list[Any]], list[tuple[Any, ...]]], run_id: str, max_pairs: int
) -> list[tuple[Any, ...]]:
    """(file_id, record_key, file_id, record_key) pairs sharing an LSH band, within one run."""
    width = sql(
        "SELECT max(octet_length(signature)) FROM minhash_signatures WHERE run_id = ?", [run_id]
    )
    if not width or not width[0][0]:
        return []
    bands = lsh_bands(sql, run_id)
    step = int(width[0][0]) // bands
    return sql(CANDIDATES_SQL, [run_id, step, step, bands, run_id, max_pairs])


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class Duplicates(Check):
    """Exact and near duplicates, per-source rates, duplicates across licences."""

    name: ClassVar[str] = "duplicates"
    requirements: ClassVar[tuple[str, ...]] = ("DIV-03", "IP-02")
    codes: ClassVar[tuple[FindingCode, ...]] = (
        ACROSS,
        RATE,
    )
    Settings: ClassVar[type[BaseModel]] = DuplicateSettings

    def check(self, ctx: CheckContext) -> None:
        cfg: DuplicateSettings = self.settings  # type: ignore[assignment]
        run = [ctx.run_id]
        exact = ctx.sql(
            """WITH h AS (SELECT r.exact_hash, r.file_id, r.record_key, f.source_id
                          FROM record_hashes r JOIN files f ON f.run_id = r.run_id AND f.file_id = r.file_id
                          WHERE r.run_id = ?),
                    dup AS (SELECT exact_hash FROM h GROUP BY 1 HAVING count(*) > 1)
               SELECT h.exact_hash, h.file_id, h.record_key, h.source_id FROM h JOIN dup USING (exact_hash)
               ORDER BY h.exact_hash, h.file_id, h.record_key""",
            run,
        )
        totals = dict(
            ctx.sql(
                """SELECT f.source_id, count(*) FROM record_hashes r JOIN files f
               ON f.run_id = r.run_id AND f.file_id = r.file_id WHERE r.run_id = ? GROUP BY 1""",
                run,
            )
        )
        if not totals:
            return
        exact_extra: dict[str, int] = defaultdict(int)
        pair_counts: dict[tuple[str, str, str], int] = defaultdict(int)
        groups: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        for h, fid, key, sid in exact:
            groups[h].append((fid, key, sid))
        for h, members in groups.items():
            for i, (fid, key, sid) in enumerate(members):
                self.row(
                    "duplicates",
                    cluster_id=f"x{h:016x}",
                    file_id=fid,
                    record_key=key,
                    kind="exact",
                    similarity=1.0,
                )
                if i:
                    exact_extra[sid] += 1
            srcs = sorted({m[2] for m in members})
            for i, a in enumerate(srcs):
                for b in srcs[i + 1 :]:
                    pair_counts[("exact", a, b)] += 1
        near_extra = self._near(ctx, cfg, pair_counts)
        for sid, n in sorted(totals.items()):
            e, nr = exact_extra.get(sid, 0), near_extra.get(sid, 0)
            self.row(
                "stats",
                scope="source",
                subject_id=sid,
                metric="exact_duplicate_rate",
                key="*",
                value=e / n,
            )
            self.row(
                "stats",
                scope="source",
                subject_id=sid,
                metric="near_duplicate_rate",
                key="*",
                value=nr / n,
            )
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
        self.row(
            "stats",
            scope="run",
            subject_id="corpus",
            metric="exact_duplicate_rate",
            key="*",
            value=sum(exact_extra.values()) / total,
        )
        self.row(
            "stats",
            scope="run",
            subject_id="corpus",
            metric="near_duplicate_rate",
            key="*",
            value=sum(near_extra.values()) / total,
        )
        self._across(ctx, pair_counts)

    def _near(
        self,
        ctx: CheckContext,
        cfg: DuplicateSettings,
        pair_counts: dict[tuple[str, str, str], int],
    ) -> dict[str, int]:
        pairs = candidate_pairs(ctx.sql, ctx.run_id, cfg.max_pairs)
        if not pairs:
            return {}
        ids: dict[tuple[str, str], int] = {}
        for fa, ka, fb, kb in pairs:
            ids.setdefault((fa, ka), len(ids))
            ids.setdefault((fb, kb), len(ids))
        sigs = ctx.sql(
            """SELECT s.file_id, s.record_key, s.signature FROM minhash_signatures s
               WHERE s.run_id = ? AND list_contains(?, s.file_id || chr(31) || s.record_key)""",
            [ctx.run_id, [f"{f}\x1f{k}" for f, k in ids]],
        )
        matrix: dict[int, np.ndarray] = {
            ids[(f, k)]: np.frombuffer(sig, dtype=np.uint32) for f, k, sig in sigs
        }
        source = dict(
            ctx.sql("SELECT file_id, source_id FROM files WHERE run_id = ?", [ctx.run_id])
        )
        uf = _UnionFind()
        best: dict[int, float] = defaultdict(float)
        for fa, ka, fb, kb in pairs:
            a, b = ids[(fa, ka)], ids[(fb, kb)]
            sa, sb = matrix.get(a), matrix.get(b)
            if sa is None or sb is None:
                continue
            j = float(np.mean(sa == sb))
            if j >= cfg.threshold:
                uf.union(a, b)
                best[a], best[b] = max(best[a], j), max(best[b], j)
        clusters: dict[int, list[int]] = defaultdict(list)
        for x in best:
            clusters[uf.find(x)].append(x)
        rev = {v: k for k, v in ids.items()}
        extra: dict[str, int] = defaultdict(int)
        for root, members in clusters.items():
            members.sort(key=lambda x: rev[x])
            srcs = sorted({source[rev[x][0]] for x in members})
            for i, x in enumerate(members):
                fid, key = rev[x]
                self.row(
                    "duplicates",
                    cluster_id=f"n{root:08d}",
                    file_id=fid,
                    record_key=key,
                    kind="near",
                    similarity=round(best[x], 4),
                )
                if i:
                    extra[source[fid]] += 1
            for i, a in enumerate(srcs):
                for b in srcs[i + 1 :]:
                    pair_counts[("near", a, b)] += 1
        return extra

    def _across(self, ctx: CheckContext, pair_counts: dict[tuple[str, str, str], int]) -> None:
        licences = {s.id: default_index().classify(s.license) for _, s in ctx.lm.manifest.sources()}
        for (kind, a, b), n in sorted(pair_counts.items()):
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
