"""The single writer (provenance/writer.py): batches what queues up, keeps a shard's rows with
its marker, hands its errors to the coordinator, and commits nothing more once aborted."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from provenance.executors import ShardResult
from provenance.readers import ReadStats
from provenance.store import Store
from provenance.writer import ShardWriter, marker_of
from tests.test_readers import shard


def _result(i: int) -> ShardResult:
    one = shard(Path(f"/d/f{i}.jsonl"), shard_id=f"f{i}:0", file_id=f"f{i}")
    return ShardResult(one, "ok", None, ReadStats(records=1))


def _shards(store: Store) -> int:
    return int(store.con.execute("SELECT count(*) FROM shards").fetchone()[0])


def test_what_queues_up_commits_together(tmp_path: Path) -> None:
    batches: list[int] = []
    gate = threading.Event()

    def committed(results: list[ShardResult], seconds: float) -> None:
        batches.append(len(results))
        gate.wait(5)  # hold the writer so the next shards queue up behind it

    with Store(tmp_path / "d.duckdb") as store:
        writer = ShardWriter(store, "r1", committed)
        for i in range(20):
            writer.put(marker_of(_result(i)), _result(i))
        gate.set()
        writer.close()
        assert _shards(store) == 20
    assert sum(batches) == 20 and len(batches) < 20  # batched


def test_a_limit_caps_the_batch(tmp_path: Path) -> None:
    batches: list[int] = []
    with Store(tmp_path / "d.duckdb") as store:
        writer = ShardWriter(store, "r1", lambda rs, s: batches.append(len(rs)), limit=lambda n: 3)
        for i in range(10):
            writer.put(marker_of(_result(i)), _result(i))
        writer.close()
    assert max(batches) <= 3 and sum(batches) == 10


def test_an_error_on_the_writer_reaches_the_coordinator(tmp_path: Path) -> None:
    def boom(results: list[ShardResult], seconds: float) -> None:
        raise RuntimeError("injected")

    with Store(tmp_path / "d.duckdb") as store:
        writer = ShardWriter(store, "r1", boom)
        with pytest.raises(RuntimeError, match="injected"):
            for i in range(200):
                writer.put(marker_of(_result(i)), _result(i))
            writer.close()


def test_abort_commits_nothing_queued(tmp_path: Path) -> None:
    gate, inside = threading.Event(), threading.Event()

    def hold(results: list[ShardResult], seconds: float) -> None:
        inside.set()
        gate.wait(5)

    with Store(tmp_path / "d.duckdb") as store:
        writer = ShardWriter(store, "r1", hold, limit=lambda n: 1)
        for i in range(5):
            writer.put(marker_of(_result(i)), _result(i))
        assert inside.wait(5)  # the first shard is committed; the other four are queued
        stopper = threading.Thread(target=writer.abort)
        stopper.start()
        for _ in range(500):
            if writer._stop:
                break
            threading.Event().wait(0.01)
        gate.set()
        stopper.join(10)
        assert _shards(store) == 1
