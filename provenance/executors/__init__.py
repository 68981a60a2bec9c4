"""Executors: where shards run. A scanner never knows which one runs it."""

from __future__ import annotations

from provenance.errors import BadInput
from provenance.executors.base import Executor, ShardJob, ShardResult, process_shard
from provenance.executors.local import LocalExecutor

EXECUTORS = ("local", "dask")


def make_executor(name: str, workers: int, scheduler: str | None = None) -> Executor:
    """An executor by name; unknown names list the known ones."""
    if name == "local":
        return LocalExecutor(workers)
    if name == "dask":
        from provenance.executors.dask import DaskExecutor

        return DaskExecutor(workers, scheduler)
    raise BadInput(f"unknown executor {name!r}; known executors: {', '.join(EXECUTORS)}")


__all__ = ["EXECUTORS", "Executor", "ShardJob", "ShardResult", "make_executor", "process_shard"]
