"""Issue 10, item 5: empty records and records without the text field are not duplicates.

A corpus where most records of a file carry their text under another field (here ``content``,
as in many public dumps) once reported a 22.5% "exact duplicate" rate: every record without
text hashed alike. Now the file gets ``text_field_missing`` naming the fields it does have, and
the duplicate rates count only records with text.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from tests.conftest import Corpus, cli, write_jsonl


def test_records_without_text_are_reported_and_not_duplicates(
    corpus: Corpus, tmp_path: Path
) -> None:
    rows = [{"content": f"正文 {i}", "id": i} for i in range(40)]
    rows += [
        {"text": f"distinct English document number {i} about topic {i * 7}"} for i in range(8)
    ]
    rows += [{"text": "   "} for _ in range(4)]  # white space only: empty, not a duplicate either
    write_jsonl(corpus.root / "data/open/mixed.jsonl", rows)
    db = tmp_path / "d.duckdb"
    res = cli("audit", str(corpus.write()), "--db", str(db), "--workers", "1")
    assert res.returncode in (0, 1), res.stderr[-2000:]
    con = duckdb.connect(str(db), read_only=True)
    try:
        missing = con.execute(
            "SELECT severity, evidence FROM latest_findings WHERE code = 'text_field_missing'"
        ).fetchall()
        assert len(missing) == 1, missing
        evidence = json.loads(missing[0][1])
        assert evidence["missing_text"] == 40
        assert {"content", "id"} <= set(evidence["field_names"])
        dup_rows = con.execute(
            """SELECT count(*) FROM duplicates d JOIN latest_run USING (run_id)
               JOIN files f ON f.run_id = d.run_id AND f.file_id = d.file_id
               WHERE f.path = 'open/mixed.jsonl'"""
        ).fetchone()[0]
        assert dup_rows == 0
        rate = con.execute(
            """SELECT value FROM stats JOIN latest_run USING (run_id)
               WHERE scope = 'source' AND subject_id = 'open' AND metric = 'exact_duplicate_rate'"""
        ).fetchone()[0]
        assert rate == 0.0
        codes = {r[0] for r in con.execute("SELECT code FROM latest_findings").fetchall()}
        assert "duplicate_rate" not in codes
    finally:
        con.close()
