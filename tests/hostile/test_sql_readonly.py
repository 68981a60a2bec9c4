"""Issue 9 item 1: `provenance sql` is really read-only (an allow-list, a read-only database and a
locked connection), and the dossier is byte-identical after every refusal."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from provenance import audit
from provenance.cli import app
from provenance.errors import BadInput
from provenance.sqlguard import READ_ONLY_CONFIG, checked_statement
from provenance.store import Store
from tests.conftest import Corpus

KEY_TEXT = "hmac-key-that-must-never-be-printed-0123456789"


class Dossier:
    """One audited dossier shared by the module, and the PII key file next to it."""

    def __init__(self, root: Path) -> None:
        self.dir = root / "dossier"
        self.dir.mkdir()
        self.db = self.dir / "d.duckdb"
        self.key = root / "keys" / "pii.key"
        self.key.parent.mkdir()
        self.key.write_text(KEY_TEXT)

    def sha256(self) -> str:
        return hashlib.sha256(self.db.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dossier]:
    d = Dossier(tmp_path_factory.mktemp("sqlro"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PROVENANCE_PII_KEY_FILE", str(d.key))
        mp.delenv("PROVENANCE_PII_KEY", raising=False)
        corpus = Corpus(tmp_path_factory.mktemp("sqlro_corpus"))
        assert audit(corpus.write(), d.db, workers=1).exit_code == 0
    yield d


def cli_sql(d: Dossier, query: str, work: Path) -> subprocess.CompletedProcess[str]:
    """`provenance sql` in a fresh empty cwd and TMPDIR, so any file it creates is seen."""
    (work / "cwd").mkdir()
    (work / "tmp").mkdir()
    return subprocess.run(
        [sys.executable, "-m", "provenance", "sql", "--db", str(d.db), "--", query],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=work / "cwd",
        env={**os.environ, "TMPDIR": str(work / "tmp"), "COLUMNS": "200"},
    )


# (id, query with {db} and {key} placeholders, what the one-line reason must contain)
REFUSED = [
    ("copy_table_to_csv", "COPY findings TO 'x.csv'", "refused: COPY statement"),
    ("copy_over_the_dossier", "COPY (SELECT 'x') TO '{db}'", "refused: COPY statement"),
    ("export_database", "EXPORT DATABASE 'e'", "refused: EXPORT statement"),
    (
        "attach_read_write_then_write",
        "ATTACH 'x.db' AS x (READ_WRITE); CREATE TABLE x.t AS SELECT 1",
        "refused: 2 statements (ATTACH, CREATE)",
    ),
    ("attach_read_write", "ATTACH 'x.db' AS x (READ_WRITE)", "refused: ATTACH statement"),
    ("write_after_attach", "CREATE TABLE x.t AS SELECT 1", "refused: CREATE statement"),
    ("plain_attach", "ATTACH 'x.db'", "refused: ATTACH statement"),
    ("read_csv_etc_passwd", "SELECT * FROM read_csv('/etc/passwd')", "Permission Error"),
    ("read_text", "SELECT * FROM read_text('/etc/hostname')", "Permission Error"),
    ("read_blob_pii_key", "SELECT * FROM read_blob('{key}')", "Permission Error"),
    ("glob_root", "SELECT * FROM glob('/*')", "Permission Error"),
    ("file_as_table", "SELECT * FROM '{key}'", "query failed"),
    ("install", "INSTALL httpfs", "refused: LOAD statement"),
    ("load", "LOAD json", "refused: LOAD statement"),
    ("set_external_access", "SET enable_external_access = true", "refused: SET statement"),
    ("reset", "RESET lock_configuration", "refused: SET statement"),
    ("pragma_profiling", "PRAGMA enable_profiling", "refused: PRAGMA statement"),
    ("pragma_threads", "PRAGMA threads = 1", "refused: SET statement"),
    ("delete", "DELETE FROM findings", "refused: DELETE statement"),
    ("update", "UPDATE runs SET status = 'failed'", "refused: UPDATE statement"),
    ("drop", "DROP TABLE findings", "refused: DROP statement"),
    ("create", "CREATE TABLE t AS SELECT 1", "refused: CREATE statement"),
    ("checkpoint", "CHECKPOINT", "refused: CALL statement"),
    ("two_selects", "SELECT 1; SELECT 2", "refused: 2 statements (SELECT, SELECT)"),
    ("select_then_copy", "SELECT 1; COPY findings TO 'y.csv'", "refused: 2 statements"),
    ("empty", "", "refused: empty query"),
    ("only_semicolons_and_comment", " ; ; -- nothing", "refused: empty query"),
    (
        "explain_analyze_copy_over_the_wal",
        "EXPLAIN ANALYZE COPY (SELECT 'x') TO '{db}.wal'",
        "refused: EXPLAIN of COPY statement",
    ),
    (
        "explain_options_copy",
        "/* c */ EXPLAIN (FORMAT json) COPY findings TO 'z.csv'",
        "refused: EXPLAIN of COPY statement",
    ),
]


@pytest.mark.parametrize(("query", "reason"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_sql_refuses(dossier: Dossier, tmp_path: Path, query: str, reason: str) -> None:
    """Issue 9 item 1: each statement class is refused with exit 2 and a one-line reason naming
    it; the dossier is unchanged, no file appears in the cwd, TMPDIR or the dossier's folder."""
    before = dossier.sha256()
    res = cli_sql(dossier, query.format(db=dossier.db, key=dossier.key), tmp_path)
    assert res.returncode == 2, (res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0], res.stderr
    if reason.startswith("refused: ") and "Permission" not in reason:
        assert "is read-only and runs only one SELECT" in lines[0]
    assert "Traceback" not in res.stderr and KEY_TEXT not in res.stdout + res.stderr
    assert dossier.sha256() == before
    assert not list((tmp_path / "cwd").iterdir()) and not list((tmp_path / "tmp").iterdir())
    assert [p.name for p in dossier.dir.iterdir()] == [dossier.db.name]


def file_reading_functions() -> list[str]:
    """Table functions DuckDB itself lists whose first parameter is a path, pattern or file."""
    con = duckdb.connect()
    try:
        rows = con.execute(
            """SELECT DISTINCT function_name FROM duckdb_functions()
               WHERE function_type = 'table' AND parameters[1] IN ('path', 'paths', 'pattern', 'file')
               ORDER BY 1"""
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def test_every_file_reading_function_is_refused(dossier: Dossier) -> None:
    """Issue 9 item 1: every DuckDB table function that takes a path (enumerated from
    duckdb_functions(), not a hand list) is refused on the PII key file, which is never printed."""
    names = file_reading_functions()
    assert {"read_csv", "read_text", "read_blob", "glob", "read_parquet", "sniff_csv"} <= set(names)
    assert len(names) >= 20
    runner = CliRunner()
    before = dossier.sha256()
    for name in names:
        # Try one, two, three arguments until the binder accepts the call.
        for extra in ("", ", 'text'", ", 'text', 1"):
            query = f"SELECT * FROM {name}('{dossier.key}'{extra})"
            res = runner.invoke(app, ["sql", "--db", str(dossier.db), query])
            if "Binder Error" not in res.output:
                break
        assert res.exit_code == 2, (name, res.output)
        assert "Permission Error" in res.output, (name, res.output)
        assert KEY_TEXT not in res.output
    assert dossier.sha256() == before


def test_dossier_unchanged_after_whole_refusal_suite(
    dossier: Dossier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9 item 1: the dossier's SHA-256 is identical after every refusal in a row, and a
    SELECT still reads it afterwards."""
    before = dossier.sha256()
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    for _id, query, _reason in REFUSED:
        res = runner.invoke(
            app,
            ["sql", "--db", str(dossier.db), "--", query.format(db=dossier.db, key=dossier.key)],
        )
        assert res.exit_code == 2, (query, res.output)
    assert dossier.sha256() == before
    assert not list(tmp_path.iterdir())
    assert [p.name for p in dossier.dir.iterdir()] == [dossier.db.name]
    res = runner.invoke(
        app, ["sql", "--db", str(dossier.db), "--format", "csv", "SELECT count(*) FROM runs"]
    )
    assert res.exit_code == 0 and res.stdout.splitlines() == ["count_star()", "1"]


ALLOWED = [
    ("select", "SELECT count(*) AS n FROM findings"),
    ("with", "WITH f AS (SELECT * FROM findings) SELECT count(*) FROM f"),
    ("from_first", "FROM runs SELECT status"),
    ("values", "VALUES (1, 'a')"),
    ("describe_view", "DESCRIBE article7"),
    ("show_view", "SHOW article7"),
    ("show_tables", "SHOW TABLES"),
    ("summarize_view", "SUMMARIZE article7"),
    ("explain_view", "EXPLAIN SELECT * FROM article7"),
    ("explain_analyze_view", "EXPLAIN ANALYZE SELECT * FROM article7"),
    ("explain_format_json", "EXPLAIN (FORMAT json) SELECT * FROM findings"),
    ("comment_and_semicolon", "-- the runs\nSELECT run_id FROM runs;"),
    ("table_function_of_dossier", "SELECT * FROM pragma_table_info('findings')"),
]


@pytest.mark.parametrize("query", [c[1] for c in ALLOWED], ids=[c[0] for c in ALLOWED])
def test_sql_allows_reads(dossier: Dossier, query: str) -> None:
    """Issue 9 item 1: SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE and EXPLAIN still work."""
    res = CliRunner().invoke(app, ["sql", "--db", str(dossier.db), "--format", "json", "--", query])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("[{")


def test_read_only_connection_locks_its_configuration(dossier: Dossier) -> None:
    """Issue 9 item 1: every reader's connection is read-only with external access off, no
    extension autoload/autoinstall and a locked configuration, even without the allow-list."""
    with Store(dossier.db, read_only=True) as store:
        names = [*READ_ONLY_CONFIG, "access_mode"]
        settings = dict(
            store.con.execute(
                "SELECT name, value FROM duckdb_settings() WHERE list_contains(?, name)", [names]
            ).fetchall()
        )
        assert settings == {
            "access_mode": "read_only",
            "enable_external_access": "false",
            "autoload_known_extensions": "false",
            "autoinstall_known_extensions": "false",
            "lock_configuration": "true",
        }
        # The layers under the allow-list refuse on their own.
        with pytest.raises(duckdb.Error, match="locked"):
            store.con.execute("SET enable_external_access = true")
        with pytest.raises(duckdb.PermissionException):
            store.con.execute(f"SELECT * FROM read_blob('{dossier.key}')")
        with pytest.raises(duckdb.Error):
            store.con.execute("CREATE TABLE t AS SELECT 1")


def test_checked_statement_parses_with_duckdb(dossier: Dossier) -> None:
    """Issue 9 item 1: the allow-list reads DuckDB's own statement types, so a keyword hidden
    behind a comment or in a string literal decides nothing."""
    with Store(dossier.db, read_only=True) as store:
        ok = "/* DELETE */ SELECT 'COPY x TO y; DROP TABLE z' AS s"
        assert checked_statement(store.con, ok) == ok
        with pytest.raises(BadInput, match="refused: COPY statement"):
            checked_statement(store.con, "/* SELECT */ COPY findings TO 'a.csv'")
