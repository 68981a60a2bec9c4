"""Where a run's time went (issue 14): per-shard worker and seconds, the run's profile, the CLI line.

Timing values are never asserted against a clock (machines are noisy): only that they are
recorded, consistent with each other and shown.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from provenance import audit
from provenance.errors import InternalError
from provenance.executors.base import ShardJob, process_shard, warm_up
from provenance.manifest import load_manifest
from provenance.pipeline import load_pipeline
from provenance.plan import make_plan
from provenance.runner import FAULT_ENV
from tests.conftest import Corpus, cli, write_jsonl


def _more_files(corpus: Corpus, n: int = 6) -> Path:
    for i in range(n):
        write_jsonl(
            corpus.root / f"data/open/more{i}.jsonl",
            [{"text": f"第 {i} 份文档，第 {j} 行：联系 a{j}@example.com"} for j in range(50)],
        )
    return corpus.write()


def test_two_workers_record_who_scanned_what(corpus: Corpus, tmp_path: Path) -> None:
    manifest = _more_files(corpus)
    db = tmp_path / "d.duckdb"
    result = audit(manifest, db, workers=2)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT worker, scan_seconds, startup_seconds FROM shards WHERE run_id = ?",
            [result.run_id],
        ).fetchall()
        (profile,) = con.execute(
            "SELECT profile FROM runs WHERE run_id = ?", [result.run_id]
        ).fetchone()
    workers = {w for w, _, _ in rows}
    assert all(w and ":" in w for w in workers) and 1 <= len(workers) <= 2
    assert all(s is not None and s >= 0 for _, s, _ in rows)
    # a start-up is reported once per worker process, on its first shard
    started = [w for w, _, st in rows if st is not None]
    assert sorted(started) == sorted(set(started)) and set(started) == workers
    p = json.loads(profile)
    assert p == result.profile
    assert p["workers"] == 2 and p["workers_used"] == len(workers)
    assert p["shards_scanned"] == len(rows) and p["records_scanned"] > 300
    assert 0 <= p["coordinator_busy_share"] <= 1 and p["scan_seconds"] > 0
    assert p["worker_startup_seconds_max"] >= p["worker_startup_seconds_mean"] > 0


def test_a_resumed_run_counts_only_what_it_scanned(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = _more_files(corpus, 2)
    db = tmp_path / "d.duckdb"
    monkeypatch.setenv(FAULT_ENV, "fail_after_shards:1")
    with pytest.raises(InternalError):
        audit(manifest, db, workers=1)
    monkeypatch.delenv(FAULT_ENV)
    with duckdb.connect(str(db), read_only=True) as con:
        (run_id,) = con.execute("SELECT run_id FROM runs").fetchone()
    again = audit(manifest, db, workers=1, resume=run_id)
    assert again.shards_resumed == 1
    assert again.profile["shards_scanned"] == again.shards_total - 1


def test_warm_up_once_per_process_and_start_up_reported_once(corpus: Corpus) -> None:
    lm = load_manifest(corpus.write())
    pipe = load_pipeline(None)
    shards = make_plan(lm).shards
    job = ShardJob(scanners=tuple(pipe.scanners), batch_rows=64, pii_key=b"k" * 32)
    assert warm_up(job, in_process=True) >= 0
    first = process_shard(shards[0], job)
    second = process_shard(shards[-1], job)
    assert first.timing is not None and first.timing.startup is not None
    assert second.timing is not None and second.timing.startup is None
    assert second.timing.worker == first.timing.worker


def test_the_cli_prints_where_the_time_went(corpus: Corpus, tmp_path: Path) -> None:
    res = cli("audit", str(corpus.write()), "--db", str(tmp_path / "c.duckdb"), "--workers", "1")
    assert res.returncode in (0, 1), res.stderr[-2000:]
    line = next(x for x in (res.stdout + res.stderr).splitlines() if x.startswith("Scan: "))
    assert "MB/s per worker" in line and "coordinator busy" in line
