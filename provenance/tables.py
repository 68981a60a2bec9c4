"""Dossier tables declared by the steps that write them.

A scanner declares each table it writes per shard, and a check each table it writes when the
run commits, as an :class:`Output`. Everything else that needs a list of tables (the dossier
DDL of shard tables, what a resume clears, what a commit replaces, what a pipeline must enable
for a check's inputs) is derived from these declarations, so a new table is written down once.
A scanner's output also carries its columns (:class:`Column`: Arrow type, NOT NULL, comment):
its Arrow schema and its ``CREATE TABLE`` in ``schemas/dossier.sql`` are both made from them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    """One column: name, Arrow type, whether it may be NULL, and what it holds."""

    name: str
    type: pa.DataType
    not_null: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Output:
    """A dossier table one step writes.

    ``columns`` are what the step produces (the store adds ``run_id`` and, for scanner outputs,
    ``scanner`` and ``scanner_version``); ``doc`` documents the table. A check's output may
    leave ``columns`` empty: its table is declared in the hand-written part of the DDL.
    """

    table: str
    columns: tuple[Column, ...] = ()
    doc: str = ""

    @property
    def schema(self) -> pa.Schema:
        """The Arrow schema of the columns the step produces."""
        return pa.schema([(c.name, c.type) for c in self.columns])

    def __str__(self) -> str:
        return self.table
