"""Issue 12 through a real audit: ambiguous strings raise ``ambiguous_license`` with their
candidates, URL and sentence licences resolve in the dossier, and the licence data versions are
recorded with the run."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Corpus, write_jsonl

TEXT = [{"text": f"plain text {i}"} for i in range(30)]


def _source(c: Corpus, sid: str, license: str) -> None:
    write_jsonl(c.root / "data" / sid / "x.jsonl", TEXT)
    c.add_source(
        {
            "id": sid,
            "source_type": "open_source",
            "origin": {"region": "foreign"},
            "license": license,
            "evidence": [{"kind": "license", "path": "evidence/LICENSE.txt"}],
            "files": [{"root": "corpus", "glob": f"{sid}/*.jsonl"}],
        }
    )


def test_audit_reads_urls_sentences_and_flags_ambiguity(corpus: Corpus, run_audit: Any) -> None:
    _source(corpus, "url", "https://choosealicense.com/licenses/cc-by-4.0/")
    _source(corpus, "sentence", "This dataset is released under the Apache License, Version 2.0.")
    _source(corpus, "family", "GNU GENERAL PUBLIC LICENSE")
    _source(corpus, "conflict", "bsl-1.0")
    _source(corpus, "ncfam", "The project is licenced under CC-by-NC")
    _, con = run_audit(corpus.write())
    spdx = dict(
        con.execute(
            "SELECT source_id, license_spdx FROM sources WHERE source_id IN ('url', 'sentence')"
        ).fetchall()
    )
    assert spdx == {"url": "CC-BY-4.0", "sentence": "Apache-2.0"}
    rows = con.execute(
        "SELECT subject_id, evidence, message_en, message_zh FROM latest_findings "
        "WHERE code = 'ambiguous_license' ORDER BY subject_id"
    ).fetchall()
    found = {r[0]: json.loads(r[1]) for r in rows}
    assert set(found) == {"conflict", "family", "ncfam"}
    assert "GPL-3.0-only" in found["family"]["candidates"]
    assert found["family"]["commercial_use"] == "allowed" and found["family"]["rule"] == "family"
    assert set(found["conflict"]["candidates"]) == {"BSL-1.0", "LicenseRef-scancode-bsl-1.0"}
    assert all(r[2] and r[3] for r in rows)
    # every CC BY-NC version forbids commercial use: the shared term still raises its finding
    nc = con.execute(
        "SELECT count(*) FROM latest_findings WHERE code = 'non_commercial' AND subject_id = 'ncfam'"
    ).fetchone()
    assert nc == (1,)
    none = con.execute(
        "SELECT count(*) FROM latest_findings WHERE code IN ('unknown_license', "
        "'ambiguous_license') AND subject_id IN ('url', 'sentence')"
    ).fetchone()
    assert none == (0,)


def test_run_records_licence_data_versions(corpus: Corpus, run_audit: Any) -> None:
    _source(corpus, "lic", "MIT")
    _, con = run_audit(corpus.write())
    cfg = json.loads(con.execute("SELECT config FROM runs").fetchone()[0])
    assert cfg["license_data"]["spdx_license_list"].startswith("3.")
    assert cfg["license_data"]["scancode_licensedb_index"]


def test_demo_url_and_sentence_licences_resolve(run_audit: Any) -> None:
    """The demo's en-open-web declares its licence as a URL, en-mix as a sentence."""
    from pathlib import Path

    demo = Path(__file__).resolve().parents[1] / "examples" / "demo" / "manifest.yaml"
    _, con = run_audit(demo, workers=2)
    rows = dict(
        con.execute(
            "SELECT source_id, license_spdx FROM sources "
            "WHERE source_id IN ('en-open-web', 'en-mix')"
        ).fetchall()
    )
    assert rows == {"en-open-web": "CC-BY-4.0", "en-mix": "MIT"}
    laundering = con.execute(
        "SELECT count(*) FROM latest_findings WHERE code = 'license_laundering' "
        "AND subject_id = 'en-mix'"
    ).fetchone()
    assert laundering == (1,)
