"""Issue 9 items 12 and 13: process hygiene (kill -9, Ctrl-C) and "exit 2 writes nothing"."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import Corpus, write_jsonl

AUDIT = [sys.executable, "-m", "provenance", "audit"]


def _children() -> dict[int, int]:
    """pid -> parent pid of every process on the machine (from /proc)."""
    out: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            out[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    return out


def _descendants(pid: int) -> set[int]:
    parents = _children()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _big_corpus(corpus: Corpus, files: int = 16, rows: int = 2500) -> Path:
    """Enough shards that a 2-worker audit is still scanning a few seconds after it starts.
    Records are random word strings (seeded): no two are near-duplicates, so the run-level
    duplicate search stays small."""
    rng = random.Random(9)
    vocab = [f"w{n}" for n in range(5000)] + ["数据", "个人信息", "合规", "审计"]
    for i in range(files):
        write_jsonl(
            corpus.root / f"data/open/big{i:02d}.jsonl",
            [{"text": " ".join(rng.choices(vocab, k=60))} for _ in range(rows)],
        )
    return corpus.write()


def _start(manifest: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "provenance",
            "audit",
            str(manifest),
            "--db",
            str(db),
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal job would be
    )


def _wait_for_workers(proc: subprocess.Popen[str], n: int = 3, limit: float = 60.0) -> set[int]:
    """Wait until the audit has a forkserver and workers (≥ n descendants)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        kids = _descendants(proc.pid)
        if len(kids) >= n:
            time.sleep(1.0)  # let the workers take their first shards
            return _descendants(proc.pid)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"audit started no workers: {proc.communicate()}")


@pytest.mark.slow
def test_kill_9_leaves_no_worker_behind(corpus: Corpus, tmp_path: Path) -> None:
    """Item 12: SIGKILL of `audit --workers 2` used to leave the forkserver, both workers and
    the resource tracker running. Every descendant must be gone within a few seconds."""
    proc = _start(_big_corpus(corpus), tmp_path / "d.duckdb")
    kids = _wait_for_workers(proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(k) for k in kids):
        time.sleep(0.2)
    survivors = [k for k in kids if _alive(k)]
    for k in survivors:  # do not leak them into the rest of the suite
        os.kill(k, signal.SIGKILL)
    assert not survivors, f"processes outlived the killed audit: {survivors}"


@pytest.mark.slow
def test_ctrl_c_exits_130_with_resume_hint_and_resumes(corpus: Corpus, tmp_path: Path) -> None:
    """Item 12: Ctrl-C (SIGINT to the process group) with 2 workers printed three tracebacks and
    exited 3. Now: exit 130, one line with the exact --resume command, no traceback, workers
    gone, and the resumed run completes with the findings of an uninterrupted run."""
    manifest = _big_corpus(corpus)
    db = tmp_path / "d.duckdb"
    proc = _start(manifest, db)
    kids = _wait_for_workers(proc)
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stdout + stderr
    assert "Traceback" not in stderr and "Aborted" not in stderr, stderr
    assert "--resume" in stderr, stderr
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(k) for k in kids):
        time.sleep(0.2)
    assert not [k for k in kids if _alive(k)]
    run_id = stderr.split("--resume", 1)[1].split()[0]
    with duckdb.connect(str(db), read_only=True) as con:
        status = con.execute("SELECT status FROM runs WHERE run_id = ?", [run_id]).fetchone()
    assert status == ("failed",)
    resumed = subprocess.run(
        [*AUDIT, str(manifest), "--db", str(db), "--workers", "2", "--resume", run_id],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode in (0, 1), resumed.stdout + resumed.stderr
    fresh = tmp_path / "fresh.duckdb"
    again = subprocess.run(
        [*AUDIT, str(manifest), "--db", str(fresh), "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == resumed.returncode
    query = (
        "SELECT check_id, code, severity, subject_id FROM findings WHERE run_id = ? ORDER BY ALL"
    )
    with duckdb.connect(str(db), read_only=True) as con:
        got = con.execute(query, [run_id]).fetchall()
    with duckdb.connect(str(fresh), read_only=True) as con:
        other = con.execute("SELECT run_id FROM runs").fetchone()
        assert other is not None
        want = con.execute(query, [other[0]]).fetchall()
    assert got == want


@pytest.mark.parametrize(
    "args",
    [
        ["--resume", "bogus"],
        ["--pipeline", "no-such-pipeline"],
        ["--executor", "nope"],
        ["--workers", "0"],
    ],
)
def test_refused_audit_writes_nothing(corpus: Corpus, tmp_path: Path, args: list[str]) -> None:
    """Item 13: `audit --db new/sub/x.duckdb --resume bogus` exited 2 but created the folders and
    an empty 800 KB dossier. A refused audit (exit 2) creates no folder and no file."""
    db = tmp_path / "new" / "sub" / "x.duckdb"
    res = subprocess.run(
        [sys.executable, "-m", "provenance", "audit", str(corpus.write()), "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 2, res.stdout + res.stderr
    assert not (tmp_path / "new").exists()


def test_refused_manifest_writes_nothing(corpus: Corpus, tmp_path: Path) -> None:
    """Item 13: a manifest error stops before any folder or dossier exists."""
    corpus.manifest["datasets"][0]["sources"][0]["license"] = 42
    db = tmp_path / "new" / "x.duckdb"
    res = subprocess.run(
        [sys.executable, "-m", "provenance", "audit", str(corpus.write()), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 2, res.stdout + res.stderr
    assert not (tmp_path / "new").exists()
