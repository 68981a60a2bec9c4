"""``provenance gc``: bound a dossier's growth by trimming old runs and rewriting the file.

What is kept (README "What a dossier keeps per run"):

* the newest ``keep`` complete runs, and any unfinished run newer than the newest complete
  one (it may still be resumed): every table, untouched;
* older complete runs: their run-level evidence (:data:`RUN_LEVEL`) — enough for ``runs``,
  ``diff``, the views and the JSON/HTML dossier — but not the per-record and per-shard tables
  (:data:`RECORD_LEVEL`), whose figures were reduced into ``stats``, ``pii_summary``,
  ``files`` and ``findings`` when the run committed (a partitioned run's Parquet parts beside
  the dossier, ``<dossier>.parts/<run_id>``, are deleted with them);
* failed or interrupted runs older than the newest complete run: removed entirely (a newer
  complete run supersedes them; resuming them would no longer be possible anyway).

DuckDB does not give space back on DELETE, so gc never deletes in place: it copies what is
kept into ``<dossier>.gc-tmp`` (same schema, same storage version) and renames it over the
dossier in one atomic ``os.replace``. Until that rename the original file is untouched, so a
crash at any point loses nothing; the exclusive lock is held throughout, so gc refuses to
run while an audit (or anything else) has the dossier open.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from provenance.errors import BadInput
from provenance.reduce.parts import parts_dir
from provenance.sqlguard import catalog_ident, ident
from provenance.store import Store, utcnow

# Per record or per shard: trimmed from runs older than the newest ``keep`` complete runs.
RECORD_LEVEL = (
    "pii_hits",
    "record_hashes",
    "minhash_signatures",
    "rights_notices",
    "duplicates",
    "crawl_checks",
    "file_stats",
    "stat_parts",
    "pii_counts",
    "rights_notice_counts",
    "keyword_counts",
)
# Per run, per source or per file: kept for every complete run.
RUN_LEVEL = (
    "runs",
    "datasets",
    "sources",
    "models",
    "files",
    "shards",
    "evidence",
    "findings",
    "stats",
    "source_licenses",
    "pii_summary",
    "assessment",
    "annotation_rules",
)
FAULT_ENV = "PROVENANCE_GC_FAULT"  # tests: "after_copy" raises between the copy and the rename


@dataclass
class GcPlan:
    """Which runs gc keeps whole, trims to run level, and removes; rows it drops per table."""

    kept: list[str] = field(default_factory=list)
    trimmed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rows_dropped: dict[str, int] = field(default_factory=dict)


@dataclass
class GcResult:
    """A plan and the file size before and after (equal on a dry run)."""

    plan: GcPlan
    bytes_before: int
    bytes_after: int
    dry_run: bool


def _file_bytes(path: Path) -> int:
    wal = path.with_name(path.name + ".wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def _check_keep(keep: int) -> None:
    if keep < 1:
        raise BadInput(
            f"--keep {keep}: keep at least 1 complete run (gc never empties a dossier; "
            "to start over, audit into a new --db path)"
        )


def plan_gc(store: Store, keep: int) -> GcPlan:
    """Decide what gc keeps; reads only."""
    _check_keep(keep)
    runs = store.query(
        """SELECT run_id, status, coalesce(finished_at, started_at) AS t, started_at FROM runs
           ORDER BY status = 'complete' DESC, t DESC, run_id DESC"""
    )[1]
    complete = [r for r in runs if r[1] == "complete"]
    plan = GcPlan(kept=[r[0] for r in complete[:keep]], trimmed=[r[0] for r in complete[keep:]])
    newest = max((r[2] for r in complete), default=None)
    for run_id, _status, _at, started in (r for r in runs if r[1] != "complete"):
        if newest is not None and started < newest:
            plan.removed.append(run_id)
        else:
            plan.kept.append(run_id)  # may still be resumed
    for table in _tables(store):
        gone = plan.trimmed + plan.removed if table in RECORD_LEVEL else plan.removed
        if not gone:
            continue
        sql = f"SELECT count(*) FROM {ident(table)} WHERE list_contains(?, run_id)"
        row = store.query(sql, [gone])[1]
        if row and row[0][0]:
            plan.rows_dropped[table] = int(row[0][0])
    return plan


def _tables(store: Store, with_run_id: bool = True) -> list[str]:
    """Tables of the dossier with (or without) a run_id column; names from the catalog only."""
    rows = store.query(
        """SELECT t.table_name FROM duckdb_tables() t
           WHERE t.database_name = current_database()
             AND EXISTS (SELECT 1 FROM duckdb_columns() c WHERE c.database_name = t.database_name
                         AND c.table_name = t.table_name AND c.column_name = 'run_id') = ?
           ORDER BY 1""",
        [with_run_id],
    )[1]
    return [r[0] for r in rows]


def collect(db: str | Path, keep: int, dry_run: bool = False) -> GcResult:
    """Trim and remove old runs of the dossier at ``db`` and rewrite it compactly."""
    _check_keep(keep)  # before anything is opened: a refused gc writes nothing
    path = Path(db)
    if not path.is_file():
        raise BadInput(f"no dossier at {path}; nothing to collect")
    tmp = path.with_name(path.name + ".gc-tmp")
    # the writer lock is held until the rename: refuses while another process has the file
    with Store(path, read_only=dry_run) as store:
        plan = plan_gc(store, keep)
        before = _file_bytes(path)
        if dry_run:
            return GcResult(plan, before, before, True)
        store.con.execute("CHECKPOINT")  # nothing of the original may wait in a WAL
        for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
            stale.unlink(missing_ok=True)  # left by a gc that crashed before its rename
        try:
            _rewrite(store, tmp, plan)
            if os.environ.get(FAULT_ENV) == "after_copy":
                raise RuntimeError("injected fault: gc stopped before the rename")
        except BaseException:
            tmp.unlink(missing_ok=True)  # the original was never touched
            raise
        os.replace(tmp, path)  # atomic: readers see the old file or the new one, never neither
    for run_id in plan.trimmed + plan.removed:  # per-record parts of a partitioned run
        shutil.rmtree(parts_dir(path, run_id), ignore_errors=True)
    return GcResult(plan, before, _file_bytes(path), False)


def _rewrite(store: Store, tmp: Path, plan: GcPlan) -> None:
    """Copy schema and kept rows into ``tmp`` with the original's storage version."""
    con = store.con
    tags = con.execute(
        "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    version = (tags[0] or "").rstrip("+") if tags else ""
    options = " (STORAGE_VERSION ?)" if version else ""
    name = con.execute("SELECT current_database()").fetchone()
    assert name is not None
    src = catalog_ident(name[0])
    con.execute(f"ATTACH ? AS gc_new{options}", [str(tmp), *([version] if version else [])])
    try:
        con.execute(f"COPY FROM DATABASE {src} TO gc_new (SCHEMA)")
        with store.transaction():
            for table in _tables(store, with_run_id=False):  # meta, and any table not per run
                con.execute(f"INSERT INTO gc_new.{ident(table)} SELECT * FROM {src}.{ident(table)}")
            for table in _tables(store):
                gone = plan.trimmed + plan.removed if table in RECORD_LEVEL else plan.removed
                con.execute(
                    f"INSERT INTO gc_new.{ident(table)} SELECT * FROM {src}.{ident(table)} "
                    "WHERE NOT list_contains(?, run_id)",
                    [gone],
                )
            trimmed = sorted(set(_meta_list(store, "gc_trimmed_runs")) | set(plan.trimmed))
            con.execute(
                "INSERT OR REPLACE INTO gc_new.meta VALUES ('gc_trimmed_runs', ?), ('gc_last', ?)",
                [json.dumps(trimmed), utcnow().isoformat(timespec="seconds")],
            )
        con.execute("CHECKPOINT gc_new")
    finally:
        con.execute("DETACH gc_new")


def _meta_list(store: Store, key: str) -> list[str]:
    row = store.query("SELECT value FROM meta WHERE key = ?", [key])[1]
    return list(json.loads(row[0][0])) if row else []
