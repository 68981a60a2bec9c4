"""Personal information through a real audit: summary, legal-basis checks, no raw values at rest,
and the data-subject lookup."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Corpus, cli, codes, write_jsonl
from tests.pii_corpus import W

pytestmark = pytest.mark.names  # audits look for names, as by default

CHILD = (
    "11010520180307123"
    + "10X98765432"[sum(int(c) * w for c, w in zip("11010520180307123", W, strict=False)) % 11]
)
ADULT = (
    "11010519800307123"
    + "10X98765432"[sum(int(c) * w for c, w in zip("11010519800307123", W, strict=False)) % 11]
)
PLANTED = ["13812345678", "zhang.san@example.com", "6222021234567890128", CHILD, ADULT]


def _chat(c: Corpus, basis: str | None) -> None:
    rows = [{"text": f"普通对话 {i}", "t": "2026-05-01"} for i in range(40)]
    rows[1] = {"text": f"我的手机{PLANTED[0]}，邮箱{PLANTED[1]}", "t": "2026-05-01"}
    rows[2] = {"text": f"银行卡{PLANTED[2]}，孩子身份证{PLANTED[3]}", "t": "2026-05-01"}
    rows[3] = {"text": f"本人身份证号{PLANTED[4]}。", "t": "2026-05-01"}
    write_jsonl(c.root / "data/chat/c.jsonl", rows)
    src: dict[str, Any] = {
        "id": "chat",
        "source_type": "user_input",
        "origin": {"region": "domestic"},
        "authorization": {"records": "evidence/consents.jsonl"},
        "files": [{"root": "corpus", "glob": "chat/*.jsonl", "time_field": "t"}],
    }
    if basis:
        src["legal_basis"] = basis
    write_jsonl(
        c.root / "evidence/consents.jsonl",
        [{"user_id": "u1", "consent_id": "K1", "consented_at": "2026-01-01"}],
    )
    c.add_source(src)


def test_summary_checks_leaks_and_lookup(corpus: Corpus, tmp_path: Path) -> None:
    _chat(corpus, basis=None)
    db = tmp_path / "d.duckdb"
    res = cli("audit", str(corpus.write()), "--db", str(db), "--workers", "2")
    assert res.returncode == 1, res.stderr
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        summary = {
            r[0]: r[1:]
            for r in con.execute(
                "SELECT entity_type, records_scanned, records_with_hits, hits, distinct_values, sensitive_hits, minors "
                "FROM pii_summary WHERE source_id = 'chat'"
            ).fetchall()
        }
        assert summary["CN_MOBILE"] == (40, 1, 1, 1, 0, 0)
        assert summary["BANK_CARD"] == (40, 1, 1, 1, 1, 0)
        assert summary["CN_RESIDENT_ID"] == (40, 2, 2, 2, 1, 1)
        found = codes(con)
        assert {
            "pi_without_legal_basis",
            "sensitive_pi_without_separate_consent",
            "minors_without_guardian_consent",
        } <= found
        masked = {r[0] for r in con.execute("SELECT masked FROM pii_hits").fetchall()}
        assert "138******78" in masked
    finally:
        con.close()
    # no planted raw value anywhere in the dossier file, its WAL, or what the CLI printed
    blob = db.read_bytes() + (
        db.with_suffix(".duckdb.wal").read_bytes()
        if db.with_suffix(".duckdb.wal").exists()
        else b""
    )
    logs = res.stdout + res.stderr
    for value in PLANTED:
        assert value.encode() not in blob, value
        assert value not in logs
    # data-subject lookup from hashes alone
    res = cli(
        "pi",
        "lookup",
        "--db",
        str(db),
        "--value",
        "138-1234-5678",
        "--value",
        "13900000000",
        "--format",
        "json",
    )
    assert res.returncode == 0, res.stderr
    import json

    hits = json.loads(res.stdout)
    assert [(h["query"], h["source_id"], h["entity_type"]) for h in hits] == [
        (1, "chat", "CN_MOBILE")
    ]
    assert "13812345678" not in res.stdout
    key_file = Path(os.environ["PROVENANCE_PII_KEY_FILE"])
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("basis", "absent"),
    [
        ("consent", {"pi_without_legal_basis"}),
        ("separate_consent", {"pi_without_legal_basis", "sensitive_pi_without_separate_consent"}),
        (
            "guardian_consent",
            {
                "pi_without_legal_basis",
                "sensitive_pi_without_separate_consent",
                "minors_without_guardian_consent",
            },
        ),
    ],
)
def test_legal_basis_silences_findings(
    basis: str, absent: set[str], corpus: Corpus, run_audit: Any
) -> None:
    _chat(corpus, basis=basis)
    _, con = run_audit(corpus.write())
    found = codes(con)
    assert not (found & absent)
    assert "pi_present" in found


def test_different_key_gives_different_hashes(
    corpus: Corpus, run_audit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _chat(corpus, basis="consent")
    monkeypatch.setenv("PROVENANCE_PII_KEY", "key-one")
    _, a = run_audit(corpus.write())
    monkeypatch.setenv("PROVENANCE_PII_KEY", "key-two")
    _, b = run_audit(corpus.write())
    q = "SELECT value_hash FROM pii_hits ORDER BY entity_type, record_key"
    assert a.execute(q).fetchall() != b.execute(q).fetchall()
