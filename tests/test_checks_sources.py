"""Each source-legitimacy check firing and not firing, on real files through a real DuckDB dossier.

Table-driven: every case mutates the clean test corpus in one way and names the finding code
(and requirement id) that must appear; the clean corpus must raise none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Corpus, codes, write_jsonl


def _orphan(c: Corpus) -> None:
    write_jsonl(c.root / "data/stray/x.jsonl", [{"text": "who made me"}])


def _double_claim(c: Corpus) -> None:
    c.add_source(
        {
            "id": "dup",
            "source_type": "open_source",
            "origin": {"region": "foreign"},
            "license": "MIT",
            "evidence": [{"kind": "license", "path": "evidence/LICENSE.txt"}],
            "files": [{"root": "corpus", "glob": "open/*.jsonl"}],
        }
    )


def _empty_glob(c: Corpus) -> None:
    c.source("open")["files"].append({"root": "corpus", "glob": "nothing/*.jsonl"})


def _no_records(c: Corpus) -> None:
    write_jsonl(c.root / "data/empty/e.jsonl", [])
    c.add_source(
        {
            "id": "hollow",
            "source_type": "open_source",
            "origin": {"region": "foreign"},
            "license": "MIT",
            "evidence": [{"kind": "license", "path": "evidence/LICENSE.txt"}],
            "files": [{"root": "corpus", "glob": "empty/*.jsonl"}],
        }
    )


def _unreadable(c: Corpus) -> None:
    (c.root / "data/crawl/bad.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")


def _deny_upstream(c: Corpus) -> None:
    c.source("open")["upstream"] = ["hf:someone/books3"]


def _deny_host(c: Corpus) -> None:
    log = c.root / "evidence/crawl_log.jsonl"
    log.write_text(
        log.read_text()
        + '{"url": "https://mirror.libgen.rs/b/1", "fetched_at": "2026-03-01T10:00:00Z"}\n'
    )


def _deny_source_url(c: Corpus) -> None:
    c.source("open")["url"] = "https://sci-hub.se/dump"


def _no_license(c: Corpus) -> None:
    c.source("open")["license"] = None


def _no_license_doc(c: Corpus) -> None:
    c.source("open")["evidence"] = []


def _missing_evidence_file(c: Corpus) -> None:
    (c.root / "evidence/LICENSE.txt").unlink()


def _no_collection(c: Corpus) -> None:
    del c.source("crawl")["collection"]


def _log_missing_fields(c: Corpus) -> None:
    write_jsonl(c.root / "evidence/crawl_log.jsonl", [{"url": "https://news.example.cn/a/1"}])


def _log_after_training(c: Corpus) -> None:
    write_jsonl(
        c.root / "evidence/crawl_log.jsonl",
        [{"url": "https://news.example.cn/a/1", "fetched_at": "2026-11-01T00:00:00Z"}],
    )


def _robots_disallow(c: Corpus) -> None:
    (c.root / "evidence/robots/news.example.cn.txt").write_text(
        "User-agent: TestBot\nDisallow: /article/\n"
    )


def _robots_missing(c: Corpus) -> None:
    (c.root / "evidence/robots/news.example.cn.txt").unlink()


COMMERCIAL: dict[str, Any] = {
    "id": "news",
    "source_type": "commercial",
    "origin": {"region": "domestic"},
    "collection_period": {"start": "2025-03-01", "end": "2025-06-30"},
    "contract": {
        "id": "C-1",
        "counterparty": "News Co",
        "valid_from": "2025-01-01",
        "valid_until": "2027-01-01",
        "document": "evidence/LICENSE.txt",
    },
    "files": [{"root": "corpus", "glob": "open/*.jsonl"}],
}


def _commercial(**change: Any) -> Callable[[Corpus], None]:
    def mutate(c: Corpus) -> None:
        c.source("open")["files"] = [{"root": "corpus", "glob": "open/*.jsonl"}]
        src = {**COMMERCIAL, "contract": dict(COMMERCIAL["contract"])}
        for key, value in change.items():
            if key == "contract" and value is None:
                del src["contract"]
            elif key in src["contract"]:
                src["contract"][key] = value
            else:
                src[key] = value
        write_jsonl(c.root / "data/news/n.jsonl", [{"text": "新闻"}])
        src["files"] = [{"root": "corpus", "glob": "news/*.jsonl"}]
        c.add_source(src)

    return mutate


def _user_input(
    withdrawn: bool = False, records: bool = True, fields: bool = True
) -> Callable[[Corpus], None]:
    def mutate(c: Corpus) -> None:
        write_jsonl(c.root / "data/chat/c.jsonl", [{"text": "你好"}])
        rows = [
            {
                "user_id": f"u{i}",
                "consent_id": f"K{i}" if fields else "",
                "consented_at": "2026-01-01",
                "withdrawn_at": "2026-02-01" if withdrawn and i == 0 else None,
            }
            for i in range(5)
        ]
        write_jsonl(c.root / "evidence/consents.jsonl", rows)
        src: dict[str, Any] = {
            "id": "chat",
            "source_type": "user_input",
            "origin": {"region": "domestic"},
            "legal_basis": "consent",
            "files": [{"root": "corpus", "glob": "chat/*.jsonl"}],
        }
        if records:
            src["authorization"] = {"records": "evidence/consents.jsonl"}
        c.add_source(src)

    return mutate


def _synthetic(generator: bool) -> Callable[[Corpus], None]:
    def mutate(c: Corpus) -> None:
        (c.root / "data/syn").mkdir(parents=True)
        (c.root / "data/syn/s.txt").write_text("Q: a? A: b.\n")
        src: dict[str, Any] = {
            "id": "syn",
            "source_type": "synthetic",
            "origin": {"region": "domestic"},
            "files": [{"root": "corpus", "glob": "syn/*.txt"}],
        }
        if generator:
            src["generator_model"] = {"name": "Base-7B"}
        c.add_source(src)

    return mutate


def _model(**change: Any) -> Callable[[Corpus], None]:
    def mutate(c: Corpus) -> None:
        c.manifest["foundation_models"][0].update(change)

    return mutate


CASES = [
    ("SRC-01", "orphan_files", _orphan),
    ("SRC-01", "double_claim", _double_claim),
    ("SRC-01", "empty_glob", _empty_glob),
    ("SRC-01", "source_without_records", _no_records),
    ("DOC-02", "unreadable_file", _unreadable),
    ("SRC-04", "deny_listed_id", _deny_upstream),
    ("SRC-04", "deny_listed_domain", _deny_host),
    ("SRC-04", "deny_listed_id", _deny_source_url),
    ("SRC-05", "open_source_without_license", _no_license),
    ("SRC-05", "license_document_missing", _no_license_doc),
    ("SRC-05", "evidence_missing", _missing_evidence_file),
    ("SRC-07", "collection_records_missing", _no_collection),
    ("SRC-07", "collection_records_incomplete", _log_missing_fields),
    ("SRC-07", "collected_after_training", _log_after_training),
    ("SRC-08", "robots_disallowed", _robots_disallow),
    ("SRC-08", "robots_snapshot_missing", _robots_missing),
    ("SRC-09", "commercial_without_contract", _commercial(contract=None)),
    ("SRC-09", "contract_period_gap", _commercial(valid_from="2025-04-01")),
    ("SRC-09", "contract_period_gap", _commercial(valid_until="2025-05-01")),
    ("SRC-09", "contract_document_missing", _commercial(document=None)),
    ("SRC-09", "collection_period_missing", _commercial(collection_period=None)),
    ("SRC-10", "user_input_without_authorization", _user_input(records=False)),
    ("SRC-10", "consent_withdrawn", _user_input(withdrawn=True)),
    ("SRC-10", "authorization_fields_missing", _user_input(fields=False)),
    ("EU-07", "synthetic_without_generator", _synthetic(generator=False)),
    ("SRC-12", "model_without_license", _model(license=None)),
    ("SRC-12", "model_without_source", _model(source_url=None)),
    ("SRC-12", "model_not_filed", _model(filing_number=None)),
    ("SRC-12", "model_filing_number_format", _model(filing_number="pending")),
]
ALL_CODES = {code for _, code, _ in CASES}

# Variants that must NOT fire the case's code (the "not firing" half beyond the clean corpus).
NEGATIVE = [
    ("SRC-09", "contract_period_gap", _commercial()),
    ("SRC-10", "consent_withdrawn", _user_input(withdrawn=False)),
    ("EU-07", "synthetic_without_generator", _synthetic(generator=True)),
    ("SRC-12", "model_not_filed", _model(filing_number=None, third_party=False)),
]


def test_clean_corpus_raises_none_of_the_checks(corpus: Corpus, run_audit: Any) -> None:
    result, con = run_audit(corpus.write())
    assert result.exit_code == 0, [f.message_en for f in result.blocking]
    found = codes(con)
    assert not (found & ALL_CODES), found & ALL_CODES
    # the positive confirmations are recorded too
    assert {"all_files_traced", "robots_all_allowed"} <= found


@pytest.mark.parametrize(
    ("check_id", "code", "mutate"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_check_fires(
    check_id: str, code: str, mutate: Callable[[Corpus], None], corpus: Corpus, run_audit: Any
) -> None:
    mutate(corpus)
    _, con = run_audit(corpus.write())
    assert code in codes(con, check_id)


@pytest.mark.parametrize(
    ("check_id", "code", "mutate"), NEGATIVE, ids=[f"{c[0]}-{c[1]}" for c in NEGATIVE]
)
def test_check_does_not_fire(
    check_id: str, code: str, mutate: Callable[[Corpus], None], corpus: Corpus, run_audit: Any
) -> None:
    mutate(corpus)
    _, con = run_audit(corpus.write())
    assert code not in codes(con, check_id)


def test_robots_verdicts_are_recorded_per_url(corpus: Corpus, run_audit: Any) -> None:
    _robots_disallow(corpus)
    _, con = run_audit(corpus.write())
    rows = con.execute("SELECT verdict, count(*) FROM crawl_checks GROUP BY ALL").fetchall()
    assert dict(rows) == {"disallowed": 20}
    evidence = con.execute(
        "SELECT evidence FROM latest_findings WHERE code = 'robots_disallowed'"
    ).fetchone()[0]
    assert '"disallowed": 20' in evidence


def test_evidence_files_are_hashed(corpus: Corpus, run_audit: Any) -> None:
    import hashlib

    _, con = run_audit(corpus.write())
    digest = hashlib.sha256((corpus.root / "evidence/LICENSE.txt").read_bytes()).hexdigest()
    rows = con.execute(
        "SELECT path, status, sha256 FROM evidence WHERE kind = 'license'"
    ).fetchall()
    assert rows == [("evidence/LICENSE.txt", "ok", digest)]


def test_every_finding_is_bilingual(corpus: Corpus, run_audit: Any) -> None:
    for mutate in (
        _orphan,
        _robots_disallow,
        _no_license,
        _commercial(valid_from="2025-04-01"),
        _unreadable,
    ):
        mutate(corpus)
    _, con = run_audit(corpus.write())
    rows = con.execute("SELECT message_en, message_zh FROM latest_findings").fetchall()
    assert len(rows) >= 5
    for en, zh in rows:
        assert en and zh and en != zh
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), zh


def test_severity_override_from_pipeline(corpus: Corpus, run_audit: Any, tmp_path: Any) -> None:
    from provenance.resources import pipeline_dir

    text = (pipeline_dir() / "pretraining.toml").read_text()
    custom = tmp_path / "strict.toml"
    custom.write_text(
        text.replace("[severity]", '[severity]\nlicense_document_missing = "blocker"')
    )
    (tmp_path / "deny_list.txt").write_text("dataset:nothing-here\n")
    _no_license_doc(corpus)
    result, con = run_audit(corpus.write(), pipeline=str(custom))
    sev = con.execute(
        "SELECT severity FROM latest_findings WHERE code = 'license_document_missing'"
    ).fetchone()
    assert sev == ("blocker",)
    assert result.exit_code == 1
