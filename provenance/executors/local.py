"""Local executor: in-process for one worker, a process pool for several.

The pool uses the ``forkserver`` start method: forking a parent that holds an open DuckDB
connection and its threads is not safe.

Process hygiene: a worker belongs to the audit that started it. Workers ignore SIGINT (a
terminal's Ctrl-C goes to the whole process group; the coordinator alone decides what an
interrupt means, so the user sees one message, not one traceback per worker), and every worker
watches its coordinator and exits when it is gone, however it died (``kill -9`` included) —
otherwise ~500 MB workers, the forkserver and the resource tracker outlive a killed audit.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TypeVar

from provenance.executors.base import (
    ShardJob,
    ShardResult,
    group_shards,
    process_shard,
    process_shards,
    warm_up,
)
from provenance.shard import Shard

_T = TypeVar("_T")
_R = TypeVar("_R")


def _exit_when_gone(coordinator: int) -> None:
    """Block until process ``coordinator`` has exited, then end this process at once."""
    try:
        fd = os.pidfd_open(coordinator)  # Linux ≥ 5.3: readable when the process exits
    except (AttributeError, OSError):
        fd = None
    if fd is not None:
        select.select([fd], [], [])
    else:  # portable fallback: poll
        while True:
            try:
                os.kill(coordinator, 0)
            except ProcessLookupError:
                break
            except PermissionError:
                pass
            time.sleep(1.0)
    os._exit(1)


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, e.g. a container's or taskset's
    share), not every core of the machine."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    """``--workers`` when not given: one per usable core, at most 8. Measured on 2 cores
    (benchmarks/RESULTS.md, "Scale-out"): 2 workers 1.77-1.90x one worker on a quiet machine,
    and still 1.18x with one core taken by another program; never slower."""
    return min(usable_cores(), 8)


def threads_per_worker(workers: int) -> int:
    """Arrow's threads for each of ``workers`` processes, so that together they fit the cores:
    Arrow's JSON reader and compute kernels use every core from one process by default, and N
    such processes on N cores fight over them (measured: benchmarks/scale.py)."""
    return max(1, usable_cores() // max(1, workers))


def _worker_init(coordinator: int, job: ShardJob, threads: int) -> None:
    """Runs first in every worker: ignore Ctrl-C, die with the coordinator, fit the cores, and
    build what every shard reuses (:func:`warm_up`) before the first shard arrives."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_gone, args=(coordinator,), daemon=True).start()
    import pyarrow as pa

    pa.set_cpu_count(threads)
    warm_up(job)


class LocalExecutor:
    """Run shards on this machine with ``workers`` processes (1 = in this process)."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)

    def map(self, fn: Callable[[_T], _R], items: list[_T]) -> list[_R]:
        """In this process, one item after another: the reduce jobs are DuckDB queries, which
        use every core of the machine on their own."""
        return [fn(x) for x in items]

    def close(self) -> None:
        """Nothing to release: the pool of :meth:`run` ends with it."""

    def run(self, shards: Iterable[Shard], job: ShardJob) -> Iterator[ShardResult]:
        """Yield results as shards finish; at most ``2 × workers`` tasks in flight (a task is a
        shard, or a group of small ones: :func:`group_shards`)."""
        todo = list(shards)
        if self.workers == 1 or len(todo) <= 1:
            if todo:
                warm_up(job, in_process=True)
            for shard in todo:
                yield process_shard(shard, job)
            return
        ctx = mp.get_context("forkserver")
        pool = ProcessPoolExecutor(
            max_workers=min(self.workers, len(todo)),
            mp_context=ctx,
            initializer=_worker_init,
            initargs=(os.getpid(), job, threads_per_worker(self.workers)),
        )
        finished = False
        try:
            pending: set[Future[list[ShardResult]]] = set()
            queue = iter(group_shards(todo))
            for group in queue:
                pending.add(pool.submit(process_shards, group, job))
                if len(pending) >= 2 * self.workers:
                    break
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield from fut.result()
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending.add(pool.submit(process_shards, nxt, job))
            finished = True
        finally:
            if finished:
                pool.shutdown(wait=True)
            else:
                # interrupted or failed: do not wait for shards nobody will commit
                _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel queued shards and end the workers now."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.kill()
    for proc in processes:
        with contextlib.suppress(Exception):
            proc.join(timeout=5)
