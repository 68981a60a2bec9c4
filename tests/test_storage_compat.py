"""Issue 13, item 7: the dossier opens in the DuckDB clients auditors have.

New dossiers are written in :data:`STORAGE_VERSION`, not in DuckDB 2's default format, which
DuckDB 1.x refuses. The end-to-end test audits a small corpus and reads the dossier with DuckDB
1.4 (the release many SQL tools and language bindings embed), installed once into a virtual
environment kept in pytest's cache (``.pytest_cache/d/duckdb-1.4``; ``make clean`` removes it),
and checks it sees exactly what the current DuckDB sees. Without PyPI the test is skipped, except
under CI (the env var ``CI`` set), where it fails: .ci/run reaches PyPI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import duckdb
import pytest

from provenance import audit
from provenance.storage_version import META_KEY, STORAGE_VERSION
from provenance.store import Store
from tests.conftest import Corpus

ROOT = Path(__file__).parents[1]
OLD_DUCKDB = "1.4"

# Run by both DuckDBs on the same dossier: what an auditor reads (meta, the latest run's
# findings through the tables and through the view, and the row count of every table and view;
# a table or view the reader cannot read shows up as its error). The two outputs must be equal.
PROBE = r"""
import json, sys
import duckdb

con = duckdb.connect(sys.argv[1], read_only=True)
rows = lambda sql, *p: [list(r) for r in con.execute(sql, list(p)).fetchall()]
run = rows("SELECT run_id FROM latest_run")[0][0]
counts = {}
for (name,) in rows("SELECT table_name FROM duckdb_tables() UNION ALL "
                    "SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1"):
    try:
        counts[name] = con.table(name).aggregate("count(*)").fetchall()[0][0]
    except duckdb.Error as exc:
        counts[name] = str(exc).splitlines()[0]
print(json.dumps({
    "meta": rows("SELECT key, value FROM meta ORDER BY key"),
    "findings": rows("SELECT count(*) FROM findings WHERE run_id = ?", run),
    "rows": rows("SELECT check_id, code, severity, subject_id, message_zh, evidence "
                 "FROM findings WHERE run_id = ? ORDER BY ALL", run),
    "latest_findings": rows("SELECT check_id, code, severity, subject_id, message_zh, evidence "
                            "FROM latest_findings ORDER BY ALL"),
    "counts": counts,
}, default=str, ensure_ascii=False))
"""


def _unavailable(why: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{why}: CI must reach PyPI to install duckdb=={OLD_DUCKDB}.*")
    pytest.skip(f"{why} (no PyPI here? under CI this fails)")


def _duckdb_version(python: Path) -> str:
    if not python.exists():
        return ""
    done = subprocess.run(
        [str(python), "-I", "-c", "import duckdb; print(duckdb.__version__)"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() if done.returncode == 0 else ""


@pytest.fixture(scope="session")
def old_duckdb(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Python of a virtual environment with DuckDB 1.4: installed once, reused across sessions."""
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    root = cache.mkdir(f"duckdb-{OLD_DUCKDB}") if cache else tmp_path_factory.mktemp("duckdb")
    python = root / "bin" / "python"
    if _duckdb_version(python).startswith(OLD_DUCKDB + "."):
        return python
    shutil.rmtree(root, ignore_errors=True)  # a half-made environment from an interrupted run
    steps = [
        [sys.executable, "-m", "venv", str(root)],
        [str(python), "-m", "pip", "install", "--quiet", f"duckdb=={OLD_DUCKDB}.*"],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            _unavailable(f"`{' '.join(step[-3:])}` failed: {done.stderr.strip()[-500:]}")
    if not _duckdb_version(python).startswith(OLD_DUCKDB + "."):
        _unavailable(f"duckdb {OLD_DUCKDB} did not install into {root}")
    return python


def _probe(python: Path | str, db: Path) -> dict[str, Any]:
    done = subprocess.run(
        [str(python), "-I", "-c", PROBE, str(db)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _meta(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT key, value FROM meta").fetchall())


def _tag(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT tags['storage_version'] FROM duckdb_databases() "
            "WHERE database_name = current_database()"
        ).fetchone()
    assert row is not None
    return str(row[0])


def test_a_new_dossier_reads_the_same_in_duckdb_1_4(
    old_duckdb: Path, corpus: Corpus, tmp_path: Path
) -> None:
    db = tmp_path / "dossier.duckdb"
    result = audit(corpus.write(), db, workers=1)
    assert result.status == "complete"
    old = _probe(old_duckdb, db)
    assert old == _probe(sys.executable, db)
    assert old["findings"] == [[len(result.findings)]] and old["findings"][0][0] > 0
    assert len(old["latest_findings"]) == len(result.findings)
    assert [META_KEY, STORAGE_VERSION] in old["meta"]
    unreadable = {k: v for k, v in old["counts"].items() if isinstance(v, str)}
    assert not unreadable, f"DuckDB {OLD_DUCKDB} cannot read {unreadable}"


def test_a_new_dossier_is_written_in_the_declared_storage_version(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    Store(db).close()
    reference = tmp_path / "reference.duckdb"  # what DuckDB makes when asked for that version
    with duckdb.connect() as con:
        con.execute("ATTACH ? AS ref (STORAGE_VERSION ?)", [str(reference), STORAGE_VERSION])
    assert _tag(db) == _tag(reference) and not _tag(db).startswith("v2")
    assert _meta(db)[META_KEY] == STORAGE_VERSION


def test_an_existing_v2_dossier_keeps_its_version_and_takes_new_audits(
    corpus: Corpus, tmp_path: Path
) -> None:
    """A dossier created in DuckDB 2's own format before the version was declared stays in it
    (only DuckDB 2 reads it; nothing rewrites it), takes new runs, and gains its meta row."""
    db = tmp_path / "v2.duckdb"
    with duckdb.connect() as con:
        con.execute("ATTACH ? AS old (STORAGE_VERSION 'v2.0.0')", [str(db)])
    first = audit(corpus.write(), db, workers=1)
    with duckdb.connect(str(db)) as con:  # as written before the meta row existed
        con.execute("DELETE FROM meta WHERE key = ?", [META_KEY])
    second = audit(corpus.write(), db, workers=1)
    assert (first.status, second.status) == ("complete", "complete")
    assert _tag(db) == "v2.0.0+"
    assert _meta(db)[META_KEY] == "v2.0.0"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM complete_runs").fetchone() == (2,)


def test_the_readers_are_documented_where_auditors_look(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        comment = store.query("SELECT comment FROM duckdb_tables() WHERE table_name = 'meta'")[1]
    assert STORAGE_VERSION in comment[0][0] and "DuckDB 1.1 and later" in comment[0][0]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{STORAGE_VERSION}`" in readme and "DuckDB 1.1 and later" in readme
