"""Run lifecycle: atomic commit, failure and kill -9 leave earlier runs intact, resume, locking."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from provenance import audit
from provenance.errors import BadInput, InternalError
from provenance.store import SCHEMA_VERSION, Store
from tests.conftest import Corpus, cli, write_jsonl


def more_files(c: Corpus, n: int = 6) -> None:
    for i in range(n):
        write_jsonl(
            c.root / f"data/open/more{i}.jsonl", [{"text": f"doc {i}-{j}"} for j in range(10)]
        )


def q(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_failed_run_leaves_earlier_runs_intact_and_resumes(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    more_files(corpus)
    manifest, db = corpus.write(), tmp_path / "d.duckdb"
    first = audit(manifest, db, workers=1)
    before = q(db, f"SELECT count(*) FROM findings WHERE run_id = '{first.run_id}'")
    monkeypatch.setenv("PROVENANCE_FAULT", "fail_after_shards:3")
    with pytest.raises(InternalError, match="--resume"):
        audit(manifest, db, workers=1)
    runs = dict(q(db, "SELECT status, count(*) FROM runs GROUP BY ALL"))
    assert runs == {"complete": 1, "failed": 1}
    failed = q(db, "SELECT run_id FROM runs WHERE status = 'failed'")[0][0]
    assert q(db, f"SELECT count(*) FROM shards WHERE run_id = '{failed}'") == [(3,)]
    assert q(db, f"SELECT count(*) FROM findings WHERE run_id = '{first.run_id}'") == before
    # views see only the complete run
    assert q(db, "SELECT DISTINCT run_id FROM latest_findings") == [(first.run_id,)]
    assert q(db, "SELECT run_id FROM complete_runs") == [(first.run_id,)]
    monkeypatch.delenv("PROVENANCE_FAULT")
    resumed = audit(manifest, db, workers=1, resume=failed)
    assert resumed.run_id == failed and resumed.shards_resumed == 3
    assert q(db, f"SELECT status FROM runs WHERE run_id = '{failed}'") == [("complete",)]
    # same totals as the uninterrupted run: nothing counted twice
    totals = "SELECT sum(records), count(*) FROM file_stats WHERE run_id = '{}'"
    assert q(db, totals.format(failed)) == q(db, totals.format(first.run_id))


def test_kill_9_mid_run_then_resume_through_cli(corpus: Corpus, tmp_path: Path) -> None:
    more_files(corpus)
    manifest, db = corpus.write(), tmp_path / "d.duckdb"
    ok = cli("audit", str(manifest), "--db", str(db), "--workers", "1")
    assert ok.returncode == 0, ok.stderr
    killed = cli(
        "audit",
        str(manifest),
        "--db",
        str(db),
        "--workers",
        "1",
        env={"PROVENANCE_FAULT": "kill_after_shards:2"},
    )
    assert killed.returncode == -signal.SIGKILL
    listing = cli("runs", "--db", str(db))
    assert listing.returncode == 0 and "interrupted" in listing.stdout
    run_id = q(db, "SELECT run_id FROM runs WHERE status = 'running'")[0][0]
    assert q(db, f"SELECT count(*) FROM shards WHERE run_id = '{run_id}'") == [(2,)]
    assert q(db, "SELECT count(*) FROM complete_runs") == [(1,)]
    done = cli("audit", str(manifest), "--db", str(db), "--workers", "1", "--resume", run_id)
    assert done.returncode == 0, done.stderr
    assert "2 resumed" in done.stdout
    assert q(db, f"SELECT status FROM runs WHERE run_id = '{run_id}'") == [("complete",)]
    assert q(
        db, f"SELECT count(DISTINCT shard_id) = count(*) FROM shards WHERE run_id = '{run_id}'"
    ) == [(True,)]


def test_resume_refuses_changed_manifest_and_completed_run(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    more_files(corpus, 2)
    manifest, db = corpus.write(), tmp_path / "d.duckdb"
    done = audit(manifest, db, workers=1)
    with pytest.raises(BadInput, match="already complete"):
        audit(manifest, db, workers=1, resume=done.run_id)
    with pytest.raises(BadInput, match="no run 'nope'"):
        audit(manifest, db, workers=1, resume="nope")
    monkeypatch.setenv("PROVENANCE_FAULT", "fail_after_shards:1")
    with pytest.raises(InternalError):
        audit(manifest, db, workers=1)
    failed = q(db, "SELECT run_id FROM runs WHERE status = 'failed'")[0][0]
    corpus.manifest["provider"]["name"] = "Changed"
    corpus.write()
    monkeypatch.delenv("PROVENANCE_FAULT")
    with pytest.raises(BadInput, match="changed since run"):
        audit(manifest, db, workers=1, resume=failed)


def test_resume_rereads_a_file_that_changed(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    more_files(corpus, 3)
    manifest, db = corpus.write(), tmp_path / "d.duckdb"
    monkeypatch.setenv("PROVENANCE_FAULT", "fail_after_shards:5")
    with pytest.raises(InternalError):
        audit(manifest, db, workers=1)
    run_id = q(db, "SELECT run_id FROM runs")[0][0]
    write_jsonl(
        corpus.root / "data/open/a.jsonl", [{"text": "rewritten"}] * 7
    )  # scanned before the failure
    os.utime(corpus.root / "data/open/a.jsonl", ns=(1, 1))
    monkeypatch.delenv("PROVENANCE_FAULT")
    audit(manifest, db, workers=1, resume=run_id)
    assert q(db, "SELECT records FROM files WHERE path = 'open/a.jsonl'") == [(7,)]
    # every scanner table (derived from the scanners' declared outputs) holds one scan of it
    fid = q(db, "SELECT file_id FROM files WHERE path = 'open/a.jsonl'")[0][0]
    assert q(db, "SELECT count(*) FROM record_hashes WHERE file_id = ?", [fid]) == [(7,)]
    assert q(db, "SELECT count(*) FROM file_stats WHERE file_id = ?", [fid]) == [(1,)]
    assert q(db, "SELECT sum(records) FROM file_stats WHERE file_id = ?", [fid]) == [(7,)]


def test_second_writer_gets_a_clear_error(corpus: Corpus, tmp_path: Path) -> None:
    manifest, db = corpus.write(), tmp_path / "d.duckdb"
    audit(manifest, db, workers=1)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ok', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        res = cli("audit", str(manifest), "--db", str(db))
        assert res.returncode == 2
        assert "in use by another process" in res.stderr
    finally:
        holder.kill()
        holder.wait()
    assert q(db, "SELECT count(*) FROM complete_runs") == [(1,)]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    Store(db).close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(BadInput, match="upgrade provenance"):
        Store(db)


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE mine(x INT)")
    con.close()
    with pytest.raises(BadInput, match="other tables"):
        Store(db)


def test_two_workers_match_one_and_parquet_is_split(corpus: Corpus, tmp_path: Path) -> None:
    more_files(corpus, 4)
    pq.write_table(
        pa.table({"text": [f"row {i}" for i in range(100)]}),
        corpus.root / "data/open/big.parquet",
        row_group_size=10,
    )
    corpus.source("open")["files"].append({"root": "corpus", "glob": "open/*.parquet"})
    text = (Path(__file__).parents[1] / "pipelines/pretraining.toml").read_text()
    pipe = tmp_path / "small_shards.toml"
    pipe.write_text(text.replace("shard_rows = 1000000", "shard_rows = 25"))
    manifest = corpus.write()
    one = audit(manifest, tmp_path / "one.duckdb", workers=1, pipeline=str(pipe))
    two = audit(manifest, tmp_path / "two.duckdb", workers=2, pipeline=str(pipe))
    assert (
        one.shards_total == two.shards_total == 2 + 4 + 5
    )  # big.parquet: 5 shards of 2 row groups
    sql = "SELECT path, records, sha256 FROM files ORDER BY path"
    assert q(tmp_path / "one.duckdb", sql) == q(tmp_path / "two.duckdb", sql)
    assert ("open/big.parquet", 100) in [(p, r) for p, r, _ in q(tmp_path / "one.duckdb", sql)]
    fs = "SELECT sum(records), sum(characters), sum(empty_records) FROM file_stats"
    assert q(tmp_path / "one.duckdb", fs) == q(tmp_path / "two.duckdb", fs)
