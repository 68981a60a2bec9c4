"""The Dask executor on a real LocalCluster gives the same dossier as the local executor."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from provenance import audit
from tests.conftest import Corpus, write_jsonl


def test_dask_local_cluster_matches_local(corpus: Corpus, tmp_path: Path) -> None:
    for i in range(5):
        write_jsonl(
            corpus.root / f"data/open/more{i}.jsonl",
            [{"text": f"联系手机1381234567{i}，文档 {i}-{j}"} for j in range(20)],
        )
    manifest = corpus.write()
    local = audit(manifest, tmp_path / "local.duckdb", workers=1)
    dask = audit(manifest, tmp_path / "dask.duckdb", workers=2, executor="dask")
    assert dask.status == "complete" and dask.shards_total == local.shards_total == 7
    queries = [
        "SELECT path, records, sha256, status FROM files ORDER BY path",
        "SELECT entity_type, records_with_hits, hits, distinct_values FROM pii_summary ORDER BY ALL",
        "SELECT code, subject_id FROM findings ORDER BY ALL",
        "SELECT scope, subject_id, metric, key, round(value, 6) FROM stats ORDER BY ALL",
    ]
    for q in queries:
        a = duckdb.connect(str(tmp_path / "local.duckdb"), read_only=True)
        b = duckdb.connect(str(tmp_path / "dask.duckdb"), read_only=True)
        try:
            assert a.execute(q).fetchall() == b.execute(q).fetchall(), q
        finally:
            a.close()
            b.close()
    config = duckdb.connect(str(tmp_path / "dask.duckdb"), read_only=True)
    try:
        assert '"executor": "dask"' in config.execute("SELECT config FROM runs").fetchone()[0]
    finally:
        config.close()


def test_unreachable_scheduler_is_a_clear_error(corpus: Corpus, tmp_path: Path) -> None:
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "provenance",
            "audit",
            str(corpus.write()),
            "--db",
            str(tmp_path / "d.duckdb"),
            "--executor",
            "dask",
            "--dask-scheduler",
            "tcp://127.0.0.1:1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode in (2, 3)
    assert "Dask scheduler" in res.stderr or "dask" in res.stderr.lower()
