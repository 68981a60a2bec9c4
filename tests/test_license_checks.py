"""Licence policy, inheritance and rights notices through a real audit and DuckDB dossier."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from provenance.errors import BadInput
from provenance.pipeline import load_pipeline
from provenance.resources import pipeline_dir
from provenance.scanners.notices import mask_context, snippet
from tests.conftest import Corpus, codes, write_jsonl


def _open(
    c: Corpus, sid: str, license: str, glob: str, rows: list[dict[str, Any]], **extra: Any
) -> None:
    write_jsonl(c.root / "data" / glob.replace("*", "x"), rows)
    c.add_source(
        {
            "id": sid,
            "source_type": "open_source",
            "origin": {"region": "foreign"},
            "license": license,
            "evidence": [{"kind": "license", "path": "evidence/LICENSE.txt"}],
            "files": [{"root": "corpus", "glob": glob}],
            **extra,
        }
    )


TEXT = [{"text": f"plain text {i}"} for i in range(30)]


@pytest.mark.parametrize(
    ("use", "license", "code", "severity"),
    [
        ("public_service", "CC BY-NC 4.0", "non_commercial", "high"),
        ("internal", "CC BY-NC 4.0", "non_commercial", "medium"),
        ("public_service", "research only", "research_only", "high"),
        ("public_service", "CC-BY-ND-4.0", "no_derivatives", "high"),
        ("public_service", "CC-BY-SA-4.0", "share_alike", "low"),
        ("public_service", "llama2", "forbids_competing_models", "high"),
        ("public_service", "openrail", "model_terms", "medium"),
        ("public_service", "see website", "unknown_license", "high"),
        ("research", "see website", "unknown_license", "low"),
        ("public_service", "cc-by-nc", "ambiguous_license", "medium"),
        ("public_service", "All rights reserved", "proprietary_without_contract", "high"),
    ],
)
def test_policy_by_intended_use(
    use: str, license: str, code: str, severity: str, corpus: Corpus, run_audit: Any
) -> None:
    corpus.manifest["service"]["intended_use"] = use
    _open(corpus, "lic", license, "lic/*.jsonl", TEXT)
    _, con = run_audit(corpus.write())
    rows = con.execute(
        "SELECT severity, article, message_zh FROM latest_findings WHERE code = ? AND subject_id = 'lic'",
        [code],
    ).fetchall()
    assert rows and rows[0][0] == severity and rows[0][1] == "7(2)"


def test_permissive_source_raises_no_licence_finding(corpus: Corpus, run_audit: Any) -> None:
    _open(corpus, "lic", "Apache License 2.0", "lic/*.jsonl", TEXT)
    _, con = run_audit(corpus.write())
    assert not codes(con, "SRC-05") & {"non_commercial", "unknown_license", "ambiguous_license"}
    row = con.execute(
        "SELECT license_spdx, license_category FROM sources WHERE source_id = 'lic'"
    ).fetchone()
    assert row == ("Apache-2.0", "permissive")


def test_dpi_catalogue_agreement_stays_unknown_but_carries_dpi_class(
    corpus: Corpus, run_audit: Any
) -> None:
    """Issue 12: a custom agreement only DPI's catalogue knows ("LDC User Agreement", NC) is
    still an unknown licence, and its non-commercial class is acted on as well."""
    _open(corpus, "ldc", "LDC User Agreement", "ldc/*.jsonl", TEXT)
    _, con = run_audit(corpus.write())
    assert {"unknown_license", "non_commercial"} <= codes(con, "SRC-05")
    row = con.execute(
        "SELECT outcome, spdx, effective_commercial_use FROM source_licenses"
        " WHERE source_id = 'ldc'"
    ).fetchone()
    assert row == ("unknown", None, "not allowed")


def test_laundering_names_both_and_inherits_terms(corpus: Corpus, run_audit: Any) -> None:
    _open(corpus, "nc", "CC BY-NC-SA 4.0", "nc/*.jsonl", TEXT)
    _open(corpus, "mix", "MIT", "mix/*.jsonl", TEXT, upstream=["nc"])
    _open(corpus, "mix2", "Apache-2.0", "mix2/*.jsonl", TEXT, upstream=["mix"])  # two levels down
    _, con = run_audit(corpus.write())
    rows = con.execute(
        "SELECT subject_id, message_en, message_zh FROM latest_findings WHERE code = 'license_laundering' ORDER BY 1"
    ).fetchall()
    assert [r[0] for r in rows] == ["mix", "mix2"]
    assert "MIT" in rows[0][1] and "CC-BY-NC-SA-4.0" in rows[0][1] and "'nc'" in rows[0][1]
    assert "上游" in rows[0][2]
    eff = dict(con.execute("SELECT source_id, effective_category FROM source_licenses").fetchall())
    assert eff["mix"] == eff["mix2"] == "non_commercial"
    nc_subjects = {
        r[0]
        for r in con.execute(
            "SELECT subject_id FROM latest_findings WHERE code = 'non_commercial'"
        ).fetchall()
    }
    assert {"nc", "mix", "mix2"} <= nc_subjects


def test_upstream_by_dataset_id_and_undeclared(corpus: Corpus, run_audit: Any) -> None:
    corpus.manifest["datasets"].append(
        {
            "id": "other",
            "name": "Other",
            "stage": "pretraining",
            "sources": [
                {
                    "id": "o1",
                    "source_type": "open_source",
                    "origin": {"region": "foreign"},
                    "license": "CC-BY-NC-4.0",
                    "evidence": [{"kind": "license", "path": "evidence/LICENSE.txt"}],
                    "files": [{"root": "corpus", "glob": "o1/*.jsonl"}],
                }
            ],
        }
    )
    write_jsonl(corpus.root / "data/o1/x.jsonl", TEXT)
    _open(corpus, "derived", "MIT", "derived/*.jsonl", TEXT, upstream=["other", "the-pile"])
    _, con = run_audit(corpus.write())
    found = {
        (r[0], r[1]) for r in con.execute("SELECT code, subject_id FROM latest_findings").fetchall()
    }
    assert ("license_laundering", "derived") in found
    assert ("upstream_undeclared", "derived") in found


def test_model_licence_terms(corpus: Corpus, run_audit: Any) -> None:
    corpus.manifest["foundation_models"][0]["license"] = "llama2"
    _, con = run_audit(corpus.write())
    assert ("forbids_competing_models", "model") in {
        (r[0], r[1])
        for r in con.execute("SELECT code, subject_kind FROM latest_findings").fetchall()
    }


def test_rights_notices_rates_and_finding(corpus: Corpus, run_audit: Any) -> None:
    rows = [
        {"text": f"文章 {i}。版权所有，未经许可不得转载。联系 13812345678"}
        if i % 4 == 0
        else {"text": f"ok {i}"}
        for i in range(40)
    ]
    rows[1] = {
        "text": "Copyright © 2024 Example Press. All rights reserved. ISBN 978-7-111-12345-6"
    }
    _open(corpus, "books", "CC-BY-4.0", "books/*.jsonl", rows)
    _, con = run_audit(corpus.write())
    rate = con.execute(
        "SELECT value FROM stats WHERE subject_id = 'books' AND metric = 'rights_notice_rate' "
        "AND key = 'any_reservation'"
    ).fetchone()[0]
    assert rate == pytest.approx(11 / 40)
    kinds = dict(
        con.execute(
            "SELECT key, value FROM stats WHERE subject_id = 'books' "
            "AND metric = 'rights_notice_records'"
        ).fetchall()
    )
    assert kinds["zh_copyright_reserved"] == 10 and kinds["zh_no_reproduction"] == 10
    assert kinds["copyright"] == 1 and kinds["all_rights_reserved"] == 1 and kinds["isbn"] == 1
    assert "rights_reserved_in_open_source" in codes(con, "IP-02")
    snippets = [r[0] for r in con.execute("SELECT snippet FROM rights_notices").fetchall()]
    assert snippets and not any("13812345678" in s for s in snippets)
    # the open corpus below the threshold is not flagged
    assert con.execute(
        "SELECT count(*) FROM latest_findings WHERE code = 'rights_reserved_in_open_source' "
        "AND subject_id = 'open'"
    ).fetchone() == (0,)


def test_snippet_masks_digits_and_emails() -> None:
    assert mask_context("call 13812345678 or a.b@example.com") == "call ########### or ***@***"
    text = "电话13812345678，版权所有，转载请联系 x@y.cn"
    s = snippet(text, text.index("版权所有"), text.index("版权所有") + 4, 30)
    assert "版权所有" in s and "1381" not in s and "x@y.cn" not in s


def test_custom_aliases_and_policy_validation(
    tmp_path: Path, corpus: Corpus, run_audit: Any
) -> None:
    (tmp_path / "ours.toml").write_text(
        '[aliases]\n"acme data licence" = "LicenseRef-Research-Only"\n'
    )
    text = (
        (pipeline_dir() / "pretraining.toml")
        .read_text()
        .replace("aliases = []", 'aliases = ["ours.toml"]')
    )
    (tmp_path / "p.toml").write_text(text)
    _open(corpus, "acme", "ACME Data Licence", "acme/*.jsonl", TEXT)
    _, con = run_audit(corpus.write(), pipeline=str(tmp_path / "p.toml"))
    assert "research_only" in codes(con, "SRC-05")
    (tmp_path / "bad.toml").write_text('[aliases]\n"x" = "NOT-A-LICENCE"\n')
    (tmp_path / "p2.toml").write_text(text.replace('["ours.toml"]', '["bad.toml"]'))
    with pytest.raises(BadInput, match="licence rule data"):
        load_pipeline(str(tmp_path / "p2.toml"))
    (tmp_path / "policy.toml").write_text('[non_commercial]\npublic_service = "severe"\n')
    (tmp_path / "p3.toml").write_text(text.replace('"licenses/policy.toml"', '"policy.toml"'))
    with pytest.raises(BadInput) as info:
        load_pipeline(str(tmp_path / "p3.toml"))
    assert any("non_commercial.public_service" in p.path for p in info.value.problems)


def test_cli_classify_text_and_csv(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "provenance", "licenses", "classify"]
    res = subprocess.run(
        [*run, "CC BY-NC-SA 4.0", "--format", "json"], capture_output=True, text=True
    )
    assert res.returncode == 0
    v = json.loads(res.stdout)
    assert (v["spdx"], v["category"], v["commercial_use"], v["share_alike"]) == (
        "CC-BY-NC-SA-4.0",
        "non_commercial",
        "not allowed",
        True,
    )
    src = tmp_path / "in.csv"
    src.write_text('dataset,licence\na,MIT\nb,"CC BY-NC 4.0"\nc,see website\n')
    out = tmp_path / "out.csv"
    res = subprocess.run(
        [*run, "--csv", str(src), "--column", "licence", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 0, res.stderr
    import csv

    rows = list(csv.DictReader(out.open()))
    assert [r["spdx"] for r in rows] == ["MIT", "CC-BY-NC-4.0", ""]
    assert [r["category"] for r in rows] == ["permissive", "non_commercial", "unknown"]
    assert {"confidence", "reason", "attribution_required"} <= set(rows[0])
    res = subprocess.run(
        [*run, "--csv", str(src), "--column", "nope"], capture_output=True, text=True
    )
    assert res.returncode == 2 and "columns are" in res.stderr


def test_snippet_context_names_are_masked(corpus: Corpus, run_audit: Any) -> None:
    rows = [{"text": "联系人：王小明，版权所有，未经许可不得转载。"}, *TEXT]
    _open(corpus, "names", "CC-BY-4.0", "names/*.jsonl", rows)
    _, con = run_audit(corpus.write())
    snippets = [r[0] for r in con.execute("SELECT snippet FROM rights_notices").fetchall()]
    assert snippets and all("王小明" not in s for s in snippets)
    assert any("版权所有" in s for s in snippets)
