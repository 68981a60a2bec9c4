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

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from provenance.checks.base import Mapper, in_turn
from provenance.scanners.minhash import MinHashSettings, exact_hashes

#: SQL over the run's scoped views, its result as a pyarrow Table (``CheckContext.arrow``; the
#: optional third argument names Arrow tables the SQL reads as ``arg_<name>``)
Query = Callable[..., pa.Table]
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
SELECT DISTINCT x.file_id AS a_file, x.record_key AS a_key, y.file_id AS b_file,
       y.record_key AS b_key
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
# the signatures of the records in candidate pairs, keyed as ``_dense_ids`` keys them (a file id
# is hex: it holds no chr(31)); only full-width ones (a record is never half-signed)
SIGNATURES_SQL = """
WITH s AS (SELECT file_id || chr(31) || record_key AS fk, signature FROM run_minhash_signatures
           WHERE file_id || chr(31) || record_key IN (SELECT fk FROM arg_keys))
SELECT fk, signature FROM s
WHERE octet_length(signature) = (SELECT max(octet_length(signature)) FROM s)"""
SEP = "\x1f"
PAIR_NAMES = ("a_file", "a_key", "b_file", "b_key")
NO_PAIRS = pa.table({c: pa.array([], pa.string()) for c in PAIR_NAMES})


def candidate_pairs(
    query: Query, max_pairs: int, bucket_cap: int = 1000, mapper: Mapper = in_turn
) -> pa.Table:
    """(a_file, a_key, b_file, b_key) pairs of the run sharing an LSH band, sorted (a bucket
    of more than ``bucket_cap`` records pairs its members with its first only). ``mapper``
    runs a partitioned run's partitions (the executor's: here or on a cluster)."""
    parts = query(PARTS_SQL, []).column(0).to_pylist()
    if parts and parts[0]:
        return _partitioned_pairs(query, Path(parts[0]), max_pairs, bucket_cap, mapper)
    width = query(WIDTH_SQL, []).column(0).to_pylist()
    if not width or not width[0]:
        return NO_PAIRS
    configured = query(BANDS_SQL, []).column(0).to_pylist()
    value = configured[0] if configured else None
    bands = int(value) if value is not None else MinHashSettings.model_validate({}).bands
    step = int(width[0]) // bands
    return query(CANDIDATES_SQL, [EMPTY_HASH, step, step, bands, bucket_cap, max_pairs])


def _partitioned_pairs(
    query: Query, root: Path, max_pairs: int, bucket_cap: int, mapper: Mapper
) -> pa.Table:
    """Candidate pairs of a partitioned run: each band partition on its own (DuckDB over its
    Parquet files, in a task of the mapper), their union written beside the parts, then joined
    to the representatives."""
    import pyarrow.parquet as pq

    from provenance.reduce.lsh_parts import run_candidates

    pairs = run_candidates(root / "bands", cap=bucket_cap, mapper=mapper)
    if pairs.num_rows == 0:
        return NO_PAIRS
    out = root / "candidates.parquet"
    pq.write_table(pairs, out, compression="zstd")
    return query(REP_PAIRS_SQL, [EMPTY_HASH, str(out), max_pairs])


def _dense_ids(pairs: pa.Table) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Numbers for the records of the pairs, in order of first appearance (a0, b0, a1, b1 …,
    so a cluster's root, its smallest number, is the same in every run): the records'
    ``file_id SEP record_key`` keys, and the numbers of each pair's two records."""
    # large_string: 64-bit offsets, so tens of millions of pairs do not overflow
    sep = pa.scalar(SEP, pa.large_string())
    a, b = (
        pc.binary_join_element_wise(
            pairs[f].cast(pa.large_string()), pairs[k].cast(pa.large_string()), sep
        ).combine_chunks()
        for f, k in (("a_file", "a_key"), ("b_file", "b_key"))
    )
    n = len(a)
    order = np.empty(2 * n, dtype=np.int64)
    order[0::2], order[1::2] = np.arange(n), np.arange(n, 2 * n)
    keys = pc.unique(pa.concat_arrays([a, b]).take(pa.array(order)))  # first appearance
    return (
        keys,
        pc.index_in(a, value_set=keys).to_numpy(),
        pc.index_in(b, value_set=keys).to_numpy(),
    )


def _similarity(query: Query, keys: pa.Array, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of each pair (a[i], b[i]): the share of equal signature
    slots, over all pairs at once in chunks (a boilerplate-heavy corpus gives millions of
    pairs, which one numpy call per pair made the slowest step of the audit); -1 where a
    signature is missing."""
    from provenance.reduce.lsh_parts import signature_matrix

    out = np.full(len(a), -1.0)
    got = query(SIGNATURES_SQL, [], {"keys": pa.table({"fk": keys})})
    if got.num_rows == 0:
        return out
    sigs = signature_matrix(got["signature"])
    matrix = np.zeros((len(keys), sigs.shape[1]), dtype=np.uint32)
    present = np.zeros(len(keys), dtype=bool)
    rows = pc.index_in(got["fk"], value_set=keys).to_numpy()
    matrix[rows], present[rows] = sigs, True
    for lo in range(0, len(a), 65_536):
        x, y = a[lo : lo + 65_536], b[lo : lo + 65_536]
        sim = (matrix[x] == matrix[y]).mean(axis=1)
        out[lo : lo + 65_536] = np.where(present[x] & present[y], sim, -1.0)
    return out


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


def near_clusters(
    query: Query,
    threshold: float,
    max_pairs: int,
    bucket_cap: int = 1000,
    mapper: Mapper = in_turn,
) -> list[tuple[int, list[tuple[str, str, float]]]]:
    """Clusters of near duplicates: (root, members sorted as (file_id, record_key, best
    similarity)); the root numbers the cluster the same way in every run. The pairs stay in
    Arrow and numpy (millions of them on a few GB of text)."""
    pairs = candidate_pairs(query, max_pairs, bucket_cap, mapper)
    if pairs.num_rows == 0:
        return []
    keys, a, b = _dense_ids(pairs)
    del pairs
    similar = _similarity(query, keys, a, b)
    uf = _UnionFind()
    best: dict[int, float] = defaultdict(float)
    keep = similar >= threshold
    for x, y, j in zip(a[keep].tolist(), b[keep].tolist(), similar[keep].tolist(), strict=True):
        uf.union(x, y)
        best[x], best[y] = max(best[x], j), max(best[y], j)
    clusters: dict[int, list[int]] = defaultdict(list)
    for x in best:
        clusters[uf.find(x)].append(x)
    members = sorted(best)
    names = keys.take(pa.array(members, pa.int64())).to_pylist()
    rev = {x: tuple(k.split(SEP, 1)) for x, k in zip(members, names, strict=True)}
    return [
        (root, [(*rev[x], round(best[x], 4)) for x in sorted(ms, key=lambda x: rev[x])])
        for root, ms in clusters.items()
    ]
