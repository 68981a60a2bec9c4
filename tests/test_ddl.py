"""Issue 10, item 1: the shard tables' DDL is generated from the scanners' declarations."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from provenance import docs
from provenance.dossier.ddl import STAMP, create_table, duckdb_type
from provenance.scanners import SCANNERS
from provenance.store import Store
from provenance.tables import Column, Output


def test_dossier_sql_holds_the_generated_shard_tables() -> None:
    current = docs.DDL.read_text(encoding="utf-8")
    assert docs.render(current, docs.DDL) == current, "schemas/dossier.sql is stale: make docs"


def test_a_fresh_dossier_has_exactly_the_declared_columns(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        _, rows = store.query(
            "SELECT table_name, column_name, data_type, is_nullable, comment "
            "FROM duckdb_columns() WHERE NOT internal ORDER BY table_name, column_index"
        )
    found: dict[str, list[tuple[str, str, bool, str]]] = {}
    for table, column, dtype, nullable, comment in rows:
        found.setdefault(table, []).append((column, dtype, not nullable, comment or ""))
    for cls in SCANNERS.values():
        for out in cls.outputs:
            wanted = [
                (c.name, duckdb_type(c.type), c.not_null, c.doc) for c in (*STAMP, *out.columns)
            ]
            assert found[out.table] == wanted, out.table
            assert out.schema.names == [c.name for c in out.columns]


def test_rendering_quotes_comments_and_refuses_unknown_types() -> None:
    out = Output(
        "t",
        (Column("a", pa.list_(pa.string()), not_null=True, doc="it's"),),
        doc="the 'table'",
    )
    sql = create_table(out)
    assert "a               VARCHAR[] NOT NULL" in sql or "VARCHAR[] NOT NULL" in sql
    assert "IS 'it''s';" in sql and "IS 'the ''table''';" in sql
    with pytest.raises(ValueError, match="no DuckDB type"):
        duckdb_type(pa.date32())
