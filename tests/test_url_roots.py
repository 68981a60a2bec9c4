"""Data roots read through fsspec (issue 14 item 4): the same corpus audited from a plain folder
and from a ``file://`` URL (fsspec's local filesystem, which worker processes see) gives the
same dossier, with local and Dask workers, a gzip file, a split Parquet file and a large JSONL
read in byte ranges; an object store's listing (fsspec's in-memory filesystem standing in for
s3://, in-process) gives the same file ids; URLs outside the allow-list are refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from provenance import audit
from provenance.errors import BadInput
from provenance.manifest import load_manifest
from provenance.plan import make_plan
from provenance.resources import pipeline_dir
from provenance.storage import open_input
from tests.conftest import Corpus, cli, refused, write_jsonl
from tests.test_same_dossier import _corpus, _found


def _mixed(corpus: Corpus) -> Path:
    """The same-dossier corpus plus a Parquet file of several row groups and a large JSONL."""
    _corpus(corpus)
    rows = [{"text": f"parquet record {i} " + "w7 " * (i % 13), "id": f"p{i}"} for i in range(60)]
    (corpus.root / "data/pq").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows), corpus.root / "data/pq/t.parquet", row_group_size=15)
    big = [{"text": f"long file line {i} " + "w9 " * (i % 40)} for i in range(400)]
    big += [{"text": "电话 13812345678 mail big@example.com"}]
    write_jsonl(corpus.root / "data/big/big.jsonl", big)
    corpus.add_source(
        {
            "id": "tables",
            "source_type": "open_source",
            "origin": {"region": "foreign", "country": "US"},
            "license": "CC0-1.0",
            "files": [
                {"root": "corpus", "glob": "pq/*.parquet", "id_field": "id"},
                {"root": "corpus", "glob": "big/*.jsonl"},
            ],
        }
    )
    return corpus.write()


def _small_shards(tmp: Path) -> Path:
    """The pretraining pipeline with 4 KiB shards: the large JSONL splits into byte ranges and
    the Parquet file into row-group ranges."""
    text = (pipeline_dir() / "pretraining.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^shard_bytes = \d+", "shard_bytes = 4096", text)
    path = tmp / "small.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _as_url(corpus: Corpus, url: str, name: str) -> Path:
    corpus.manifest["data_roots"][0]["path"] = url
    return corpus.write(name)


def test_a_file_url_root_is_read_through_fsspec_to_the_same_dossier(
    corpus: Corpus, tmp_path: Path
) -> None:
    plain = _mixed(corpus)
    url = _as_url(corpus, (corpus.root / "data").resolve().as_uri(), "url.yaml")
    pipeline = str(_small_shards(tmp_path))
    by_path, by_url = (
        make_plan(load_manifest(plain), 1 << 20, 4096),
        make_plan(load_manifest(url), 1 << 20, 4096),
    )
    # same ids, sizes and shards; only the way they are opened differs
    assert [(f.file_id, f.bytes) for f in by_url.files] == [
        (f.file_id, f.bytes) for f in by_path.files
    ]
    assert {s.protocol for s in by_path.shards} == {None}
    assert {s.protocol for s in by_url.shards} == {"file"}
    assert any(s.byte_range for s in by_url.shards) and any(s.row_groups for s in by_url.shards)
    assert any(s.compression == "gzip" for s in by_url.shards)
    runs = {
        "plain1": audit(plain, tmp_path / "p1.duckdb", workers=1, pipeline=pipeline),
        "url2": audit(url, tmp_path / "u2.duckdb", workers=2, pipeline=pipeline),
        "url_dask2": audit(
            url, tmp_path / "d2.duckdb", workers=2, executor="dask", pipeline=pipeline
        ),
    }
    found = {name: _found(r.db_path) for name, r in runs.items()}
    base = found["plain1"]
    assert base["duplicates"] and base["pii_hits"]
    assert all(row[1] == "ok" for row in base["files"]), base["files"]
    for name in ("url2", "url_dask2"):
        for table, rows in base.items():
            assert found[name][table] == rows, (name, table)


def test_attaching_to_a_running_scheduler_with_a_file_url_root(
    corpus: Corpus, tmp_path: Path
) -> None:
    """``--dask-scheduler`` as a user runs it (the CLI) against a cluster already running (as
    on a shared cluster: started apart, its workers the cluster's own processes), the data
    given as a ``file://`` URL every worker opens through fsspec: the dossier of a plain local
    run, and the cluster is still up afterwards (the audit closes its client, not the cluster)."""
    from dask.distributed import Client, LocalCluster

    plain = _mixed(corpus)
    url = _as_url(corpus, (corpus.root / "data").resolve().as_uri(), "url.yaml")
    pipeline = str(_small_shards(tmp_path))
    ref = audit(plain, tmp_path / "p.duckdb", workers=1, pipeline=pipeline)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster:
        db = tmp_path / "attached.duckdb"
        res = cli(
            "audit", str(url), "--db", str(db), "--pipeline", pipeline,
            "--executor", "dask", "--dask-scheduler", cluster.scheduler_address,
        )  # fmt: skip
        assert res.returncode in (0, 1), res.stderr[-2000:]
        with Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
    assert _found(db) == _found(ref.db_path)


def test_open_input_goes_through_fsspec_only_for_a_url(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x\n")
    with open_input(str(path), None) as fh:
        assert type(fh).__module__ == "_io"  # the local fast path: no fsspec
    with open_input(str(path), "file") as fh:
        assert type(fh).__module__.startswith("fsspec") and fh.read() == b"x\n"


@pytest.mark.parametrize(
    "url, needles",
    [
        ("http://example.com/corpus", ("not an accepted storage protocol", "s3://")),
        ("zip::file:///tmp/corpus.zip", ("chained",)),
        ("s3://bucket/corpus", ("s3fs", "pip install")),
        ("s3://AKIA:secret@bucket/corpus", ("credentials",)),
    ],
)
def test_refused_urls_exit_2(corpus: Corpus, url: str, needles: tuple[str, ...]) -> None:
    manifest = _as_url(corpus, url, "bad.yaml")
    refused(cli("validate", str(manifest)), "data_roots[0].path", *needles)


def test_a_glob_climbing_out_of_a_url_root_is_refused(corpus: Corpus) -> None:
    corpus.source("open")["files"][0]["glob"] = "../evidence/*.txt"
    manifest = _as_url(corpus, (corpus.root / "data").resolve().as_uri(), "climb.yaml")
    refused(cli("validate", str(manifest)), "may not contain '..'")


def test_a_file_url_root_keeps_the_folder_rules(corpus: Corpus, tmp_path: Path) -> None:
    """A file:// root outside the manifest's folder needs --allow-root, as a path does; a link
    to a folder under it is not followed."""
    outside = tmp_path / "elsewhere"
    write_jsonl(outside / "open/x.jsonl", [{"text": "outside"}])
    manifest = _as_url(corpus, outside.as_uri(), "out.yaml")
    refused(cli("validate", str(manifest)), "--allow-root")
    assert cli("validate", str(manifest), "--allow-root", str(outside)).returncode == 0
    (outside / "open/linked").symlink_to(corpus.root / "evidence", target_is_directory=True)
    corpus.source("open")["files"][0]["glob"] = "open/**/*"
    lm = load_manifest(corpus.write("out.yaml"), allow_roots=[outside.as_uri()])
    plan = make_plan(lm)
    assert [f.relpath for f in plan.files] == ["open/x.jsonl"]
    assert ("corpus", "open/linked") in plan.orphans  # reported, not entered


@pytest.fixture
def memory_store(monkeypatch: pytest.MonkeyPatch) -> Any:
    """fsspec's in-memory filesystem allowed as if it were an object store (this process only:
    it is on no allow-list outside tests, and worker processes would not see it)."""
    import fsspec

    from provenance import storage

    monkeypatch.setitem(storage.PROTOCOLS, "memory", None)
    fs = fsspec.filesystem("memory")
    yield fs
    if fs.exists("/bucket"):
        fs.rm("/bucket", recursive=True)


def test_an_object_store_root_is_listed_and_read_through_fsspec(
    corpus: Corpus, tmp_path: Path, memory_store: Any
) -> None:
    plain = _mixed(corpus)
    for path in sorted((corpus.root / "data").rglob("*")):
        if path.is_file():
            rel = path.relative_to(corpus.root / "data").as_posix()
            memory_store.pipe(f"/bucket/corpus/{rel}", path.read_bytes())
    manifest = _as_url(corpus, "memory://bucket/corpus", "mem.yaml")
    with pytest.raises(BadInput) as err:  # no bucket is reachable unless the user allows it
        load_manifest(manifest)
    assert "--allow-root memory://bucket/corpus" in str(err.value)
    allow = ["memory://bucket"]
    plan = make_plan(load_manifest(manifest, allow_roots=allow))
    by_path = make_plan(load_manifest(plain))
    ok = [(f.file_id, f.relpath, f.bytes) for f in plan.files if f.error is None]
    assert ok == [(f.file_id, f.relpath, f.bytes) for f in by_path.files]
    assert all(f.mtime_ns > 0 for f in plan.files if f.error is None)  # from "created"
    assert {s.protocol for s in plan.shards} == {"memory"}
    # an in-process audit (one worker) opens every shard through fsspec
    mem = audit(manifest, tmp_path / "m.duckdb", workers=1, allow_roots=allow)
    ref = audit(plain, tmp_path / "p.duckdb", workers=1)
    assert _found(mem.db_path) == _found(ref.db_path)


def test_a_key_with_dot_dot_segments_is_reported_not_opened(memory_store: Any) -> None:
    from provenance.listing import list_url
    from provenance.storage import Location

    memory_store.pipe("/bucket/c/a/../b.jsonl", b"{}\n")
    memory_store.pipe("/bucket/c/a/ok.jsonl", b"{}\n")
    entries, stats = list_url(Location("memory", "bucket/c"))
    listed = {e.rel: e.problem for e in entries}
    assert listed["a/ok.jsonl"] is None and ("a", "ok.jsonl") in stats
    bad = [why for rel, why in listed.items() if ".." in rel]
    assert bad and all(why and "'..'" in why for why in bad), listed
