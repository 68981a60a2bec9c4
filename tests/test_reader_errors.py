"""Issue 10, item 7: readers raise a typed ShardError for bytes they cannot read (the file is
recorded unreadable and the run goes on); anything else out of a reader is a bug that fails the
run, which stays resumable."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from provenance import audit
from provenance.errors import InternalError
from provenance.executors.base import ShardJob, process_shard
from provenance.manifest import load_manifest
from provenance.pipeline import ScannerSpec
from provenance.plan import make_plan
from provenance.readers import ShardReader
from tests.conftest import Corpus


def test_a_file_gone_since_planning_is_unreadable_not_a_crash(corpus: Corpus) -> None:
    plan = make_plan(load_manifest(corpus.write()))
    shard = next(s for s in plan.shards if s.path.endswith("a.jsonl"))
    os.remove(shard.path)
    job = ShardJob(scanners=(ScannerSpec("file_stats", {}),), batch_rows=10, pii_key=b"k")
    result = process_shard(shard, job)
    assert result.status == "error"
    assert result.error is not None and "a.jsonl: cannot be read" in result.error


def test_a_reader_bug_fails_the_run_and_a_resume_completes(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest, db = corpus.write(), tmp_path / "d.duckdb"
    real = ShardReader.__iter__

    def buggy(self: ShardReader) -> Iterator[pa.RecordBatch]:
        if self.name == "a.jsonl":
            raise RuntimeError("a reader bug")
        yield from real(self)

    with monkeypatch.context() as m:
        m.setattr(ShardReader, "__iter__", buggy)
        with pytest.raises(InternalError, match="a reader bug"):
            audit(manifest, db, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    try:
        run_id, status = con.execute("SELECT run_id, status FROM runs").fetchone()
        unreadable = con.execute("SELECT count(*) FROM shards WHERE status = 'error'").fetchone()
    finally:
        con.close()
    assert status == "failed" and unreadable == (0,)  # not passed off as an unreadable file
    resumed = audit(manifest, db, workers=1, resume=run_id)
    assert resumed.status == "complete" and resumed.unreadable_files == 0
