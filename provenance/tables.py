"""Dossier tables declared by the steps that write them.

A scanner declares each table it writes per shard, and a check each table it writes when the
run commits, as an :class:`Output`. Everything else that needs a list of tables (the dossier
DDL of shard tables, what a resume clears, what a commit replaces, what a pipeline must enable
for a check's inputs) is derived from these declarations, so a new table is written down once.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Output:
    """A dossier table one step writes.

    ``schema`` holds the columns the step produces (the executor adds ``run_id`` and, for
    scanner outputs, ``scanner`` and ``scanner_version``); field metadata ``comment`` documents
    a column and ``doc`` documents the table (both become ``COMMENT ON`` in the DDL).
    """

    table: str
    schema: pa.Schema | None = None
    doc: str = ""

    def __str__(self) -> str:
        return self.table
