"""Second runs and resumes give the same duplicates as one run into a fresh dossier (issue 10,
first bullet), and deriving LSH bands from stored signatures finds the same candidates as the
band table it replaced (issue 9, item 14)."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest

from provenance import audit
from provenance.checks.base import VIEW_PREFIX
from provenance.checks.neardup import candidate_pairs
from provenance.errors import InternalError
from provenance.profile import TIMING_COLUMNS
from provenance.shingles import band_hashes
from provenance.store import Store
from tests.conftest import Corpus, write_jsonl


def plant_duplicates(c: Corpus, files: int = 4, records: int = 25, seed: int = 3) -> None:
    """Files of 80-word records with near duplicates (one word edited) and exact copies,
    within a file, across files and across the two sources."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghij") for _ in range(6)) for _ in range(2000)]
    base = [" ".join(rng.choice(vocab) for _ in range(80)) for _ in range(40)]
    for f in range(files):
        rows = []
        for _ in range(records):
            t = rng.choice(base) if rng.random() < 0.5 else " ".join(rng.sample(vocab, 80))
            if rng.random() < 0.5:
                words = t.split()
                words[rng.randrange(80)] = "edited"
                t = " ".join(words)
            rows.append({"text": t})
        write_jsonl(c.root / f"data/open/dup{f}.jsonl", rows)


def duplicates(db: Path, run_id: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            """SELECT cluster_id, file_id, record_key, kind, similarity FROM duplicates
               WHERE run_id = ? ORDER BY ALL""",
            [run_id],
        ).fetchall()
    finally:
        con.close()


@pytest.fixture
def planted(corpus: Corpus) -> Path:
    plant_duplicates(corpus)
    return corpus.write()


def test_second_run_into_one_dossier_finds_the_same_duplicates(
    planted: Path, tmp_path: Path
) -> None:
    """Issue 10, first bullet: records tied with their copies from the earlier run."""
    fresh = tmp_path / "fresh.duckdb"
    alone = duplicates(fresh, audit(planted, fresh, workers=1).run_id)
    assert {r[3] for r in alone} == {"exact", "near"}
    shared = tmp_path / "shared.duckdb"
    first = audit(planted, shared, workers=1).run_id
    second = audit(planted, shared, workers=1).run_id
    assert duplicates(shared, first) == alone
    assert duplicates(shared, second) == alone


def test_resumed_run_finds_the_same_duplicates(
    planted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10, first bullet: an interrupted-then-resumed run equals an uninterrupted one."""
    fresh = tmp_path / "fresh.duckdb"
    alone = duplicates(fresh, audit(planted, fresh, workers=1).run_id)
    db = tmp_path / "resumed.duckdb"
    audit(planted, db, workers=1)  # an earlier complete run in the same dossier
    monkeypatch.setenv("PROVENANCE_FAULT", "fail_after_shards:2")
    with pytest.raises(InternalError, match="--resume"):
        audit(planted, db, workers=1)
    monkeypatch.delenv("PROVENANCE_FAULT")
    con = duckdb.connect(str(db), read_only=True)
    failed = con.execute("SELECT run_id FROM runs WHERE status = 'failed'").fetchone()[0]
    con.close()
    resumed = audit(planted, db, workers=1, resume=failed)
    assert resumed.shards_resumed == 2
    assert duplicates(db, failed) == alone


def test_bands_sliced_from_signatures_equal_the_stored_band_hashes(
    planted: Path, tmp_path: Path
) -> None:
    """Issue 9, item 14: no band table, the same LSH candidate pairs as grouping band hashes."""
    db = tmp_path / "d.duckdb"
    run_id = audit(planted, db, workers=1).run_id
    store = Store(db)
    store.scope_views(run_id, ("runs", "record_hashes", "minhash_signatures"), VIEW_PREFIX)
    con = store.con
    try:
        assert not con.execute(
            "SELECT * FROM duckdb_tables() WHERE table_name = 'minhash_bands'"
        ).fetchall()

        def sql(q: str, p: list[Any]) -> list[tuple[Any, ...]]:
            return con.execute(q, p).fetchall()

        table = candidate_pairs(lambda q, p: con.sql(q, params=p).to_arrow_table(), 10_000_000)
        got = [tuple(r.values()) for r in table.to_pylist()]
        # the removed design: FNV band hashes of every exact-duplicate representative
        reps = sql(
            """SELECT s.file_id, s.record_key, s.signature FROM minhash_signatures s
               JOIN record_hashes r USING (run_id, file_id, record_key) WHERE s.run_id = ?
               QUALIFY row_number() OVER (PARTITION BY r.exact_hash
                                          ORDER BY s.file_id, s.record_key) = 1""",
            [run_id],
        )
    finally:
        store.close()
    sig = np.stack([np.frombuffer(r[2], dtype=np.uint32) for r in reps])
    buckets: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
    for (fid, key, _), row in zip(reps, band_hashes(sig, 32), strict=True):
        for band, h in enumerate(row):
            buckets[(band, int(h))].append((fid, key))
    expected = {(*a, *b) for m in buckets.values() for a in m for b in m if a < b}
    assert expected and set(got) == expected
    assert got == sorted(got)  # sorted: cluster ids are reproducible


def run_rows(db: Path, run_id: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows of one run, without the columns that name the run or its time."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out: dict[str, list[tuple[Any, ...]]] = {}
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_columns() WHERE column_name = 'run_id' "
                "AND table_name <> 'runs' AND table_name IN (SELECT table_name FROM "
                "duckdb_tables()) GROUP BY ALL ORDER BY ALL"
            ).fetchall()
        ]
        for table in tables:
            cols = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                    "AND column_name NOT IN ('run_id', 'finding_id', 'finished_at') "
                    "AND NOT list_contains(?, column_name) ORDER BY column_index",
                    [table, list(TIMING_COLUMNS)],
                ).fetchall()
            ]
            select = ", ".join(f'"{c}"' for c in cols)
            out[table] = con.execute(
                f'SELECT {select} FROM "{table}" WHERE run_id = ? ORDER BY ALL', [run_id]
            ).fetchall()
        return out
    finally:
        con.close()


@pytest.mark.names
def test_two_runs_into_one_dossier_give_identical_tables(planted: Path, tmp_path: Path) -> None:
    """Issue 10, item 4: every table (findings, stats, pii_summary, duplicates, assessment and
    the scanner tables) holds the same rows for a second run as for the first."""
    people = [{"text": f"联系人 {i}: user{i}@example.com, 13812345{i:03d}"} for i in range(12)]
    write_jsonl(planted.parent / "data/open/people.jsonl", people)
    db = tmp_path / "shared.duckdb"
    first = audit(planted, db, workers=1).run_id
    second = audit(planted, db, workers=1).run_id
    a, b = run_rows(db, first), run_rows(db, second)
    assert a.keys() == b.keys()
    for table in a:
        assert a[table] == b[table], table
    for table in ("findings", "stats", "pii_summary", "duplicates", "assessment", "files"):
        assert a[table], f"{table} is empty: the comparison would prove nothing"


def test_a_crash_in_the_check_phase_leaves_no_findings_and_resumes(
    planted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check phase is one transaction: the findings and rows of the checks that ran before
    the crash are rolled back, the run stays resumable, and the resume equals a clean run."""
    from provenance.checks.assessment import Assessment

    db = tmp_path / "d.duckdb"
    clean = run_rows(db, audit(planted, db, workers=1).run_id)

    def boom(self: Assessment, ctx: Any) -> None:
        raise RuntimeError("injected failure in the final phase")

    with monkeypatch.context() as patched:
        patched.setattr(Assessment, "check", boom)
        with pytest.raises(InternalError, match="--resume"):
            audit(planted, db, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    failed = con.execute("SELECT run_id FROM runs WHERE status = 'failed'").fetchone()[0]
    counts = [
        con.execute(f"SELECT count(*) FROM {t} WHERE run_id = ?", [failed]).fetchone()[0]
        for t in ("findings", "stats", "duplicates", "assessment")
    ]
    con.close()
    assert counts == [0, 0, 0, 0]
    resumed = audit(planted, db, workers=1, resume=failed)
    assert resumed.shards_resumed == resumed.shards_total
    assert run_rows(db, failed) == clean
