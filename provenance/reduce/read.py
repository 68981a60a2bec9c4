"""Reading a partitioned run's Parquet parts outside its check phase: ``pi lookup``, ``export``.

The check phase reads the parts through DuckDB views (:func:`provenance.reduce.parts.
scope_part_views`). Everything else opens the dossier through the locked read-only connection
(:func:`provenance.sqlguard.connect_read_only`), which cannot read files at all — that is what
keeps ``provenance sql`` from reading the PII key file — so the parts are read here with
pyarrow instead, from the list of the run's committed shards, never with a glob: a shard
scanned but not committed (an interrupted run) may have left files that are not evidence.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.dataset as ds

from provenance.errors import BadInput
from provenance.reduce.parts import (
    PartsSpec,
    files_of,
    part_schema,
    spec_from_config,
)

if TYPE_CHECKING:
    from provenance.store import Store

#: the committed shards, whose part files are the run's evidence (as in scope_part_views)
COMMITTED_SQL = "SELECT shard_id FROM shards WHERE run_id = ? AND status = 'ok'"
CONFIG_SQL = "SELECT config FROM runs WHERE run_id = ?"
TRIMMED_SQL = "SELECT value FROM meta WHERE key = 'gc_trimmed_runs'"
COMPLETE_SQL = "SELECT run_id FROM complete_runs ORDER BY run_id"
FILES_SQL = "SELECT file_id, source_id, path FROM files WHERE run_id = ?"
#: the dossier table's columns and types, for batches read from parts
SHAPE_SQL = "SELECT * FROM {table} LIMIT 0"


def run_parts(store: Store, run_id: str) -> PartsSpec | None:
    """The parts of ``run_id``; None when the run keeps its rows in the dossier or ``gc``
    trimmed it (its parts were deleted with its record-level rows)."""
    rows = store.query(CONFIG_SQL, [run_id])[1]
    if not rows or not rows[0][0]:
        return None
    config = rows[0][0]
    spec = spec_from_config(json.loads(config) if isinstance(config, str) else config)
    if spec is None:
        return None
    trimmed = store.query(TRIMMED_SQL)[1]
    if trimmed and run_id in json.loads(trimmed[0][0]):
        return None
    return spec


def part_files(store: Store, run_id: str, spec: PartsSpec, table: str) -> list[str]:
    """The part files of ``table`` for the run's committed shards; refuses (exit 2) when any is
    missing, since then the evidence is incomplete, not empty."""
    shard_ids = [r[0] for r in store.query(COMMITTED_SQL, [run_id])[1]]
    files = files_of(spec, table, shard_ids)
    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        raise BadInput(
            f"run {run_id} keeps {table} in Parquet parts beside the dossier, and "
            f"{len(missing)} of its {len(files)} part files are missing (e.g. {missing[0]}); "
            "move the dossier together with its .parts folder"
        )
    return files


def part_scanner(
    store: Store,
    run_id: str,
    table: str,
    columns: list[str] | None = None,
    where: Any = None,
) -> ds.Scanner | None:
    """A streaming scan of the run's ``table`` parts (``where``: a pyarrow expression), or None
    when the run keeps that table in the dossier."""
    spec = run_parts(store, run_id)
    if spec is None or table not in spec.tables:
        return None
    files = part_files(store, run_id, spec, table)
    dataset = ds.dataset(files, schema=part_schema(table), format="parquet")
    return dataset.scanner(columns=columns, filter=where)


def dossier_batches(store: Store, run_id: str, table: str) -> pa.RecordBatchReader | None:
    """The run's ``table`` parts shaped as the dossier table (``run_id`` and column order and
    types as ``SELECT * FROM table`` gives them), batch by batch; None when not in parts."""
    from provenance.sqlguard import ident

    scanner = part_scanner(store, run_id, table)
    if scanner is None:
        return None
    rel = store.con.sql(SHAPE_SQL.format(table=ident(table)))
    assert rel is not None  # a SELECT gives a relation
    shape = rel.to_arrow_table().schema

    def shaped() -> Any:
        for batch in scanner.to_batches():
            run = pa.array([run_id] * batch.num_rows, pa.string())
            cols = {name: batch.column(name) for name in batch.schema.names} | {"run_id": run}
            yield pa.RecordBatch.from_arrays(
                [cols[f.name].cast(f.type) for f in shape], schema=shape
            )

    return pa.RecordBatchReader.from_batches(shape, shaped())


def pii_part_hits(store: Store, hashes: list[str], skip: list[str]) -> list[tuple[Any, ...]]:
    """``pi lookup``'s rows from the partitioned complete runs (other than ``skip``): value
    hash, run, source, path, record key, entity type, masked form — as its SQL gives them for
    hits kept in the dossier."""
    import pyarrow.compute as pc

    found: list[tuple[Any, ...]] = []
    wanted = pc.field("value_hash").isin(pa.array(hashes, pa.string()))
    columns = ["value_hash", "file_id", "record_key", "entity_type", "masked"]
    for (run_id,) in store.query(COMPLETE_SQL)[1]:
        if run_id in skip:
            continue
        scanner = part_scanner(store, run_id, "pii_hits", columns, wanted)
        if scanner is None:
            continue
        hits = scanner.to_table()
        if not hits.num_rows:
            continue
        files = {r[0]: (r[1], r[2]) for r in store.query(FILES_SQL, [run_id])[1]}
        for h in hits.to_pylist():
            source, path = files[h["file_id"]]
            key, kind, masked = h["record_key"], h["entity_type"], h["masked"]
            found.append((h["value_hash"], run_id, source, path, key, kind, masked))
    return found
