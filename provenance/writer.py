"""The single writer: commits shard results to the dossier on a thread of its own.

DuckDB has one writer per file, and a commit costs the same for a shard of 8 records as for
one of 80,000: on a corpus of 3,000 small files the coordinator spent 95% of the scan committing
one shard per transaction and the workers waited for it (``benchmarks/RESULTS.md``). So results
go through a bounded queue to this thread, which commits whatever has queued up — one shard when
they arrive slowly, many in one transaction when they arrive faster than it commits — while the
coordinator goes on receiving results (and, with one in-process worker, scanning: DuckDB
releases the GIL while it writes). A shard's rows and its completion marker still commit
together, so a crash loses only uncommitted shards, which a resumed run scans again.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from provenance.executors import ShardResult
from provenance.store import Store, utcnow

Item = tuple[dict[str, Any], ShardResult]
#: most shards in one transaction (bounds the memory a batch holds)
MAX_BATCH = 256


def marker_of(result: ShardResult) -> dict[str, Any]:
    """The ``shards`` row of a result: its completion marker and what the reader saw."""
    rs, timing = result.stats, result.timing
    return {
        "shard_id": result.shard.shard_id,
        "file_id": result.shard.file_id,
        "part": result.shard.part,
        "row_groups": ",".join(map(str, result.shard.row_groups))
        if result.shard.row_groups
        else None,
        "status": result.status,
        "error": result.error,
        # a shard that failed part-way contributes no records: its scan results are dropped
        "records": rs.records if result.status == "ok" else None,
        "malformed": rs.malformed,
        "invalid_utf8": rs.invalid_utf8,
        "bytes_on_disk": rs.bytes_on_disk,
        "sha256": rs.sha256,
        "worker": timing.worker if timing else None,
        "scan_seconds": timing.seconds if timing else None,
        "startup_seconds": timing.startup if timing else None,
    }


def commit_shards(
    store: Store, run_id: str, items: Sequence[tuple[Mapping[str, Any], Mapping[str, pa.Table]]]
) -> None:
    """Write shards' results and their completion markers in one transaction."""
    by_table: dict[str, list[pa.Table]] = {}
    for _, tables in items:
        for name, data in tables.items():
            by_table.setdefault(name, []).append(data)
    with store.transaction():
        for name, parts in by_table.items():
            try:  # one insert per table: each insert has a fixed cost, like each commit
                store.insert(name, pa.concat_tables(parts, promote_options="permissive"), run_id)
            except (pa.ArrowInvalid, pa.ArrowTypeError):  # types that do not unify: one by one
                for part in parts:
                    store.insert(name, part, run_id)
        store.insert("shards", [dict(m, finished_at=utcnow()) for m, _ in items], run_id)


class ShardWriter:
    """Commit shard results on a background thread, batching what queues up.

    ``committed(results, seconds)`` runs on the writer thread after each transaction (progress,
    profile, the crash-test hook); ``limit(committed)`` caps the next batch (the test hook
    "fail/kill after N shards" must see exactly N committed).
    """

    def __init__(
        self,
        store: Store,
        run_id: str,
        committed: Callable[[list[ShardResult], float], None],
        limit: Callable[[int], int] = lambda _: MAX_BATCH,
        depth: int = 64,
    ) -> None:
        self.store, self.run_id = store, run_id
        self._committed, self._limit = committed, limit
        self._queue: queue.Queue[Item | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._stop = False
        self.count = 0
        self._thread = threading.Thread(target=self._run, name="provenance-writer", daemon=True)
        self._thread.start()

    def put(self, marker: dict[str, Any], result: ShardResult) -> None:
        """Queue a shard (blocks while the queue is full); raises the writer's error, if any."""
        while True:
            self._raise()
            try:
                self._queue.put((marker, result), timeout=0.2)
                return
            except queue.Full:
                continue

    def close(self) -> None:
        """Commit everything queued, stop, and raise the writer's error, if any."""
        self._queue.put(None)
        self._thread.join()
        self._raise()

    def abort(self) -> None:
        """Stop after the transaction in progress; what is still queued is not committed."""
        self._stop = True
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)
        self._thread.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            done = False
            while not done and not self._stop:
                first = self._queue.get()
                if first is None:
                    break
                batch = [first]
                cap = max(1, min(MAX_BATCH, self._limit(self.count)))
                while len(batch) < cap:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:
                        done = True
                        break
                    batch.append(item)
                t0 = time.perf_counter()
                commit_shards(
                    self.store,
                    self.run_id,
                    [(m, r.tables if r.status == "ok" else {}) for m, r in batch],
                )
                self.count += len(batch)
                self._committed([r for _, r in batch], time.perf_counter() - t0)
        except BaseException as exc:  # handed to the coordinator at its next put or close
            self._error = exc
