"""Issue 9, item 14 (growth): what a dossier keeps per run, `provenance gc --keep N`, and a
rewrite that reclaims the space without ever losing the file."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from provenance import audit
from provenance.errors import InternalError
from provenance.gc import RECORD_LEVEL, RUN_LEVEL
from provenance.store import SCHEMA_VERSION, Store
from tests.conftest import Corpus, cli
from tests.test_two_runs import plant_duplicates


def q(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_runs(corpus: Corpus, db: Path, records: int) -> tuple[Path, list[str]]:
    plant_duplicates(corpus, records=records)
    manifest = corpus.write()
    return db, [audit(manifest, db, workers=1).run_id for _ in range(3)]


@pytest.fixture
def three_runs(corpus: Corpus, tmp_path: Path) -> tuple[Path, list[str]]:
    return make_runs(corpus, tmp_path / "d.duckdb", 25)


def test_gc_keep_1_trims_old_runs_and_shrinks_the_file(corpus: Corpus, tmp_path: Path) -> None:
    """Issue 9 item 14: old runs keep run-level evidence (runs, diff, views), lose record tables."""
    # enough records that the record tables span several of DuckDB's 256 KB blocks
    db, runs = make_runs(corpus, tmp_path / "d.duckdb", 300)
    before = db.stat().st_size
    per_table = {
        t: q(db, f'SELECT count(*) FROM "{t}" WHERE run_id = ?', [runs[0]])[0][0] for t in RUN_LEVEL
    }
    done = cli("gc", "--db", str(db), "--keep", "1")
    assert done.returncode == 0, done.stderr
    assert f"{before:,} →" in done.stdout
    assert db.stat().st_size < before
    listing = cli("runs", "--db", str(db))
    assert listing.returncode == 0 and all(r in listing.stdout for r in runs)
    for old in runs[:2]:
        for table in RECORD_LEVEL:
            assert q(db, f'SELECT count(*) FROM "{table}" WHERE run_id = ?', [old]) == [(0,)]
        diff = cli("diff", "--db", str(db), old, runs[2], "--format", "json")
        assert diff.returncode == 0, diff.stderr
        assert json.loads(diff.stdout)["findings_opened"] == []
    # the newest run is whole; run-level tables of the trimmed runs are untouched
    assert q(db, "SELECT count(*) FROM minhash_signatures WHERE run_id = ?", [runs[2]])[0][0] > 0
    assert q(db, "SELECT count(*) FROM duplicates WHERE run_id = ?", [runs[2]])[0][0] > 0
    for table, n in per_table.items():
        assert q(db, f'SELECT count(*) FROM "{table}" WHERE run_id = ?', [runs[0]]) == [(n,)]
    assert q(db, "SELECT count(*) FROM article7 WHERE run_id = ?", [runs[0]])[0][0] > 0
    trimmed = json.loads(q(db, "SELECT value FROM meta WHERE key = 'gc_trimmed_runs'")[0][0])
    assert sorted(trimmed) == sorted(runs[:2])
    assert q(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]


def test_gc_keep_0_is_refused_and_writes_nothing(three_runs: tuple[Path, list[str]]) -> None:
    """Issue 9 item 14: --keep 0 would empty the dossier; refused with exit 2."""
    db, _ = three_runs
    digest = sha(db)
    done = cli("gc", "--db", str(db), "--keep", "0")
    assert done.returncode == 2 and "keep at least 1" in done.stderr
    assert "Traceback" not in done.stderr and sha(db) == digest


def test_gc_crash_before_the_rename_loses_nothing(three_runs: tuple[Path, list[str]]) -> None:
    """Issue 9 item 14: a gc that dies mid-way leaves the original file byte for byte."""
    db, runs = three_runs
    with Store(db):
        pass  # checkpoint the WAL so the bytes compared below are the whole dossier
    digest = sha(db)
    done = cli("gc", "--db", str(db), "--keep", "1", env={"PROVENANCE_GC_FAULT": "after_copy"})
    assert done.returncode != 0
    assert sha(db) == digest
    assert [p.name for p in db.parent.iterdir() if "gc-tmp" in p.name] == []
    assert len(q(db, "SELECT * FROM runs")) == 3
    assert cli("gc", "--db", str(db), "--keep", "2").returncode == 0  # and it can run again
    assert q(db, "SELECT count(*) FROM record_hashes WHERE run_id = ?", [runs[0]]) == [(0,)]


def test_gc_refuses_while_another_process_holds_the_dossier(
    three_runs: tuple[Path, list[str]],
) -> None:
    """Issue 9 item 14: gc takes the writer lock; a running audit makes it a clear exit 2."""
    db, _ = three_runs
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        size = db.stat().st_size
        done = cli("gc", "--db", str(db), "--keep", "1")
        assert done.returncode == 2 and "in use" in done.stderr
        assert db.stat().st_size == size
    finally:
        holder.kill()
        holder.wait()


def test_gc_removes_superseded_unfinished_runs_and_dry_run_only_lists(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9 item 14: a failed run older than the newest complete one goes entirely."""
    plant_duplicates(corpus)
    manifest, db = corpus.write(), tmp_path / "d.duckdb"
    monkeypatch.setenv("PROVENANCE_FAULT", "fail_after_shards:2")
    with pytest.raises(InternalError):
        audit(manifest, db, workers=1)
    monkeypatch.delenv("PROVENANCE_FAULT")
    failed = q(db, "SELECT run_id FROM runs WHERE status = 'failed'")[0][0]
    newest = audit(manifest, db, workers=1).run_id
    with Store(db):
        pass
    digest = sha(db)
    dry = cli("gc", "--db", str(db), "--keep", "1", "--dry-run")
    assert dry.returncode == 0 and failed in dry.stdout and "shards" in dry.stdout
    assert sha(db) == digest
    assert cli("gc", "--db", str(db), "--keep", "1").returncode == 0
    for table in ("runs", "shards", "files", "record_hashes"):
        assert q(db, f'SELECT count(*) FROM "{table}" WHERE run_id = ?', [failed]) == [(0,)]
    assert q(db, "SELECT run_id, status FROM runs") == [(newest, "complete")]


def test_a_v1_dossier_is_migrated_and_loses_its_band_table(tmp_path: Path) -> None:
    """Issue 9 item 14: schema v2 drops minhash_bands (bands are sliced from signatures)."""
    db = tmp_path / "old.duckdb"
    Store(db).close()
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE minhash_bands (run_id VARCHAR, band INTEGER, band_hash BIGINT)")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    Store(db).close()
    assert q(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]
    assert q(db, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'minhash_bands'") == [
        (0,)
    ]


def test_gc_keeps_the_storage_version(tmp_path: Path) -> None:
    """Issue 9 item 14: the rewritten file keeps the original's DuckDB storage version, so a
    dossier made readable by older DuckDB releases stays readable by them after gc."""
    db = tmp_path / "v1.duckdb"
    con = duckdb.connect()
    con.execute("ATTACH ? AS x (STORAGE_VERSION 'v1.0.0')", [str(db)])
    con.execute("DETACH x")
    con.close()
    Store(db).close()  # an empty file: the schema is created in it
    done = cli("gc", "--db", str(db), "--keep", "1")
    assert done.returncode == 0, done.stderr
    tag = "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()"
    assert q(db, tag) == [("v1.0.0+",)]
    assert q(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(SCHEMA_VERSION),)]


def test_a_real_v1_dossier_takes_a_new_audit(tmp_path: Path, corpus: Corpus) -> None:
    """Schema v2 migration: a dossier created by the v1 DDL (tests/data/dossier_v1.sql, the
    schema as released before v2) is migrated on open, gains the readers' new file_stats
    columns, loses minhash_bands, and takes a complete audit."""
    db = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(db))
    con.execute((Path(__file__).parents[1] / "data" / "dossier_v1.sql").read_text("utf-8"))
    con.execute("INSERT INTO meta VALUES ('schema_version', '1'), ('created_by', 'v1')")
    con.close()
    result = audit(corpus.write(), db, workers=1)
    assert result.exit_code in (0, 1)
    cols = {
        r[0]
        for r in q(db, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'file_stats'")
    }
    assert {"repaired", "malformed_lines", "field_names", "damage", "damage_line"} <= cols
    assert q(db, "SELECT count(*) FROM file_stats WHERE run_id = ?", [result.run_id])[0][0] > 0
    # after migrating, the file has exactly the tables, columns and views of a fresh dossier
    fresh = tmp_path / "fresh.duckdb"
    audit(corpus.write(), fresh, workers=1)
    shape = (
        "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE NOT internal "
        "ORDER BY ALL"
    )
    assert q(db, shape) == q(fresh, shape)
    views = "SELECT view_name, comment FROM duckdb_views() WHERE NOT internal ORDER BY ALL"
    assert q(db, views) == q(fresh, views)
    assert q(db, "SELECT count(*) FROM article19 WHERE run_id = ?", [result.run_id])[0][0] == 6
