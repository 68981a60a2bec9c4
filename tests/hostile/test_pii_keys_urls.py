"""Issue 9 item 3: record keys and URLs go through the same PII protection as text.

An e-mail used as user id, a phone number as record key, ``/u/13812345678`` in a crawl log or
a record's URL: nothing of them may be stored raw, anywhere in the dossier or the export, and
``pi lookup`` must still find the record from the identifier.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from provenance.pii.keys import SEP, Protector
from tests.conftest import Corpus, write_jsonl
from tests.conftest import cli as _cli
from tests.pii_corpus import W


def _ric(body: str) -> str:
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, W, strict=False)) % 11]


EMAIL = "zhang.san@example.com"
PHONE = "13812345678"
KEY_PHONE = "13987654321"
URL_PHONE = "13711112222"
RIC = _ric("11010519800307123")

# key, whether it is masked, what the stored key must contain
KEY_CASES = [
    ("doc-000123", False, "doc-000123"),
    ("1234567", False, "1234567"),  # 7 digits pass the prefilter but are no identifier
    ("article/2026/05/01", False, "article/2026/05/01"),
    ("", False, ""),
    (EMAIL, True, "z***@example.com" + SEP),
    ("user:" + EMAIL, True, "user:z***@example.com" + SEP),
    (PHONE, True, "138******78" + SEP),
    ("tel-138-1234-5678", True, "tel-138********78" + SEP),
    (RIC, True, "110***********" + RIC[-4:] + SEP),
    ("card 6222021234567890128", True, "card 622************0128" + SEP),
]


@pytest.mark.parametrize(("key", "masked", "shown"), KEY_CASES)
def test_record_keys_masked_only_when_they_hold_identifiers(
    key: str, masked: bool, shown: str
) -> None:
    """Item 3: identifiers in a key are masked + keyed hash; other keys stay readable."""
    p = Protector(key=b"test-key")
    stored, found = p.keys(pa.array([key, "doc-1"], pa.string()))
    value = stored[0].as_py()
    assert stored[1].as_py() == "doc-1"
    if not masked:
        assert value == key and found is None
        return
    assert value.startswith(shown) and value != key
    assert key not in value and PHONE not in value and EMAIL not in value
    assert found is not None and found[0].is_valid and not found[1].is_valid
    # deterministic: the same key gives the same stored key, another PII key another hash
    assert Protector(key=b"test-key").keys(pa.array([key]))[0][0].as_py() == value
    assert Protector(key=b"other").keys(pa.array([key]))[0][0].as_py() != value


def test_keys_that_mask_alike_stay_apart() -> None:
    """Item 3: the hash covers the raw key, so two keys with one masked form do not merge."""
    stored, _ = Protector(key=b"k").keys(pa.array(["Ab@example.com", "AB@example.com"]))
    a, b = stored.to_pylist()
    assert a.split(SEP)[0] == b.split(SEP)[0] and a != b


URL_CASES = [
    (
        "https://news.example.cn/article/1234567.html",
        "https://news.example.cn/article/1234567.html",
    ),
    ("https://a.cn/p?uid=13812345678#me", "https://a.cn/p"),
    ("https://bob:secret@a.cn:8443/x", "https://a.cn:8443/x"),
    ("  https://a.cn/x?mail=a@b.cn  ", "https://a.cn/x"),
    ("https://a.cn/u/13812345678/posts", "https://a.cn/u/138******78~"),
    ("https://a.cn/u/zhang.san%40example.com", "https://a.cn/u/z***@example.com~"),
    ("https://a.cn/%E6%96%B0%E9%97%BB/1", "https://a.cn/%E6%96%B0%E9%97%BB/1"),
    ("http://[fe80/broken", "http://[fe80/broken"),  # kept: nothing a recognizer could match
    ("http://[::1/broken", ""),  # "::" may be IPv6 (a prefilter candidate), unparsable: dropped
    ("http://[::1/u/13812345678", ""),  # unparsable and a candidate: dropped
]


@pytest.mark.parametrize(("url", "shown"), URL_CASES)
def test_url_paths_masked(url: str, shown: str) -> None:
    """Item 3: query, fragment, user info dropped; identifier-bearing path segments masked."""
    got = Protector(key=b"k").urls(pa.array([url, None], pa.string())).to_pylist()
    assert got[1] is None
    assert got[0].startswith(shown) and (SEP in got[0]) == (shown.endswith(SEP))
    for raw in (PHONE, EMAIL, "zhang.san%40example.com", "secret", "mail=", "bob"):
        assert raw not in got[0]


def _plant(c: Corpus) -> list[str]:
    """A user-input source keyed by e-mail / phone / ID number, with phones in URL paths."""
    rows = [
        {"uid": f"doc-{i:06d}", "text": f"普通对话 {i}", "link": f"https://bbs.example.cn/t/{i}"}
        for i in range(30)
    ]
    rows[1]["uid"] = EMAIL
    rows[2]["uid"] = KEY_PHONE
    rows[3]["uid"] = RIC
    rows[4]["link"] = f"https://bbs.example.cn/u/{URL_PHONE}?from=share"
    rows[5]["text"] = "版权所有 all rights reserved"  # a rights notice row keyed by its uid
    rows[5]["uid"] = "owner:" + EMAIL
    write_jsonl(c.root / "data/chat/c.jsonl", rows)
    write_jsonl(c.root / "data/chat/copy.jsonl", rows[:6])  # duplicates keyed by the same uid
    c.add_source(
        {
            "id": "chat",
            "source_type": "user_input",
            "origin": {"region": "domestic"},
            "legal_basis": "consent",
            "files": [
                {"root": "corpus", "glob": "chat/*.jsonl", "id_field": "uid", "url_field": "link"}
            ],
        }
    )
    log = c.root / "evidence/crawl_log.jsonl"
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    entries.append(
        {"url": f"https://news.example.cn/u/{URL_PHONE}/home", "fetched_at": "2026-03-01T10:00:00Z"}
    )
    entries.append(
        {"url": f"https://news.example.cn/admin/{URL_PHONE}", "fetched_at": "2026-03-01"}
    )
    write_jsonl(log, entries)
    return [EMAIL, KEY_PHONE, RIC, URL_PHONE, "zhang.san"]


def _varchar_hits(db: Path, planted: list[str]) -> list[str]:
    """Every VARCHAR column of every table, searched for the planted values."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE data_type = 'VARCHAR' AND NOT internal AND table_name IN "
            "(SELECT table_name FROM duckdb_tables())"
        ).fetchall()
        hits = []
        for table, col in cols:
            for value in planted:
                n = con.execute(
                    f'SELECT count(*) FROM "{table}" WHERE contains("{col}", ?)', [value]
                ).fetchone()
                if n and n[0]:
                    hits.append(f"{table}.{col}: {value}")
        return hits
    finally:
        con.close()


def test_nothing_raw_at_rest_and_lookup_by_hash(corpus: Corpus, tmp_path: Path) -> None:
    """Item 3 (and 4 of the helper brief): audit + export through the CLI; no planted key or
    URL identifier in any VARCHAR of any table nor in any exported file; pi lookup finds the
    record keyed by the e-mail and shows its masked key."""
    planted = _plant(corpus)
    db = tmp_path / "d.duckdb"
    res = _cli("audit", str(corpus.write()), "--db", str(db))
    assert res.returncode in (0, 1), res.stderr
    logs = res.stdout + res.stderr
    assert not [v for v in planted if v in logs]
    con = duckdb.connect(str(db), read_only=True)
    try:
        (run_id,) = con.execute("SELECT run_id FROM runs WHERE status = 'complete'").fetchall()[0]
        keys = {r[0] for r in con.execute("SELECT record_key FROM record_hashes").fetchall()}
        crawl = {r[0] for r in con.execute("SELECT url FROM crawl_checks").fetchall()}
        in_keys = con.execute(
            "SELECT entity_type, masked FROM pii_hits WHERE start_pos IS NULL ORDER BY ALL"
        ).fetchall()
        dup_keys = {r[0] for r in con.execute("SELECT record_key FROM duplicates").fetchall()}
    finally:
        con.close()
    assert "doc-000000" in keys  # ordinary keys readable
    assert any(k.startswith("z***@example.com" + SEP) for k in keys)
    assert any(k.startswith("owner:z***@example.com" + SEP) for k in dup_keys | keys)
    assert any(u.startswith("https://news.example.cn/u/137******22~") for u in crawl)
    assert ("CN_MOBILE", "139******21") in in_keys and (
        "EMAIL_ADDRESS",
        "z***@example.com",
    ) in in_keys
    assert _varchar_hits(db, planted) == []

    out = tmp_path / "bundle"
    res = _cli("export", "--db", str(db), "--run", run_id, "--out", str(out))
    assert res.returncode == 0, res.stderr
    files = [f for f in out.rglob("*") if f.is_file()]
    assert files
    for f in files:
        if f.suffix == ".parquet":
            blob = json.dumps(pq.read_table(f).to_pylist(), default=str, ensure_ascii=False)
        else:
            blob = f.read_bytes().decode("utf-8", errors="replace")
        assert not [v for v in planted if v in blob], f

    res = _cli("pi", "lookup", "--db", str(db), "--value", EMAIL, "--format", "json")
    assert res.returncode == 0, res.stderr
    found = json.loads(res.stdout)
    assert {h["source_id"] for h in found} == {"chat"}
    assert any(h["record_key"].startswith("z***@example.com" + SEP) for h in found)
    assert EMAIL not in res.stdout


def test_custom_patterns_apply_to_keys(tmp_path: Path) -> None:
    """Item 3: a pattern file of the PII scanner protects keys too (the same recognizers)."""
    from provenance.pii.keys import BatchGuard
    from provenance.readers.base import SCHEMA

    rules = tmp_path / "ours.toml"
    rules.write_text(
        '[[pattern]]\nentity = "EMPLOYEE_ID"\n'
        'regex = "(?<![0-9A-Za-z])EMP-\\\\d{6}(?![0-9A-Za-z])"\nscore = 0.6\n'
        'prefilter = "EMP-[0-9]{6}"\n',
        encoding="utf-8",
    )
    guard = BatchGuard("id", None, {"patterns": [str(rules)], "models": {}})
    batch = pa.RecordBatch.from_pydict(
        {
            "record_index": [1, 2],
            "record_key": ["EMP-123456", "doc-1"],
            "text": ["a", "b"],
            "url": [None, None],
            "collected_at": [None, None],
        },
        schema=SCHEMA,
    )
    out = guard(batch)
    keys = out.column("record_key").to_pylist()
    assert keys[1] == "doc-1" and "123456" not in keys[0] and SEP in keys[0]
    hits = out.column("key_pii").to_pylist()
    assert hits[1] is None and [h["entity_type"] for h in hits[0]] == ["EMPLOYEE_ID"]
    assert BatchGuard(None, None, {})(batch) is batch  # index keys: nothing to do
