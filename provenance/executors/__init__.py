"""Executors: where shards run. A scanner never knows which one runs it."""

from __future__ import annotations

from provenance.errors import BadInput
from provenance.executors.base import Executor, ShardJob, ShardResult, process_shard
from provenance.executors.local import LocalExecutor

EXECUTORS = ("local",)


def make_executor(name: str, workers: int) -> Executor:
    """An executor by name; unknown names list the known ones."""
    if name == "local":
        return LocalExecutor(workers)
    raise BadInput(f"unknown executor {name!r}; known executors: {', '.join(EXECUTORS)}")


__all__ = ["EXECUTORS", "Executor", "ShardJob", "ShardResult", "make_executor", "process_shard"]
