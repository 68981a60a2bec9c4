"""The ``CREATE TABLE`` statements of the shard tables, made from the scanners' declarations.

Each scanner declares its per-shard tables once (:class:`provenance.tables.Output`: columns
with Arrow type, NOT NULL and comment). This module renders them as DuckDB DDL with
``COMMENT ON`` for the table and its columns; ``schemas/dossier.sql`` holds the result between
marker comments (``make docs`` rewrites it, a test fails while it differs).
"""

from __future__ import annotations

import pyarrow as pa

from provenance.scanners import SCANNERS
from provenance.tables import Column, Output

#: columns the store adds to every scanner row (who wrote it, for which run)
STAMP = (
    Column("run_id", pa.string(), not_null=True),
    Column("scanner", pa.string(), not_null=True),
    Column("scanner_version", pa.string(), not_null=True),
)
_SCALAR = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.binary(): "BLOB",
}


def duckdb_type(t: pa.DataType) -> str:
    """The DuckDB type an Arrow column is stored as."""
    if pa.types.is_list(t):
        return duckdb_type(t.value_type) + "[]"
    if t not in _SCALAR:
        raise ValueError(f"no DuckDB type declared for Arrow {t}")
    return _SCALAR[t]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_table(output: Output) -> str:
    """``CREATE TABLE`` and ``COMMENT ON`` statements of one scanner output."""
    columns = (*STAMP, *output.columns)
    width = max(len(c.name) for c in columns) + 1
    body = ",\n".join(
        f"  {c.name.ljust(width)}{duckdb_type(c.type)}{' NOT NULL' if c.not_null else ''}"
        for c in columns
    )
    lines = [f"CREATE TABLE {output.table} (\n{body}\n);"]
    if output.doc:
        lines.append(f"COMMENT ON TABLE {output.table} IS {_literal(output.doc)};")
    lines += [
        f"COMMENT ON COLUMN {output.table}.{c.name} IS {_literal(c.doc)};"
        for c in output.columns
        if c.doc
    ]
    return "\n".join(lines)


def shard_tables_ddl() -> str:
    """The DDL of every scanner's tables, in registry order."""
    return "\n\n".join(create_table(o) for cls in SCANNERS.values() for o in cls.outputs)
