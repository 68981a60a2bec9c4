"""The CLI contract: exit codes, validate, runs, read-only sql, and the demo end to end."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import Corpus, cli

ROOT = Path(__file__).parents[1]


def test_exit_0_on_clean_corpus_and_sql(corpus: Corpus, tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    res = cli("audit", str(corpus.write()), "--db", str(db), "--workers", "1")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "PASS" in res.stdout and str(db) in res.stdout
    res = cli(
        "sql",
        "--db",
        str(db),
        "--format",
        "json",
        "SELECT article, severity, count(*) AS n FROM findings GROUP BY ALL ORDER BY ALL",
    )
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    assert rows and all(set(r) == {"article", "severity", "n"} for r in rows)


def test_exit_1_on_blocking_findings(corpus: Corpus, tmp_path: Path) -> None:
    corpus.source("open")["license"] = None
    res = cli("audit", str(corpus.write()), "--db", str(tmp_path / "d.duckdb"), "--workers", "1")
    assert res.returncode == 1
    assert "FAIL" in res.stdout and "SRC-05" in res.stdout and "未声明许可证" in res.stdout


def test_exit_2_on_bad_manifest_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("manifest_version: 2\n")
    db = tmp_path / "d.duckdb"
    res = cli("audit", str(bad), "--db", str(db))
    assert res.returncode == 2
    assert "manifest_version" in res.stderr and "provider" in res.stderr
    assert not db.exists()
    res = cli("validate", str(bad))
    assert res.returncode == 2
    res = cli("audit", str(tmp_path / "absent.yaml"), "--db", str(db))
    assert res.returncode == 2 and "not found" in res.stderr


def test_exit_2_on_unknown_pipeline_and_check(corpus: Corpus, tmp_path: Path) -> None:
    manifest = corpus.write()
    res = cli("audit", str(manifest), "--db", str(tmp_path / "d.duckdb"), "--pipeline", "nonesuch")
    assert res.returncode == 2 and "pretraining" in res.stderr and "fine_tuning" in res.stderr
    pipe = tmp_path / "p.toml"
    pipe.write_text("[checks.source_coverage]\n[checks.licence_magic]\n[scanners.nope]\n")
    res = cli("audit", str(manifest), "--db", str(tmp_path / "d.duckdb"), "--pipeline", str(pipe))
    assert res.returncode == 2
    listed = res.stderr.split("unknown check; known checks: ", 1)[1].split("\n", 1)[0]
    assert {"crawl_compliance", "deny_list", "licenses", "personal_information"} <= set(
        listed.strip().split(", ")
    )
    assert "unknown scanner; known scanners: corpus_stats, file_stats" in res.stderr


def test_validate_ok(corpus: Corpus) -> None:
    res = cli("validate", str(corpus.write()))
    assert res.returncode == 0 and "2 source(s)" in res.stdout


def test_sql_is_read_only(corpus: Corpus, tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    assert cli("audit", str(corpus.write()), "--db", str(db), "--workers", "1").returncode == 0
    res = cli("sql", "--db", str(db), "DELETE FROM findings")
    assert res.returncode == 2 and "read-only" in res.stderr.lower()
    res = cli("sql", "--db", str(db), "SELEC nonsense")
    assert res.returncode == 2 and "query failed" in res.stderr
    res = cli("sql", "--db", str(tmp_path / "none.duckdb"), "SELECT 1")
    assert res.returncode == 2 and "no dossier" in res.stderr


def test_demo_end_to_end(tmp_path: Path) -> None:
    """`make demo`'s audit: complete run, Art. 7(1) findings in both languages, exit 1, plain duckdb reads it."""
    db = tmp_path / "demo.duckdb"
    res = cli("audit", "examples/demo/manifest.yaml", "--db", str(db), "--workers", "2", cwd=ROOT)
    assert res.returncode == 1, res.stdout + res.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT status, exit_code FROM runs").fetchall() == [("complete", 1)]
        codes = {
            r[0]
            for r in con.execute(
                "SELECT code FROM latest_findings WHERE article = '7(1)'"
            ).fetchall()
        }
        expected = {
            "orphan_files",
            "deny_listed_domain",
            "deny_listed_id",
            "robots_disallowed",
            "robots_snapshot_missing",
            "contract_period_gap",
            "model_not_filed",
        }
        assert expected <= codes, expected - codes
        assert con.execute(
            "SELECT count(*) FROM latest_findings WHERE message_zh = ''"
        ).fetchone() == (0,)
        files = dict(con.execute("SELECT path, status FROM files").fetchall())
        # the truncated shard: its 4 records before the cut count, the damage is a finding
        assert con.execute(
            "SELECT subject_id FROM latest_findings WHERE code = 'damaged_file'"
        ).fetchall() == [("corpus/zh_web/part-002.jsonl.gz",)]
        assert sum(s == "ok" for s in files.values()) == 9
        assert con.execute("SELECT sum(records) FROM files WHERE status = 'ok'").fetchone() == (
            4144,
        )
    finally:
        con.close()


def test_demo_corpus_generator_is_deterministic(tmp_path: Path) -> None:
    def tree(root: Path) -> dict[str, str]:
        return {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    for out in ("a", "b"):
        subprocess.run(
            [sys.executable, str(ROOT / "examples/make_demo.py"), str(tmp_path / out)], check=True
        )
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    committed = tree(ROOT / "examples/demo")
    generated = tree(tmp_path / "a")
    # Parquet embeds the writer's version; every other committed file must match byte for byte.
    for name, digest in generated.items():
        if not name.endswith(".parquet"):
            assert committed.get(name) == digest, name
