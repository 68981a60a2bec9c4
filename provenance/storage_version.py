"""Which DuckDB releases can open a dossier: the storage version new dossier files are written in.

A dossier is kept for regulators for years and opened by auditors with whatever DuckDB their
SQL tool or language binding embeds. DuckDB 2.x writes new files in its own v2.0.0 format by
default, which every 1.x release refuses ("Trying to read a database file with version number
999"). So the writer asks DuckDB for the oldest storage version the dossier's features allow
(:data:`STORAGE_VERSION`), and records in ``meta`` the version the file was written in.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# The one declaration of the storage version new dossiers are written in. v1.1.0 is the oldest
# whose files the dossier's schema lets older DuckDB releases open: the file is in storage format
# 64, which DuckDB 1.1 and later read (tested up to 2.0). The older settings (v1.0.0, v0.10.0)
# give the same format 64, but DuckDB 2.0 writes the index behind a PRIMARY KEY (meta.key,
# runs.run_id) with a field DuckDB 1.0 and 0.10 cannot read ("Failed to deserialize: expected end
# of object, but found field id: 103"), so 1.1 is the oldest reader either way; declaring v1.1.0
# says so. v1.2.0 and later would bump the format (65+) and lose DuckDB 1.1.
STORAGE_VERSION = "v1.1.0"
META_KEY = "storage_version"


def connect_writable(path: Path, memory_mib: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open (or create) the dossier at ``path`` for writing; ``memory_mib`` bounds DuckDB's
    memory (beyond it, it spills to ``<path>.tmp``; None: DuckDB's default, 80% of RAM).

    DuckDB applies ``storage_compatibility_version`` only to a file it creates: an existing
    dossier keeps the version it was written in (a v2.0.0 file stays v2.0.0 and stays writable).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    config: dict[str, str | bool | int | float | list[str]] = {
        "storage_compatibility_version": STORAGE_VERSION
    }
    if memory_mib is not None:
        config["memory_limit"] = f"{memory_mib}MiB"
    con = duckdb.connect(str(path), config=config)
    # DuckDB draws its own bar on stdout for queries over 2 s; stdout is the summary's
    con.execute("SET enable_progress_bar = false")
    return con


def file_storage_version(con: duckdb.DuckDBPyConnection) -> str:
    """The storage version DuckDB reports for the open database (``v1.0.0`` for format 64,
    which DuckDB names after the first release that wrote it; ``v2.0.0`` …), or ''."""
    row = con.execute(
        "SELECT tags['storage_version'] FROM duckdb_databases() "
        "WHERE database_name = current_database()"
    ).fetchone()
    return str(row[0] or "").rstrip("+") if row else ""


def record_storage_version(con: duckdb.DuckDBPyConnection, created: bool) -> None:
    """Add the ``storage_version`` row to ``meta`` when it is missing.

    A file this process ``created`` holds :data:`STORAGE_VERSION`; a file written before the row
    existed gets the version DuckDB reports for it (an existing file keeps its version).
    """
    if con.execute("SELECT 1 FROM meta WHERE key = ?", [META_KEY]).fetchone():
        return  # read first: opening a dossier that has the row writes nothing
    version = STORAGE_VERSION if created else file_storage_version(con)
    con.execute("INSERT INTO meta VALUES (?, ?)", [META_KEY, version])
