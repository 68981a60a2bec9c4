"""Shared fixtures: a small, valid corpus written to disk by the test, and helpers to audit it."""

from __future__ import annotations

import copy
import gzip
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from provenance import audit
from provenance.runner import RunResult

BASE_MANIFEST: dict[str, Any] = {
    "manifest_version": 1,
    "provider": {"name": "Test Provider"},
    "service": {
        "name": "TestChat",
        "intended_use": "public_service",
        "training_date": "2026-10-01",
    },
    "data_roots": [{"id": "corpus", "path": "data"}],
    "foundation_models": [
        {
            "id": "base",
            "name": "Base-7B",
            "third_party": True,
            "license": "Apache-2.0",
            "source_url": "https://models.example.com/base",
            "filing_number": "Beijing-BaseModel-20240101",
        }
    ],
    "datasets": [
        {
            "id": "ds",
            "name": "Test dataset",
            "stage": "pretraining",
            "languages": ["zh", "en"],
            "sources": [
                {
                    "id": "open",
                    "source_type": "open_source",
                    "origin": {"region": "foreign", "country": "US"},
                    "license": "CC-BY-4.0",
                    "evidence": [{"kind": "license", "path": "evidence/LICENSE.txt"}],
                    "files": [{"root": "corpus", "glob": "open/*.jsonl"}],
                },
                {
                    "id": "crawl",
                    "source_type": "self_collected",
                    "origin": {"region": "domestic", "country": "CN"},
                    "collection_period": {"start": "2026-01-01", "end": "2026-06-30"},
                    "collection": {
                        "crawler": "TestBot/1.0",
                        "user_agent": "TestBot",
                        "log": "evidence/crawl_log.jsonl",
                        "robots_dir": "evidence/robots",
                    },
                    "files": [{"root": "corpus", "glob": "crawl/*.jsonl.gz", "url_field": "url"}],
                },
            ],
        }
    ],
}


def cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m provenance ARGS`` as a user would (wide output, so tables are not folded)."""
    return subprocess.run(
        [sys.executable, "-m", "provenance", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


def refused(res: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Assert exit 2 (bad input) with every needle in stderr and no traceback; return stderr."""
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr[-2000:])
    assert "Traceback" not in res.stderr
    for needle in needles:
        assert needle in res.stderr, (needle, res.stderr[-2000:])
    return res.stderr


def write_jsonl(path: Path, rows: list[dict[str, Any]], compress: bool = False) -> Path:
    """Write rows as JSON lines (gzip when ``compress``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return path


class Corpus:
    """A corpus folder with a manifest; tests mutate ``manifest`` then call :meth:`write`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.manifest: dict[str, Any] = copy.deepcopy(BASE_MANIFEST)
        write_jsonl(root / "data/open/a.jsonl", [{"text": f"open document {i}"} for i in range(30)])
        urls = [f"https://news.example.cn/article/{i}.html" for i in range(20)]
        write_jsonl(
            root / "data/crawl/p0.jsonl.gz",
            [{"text": f"网页正文 {i}", "url": u} for i, u in enumerate(urls)],
            compress=True,
        )
        write_jsonl(
            root / "evidence/crawl_log.jsonl",
            [{"url": u, "fetched_at": "2026-03-01T10:00:00Z", "status": 200} for u in urls],
        )
        (root / "evidence/robots").mkdir(parents=True)
        (root / "evidence/robots/news.example.cn.txt").write_text(
            "User-agent: *\nDisallow: /admin/\n"
        )
        (root / "evidence/LICENSE.txt").write_text("CC BY 4.0 legal code\n")

    def source(self, sid: str) -> dict[str, Any]:
        """The manifest dict of source ``sid``."""
        for ds in self.manifest["datasets"]:
            for src in ds["sources"]:
                if src["id"] == sid:
                    return src  # type: ignore[no-any-return]
        raise KeyError(sid)

    def add_source(self, src: dict[str, Any]) -> None:
        self.manifest["datasets"][0]["sources"].append(src)

    def write(self, name: str = "manifest.yaml") -> Path:
        path = self.root / name
        path.write_text(
            yaml.safe_dump(self.manifest, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        return path


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    return Corpus(tmp_path / "corpus")


@pytest.fixture
def run_audit(tmp_path: Path) -> Callable[..., tuple[RunResult, duckdb.DuckDBPyConnection]]:
    """Audit a manifest into a fresh dossier; return the result and a read-only connection."""
    opened: list[duckdb.DuckDBPyConnection] = []

    def _run(manifest: Path, **kwargs: Any) -> tuple[RunResult, duckdb.DuckDBPyConnection]:
        db = tmp_path / f"dossier{len(opened)}.duckdb"
        result = audit(manifest, db, workers=kwargs.pop("workers", 1), **kwargs)
        con = duckdb.connect(str(db), read_only=True)
        opened.append(con)
        return result, con

    yield _run
    for con in opened:
        con.close()


def codes(con: duckdb.DuckDBPyConnection, check_id: str | None = None) -> set[str]:
    """Finding codes of the latest complete run (optionally of one check)."""
    sql = "SELECT code FROM latest_findings" + (" WHERE check_id = ?" if check_id else "")
    return {r[0] for r in con.execute(sql, [check_id] if check_id else []).fetchall()}


@pytest.fixture(autouse=True)
def _names_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading the NER engines costs each audit's workers a second or two: tests not about names
    audit with names off (PROVENANCE_PII_MODE, a documented site default); tests marked
    ``names`` audit as a user would by default. tests/test_pii_names_sample.py and the marked
    end-to-end tests (no raw value at rest, export, two runs, long records, demo) cover NER."""
    if request.node.get_closest_marker("names"):
        monkeypatch.delenv("PROVENANCE_PII_MODE", raising=False)
    else:
        monkeypatch.setenv("PROVENANCE_PII_MODE", "off")


@pytest.fixture(autouse=True)
def _pii_key(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own PII key file, never the user's."""
    monkeypatch.setenv("PROVENANCE_PII_KEY_FILE", str(tmp_path_factory.mktemp("key") / "pii.key"))
    monkeypatch.delenv("PROVENANCE_PII_KEY", raising=False)


@pytest.fixture(scope="session")
def demo_dossier(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo corpus audited once per session as `make demo` runs it (names on a sample of
    400 records per source); (dossier path, run id)."""
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    os.environ.setdefault("PROVENANCE_PII_KEY", "test-key-for-the-export-tests")
    root = Path(__file__).parents[1]
    result = audit(root / "examples/demo/manifest.yaml", db, workers=2, pii_sample_size=400)
    return db, result.run_id
