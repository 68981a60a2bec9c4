"""The Article 19 explanation (issue 13 item 2): every element, and figures that reconcile.

On the demo dossier (tests/conftest.py ``demo_dossier``), through the CLI as an inspector would
query it and through the views directly: per source name, URL, type, origin, licence, legal
basis, collection period, crawler, counterparty, upstream, files, records, characters, tokens
and shares; per stage totals; content types and modalities; annotation rules with sections and
metrics; the declared algorithm text in both languages; the pipeline that ran. Totals
reconcile with ``files`` and ``file_stats``; unreadable and unclaimed files are counted apart.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import Corpus, cli, write_jsonl

ELEMENTS = {
    "dataset_id", "stage", "modality", "source_id", "name", "url", "source_type", "origin",
    "country", "content_type", "license", "legal_basis", "collection_start", "collection_end",
    "crawler", "counterparty", "upstream", "files", "unreadable_files", "bytes_on_disk",
    "records", "characters", "text_bytes", "tokens", "share_of_stage", "share_of_corpus",
}  # fmt: skip


def _topics(db: Path, run_id: str) -> dict[str, Any]:
    res = cli("sql", "--db", str(db), "FROM article19", "--format", "json")
    assert res.returncode == 0, res.stderr[-2000:]
    rows = [r for r in json.loads(res.stdout) if r["run_id"] == run_id]
    return {
        r["topic"]: json.loads(r["content"]) if isinstance(r["content"], str) else r["content"]
        for r in rows
    }


def test_article19_lists_every_element_on_the_demo(demo_dossier: tuple[Path, str]) -> None:
    db, run_id = demo_dossier
    topics = _topics(db, run_id)
    assert set(topics) == {
        "sources", "scale", "types", "annotation_rules", "algorithm", "processing"
    }  # fmt: skip
    sources = {s["source_id"]: s for s in topics["sources"]}
    assert all(set(s) >= ELEMENTS for s in sources.values())
    crawl = sources["zh-web-crawl"]
    assert crawl["crawler"] and crawl["collection_start"] and crawl["content_type"] == "web"
    assert sources["commercial-news"]["counterparty"]
    assert {s["stage"] for s in sources.values()} == {"pretraining", "fine_tuning"}
    stages = {g["stage"]: g for g in topics["scale"]["stages"]}
    for stage, g in stages.items():
        members = [s for s in sources.values() if s["stage"] == stage]
        assert g["tokens"] == sum(s["tokens"] for s in members)
        assert sum(s["share_of_stage"] for s in members) == pytest.approx(1.0)
    assert sum(g["share_of_corpus"] for g in stages.values()) == pytest.approx(1.0)
    assert {c["content_type"] for c in topics["types"]["content_types"]} >= {"web", "news", "chat"}
    assert topics["types"]["modalities"]
    rules = topics["annotation_rules"]["rules"]
    assert rules and all("sections" in r for r in rules)
    assert {m["metric"] for m in topics["annotation_rules"]["metrics"]} >= {
        "manual_verification_ratio"
    }
    algorithm = topics["algorithm"]
    assert (
        "Transformer" in algorithm["description_zh"] and "transformer" in algorithm["description"]
    )
    assert algorithm["foundation_models"]
    processing = topics["processing"]
    assert processing["scanner_versions"]["personal_information"]
    assert processing["checks"]["duplicates"]["threshold"] > 0


def _reconcile(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """Every figure of the Article 19 views against the tables it summarises."""

    def one(sql: str) -> Any:
        row = con.execute(sql, [run_id] * sql.count("?")).fetchone()
        assert row is not None
        return row[0] or 0

    on_disk = one("SELECT sum(bytes) FROM files WHERE run_id = ?")
    parts = dict(
        con.execute(
            "SELECT part, bytes_on_disk FROM storage_reconciliation WHERE run_id = ?", [run_id]
        ).fetchall()
    )
    assert parts.get("read", 0) + parts.get("unreadable", 0) == on_disk
    assert parts.get("unclaimed", 0) == one(
        "SELECT sum(bytes) FROM unclaimed_files WHERE run_id = ?"
    )
    read = one("SELECT sum(bytes_on_disk) FROM article19_sources WHERE run_id = ?")
    unreadable = one("SELECT sum(unreadable_bytes) FROM article19_sources WHERE run_id = ?")
    assert read == parts.get("read", 0) and unreadable == parts.get("unreadable", 0)
    assert one("SELECT sum(files + 0) FROM article19_sources WHERE run_id = ?") == one(
        "SELECT count(*) FROM files WHERE run_id = ?"
    )
    records = one("SELECT sum(records) FROM article19_sources WHERE run_id = ?")
    assert records == one("SELECT sum(records) FROM files WHERE run_id = ? AND status <> 'error'")
    assert records == one(
        "SELECT sum(records) FROM file_stats WHERE run_id = ? AND file_id IN "
        "(SELECT file_id FROM files WHERE run_id = ? AND status <> 'error')"
    )
    assert one("SELECT sum(tokens) FROM article19_stages WHERE run_id = ?") == one(
        "SELECT sum(tokens) FROM article19_sources WHERE run_id = ?"
    )


def test_demo_figures_reconcile(demo_dossier: tuple[Path, str]) -> None:
    db, run_id = demo_dossier
    con = duckdb.connect(str(db), read_only=True)
    try:
        _reconcile(con, run_id)
        # the demo has a stray file no source claims (examples/make_demo.py)
        assert con.execute(
            "SELECT count(*) FROM unclaimed_files WHERE run_id = ?", [run_id]
        ).fetchone() == (1,)
    finally:
        con.close()


def test_unreadable_and_unclaimed_bytes_are_shown_apart(corpus: Corpus, run_audit: Any) -> None:
    (corpus.root / "data/open/broken.jsonl.gz").write_bytes(b"\x1f\x8b\x08 not gzip at all")
    write_jsonl(corpus.root / "data/nobody/x.jsonl", [{"text": "claimed by no source"}] * 3)
    corpus.source("open")["files"][0]["glob"] = "open/*"
    result, con = run_audit(corpus.write())
    _reconcile(con, result.run_id)
    parts = dict(
        con.execute(
            "SELECT part, files FROM storage_reconciliation WHERE run_id = ?", [result.run_id]
        ).fetchall()
    )
    assert parts["unreadable"] == 1 and parts["unclaimed"] == 1 and parts["read"] == 2
