"""The same dossier however a run is scheduled (issue 14): one local worker, two local workers,
two Dask workers (a real LocalCluster), and the partitioned reduce (per-record tables — PI hits
included — as Parquet parts beside the dossier, near-duplicate candidates by band partition; the
size threshold set low so a small corpus takes that path), locally and on Dask.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from provenance import audit
from provenance.resources import pipeline_dir
from tests.conftest import Corpus, cli, refused, write_jsonl

WORDS = [f"w{i}" for i in range(300)]

#: what a run found, by table: compared across schedules (timing columns left out)
QUERIES = {
    "findings": "SELECT code, severity, subject_kind, subject_id, message_en FROM findings",
    "pii_hits": "SELECT file_id, record_key, entity_type, value_hash, masked FROM pii_hits",
    "pii_summary": "SELECT * EXCLUDE (run_id) FROM pii_summary",
    "duplicates": "SELECT cluster_id, file_id, record_key, kind, similarity FROM duplicates",
    "stats": "SELECT scope, subject_id, metric, key, round(value, 6) FROM stats",
    "files": "SELECT file_id, status, records, sha256, bytes FROM files",
}


def _corpus(corpus: Corpus) -> Path:
    rng = random.Random(14)
    base = [" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(40)]
    for i in range(4):  # several shards, exact and near copies across them, identifiers
        rows = [{"text": t} for t in base[i * 10 : i * 10 + 10]]
        rows += [{"text": base[(i * 7) % 40]}]  # an exact copy of another shard's record
        rows += [{"text": base[(i * 3 + 1) % 40].replace("w1 ", "EDITED ", 1) + " tail"}]
        rows += [{"text": f"联系人 {i}: 电话 1381234567{i}, mail p{i}@example.com"}]
        write_jsonl(corpus.root / f"data/open/part{i}.jsonl", rows)
    return corpus.write()


def _partitioned_pipeline(tmp: Path) -> Path:
    text = (pipeline_dir() / "pretraining.toml").read_text(encoding="utf-8")
    text = re.sub(
        r"(?m)^\[reader\]",
        # and a small memory limit for the audit's DuckDB: a bound, not a different result
        "[reduce]\npartition_above_bytes = 1\npartitions = 4\nmemory_mib = 64\n\n[reader]",
        text,
    )
    path = tmp / "partitioned.toml"
    path.write_text(text, encoding="utf-8")
    return path


#: pii_hits of a partitioned run, read from its parts (the README's query)
PART_HITS = "SELECT file_id, record_key, entity_type, value_hash, masked FROM read_parquet(?)"


def _found(db: Path) -> dict[str, list[Any]]:
    with duckdb.connect(str(db), read_only=True) as con:
        # one run per dossier here
        found = {n: sorted(con.execute(q).fetchall(), key=repr) for n, q in QUERIES.items()}
        (config,) = con.execute("SELECT config FROM runs").fetchone()
    root = json.loads(config)["reduce"]["parts_dir"]
    if root is not None:  # a partitioned run: its hits are read where README says they are
        assert found["pii_hits"] == [], "a partitioned run keeps no PI hit in the dossier"
        with duckdb.connect() as con:
            hits = con.execute(PART_HITS, [str(Path(root, "pii_hits", "*.parquet"))]).fetchall()
        found["pii_hits"] = sorted(hits, key=repr)
    return found


def test_one_two_dask_and_partitioned_give_the_same_dossier(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from provenance.executors.dask import DaskExecutor

    mapped: list[int] = []  # the partitions each reduce sent to the Dask cluster
    real_map = DaskExecutor.map

    def spy(self: DaskExecutor, fn: Any, items: list[Any]) -> list[Any]:
        mapped.append(len(items))
        return real_map(self, fn, items)

    monkeypatch.setattr(DaskExecutor, "map", spy)
    manifest, partitioned = _corpus(corpus), str(_partitioned_pipeline(tmp_path))
    runs = {
        "local1": audit(manifest, tmp_path / "l1.duckdb", workers=1),
        "local2": audit(manifest, tmp_path / "l2.duckdb", workers=2),
        "dask2": audit(manifest, tmp_path / "d2.duckdb", workers=2, executor="dask"),
        "parts": audit(manifest, tmp_path / "p.duckdb", workers=2, pipeline=partitioned),
        "dask_parts": audit(
            manifest, tmp_path / "dp.duckdb", workers=2, executor="dask", pipeline=partitioned
        ),
    }
    # only the partitioned Dask run reduces on the cluster: its 4 band partitions, a task each
    assert mapped == [4]
    found = {name: _found(r.db_path) for name, r in runs.items()}
    assert found["local1"]["duplicates"], "the corpus has exact and near duplicates"
    assert any(r[3] == "near" for r in found["local1"]["duplicates"])
    assert found["local1"]["pii_hits"]
    for name in ("local2", "dask2", "parts", "dask_parts"):
        for table in QUERIES:
            assert found[name][table] == found["local1"][table], (name, table)
    # the partitioned run kept its per-record rows out of the dossier, in parts it records
    parts = runs["parts"]
    with duckdb.connect(str(parts.db_path), read_only=True) as con:
        (config,) = con.execute("SELECT config FROM runs").fetchone()
        in_db = con.execute("SELECT count(*) FROM record_hashes").fetchone()[0]
    assert json.loads(config)["reduce"]["memory_mib"] == 64
    root = Path(json.loads(config)["reduce"]["parts_dir"])
    assert in_db == 0 and root.is_dir() and root.parent.name == "p.duckdb.parts"
    with duckdb.connect() as con:
        keys = con.execute(
            "SELECT count(*) FROM read_parquet(?)", [str(root / "record_hashes" / "*.parquet")]
        ).fetchone()[0]
        bands = con.execute(
            "SELECT count(DISTINCT partition) FROM read_parquet(?, hive_partitioning = true)",
            [str(root / "bands" / "*" / "*.parquet")],
        ).fetchone()[0]
    with duckdb.connect(str(runs["local1"].db_path), read_only=True) as con:
        assert keys == con.execute("SELECT count(*) FROM record_hashes").fetchone()[0]
    assert bands == 4


@pytest.mark.parametrize(
    "key, value",
    [("partitions", 0), ("partition_above_bytes", "x"), ("memory_mib", 16), ("nope", 1)],
)
def test_bad_reduce_settings_are_refused(tmp_path: Path, key: str, value: Any) -> None:
    from provenance.errors import BadInput
    from provenance.pipeline import load_pipeline

    text = (pipeline_dir() / "pretraining.toml").read_text(encoding="utf-8")
    path = tmp_path / "bad.toml"
    path.write_text(f"[reduce]\n{key} = {json.dumps(value)}\n\n" + text, encoding="utf-8")
    with pytest.raises(BadInput) as err:
        load_pipeline(str(path))
    assert f"reduce.{key}" in str(err.value.problems)


def _lookup(db: Path, *values: str) -> list[dict[str, Any]]:
    """``provenance pi lookup`` as a user runs it, JSON rows without the run id."""
    args = [a for v in values for a in ("--value", v)]
    res = cli("pi", "lookup", "--db", str(db), *args, "--format", "json")
    assert res.returncode == 0, res.stderr[-2000:]
    return [{k: v for k, v in row.items() if k != "run_id"} for row in json.loads(res.stdout)]


def test_pi_lookup_and_export_read_a_partitioned_runs_parts(corpus: Corpus, tmp_path: Path) -> None:
    """A data subject's identifier is found in a partitioned run as in a run kept whole, and
    the regulator bundle carries the run's PI hits (and record hashes) read from the parts."""
    import shutil

    import pyarrow.parquet as pq

    from provenance.dossier.export import export
    from provenance.reduce.parts import parts_dir

    manifest, pipeline = _corpus(corpus), str(_partitioned_pipeline(tmp_path))
    whole = audit(manifest, tmp_path / "w.duckdb", workers=1)
    db = tmp_path / "p.duckdb"
    run = audit(manifest, db, workers=1, pipeline=pipeline)
    found = _lookup(db, "13812345670", "p2@example.com", "19900000000")
    assert {r["query"] for r in found} == {1, 2}  # the third is in no record
    assert {Path(r["path"]).name for r in found} == {"part0.jsonl", "part2.jsonl"}
    assert found == _lookup(whole.db_path, "13812345670", "p2@example.com", "19900000000")
    out = tmp_path / "bundle"
    export(db, run.run_id, out, formats=("parquet",))
    with duckdb.connect(str(whole.db_path), read_only=True) as con:
        for table in ("pii_hits", "record_hashes"):
            want = con.execute(f"SELECT * EXCLUDE (run_id) FROM {table}").fetchall()
            got = pq.read_table(out / "tables" / f"{table}.parquet")
            assert got.column_names == [d[0] for d in con.execute(f"DESCRIBE {table}").fetchall()]
            assert set(got.column("run_id").to_pylist()) == {run.run_id}
            rows = got.drop_columns(["run_id"]).to_pylist()
            assert sorted(map(repr, (tuple(r.values()) for r in rows))) == sorted(map(repr, want))
    # parts gone but the run not trimmed: incomplete evidence is an error, never "not found"
    shutil.rmtree(parts_dir(db, run.run_id) / "pii_hits")
    res = cli("pi", "lookup", "--db", str(db), "--value", "13812345670")
    refused(res, "keeps pii_hits in Parquet parts", "part files are missing")


def test_gc_deletes_the_parts_of_a_trimmed_run(corpus: Corpus, tmp_path: Path) -> None:
    from provenance.gc import collect
    from provenance.reduce.parts import parts_dir

    manifest, pipeline = _corpus(corpus), str(_partitioned_pipeline(tmp_path))
    db = tmp_path / "p.duckdb"
    first = audit(manifest, db, workers=1, pipeline=pipeline)
    second = audit(manifest, db, workers=1, pipeline=pipeline)
    for run in (first, second):  # PI hits too live in parts: gc must take them with the run
        assert list((parts_dir(db, run.run_id) / "pii_hits").glob("*.parquet"))
    assert len(_lookup(db, "13812345671")) == 2  # one record, found in each run
    collect(db, keep=1)
    assert not parts_dir(db, first.run_id).exists()
    assert parts_dir(db, second.run_id).is_dir()
    # the trimmed run is no longer searched (its hits are gone), the kept one still is
    res = cli("pi", "lookup", "--db", str(db), "--value", "13812345671", "--format", "json")
    assert res.returncode == 0, res.stderr[-2000:]
    assert [r["run_id"] for r in json.loads(res.stdout)] == [second.run_id]
    # the kept run's checks still read its parts: a re-export needs nothing else
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM duplicates").fetchone()[0] > 0


def test_a_partitioned_run_resumes_to_the_same_dossier(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted after two shards, resumed: the parts of the shards scanned again replace
    their own files, and the dossier equals an uninterrupted partitioned run's."""
    from provenance.errors import InternalError
    from provenance.runner import FAULT_ENV

    manifest, pipeline = _corpus(corpus), str(_partitioned_pipeline(tmp_path))
    whole = audit(manifest, tmp_path / "whole.duckdb", workers=1, pipeline=pipeline)
    db = tmp_path / "resumed.duckdb"
    monkeypatch.setenv(FAULT_ENV, "fail_after_shards:2")
    with pytest.raises(InternalError):
        audit(manifest, db, workers=1, pipeline=pipeline)
    monkeypatch.delenv(FAULT_ENV)
    with duckdb.connect(str(db), read_only=True) as con:
        (run_id,) = con.execute("SELECT run_id FROM runs").fetchone()
    resumed = audit(manifest, db, workers=2, pipeline=pipeline, resume=run_id)
    assert resumed.shards_resumed == 2
    assert _found(db) == _found(whole.db_path)


def test_the_writers_duckdb_memory_limit_is_the_pipelines(tmp_path: Path) -> None:
    """``[reduce] memory_mib`` bounds the audit process's DuckDB (readers keep the default)."""
    from provenance.store import Store

    with Store(tmp_path / "m.duckdb", memory_mib=300) as store:
        (limit,) = store.con.execute("SELECT current_setting('memory_limit')").fetchone()
    assert limit in {"300.0 MiB", "314.5 MB"}, limit


def test_running_out_of_duckdbs_memory_names_the_setting_to_raise() -> None:
    """DuckDB's own advice names its SQL setting; the audit names the pipeline's."""
    import duckdb

    from provenance.pipeline import load_pipeline
    from provenance.runner import _memory_hint

    pipe = load_pipeline("pretraining")
    hint = _memory_hint(duckdb.OutOfMemoryException("could not allocate block"), pipe)
    assert "[reduce] memory_mib = 2048" in hint and "resume" in hint
    assert _memory_hint(ValueError("something else"), pipe) == ""
