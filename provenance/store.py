"""The DuckDB dossier: schema migration, run lifecycle, bulk Arrow writes.

Crash safety rests on DuckDB transactions: each shard's results and its completion marker
commit together, and a run becomes ``complete`` in one final transaction with its findings.
A process killed at any point leaves earlier runs untouched and the interrupted run
``running`` (resumable); DuckDB's file lock turns a second writer into a clear error.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from provenance import __version__
from provenance.errors import BadInput, Problem
from provenance.labels_table import refresh_labels
from provenance.resources import schema_file, views_script
from provenance.sqlguard import connect_read_only, ident
from provenance.storage_version import connect_writable, record_storage_version

SCHEMA_VERSION = 6

# Per-file totals from the shard markers: a file is 'error' if any of its shards was unreadable.
_FILE_SUMMARY_SQL = """
    SELECT file_id,
           CASE WHEN bool_or(status = 'error') THEN 'error' ELSE 'ok' END AS status,
           string_agg(error, '; ') FILTER (WHERE error IS NOT NULL) AS error,
           max(sha256) AS sha256,
           sum(records) AS records
    FROM shards WHERE run_id = ? GROUP BY file_id
"""


def utcnow() -> dt.datetime:
    """Naive UTC timestamp (the dossier stores UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Store:
    """A connection to one dossier file."""

    def __init__(
        self, path: str | Path, read_only: bool = False, memory_mib: int | None = None
    ) -> None:
        """Open the dossier at ``path``; ``memory_mib``: DuckDB's memory limit for a writer
        (the pipeline's ``[reduce] memory_mib``; None: DuckDB's default)."""
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise BadInput(
                f"no dossier at {self.path}; run `provenance audit … --db {self.path}` first"
            )
        created = not self.path.exists()  # DuckDB writes a new file in STORAGE_VERSION only
        try:
            # Readers get the locked configuration (no file/network access, no SET): see sqlguard.
            self.con = (
                connect_read_only(self.path)
                if read_only
                else connect_writable(self.path, memory_mib)
            )
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" in text.lower():
                pid = text.split("PID", 1)[1].strip(" )").split(")")[0] if "PID" in text else "?"
                raise BadInput(
                    f"dossier {self.path} is in use by another process (PID {pid}); "
                    "wait for that audit to finish (DuckDB allows one writer at a time)"
                ) from None
            raise BadInput(f"cannot open dossier {self.path}: {text.splitlines()[0]}") from None
        except duckdb.Error as exc:
            why = str(exc).splitlines()[0]
            raise BadInput(f"{self.path} is not a DuckDB dossier: {why}") from None
        self.read_only = read_only
        self._check_schema()
        if not read_only:
            record_storage_version(self.con, created)
            refresh_labels(self.con)  # the vocabulary of the tool writing now

    def close(self) -> None:
        """Close the connection (checkpoints the write-ahead log)."""
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ------------------------------------------------------------------------
    def schema_version(self) -> int | None:
        """Version recorded in ``meta``, or None for an empty database."""
        has_meta = self.con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta'"
        ).fetchone()
        if not has_meta or not has_meta[0]:
            return None
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    def _check_schema(self) -> None:
        version = self.schema_version()
        if version is None:
            tables = self.con.execute("SELECT count(*) FROM duckdb_tables()").fetchone()
            if tables and tables[0]:
                raise BadInput(
                    f"{self.path} holds other tables and no provenance schema; use a new --db path"
                )
            if self.read_only:
                raise BadInput(f"{self.path} is empty: no audit has written to it")
            with self.transaction():
                self.con.execute(schema_file("dossier.sql").read_text(encoding="utf-8"))
                self.con.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?), ('created_by', ?)",
                    [str(SCHEMA_VERSION), f"provenance {__version__}"],
                )
        elif version > SCHEMA_VERSION:
            raise BadInput(
                f"{self.path} has dossier schema v{version}; this provenance {__version__} "
                f"reads up to v{SCHEMA_VERSION}: upgrade provenance"
            )
        elif version < SCHEMA_VERSION and not self.read_only:
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        """Apply ``schemas/migrations/NNNN.sql`` from ``version + 1`` up, each in a transaction."""
        for target in range(version + 1, SCHEMA_VERSION + 1):
            sql = schema_file(f"migrations/{target:04d}.sql").read_text(encoding="utf-8")
            with self.transaction():
                self.con.execute(sql)
                self.con.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(target)]
                )
        with self.transaction():  # views and comments: today's, declared once in dossier.sql
            self.con.execute(views_script())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All-or-nothing block."""
        self.con.begin()
        try:
            yield
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    # -- writes --------------------------------------------------------------------------
    def insert(self, table: str, data: pa.Table | Iterable[Mapping[str, Any]], run_id: str) -> None:
        """Bulk-insert Arrow data (or a few dict rows) into ``table``, stamping ``run_id``."""
        if not isinstance(data, pa.Table):
            rows = list(data)
            if not rows:
                return
            data = pa.Table.from_pylist(rows)
        if data.num_rows == 0:
            return
        if "run_id" in data.column_names:
            data = data.drop_columns(["run_id"])
        data = data.append_column("run_id", pa.array([run_id] * data.num_rows, pa.string()))
        self.con.register("_incoming", data)
        try:
            self.con.execute(f"INSERT INTO {ident(table)} BY NAME SELECT * FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    def begin_run(self, run: Mapping[str, Any], rows: Mapping[str, list[dict[str, Any]]]) -> None:
        """Create a ``running`` run with its manifest tables, in one transaction."""
        with self.transaction():
            self.insert("runs", [dict(run, status="running", started_at=utcnow())], run["run_id"])
            for table, table_rows in rows.items():
                self.insert(table, table_rows, run["run_id"])

    def reopen_run(self, run_id: str, rows: Mapping[str, list[dict[str, Any]]]) -> None:
        """Mark an interrupted or failed run ``running`` again and refresh its manifest tables."""
        with self.transaction():
            self.con.execute(
                "UPDATE runs SET status = 'running', error = NULL, finished_at = NULL WHERE run_id = ?",
                [run_id],
            )
            for table, table_rows in rows.items():
                self.con.execute(f"DELETE FROM {ident(table)} WHERE run_id = ?", [run_id])
                self.insert(table, table_rows, run_id)

    def forget_shards(self, run_id: str, file_ids: Iterable[str], tables: Iterable[str]) -> None:
        """Drop staged results (rows of the scanner ``tables`` and the shard markers) of files
        that changed since the interrupted run read them."""
        ids = list(file_ids)
        if not ids:
            return
        with self.transaction():
            for table in (*tables, "shards"):
                self.con.execute(
                    f"DELETE FROM {ident(table)} WHERE run_id = ? AND list_contains(?, file_id)",
                    [run_id, ids],
                )

    def file_summary(self, run_id: str) -> dict[str, tuple[str, str | None, int]]:
        """Per file: (status, error, records) from its committed shards."""
        rows = self.con.execute(_FILE_SUMMARY_SQL, [run_id]).fetchall()
        return {r[0]: (r[1], r[2], int(r[4] or 0)) for r in rows}

    def done_shards(self, run_id: str) -> set[str]:
        """Shard ids already committed for ``run_id``."""
        rows = self.con.execute("SELECT shard_id FROM shards WHERE run_id = ?", [run_id]).fetchall()
        return {r[0] for r in rows}

    def clear_run(self, run_id: str, tables: Iterable[str]) -> None:
        """Delete a run's rows of the tables written when it commits (a recommit replaces them)."""
        for table in tables:
            self.con.execute(f"DELETE FROM {ident(table)} WHERE run_id = ?", [run_id])

    def scope_views(self, run_id: str, tables: Iterable[str], prefix: str) -> None:
        """Temporary views ``<prefix><table>``: the run's rows only, and for tables keyed by
        ``file_id`` the file's ``source_id`` and ``dataset_id`` joined on (checks read these)."""
        self.con.execute("SET VARIABLE provenance_run = ?", [run_id])
        columns: dict[str, set[str]] = {}
        for table, column in self.con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = "
            "current_database() AND schema_name = 'main'"
        ).fetchall():
            columns.setdefault(table, set()).add(column)
        for table in dict.fromkeys(tables):
            cols = columns.get(table, set())
            if "file_id" in cols and "source_id" not in cols:  # scanner tables: add the source
                self.con.execute(
                    f"CREATE OR REPLACE TEMP VIEW {ident(prefix + table)} AS "
                    f"SELECT t.*, f.source_id, f.dataset_id FROM {ident(table)} t JOIN files f "
                    "ON f.run_id = t.run_id AND f.file_id = t.file_id "
                    "WHERE t.run_id = getvariable('provenance_run')"
                )
            else:
                self.con.execute(
                    f"CREATE OR REPLACE TEMP VIEW {ident(prefix + table)} AS "
                    f"SELECT * FROM {ident(table)} t WHERE t.run_id = getvariable('provenance_run')"
                )

    def complete_run(self, run_id: str, exit_code: int) -> None:
        """Per-file totals and licence columns from the committed results; status complete.
        Call inside the transaction that wrote the run's findings."""
        self.con.execute(
            f"""
            UPDATE files SET status = t.status, error = t.error, sha256 = t.sha256, records = t.records
            FROM ({_FILE_SUMMARY_SQL}) t
            WHERE files.run_id = ? AND files.file_id = t.file_id AND files.status <> 'error'
            """,
            [run_id, run_id],
        )
        self.con.execute(
            """UPDATE sources SET license_spdx = l.spdx, license_category = l.category
               FROM source_licenses l
               WHERE sources.run_id = ? AND l.run_id = ? AND l.source_id = sources.source_id""",
            [run_id, run_id],
        )
        self.con.execute(
            "UPDATE runs SET status = 'complete', finished_at = ?, exit_code = ? WHERE run_id = ?",
            [utcnow(), exit_code, run_id],
        )

    def fail_run(self, run_id: str, error: str) -> None:
        """Mark a run ``failed``; its staged shards stay for ``--resume``."""
        self.con.execute(
            "UPDATE runs SET status = 'failed', finished_at = ?, error = ? WHERE run_id = ?",
            [utcnow(), error[:2000], run_id],
        )

    # -- reads ---------------------------------------------------------------------------
    def run(self, run_id: str) -> dict[str, Any] | None:
        """A run's row as a dict, or None."""
        cur = self.con.execute("SELECT * FROM runs WHERE run_id = ?", [run_id])
        row = cur.fetchone()
        if row is None:
            return None
        cols = [d[0] for d in cur.description or []]
        out = dict(zip(cols, row, strict=True))
        if isinstance(out["config"], str):
            out["config"] = json.loads(out["config"])
        return out

    def query(
        self, sql: str, params: list[Any] | None = None
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run SQL; return column names and rows."""
        cur = self.con.execute(sql, params or [])
        cols = [d[0] for d in cur.description or []]
        return cols, cur.fetchall()


def bad_db_path(path: Path) -> list[Problem]:
    """Problems with a --db path before anything is opened."""
    folder = "is a folder; give a file path such as out/dossier.duckdb"
    return [Problem(str(path), "--db", folder)] if path.is_dir() else []
