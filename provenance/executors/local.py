"""Local executor: in-process for one worker, a process pool for several.

The pool uses the ``forkserver`` start method: forking a parent that holds an open DuckDB
connection and its threads is not safe.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from provenance.executors.base import ShardJob, ShardResult, process_shard
from provenance.plan import Shard


class LocalExecutor:
    """Run shards on this machine with ``workers`` processes (1 = in this process)."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)

    def run(self, shards: Iterable[Shard], job: ShardJob) -> Iterator[ShardResult]:
        """Yield results as shards finish; at most ``2 × workers`` shards in flight."""
        todo = list(shards)
        if self.workers == 1 or len(todo) <= 1:
            for shard in todo:
                yield process_shard(shard, job)
            return
        ctx = mp.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx) as pool:
            pending: set[Future[ShardResult]] = set()
            queue = iter(todo)
            for shard in queue:
                pending.add(pool.submit(process_shard, shard, job))
                if len(pending) >= 2 * self.workers:
                    break
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending.add(pool.submit(process_shard, nxt, job))
