"""Internet-scale simulation of the partitioned LSH candidate step (issue 14, item 6).

Usage: python benchmarks/scale_sim.py [--records 10000000] [--partitions 16] [--dup-rate 0.03]
       [--hot 20000] [--cap 1000] [--baseline 1000000] [--threads 2] [--work DIR]

No text: signatures are random uint32 (what MinHash minima look like), written in shards of
``--chunk`` records as the scan workers would (``band_rows`` + ``write_band_parts``). A share
``--dup-rate`` of each shard are near copies of an original of the same or the previous shard
with 1-25 of 128 slots changed (estimated Jaccard >= 0.8; at most 25 of 32 bands touched, so
every planted pair shares a band and must be found). The last shard also holds ``--hot`` near
copies of one record: boilerplate, a bucket far over the cap.

Reduce: each partition in a fresh process (one at a time, DuckDB on ``--threads`` threads):
wall time and peak RSS per partition. Baseline in the same run: the single-dossier
``CANDIDATES_SQL`` of ``provenance/checks/neardup.py`` on the first ``--baseline`` records (in
one in-memory DuckDB), whose pairs must equal the partitioned pairs among those records.
Then an extrapolation to 10^9 and 10^10 records on 1, 8, 64 nodes (assumptions printed).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from provenance.reduce.lsh_parts import band_rows, distinct_pairs, partition_candidates
from provenance.reduce.lsh_parts import write_band_parts as write_parts

PERM, BANDS, MAX_EDIT = 128, 32, 25


def _base(args: argparse.Namespace, c: int) -> tuple[np.ndarray, np.ndarray]:
    """Shard c before planting: random signatures and which rows will become copies. Seeded
    per shard, so any process can regenerate any shard without the ones before it."""
    rng = np.random.default_rng([args.seed, c])
    sig = rng.integers(0, 2**32, (args.chunk, PERM), dtype=np.uint32)
    m = int(args.chunk * args.dup_rate)
    copies = np.sort(rng.choice(np.arange(1, args.chunk), m, replace=False))
    return sig, copies


def _edit(rng: np.random.Generator, src: np.ndarray) -> np.ndarray:
    """Near copies of src: 1-25 random slots of each replaced."""
    k = rng.integers(1, MAX_EDIT + 1, len(src))
    change = rng.random(src.shape).argsort(axis=1).argsort(axis=1) < k[:, None]
    fresh = rng.integers(0, 2**32, src.shape, dtype=np.uint32)
    return np.where(change, fresh, src)


def shard(args: argparse.Namespace, c: int) -> tuple[np.ndarray, np.ndarray]:
    """Signatures of shard c and its planted pairs as (source, copy) global record ids."""
    sig, copies = _base(args, c)
    rng = np.random.default_rng([args.seed, c, 1])
    pairs, first = [], 0
    if c == args.shards - 1 and args.hot:  # boilerplate: rows 1..hot-1 are near copies of row 0
        first = args.hot  # (and take no other part)
        sig[1:first] = _edit(rng, np.repeat(sig[:1], first - 1, axis=0))
        hot = np.arange(1, first) + c * args.chunk
        pairs.append(np.stack([np.full(len(hot), c * args.chunk), hot], axis=1))
        copies = copies[copies >= first]
    originals = np.setdiff1d(np.arange(first, args.chunk), copies) + c * args.chunk
    prev_sig = np.zeros((1, PERM), dtype=np.uint32)
    if c:  # originals of the previous shard: regenerated, they are never edited
        prev_sig, prev_copies = _base(args, c - 1)
        prev = np.setdiff1d(np.arange(args.chunk), prev_copies) + (c - 1) * args.chunk
        originals = np.concatenate([prev, originals])
    src = rng.choice(originals, len(copies))
    mine = src >= c * args.chunk
    src_sig = np.empty((len(src), PERM), dtype=np.uint32)
    src_sig[mine] = sig[src[mine] - c * args.chunk]
    src_sig[~mine] = prev_sig[src[~mine] - (c - 1) * args.chunk]
    sig[copies] = _edit(rng, src_sig)
    pairs.append(np.stack([src, copies + c * args.chunk], axis=1))
    return sig, np.concatenate(pairs)


def blobs(sig: np.ndarray) -> pa.Array:
    """The signatures as a binary array over the matrix's own bytes (no copy per record)."""
    n = sig.shape[0]
    offsets = np.arange(0, (n + 1) * PERM * 4, PERM * 4, dtype=np.int64)
    data = np.ascontiguousarray(sig, dtype="<u4")
    return pa.Array.from_buffers(
        pa.large_binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def keys(args: argparse.Namespace) -> pa.Array:
    return pa.array([f"{i:09d}" for i in range(args.chunk)], pa.string())


def map_side(args: argparse.Namespace, out: Path) -> tuple[float, np.ndarray]:
    """Write every shard's band parts; return the seconds and all planted pairs."""
    spent, planted, k = 0.0, [], keys(args)
    for c in range(args.shards):
        sig, pairs = shard(args, c)
        planted.append(pairs)
        t = time.perf_counter()
        write_parts(
            band_rows(f"shard-{c:05d}", k, blobs(sig), BANDS, args.partitions),
            out,
            f"shard-{c:05d}",
        )
        spent += time.perf_counter() - t  # the workers' part only, not the synthetic data
    return spent, np.concatenate(planted)


def _rss() -> int:
    """Peak resident memory of this process so far, in bytes. VmHWM, not getrusage's
    ru_maxrss: Linux keeps ru_maxrss across exec, so a process spawned by a big parent would
    report the parent's peak."""
    status = Path("/proc/self/status").read_text().splitlines()
    return int(next(x for x in status if x.startswith("VmHWM:")).split()[1]) * 1024


def reduce_one(out: str, p: int, cap: int, threads: int) -> tuple[pa.Table, float, int, int]:
    """One partition in this (fresh) process: pairs, seconds, peak RSS, RSS before the query."""
    idle = _rss()
    t = time.perf_counter()
    pairs = partition_candidates(out, p, cap=cap, threads=threads)
    return pairs, time.perf_counter() - t, _rss(), idle


def baseline(args: argparse.Namespace) -> tuple[np.ndarray, float, float, int, int]:
    """CANDIDATES_SQL over the first --baseline records in one DuckDB: pair codes, load and
    query seconds, peak RSS, RSS before loading."""
    import duckdb

    from provenance.checks.neardup import CANDIDATES_SQL, EMPTY_HASH

    idle, t = _rss(), time.perf_counter()
    con = duckdb.connect(config={"threads": args.threads})
    con.execute("SET enable_progress_bar = false")
    n = args.baseline // args.chunk * args.chunk
    con.execute(
        "CREATE TABLE run_minhash_signatures (file_id TEXT, record_key TEXT, signature BLOB)"
    )
    for c in range(n // args.chunk):
        con.register(
            "part",
            pa.table(
                {
                    "file_id": pa.repeat(pa.scalar(f"shard-{c:05d}"), args.chunk),
                    "record_key": keys(args),
                    "signature": blobs(shard(args, c)[0]).cast(pa.binary()),
                }
            ),
        )
        con.execute("INSERT INTO run_minhash_signatures SELECT * FROM part")
    con.execute(
        "CREATE TABLE run_record_hashes AS SELECT file_id, record_key, row_number() OVER () AS exact_hash FROM run_minhash_signatures"
    )
    load, t = time.perf_counter() - t, time.perf_counter()
    w = PERM * 4 // BANDS
    rows = con.sql(CANDIDATES_SQL, params=[EMPTY_HASH, w, w, BANDS, 10**12]).to_arrow_table()
    query = time.perf_counter() - t
    return (
        codes(rows.rename_columns(["a_file", "a_key", "b_file", "b_key"]), args),
        load,
        query,
        _rss(),
        idle,
    )


def codes(pairs: pa.Table, args: argparse.Namespace) -> np.ndarray:
    """Each pair as one int64: a * records + b, from the ids in the shard names and keys."""

    def gid(f: str, k: str) -> np.ndarray:
        shard_no = pc.cast(pc.utf8_slice_codeunits(pairs[f], 6), pa.int64()).to_numpy()
        return shard_no * args.chunk + pc.cast(pairs[k], pa.int64()).to_numpy()

    return gid("a_file", "a_key") * args.records + gid("b_file", "b_key")


def compare(args: argparse.Namespace, got: np.ndarray, per_row_s: float) -> None:
    """Run the baseline and print it beside the partitioned pairs among the same records."""
    n = args.baseline // args.chunk * args.chunk
    t = time.perf_counter()
    try:
        base, load, query, peak, idle = spawn(baseline, args)
    except Exception as e:  # the point of the cap: the single join can run out of memory
        first = str(e).splitlines()[0]
        print(
            f"baseline CANDIDATES_SQL on {n:,} records failed after {time.perf_counter() - t:.0f} s: {first}"
        )
        return
    a, b = got // args.records, got % args.records
    mine = got[(a < n) & (b < n)]
    hot_in = args.hot and n == args.records  # the capped bucket is among the baseline's records
    same = np.array_equal(np.sort(base), np.sort(mine))
    print(
        f"baseline CANDIDATES_SQL on {n:,} records (one DuckDB): load {load:.1f} s, query {query:.1f} s, "
        f"peak RSS {peak / 2**20:.0f} MB ({idle / 2**20:.0f} MB before); {len(base):,} pairs, "
        f"same as partitioned: {same}" + (" (the baseline has no cap)" if hot_in else "")
    )
    part_s = per_row_s * n * BANDS
    print(
        f"per {n:,} records: partitioned reduce {part_s:.1f} s vs baseline query {query:.1f} s "
        f"= {query / part_s:.2f}x"
    )


def spawn(fn: Any, *a: Any) -> Any:
    """fn(*a) in a fresh process, so its peak RSS is its own."""
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(fn, *a).result()


ASSUMPTIONS = """Assumptions:
- a node has 2 cores and reduces one partition at a time with DuckDB on 2 threads; reduce time
  grows linearly with the band rows of a partition (measured ns per band row above);
- peak memory of a partition over the idle process grows linearly with its band rows (the
  largest partition measured above); partitions are a power of two, chosen so that a partition
  fits the memory budget (--budget-gb) on any node, not the number of nodes;
- map side (band hashes, ordering by partition, Parquet) per record as measured in one process,
  run on every node in parallel; it replaces nothing, it is added to the scan (which at ~5 MB/s
  per worker spends ~400 µs on a 2 KB record);
- band parts go through shared storage at --storage-mb-s per node, written once and read once;
  in the simulation they were read back from the page cache, so this is added on top;
- 32 bands of 4 rows, as the default pipeline; the share of near duplicates and boilerplate
  as simulated (they set the number of pairs, not the number of band rows);
- not included: choosing exact-duplicate representatives first, the union of pairs across
  partitions and the Jaccard confirmation (they scale with the pairs, ~3% of records here),
  and scheduling overhead per partition (~1-2 s of process start here, not in the figures);
- files: one per (writer flush, partition), so writers must flush far more records than a
  250,000-record shard at these partition counts (see the files column)."""


def extrapolate(
    per_row_s: float, per_row_b: float, map_s: float, disk: float, args: argparse.Namespace
) -> None:
    """The table of estimated hours for 10^9 and 10^10 records on 1, 8 and 64 nodes."""
    budget, bw = args.budget_gb * 2**30, args.storage_mb_s * 2**20
    per_rec = disk / args.records
    print(
        f"\nExtrapolation: {per_row_s * 1e9:.0f} ns and {per_row_b:.0f} B of reduce memory per band row; "
        f"map {map_s / args.records * 1e6:.1f} µs and {per_rec:.0f} B of band parts per record; "
        f"budget {args.budget_gb:g} GB per partition; storage {args.storage_mb_s:g} MB/s per node"
    )
    print(
        "| records | partitions | band rows / partition | band parts | files (250k-record flushes) | nodes | map | write + read parts | reduce | total |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in (10**9, 10**10):
        rows = n * BANDS
        parts = 2 ** math.ceil(math.log2(max(1, rows * per_row_b / budget)))
        per = rows / parts
        files = n / args.chunk * parts
        for nodes in (1, 8, 64):
            t_map = map_s / args.records * n / nodes
            t_io = 2 * per_rec * n / (nodes * bw)
            t_red = math.ceil(parts / nodes) * per * per_row_s
            print(
                f"| {n:.0e} | {parts:,} | {per / 1e6:.1f} M | {per_rec * n / 1e12:.2f} TB | {files:.1e} | {nodes} | "
                f"{hours(t_map)} | {hours(t_io)} | {hours(t_red)} | {hours(t_map + t_io + t_red)} |"
            )
    print(ASSUMPTIONS)


def hours(s: float) -> str:
    return f"{s / 3600:.1f} h" if s >= 3600 else f"{s / 60:.1f} min"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=10_000_000)
    ap.add_argument("--partitions", type=int, default=16)
    ap.add_argument("--dup-rate", type=float, default=0.03)
    ap.add_argument("--chunk", type=int, default=250_000, help="records per shard")
    ap.add_argument(
        "--hot", type=int, default=20_000, help="near copies of one record (boilerplate)"
    )
    ap.add_argument("--cap", type=int, default=1000)
    ap.add_argument("--baseline", type=int, default=1_000_000, help="0: skip")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument(
        "--budget-gb", type=float, default=4.0, help="reduce memory per partition, extrapolation"
    )
    ap.add_argument(
        "--storage-mb-s", type=float, default=500.0, help="read bandwidth per node, extrapolation"
    )
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args()
    args.shards = max(1, args.records // args.chunk)
    args.records = args.shards * args.chunk
    work = Path(tempfile.mkdtemp(dir=args.work))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> None:
    out = work / "bands"
    print(
        f"records {args.records:,} in {args.shards} shards of {args.chunk:,}; {args.partitions} partitions; "
        f"dup rate {args.dup_rate:.1%}; hot bucket {args.hot:,}; cap {args.cap}; DuckDB threads {args.threads}"
    )
    map_s, planted = map_side(args, out)
    disk = sum(f.stat().st_size for f in out.rglob("*.parquet"))
    files = len(list(out.rglob("*.parquet")))
    print(
        f"map: band rows + Parquet for {args.records:,} records in {map_s:.1f} s "
        f"({args.records / map_s / 1e6:.2f} M records/s); {disk / 1e9:.2f} GB on disk "
        f"({disk / args.records:.0f} B/record, {disk / args.records / BANDS:.1f} B/band row) in {files} files"
    )
    tables, secs, peaks, idles = [], [], [], []
    t0 = time.perf_counter()
    for p in range(args.partitions):
        pairs, s, peak, idle = spawn(reduce_one, str(out), p, args.cap, args.threads)
        tables.append(pairs)
        secs.append(s)
        peaks.append(peak)
        idles.append(idle)
    t = time.perf_counter()
    found = distinct_pairs(tables)
    union_s = time.perf_counter() - t
    print(
        f"reduce: {args.partitions} partitions in {time.perf_counter() - t0:.1f} s wall (incl. process start); "
        f"per partition {np.mean(secs):.1f} s mean, {max(secs):.1f} s max; "
        f"peak RSS {max(peaks) / 2**20:.0f} MB max ({np.mean(idles) / 2**20:.0f} MB before the query); "
        f"union of pairs {union_s:.1f} s"
    )
    got = codes(found, args)
    want = np.unique(planted.min(axis=1) * args.records + planted.max(axis=1))
    print(
        f"pairs: {found.num_rows:,} candidates, {len(want):,} planted, "
        f"{np.isin(want, got).sum():,} planted found ({np.isin(want, got).mean():.4%})"
    )
    a, b = got // args.records, got % args.records
    if args.hot:
        hot = set(range((args.shards - 1) * args.chunk, (args.shards - 1) * args.chunk + args.hot))
        g = coo_matrix((np.ones(len(a)), (a, b)), shape=(args.records, args.records))
        labels = connected_components(g, directed=False)[1]
        print(
            f"hot bucket: {len({labels[i] for i in hot})} cluster(s) for {args.hot:,} records "
            f"(a clique would be up to {args.hot * (args.hot - 1) // 2:,} pairs)"
        )
    rows = args.records * BANDS / args.partitions
    per_row_s, per_row_b = np.mean(secs) / rows, (max(peaks) - np.mean(idles)) / rows
    if args.baseline:
        compare(args, got, per_row_s)
    extrapolate(per_row_s, per_row_b, map_s, disk, args)


if __name__ == "__main__":
    main()
