"""Issue 10, item 1: a scanner's tables are declared once, on the scanner (``outputs``).

A table a scanner returns without declaring it would be missing from the resume clean-up (and
double-counted after a resume) and from the DDL: the executor refuses it as a bug.
"""

from __future__ import annotations

from typing import ClassVar

import pyarrow as pa
import pytest

from provenance.errors import InternalError
from provenance.executors.base import ShardJob, process_shard
from provenance.manifest import load_manifest
from provenance.pipeline import ScannerSpec
from provenance.plan import make_plan
from provenance.scanners import SCANNERS, Scanner, ShardContext, shard_tables
from provenance.tables import Output
from tests.conftest import Corpus


class Sneaky(Scanner):
    """Declares one table and returns another."""

    name: ClassVar[str] = "sneaky"
    version: ClassVar[str] = "1"
    outputs: ClassVar[tuple[Output, ...]] = (Output("sneaky_declared"),)

    def scan(self, batch: pa.RecordBatch, ctx: ShardContext) -> dict[str, pa.Table]:
        return {"sneaky_undeclared": pa.table({"file_id": [ctx.shard.file_id]})}


def test_an_undeclared_scanner_table_is_refused(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(SCANNERS, "sneaky", Sneaky)
    plan = make_plan(load_manifest(corpus.write()))
    job = ShardJob(scanners=(ScannerSpec("sneaky", {}),), batch_rows=100, pii_key=b"test")
    with pytest.raises(InternalError, match="sneaky_undeclared"):
        process_shard(plan.shards[0], job)


def test_shard_tables_come_from_the_scanners() -> None:
    declared = {o.table for cls in SCANNERS.values() for o in cls.outputs}
    assert set(shard_tables()) == declared
    assert {"pii_hits", "record_hashes", "file_stats"} <= declared
