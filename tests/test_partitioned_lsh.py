"""Issue 14, item 5: LSH candidates by band-hash partition over Parquet equal the single-dossier
candidates of ``provenance/checks/neardup.py``, for any number of partitions; huge buckets give
a star of pairs; empty input gives no pairs."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from provenance.checks.neardup import candidate_pairs
from provenance.executors.local import usable_cores
from provenance.reduce.lsh_parts import (
    PAIR_SCHEMA,
    band_rows,
    partition_candidates,
    partition_files,
    partition_ids,
    run_candidates,
    signature_matrix,
    task_threads,
    write_band_parts,
)

BANDS, PERM = 32, 128
FILES = ("f-a", "f-b", "f-c")


def planted(n: int = 600, seed: int = 5) -> tuple[list[tuple[str, str]], np.ndarray]:
    """Random signatures over three files; a fifth are copies of an earlier record with k of
    128 slots changed (k from 1 to 40: above 31 some copies share no band); ten records draw
    from {0, 1} only, so their bands collide by chance (buckets of several records)."""
    rng = np.random.default_rng(seed)
    sig = rng.integers(0, 2**32, (n, PERM), dtype=np.uint32)
    for i in rng.choice(np.arange(50, n), n // 5, replace=False):
        sig[i] = sig[rng.integers(0, 50)]
        k = int(rng.integers(1, 41))
        sig[i, rng.choice(PERM, k, replace=False)] = rng.integers(0, 2**32, k, dtype=np.uint32)
    sig[-10:] = rng.integers(0, 2, (10, PERM), dtype=np.uint32)
    ids = [(FILES[i % 3], f"r{i:05d}") for i in range(n)]
    return ids, sig


def reference(ids: list[tuple[str, str]], sig: np.ndarray) -> list[tuple[Any, ...]]:
    """The single-dossier candidates: ``candidate_pairs`` over ``run_`` views in a fresh DuckDB
    (every record its own exact-hash group, so all of them take part)."""
    con = duckdb.connect()
    con.execute("CREATE TABLE run_runs (config JSON)")
    con.execute("INSERT INTO run_runs VALUES (?)", [json.dumps({"scanners": {"minhash": {}}})])
    con.execute("CREATE TABLE run_record_hashes (file_id TEXT, record_key TEXT, exact_hash BIGINT)")
    con.execute(
        "CREATE TABLE run_minhash_signatures (file_id TEXT, record_key TEXT, signature BLOB)"
    )
    rows = [
        (f, k, i + 1, s.astype("<u4").tobytes())
        for i, ((f, k), s) in enumerate(zip(ids, sig, strict=True))
    ]
    con.executemany("INSERT INTO run_record_hashes VALUES (?, ?, ?)", [r[:3] for r in rows])
    con.executemany(
        "INSERT INTO run_minhash_signatures VALUES (?, ?, ?)", [(*r[:2], r[3]) for r in rows]
    )

    def query(q: str, p: list[Any]) -> pa.Table:
        return con.sql(q, params=p).to_arrow_table()

    return [tuple(r.values()) for r in candidate_pairs(query, 10**9).to_pylist()]


def write_shards(out: Path, ids: list[tuple[str, str]], sig: np.ndarray, partitions: int) -> None:
    """As the workers would: each file's records written by its own writer."""
    for f in FILES:
        idx = [i for i, (fid, _) in enumerate(ids) if fid == f]
        blobs = pa.array([sig[i].astype("<u4").tobytes() for i in idx], pa.binary())
        keys = pa.array([ids[i][1] for i in idx], pa.string())
        write_band_parts(band_rows(f, keys, blobs, BANDS, partitions), out, f"shard-{f}")


def pairs(table: pa.Table) -> list[tuple[Any, ...]]:
    return [tuple(r.values()) for r in table.to_pylist()]


@pytest.mark.parametrize("partitions", [1, 4, 16])
def test_partitioned_candidates_equal_the_single_dossier_query(
    tmp_path: Path, partitions: int
) -> None:
    ids, sig = planted()
    write_shards(tmp_path, ids, sig, partitions)
    expected = reference(ids, sig)
    assert len(expected) > 100
    got = run_candidates(tmp_path)
    assert got.schema == PAIR_SCHEMA
    assert pairs(got) == expected  # the same pairs, in the same order
    assert partition_ids(tmp_path) == list(range(partitions))
    # each partition alone: its pairs come from its own directory, and they cover the result
    per = [set(pairs(partition_candidates(tmp_path, p))) for p in range(partitions)]
    assert set().union(*per) == set(expected)


def test_one_file_id_per_record_and_a_pickled_job_under_a_mapper(tmp_path: Path) -> None:
    """band_rows takes a file id per record; run_candidates' job pickles (as for Dask)."""
    ids, sig = planted(300, seed=8)
    blobs = pa.array([s.astype("<u4").tobytes() for s in sig], pa.binary())
    table = band_rows(pa.array([f for f, _ in ids]), pa.array([k for _, k in ids]), blobs, BANDS, 4)
    assert table.num_rows == 300 * BANDS
    write_band_parts(table, tmp_path, "all")

    def remote(f: Callable[[int], pa.Table], xs: list[int]) -> Iterable[pa.Table]:
        return map(pickle.loads(pickle.dumps(f)), xs)

    assert pairs(run_candidates(tmp_path, mapper=remote)) == reference(ids, sig)


def test_the_dask_executor_maps_the_partitions_on_its_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``DaskExecutor.map`` (a real LocalCluster) runs each partition in a worker process and
    gives the pairs a local run gives; the cluster lives until the executor is closed."""
    import os

    # as a LocalCluster with Dask's defaults started in this process before leaves it (its
    # nanny writes its environment into the process that starts it)
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")

    from provenance.executors.dask import DaskExecutor

    ids, sig = planted(300, seed=9)
    blobs = pa.array([s.astype("<u4").tobytes() for s in sig], pa.binary())
    rows = band_rows(pa.array([f for f, _ in ids]), pa.array([k for _, k in ids]), blobs, BANDS, 4)
    write_band_parts(rows, tmp_path, "all")
    executor = DaskExecutor(workers=2)
    try:
        assert executor.map(os.getpid, []) == []  # nothing to do starts no cluster
        assert executor._session is None
        got = run_candidates(tmp_path, mapper=executor.map)
        pids = executor.map(_pid, [0, 1, 2, 3])
        # each job's DuckDB gets its worker's share of the cores, not every core
        threads = executor.map(_task_threads, [0, 1])
        # the nanny's MALLOC_TRIM_THRESHOLD_ made every shard ~30% slower: not set for ours
        environ = executor.map(_environ, [0, 1])
    finally:
        executor.close()
    assert executor._session is None
    assert pairs(got) == pairs(run_candidates(tmp_path)) == reference(ids, sig)
    assert os.getpid() not in pids
    assert threads == [max(1, usable_cores() // 2)] * 2
    assert environ == [(None, "1")] * 2  # Dask's other settings kept
    assert os.environ["MALLOC_TRIM_THRESHOLD_"] == "65536"  # ours again once they started
    assert task_threads() == pa.cpu_count()  # here: this process's share, all of it


def _environ(_: int) -> tuple[str | None, str | None]:
    import os

    return os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")


def _task_threads(_: int) -> int:
    return task_threads()


def _pid(_: int) -> int:
    import os

    return os.getpid()


def bucket(size: int) -> tuple[list[tuple[str, str]], np.ndarray]:
    """``size`` random records that all share band 0 (boilerplate), over the three files."""
    rng = np.random.default_rng(size)
    sig = rng.integers(0, 2**32, (size, PERM), dtype=np.uint32)
    sig[:, :4] = sig[0, :4]
    return [(FILES[i % 3], f"k{i:04d}") for i in range(size)], sig


@pytest.mark.parametrize(
    ("size", "cap", "expected"),
    [
        (40, 40, 40 * 39 // 2),  # at the cap: every pair
        (40, 39, 39),  # over it: a star around the first member
        (40, 1, 39),
        (2, 1, 1),  # a pair is a star too
    ],
)
def test_a_bucket_over_the_cap_pairs_each_member_with_its_first(
    tmp_path: Path, size: int, cap: int, expected: int
) -> None:
    ids, sig = bucket(size)
    write_shards(tmp_path, ids, sig, 4)
    got = pairs(run_candidates(tmp_path, cap=cap))
    assert len(got) == expected
    first = min(ids)  # by (file_id, record_key): file "f-a", key "k0000"
    if expected < size * (size - 1) // 2:
        assert {(a, b) for a, b, _, _ in got} == {first}
    # either way, union-find joins the whole bucket into one cluster
    parent = {x: x for x in ids}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b, c, d in got:
        parent[find((c, d))] = find((a, b))
    assert len({find(x) for x in ids}) == 1


def test_empty_input_gives_no_pairs(tmp_path: Path) -> None:
    empty = band_rows("f", pa.array([], pa.string()), pa.array([], pa.binary()), BANDS, 4)
    assert empty.num_rows == 0
    write_band_parts(empty, tmp_path, "s0")
    assert partition_ids(tmp_path) == [] and partition_files(tmp_path, 0) == []
    assert run_candidates(tmp_path).num_rows == 0
    assert partition_candidates(tmp_path / "missing", 3).schema == PAIR_SCHEMA


@pytest.mark.parametrize(
    ("blobs", "match"),
    [
        (pa.array([b"\0" * 512, b"\0" * 508], pa.binary()), "one width"),
        (pa.array([b"\0" * 6], pa.binary()), "multiple of 4"),
        (pa.array([b"\0" * 512, None], pa.binary()), "null"),
    ],
)
def test_malformed_signatures_are_refused(blobs: pa.Array, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        signature_matrix(blobs)


def test_signature_matrix_reads_a_sliced_array_little_endian(tmp_path: Path) -> None:
    sig = np.arange(3 * PERM, dtype="<u4").reshape(3, PERM)
    blobs = pa.array([r.tobytes() for r in sig], pa.binary()).slice(1)
    assert (signature_matrix(blobs) == sig[1:]).all()
    with pytest.raises(ValueError, match="must divide"):
        band_rows("f", pa.array(["a", "b"]), blobs, 3, 4)
    with pytest.raises(ValueError, match="writer id"):
        write_band_parts(band_rows("f", pa.array(["a", "b"]), blobs, 4, 2), tmp_path, "../x")
