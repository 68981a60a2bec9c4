"""Near duplicates: LSH candidate pairs from the run's MinHash signatures, confirmed and clustered.

Candidates come from grouping on (band, band slice of the stored signature) in DuckDB; the
Jaccard similarity estimated from the two signatures confirms a pair, and union-find clusters
the confirmed pairs. Only one representative of each exact-duplicate group takes part (otherwise
every copy pairs with every other), and empty records none at all. Part of the ``duplicates``
check.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from provenance.checks.base import Mapper, in_turn
from provenance.scanners.minhash import MinHashSettings, exact_hashes

Sql = Callable[[str, list[Any]], list[Any]]
#: the exact hash every empty record shares (no text, a missing text field, only white space)
EMPTY_HASH = int(exact_hashes(pa.array([""], pa.string()))[0])

# Candidate pairs: records of this run (the run_ views show no other run's rows, whose file_id
# and record_key repeat) that share a whole LSH band of their signature. A band is the byte slice
# [band * width, (band + 1) * width) of the little-endian uint32 signature, joined on its 64-bit
# hash: equal slices always meet; a hash collision only adds a candidate that the Jaccard
# estimate then rejects. Pairs come sorted, so cluster ids (numbered in order of first
# appearance) are the same in every run.
# A bucket of n records gives n(n-1)/2 pairs, and boilerplate (a cookie banner, a licence
# header) puts thousands of records in one bucket: 20,000 of them ran this query out of 16 GiB
# (benchmarks/scale_sim.py). Above ``bucket_cap`` members a bucket is a star around its first
# member (by file_id, record_key) instead of a clique, as in provenance/reduce/lsh_parts.py:
# union-find still joins the whole bucket, each member confirmed against the first.
CANDIDATES_SQL = """
WITH rep AS (
    SELECT file_id, record_key FROM run_record_hashes WHERE exact_hash <> ?
    QUALIFY row_number() OVER (PARTITION BY exact_hash ORDER BY file_id, record_key) = 1),
 p AS (
    SELECT s.file_id, s.record_key, g.band,
           hash(array_slice(s.signature, 1 + g.band * ?, (g.band + 1) * ?)) AS band_key
    FROM run_minhash_signatures s JOIN rep USING (file_id, record_key)
    CROSS JOIN range(?) g(band)),
 shared AS (SELECT band, band_key FROM p GROUP BY ALL HAVING count(*) > 1),
 b AS MATERIALIZED (
    SELECT p.*, count(*) OVER (PARTITION BY band, band_key) AS size,
           row_number() OVER (PARTITION BY band, band_key ORDER BY file_id, record_key) AS pos
    FROM p SEMI JOIN shared USING (band, band_key)),
 x AS (SELECT * FROM b WHERE size <= ? OR pos = 1)
SELECT DISTINCT x.file_id, x.record_key, y.file_id, y.record_key
FROM x JOIN b y ON x.band = y.band AND x.band_key = y.band_key
  AND (x.file_id < y.file_id OR (x.file_id = y.file_id AND x.record_key < y.record_key))
ORDER BY 1, 2, 3, 4
LIMIT ?
"""
# A partitioned run (provenance/reduce/parts.py): candidates come from the band-hash partitions
# of its parts, one partition at a time, and keep the pairs of exact-duplicate representatives
# only. (The single-dossier query drops other copies before bucketing; here a bucket over the cap
# whose first member is a later copy loses its star: a difference only in capped buckets.)
PARTS_SQL = "SELECT json_extract_string(config, '$.reduce.parts_dir') FROM run_runs"
REP_PAIRS_SQL = """
WITH rep AS (
    SELECT file_id, record_key FROM run_record_hashes WHERE exact_hash <> ?
    QUALIFY row_number() OVER (PARTITION BY exact_hash ORDER BY file_id, record_key) = 1)
SELECT p.a_file, p.a_key, p.b_file, p.b_key FROM read_parquet(?) p
JOIN rep x ON x.file_id = p.a_file AND x.record_key = p.a_key
JOIN rep y ON y.file_id = p.b_file AND y.record_key = p.b_key
ORDER BY 1, 2, 3, 4
LIMIT ?
"""
BANDS_SQL = "SELECT json_extract(config, '$.scanners.minhash.bands') FROM run_runs"
WIDTH_SQL = "SELECT max(octet_length(signature)) FROM run_minhash_signatures"
SIGNATURES_SQL = """SELECT file_id, record_key, signature FROM run_minhash_signatures
                    WHERE list_contains(?, file_id || chr(31) || record_key)"""


def candidate_pairs(
    sql: Sql, max_pairs: int, bucket_cap: int = 1000, mapper: Mapper = in_turn
) -> list[tuple[Any, ...]]:
    """(file_id, record_key, file_id, record_key) pairs of the run sharing an LSH band (a
    bucket of more than ``bucket_cap`` records pairs its members with its first only).
    ``mapper`` runs a partitioned run's partitions (the executor's: here or on a cluster)."""
    parts = sql(PARTS_SQL, [])
    if parts and parts[0][0]:
        return _partitioned_pairs(sql, Path(parts[0][0]), max_pairs, bucket_cap, mapper)
    width = sql(WIDTH_SQL, [])
    if not width or not width[0][0]:
        return []
    configured = sql(BANDS_SQL, [])
    value = configured[0][0] if configured else None
    bands = int(value) if value is not None else MinHashSettings.model_validate({}).bands
    step = int(width[0][0]) // bands
    return sql(CANDIDATES_SQL, [EMPTY_HASH, step, step, bands, bucket_cap, max_pairs])


def _partitioned_pairs(
    sql: Sql, root: Path, max_pairs: int, bucket_cap: int, mapper: Mapper
) -> list[tuple[Any, ...]]:
    """Candidate pairs of a partitioned run: each band partition on its own (DuckDB over its
    Parquet files, in a task of the mapper), their union written beside the parts, then joined
    to the representatives."""
    import pyarrow.parquet as pq

    from provenance.reduce.lsh_parts import run_candidates

    pairs = run_candidates(root / "bands", cap=bucket_cap, mapper=mapper)
    if pairs.num_rows == 0:
        return []
    out = root / "candidates.parquet"
    pq.write_table(pairs, out, compression="zstd")
    return sql(REP_PAIRS_SQL, [EMPTY_HASH, str(out), max_pairs])


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


def _similarity(
    found: list[tuple[int, np.ndarray]], n: int, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """Estimated Jaccard similarity of each pair (a[i], b[i]): the share of equal signature
    slots, computed over all pairs at once in chunks (a boilerplate-heavy corpus gives millions
    of pairs, which one numpy call per pair made the slowest step of the audit); -1 where a
    signature is missing."""
    out = np.full(len(a), -1.0)
    if not found:
        return out
    width = max(len(sig) for _, sig in found)
    matrix = np.zeros((n, width), dtype=np.uint32)
    present = np.zeros(n, dtype=bool)
    for i, sig in found:
        if len(sig) == width:
            matrix[i], present[i] = sig, True
    for lo in range(0, len(a), 65_536):
        x, y = a[lo : lo + 65_536], b[lo : lo + 65_536]
        sim = (matrix[x] == matrix[y]).mean(axis=1)
        out[lo : lo + 65_536] = np.where(present[x] & present[y], sim, -1.0)
    return out


def near_clusters(
    sql: Sql,
    threshold: float,
    max_pairs: int,
    bucket_cap: int = 1000,
    mapper: Mapper = in_turn,
) -> list[tuple[int, list[tuple[str, str, float]]]]:
    """Clusters of near duplicates: (root, members sorted as (file_id, record_key, best
    similarity)); the root numbers the cluster the same way in every run."""
    pairs = candidate_pairs(sql, max_pairs, bucket_cap, mapper)
    if not pairs:
        return []
    ids: dict[tuple[str, str], int] = {}
    for fa, ka, fb, kb in pairs:
        ids.setdefault((fa, ka), len(ids))
        ids.setdefault((fb, kb), len(ids))
    sigs = sql(SIGNATURES_SQL, [[f"{f}\x1f{k}" for f, k in ids]])
    found = [(ids[(f, k)], np.frombuffer(sig, dtype=np.uint32)) for f, k, sig in sigs]
    a = np.array([ids[(fa, ka)] for fa, ka, _, _ in pairs], dtype=np.int64)
    b = np.array([ids[(fb, kb)] for _, _, fb, kb in pairs], dtype=np.int64)
    similar = _similarity(found, len(ids), a, b)
    uf = _UnionFind()
    best: dict[int, float] = defaultdict(float)
    keep = similar >= threshold
    for x, y, j in zip(a[keep].tolist(), b[keep].tolist(), similar[keep].tolist(), strict=True):
        uf.union(x, y)
        best[x], best[y] = max(best[x], j), max(best[y], j)
    clusters: dict[int, list[int]] = defaultdict(list)
    for x in best:
        clusters[uf.find(x)].append(x)
    rev = {v: k for k, v in ids.items()}
    return [
        (root, [(*rev[x], round(best[x], 4)) for x in sorted(members, key=lambda x: rev[x])])
        for root, members in clusters.items()
    ]
