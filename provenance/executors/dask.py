"""Dask executor: the same shard function on a Dask cluster (multi-machine runs).

With no scheduler address, a LocalCluster of ``workers`` single-threaded worker processes is
started for the run and closed after it; with one (``--dask-scheduler tcp://host:8786``), the
run uses that cluster. The client (and a LocalCluster) lives from the first shard until the
runner closes the executor, so the reduce side of a partitioned run — candidate pairs, one
band partition per task (:meth:`DaskExecutor.map`) — runs on the workers that scanned. Workers need provenance installed and, for the personal-information
scanner, the same PII key (``PROVENANCE_PII_KEY``) as the machine that queries the dossier.
At most ``2 × workers`` shards are in flight, so results stream back to the single writer.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from provenance.errors import BadInput
from provenance.executors.base import ShardJob, ShardResult, group_shards, process_shards, warm_up
from provenance.executors.local import usable_cores
from provenance.shard import Shard

_T = TypeVar("_T")
_R = TypeVar("_R")


def _fit_cores(per_host: dict[str, int], dask_worker: Any) -> None:
    """On a worker: fit Arrow's threads (which the partition jobs' DuckDB follows too:
    ``reduce.lsh_parts.task_threads``) to the worker's share of its machine's cores."""
    import pyarrow as pa

    # client.run passes the worker as ``dask_worker`` (its address names its host)
    host = dask_worker.address.rsplit(":", 1)[0].split("://")[-1]
    pa.set_cpu_count(max(1, usable_cores() // max(1, per_host.get(host, 1))))


def _warm(job: ShardJob, attached: bool) -> float:
    """On a worker: build what every shard reuses (the PII analyzer, the NER engines) once,
    before the first shard. (A worker that joins the cluster later builds them with its first
    shard.)"""
    # a worker of a cluster we attached to may be hours old: count its warm-up only
    return warm_up(job, in_process=attached)


def worker_environ() -> dict[str, Any]:
    """The environment the nanny gives the workers of a LocalCluster we start: Dask's, without
    ``MALLOC_TRIM_THRESHOLD_``. Dask sets it to 65536, which turns off glibc's adaptive mmap
    threshold: every large numpy or Arrow temporary is then a fresh mmap whose pages fault in
    zeroed, and our shards ran 20–30% slower (``benchmarks/dask_worker.py``)."""
    import dask

    return {
        k: v
        for k, v in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
        if k != "MALLOC_TRIM_THRESHOLD_"
    }


@contextmanager
def _without_env(name: str) -> Iterator[None]:
    """``name`` out of this process's environment while workers are spawned: a nanny writes
    its pre-spawn environment into the process that starts it, so a LocalCluster started here
    before (Dask's defaults) leaves MALLOC_TRIM_THRESHOLD_ for every later worker to inherit."""
    saved = os.environ.pop(name, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[name] = saved


class DaskExecutor:
    """Run shards on a Dask cluster (a fresh LocalCluster unless an address is given)."""

    def __init__(self, workers: int = 2, address: str | None = None) -> None:
        self.workers = max(1, workers)
        self.address = address
        self._session: tuple[Any, Any] | None = None  # (client, LocalCluster or None)

    def _connected(self) -> Any:
        """The client, connected (and a LocalCluster started) on first use; its workers
        fitted to their cores at every use (workers may have joined or restarted since)."""
        if self._session is None:
            self._session = self._client()
        client = self._session[0]
        self._fit(client)  # before any shard or partition job
        return client

    @staticmethod
    def _fit(client: Any) -> None:
        """Fit every worker's threads to its share of its machine (:func:`_fit_cores`)."""
        per_host: dict[str, int] = {}
        for w in client.scheduler_info()["workers"].values():
            per_host[w["host"]] = per_host.get(w["host"], 0) + 1
        client.run(_fit_cores, per_host)

    def close(self) -> None:
        """Close the client, and the LocalCluster if the run started one."""
        session, self._session = self._session, None
        if session is not None:
            session[0].close()
            if session[1] is not None:
                session[1].close()

    def map(self, fn: Callable[[_T], _R], items: list[_T]) -> list[_R]:
        """``fn`` over ``items`` on the cluster, one task each, results in their order.
        (``pure=False``: a rerun must compute again, not reuse a result the scheduler kept.)"""
        if not items:
            return []
        client = self._connected()
        return list(client.gather(client.map(fn, items, pure=False)))

    def _client(self) -> tuple[Any, Any]:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - dask is a dependency
            raise BadInput(
                "the dask executor needs dask[distributed]: pip install 'dask[distributed]'"
            ) from None
        if self.address:
            try:
                return Client(self.address, timeout="10s"), None
            except OSError as exc:
                raise BadInput(
                    f"cannot reach the Dask scheduler at {self.address}: {exc}"
                ) from None
        import dask

        # Dask's statistical profiler samples the task thread's stack every 10 ms: measurable on
        # long pure-Python tasks like ours, and nobody reads it here. A cluster we attach to
        # keeps its own settings (README).
        with (
            dask.config.set(
                {
                    "distributed.worker.profile.enabled": False,
                    "distributed.nanny.pre-spawn-environ": worker_environ(),
                }
            ),
            _without_env("MALLOC_TRIM_THRESHOLD_"),
        ):
            cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,
            )
        return Client(cluster), cluster

    def run(self, shards: Iterable[Shard], job: ShardJob) -> Iterator[ShardResult]:
        """Yield results as shards finish (small shards travel in groups: ``group_shards``)."""
        from dask.distributed import as_completed

        groups = group_shards(shards)
        if not groups:
            return  # nothing to scan (a resumed run): no cluster to start
        todo = iter(groups)
        client = self._connected()  # closed by close(): the reduce may still need the workers
        job_ref = client.scatter(job, broadcast=True)
        # long-lived workers are warmed up once, in parallel, before any shard is sent
        client.run(_warm, job, bool(self.address))
        first = [
            client.submit(process_shards, g, job_ref, pure=False)
            for g in (next(todo, None) for _ in range(2 * self.workers))
            if g is not None
        ]
        queue = as_completed(first)
        for fut in queue:
            yield from fut.result()
            nxt = next(todo, None)
            if nxt is not None:
                queue.add(client.submit(process_shards, nxt, job_ref, pure=False))
