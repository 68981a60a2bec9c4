"""The work of one shard, independent of where it runs.

:func:`process_shard` reads a shard once and passes every batch to every scanner. Executors
only decide where this function runs and in what order results come back; they never look
inside. A shard whose bytes cannot be read comes back with ``status="error"`` (readers raise
the typed :class:`ShardError` for that; recorded, the run goes on); any other exception, from a
reader or a scanner, is a bug and propagates (the run fails, resumable).
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

import pyarrow as pa

from provenance.errors import InternalError, ShardError, safe_error
from provenance.pii.keys import BatchGuard, analyzer_for, pii_settings
from provenance.pii.protect import using_key
from provenance.readers import ReadStats, ShardReader
from provenance.scanners import SCANNERS, ShardContext
from provenance.shard import Shard

if TYPE_CHECKING:  # the pipeline module imports every check: a worker needs none of them
    from provenance.pipeline import ScannerSpec
    from provenance.reduce.parts import PartsSpec


@dataclass(frozen=True)
class ShardTiming:
    """Where and how long a shard ran: what the run's profile (``shards`` columns) is made of."""

    #: ``host:pid`` of the process that scanned it
    worker: str
    #: wall seconds inside :func:`process_shard`
    seconds: float
    #: the worker's start-up (process start, imports and warm-up, to ready), reported with the
    #: first shard a process scans and None afterwards; for an in-process run, the warm-up only
    startup: float | None = None


@dataclass
class ShardResult:
    """What one shard produced."""

    shard: Shard
    status: str
    error: str | None
    stats: ReadStats
    tables: dict[str, pa.Table] = field(default_factory=dict)
    timing: ShardTiming | None = None


@dataclass(frozen=True)
class ShardJob:
    """Everything a worker needs besides the shard; picklable."""

    scanners: tuple[ScannerSpec, ...]
    batch_rows: int
    #: run-level facts scanners may read (e.g. the manifest's keyword library path), picklable
    context: tuple[tuple[str, str], ...] = ()
    #: the audit's PII key, resolved once by the coordinator (workers never resolve their own)
    pii_key: bytes = b""
    #: a partitioned run: per-record tables go to Parquet parts (provenance.reduce.parts)
    parts: PartsSpec | None = None


def _stamp(table: pa.Table, name: str, version: str) -> pa.Table:
    n = table.num_rows
    return table.append_column("scanner", pa.array([name] * n, pa.string())).append_column(
        "scanner_version", pa.array([version] * n, pa.string())
    )


class _ThisProcess:
    """Per-process state: which jobs are warmed up, and the start-up not yet reported."""

    # jobs are compared by value (their settings are dicts: not hashable, no set)
    warm: ClassVar[list[ShardJob]] = []
    startup: ClassVar[float | None] = None


def _process_age() -> float:
    """Seconds since this process started (Linux /proc; elsewhere 0: only the warm-up counts)."""
    try:
        with open("/proc/self/stat", "rb") as fh:
            ticks = int(fh.read().rsplit(b")", 1)[1].split()[19])
        with open("/proc/uptime", "rb") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def warm_up(job: ShardJob, *, in_process: bool = False) -> float:
    """Build once per process what every shard of ``job`` reuses — the scanners' settings, the
    PII analyzer (presidio's recognizers) and, when names are looked for, the NER engines — so
    the first shard does not pay for it and the start-up is measured apart from scanning.
    Returns this process's start-up in seconds (warm-up only when ``in_process``)."""
    t0 = time.perf_counter()
    if job not in _ThisProcess.warm:
        with using_key(job.pii_key):
            for s in job.scanners:
                SCANNERS[s.name](SCANNERS[s.name].Settings.model_validate(s.settings))
        settings = pii_settings(job.scanners)
        if any(s.name == "personal_information" for s in job.scanners):
            analyzer_for(settings)[0]()
            if settings.get("names", "sampled") != "off":
                from provenance.pii.ner import ner_analyzer

                ner_analyzer()
        _ThisProcess.warm.append(job)
    startup = time.perf_counter() - t0 if in_process else _process_age()
    _ThisProcess.startup = startup
    return startup


def process_shard(shard: Shard, job: ShardJob) -> ShardResult:
    """Read ``shard`` once; run every scanner over the same batches, under the job's PII key."""
    if not job.pii_key:
        raise InternalError("shard job without the audit's PII key")
    t0 = time.perf_counter()
    with using_key(job.pii_key):
        result = _process(shard, job)
    if job.parts is not None and result.status == "ok":
        from provenance.reduce.parts import write_shard_parts

        result.tables = write_shard_parts(job.parts, shard.shard_id, result.tables)
    startup, _ThisProcess.startup = _ThisProcess.startup, None  # reported once
    result.timing = ShardTiming(
        f"{socket.gethostname()}:{os.getpid()}", time.perf_counter() - t0, startup
    )
    return result


def _process(shard: Shard, job: ShardJob) -> ShardResult:
    scanners = [
        SCANNERS[s.name](SCANNERS[s.name].Settings.model_validate(s.settings)) for s in job.scanners
    ]
    reader = ShardReader(shard, job.batch_rows)
    analyzer, _ = analyzer_for(pii_settings(job.scanners))
    ctx = ShardContext(
        shard=shard, read_stats=reader.stats, extra=dict(job.context), pii_analyzer=analyzer
    )
    parts: dict[str, list[pa.Table]] = {}

    def keep(scanner: Any, out: dict[str, pa.Table]) -> None:
        for table, data in out.items():
            if table not in {o.table for o in scanner.outputs}:
                # an undeclared table would escape the resume clean-up and the DDL: a bug
                raise InternalError(
                    f"scanner {scanner.name} returned table {table!r}, which its outputs "
                    "do not declare"
                )
            parts.setdefault(table, []).append(_stamp(data, scanner.name, scanner.version))

    guard = BatchGuard.for_shard(shard, job.scanners)  # keys and URLs masked once, for all
    batches = iter(reader)
    try:
        while True:
            try:
                batch = next(batches)
            except StopIteration:
                break
            batch = guard(batch)
            for sc in scanners:
                keep(sc, sc.scan(batch, ctx))
    except ShardError as exc:
        return ShardResult(shard, "error", safe_error(exc), reader.stats)
    for sc in scanners:
        keep(sc, sc.finish(ctx))
    tables = {name: pa.concat_tables(ts) for name, ts in parts.items()}
    return ShardResult(shard, "ok", None, reader.stats, tables)


#: shards smaller than this travel to a worker together, one task for several: a corpus of many
#: small files would otherwise pay a round trip (pickling the job, scheduling, the result's
#: transfer) per file
GROUP_BYTES = 16 << 20
GROUP_SHARDS = 64


def group_shards(shards: Iterable[Shard]) -> list[list[Shard]]:
    """Consecutive small shards grouped up to :data:`GROUP_BYTES` (or :data:`GROUP_SHARDS`
    shards); a shard of that size or more is a task of its own."""
    out: list[list[Shard]] = []
    current: list[Shard] = []
    size = 0
    for shard in shards:
        if current and (size + shard.size > GROUP_BYTES or len(current) >= GROUP_SHARDS):
            out.append(current)
            current, size = [], 0
        current.append(shard)
        size += shard.size
    if current:
        out.append(current)
    return out


def process_shards(shards: list[Shard], job: ShardJob) -> list[ShardResult]:
    """:func:`process_shard` over a group of shards, in one task."""
    return [process_shard(shard, job) for shard in shards]


_T = TypeVar("_T")
_R = TypeVar("_R")


class Executor(Protocol):
    """Runs :func:`process_shard` over shards and yields results as they finish; runs the
    reduce side's independent jobs (:meth:`map`) where it ran the shards."""

    def run(self, shards: Iterable[Shard], job: ShardJob) -> Iterator[ShardResult]:
        """Results in completion order."""
        ...

    def map(self, fn: Callable[[_T], _R], items: list[_T]) -> list[_R]:
        """``fn`` over ``items`` (a picklable module-level function), results in their order."""
        ...

    def close(self) -> None:
        """Release the workers (a cluster the run started); the executor may not be used after."""
        ...


ShardFn = Callable[[Shard, ShardJob], ShardResult]
