"""Where a run's time went: scan wall time, throughput per worker, worker start-up, and how busy
the coordinator (the single writer) was.

Operators size clusters from these numbers, and ``benchmarks/scale.py`` reads them from the
dossier instead of guessing from the outside. Per shard, the worker, its scan seconds and the
worker's start-up (on the first shard a process scans) are ``shards`` columns; the run's summary
is ``runs.profile`` (JSON). A resumed run's profile covers the shards that session scanned.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from provenance.executors import ShardResult
from provenance.store import Store

#: columns that say how long and where, not what was found: they differ between identical runs
#: (comparisons of runs leave them out)
TIMING_COLUMNS = ("worker", "scan_seconds", "startup_seconds", "profile")


@dataclass
class ScanProfile:
    """Accumulates timings while the runner commits shards; :meth:`summary` reduces them."""

    executor: str
    workers: int
    started: float = field(default_factory=time.perf_counter)
    shards: int = 0
    bytes: int = 0
    records: int = 0
    worker_seconds: float = 0.0
    commit_seconds: float = 0.0
    startups: list[float] = field(default_factory=list)
    seen_workers: set[str] = field(default_factory=set)
    scan_seconds: float | None = None
    checks_seconds: float | None = None
    _checks_from: float = 0.0

    def shard(self, result: ShardResult, commit_seconds: float) -> None:
        """Count one committed shard and the coordinator's time committing it."""
        self.shards += 1
        self.bytes += result.stats.bytes_on_disk or 0
        self.records += result.stats.records if result.status == "ok" else 0
        self.commit_seconds += commit_seconds
        if result.timing is not None:
            self.worker_seconds += result.timing.seconds
            self.seen_workers.add(result.timing.worker)
            if result.timing.startup is not None:
                self.startups.append(result.timing.startup)

    def scanned(self) -> None:
        """The last shard is committed: the scan phase's wall time ends here."""
        self.scan_seconds = time.perf_counter() - self.started
        self._checks_from = time.perf_counter()

    def checked(self) -> None:
        """The check phase is over."""
        self.checks_seconds = time.perf_counter() - self._checks_from

    def summary(self) -> dict[str, Any]:
        """The run's profile (``runs.profile``): rounded, JSON-ready."""
        wall = self.scan_seconds or 0.0
        mb = self.bytes / 1e6
        used = max(1, min(self.workers, len(self.seen_workers) or 1))
        out: dict[str, Any] = {
            "executor": self.executor,
            "workers": self.workers,
            "workers_used": len(self.seen_workers),
            "shards_scanned": self.shards,
            "records_scanned": self.records,
            "mb_scanned": round(mb, 3),
            "scan_seconds": round(wall, 3),
            "checks_seconds": None
            if self.checks_seconds is None
            else round(self.checks_seconds, 3),
            "mb_per_second_per_worker": round(mb / wall / used, 3) if wall > 0 else None,
            "worker_busy_share": round(self.worker_seconds / wall / used, 3) if wall > 0 else None,
            "coordinator_busy_share": round(self.commit_seconds / wall, 3) if wall > 0 else None,
            "worker_startup_seconds_max": round(max(self.startups), 3) if self.startups else None,
            "worker_startup_seconds_mean": (
                round(sum(self.startups) / len(self.startups), 3) if self.startups else None
            ),
        }
        return out

    def line(self) -> str:
        """One line for the terminal summary."""
        s = self.summary()
        if not s["shards_scanned"]:
            return "Scan: nothing to scan (every shard was committed before)"
        parts = [
            f"Scan: {s['mb_scanned']:,.1f} MB in {s['scan_seconds']:.1f} s on "
            f"{s['workers_used']} worker(s) ({s['executor']})",
            f"{s['mb_per_second_per_worker'] or 0:.2f} MB/s per worker",
        ]
        if s["worker_startup_seconds_max"] is not None:
            parts.append(f"worker start-up ≤ {s['worker_startup_seconds_max']:.1f} s")
        parts.append(f"coordinator busy {100 * (s['coordinator_busy_share'] or 0):.0f}%")
        if s["checks_seconds"] is not None:
            parts.append(f"checks {s['checks_seconds']:.1f} s")
        return " · ".join(parts)

    def record(self, store: Store, run_id: str) -> None:
        """Write the summary to ``runs.profile`` (after the run is committed: timing is not
        evidence, and a failure here must not fail an audit whose results are in)."""
        store.con.execute(
            "UPDATE runs SET profile = ? WHERE run_id = ?",
            [json.dumps(self.summary(), sort_keys=True), run_id],
        )
