"""Record-level tables of a large run as Parquet parts beside the dossier (issue 14, item 5).

Above ``[reduce] partition_above_bytes`` of planned data, a run's per-record tables —
``record_hashes`` and ``minhash_signatures`` (one row per record, 8 and 512 bytes of payload)
and ``pii_hits`` (one row per identifier found) — do not go into the DuckDB file: each worker writes its shard's rows to
``<dossier>.parts/<run_id>/<table>/<shard>.parquet`` and its LSH band hashes to
``…/bands/partition=<p>/<shard>.parquet`` (:mod:`provenance.reduce.lsh_parts`), on a path
every worker and the coordinator share. The dossier keeps aggregates, findings, duplicate
clusters, samples and the per-shard PI counts; the run records the folder and its tables
(``runs.config`` → ``reduce.parts_dir``, ``reduce.tables``). During the check phase the
run-scoped views (``run_record_hashes``, ``run_minhash_signatures``, ``run_pii_hits``) read the
parts, so every check asks the same SQL either way, and near-duplicate candidates are found
partition by partition; ``pi lookup`` and ``export`` read them through
:mod:`provenance.reduce.read`. A shard written again (a resumed run) replaces its own files.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:
    from provenance.pipeline import Pipeline
    from provenance.plan import Plan

#: the per-record tables a partitioned run keeps as Parquet parts instead of dossier rows
PARTITIONED_TABLES = ("record_hashes", "minhash_signatures", "pii_hits")
#: what runs partitioned before ``pii_hits`` joined them kept as parts: their config names no
#: tables, and their PI hits are dossier rows
FIRST_TABLES = ("record_hashes", "minhash_signatures")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class PartsSpec:
    """Where and how a partitioned run writes its parts (picklable: sent with every shard)."""

    root: str
    partitions: int
    bands: int
    #: which tables go to parts (recorded in the run, so a resumed run writes what it began with)
    tables: tuple[str, ...] = PARTITIONED_TABLES

    def folder(self, table: str) -> Path:
        """The folder of one table's parts (``bands`` for the LSH band hashes)."""
        return Path(self.root, table)


def parts_dir(db_path: str | Path, run_id: str) -> Path:
    """``<dossier>.parts/<run_id>``: beside the dossier, one folder per run."""
    db = Path(db_path).resolve()
    return db.with_name(db.name + ".parts") / run_id


def shard_name(shard_id: str) -> str:
    """A file name for a shard's parts (shard ids hold ':')."""
    return _UNSAFE.sub("_", shard_id)


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("." + path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)  # a reader never sees half a file; a rewrite replaces it whole


def write_shard_parts(
    spec: PartsSpec, shard_id: str, tables: dict[str, pa.Table]
) -> dict[str, pa.Table]:
    """Write a shard's per-record tables (and band hashes) as parts; return the rest, which
    go to the dossier as usual. Runs on the worker that scanned the shard."""
    from provenance.reduce.lsh_parts import band_rows, write_band_parts

    name = shard_name(shard_id)
    rest = dict(tables)
    for table in spec.tables:
        data = rest.pop(table, None)
        if data is None:  # every committed shard has a file of each table: readers list them
            data = part_schema(table).empty_table()
        _write(data, spec.folder(table) / f"{name}.parquet")
        if table == "minhash_signatures" and data.num_rows:
            bands = band_rows(
                data.column("file_id").combine_chunks(),
                data.column("record_key").combine_chunks(),
                data.column("signature"),
                spec.bands,
                spec.partitions,
            )
            write_band_parts(bands, spec.folder("bands"), name)
    return rest


def part_schema(table: str) -> pa.Schema:
    """The schema of a table's part files: the scanner's output and its name and version."""
    from provenance.scanners import SCANNERS

    for scanner in SCANNERS.values():
        for out in scanner.outputs:
            if out.table == table:
                return out.schema.append(pa.field("scanner", pa.string())).append(
                    pa.field("scanner_version", pa.string())
                )
    raise KeyError(table)


def files_of(spec: PartsSpec, table: str, shard_ids: list[str]) -> list[str]:
    """The part files of the committed shards (a shard scanned but never committed — the run
    was interrupted — may have left files that are not evidence)."""
    folder = spec.folder(table)
    return [str(folder / f"{shard_name(s)}.parquet") for s in sorted(shard_ids)]


def partitioning(pipe: Pipeline, plan: Plan, db_path: Path, run_id: str) -> PartsSpec | None:
    """The run's parts when its planned data exceed ``[reduce] partition_above_bytes`` and the
    pipeline computes per-record hashes (the minhash scanner); else None: kept whole."""
    minhash = next((s for s in pipe.scanners if s.name == "minhash"), None)
    planned = sum(f.bytes for f in plan.files)
    if minhash is None or planned <= pipe.partition_above_bytes:
        return None
    bands = int(minhash.settings.get("bands", 32))
    return PartsSpec(str(parts_dir(db_path, run_id)), pipe.partitions, bands)


def reduce_config(spec: PartsSpec | None) -> dict[str, Any]:
    """What ``runs.config`` → ``reduce`` records of the parts (read back by
    :func:`spec_from_config`)."""
    if spec is None:
        return {"parts_dir": None}
    return {"parts_dir": spec.root, "bands": spec.bands, "tables": list(spec.tables)}


def spec_from_config(config: dict[str, Any]) -> PartsSpec | None:
    """The run's parts, from ``runs.config`` (None for a run kept whole in the dossier)."""
    reduce = config.get("reduce") or {}
    if not reduce.get("parts_dir"):
        return None
    tables = tuple(reduce.get("tables") or FIRST_TABLES)
    return PartsSpec(
        str(reduce["parts_dir"]), int(reduce["partitions"]), int(reduce["bands"]), tables
    )


# Per partitioned table: where its committed part files are listed (a session variable: a
# view cannot take parameters), and the run-scoped view (as provenance.store.Store.scope_views
# makes for dossier tables) reading them.
_VIEW = """
CREATE OR REPLACE TEMP VIEW {view} AS
SELECT getvariable('provenance_run') AS run_id, t.*, f.source_id, f.dataset_id
FROM read_parquet(getvariable({variable})) t JOIN files f
  ON f.run_id = getvariable('provenance_run') AND f.file_id = t.file_id
"""
SET_RECORD_HASHES = "SET VARIABLE provenance_parts_record_hashes = ?"
VIEW_RECORD_HASHES = _VIEW.format(
    view="run_record_hashes", variable="'provenance_parts_record_hashes'"
)
SET_SIGNATURES = "SET VARIABLE provenance_parts_minhash_signatures = ?"
VIEW_SIGNATURES = _VIEW.format(
    view="run_minhash_signatures", variable="'provenance_parts_minhash_signatures'"
)
SET_PII_HITS = "SET VARIABLE provenance_parts_pii_hits = ?"
VIEW_PII_HITS = _VIEW.format(view="run_pii_hits", variable="'provenance_parts_pii_hits'")
COMMITTED_SQL = "SELECT shard_id FROM shards WHERE run_id = ? AND status = 'ok'"


def _scope(con: Any, files: list[str], set_sql: str, view_sql: str) -> None:
    """Set the variable listing a table's part files, then (re)create its view."""
    con.execute(set_sql, [files])
    con.execute(view_sql)


def scope_part_views(con: Any, run_id: str, spec: PartsSpec) -> None:
    """Point the run-scoped views (``run_<table>``) of the partitioned tables at the run's
    committed parts, with the file's source and dataset joined on as for dossier tables."""
    shard_ids = [r[0] for r in con.execute(COMMITTED_SQL, [run_id]).fetchall()]
    if not shard_ids:
        return  # nothing committed: the (empty) dossier tables answer
    # a run partitioned before pii_hits joined the parts keeps its hits in the dossier
    if "record_hashes" in spec.tables:
        files = files_of(spec, "record_hashes", shard_ids)
        _scope(con, files, SET_RECORD_HASHES, VIEW_RECORD_HASHES)
    if "minhash_signatures" in spec.tables:
        files = files_of(spec, "minhash_signatures", shard_ids)
        _scope(con, files, SET_SIGNATURES, VIEW_SIGNATURES)
    if "pii_hits" in spec.tables:
        _scope(con, files_of(spec, "pii_hits", shard_ids), SET_PII_HITS, VIEW_PII_HITS)
