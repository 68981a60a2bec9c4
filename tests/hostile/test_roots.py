"""Where the audit may look (issue 9 item 4) and special files under a root (item 8, FIFO part).

Rule (README "Where data may live"): data roots and evidence resolve inside the manifest's
folder or an ``--allow-root`` folder; /proc, /sys, /dev and pseudo-filesystems never; the
planner never follows a folder link out of a root and never opens what is not a regular file.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from typing import Any

import duckdb
import pytest

from provenance.errors import BadInput
from provenance.manifest import load_manifest
from provenance.manifest.paths import compile_glob, glob_match, walk
from provenance.plan import make_plan
from tests.conftest import Corpus, cli, refused


def root_problem(corpus: Corpus, path: str, allow: list[Any] | None = None) -> str:
    """Load the corpus with its data root at ``path``; return the data_roots[0].path message."""
    corpus.manifest["data_roots"][0]["path"] = path
    with pytest.raises(BadInput) as info:
        load_manifest(corpus.write(), allow_roots=allow or [])
    found = {p.path: p.message for p in info.value.problems}
    assert "data_roots[0].path" in found, found
    return found["data_roots[0].path"]


def test_root_climbing_to_etc_is_refused(corpus: Corpus, tmp_path: Path) -> None:
    """Issue 9 item 4: `path: ../../../../etc` audited /etc and listed its file names; now
    exit 2 naming the field, the resolved path and the flag, and nothing is written."""
    corpus.manifest["data_roots"][0]["path"] = "../" * 40 + "etc"
    manifest = corpus.write()
    err = refused(cli("validate", str(manifest)), "data_roots[0].path", "/etc", "--allow-root")
    assert "resolves to /etc, outside the manifest's folder" in err
    db = tmp_path / "d.duckdb"
    err = refused(cli("audit", str(manifest), "--db", str(db)), "data_roots[0].path")
    assert "passwd" not in err and "hostname" not in err
    assert not db.exists()


def test_root_slash_is_refused_not_a_crash(corpus: Corpus) -> None:
    """Issue 9 item 4: `path: /` crashed with exit 3 on /proc; now exit 2 with the flag."""
    corpus.manifest["data_roots"][0]["path"] = "/"
    refused(cli("validate", str(corpus.write())), "data_roots[0].path", "--allow-root /")


@pytest.mark.parametrize("place", ["/proc", "/proc/self", "/sys/kernel", "/dev", "/dev/shm"])
def test_proc_sys_dev_are_never_allowed(corpus: Corpus, place: str) -> None:
    """Issue 9 item 4: /proc, /sys, /dev (and subtrees) are refused even with --allow-root /."""
    if not os.path.isdir(place):
        pytest.skip(f"{place} does not exist here")
    message = root_problem(corpus, place, allow=["/"])
    assert "never audited" in message


def test_allow_root_cannot_name_proc(corpus: Corpus) -> None:
    """Issue 9 item 4: `--allow-root /proc` itself is refused (exit 2), not silently ignored."""
    err = refused(cli("validate", str(corpus.write()), "--allow-root", "/proc"), "--allow-root")
    assert "never audited" in err


def test_allow_root_admits_a_folder_outside(corpus: Corpus, tmp_path: Path, run_audit: Any) -> None:
    """Issue 9 item 4: a root outside the manifest's folder needs --allow-root / allow_roots=,
    and then is audited normally (CLI and Python API)."""
    outside = tmp_path / "shared"
    shutil.move(corpus.root / "data", outside)
    corpus.manifest["data_roots"][0]["path"] = str(outside)
    message = root_problem(corpus, str(outside))
    assert f"--allow-root {outside}" in message
    manifest = corpus.write()
    res = cli("validate", str(manifest), "--allow-root", str(tmp_path))
    assert res.returncode == 0, res.stderr
    db = tmp_path / "cli.duckdb"
    res = cli(
        "audit", str(manifest), "--db", str(db), "--workers", "1", "--allow-root", str(outside)
    )
    assert res.returncode in (0, 1), res.stderr
    result, con = run_audit(manifest, allow_roots=[outside])
    assert result.files == 2
    assert con.execute("SELECT count(*) FROM files WHERE status = 'ok'").fetchone()[0] == 2


def test_root_that_is_a_symlink_out_of_the_folder_is_refused(
    corpus: Corpus, tmp_path: Path
) -> None:
    """Issue 9 item 4: containment is checked after symlinks: `data -> /elsewhere` is outside."""
    outside = tmp_path / "elsewhere"
    shutil.move(corpus.root / "data", outside)
    (corpus.root / "data").symlink_to(outside)
    message = root_problem(corpus, "data")
    assert f"resolves to {outside}" in message
    lm = load_manifest(corpus.write(), allow_roots=[outside])
    assert lm.roots["corpus"] == outside


def test_evidence_outside_the_folder_needs_allow_root(corpus: Corpus, tmp_path: Path) -> None:
    """Issue 9 item 4: evidence follows the same rule as data roots."""
    (tmp_path / "legal").mkdir()
    (tmp_path / "legal/LICENSE.txt").write_text("MIT\n")
    corpus.source("open")["evidence"] = [{"kind": "license", "path": "../legal/LICENSE.txt"}]
    manifest = corpus.write()
    err = refused(cli("validate", str(manifest)), "datasets[0].sources[0].evidence[0].path")
    assert f"--allow-root {tmp_path / 'legal'}" in err
    assert load_manifest(manifest, allow_roots=[tmp_path / "legal"]).manifest


def test_glob_never_follows_a_symlink_out_of_its_root(corpus: Corpus, run_audit: Any) -> None:
    """Issue 9 item 4: a folder link to /etc under a root is not followed (not listed, not
    read: reported as not followed); a file link out of the root is an error row, not read."""
    (corpus.root / "data/open/etc").symlink_to("/etc")
    (corpus.root / "data/open/hosts.jsonl").symlink_to("/etc/hosts")
    corpus.source("open")["files"] = [{"root": "corpus", "glob": "open/**/*", "format": "jsonl"}]
    _result, con = run_audit(corpus.write())
    paths = dict(con.execute("SELECT path, coalesce(error, '') FROM files").fetchall())
    assert not any(p.startswith("open/etc/") for p in paths), sorted(paths)
    assert "outside its data root" in paths["open/hosts.jsonl"]
    (evidence,) = con.execute(
        "SELECT evidence FROM findings WHERE code = 'orphan_files'"
    ).fetchone()
    assert '"open/etc"' in evidence


def test_symlink_to_proc_under_a_root_is_not_walked(corpus: Corpus) -> None:
    """Issue 9 item 4: the planner never descends into /proc, even through a link in a root."""
    (corpus.root / "data/open/p").symlink_to("/proc")
    corpus.source("open")["files"] = [{"root": "corpus", "glob": "**/*.jsonl"}]
    plan = make_plan(load_manifest(corpus.write()))
    assert not any("/p/" in f.relpath for f in plan.files)
    assert ("corpus", "open/p") in plan.orphans


def test_fifo_under_a_root_is_reported_and_never_opened(corpus: Corpus, tmp_path: Path) -> None:
    """Issue 9 item 8: a FIFO under a root was silently ignored (opening it would block for
    ever). A FIFO a glob matches is a `files` row with status error (so DOC-02 names it as
    unreadable); one no glob matches is an orphan (SRC-01 names it)."""
    os.mkfifo(corpus.root / "data/open/pipe.jsonl")
    os.mkfifo(corpus.root / "data/stray.fifo")
    db = tmp_path / "d.duckdb"
    res = cli("audit", str(corpus.write()), "--db", str(db), "--workers", "1", timeout=180)
    assert res.returncode in (0, 1), res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        status, error = con.execute(
            "SELECT status, error FROM files WHERE path = 'open/pipe.jsonl'"
        ).fetchone()
        assert status == "error" and "named pipe (FIFO)" in error and "never opened" in error
        found = con.execute(
            "SELECT code, subject_id, evidence FROM latest_findings "
            "WHERE code IN ('unreadable_file', 'orphan_files')"
        ).fetchall()
    assert ("unreadable_file", "corpus/open/pipe.jsonl") in [(c, s) for c, s, _ in found]
    assert any(c == "orphan_files" and '"stray.fifo"' in e for c, _, e in found)


def test_socket_device_link_and_broken_link_are_reported(corpus: Corpus) -> None:
    """Issue 9 item 8: sockets, device links and broken links are reported, never skipped."""
    data = corpus.root / "data/open"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(data / "s.jsonl"))
        (data / "null.jsonl").symlink_to("/dev/null")
        (data / "broken.jsonl").symlink_to(data / "absent")
        (corpus.root / "data/loop").symlink_to(corpus.root / "data/loop")
        plan = make_plan(load_manifest(corpus.write()))
    errors = {f.relpath: f.error or "" for f in plan.files}
    assert "a socket" in errors["open/s.jsonl"]
    assert "a symbolic link to a device" in errors["open/null.jsonl"]
    assert "broken symbolic link" in errors["open/broken.jsonl"]
    assert not any(f.shards for f in plan.files if f.error)
    assert ("corpus", "loop") in plan.orphans


def test_star_star_glob_over_a_deep_tree(corpus: Corpus) -> None:
    """Issue 9 hostile list: `**/**/**/**` over a deep tree matches like `**` (repeats
    collapse), linearly, instead of re-walking the tree once per `**`."""
    deep = corpus.root / "data/open"
    for level in range(120):
        deep = deep / "d"
        if level % 30 == 0:
            deep.mkdir(parents=True)
            (deep / f"f{level}.jsonl").write_text('{"text": "deep"}\n')
    deep.mkdir(parents=True, exist_ok=True)
    corpus.source("open")["files"] = [{"root": "corpus", "glob": "open/**/**/**/**/*.jsonl"}]
    plan = make_plan(load_manifest(corpus.write()))
    got = sorted(f.relpath for f in plan.files if f.source_id == "open")
    want = sorted(
        p.relative_to(corpus.root / "data").as_posix()
        for p in (corpus.root / "data/open").rglob("*.jsonl")
    )
    assert got == want and len(got) == 5


PATTERNS = [
    "*.jsonl",
    "a/*.jsonl",
    "**/*.jsonl",
    "a/**/*.jsonl",
    "**/b/*",
    "a/b/c.jsonl",
    "?/*.[jt]*",
    "**",
    "a/**",
    "*/*/*",
    "**/.hidden.jsonl",
    "./a/*.jsonl",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_glob_semantics_match_pathlib(tmp_path: Path, pattern: str) -> None:
    """Issue 9 item 4: the planner's own glob (one listing per root, no link following)
    matches regular files exactly as pathlib.Path.glob did."""
    for rel in ["x.jsonl", "a/y.jsonl", "a/b/c.jsonl", "a/b/d.txt", "b/e.txt", ".hidden.jsonl"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}\n")
    (tmp_path / "a/b/.hidden.jsonl").write_text("{}\n")
    want = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.glob(pattern) if p.is_file())
    _, compiled = compile_glob(pattern)
    got = sorted(e.rel for e in walk(tmp_path) if glob_match(compiled, e.parts))
    assert got == want


def test_a_file_url_root_is_the_folder_it_names(corpus: Corpus) -> None:
    """fsspec's local protocol (file:///abs/path) names the same folder as the plain path."""
    plain = make_plan(load_manifest(corpus.write()))
    root = corpus.manifest["data_roots"][0]
    root["path"] = (corpus.root / root["path"]).resolve().as_uri()
    assert root["path"].startswith("file:///")
    by_url = make_plan(load_manifest(corpus.write("url.yaml")))
    assert [f.path for f in by_url.files] == [f.path for f in plain.files]


@pytest.mark.parametrize(
    "url, needle",
    [
        ("s3://bucket/corpus", "s3fs"),  # not installed on this machine: what to install
        ("gs://b/c", "gcsfs"),
        ("file://otherhost/data", "file:///"),
        ("http://example.com/data", "not an accepted storage protocol"),
        ("ftp://example.com/data", "not an accepted storage protocol"),
        ("zip::file:///tmp/x.zip", "chained"),
        ("simplecache::s3://b/c", "chained"),
        ("file:///tmp/../etc", "'..'"),
        ("file:///tmp/data?x=1", "query"),
    ],
)
def test_a_url_root_not_read_is_a_clear_error(corpus: Corpus, url: str, needle: str) -> None:
    corpus.manifest["data_roots"][0]["path"] = url
    with pytest.raises(BadInput) as err:
        load_manifest(corpus.write())
    text = str(err.value)
    assert "data_roots[0].path" in text and needle in text, text
