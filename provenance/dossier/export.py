"""Write the regulator bundle.

``dossier.html`` (self-contained, bilingual), ``dossier.json``, ``eu_summary.json``, every
table and view of the run as CSV and Parquet under ``tables/``, ``RUN.json`` (run id, manifest
SHA-256, tool version) and ``SHA256SUMS`` over every other file. ``verify`` (in
:mod:`provenance.dossier.verify`) recomputes the hashes and names any file that was altered,
removed or added.

No path ever enters SQL: each table is read with ``SELECT * FROM <table> WHERE run_id = ?`` into
Arrow and written by pyarrow (a partitioned run's per-record tables are read from its Parquet
parts by pyarrow: :mod:`provenance.reduce.read`). The bundle is written into a hidden sibling folder and renamed to
``--out`` only when complete (SHA256SUMS included), so a failed export leaves nothing at ``--out``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from provenance import __version__
from provenance.dossier.collect import collect
from provenance.dossier.html import render_html
from provenance.dossier.verify import verify
from provenance.errors import BadInput
from provenance.reduce.read import dossier_batches
from provenance.sqlguard import ident
from provenance.store import Store

__all__ = ["FORMATS", "LANGS", "VIEWS", "export", "run_tables", "verify"]

FORMATS = ("html", "json", "csv", "parquet")
LANGS = ("zh", "en")
VIEWS = (
    "article7",
    "tc260_self_assessment",
    "filing_figures",
    "article19",
    "article19_sources",
    "article19_stages",
    "storage_reconciliation",
    "source_scale",
)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n",
        encoding="utf-8",
    )


def run_tables(store: Store) -> list[str]:
    """Tables of the dossier that are keyed by run_id."""
    _, rows = store.query(
        "SELECT table_name FROM duckdb_columns() WHERE column_name = 'run_id' AND NOT internal "
        "AND table_name IN (SELECT table_name FROM duckdb_tables()) ORDER BY 1"
    )
    return [r[0] for r in rows]


def _as_text(t: pa.DataType) -> bool:
    """Types pyarrow's CSV writer cannot write: nested values (as JSON) and bytes (as hex)."""
    return bool(
        pa.types.is_list(t)
        or pa.types.is_large_list(t)
        or pa.types.is_struct(t)
        or pa.types.is_map(t)
        or pa.types.is_binary(t)
        or pa.types.is_large_binary(t)
    )


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bytes):
        return v.hex()
    return json.dumps(v, ensure_ascii=False, default=str)


def _csv_batch(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    cols = [
        pa.array([_text(v) for v in col.to_pylist()], pa.string()) if _as_text(col.type) else col
        for col in batch.columns
    ]
    return pa.RecordBatch.from_arrays(cols, schema=schema)


def _write_table(store: Store, name: str, run_id: str, fmt: str, target: Path) -> None:
    """One table or view of the run, streamed batch by batch (bounded memory); a partitioned
    run's per-record tables from its Parquet parts beside the dossier."""
    batches = dossier_batches(store, run_id, name)
    if batches is None:
        rel = store.con.sql(f"SELECT * FROM {ident(name)} WHERE run_id = ?", params=[run_id])
        batches = rel.to_arrow_reader()
    if fmt == "parquet":
        with pq.ParquetWriter(target, batches.schema) as pw:
            for batch in batches:
                pw.write_batch(batch)
        return
    schema = pa.schema(
        [pa.field(f.name, pa.string()) if _as_text(f.type) else f for f in batches.schema]
    )
    with pacsv.CSVWriter(target, schema) as cw:
        for batch in batches:
            cw.write_batch(_csv_batch(batch, schema))


def _staging(out: Path) -> Path:
    """A new hidden sibling of ``out`` to write into (same filesystem, so the rename is atomic)."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:12]}"
        tmp.mkdir()
    except OSError as exc:
        raise BadInput(f"cannot create the bundle folder {out}: {exc.strerror}") from None
    return tmp


def _write_bundle(
    store: Store,
    data: dict[str, Any],
    run_id: str,
    out: Path,
    langs: tuple[str, ...],
    formats: tuple[str, ...],
) -> list[Path]:
    written: list[Path] = []
    if "json" in formats:
        _json(out / "dossier.json", data)
        _json(out / "eu_summary.json", data["eu_summary"])
        written += [out / "dossier.json", out / "eu_summary.json"]
    if "html" in formats:
        (out / "dossier.html").write_text(render_html(data, langs), encoding="utf-8")
        written.append(out / "dossier.html")
    tabular = [f for f in formats if f in ("csv", "parquet")]
    if tabular:
        (out / "tables").mkdir()
        for name in [*run_tables(store), *VIEWS]:
            for fmt in tabular:
                target = out / "tables" / f"{name}.{fmt}"
                _write_table(store, name, run_id, fmt, target)
                written.append(target)
    _json(
        out / "RUN.json",
        {
            "run_id": run_id,
            "manifest_sha256": data["run"]["manifest_sha256"],
            "tool_version": data["run"]["tool_version"],
            "exported_by": f"provenance {__version__}",
        },
    )
    written.append(out / "RUN.json")
    lines = [f"{_sha256(p)}  {p.relative_to(out).as_posix()}" for p in sorted(written)]
    (out / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [*written, out / "SHA256SUMS"]


def export(
    db: Path,
    run_id: str,
    out: Path,
    langs: tuple[str, ...] = LANGS,
    formats: tuple[str, ...] = FORMATS,
) -> list[Path]:
    """Write the bundle for a complete run into the new folder ``out``; return the files written."""
    bad = [f for f in formats if f not in FORMATS] + [lg for lg in langs if lg not in LANGS]
    if bad:
        raise BadInput(
            f"unknown format or language {bad}; formats: {', '.join(FORMATS)}; languages: zh, en"
        )
    if not re.fullmatch(r"[A-Za-z0-9_-]+", run_id):
        raise BadInput(f"not a run id: {run_id!r}")
    if out.exists() and not out.is_dir():
        raise BadInput(f"--out {out} is a file; give a new folder for the bundle")
    if out.exists() and any(out.iterdir()):
        raise BadInput(f"{out} is not empty; export into a new folder so no stale file is bundled")
    with Store(db, read_only=True) as store:
        data = collect(store, run_id)
        tmp = _staging(out)
        try:
            files = _write_bundle(store, data, run_id, tmp, langs, formats)
            # POSIX rename replaces an empty folder; a non-empty one (a racing export) fails.
            os.replace(tmp, out)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise BadInput(
                f"cannot write the bundle to {out}: {exc.strerror or exc}; nothing was left there"
            ) from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return [out / p.relative_to(tmp) for p in files]
