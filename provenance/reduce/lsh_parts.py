"""LSH candidate pairs by band-hash partition, for runs whose signatures outgrow one dossier.

Map side (each worker, per shard): ``band_rows`` turns the shard's MinHash signatures into one
row per (record, band) with a 63-bit band hash and ``partition = band_hash % P``;
``write_band_parts`` writes them as hive-partitioned Parquet (``partition=p/<writer>.parquet``).

Reduce side: two records are candidates when they share a (band, band hash), and every row
with that key lands in the same partition, so ``partition_candidates`` finds all of a
partition's pairs from that partition's files alone (DuckDB over Parquet; any process, any
node). ``run_candidates`` maps it over the partitions (builtin ``map``, or the executor's) and
unions the distinct pairs, sorted: the same set as the single-dossier ``CANDIDATES_SQL`` in
``provenance/checks/neardup.py`` (band hashes differ in function, not in which slices meet).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from provenance.shingles import band_hashes

BAND_SCHEMA = pa.schema(
    [
        ("file_id", pa.string()),
        ("record_key", pa.string()),
        ("band", pa.int16()),
        ("band_hash", pa.int64()),
        ("partition", pa.int32()),
    ]
)
PAIR_COLUMNS = ("a_file", "a_key", "b_file", "b_key")
PAIR_SCHEMA = pa.schema([(c, pa.string()) for c in PAIR_COLUMNS])
#: buckets larger than this pair each member with the bucket's first member only (see PAIRS_SQL)
DEFAULT_BUCKET_CAP = 1000
_WRITER = re.compile(r"[A-Za-z0-9_.-]+")
Mapper = Callable[[Callable[[int], pa.Table], list[int]], Iterable[pa.Table]]

# Candidate pairs of one partition. Almost every (band, band_hash) bucket holds one record, so
# the buckets shared by two or more are found first by a hash aggregate over the integer
# columns only; the window and the self-join then see just their members, which keeps memory
# near the size of the partition's keys rather than of a join over all its rows. The Parquet is
# read twice rather than kept (NOT MATERIALIZED), and the members are kept once for both sides
# of the join (MATERIALIZED): measured on 8·10^6 band rows, 560 MB of peak RSS over the idle
# process instead of 860 MB, and no slower.
# A bucket of n records gives n(n-1)/2 pairs: boilerplate (a cookie banner, a licence header)
# can put 10^5 records in one bucket and 5·10^9 pairs in one partition. Above the cap each
# member is paired with the bucket's first member (by file_id, record_key) instead: a star
# rather than a clique, so union-find can still put the whole bucket in one cluster (the
# approach of MinHash dedup tools that union every bucket member with the bucket's minimum).
# The price: the Jaccard estimate then confirms each member against the first only, so two
# members similar to each other but not to the first are found only through another band.
PAIRS_SQL = """
WITH p AS NOT MATERIALIZED (SELECT file_id, record_key, band, band_hash FROM read_parquet(?)),
 shared AS NOT MATERIALIZED (SELECT band, band_hash FROM p GROUP BY band, band_hash HAVING count(*) > 1),
 b AS MATERIALIZED (
    SELECT p.*, count(*) OVER (PARTITION BY band, band_hash) AS size,
           row_number() OVER (PARTITION BY band, band_hash ORDER BY file_id, record_key) AS pos
    FROM p SEMI JOIN shared USING (band, band_hash)),
 x AS (SELECT * FROM b WHERE size <= ? OR pos = 1)
SELECT DISTINCT x.file_id AS a_file, x.record_key AS a_key,
       y.file_id AS b_file, y.record_key AS b_key
FROM x JOIN b y ON x.band = y.band AND x.band_hash = y.band_hash
  AND (x.file_id < y.file_id OR (x.file_id = y.file_id AND x.record_key < y.record_key))
ORDER BY 1, 2, 3, 4
"""


def signature_matrix(signatures: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """The fixed-width binary signatures as a [records, num_perm] little-endian uint32 view."""
    if isinstance(signatures, pa.ChunkedArray):
        signatures = signatures.combine_chunks()
    if signatures.null_count:
        raise ValueError("a signature is null")
    # large_binary: int64 offsets whatever the input type, read straight from the buffers
    # (no Python object per record)
    sig = signatures.cast(pa.large_binary())
    n = len(sig)
    offsets = np.frombuffer(sig.buffers()[1], dtype=np.int64)[sig.offset : sig.offset + n + 1]
    width = int(offsets[1] - offsets[0]) if n else 0
    if n and (width % 4 or (np.diff(offsets) != width).any()):
        raise ValueError("signatures must share one width, a multiple of 4 bytes")
    if n == 0:
        return np.empty((0, 0), dtype="<u4")
    data = np.frombuffer(sig.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return data.view("<u4").reshape(n, width // 4)


def band_rows(
    file_id: str | pa.Array,
    record_key: pa.Array,
    signatures: pa.Array | pa.ChunkedArray,
    bands: int,
    partitions: int,
) -> pa.Table:
    """One row per (record, band): file_id, record_key, band, its 63-bit hash and
    ``partition = band_hash % partitions``. ``file_id`` is one shard's id or one per record."""
    if partitions < 1 or bands < 1:
        raise ValueError("bands and partitions must be positive")
    sig = signature_matrix(signatures)
    n = sig.shape[0]
    if n == 0:
        return BAND_SCHEMA.empty_table()
    if sig.shape[1] % bands:
        raise ValueError(f"bands ({bands}) must divide num_perm ({sig.shape[1]})")
    # the same FNV hash of each band's rows as the scanner used before bands became slices
    hashes = band_hashes(sig, bands).ravel()  # record-major: record i's bands are adjacent
    part = (hashes % partitions).astype(np.int32)
    # rows ordered by partition (stable: by record within one), so a writer slices each
    # partition's rows instead of shuffling them; the strings are gathered once, in that order
    order = np.argsort(part, kind="stable")
    owner = pa.array(order // bands)
    files = (
        pa.repeat(pa.scalar(file_id, pa.string()), n * bands)
        if isinstance(file_id, str)
        else pc.take(file_id, owner)
    )
    return pa.Table.from_arrays(
        [
            files,
            pc.take(record_key, owner),
            pa.array((order % bands).astype(np.int16)),
            pa.array(hashes[order]),
            pa.array(part[order]),
        ],
        schema=BAND_SCHEMA,
    )


def write_band_parts(table: pa.Table, out_dir: str | Path, writer: str) -> None:
    """Write band rows as hive-partitioned Parquet: ``out_dir/partition=p/<writer>.parquet``.

    Workers write their shards concurrently into the same directory, so each file is named by
    the writer's own id (a shard id): a retried shard replaces its own files, no one else's.
    Each file is written under a temporary name and renamed, so a reader never sees half a file.
    """
    if not _WRITER.fullmatch(writer):
        raise ValueError(f"writer id {writer!r}: letters, digits, '_', '.', '-' only")
    part = table.column("partition").to_numpy()
    if len(part) == 0:
        return
    if (np.diff(part) < 0).any():  # band_rows gives them in order already
        order = np.argsort(part, kind="stable")
        table, part = table.take(pa.array(order)), part[order]
    starts = np.flatnonzero(np.diff(part, prepend=-1))
    body = table.drop_columns(["partition"])  # in the directory name, as hive has it
    for lo, hi in zip(starts, [*starts[1:], len(part)], strict=True):
        folder = Path(out_dir, f"partition={part[lo]}")
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{writer}.parquet.tmp"
        pq.write_table(body.slice(lo, hi - lo), tmp, compression="zstd")
        os.replace(tmp, folder / f"{writer}.parquet")


def partition_files(out_dir: str | Path, partition: int) -> list[str]:
    """The Parquet files of one partition, sorted (empty when no shard had a row in it)."""
    return sorted(str(p) for p in Path(out_dir, f"partition={partition}").glob("*.parquet"))


def partition_ids(out_dir: str | Path) -> list[int]:
    """The partitions present under ``out_dir``."""
    found = (p.name.removeprefix("partition=") for p in Path(out_dir).glob("partition=*"))
    return sorted(int(x) for x in found if x.isdigit())


def task_threads() -> int:
    """DuckDB threads for one partition job: this process's share of the cores (Arrow's CPU
    count, which the executors set in every worker to its share), divided among the tasks a
    Dask worker runs at once. DuckDB's own default (every core) in each of N concurrent jobs
    would put N threads on every core."""
    share = int(pa.cpu_count())
    try:
        from distributed import get_worker

        share //= max(1, int(getattr(get_worker(), "nthreads", 1)))
    except (ImportError, ValueError):
        pass  # not a task on a Dask worker (get_worker raises ValueError outside one)
    return max(1, share)


def partition_candidates(
    out_dir: str | Path,
    partition: int,
    cap: int = DEFAULT_BUCKET_CAP,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> pa.Table:
    """Distinct (a_file, a_key, b_file, b_key) pairs, a < b, sharing a (band, band_hash) in
    one partition, sorted. Reads only that partition's files; buckets over ``cap`` records
    give a star of pairs around their first member instead of all pairs."""
    files = partition_files(out_dir, partition)
    if not files:
        return PAIR_SCHEMA.empty_table()
    config: dict[str, str | bool | int | float | list[str]] = {
        "threads": threads if threads is not None else task_threads()
    }
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    con = duckdb.connect(config=config)
    try:
        # no progress bar: this runs on workers, where nobody watches a terminal
        con.execute("SET enable_progress_bar = false")
        rel = con.sql(PAIRS_SQL, params=[files, cap])
        assert rel is not None  # a SELECT gives a relation
        table = rel.to_arrow_table()
    finally:
        con.close()
    return table.cast(PAIR_SCHEMA)


def distinct_pairs(tables: Iterable[pa.Table]) -> pa.Table:
    """The union of pair tables without repeats, sorted (a pair sharing bands that fall in
    different partitions is found once in each)."""
    both = pa.concat_tables([PAIR_SCHEMA.empty_table(), *tables])
    unique = both.group_by(list(PAIR_COLUMNS), use_threads=False).aggregate([])
    return unique.select(list(PAIR_COLUMNS)).sort_by([(c, "ascending") for c in PAIR_COLUMNS])


def run_candidates(
    out_dir: str | Path,
    cap: int = DEFAULT_BUCKET_CAP,
    mapper: Mapper = map,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> pa.Table:
    """Candidate pairs of every partition under ``out_dir``, distinct and sorted.

    ``mapper`` runs the per-partition job: builtin ``map`` (one after another, here), or the
    run's executor's ``map`` (``DaskExecutor.map``: a task per partition on its cluster); the
    job is a ``functools.partial`` of a module-level function, so it pickles to any worker.
    """
    job = partial(
        partition_candidates, str(out_dir), cap=cap, threads=threads, memory_limit=memory_limit
    )
    return distinct_pairs(mapper(job, partition_ids(out_dir)))
