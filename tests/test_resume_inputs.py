"""Issue 10, item 6: a resume refuses changed inputs; the PII key is resolved once, by the
coordinator, and recorded by fingerprint; `pi lookup` refuses a key no run used."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from provenance import audit
from provenance.errors import BadInput, InternalError
from tests.conftest import Corpus, cli, refused, write_jsonl
from tests.test_content import setup as content_setup
from tests.test_pii_custom import PATTERNS, _pipeline


def _failed_run(manifest: Path, db: Path, monkeypatch: pytest.MonkeyPatch, **kw: object) -> str:
    """An audit that fails after one shard: its run id (resumable)."""
    with monkeypatch.context() as m:
        m.setenv("PROVENANCE_FAULT", "fail_after_shards:1")
        with pytest.raises(InternalError):
            audit(manifest, db, workers=1, **kw)  # type: ignore[arg-type]
    con = duckdb.connect(str(db), read_only=True)
    try:
        return str(con.execute("SELECT run_id FROM runs WHERE status = 'failed'").fetchone()[0])
    finally:
        con.close()


def test_resume_after_a_keyword_library_change_is_refused(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content_setup(corpus)
    manifest, db = corpus.write(), tmp_path / "d.duckdb"
    run_id = _failed_run(manifest, db, monkeypatch)
    library = corpus.root / "evidence/content/keywords.jsonl"
    library.write_text(library.read_text() + '{"keyword": "new", "risk": "A.1a"}\n')
    res = cli("audit", str(manifest), "--db", str(db), "--resume", run_id)
    refused(res, f"cannot resume run {run_id}", "keyword library", "start a new audit")
    library.write_text("".join(library.read_text().splitlines(True)[:-1]))  # restored
    assert audit(manifest, db, workers=1, resume=run_id).status == "complete"


def test_resume_after_a_pattern_file_change_is_refused(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipe = _pipeline(tmp_path, PATTERNS)
    manifest, db = corpus.write(), tmp_path / "d.duckdb"
    run_id = _failed_run(manifest, db, monkeypatch, pipeline=str(pipe))
    (tmp_path / "ours.toml").write_text(PATTERNS.replace("score = 0.6", "score = 0.7"))
    with pytest.raises(BadInput, match=r"scanners\.personal_information\.patterns"):
        audit(manifest, db, workers=1, pipeline=str(pipe), resume=run_id)


def test_a_run_resumes_with_another_memory_limit_not_another_partitioning(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``[reduce] memory_mib`` bounds DuckDB, not results: a run that ran out of memory
    resumes with a larger limit; ``partitions`` shapes where rows go, so it may not change."""
    from provenance.resources import pipeline_dir

    base = (pipeline_dir() / "pretraining.toml").read_text(encoding="utf-8")
    pipe = tmp_path / "p.toml"
    manifest, db = corpus.write(), tmp_path / "d.duckdb"
    pipe.write_text("[reduce]\nmemory_mib = 256\n\n" + base, encoding="utf-8")
    run_id = _failed_run(manifest, db, monkeypatch, pipeline=str(pipe))
    pipe.write_text("[reduce]\nmemory_mib = 300\npartitions = 8\n\n" + base, encoding="utf-8")
    with pytest.raises(BadInput, match=r"pipeline settings \(reduce\)"):
        audit(manifest, db, workers=1, pipeline=str(pipe), resume=run_id)
    pipe.write_text("[reduce]\nmemory_mib = 512\n\n" + base, encoding="utf-8")
    assert audit(manifest, db, workers=1, pipeline=str(pipe), resume=run_id).status == "complete"


def test_resume_under_another_pii_key_is_refused(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest, db = corpus.write(), tmp_path / "d.duckdb"
    run_id = _failed_run(manifest, db, monkeypatch)
    monkeypatch.setenv("PROVENANCE_PII_KEY", "another key")
    res = cli("audit", str(manifest), "--db", str(db), "--resume", run_id)
    err = refused(res, "the PII key (fingerprint", "PROVENANCE_PII_KEY")
    assert "another key" not in err


def test_pi_lookup_refuses_a_key_no_run_used(corpus: Corpus, tmp_path: Path) -> None:
    write_jsonl(corpus.root / "data/open/p.jsonl", [{"text": "电话 13812345678"}])
    db = tmp_path / "d.duckdb"
    audit(corpus.write(), db, workers=1)
    found = cli("pi", "lookup", "--db", str(db), "--value", "13812345678", "--format", "json")
    assert found.returncode == 0 and json.loads(found.stdout), found.stderr
    other = cli(
        "pi", "lookup", "--db", str(db), "--value", "13812345678",
        env={"PROVENANCE_PII_KEY": "not the audit key"},
    )  # fmt: skip
    refused(other, "is not the key any run", "PROVENANCE_PII_KEY")


def test_dask_workers_without_the_key_hash_like_a_local_run(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers started without PROVENANCE_PII_KEY (and with a key file of their own) scan
    under the coordinator's key: the hashes equal a local run's."""
    from dask.distributed import LocalCluster

    for i in range(3):
        write_jsonl(
            corpus.root / f"data/open/people{i}.jsonl",
            [{"text": f"联系手机1381234567{i}，邮箱 u{i}{j}@example.com"} for j in range(10)],
        )
    manifest = corpus.write()
    monkeypatch.setenv("PROVENANCE_PII_KEY_FILE", str(tmp_path / "workers-own.key"))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
        monkeypatch.setenv("PROVENANCE_PII_KEY", "the coordinator's key")  # after the spawn
        local = audit(manifest, tmp_path / "local.duckdb", workers=1)
        dask = audit(
            manifest, tmp_path / "dask.duckdb", executor="dask", scheduler=cluster.scheduler_address
        )
    assert local.status == dask.status == "complete"
    hashes = []
    for db in ("local.duckdb", "dask.duckdb"):
        con = duckdb.connect(str(tmp_path / db), read_only=True)
        try:
            hashes.append(con.execute("SELECT value_hash FROM pii_hits ORDER BY 1").fetchall())
        finally:
            con.close()
    assert hashes[0] and hashes[0] == hashes[1]
    assert not os.path.exists(tmp_path / "workers-own.key")  # no worker minted a key
